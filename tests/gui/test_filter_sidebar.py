"""The filter sidebar on the real seeds, driven as a person would: one scrolling tree of
sections, "Show all" and the value filter, labels never cut, remembered sections, the
badge legend, live years, the keyboard, and the API the window's chips and undo use."""

from __future__ import annotations

from defectors_catalog.domain.query.engine import Query
from defectors_catalog.gui.facet_tree import BadgeRole, RowKindRole
from defectors_catalog.gui.facets import FacetValueRole
from defectors_catalog.gui.filter_panel import FilterPanel
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QStyle,
    QStyleOptionViewItem,
)

from tests.gui.conftest import click_row, tick


def panel_of(qtbot, catalog) -> FilterPanel:
    panel = FilterPanel(catalog)
    qtbot.addWidget(panel)
    panel.resize(280, 900)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def emissions(signal) -> list[int]:
    seen: list[int] = []
    signal.connect(lambda *_: seen.append(1))
    return seen


def drag_move(widget, x: float) -> None:
    """A mouse move with the left button held (qtbot.mouseMove carries no buttons)."""
    point = QPointF(x, widget.height() / 2)
    event = QMouseEvent(
        QEvent.Type.MouseMove, point, widget.mapToGlobal(point),
        Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def histogram_x(histogram, year: int) -> int:
    width = histogram.width() / (histogram.last - histogram.first + 1)
    return int((year - histogram.first + 0.5) * width)


def test_the_tree_model_passes_the_model_tester_through_every_change(qtbot, qtmodeltester, catalog):
    panel = panel_of(qtbot, catalog)
    model = panel.tree_model
    qtmodeltester.check(model)
    panel.filter_box.setText("hung")
    model.set_show_all("country", True)
    panel.filter_box.setText("")
    panel.set_checked("destination", {"Austria", "Canada"})
    model.set_show_all("country", False)
    panel.update_counts(catalog.engine.run(Query(text="politburo")))
    panel.untick("destination", "Canada")
    panel.clear()
    qtmodeltester.check(model)
    assert len(model.shown_values("destination")) == 8
    assert model.more_index("destination").data() == "Show all 28 values (20 more)\u2026"


def test_the_sidebar_is_one_scrolling_column_that_the_wheel_scrolls(qtbot, window):
    panel = window.filters
    scrolling = [w for w in panel.findChildren(QAbstractScrollArea) if w.isVisible()]
    assert scrolling == [panel.tree]
    panel.restore_sections(dict.fromkeys(panel.section_state(), True))
    window.resize(1024, 700)
    bar = panel.tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    viewport = panel.tree.viewport()
    centre = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        centre, viewport.mapToGlobal(centre), QPoint(), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(viewport, wheel)
    assert bar.value() > 0
    # The years and "Clear all filters" stay on screen below the scrolling tree.
    for widget in (panel.years.from_box, panel.years.to_box, panel.clear_button):
        assert widget.isVisible()
        bottom = widget.mapTo(panel, QPoint(0, widget.height()))
        assert bottom.y() <= panel.height()


def test_a_long_facet_shows_its_top_values_then_all(qtbot, window):
    panel, model = window.filters, window.filters.tree_model
    category = panel.models["category"]
    counts = dict(zip(category.values, category.counts, strict=True))
    shown = model.shown_values("category")
    assert len(shown) == 8 < len(category.values) == 13
    hidden = set(category.values) - set(shown)
    assert max(counts[v] for v in hidden) <= min(counts[v] for v in shown)
    more = model.more_index("category")
    assert more.data() == "Show all 13 values (5 more)\u2026"
    assert more.data(RowKindRole) == "more"
    click_row(qtbot, panel.tree, more)
    assert model.shown_values("category") == category.values
    assert model.more_index("category").data() == "Show fewer"
    click_row(qtbot, panel.tree, model.more_index("category"))
    assert model.shown_values("category") == shown


def test_a_ticked_value_stays_in_sight(qtbot, window):
    panel, model = window.filters, window.filters.tree_model
    country = panel.models["country"]
    hidden = next(v for v in country.values if v not in model.shown_values("country"))
    tick(qtbot, window, "country", hidden)  # through "Show all"
    click_row(qtbot, panel.tree, model.more_index("country"))  # "Show fewer"
    assert hidden in model.shown_values("country")
    assert len(model.shown_values("country")) == 11
    assert window.records.model.rowCount() == country.counts[country.values.index(hidden)]


def test_the_filter_box_keeps_matching_values_and_ticked_ones(qtbot, window):
    panel, model = window.filters, window.filters.tree_model
    tick(qtbot, window, "country", "Russia")
    qtbot.keyClicks(panel.filter_box, "H\u00dcNG")  # case and accents set aside
    assert model.shown_values("country") == ["Austria-Hungary", "Hungary", "Russia"]
    assert model.more_index("country").isValid() is False
    # A section with no match is out of the way; the others are open.
    reliability = model.section_index("reliability")
    assert panel.tree.isRowHidden(reliability.row(), reliability.parent())
    assert panel.tree.isExpanded(model.section_index("country"))
    # The closed Destination section opens for its matches, and closes again after.
    destination = model.section_index("destination")
    assert model.shown_values("destination") == []
    assert panel.tree.isRowHidden(destination.row(), destination.parent())
    panel.filter_box.setText("aus")
    assert model.shown_values("destination") == ["Australia", "Austria"]
    assert panel.tree.isExpanded(destination) and not panel.section_state()["destination"]
    panel.filter_box.clear()
    assert not panel.tree.isExpanded(destination)
    assert len(model.shown_values("country")) == 10
    assert not panel.tree.isRowHidden(reliability.row(), reliability.parent())
    assert window.records.model.rowCount() == 49  # filtering values ticks nothing
    panel.untick("country", "Russia")
    panel.filter_box.setText("<b>zz")
    assert panel.no_match.isVisible()
    assert panel.no_match.text() == "No value contains \u201c<b>zz\u201d"
    panel.filter_box.clear()
    assert not panel.no_match.isVisible()


def test_the_longest_label_and_its_count_show_whole_at_200_px(qtbot, window):
    panel, tree = window.filters, window.filters.tree
    window.resize(1024, 700)
    for width in (280, 200):
        window.panes.outer.setSizes([width, 824 - width])
        qtbot.waitUntil(lambda width=width: panel.width() == width)
        qtbot.waitUntil(lambda: tree.header().sectionSize(0) < tree.viewport().width())
        label = "Politics, diplomacy & public office"
        category = panel.models["category"]
        value = category.values[category.labels.index(label)]
        index = tree.model().value_index("category", value)
        count = index.siblingAtColumn(1)
        assert count.data() == "11"

        def in_sight(index=index, count=count) -> bool:
            # Again once the rows are laid out for the new width.
            tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            return bool(tree.viewport().rect().contains(tree.visualRect(count)))

        qtbot.waitUntil(in_sight)
        count_rect = tree.visualRect(count)
        assert tree.fontMetrics().horizontalAdvance("11") < count_rect.width()
        # The label's text, where the style paints it, holds every word on its lines.
        option = QStyleOptionViewItem()
        tree.itemDelegate().initStyleOption(option, index)
        option.rect = tree.visualRect(index)
        text = tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, tree)
        metrics = tree.fontMetrics()
        needed = metrics.boundingRect(
            QRect(0, 0, text.width(), 10_000), Qt.TextFlag.TextWordWrap, label
        )
        assert needed.height() <= text.height(), (width, needed, text)
        assert max(metrics.horizontalAdvance(word) for word in label.split()) <= text.width()


