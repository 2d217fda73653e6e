"""The cross-checking dock: timeline, sources overview, conflicts and near-duplicates.

`CrossChecking(host)` makes one dock, placed at the bottom of the window, with a tab per
view, and View-menu entries that open each tab. The timeline follows the window's current
search and filters; clicks in the views set the window's filters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, QTimer, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QTabWidget

from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.output.overview import OverlapCount, reliability_by_year
from defectors_catalog.domain.query.table import IntArray
from defectors_catalog.gui.host import Host

if TYPE_CHECKING:
    from defectors_catalog.gui.conflicts_view import ConflictsView
    from defectors_catalog.gui.detail_panel import DetailPanel
    from defectors_catalog.gui.filter_panel import FilterPanel
    from defectors_catalog.gui.query_runner import QueryRunner
    from defectors_catalog.gui.record_table import RecordTable
    from defectors_catalog.gui.sources_overview import SourcesOverview
    from defectors_catalog.gui.timeline import TimelinePanel

logger = logging.getLogger(__name__)


class CrossCheckingHost(Host, Protocol):
    """Beyond what every controller gets: the panes the views drive (clicks set the
    filters, select a record, show its details), the query runner the timeline counts
    on, the signal after each new result, and a place for the dock."""

    @property
    def filters(self) -> FilterPanel: ...

    @property
    def records(self) -> RecordTable: ...

    @property
    def detail(self) -> DetailPanel: ...

    @property
    def runner(self) -> QueryRunner: ...

    @property
    def resultChanged(self) -> SignalInstance: ...

    def place_dock(self, dock: QDockWidget) -> None: ...


@dataclass
class _Views:
    timeline: TimelinePanel
    overview: SourcesOverview
    conflicts: ConflictsView
    tabs: QTabWidget
    dock: QDockWidget


class CrossChecking:
    """Owns the dock and its three views, wired to `host`.

    The views are built the first time something asks for them (a View-menu entry, a
    shortcut): the conflicts view walks every record, and building it with the window
    would delay the first paint and cost seconds at a million records.
    """

    def __init__(self, host: CrossCheckingHost, decisions: DecisionStore | None = None) -> None:
        self.host = host
        self._decisions = decisions  # None for a window shown without a session
        self._views: _Views | None = None
        self.actions: list[QAction] = []
        for index, (text, shortcut) in enumerate(
            (
                ("&Timeline", "Ctrl+1"),
                ("&Sources overview", "Ctrl+2"),
                ("Con&flicts and duplicates", "Ctrl+3"),
            )
        ):
            action = QAction(text, host.dialog_parent())
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, i=index: self.open(i))
            host.dialog_parent().addAction(action)
            self.actions.append(action)

    @property
    def built(self) -> bool:
        return self._views is not None

    @property
    def timeline(self) -> TimelinePanel:
        return self._build().timeline

    @property
    def overview(self) -> SourcesOverview:
        return self._build().overview

    @property
    def conflicts(self) -> ConflictsView:
        return self._build().conflicts

    @property
    def tabs(self) -> QTabWidget:
        return self._build().tabs

    @property
    def dock(self) -> QDockWidget:
        return self._build().dock

    def current_tab(self) -> int:
        return self._views.tabs.currentIndex() if self._views is not None else 0

    def _build(self) -> _Views:
        if self._views is not None:
            return self._views
        # Imported here, with the views: none of them is needed to open the window.
        from defectors_catalog.gui.conflicts_view import ConflictsView
        from defectors_catalog.gui.sources_overview import SourcesOverview
        from defectors_catalog.gui.timeline import TimelinePanel

        host = self.host
        engine = host.catalog.engine
        views = _Views(
            timeline=TimelinePanel(engine.year_min, engine.year_max),
            overview=SourcesOverview(host.catalog),
            conflicts=ConflictsView(host.catalog),
            tabs=QTabWidget(),
            dock=QDockWidget("Cross-checking", host.dialog_parent()),
        )
        self._views = views
        views.tabs.addTab(views.timeline, "Timeline")
        views.tabs.addTab(views.overview, "Sources overview")
        views.tabs.addTab(views.conflicts, "Conflicts and duplicates")
        views.dock.setObjectName("crossCheckingDock")
        views.dock.setWidget(views.tabs)
        views.dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea
        )
        host.place_dock(views.dock)
        views.dock.hide()
        if self._decisions is not None:
            views.conflicts.set_store(self._decisions)
            views.conflicts.decisionsChanged.connect(self._decisions_changed)

        views.timeline.chart.spanDragged.connect(host.filters.years.set_range)
        views.overview.overlapChosen.connect(self.show_overlap)
        views.conflicts.recordChosen.connect(self.show_record)
        host.resultChanged.connect(self.update_timeline)
        views.dock.visibilityChanged.connect(self._visibility_changed)
        return views

    def _decisions_changed(self) -> None:
        """Rebuild the catalog so a "same person" decision merges the pair (and an undo
        splits it again), then come back to this tab of the new window."""
        tab = self.current_tab()
        logger.info("a duplicate decision changed: rebuilding")
        host = self.host
        # After the click has been handled: the rebuild replaces this window.
        QTimer.singleShot(0, lambda: host.request_rebuild(lambda new: new.open_cross_checking(tab)))

    def _visibility_changed(self, visible: bool) -> None:
        if visible:
            self.update_timeline()

    def add_to_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        for action in self.actions:
            menu.addAction(action)

    def open(self, tab: int) -> None:
        self.dock.show()
        self.dock.raise_()
        self.tabs.setCurrentIndex(tab)
        self.update_timeline()

    def update_timeline(self) -> None:
        """Bars for the current search and filters over all years; the range is shaded."""
        if self._views is None or not self._views.dock.isVisible():
            return
        host = self.host
        engine = host.catalog.engine
        query = replace(host.query, year_from=None, year_to=None)

        def count() -> tuple[IntArray, IntArray]:
            result = engine.run(query)
            return reliability_by_year(
                engine.table, result.positions, engine.year_min, engine.year_max
            )

        def show(counts: tuple[IntArray, IntArray]) -> None:
            start, end = host.filters.years.bounds()
            self.timeline.set_counts(*counts, (start or engine.year_min, end or engine.year_max))

        host.runner.submit("timeline", count, show)

    def show_overlap(self, count: OverlapCount) -> None:
        """Show exactly the records of an overlap count: other source filters are cleared."""
        filters = self.host.filters
        filters.blockSignals(True)
        filters.models["sources"].set_checked(set(), notify=False)
        filters.models["listed_in"].set_checked(set(count.listed_in), notify=False)
        filters.blockSignals(False)
        filters.set_overlap(count.in_all, count.in_none, count.label)

    def show_record(self, position: int) -> None:
        """Select a record in the table if it is shown; else show it in the details."""
        if not self.host.records.select_position(position, 1):
            self.host.detail.show_record(position)
