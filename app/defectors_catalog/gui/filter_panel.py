"""The left pane: facets with live counts, the year range, and 'Clear all filters'."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.facets import COUNTED, FACET
from defectors_catalog.domain.query.engine import FacetValue, Query, QueryResult
from defectors_catalog.gui.facets import FacetList, FacetModel
from defectors_catalog.gui.year_range import YearRange

logger = logging.getLogger(__name__)


class FilterPanel(QScrollArea):
    """Holds a FacetModel per facet and the year range; `changed` when any selection moves."""

    changed = Signal()

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setAccessibleName("Filters")
        first = catalog.engine.run(Query())
        self.models: dict[str, FacetModel] = {}
        self.lists: dict[str, FacetList] = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        for spec in COUNTED:
            facet, title = spec.key, spec.title
            values = list(first.facets[facet])
            colours: dict[str, str] = {}
            tooltips: dict[str, str] = {}
            if facet == "sources":
                specs = [catalog.source(v.value) for v in values]
                values = [
                    FacetValue(v.value, s.title, v.count)
                    for v, s in zip(values, specs, strict=True)
                ]
                colours = {s.id: s.colour for s in specs}
                tooltips = {
                    s.id: f"{s.title} ({s.reliability.value}; badge {s.label})\n{s.description}"
                    for s in specs
                }
            model = FacetModel(values, self.palette(), colours, tooltips)
            model.checkedChanged.connect(self.changed)
            facet_list = FacetList(title, model, spec.rows)
            self.models[facet], self.lists[facet] = model, facet_list
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(facet_list)
            layout.addWidget(box)
        self.years = YearRange(catalog.engine.year_min, catalog.engine.year_max)
        self.years.setAccessibleName("Year range")
        self.years.rangeChanged.connect(self.changed)
        years_box = QGroupBox(FACET["year"].title)
        years_layout = QVBoxLayout(years_box)
        years_layout.addWidget(self.years)
        layout.addWidget(years_box)
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
        layout.insertWidget(0, self.overlap_box)
        self.clear_button = QPushButton("Clear all filters")
        self.clear_button.setToolTip("Clear the search, every ticked value and the years (Esc)")
        layout.addWidget(self.clear_button)
        layout.addStretch(1)
        self.setWidget(body)
        self.update_counts(first)

    def apply_to(self, query: Query) -> Query:
        """`query` with this panel's selections."""
        from dataclasses import replace

        year_from, year_to = self.years.bounds()
        return replace(
            query,
            selections={facet: frozenset(model.checked) for facet, model in self.models.items()},
            in_all=self.overlap[0],
            in_none=self.overlap[1],
            year_from=year_from,
            year_to=year_to,
        )

    def update_counts(self, result: QueryResult) -> None:
        for facet, model in self.models.items():
            model.set_counts(result.facets[facet])
        self.years.histogram.set_counts(result.years, result.year_counts)

    def clear(self) -> None:
        """Untick everything and reset the years, with a single `changed`."""
        self.blockSignals(True)
        for model in self.models.values():
            model.set_checked(set(), notify=False)
        self.years.set_range(None, None)
        self.set_overlap(frozenset(), frozenset(), "")
        self.blockSignals(False)
        self.changed.emit()

    def untick(self, facet: str, value: str) -> None:
        """Untick one value (a filter chip's remove), with one `changed`."""
        model = self.models[facet]
        if value in model.checked:
            model.set_checked(model.checked - {value})

    def set_years(self, start: int | None, end: int | None) -> None:
        self.years.set_range(start, end)

    def set_overlap(self, in_all: frozenset[str], in_none: frozenset[str], label: str) -> None:
        """Show only records listed by every source in `in_all` and by none in `in_none`."""
        self.overlap = (in_all, in_none, label)
        self.overlap_label.setText(label)
        self.overlap_box.setVisible(bool(in_all or in_none))
        self.changed.emit()

    def state(self) -> dict[str, list[str]]:
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
        self.blockSignals(True)
        for facet, model in self.models.items():
            model.set_checked(set(state.get(facet, [])), notify=False)
        self.years.set_range(*_saved_years(state.get("years", []), self.years))
        # Only sources this catalog still has: one removed since would match nothing.
        known = set(self.models["sources"].values)
        in_all = frozenset(state.get("overlap_all", [])) & known
        in_none = frozenset(state.get("overlap_none", [])) & known
        label = (state.get("overlap_label") or [""])[0]
        if in_all or in_none:
            self.set_overlap(in_all, in_none, label)
        self.blockSignals(False)


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
