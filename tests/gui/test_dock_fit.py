"""The cross-checking views read whole in a bottom dock some 300 px high at 1024 px."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.plain_text import is_plain_tooltip
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from tests.conftest import SEEDS
from tests.gui.test_cross_checking import CRAFTED


def docked(qtbot, window: MainWindow, tab: int) -> None:
    window.resize(1024, 700)
    window.cross_checking.open(tab)
    window.resizeDocks([window.cross_checking.dock], [300], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: abs(window.cross_checking.dock.height() - 300) < 30)
    widget = window.cross_checking.tabs.currentWidget()
    qtbot.waitUntil(lambda: widget.isVisible() and widget.width() > 900)


def assert_headers_whole(view: QTableView) -> None:
    """Every header's title fits its section (the stretching last one included)."""
    header = view.horizontalHeader()
    metrics = header.fontMetrics()
    model = view.model()
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title), (
            f"{view.accessibleName()}: header {title!r} is cut"
        )


@pytest.fixture
def five_sources(qtbot, settings) -> MainWindow:
    # The three seeds and two of them added again: five sources, as a tester had.
    catalog = load_catalog(extra=[(SEEDS / "wikipedia.md", True), (SEEDS / "fandom.txt", False)])
    assert len(catalog.sources) == 5
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_all_five_sources_show_in_a_300_px_dock(qtbot, five_sources):
    window = five_sources
    docked(qtbot, window, 1)
    overview = window.cross_checking.overview
    view = overview.sources_view
    qtbot.waitUntil(
        lambda: view.rowViewportPosition(4) + view.rowHeight(4) <= view.viewport().height()
    )
    # One line a row: a long coverage note is cut and read whole in its tooltip.
    assert all(view.rowHeight(row) < 2.5 * view.fontMetrics().height() for row in range(5))
    notes = overview.sources_model.index(1, 6)
    assert notes.data().startswith("No entries after 1960")
    assert is_plain_tooltip(notes.data(Qt.ItemDataRole.ToolTipRole))
    # The overlap tables keep room for some rows under it.
    assert overview.overlap_view.viewport().height() > 2 * overview.overlap_view.rowHeight(0)
    for table in (overview.sources_view, overview.overlap_view, overview.pairwise_view):
        assert_headers_whole(table)


def test_the_matrix_names_sources_by_badge_with_the_title_in_the_tooltip(qtbot, window):
    docked(qtbot, window, 1)
    pairwise = window.cross_checking.overview.pairwise_model
    assert [pairwise.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "not in WP",
        "not in WP-25",
        "not in Fan",
    ]
    tip = pairwise.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "not in Fan-wiki copy" in tip and is_plain_tooltip(tip)
    view = window.cross_checking.overview.pairwise_view
    metrics = view.fontMetrics()
    for column in range(3):  # every count shows whole ("all 165")
        text = pairwise.index(column, column).data()
        assert view.columnWidth(column) > metrics.horizontalAdvance(text)


def test_conflicts_headers_are_whole_and_cells_carry_their_full_text(qtbot, tmp_path, settings):
    path = tmp_path / "crafted.md"
    path.write_text(CRAFTED, encoding="utf-8")
    window = MainWindow(load_catalog(extra=[(path, True)]), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    docked(qtbot, window, 2)
    view = window.cross_checking.conflicts
    view.conflict_view.selectRow(0)
    qtbot.waitUntil(lambda: view.comparison.record is not None)
    comparison = view.comparison
    # Short source labels keep the columns whole; the full title is in the tooltip.
    assert comparison.headerData(0, Qt.Orientation.Horizontal).startswith("WP, line ")
    tip = comparison.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<qt>Wikipedia export, line ") and is_plain_tooltip(tip)
    for table in (view.conflict_view, view.comparison_view, view.candidate_view):
        assert_headers_whole(table)
    # The comparison's columns share its width and none is squeezed below a word's room.
    widths = [view.comparison_view.columnWidth(c) for c in range(comparison.columnCount())]
    assert min(widths) >= 120
    # Cut cells say everything in a plain-text tooltip.
    disagree = view.conflicts.index(0, 2)
    assert disagree.data() == "profession, notes (worded differently)"
    assert "Rudolf Nureyev: profession" in disagree.data(Qt.ItemDataRole.ToolTipRole)
    why = view.candidates.index(0, 3)
    assert is_plain_tooltip(why.data(Qt.ItemDataRole.ToolTipRole))
    assert why.data() in why.data(Qt.ItemDataRole.ToolTipRole)
    # The decision reads beside the names; the long "why" takes the rest, last.
    header = view.candidate_view.horizontalHeader()
    assert header.visualIndex(4) == 2 and header.logicalIndex(4) == 3
