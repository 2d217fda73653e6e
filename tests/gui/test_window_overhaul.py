"""The window as a keyboard user and a careful reader meet it: filter chips, Undo and
Redo of filters, shortcuts from every focus, Tab between panes, what the details
show, collapsible panes, the surname sort, the theme, Help → Keyboard shortcuts."""

from __future__ import annotations

import pytest
from defectors_catalog.gui.filter_history import Snapshot
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.shortcuts import ShortcutsDialog, shortcut_rows
from defectors_catalog.gui.theme import Theme, is_dark
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import row_of


def _names(window: MainWindow) -> list[str]:
    model = window.records.model
    return [model.catalog.records[int(p)].name for p in model.positions]


def _type(qtbot, window: MainWindow, text: str) -> None:
    window.search.setFocus()
    qtbot.keyClicks(window.search, text)
    qtbot.waitUntil(lambda: window.result is not None and bool(window.result.words))


def test_chips_show_each_active_filter_and_remove_it(window, qtbot):
    assert window.chips.isHidden()
    window.filters.models["country"].set_checked({"Hungary"})
    window.filters.set_years(1950, 1959)
    window.search.setText("ballet")
    assert window.chips.texts() == ["Search: ballet", "Country: Hungary", "Years: 1950\u20131959"]
    assert not window.chips.isHidden()
    hungarian_ballet_50s = window.records.model.rowCount()
    assert hungarian_ballet_50s >= 1

    window.chips.chips[1].click()  # Country: Hungary
    assert window.filters.models["country"].checked == set()
    assert "Country: Hungary" not in window.chips.texts()
    assert window.records.model.rowCount() >= hungarian_ballet_50s


def test_clear_all_then_undo_brings_every_filter_back_and_redo_clears_again(window, qtbot):
    window.filters.models["country"].set_checked({"Hungary"})
    window.filters.set_years(1950, 1959)
    window.search.setText("football")
    shown = _names(window)
    assert 0 < len(shown) < 185

    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)  # clears everything
    assert window.records.model.rowCount() == 185 and window.search.text() == ""
    assert window.chips.isHidden()

    qtbot.keyClick(window.search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.search.text() == "football"
    assert window.filters.models["country"].checked == {"Hungary"}
    assert window.filters.years.bounds() == (1950, 1959)
    assert _names(window) == shown

    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.records.view, Qt.Key.Key_Z, shift_ctrl)
    assert window.records.model.rowCount() == 185 and window.search.text() == ""


def test_typing_a_word_is_one_undo_step(window, qtbot):
    window.filters.models["country"].set_checked({"Hungary"})
    _type(qtbot, window, "football")
    assert window.search.text() == "football"
    window.undo_action.trigger()  # the whole word, not one letter
    assert window.search.text() == ""
    assert window.filters.models["country"].checked == {"Hungary"}
    window.undo_action.trigger()
    assert window.filters.models["country"].checked == set()
    assert not window.undo_action.isEnabled()


def test_the_search_clear_button_goes_when_the_search_is_cleared(window, qtbot):
    window.search.setText("ballet")
    window.clear_filters()
    assert window.search.text() == ""
    # The line edit hears that its text went (it was muted with blockSignals before,
    # which left its clear button showing).
    assert window.history.current == Snapshot.of("", window.filters.state())


