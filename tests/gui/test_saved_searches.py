"""Saved searches in the sidebar: saved with Ctrl+S, opened with Enter (one undo step),
renamed with F2, deleted with Delete (and brought back), listed by the command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from defectors_catalog import paths
from defectors_catalog.domain.annotations.overlay import Desk
from defectors_catalog.domain.annotations.store import open_store
from defectors_catalog.domain.annotations.views import SavedView
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.gui import saved_searches
from defectors_catalog.gui.columns import COLUMN_INDEX
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.plain_text import is_plain_tooltip
from PySide6.QtCore import Qt

from tests.gui.conftest import tick


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """The person's data folder, here: the window and `defectors-catalog views` share it."""
    folder = tmp_path / "data"
    monkeypatch.setenv(paths.DATA_ENV, str(folder))
    return folder


@pytest.fixture
def window(qtbot, settings, data_folder) -> MainWindow:
    catalog = load_catalog()
    window = MainWindow(catalog, settings, desk=Desk(catalog, open_store()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def names(monkeypatch) -> list[str]:
    """The names the person types when asked, in order."""
    typed: list[str] = []
    monkeypatch.setattr(saved_searches, "ask_name", lambda *args: typed.pop(0))
    return typed


@pytest.fixture
def agree(monkeypatch) -> list[str]:
    asked: list[str] = []

    def answer(_parent, _title, text):
        asked.append(text)
        return True

    monkeypatch.setattr(saved_searches, "confirm", answer)
    return asked


def hungarian_ballet(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "ballet")
    tick(qtbot, window, "country", "Hungary")
    window.records.sort_by("name", descending=True)
    window.records.set_column_visible(COLUMN_INDEX["status"], True)


def test_ctrl_s_in_the_search_box_saves_everything_and_the_cli_lists_it(
    qtbot, window, names, data_folder
):
    hungarian_ballet(qtbot, window)
    shown = len(window.result or ())
    names.append("Hungarian dancers")
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    view = open_store().view("hungarian dancers")
    assert view.name == "Hungarian dancers" and view.search == "ballet"
    assert view.selections["country"] == ("Hungary",)
    assert (view.sort_column, view.descending) == ("name", True)
    assert "status" in view.columns and view.columns == tuple(window.records.visible_columns())
    assert len(window.catalog.engine.run(view.query())) == shown
    panel = window.saved_searches
    assert panel.model.rowCount() == 1 and panel.list.isVisible()
    tip = panel.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert is_plain_tooltip(tip) and "Hungary" in tip

    env = {**os.environ, paths.DATA_ENV: str(data_folder)}
    listed = subprocess.run(
        [sys.executable, "-m", "defectors_catalog", "views"],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    assert "Hungarian dancers" in listed.stdout


def test_enter_opens_a_saved_search_as_one_undo_step(qtbot, window, names):
    hungarian_ballet(qtbot, window)
    shown = list(window.records.positions)
    names.append("Hungarian dancers")
    window.save_search()
    window.clear_filters()
    window.records.apply_default_layout()
    assert window.search.text() == "" and len(window.result or ()) == 185

    panel = window.saved_searches
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert window.search.text() == "ballet"
    assert window.filters.models["country"].checked == {"Hungary"}
    assert window.records.sort_order() == ("name", True)
    assert "status" in window.records.visible_columns()
    assert list(window.records.positions) == shown
    assert "Hungarian dancers" in window.statusBar().currentMessage()

    window.history.stack.undo()  # one step back: the cleared filters
    assert window.search.text() == "" and not window.filters.models["country"].checked


def test_ctrl_s_prefills_the_open_search_and_updates_it(qtbot, window, names):
    names.append("Dancers")
    qtbot.keyClicks(window.search, "ballet")
    window.save_search()
    asked: list[str] = []
    saved_searches_ask = saved_searches.ask_name

    def ask(_parent, _title, _label, text):
        asked.append(text)
        return saved_searches_ask(_parent, _title, _label, text)

    names.append("Dancers")
    qtbot.keyClicks(window.search, " hungary")
    saved_searches.ask_name = ask
    try:
        window.save_search()
    finally:
        saved_searches.ask_name = saved_searches_ask
    assert asked == ["Dancers"]
    assert [v.search for v in window.desk.store.views] == ["ballet hungary"]


def test_a_taken_name_is_one_line_and_nothing_is_lost(qtbot, window, names, message_boxes):
    names.extend(["Dancers", "Pilots", "dancers"])
    qtbot.keyClicks(window.search, "ballet")
    window.save_search()
    window.saved_searches.open_name = ""  # as after opening nothing
    window.save_search()
    window.save_search()  # "dancers" is taken (names ignore case)
    assert len(message_boxes) == 1
    assert "already called 'Dancers'" in message_boxes[0].text()
    assert "\n" not in message_boxes[0].text()
    assert [v.name for v in window.desk.store.views] == ["Dancers", "Pilots"]


def test_f2_renames_and_delete_deletes_with_undo(qtbot, window, names, agree):
    names.extend(["Dancers", "Ballet & dance"])
    qtbot.keyClicks(window.search, "ballet")
    window.save_search()
    panel = window.saved_searches
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.list, Qt.Key.Key_F2)
    assert [v.name for v in open_store().views] == ["Ballet & dance"]
    assert panel.selected_name() == "Ballet & dance"

    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert agree == ["Delete the saved search \u201cBallet & dance\u201d?"]
    assert open_store().views == () and panel.model.rowCount() == 0
    assert panel.hint.isVisible() and panel.undo_button.isVisible()
    qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    back = open_store().views
    assert [v.name for v in back] == ["Ballet & dance"] and back[0].search == "ballet"
    assert not panel.undo_button.isVisible()


def test_update_overwrites_with_the_search_shown(qtbot, window, names):
    names.append("Dancers")
    qtbot.keyClicks(window.search, "ballet")
    window.save_search()
    window.clear_filters()
    tick(qtbot, window, "country", "Poland")
    panel = window.saved_searches
    panel.list.setCurrentIndex(panel.model.index(0))
    panel.update_current()
    view = open_store().view("Dancers")
    assert view.search == "" and view.selections["country"] == ("Poland",)


def test_another_window_s_saved_search_appears_on_refresh(qtbot, window):
    other = open_store()
    other.save_view(SavedView.of("From elsewhere", Query(text="pilot")))
    window.refresh_desk()
    panel = window.saved_searches
    assert [v.name for v in panel.model.views] == ["From elsewhere"]
    window._fill_open_search_menu()
    assert [a.text() for a in window.open_search_menu.actions()] == ["From elsewhere"]


def test_the_saved_search_model_passes_the_model_tester(qtmodeltester, window, names):
    store = window.desk.store
    for name, text in (("Pilots", "pilot"), ("<b>Dancers</b>", "ballet"), ("Chess", "chess")):
        store.save_view(SavedView.of(name, Query(text=text)))
    window.saved_searches.reload()
    model = window.saved_searches.model
    qtmodeltester.check(model)
    assert [model.index(i).data() for i in range(3)] == ["<b>Dancers</b>", "Chess", "Pilots"]
    assert all(is_plain_tooltip(model.index(i).data(Qt.ItemDataRole.ToolTipRole)) for i in range(3))
