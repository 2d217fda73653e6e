"""The cross-checking views, driven as a person would: timeline, overview, conflicts."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.merge.decisions import Decision, DecisionStore
from defectors_catalog.gui.conflicts_view import (
    CandidatesModel,
    ChangedWordsDelegate,
    ChangedWordsRole,
    ComparisonModel,
    ConflictListModel,
)
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.sources_overview import (
    SOURCE_COLUMNS,
    OverlapModel,
    PairwiseModel,
    SourcesModel,
)
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QLabel

from tests.gui.conftest import row_of
from tests.gui.test_main_window import select

CRAFTED = """| Name | Profession / Prominence | Country | Year | Notes |
|---|---|---|---|---|
| Rudolf Nureyev | Ballet dancer and choreographer | Russia | 1961 | Defected in Paris |
| Rudolf Nurejev | Ballet dancer | Russia | 1962 | Defected in London |
"""


def click_cell(qtbot, view, row: int, column: int) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


@pytest.fixture
def crafted_window(qtbot, tmp_path, settings):
    path = tmp_path / "crafted.md"
    path.write_text(CRAFTED, encoding="utf-8")
    window = MainWindow(load_catalog(extra=[(path, True)]), settings)
    qtbot.addWidget(window)
    window.cross_checking.conflicts.set_store(DecisionStore(tmp_path / "decisions.json"))
    window.show()
    qtbot.waitExposed(window)
    return window


def test_every_new_model_passes_the_model_tester(qtmodeltester, catalog, crafted_window):
    views = crafted_window.cross_checking
    conflicts = views.conflicts
    conflicts.comparison.set_record(conflicts.conflicts.record(0))
    for model in (
        views.overview.sources_model,
        views.overview.overlap_model,
        views.overview.pairwise_model,
        conflicts.conflicts,
        conflicts.comparison,
        conflicts.candidates,
    ):
        qtmodeltester.check(model)
    assert isinstance(views.overview.sources_model, SourcesModel)
    assert isinstance(views.overview.overlap_model, OverlapModel)
    assert isinstance(views.overview.pairwise_model, PairwiseModel)
    assert isinstance(conflicts.conflicts, ConflictListModel)
    assert isinstance(conflicts.comparison, ComparisonModel)
    assert isinstance(conflicts.candidates, CandidatesModel)


def test_the_views_open_from_the_keyboard_and_are_built_only_then(qtbot, window):
    assert not window.cross_checking.built  # nothing walks the records before first use
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.cross_checking.built
    assert window.cross_checking.dock.isVisible()
    assert window.cross_checking.tabs.currentWidget() is window.cross_checking.conflicts
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.cross_checking.tabs.currentWidget() is window.cross_checking.timeline


def test_timeline_stacks_reliability_and_follows_the_filters(qtbot, window):
    window.cross_checking.open(0)
    chart = window.cross_checking.timeline.chart
    qtbot.waitUntil(lambda: sum(chart.confirmed) == 165)
    assert sum(chart.unreliable) == 20
    assert chart.counts_at(1956) == (8, 1)
    window.search.setText("ballet")
    qtbot.waitUntil(lambda: sum(chart.confirmed) + sum(chart.unreliable) < 185)
    assert sum(chart.confirmed) + sum(chart.unreliable) == window.records.model.rowCount()


def test_hovering_a_bar_shows_its_counts(qtbot, window):
    window.cross_checking.open(0)
    chart = window.cross_checking.timeline.chart
    qtbot.waitUntil(lambda: sum(chart.confirmed) == 165)
    qtbot.mouseMove(chart, QPoint(int(chart.x_of(1956)), chart.height() // 2))
    qtbot.waitUntil(lambda: chart.hover_text.startswith("1956"))
    assert chart.hover_text == "1956: 9 records \u2014 8 confirmed, 1 only in an unreliable list"


def test_dragging_across_the_timeline_sets_the_year_filter(qtbot, window):
    window.cross_checking.open(0)
    chart = window.cross_checking.timeline.chart
    qtbot.waitUntil(lambda: chart.isVisible() and sum(chart.confirmed) == 165)
    y = chart.height() // 2
    qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(chart.x_of(1950)), y))
    qtbot.mouseMove(chart, QPoint(int(chart.x_of(1959)), y))
    qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(chart.x_of(1959)), y))
    qtbot.waitUntil(lambda: window.filters.years.bounds() == (1950, 1959))
    years = [window.catalog.records[int(p)].year for p in window.records.model.positions]
    assert len(years) == 29 and all(1950 <= y <= 1959 for y in years)
    assert chart.span == (1950, 1959)


def test_overlap_counts_are_clickable_filters(qtbot, window):
    window.cross_checking.open(1)
    overview = window.cross_checking.overview
    labels = [c.label for c in overview.overlap_model.counts]
    click_cell(qtbot, overview.overlap_view, labels.index("In both reliable sources"), 1)
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 49)
    assert window.filters.overlap_box.isVisible()
    assert window.filters.overlap_label.text() == "In both reliable sources"
    click_cell(qtbot, overview.overlap_view, labels.index("Only in one source"), 1)
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 136)
    assert window.filters.models["listed_in"].checked == {"1"}
    # pairwise: in the Wikipedia export but not in the 2025 scrape; the diagonal holds
    # all of a source's records and says so
    pairwise = overview.pairwise_model
    assert pairwise.index(0, 1).data() == "116"
    assert pairwise.index(0, 0).data() == "all 165"
    click_cell(qtbot, overview.pairwise_view, 0, 1)
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 116)
    assert window.status.text().startswith("116 of 185 records")
    qtbot.keyClick(window.records.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 185)
    assert not window.filters.overlap_box.isVisible()


def test_an_overlap_filter_survives_a_restart(qtbot, window, catalog, settings):
    window.cross_checking.open(1)
    overview = window.cross_checking.overview
    labels = [c.label for c in overview.overlap_model.counts]
    click_cell(qtbot, overview.overlap_view, labels.index("In both reliable sources"), 1)
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 49)
    window.close()  # saves the settings

    again = MainWindow(catalog, settings)
    qtbot.addWidget(again)
    assert again.records.model.rowCount() == 49
    assert again.filters.overlap_label.text() == "In both reliable sources"
    assert not again.filters.overlap_box.isHidden()


def test_sources_overview_lists_coverage(window):
    model = window.cross_checking.overview.sources_model
    rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
    scrape = rows["Wikipedia scrape (2025)"]
    column = SOURCE_COLUMNS.index
    assert model.index(scrape, column("Years covered")).data() == "1924\u20131960"
    assert model.index(scrape, column("Coverage notes")).data().startswith("No entries after 1960")


def test_detail_panel_shows_inferred_destination_and_coverage(qtbot, window):
    select(qtbot, window, "Imre Lakatos")
    field = window.detail.findChild(QLabel, "field_destination")
    assert field.textFormat() == Qt.TextFormat.PlainText
    assert field.text() == (
        "Austria \u2014 inferred from the notes: \u201cFled to Vienna, Austria\u201d"
    )
    select(qtbot, window, "Ernst Degner")
    texts = [label.text() for label in window.detail.findChildren(QLabel)]
    assert any("its absence says nothing about a 1961 entry" in t for t in texts)


def test_destination_facet_filters_the_table(qtbot, window):
    from tests.gui.conftest import tick

    tick(qtbot, window, "destination", "Austria")
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 8)
    assert row_of(window, "Imre Lakatos") >= 0


def test_conflicts_empty_state_on_the_seeds(window):
    view = window.cross_checking.conflicts
    assert view.conflict_pages.currentWidget() is view.conflicts_empty
    assert "No conflicts: the 49 records listed by more than one source" in (
        view.conflicts_empty.text()
    )
    assert view.candidate_pages.currentWidget() is view.candidates_empty


def test_conflicts_side_by_side_with_the_field_highlighted(qtbot, crafted_window):
    window = crafted_window
    window.cross_checking.open(2)
    view = window.cross_checking.conflicts
    assert view.conflicts.rowCount() == 1
    click_cell(qtbot, view.conflict_view, 0, 0)
    qtbot.waitUntil(lambda: view.comparison.record is not None)
    comparison = view.comparison
    # Notes are free text: worded differently, shown word by word, not a conflict.
    assert comparison.disputed == {"profession"}
    assert comparison.reworded == {"notes"}
    row = [comparison.headerData(r, Qt.Orientation.Vertical) for r in range(comparison.rowCount())]
    profession = row.index("Profession")
    values = [comparison.index(profession, c).data() for c in range(comparison.columnCount())]
    assert values == ["Ballet dancer", "Ballet dancer and choreographer"]
    assert comparison.index(profession, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert comparison.index(row.index("Year"), 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert window.detail.record is not None and window.detail.record.name == "Rudolf Nureyev"


def test_notes_worded_differently_have_the_changed_words_marked(qtbot, crafted_window):
    window = crafted_window
    window.cross_checking.open(2)
    view = window.cross_checking.conflicts
    assert view.conflicts.index(0, 2).data() == "profession, notes (worded differently)"
    click_cell(qtbot, view.conflict_view, 0, 0)
    qtbot.waitUntil(lambda: view.comparison.record is not None)
    comparison = view.comparison
    rows = [comparison.headerData(r, Qt.Orientation.Vertical) for r in range(comparison.rowCount())]
    notes = rows.index("Notes")
    texts = [comparison.index(notes, c).data() for c in range(comparison.columnCount())]
    marked = [comparison.marked_text(notes, c) for c in range(comparison.columnCount())]
    # The seed says "Defected while on tour in Paris"; the added list leaves words out.
    assert texts == ["Defected while on tour in Paris", "Defected in Paris"]
    assert marked == ["Defected [while on tour] in Paris", "Defected in Paris"]
    spans = comparison.index(notes, 0).data(ChangedWordsRole)
    assert [texts[0][a:b] for a, b in spans] == ["while on tour"]
    assert comparison.index(notes, 1).data(ChangedWordsRole) == ()
    # The accessible text carries the marks as plain brackets; the fields that agree
    # carry none.
    assert comparison.index(notes, 0).data(Qt.ItemDataRole.AccessibleTextRole) == marked[0]
    assert comparison.index(rows.index("Year"), 0).data(ChangedWordsRole) is None
    # The delegate paints and sizes the marked cells (wrapped over several lines).
    delegate = view.comparison_view.itemDelegate()
    assert isinstance(delegate, ChangedWordsDelegate)
    view.comparison_view.resizeRowsToContents()
    assert not view.comparison_view.grab().isNull()


def test_changed_words_are_plain_text_never_markup(qtbot, tmp_path, settings):
    """A note holding markup is compared and shown as the characters it is."""
    path = tmp_path / "markup.md"
    path.write_text(
        "| Name | Profession | Country | Year | Notes |\n|---|---|---|---|---|\n"
        "| George Balanchine | Choreographer | Russia | 1924 |"
        " Defected during a tour of <b>Germany</b> <img src=x> |\n",
        encoding="utf-8",
    )
    window = MainWindow(load_catalog(extra=[(path, True)]), settings)
    qtbot.addWidget(window)
    view = window.cross_checking.conflicts
    view.comparison.set_record(view.conflicts.record(0))
    comparison = view.comparison
    rows = [comparison.headerData(r, Qt.Orientation.Vertical) for r in range(comparison.rowCount())]
    last = comparison.columnCount() - 1  # the added source comes after the two seeds
    text = comparison.index(rows.index("Notes"), last).data()
    assert text == "Defected during a tour of <b>Germany</b> <img src=x>"
    marked = comparison.marked_text(rows.index("Notes"), last)
    assert marked == "Defected during a tour of [<b>Germany</b> <img src=x>]"
    assert not view.comparison_view.grab().isNull()


def test_candidate_decisions_persist_and_undo(qtbot, crafted_window, tmp_path):
    view = crafted_window.cross_checking.conflicts
    assert view.candidates.rowCount() == 1
    assert view.candidates_summary.text() == "1 candidate pairs, 1 undecided"
    click_cell(qtbot, view.candidate_view, 0, 0)
    qtbot.mouseClick(view.same_button, Qt.MouseButton.LeftButton)
    assert view.candidates.index(0, 4).data() == "same person"
    assert view.candidates_summary.text() == "1 candidate pairs, 0 undecided"
    reopened = DecisionStore(tmp_path / "decisions.json")
    assert reopened.get(view.candidates.candidates[0]) is Decision.SAME
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert view.candidates.index(0, 4).data() == "undecided"
    assert DecisionStore(tmp_path / "decisions.json").get(view.candidates.candidates[0]) is None
    assert not view.undo_button.isEnabled()


def test_settings_fixture_is_untouched(settings):
    assert isinstance(settings, QSettings)


def test_the_dock_comes_back_open_on_its_tab_at_its_height(qtbot, window, catalog, settings):
    window.resize(1024, 700)
    window.cross_checking.open(1)
    dock = window.cross_checking.dock
    window.resizeDocks([dock], [260], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: abs(dock.height() - 260) <= 8)
    kept = dock.height()
    window.cross_checking.tabs.setCurrentIndex(2)  # as a click on the tab does
    window.close()

    again = MainWindow(catalog, settings)
    qtbot.addWidget(again)
    again.resize(1024, 700)
    again.show()
    qtbot.waitUntil(lambda: again.cross_checking.built and again.cross_checking.dock.isVisible())
    assert again.cross_checking.tabs.currentWidget() is again.cross_checking.conflicts
    qtbot.waitUntil(lambda: abs(again.cross_checking.dock.height() - kept) <= 8)

    # Closed by the person, it stays closed on the next start.
    again.cross_checking.dock.close()
    again.close()
    third = MainWindow(catalog, settings)
    qtbot.addWidget(third)
    third.show()
    qtbot.waitExposed(third)
    third.cross_checking.restore()  # what its timer runs, called here to be sure it ran
    assert not third.cross_checking.built


def test_a_damaged_dock_setting_is_ignored(qtbot, catalog, settings):
    settings.setValue("crossChecking/open", "true")
    settings.setValue("crossChecking/tab", "77")
    settings.setValue("crossChecking/height", "-5")
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.cross_checking.built and window.cross_checking.dock.isVisible())
    assert window.cross_checking.tabs.currentIndex() == 0
    assert window.cross_checking.dock.height() > 80