@pytest.mark.parametrize("focus", ["search", "table", "filters", "details"])
def test_ctrl_e_exports_from_every_focus(window, qtbot, focus):
    fired: list[bool] = []
    window.export_action.triggered.disconnect()
    window.export_action.triggered.connect(lambda: fired.append(True))
    widget = {
        "search": window.search,
        "table": window.records.view,
        "filters": window.filters,
        "details": window.detail,
    }[focus]
    widget.setFocus()
    target = QApplication.focusWidget() or widget
    qtbot.keyClick(target, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert fired == [True]
    assert window.search.text() == ""  # the line edit did not take the key either


def test_tab_moves_between_panes_not_cells(window, qtbot):
    row = row_of(window, "Rudolf Nureyev")
    window.records.select_position(int(window.records.model.positions[row]))
    window.records.view.setFocus()
    chosen = window.detail.record
    assert chosen is not None and chosen.name == "Rudolf Nureyev"
    qtbot.keyClick(window.records.view, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not window.records.view
    assert (focus is not None and window.detail.isAncestorOf(focus)) or focus is window.detail
    assert window.detail.record is chosen  # Tab did not move to another record
    window.records.view.setFocus()
    qtbot.keyClick(window.records.view, Qt.Key.Key_Down)
    assert window.detail.record is not chosen  # arrows do move in the table


def test_the_search_box_tabs_into_the_filters_and_on_to_the_table(window, qtbot):
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None and window.filters.isAncestorOf(focus)
    seen = set()
    for _ in range(12):  # the sidebar has a few stops of its own; the table follows
        focus = QApplication.focusWidget()
        if focus is window.records.view:
            break
        seen.add(type(focus).__name__)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.records.view, seen


def test_the_details_show_only_a_record_somebody_chose(window, qtbot):
    assert window.detail.record is None
    window.records.set_column_visible(1, False)
    window.records.set_column_visible(1, True)
    window.records.view.setFocus(Qt.FocusReason.TabFocusReason)  # makes row 0 current
    assert window.detail.record is None
    window.records.view.selectRow(3)
    assert window.detail.record is not None


def test_a_single_search_result_is_selected_and_an_alias_hit_is_shown(window, qtbot):
    window.search.setText("suvorov")
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 1)
    assert window.detail.record is not None and window.detail.record.name == "Vladimir Rezun"
    # The alias is in the name cell, where the highlight shows what matched.
    assert window.records.model.display(0, 1) == "Vladimir Rezun (Viktor Suvorov)"


def test_sorting_keeps_the_selected_record_in_view(window, qtbot):
    row = row_of(window, "Rudolf Nureyev")
    window.records.select_position(int(window.records.model.positions[row]))
    window.records.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    index = window.records.view.currentIndex()
    position = int(window.records.model.positions[index.row()])
    assert window.records.model.catalog.records[position].name == "Rudolf Nureyev"
    assert window.records.view.visualRect(index).intersects(window.records.view.viewport().rect())


def test_surname_sort(window, qtbot):
    window.sort_by_surname()
    names = _names(window)
    assert window.query.sort_column == "surname"
    from defectors_catalog.domain.text import fold, surname_first

    keys = [fold(surname_first(n)) for n in names]
    assert keys == sorted(keys)
    assert names.index("Mikhail Baryshnikov") < names.index("Rudolf Nureyev")


def test_panes_collapse_and_come_back(window, qtbot):
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    window.records.view.setFocus()
    qtbot.keyClick(window.records.view, Qt.Key.Key_D, ctrl_shift)
    assert window.detail.isHidden() and not window.pane_actions["details"].isChecked()
    table_alone = window.centre.width()
    qtbot.keyClick(window.records.view, Qt.Key.Key_F, ctrl_shift)
    assert window.filters.isHidden()
    qtbot.waitUntil(lambda: window.centre.width() > table_alone)
    window.pane_actions["details"].trigger()
    window.pane_actions["filters"].trigger()
    assert not window.detail.isHidden() and not window.filters.isHidden()
    assert window.panes.is_shown("details") and window.panes.is_shown("filters")


def test_theme_switches_to_dark_and_back_and_is_remembered(window, settings):
    window.set_theme(Theme.DARK)
    assert is_dark(QGuiApplication.palette())
    assert settings.value("view/theme") == "dark"
    window.set_theme(Theme.LIGHT)
    assert not is_dark(QGuiApplication.palette())
    assert window.theme_actions[Theme.LIGHT].isChecked()


def test_help_lists_every_shortcut(window, qtbot):
    rows = dict(shortcut_rows(window.actions()))
    for keys in ("Ctrl+E", "Ctrl+F", "Ctrl+Z", "Ctrl+Shift+Z, Ctrl+Y", "Ctrl+O", "F1"):
        assert keys in rows, sorted(rows)
    dialog = ShortcutsDialog(window.actions(), window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(shortcut_rows(window.actions()))
