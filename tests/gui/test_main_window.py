"""The real window, driven as a person would: typing, ticking, selecting, exporting."""

from __future__ import annotations

import csv

from defectors_catalog.gui.columns import COLUMN_INDEX
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QWidget,
)

from tests.gui.conftest import row_of, tick


def facet_count(window: MainWindow, facet: str, value: str) -> int:
    model = window.filters.models[facet]
    return model.counts[model.values.index(value)]


def select_rows(window: MainWindow, *rows: int) -> None:
    """Select rows explicitly (QTableView.selectRow reads the live keyboard modifiers)."""
    selection = window.records.view.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    for n, row in enumerate(rows):
        command = (flags.ClearAndSelect if n == 0 else flags.Select) | flags.Rows
        selection.setCurrentIndex(window.records.model.index(row, 1), command)


def select(qtbot, window: MainWindow, name: str) -> None:
    row = row_of(window, name)
    select_rows(window, row)
    qtbot.waitUntil(lambda: window.detail.record is not None and window.detail.record.name == name)


def test_opens_on_all_185_records(window):
    assert window.records.model.rowCount() == 185
    assert window.status.text() == "185 of 185 records \u00b7 20 with warnings"
    assert window.detail.record is None  # nothing chosen yet: no details of a row nobody picked


def test_typing_a_search_filters_and_counts_live(qtbot, window):
    qtbot.keyClicks(window.search, "koszegi")
    assert window.records.model.rowCount() == 1
    assert window.records.model.index(0, COLUMN_INDEX["name"]).data() == "Mihály Kőszegi"
    assert window.status.text() == "1 of 185 records \u00b7 1 with warnings"
    assert facet_count(window, "country", "Hungary") == 1
    assert facet_count(window, "country", "Russia") == 0


def test_hungary_in_the_1950s_and_which_to_trust(qtbot, window):
    tick(qtbot, window, "country", "Hungary")
    assert window.records.model.rowCount() == 22
    window.filters.years.from_box.setValue(1950)
    window.filters.years.to_box.setValue(1959)
    assert window.records.model.rowCount() == 15
    assert facet_count(window, "reliability", "only-unreliable") == 4
    tick(qtbot, window, "reliability", "confirmed")
    assert window.records.model.rowCount() == 11
    # Counts in a facet are taken under the other facets, not its own selection: four
    # Poles of the 1950s are in wikipedia.md (Miłosz, Jarecki, Światło, Panufnik).
    assert facet_count(window, "country", "Poland") == 4
    tick(qtbot, window, "country", "Hungary")  # untick
    assert window.records.model.rowCount() == facet_count(window, "reliability", "confirmed")


def test_year_histogram_follows_the_other_filters(qtbot, window):
    tick(qtbot, window, "reliability", "only-unreliable")
    assert sum(window.filters.years.histogram.counts.values()) == 20


def test_escape_and_the_empty_state_clear_every_filter(qtbot, window):
    qtbot.keyClicks(window.search, "zzzz no such person")
    assert window.records.model.rowCount() == 0
    assert window.centre.currentWidget() is window.empty_state
    qtbot.mouseClick(
        window.empty_state.findChild(type(window.filters.clear_button), "emptyClear"),
        Qt.MouseButton.LeftButton,
    )
    assert window.records.model.rowCount() == 185
    assert window.centre.currentWidget() is window.records.view
    tick(qtbot, window, "sources", "fandom")
    window.search.setText("ballet")
    assert window.records.model.rowCount() == 4
    qtbot.keyClick(window.records.view, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.records.model.rowCount() == 185


def test_ctrl_f_focuses_the_search(qtbot, window):
    window.records.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.hasFocus)


