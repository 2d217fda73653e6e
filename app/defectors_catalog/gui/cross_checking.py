"""The cross-checking dock: timeline, sources overview, conflicts and near-duplicates.

`install(window)` adds one dock at the bottom of the main window with a tab per view,
and View-menu entries that open each tab. The timeline follows the window's current
search and filters; clicks in the views set the window's filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QTabWidget

from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.output.overview import OverlapCount, reliability_by_year
from defectors_catalog.domain.query.table import IntArray

if TYPE_CHECKING:
    from defectors_catalog.gui.conflicts_view import ConflictsView
    from defectors_catalog.gui.main_window import MainWindow
    from defectors_catalog.gui.sources_overview import SourcesOverview
    from defectors_catalog.gui.timeline import TimelinePanel


@dataclass
class _Views:
    timeline: TimelinePanel
    overview: SourcesOverview
    conflicts: ConflictsView
    tabs: QTabWidget
    dock: QDockWidget


class CrossChecking:
    """Owns the dock and its three views, wired to `window`.

    The views are built the first time something asks for them (a View-menu entry, a
    shortcut): the conflicts view walks every record, and building it with the window
    would delay the first paint and cost seconds at a million records.
    """

    def __init__(
        self,
        window: MainWindow,
        decisions: DecisionStore | None = None,
        on_decisions: Callable[[], None] | None = None,
    ) -> None:
        self.window = window
        self._decisions = decisions
        self._on_decisions = on_decisions
        self._views: _Views | None = None
        self.actions: list[QAction] = []
        for index, (text, shortcut) in enumerate(
            (
                ("&Timeline", "Ctrl+1"),
                ("&Sources overview", "Ctrl+2"),
                ("Con&flicts and duplicates", "Ctrl+3"),
            )
        ):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, i=index: self.open(i))
            window.addAction(action)
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

        window = self.window
        engine = window.catalog.engine
        views = _Views(
            timeline=TimelinePanel(engine.year_min, engine.year_max),
            overview=SourcesOverview(window.catalog),
            conflicts=ConflictsView(window.catalog),
            tabs=QTabWidget(),
            dock=QDockWidget("Cross-checking", window),
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
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, views.dock)
        views.dock.hide()
        if self._decisions is not None:
            views.conflicts.set_store(self._decisions)
        if self._on_decisions is not None:
            views.conflicts.decisionsChanged.connect(self._on_decisions)

        views.timeline.chart.spanDragged.connect(window.filters.years.set_range)
        views.overview.overlapChosen.connect(self.show_overlap)
        views.conflicts.recordChosen.connect(self.show_record)
        window.resultChanged.connect(self.update_timeline)
        views.dock.visibilityChanged.connect(self._visibility_changed)
        return views

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
        window = self.window
        engine = window.catalog.engine
        query = replace(window.query, year_from=None, year_to=None)

        def count() -> tuple[IntArray, IntArray]:
            result = engine.run(query)
            return reliability_by_year(
                engine.table, result.positions, engine.year_min, engine.year_max
            )

        def show(counts: tuple[IntArray, IntArray]) -> None:
            start, end = window.filters.years.bounds()
            self.timeline.set_counts(*counts, (start or engine.year_min, end or engine.year_max))

        window.runner.submit("timeline", count, show)

    def show_overlap(self, count: OverlapCount) -> None:
        """Show exactly the records of an overlap count: other source filters are cleared."""
        filters = self.window.filters
        filters.blockSignals(True)
        filters.models["sources"].set_checked(set(), notify=False)
        filters.models["listed_in"].set_checked(set(count.listed_in), notify=False)
        filters.blockSignals(False)
        filters.set_overlap(count.in_all, count.in_none, count.label)

    def show_record(self, position: int) -> None:
        """Select a record in the table if it is shown; else show it in the details."""
        window = self.window
        row = window.model.row_of_position(position)
        if row is None:
            window.detail.show_record(position)
            return
        index = window.model.index(row, 1)
        window.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        window.table.scrollTo(index)