def test_sections_remember_whether_they_are_open(qtbot, catalog):
    panel = panel_of(qtbot, catalog)
    state = panel.section_state()
    assert state["country"] and not state["destination"] and state["year"]
    tree, model = panel.tree, panel.tree_model
    tree.setFocus()
    tree.setCurrentIndex(model.section_index("country"))
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    assert not panel.section_state()["country"]
    panel.restore_sections({"country": False, "destination": True, "year": False})
    saved = panel.section_state()
    assert not saved["country"] and saved["destination"] and not saved["year"]
    assert not panel.years.isVisible()
    again = panel_of(qtbot, catalog)
    again.restore_sections(saved)
    assert again.section_state() == saved
    assert not again.years.isVisible()
    qtbot.mouseClick(again.years_toggle, Qt.MouseButton.LeftButton)
    assert again.years.isVisible() and again.section_state()["year"]


def test_the_sources_section_is_the_badge_legend(qtbot, window):
    model = window.filters.tree_model
    section = model.section_index("sources")
    rows = [model.index(row, 0, section) for row in range(model.rowCount(section))]
    sources = [window.catalog.source(index.data(FacetValueRole)) for index in rows]
    assert [index.data(BadgeRole) for index in rows] == ["WP", "WP-25", "Fan"]
    assert [index.data() for index in rows] == [s.title for s in sources]
    for index, source in zip(rows, sources, strict=True):
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        image = icon.pixmap(window.filters.tree.iconSize()).toImage()
        assert image.pixelColor(3, image.height() // 2) == QColor(source.colour)
        assert f"badge {source.label}" in index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_years_follow_a_drag_on_the_histogram_and_apply_live(qtbot, window):
    years = window.filters.years
    histogram = years.histogram
    qtbot.mousePress(
        histogram, Qt.MouseButton.LeftButton, pos=QPoint(histogram_x(histogram, 1950), 10)
    )
    drag_move(histogram, histogram_x(histogram, 1955))
    assert (years.from_box.value(), years.to_box.value()) == (1950, 1955)
    drag_move(histogram, histogram_x(histogram, 1959))
    assert (years.from_box.value(), years.to_box.value()) == (1950, 1959)
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 29)  # before the release
    settled = emissions(window.filters.settled)
    qtbot.mouseRelease(
        histogram, Qt.MouseButton.LeftButton, pos=QPoint(histogram_x(histogram, 1959), 10)
    )
    assert years.bounds() == (1950, 1959) and len(settled) == 1
    assert window.filters.years_toggle.text() == "Years  1950\u20131959"