def test_fan_wiki_entry_shows_a_warning_banner_and_its_raw_line(qtbot, window):
    select(qtbot, window, "Kiều Mẫn Hoàng")
    banner = window.detail.banner
    assert banner is not None and banner.isVisible()
    assert banner.text().startswith("\u26a0  Found only in \u201cFan-wiki copy\u201d")
    raw = window.detail.findChild(QPlainTextEdit, "rawLine")
    assert raw.toPlainText() == (
        "Kiều Mẫn Hoàng North Vietnamese Army North Vietnam 1967 Defected to Australia via Thailand"
    )
    texts = [label.text() for label in window.detail.findChildren(QLabel)]
    assert "fandom.txt, line 17" in texts
    assert any(t.startswith("inferred-split:") for t in texts)


def test_wikipedia_entry_has_no_banner_and_lists_both_sources(qtbot, window):
    select(qtbot, window, "Valeri Tihonovitch Minakov")
    assert window.detail.banner is None
    texts = [label.text() for label in window.detail.findChildren(QLabel)]
    assert "wikipedia.md, line 34" in texts
    assert "wikipedia-scrape-2025.txt, line 25" in texts
    assert any(t.startswith("repaired:") for t in texts)
    badges = [t for t in texts if t in {"WP", "WP-25", "Fan"}]
    assert badges == ["WP", "WP-25"]


def test_arrow_keys_move_the_selection_and_the_details(qtbot, window):
    window.records.view.setFocus()
    first = window.detail.record
    qtbot.keyClick(window.records.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.detail.record is not first)
    assert window.detail.record is not None
    assert window.detail.record.name == window.records.model.index(1, 1).data()


def test_sorting_keeps_the_selected_record(qtbot, window):
    select(qtbot, window, "Ferenc Puskás")
    header = window.records.view.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(COLUMN_INDEX["name"]) + 20, 5),
    )
    assert window.query.sort_column == "name"
    assert window.detail.record.name == "Ferenc Puskás"
    current = window.records.view.currentIndex()
    assert current.siblingAtColumn(COLUMN_INDEX["name"]).data() == "Ferenc Puskás"
    names = [window.records.model.index(r, COLUMN_INDEX["name"]).data() for r in range(3)]
    assert names == ["Abdurakhman Avtorkhanov", "Adriano Juan Renteria", "Ágnes Keleti"]
    # The sort survives a new filter.
    window.search.setText("hungary")
    names = [
        window.records.model.index(r, COLUMN_INDEX["name"]).data()
        for r in range(window.records.model.rowCount())
    ]
    assert names == sorted(names, key=lambda n: n.replace("Á", "A"))


def test_export_dialog_writes_exactly_the_rows_and_columns_on_screen(
    qtbot, window, tmp_path, monkeypatch
):
    target = tmp_path / "hungary.csv"
    asked = {}

    def choose(parent, caption, directory, filters, chosen_filter=""):
        asked["caption"] = caption
        return str(target), chosen_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    tick(qtbot, window, "country", "Hungary")
    window.records.set_column_visible(COLUMN_INDEX["notes"], False)
    header = window.records.view.horizontalHeader()
    header.moveSection(header.visualIndex(COLUMN_INDEX["year"]), 0)
    window.export_action.trigger()
    assert asked["caption"] == "Export all 22 rows shown"
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["year", "sources", "name", "profession", "birthplace", "warnings"]
    assert len(rows) == 23
    shown = [window.records.model.index(r, COLUMN_INDEX["name"]).data() for r in range(22)]
    assert [r[2] for r in rows[1:]] == shown
    assert f"Exported 22 rows to {target}" in window.statusBar().currentMessage()


