"""The left pane, one column from top to bottom: the overlap filter (when one is set), a
box that filters the values, the facets as one tree of collapsible sections, the years,
and 'Clear all filters'.

The facets scroll in their tree (`gui/facet_tree.py`), the one scrolling area of the
pane; the years and 'Clear all filters' sit below it, outside the scrolling, so they
are on screen however many sections are open (calibre keeps its tag browser's buttons
below the tree the same way). The Years section opens and closes like the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.facets import COUNTED, FACET
from defectors_catalog.domain.query.engine import FacetValue, Query, QueryResult
from defectors_catalog.gui.facet_tree import Badge, FacetTreeModel, FacetTreeView, badge_size
from defectors_catalog.gui.facets import FacetModel
from defectors_catalog.gui.plain_text import plain_label
from defectors_catalog.gui.year_range import YearRange

logger = logging.getLogger(__name__)

YEARS = "year"  # the Years section's key in `section_state()`
# Sections open at first; the others are a click away (and remembered once changed).
OPEN_AT_FIRST = frozenset({"sources", "reliability", "country", "category", "warnings", YEARS})


class FilterPanel(QWidget):
    """Holds a FacetModel per facet (`models`), the tree that shows them, the year range
    (`years`) and the overlap filter. `changed` when a selection moves (live while the
    years are dragged); `settled` once per act, for an undo history."""

    changed = Signal()
    settled = Signal()

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.setAccessibleName("Filters")
        self.setMinimumWidth(180)
        first = catalog.engine.run(Query())
        self.models: dict[str, FacetModel] = {}
        self.tree_model = FacetTreeModel()
        for spec in COUNTED:
            values = list(first.facets[spec.key])
            tooltips: dict[str, str] = {}
            badges: dict[str, Badge] = {}
            if spec.key == "sources":
                sources = [catalog.source(v.value) for v in values]
                values = [
                    FacetValue(v.value, s.title, v.count)
                    for v, s in zip(values, sources, strict=True)
                ]
                badges = {s.id: Badge(s.label, s.colour) for s in sources}
                tooltips = {
                    s.id: f"{s.title} ({s.reliability.value}; badge {s.label})\n{s.description}"
                    for s in sources
                }
            model = FacetModel(values, self.palette())
            model.checkedChanged.connect(self._acted)
            self.models[spec.key] = model
            self.tree_model.add_section(spec.key, spec.title, model, spec.rows, tooltips, badges)

        self.filter_box = ValueFilterBox()
        self.filter_box.setPlaceholderText("Filter values\u2026")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter the values")
        self.filter_box.setAccessibleDescription(
            "Shows only the values whose name contains this text, ignoring case and accents"
        )
        self.filter_box.textChanged.connect(self._filter_values)
        self._before_filtering: dict[str, bool] | None = None
        self.no_match = plain_label(wrap=True)
        self.no_match.setAccessibleName("No value matches the filter")
        self.no_match.setEnabled(False)  # drawn muted, in any palette
        self.no_match.hide()

        self.tree = FacetTreeView(self.tree_model)
        self.filter_box.down.connect(self._into_tree)
        labels = [badge.label for badge in self._badges(catalog, first)]
        if labels:  # every badge drawn at the widest one's size, so the titles line up
            self.tree.setIconSize(badge_size(labels))
        self.tree.fit_counts(first.total)
        self.tree.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # However short the window, a few values stay in sight above the years.
        self.tree.setMinimumHeight(self.tree.fontMetrics().height() * 6)

        self.years = YearRange(catalog.engine.year_min, catalog.engine.year_max)
        self.years.setAccessibleName("Year range")
        self.years.rangeChanged.connect(self.changed)
        self.years.rangeSettled.connect(self.settled)
        self.years.rangeChanged.connect(self._show_years_title)
        # Not a checkable button: a checked one is drawn pressed, not like a section title.
        self.years_open = True
        self.years_toggle = QToolButton()
        self.years_toggle.setAutoRaise(True)
        self.years_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.years_toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.years_toggle.setAccessibleDescription("Opens or closes the year range")
        self.years_toggle.clicked.connect(lambda: self._open_years(not self.years_open))
        font = self.years_toggle.font()
        font.setBold(True)
        self.years_toggle.setFont(font)

        # Set from the sources overview: listed by all of `in_all`, by none of `in_none`.
        self.overlap: tuple[frozenset[str], frozenset[str], str] = (frozenset(), frozenset(), "")
        self.overlap_box = QGroupBox("Overlap between sources")
        overlap_row = QHBoxLayout(self.overlap_box)
        self.overlap_label = QLabel()
        self.overlap_label.setTextFormat(Qt.TextFormat.PlainText)
        self.overlap_label.setWordWrap(True)
        overlap_clear = QPushButton("Clear")
        overlap_clear.setAccessibleName("Clear the overlap filter")
        overlap_clear.clicked.connect(lambda: self.set_overlap(frozenset(), frozenset(), ""))
        overlap_row.addWidget(self.overlap_label, 1)
        overlap_row.addWidget(overlap_clear)
        self.overlap_box.setVisible(False)

        self.clear_button = QPushButton("Clear all filters")
        self.clear_button.setAccessibleName("Clear all filters")
        self.clear_button.setToolTip("Clear the search, every ticked value and the years (Esc)")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overlap_box)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.no_match)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.years_toggle)
        layout.addWidget(self.years)
        layout.addWidget(self.clear_button)
        self.setTabOrder(self.filter_box, self.tree)
        self.setTabOrder(self.tree, self.years_toggle)
        self.setTabOrder(self.years_toggle, self.years.from_box)
        self.setTabOrder(self.years.from_box, self.years.to_box)
        self.setTabOrder(self.years.to_box, self.clear_button)
        self.restore_sections({})
        self._show_years_title()
        self.update_counts(first)

    @staticmethod
    def _badges(catalog: Catalog, first: QueryResult) -> list[Badge]:
        specs = [catalog.source(v.value) for v in first.facets["sources"]]
        return [Badge(s.label, s.colour) for s in specs]

    # -- the window's API ----------------------------------------------------------------

    def apply_to(self, query: Query) -> Query:
        """`query` with this panel's selections."""
        year_from, year_to = self.years.bounds()
        return replace(
            query,
            selections={facet: frozenset(model.checked) for facet, model in self.models.items()},
            in_all=self.overlap[0],
            in_none=self.overlap[1],
            year_from=year_from,
            year_to=year_to,
        )

    def add_above(self, widget: QWidget) -> None:
        """Place `widget` at the top of the pane, before the filters in the Tab order
        (the window's saved searches)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)
        self.setTabOrder(widget, self.filter_box)

    def update_counts(self, result: QueryResult) -> None:
        for facet, model in self.models.items():
            new = [v for v in result.facets[facet] if v.value not in model.known]
            if new:  # a tag the person just gave: its section grows, nothing moves
                model.add_values(new)
                self.tree_model.grow_section(facet)
            model.set_counts(result.facets[facet])
        self.years.histogram.set_counts(result.years, result.year_counts)

    def clear(self) -> None:
        """Untick everything and reset the years, with a single `changed`."""
        self._quietly(lambda: self._restore({}))
        self._acted()

    def set_checked(self, facet: str, values: Iterable[str]) -> None:
        """Tick exactly `values` of `facet`: one `changed` if that changes anything."""
        model = self.models[facet]
        before = set(model.checked)
        model.set_checked(set(values), notify=False)
        if model.checked != before:
            self._acted()

    def untick(self, facet: str, value: str) -> None:
        self.set_checked(facet, self.models[facet].checked - {value})

    def set_years(self, start: int | None, end: int | None) -> None:
        """Set the year range (None: no limit) with one `changed` if it moves."""
        self.years.set_range(start, end)

    def set_overlap(self, in_all: frozenset[str], in_none: frozenset[str], label: str) -> None:
        """Show only records listed by every source in `in_all` and by none in `in_none`."""
        self._set_overlap(in_all, in_none, label)
        self._acted()

    def state(self) -> dict[str, list[str]]:
        """Every selection as lists of strings (saved as JSON; `restore` gives it back)."""
        selections = {facet: sorted(model.checked) for facet, model in self.models.items()}
        year_from, year_to = self.years.bounds()
        selections["years"] = [str(year_from or ""), str(year_to or "")]
        in_all, in_none, label = self.overlap
        if in_all or in_none:
            selections["overlap_all"] = sorted(in_all)
            selections["overlap_none"] = sorted(in_none)
            selections["overlap_label"] = [label]
        return selections

    def restore(self, state: dict[str, list[str]]) -> None:
        """Make the selections exactly `state` (what is not in it is cleared), without
        emitting `changed`: the caller refreshes once."""
        self._quietly(lambda: self._restore(state))

    def section_state(self) -> dict[str, bool]:
        """Which sections are open, by facet key (and `YEARS`), for the window's settings.
        While values are filtered, the facets' sections as they were before (filtering
        opens the sections with a match, and clearing the filter closes them again)."""
        state = self._before_filtering or self._open_facets()
        return {**state, YEARS: self.years_open}

    def restore_sections(self, state: Mapping[str, object]) -> None:
        """Open and close sections as saved; a section not named, or saved as anything
        but true or false (settings are read from disk), gets its default."""
        wanted = {key: _open_or(state, key) for key in self.tree_model.section_keys()}
        if self._before_filtering is not None:
            self._before_filtering = wanted  # shown once the filter is cleared
        else:
            for key, open_ in wanted.items():
                self.tree.setExpanded(self.tree_model.section_index(key), open_)
        self._open_years(_open_or(state, YEARS))

    def view_state(self) -> SidebarView:
        """How the sidebar looks (not what it selects), to carry over a rebuild."""
        keys = self.tree_model.section_keys()
        show_all = frozenset(k for k in keys if self.tree_model.shows_all(k))
        return SidebarView(
            self.section_state(), show_all, self.filter_box.text(),
            self.tree.verticalScrollBar().value(),
        )  # fmt: skip

    def restore_view(self, view: SidebarView) -> None:
        """Give the sidebar the look of `view`: open sections, "Show all", the value
        filter and where it was scrolled to. Emits nothing."""
        for key in self.tree_model.section_keys():
            self.tree_model.set_show_all(key, key in view.show_all)
        self.filter_box.setText(view.filter_text)
        self.restore_sections(view.sections)
        self.tree.doItemsLayout()  # the scroll range of the rows as they are now
        self.tree.verticalScrollBar().setValue(view.scroll)

    def _open_facets(self) -> dict[str, bool]:
        return {
            key: self.tree.isExpanded(self.tree_model.section_index(key))
            for key in self.tree_model.section_keys()
        }

    # -- inside --------------------------------------------------------------------------

    def _acted(self) -> None:
        self.changed.emit()
        self.settled.emit()

    def _quietly(self, act: Callable[[], None]) -> None:
        self.blockSignals(True)
        try:
            act()
        finally:
            self.blockSignals(False)

    def _restore(self, state: dict[str, list[str]]) -> None:
        for facet, model in self.models.items():
            model.set_checked(set(state.get(facet, [])), notify=False)
        self.years.set_range(*_saved_years(state.get("years", []), self.years))
        # Only sources this catalog still has: one removed since would match nothing.
        known = set(self.models["sources"].values)
        in_all = frozenset(state.get("overlap_all", [])) & known
        in_none = frozenset(state.get("overlap_none", [])) & known
        label = (state.get("overlap_label") or [""])[0] if in_all or in_none else ""
        self._set_overlap(in_all, in_none, label)

    def _set_overlap(self, in_all: frozenset[str], in_none: frozenset[str], label: str) -> None:
        self.overlap = (in_all, in_none, label)
        self.overlap_label.setText(label)
        self.overlap_box.setVisible(bool(in_all or in_none))

    def _filter_values(self, text: str) -> None:
        filtering = bool(text.strip())
        if filtering and self._before_filtering is None:
            self._before_filtering = self._open_facets()
        self.tree_model.set_filter_text(text)
        self._filter_shows_matches()
        if not filtering and self._before_filtering is not None:
            before, self._before_filtering = self._before_filtering, None
            for key, open_ in before.items():
                self.tree.setExpanded(self.tree_model.section_index(key), open_)

    def _filter_shows_matches(self) -> None:
        """While filtering, a section without a match is hidden and the others open."""
        text = self.filter_box.text().strip()
        matched = False
        for key in self.tree_model.section_keys():
            index = self.tree_model.section_index(key)
            empty = bool(text) and not self.tree_model.shown_values(key)
            matched |= not empty
            self.tree.setRowHidden(index.row(), index.parent(), empty)
            if text and not empty and not self.tree.isExpanded(index):
                self.tree.expand(index)
        self.no_match.setText(f"No value contains \u201c{text}\u201d")
        self.no_match.setVisible(bool(text) and not matched)

    def _into_tree(self) -> None:
        """Down from the filter box: to the first value shown."""
        self.tree.setFocus(Qt.FocusReason.TabFocusReason)
        for key in self.tree_model.section_keys():
            section = self.tree_model.section_index(key)
            if not self.tree.isRowHidden(section.row(), section.parent()):
                first = self.tree_model.index(0, 0, section)
                self.tree.setCurrentIndex(first if first.isValid() else section)
                return

    def _open_years(self, open_: bool) -> None:
        self.years_open = open_
        self.years.setVisible(open_)
        self.years_toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.years_toggle.setAccessibleName(f"Years section, {'open' if open_ else 'closed'}")

    def _show_years_title(self) -> None:
        start, end = self.years.bounds()
        title = FACET[YEARS].title
        if start is not None or end is not None:
            title += f"  {start or self.years.first}\u2013{end or self.years.last}"
        self.years_toggle.setText(title)


def _open_or(state: Mapping[str, object], key: str) -> bool:
    value = state.get(key)
    if isinstance(value, bool):
        return value
    if value is not None:
        logger.warning("ignored the saved state of the %s section: %r", key, value)
    return key in OPEN_AT_FIRST


@dataclass(frozen=True)
class SidebarView:
    """The sidebar's look: which sections are open, which show all their values, the
    value filter's text and the tree's scroll position."""

    sections: dict[str, bool]
    show_all: frozenset[str]
    filter_text: str
    scroll: int


class ValueFilterBox(QLineEdit):
    """The "Filter values…" box: Esc empties it (before the window's Esc clears every
    filter), Down goes to the values (`down`)."""

    down = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        # The window makes its shortcuts win over line edits (an event filter that lets
        # Esc clear every filter); the filter installed last runs first, so installing
        # this one again on each focus keeps Esc for the box while it holds text.
        self.removeEventFilter(self)
        self.installEventFilter(self)
        super().focusInEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.text()
        ):
            event.accept()  # an accepted override: the key comes to the box, not the window
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        super().keyPressEvent(event)


def _saved_years(saved: Sequence[str], years: YearRange) -> tuple[int | None, int | None]:
    """The saved (from, to) if this catalog can show it: an end that is not a year of
    the catalog's span is no limit, and a range ending before it starts is none at all
    (a range of `99999999999999999999` would overflow the year boxes; an inverted one
    would open with no rows). What is ignored is logged."""
    ends: list[int | None] = []
    for text in [*saved, "", ""][:2]:
        try:
            year = int(text) if text else None
        except ValueError:
            year = None
            logger.warning("ignored a saved year %r: not a number", text)
        if year is not None and not years.first <= year <= years.last:
            logger.warning("ignored a saved year %s: outside %d-%d", year, years.first, years.last)
            year = None
        ends.append(year)
    start, end = ends
    if start is not None and end is not None and start > end:
        logger.warning("ignored the saved years %d-%d: they end before they start", start, end)
        return None, None
    return start, end
