"""The window against hostile files and damaged state: formulas on the clipboard, saved
settings that are not valid values, thousands of problems, decisions that cannot be
saved, an export name without its suffix, and a FIFO dropped on the window."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

import pytest
import tomli_w
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.merge.decisions import FILE_NAME, Decision, DecisionStore
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.add_source_dialog import AddSourceDialog
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.session import Session
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from tests.gui.conftest import row_of
from tests.gui.test_cross_checking import CRAFTED, click_cell
from tests.gui.test_main_window import select_rows

FORMULA = "=cmd|' /C calc'!A0"
NEUTRALISE = "export/Neutralise spreadsheet formulas (=, +, -, @)"


def open_window(qtbot, catalog, settings: QSettings) -> MainWindow:
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


# -- Ctrl+C ------------------------------------------------------------------------------


@pytest.fixture
def formulas(tmp_path):
    path = tmp_path / "formulas.csv"
    path.write_text(
        "Name,Profession,Country,Year,Notes\n"
        f'Ivan Formula,"{FORMULA}",Russia,1961,"=HYPERLINK(""http://x.invalid"")"\n',
        encoding="utf-8",
    )
    return load_catalog(extra=[(path, True)])


def copied_row(qtbot, window: MainWindow) -> list[str]:
    select_rows(window, row_of(window, "Ivan Formula"))
    window.records.view.setFocus()
    qtbot.keyClick(window.records.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    header, row = QGuiApplication.clipboard().text().splitlines()
    columns = header.split("\t")
    cells = row.split("\t")
    return [cells[columns.index("Profession")], cells[columns.index("Notes")]]


def test_ctrl_c_neutralises_and_quotes_formulas_as_the_export_does(qtbot, formulas, settings):
    window = open_window(qtbot, formulas, settings)
    assert window.exporter.neutralise.isChecked()
    assert copied_row(qtbot, window) == [
        "'" + FORMULA,
        '"\'=HYPERLINK(""http://x.invalid"")"',
    ]


def test_ctrl_c_follows_the_neutralise_option(qtbot, formulas, settings):
    window = open_window(qtbot, formulas, settings)
    window.exporter.neutralise.setChecked(False)
    # Raw formulas, as an export with the option off writes them, still quoted.
    assert copied_row(qtbot, window) == [FORMULA, '"=HYPERLINK(""http://x.invalid"")"']


# -- damaged settings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        ("filters/state", json.dumps({"years": ["99999999999999999999", ""]})),
        ("filters/state", json.dumps({"years": ["1990", "1950"]})),
        ("filters/state", json.dumps({"years": ["3000", "3100"]})),
        ("filters/state", json.dumps({"years": ["-99999999999999999999", "x"]})),
        ("filters/state", "[" * 100_000),
        ("filters/state", json.dumps({"country": "Hungary", "years": 7})),
        ("window/geometry", "garbage"),
        ("window/outer", 12),
        ("window/inner-wide", "garbage"),
        ("window/filters-shown", "maybe"),
        ("view/theme", "neon"),
        ("table/header", "garbage"),
        ("filters/search", 12),
        ("export/delimiter", "\x00"),
    ],
)
def test_a_damaged_saved_setting_is_ignored_and_the_window_opens(
    qtbot, catalog, settings, key, value
):
    settings.setValue(key, value)
    window = open_window(qtbot, catalog, settings)
    qtbot.waitUntil(lambda: window.result is not None)
    assert window.records.model.rowCount() == 185


def test_ignored_years_are_logged(qtbot, catalog, settings, caplog):
    settings.setValue("filters/state", json.dumps({"years": ["1990", "1950"]}))
    with caplog.at_level(logging.WARNING):
        open_window(qtbot, catalog, settings)
    assert "end before they start" in caplog.text


def test_a_saved_year_range_inside_the_catalog_is_still_restored(qtbot, catalog, settings):
    settings.setValue("filters/state", json.dumps({"years": ["1950", "1960"]}))
    window = open_window(qtbot, catalog, settings)
    assert window.filters.years.bounds() == (1950, 1960)


@pytest.mark.parametrize(
    "saved, on",
    [("yes", True), ("TRUE", True), ("garbage", True), ("", True), ("on", True),
     ("false", False), ("0", False), ("no", False), ("OFF", False)],
)  # fmt: skip
def test_only_an_explicit_off_turns_neutralising_off(qtbot, catalog, settings, saved, on):
    settings.setValue(NEUTRALISE, saved)
    window = open_window(qtbot, catalog, settings)
    assert window.exporter.neutralise.isChecked() is on


# -- problems, short ---------------------------------------------------------------------


def test_twenty_thousand_missing_sources_give_a_short_message(
    qtbot, tmp_path, settings, memoir, message_boxes, caplog
):
    store = UserSourceStore(tmp_path / "data" / "sources")
    spec = store.add(memoir, "Memoir", False, "plain-rows", [])
    entry = _manifest(store)["source"][0]
    entries = [{**entry, "id": f"gone-{n}", "file": f"gone-{n}.txt"} for n in range(20_000)]
    store.manifest.write_text(tomli_w.dumps({"source": [entry, *entries]}), encoding="utf-8")
    (store.folder.parent / FILE_NAME).write_text("{trunc", encoding="utf-8")
    session = Session(store, (), settings)
    with caplog.at_level(logging.WARNING):
        window = session.open()
        assert window is not None
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: bool(message_boxes))
    box = message_boxes[0]
    text = box.text()
    assert text.count("\n") < 20, text
    assert "and 19,996 more" in text  # 20,000 missing, and the damaged decisions
    assert text.index("Your duplicate decisions") < text.index("gone-0")
    assert box.sizeHint().height() < 1000
    assert "20,001 problem(s)" in window.statusBar().currentMessage()
    assert "gone-19999" in caplog.text  # the full list is in the log
    assert spec.id in window.catalog.parses  # the source that is there is read


def _manifest(store: UserSourceStore) -> dict[str, list[dict[str, object]]]:
    import tomllib

    return tomllib.loads(store.manifest.read_text(encoding="utf-8"))


@pytest.fixture
def crafted_catalog(tmp_path):
    path = tmp_path / "crafted.md"
    path.write_text(CRAFTED, encoding="utf-8")
    return load_catalog(extra=[(path, True)])


def test_a_decision_that_cannot_be_saved_is_reported_and_kept(
    qtbot, crafted_catalog, settings, tmp_path, message_boxes
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    store = DecisionStore(blocker / "duplicate-decisions.json")
    window = open_window(qtbot, crafted_catalog, settings)
    view = window.cross_checking.conflicts
    view.set_store(store)
    window.cross_checking.open(2)
    click_cell(qtbot, view.candidate_view, 0, 0)
    qtbot.mouseClick(view.same_button, Qt.MouseButton.LeftButton)
    assert len(message_boxes) == 1
    assert "could not be saved" in message_boxes[0].text()
    assert view.candidates.index(0, 4).data() == "same person"
    assert store.get(view.candidates.candidates[0]) is Decision.SAME
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert len(message_boxes) == 2
    assert store.get(view.candidates.candidates[0]) is None


# -- export: the suffix before the question -----------------------------------------------


@pytest.mark.parametrize("replace", [False, True])
def test_exporting_to_report_asks_before_replacing_report_csv(
    qtbot, window, tmp_path, monkeypatch, replace
):
    existing = tmp_path / "report.csv"
    existing.write_text("kept\n", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(tmp_path / "report"), ""))
    )
    asked: list[str] = []

    def answer(box: QMessageBox) -> int:
        assert box.textFormat() == Qt.TextFormat.PlainText
        asked.append(box.text())
        button = QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No
        return button.value

    monkeypatch.setattr(QMessageBox, "exec", answer)
    window.export_action.trigger()
    assert len(asked) == 1 and "report.csv already exists" in asked[0]
    kept = existing.read_text(encoding="utf-8") == "kept\n"
    assert kept is not replace
    assert not (tmp_path / "report").exists()


def test_exporting_to_a_new_name_without_suffix_asks_nothing(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(tmp_path / "fresh"), ""))
    )
    window.export_action.trigger()
    assert not message_boxes
    assert (tmp_path / "fresh.csv").read_text(encoding="utf-8").startswith("sources,name,")


# -- the add path never reads on the GUI thread ------------------------------------------


def drop(window: MainWindow, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


@pytest.fixture
def session(qtbot, tmp_path, settings):
    session = Session(UserSourceStore(tmp_path / "data" / "sources"), (), settings)
    yield session
    for window in [session.window, *session._retired]:
        if window is not None:
            window.close()


def test_a_fifo_dropped_on_the_window_is_refused_at_once(
    qtbot, session, tmp_path, monkeypatch, message_boxes
):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    dialogs: list[AddSourceDialog] = []

    def record(dialog: AddSourceDialog) -> int:
        dialogs.append(dialog)
        return 0

    monkeypatch.setattr(AddSourceDialog, "exec", record)
    window = session.open()
    drop(window, fifo)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=5000)
    assert "not a regular file" in message_boxes[0].text()
    assert not dialogs  # refused before the dialog, and nothing was read
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=1000)  # the event loop runs
    assert not session.store.load().specs


def test_the_copy_into_the_store_is_made_off_the_gui_thread(qtbot, session, memoir, monkeypatch):
    threads: list[threading.Thread] = []
    add = UserSourceStore.add

    def recording_add(store, *args, **kwargs):
        threads.append(threading.current_thread())
        return add(store, *args, **kwargs)

    monkeypatch.setattr(UserSourceStore, "add", recording_add)

    def accept(dialog: AddSourceDialog) -> QDialog.DialogCode:
        qtbot.waitUntil(lambda: dialog.shown is not None and not dialog.busy, timeout=20_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSourceDialog, "exec", accept)
    monkeypatch.setattr("defectors_catalog.gui.sources_ui.ReportDialog.exec", lambda d: 0)
    window = session.open()
    window.sources_ui.add(memoir)
    qtbot.waitUntil(lambda: session.window is not window, timeout=20_000)
    assert threads and threads[0] is not threading.main_thread()
    assert session.window.records.model.rowCount() == 187
