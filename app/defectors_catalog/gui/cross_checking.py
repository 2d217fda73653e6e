"""The cross-checking dock: timeline, sources overview, conflicts and near-duplicates.

`CrossChecking(host)` makes one dock, placed at the bottom of the window, with a tab per
view, and View-menu entries that open each tab. The timeline follows the window's current
search and filters; clicks in the views set the window's filters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QTabWidget

from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.query.table import IntArray
from defectors_catalog.gui.host import Host

if TYPE_CHECKING:
    from defectors_catalog.domain.output.overview import OverlapCount
    from defectors_catalog.gui.conflicts_view import ConflictsView
    from defectors_catalog.gui.detail_panel import DetailPanel
    from defectors_catalog.gui.filter_panel import FilterPanel
    from defectors_catalog.gui.query_runner import QueryRunner
    from defectors_catalog.gui.record_table import RecordTable
    from defectors_catalog.gui.sources_overview import SourcesOverview
    from defectors_catalog.gui.timeline import TimelinePanel

logger = logging.getLogger(__name__)

# Where the dock's state is kept between runs (the window's QSettings).
TAB_KEY = "crossChecking/tab"
HEIGHT_KEY = "crossChecking/height"
OPEN_KEY = "crossChecking/open"
TABS = 3
# A height outside these is a damaged setting (or a screen since replaced): ignored.
HEIGHTS = range(80, 4000)


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


def _saved_int(host: Host, key: str, allowed: range) -> int | None:
    """A saved number within `allowed`, or None (nothing saved, or damaged: logged)."""
    value = host.settings.value(key)
    if value is None:
        return None
    try:
        number = int(str(value))
    except ValueError:
        number = None
    if number is None or number not in allowed:
        logger.warning("ignored the saved setting %s = %r", key, value)
        return None
    return number


class _Resized(QObject):
    """Calls back with the dock's height after each resize the person can see."""

    def __init__(self, dock: QDockWidget, changed: Callable[[int], None]) -> None:
        super().__init__(dock)
        self._changed = changed
        dock.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Resize
            and isinstance(watched, QDockWidget)
            and watched.isVisible()
            and not watched.isFloating()
        ):
            self._changed(watched.height())
        return False


class CrossChecking:
    """Owns the dock and its three views, wired to `host`.

    The dock's height, its current tab and whether it was open are kept in the host's
    settings: it comes back as it was on the next start (`restore`).

    The views are built the first time something asks for them (a View-menu entry, a
    shortcut): the conflicts view walks every record, and building it with the window
    would delay the first paint and cost seconds at a million records.
    """

    def __init__(self, host: CrossCheckingHost, decisions: DecisionStore | None = None) -> None:
        self.host = host
        self._decisions = decisions  # None for a window shown without a session
        self._views: _Views | None = None
        self._height_restored = False
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
        # Reopened as it was, once the window's constructor is done (with the window as
        # the timer's context: a window closed at once never runs it).
        QTimer.singleShot(0, host.dialog_parent(), self.restore)

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
        views.overview.citationCopied.connect(lambda m: host.statusBar().showMessage(m, 6000))
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
        views.tabs.currentChanged.connect(self._tab_changed)
        _Resized(views.dock, self._height_changed)
        return views

    # -- kept between runs ----------------------------------------------------------------

    def restore(self) -> None:
        """Open the dock as it was when the app last closed, if it was open (on its
        tab, at its height). Runs just after the window is made: the views are built
        then, not while the window opens."""
        if str(self.host.settings.value(OPEN_KEY, "false")).lower() == "true":
            self.open(self.saved_tab())

    def saved_tab(self) -> int:
        """The tab shown when the app last closed (0, the timeline, the first time)."""
        saved = _saved_int(self.host, TAB_KEY, range(TABS))
        return 0 if saved is None else saved

    def _apply_saved_height(self, dock: QDockWidget) -> None:
        height = _saved_int(self.host, HEIGHT_KEY, HEIGHTS)
        window = self.host.dialog_parent()
        if height is not None and isinstance(window, QMainWindow):
            window.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def _height_changed(self, height: int) -> None:
        self.host.settings.setValue(HEIGHT_KEY, height)

    def _tab_changed(self, tab: int) -> None:
        if 0 <= tab < TABS:
            self.host.settings.setValue(TAB_KEY, tab)

    def _remember_open(self, visible: bool) -> None:
        # Hidden because the window closes is not closed by the person: the dock is to
        # come back with the window.
        if visible or self.host.dialog_parent().isVisible():
            self.host.settings.setValue(OPEN_KEY, visible)

    def _decisions_changed(self) -> None:
        """Rebuild the catalog so a "same person" decision merges the pair (and an undo
        splits it again), then come back to this tab of the new window."""
        tab = self.current_tab()
        logger.info("a duplicate decision changed: rebuilding")
        host = self.host
        # After the click has been handled: the rebuild replaces this window.
        QTimer.singleShot(0, lambda: host.request_rebuild(lambda new: new.open_cross_checking(tab)))

    def _visibility_changed(self, visible: bool) -> None:
        # The dock hides once more as the app quits, after its window is gone.
        if not shiboken6.isValid(self.host.dialog_parent()):
            return
        self._remember_open(visible)
        if visible:
            self.update_timeline()

    def add_to_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        for action in self.actions:
            menu.addAction(action)

    def open(self, tab: int) -> None:
        self.dock.show()
        self.dock.raise_()
        if not self._height_restored:
            self._height_restored = True
            self._apply_saved_height(self.dock)
        self.tabs.setCurrentIndex(tab)
        self.update_timeline()

    def update_timeline(self) -> None:
        """Bars for the current search and filters over all years; the range is shaded."""
        if self._views is None or not self._views.dock.isVisible():
            return
        host = self.host
        engine = host.catalog.engine
        query = replace(host.query, year_from=None, year_to=None)
        from defectors_catalog.domain.output.overview import reliability_by_year

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