def test_typed_years_show_at_once_and_apply_after_a_pause(qtbot, window):
    years = window.filters.years
    changed = emissions(window.filters.changed)
    box = years.to_box
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "1959")
    assert box.value() == 1959 and years.histogram.span == (1924, 1959)
    qtbot.waitUntil(lambda: window.records.model.rowCount() < 185)
    assert len(changed) == 1 and years.bounds() == (None, 1959)
    # A "from" typed past "to" moves "to" along, not leaving an empty range.
    years.from_box.lineEdit().selectAll()
    qtbot.keyClicks(years.from_box, "1970")
    qtbot.waitUntil(lambda: len(changed) == 2)
    assert years.bounds() == (1970, 1970)


def test_the_keyboard_moves_ticks_closes_and_opens(qtbot, window):
    tree, model = window.filters.tree, window.filters.tree_model
    tree.setFocus()
    sources = model.section_index("sources")
    tree.setCurrentIndex(sources)
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().parent() == sources and tree.currentIndex().row() == 0
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert window.filters.models["sources"].checked == {"wikipedia-scrape"}
    assert window.records.model.rowCount() == 49
    assert model.data(sources) == "Sources \u00b7 1 ticked"
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # to the section
    assert tree.currentIndex() == sources
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # closes it
    assert not tree.isExpanded(sources)
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    assert tree.isExpanded(sources)
    qtbot.keyClick(tree, Qt.Key.Key_Space)  # Space on a section opens and closes it too
    assert not tree.isExpanded(sources)
    assert tree.accessibleName() and tree.accessibleDescription()
    assert window.filters.filter_box.accessibleName()