def test_export_of_a_multi_row_selection(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "two.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    select_rows(window, 3, 4)
    assert window.exporter.plan()[2] == "the 2 selected rows"
    window.export_action.trigger()
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == [window.records.model.index(r, 1).data() for r in (3, 4)]


def test_failed_export_says_so_and_writes_nothing(
    qtbot, window, tmp_path, monkeypatch, message_boxes
):
    target = tmp_path / "missing-folder" / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    window.export_action.trigger()
    assert "does not exist" in message_boxes[0].text()
    assert "No file was written" in message_boxes[0].text()
    assert not target.parent.exists()


def test_ctrl_c_copies_selected_rows_with_a_header(qtbot, window):
    window.search.setText("puskas")
    select_rows(window, 0)
    window.records.view.setFocus()
    qtbot.keyClick(window.records.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    lines = copied.splitlines()
    assert len(lines) == 2, (
        copied,
        window.records.selected_rows(),
        window.records.model.rowCount(),
    )
    assert lines[0].split("\t") == ["Sources", "Name", "Profession", "Birthplace", "Year", "Notes"]
    assert lines[1].split("\t")[:5] == [
        "wikipedia;wikipedia-scrape",
        "Ferenc Puskás",
        "Football player",
        "Hungary",
        "1956",
    ]


def test_layout_sort_and_filters_survive_a_restart(qtbot, catalog, settings):
    first = MainWindow(catalog, settings)
    qtbot.addWidget(first)
    first.show()
    first.records.set_column_visible(COLUMN_INDEX["profession"], False)
    first.records.view.horizontalHeader().setSortIndicator(
        COLUMN_INDEX["name"], Qt.SortOrder.DescendingOrder
    )
    first.search.setText("football")
    first.filters.models["country"].set_checked({"Hungary"})
    first.resize(760, 600)  # inside the offscreen screen (800x800), so nothing is clamped
    # 760 px is narrow: the details sit under the table.
    assert first.panes.narrow
    qtbot.waitUntil(lambda: first.chips.height() > 0)  # the filter chips take their row
    first.panes.outer.setSizes([200, 548])
    first.panes.inner.setSizes([300, 200])
    sizes = first.panes.outer.sizes(), first.panes.inner.sizes()
    first.close()

    second = MainWindow(catalog, settings)
    qtbot.addWidget(second)
    second.show()
    assert second.records.view.horizontalHeader().isSectionHidden(COLUMN_INDEX["profession"])
    assert second.query.sort_column == "name" and second.query.descending
    assert second.search.text() == "football"
    assert second.filters.models["country"].checked == {"Hungary"}
    assert second.records.model.rowCount() == 4
    qtbot.waitUntil(lambda: (second.panes.outer.sizes(), second.panes.inner.sizes()) == sizes)
    second.reset_layout()
    assert not second.records.view.horizontalHeader().isSectionHidden(COLUMN_INDEX["profession"])
    assert second.query.sort_column == "year"


def test_columns_can_be_hidden_but_not_all(window):
    header = window.records.view.horizontalHeader()
    for column in range(header.count()):
        window.records.set_column_visible(column, False)
    assert sum(not header.isSectionHidden(c) for c in range(header.count())) == 1


def columns_submenu(window: MainWindow) -> QMenu:
    """View → Columns, found through the menu bar as a person finds it."""
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert isinstance(view, QMenu)
    columns = next(a.menu() for a in view.actions() if a.text() == "&Columns")
    assert isinstance(columns, QMenu)
    return columns


def test_view_columns_stays_current_after_the_header_menu(qtbot, window):
    columns = columns_submenu(window)
    columns.aboutToShow.emit()
    header = window.records.view.horizontalHeader()
    popups: list[QWidget] = []

    def close_popup() -> None:  # as Esc would: the header menu runs its own event loop
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(10, close_popup)
            return
        popups.append(popup)
        popup.close()

    QTimer.singleShot(0, close_popup)
    header.customContextMenuRequested.emit(QPoint(5, 5))  # a right-click on the header
    assert len(popups) == 1 and popups[0] is not columns
    header.setSectionHidden(COLUMN_INDEX["notes"], True)
    columns.aboutToShow.emit()
    ticks = {action.text(): action.isChecked() for action in columns.actions()}
    assert ticks["Notes"] is False
    assert ticks["Name"] is True
    # Unticking in the View menu still hides the column after the popup was used.
    next(a for a in columns.actions() if a.text() == "Name").setChecked(False)
    assert header.isSectionHidden(COLUMN_INDEX["name"])