def test_chips_and_undo_api_emit_once_and_restore_is_exact_and_quiet(qtbot, window):
    panel = window.filters
    changed = emissions(panel.changed)
    panel.set_checked("country", {"Hungary", "Poland"})
    assert len(changed) == 1 and window.records.model.rowCount() == 34
    panel.untick("country", "Poland")
    panel.set_years(1950, 1959)
    assert len(changed) == 3 and window.records.model.rowCount() == 15
    panel.set_checked("country", {"Hungary"})  # no change, no signal
    assert len(changed) == 3
    saved = panel.state()
    panel.set_overlap(frozenset({"wikipedia"}), frozenset({"fandom"}), "Only in WP")
    panel.restore(saved)
    assert len(changed) == 4  # restore emits nothing
    assert panel.state() == saved and not panel.overlap_box.isVisibleTo(panel)
    panel.restore({})
    assert panel.state() == FilterPanel(window.catalog).state()


def test_the_timeline_keeps_its_last_label_and_counts_a_drag(qtbot, catalog, settings):
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    window.cross_checking.open(0)
    panel = window.cross_checking.timeline
    chart = panel.chart
    qtbot.waitUntil(lambda: chart.isVisible() and sum(chart.confirmed) == 165)
    labels = chart.axis_labels()
    assert labels[-1][1] == "1990"
    for left, label in labels:
        assert left >= 0 and left + chart.fontMetrics().horizontalAdvance(label) <= chart.width()
    y = chart.height() // 2
    qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(chart.x_of(1950)), y))
    drag_move(chart, chart.x_of(1959))
    assert panel.caption.text().endswith("\u00b7 29 in 1950\u20131959")
    qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(chart.x_of(1959)), y))
    qtbot.waitUntil(lambda: window.filters.years.bounds() == (1950, 1959))
    assert panel.caption.text().startswith("185 records")
    assert panel.caption.text().endswith("\u00b7 29 in 1950\u20131959")


def test_esc_empties_the_filter_box_first_and_down_goes_to_the_values(qtbot, window):
    panel = window.filters
    panel.set_checked("country", {"Hungary"})
    box = panel.filter_box
    box.setFocus()
    qtbot.keyClicks(box, "pol")
    assert panel.tree_model.shown_values("country") == ["Hungary", "Poland"]
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert panel.tree.hasFocus() or QApplication.focusWidget() is panel.tree
    first = panel.tree.currentIndex()
    assert first.parent() == panel.tree_model.section_index("country") and first.row() == 0
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and panel.models["country"].checked == {"Hungary"}
    assert window.records.model.rowCount() == 22


def test_the_sidebar_looks_the_same_in_a_new_panel(qtbot, catalog):
    """What a rebuild (adding a source) carries over: open sections, "Show all", the
    value filter and the scroll position."""
    panel = panel_of(qtbot, catalog)
    panel.resize(280, 400)
    panel.tree_model.set_show_all("country", True)
    panel.restore_sections({"destination": True})
    bar = panel.tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100)
    bar.setValue(100)
    view = panel.view_state()
    again = panel_of(qtbot, catalog)
    again.resize(280, 400)
    changed = emissions(again.changed)
    again.restore_view(view)
    assert again.view_state() == view and changed == []
    assert again.tree.verticalScrollBar().value() == 100
    assert len(again.tree_model.shown_values("country")) == 20


def test_a_damaged_saved_section_state_gives_the_defaults(qtbot, catalog, caplog):
    panel = panel_of(qtbot, catalog)
    defaults = panel.section_state()
    panel.restore_sections({"country": "false", "destination": 1, "sources": False})
    state = panel.section_state()
    assert state == {**defaults, "sources": False}
    assert "ignored the saved state of the country section" in caplog.text


def test_the_window_opens_its_sections_as_they_were(qtbot, catalog, settings):
    first = MainWindow(catalog, settings)
    qtbot.addWidget(first)
    first.filters.restore_sections({"country": False, "destination": True, "year": False})
    first.save_settings()
    second = MainWindow(catalog, settings)
    qtbot.addWidget(second)
    assert second.filters.section_state() == first.filters.section_state()
    settings.setValue("filters/sections", "{not json")
    third = MainWindow(catalog, settings)
    qtbot.addWidget(third)
    assert third.filters.section_state()["country"] and third.records.model.rowCount() == 185
