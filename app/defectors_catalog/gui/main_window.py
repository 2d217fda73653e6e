"""The main window: search and filter chips on top, filters left, the table with the
details beside it (or under it, on a narrow window).

The window places its parts (the search box, `FilterPanel`, `RecordTable`,
`DetailPanel`) and wires them to the current query; export, sources and cross-checking
are controllers that see it only through `host.Host`. A change that needs the catalog
built again is asked for with `rebuildRequested`, which the session connects to.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog import APP_NAME, logs
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.facets import FACET
from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.query.engine import FacetValue, Query, QueryResult
from defectors_catalog.domain.query.table import IntArray
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.citations_ui import CitationController
from defectors_catalog.gui.columns import COLUMN_INDEX
from defectors_catalog.gui.cross_checking import CrossChecking
from defectors_catalog.gui.detail_panel import DetailPanel
from defectors_catalog.gui.error_report import open_log_folder
from defectors_catalog.gui.exporting import ExportController
from defectors_catalog.gui.filter_chips import Chip, FilterChips
from defectors_catalog.gui.filter_history import FilterHistory, Snapshot
from defectors_catalog.gui.filter_panel import FilterPanel
from defectors_catalog.gui.host import Then, Undo
from defectors_catalog.gui.pane_layout import (
    PaneLayout,
    available_rect,
    clamp_to_screen,
    default_size,
)
from defectors_catalog.gui.plain_text import plain_label, plain_tooltip
from defectors_catalog.gui.query_runner import ASYNC_ABOVE, QueryRunner
from defectors_catalog.gui.record_table import RecordTable
from defectors_catalog.gui.search_box import SearchBox
from defectors_catalog.gui.sources_ui import SourcesController
from defectors_catalog.gui.theme import SETTING as THEME_SETTING
from defectors_catalog.gui.theme import Theme, apply_theme, is_dark, saved_theme

if TYPE_CHECKING:
    from defectors_catalog.domain.annotations.overlay import Desk
    from defectors_catalog.domain.annotations.views import SavedView
    from defectors_catalog.gui.saved_searches import SavedSearches
    from defectors_catalog.gui.search_help import SearchHelpDialog

logger = logging.getLogger(__name__)

# The window's own keys that a focused line edit must not keep for itself.
UNDO_KEYS = (QKeySequence("Ctrl+Z"), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))
# How often the window looks for verdicts changed by another window or process (besides
# each time it is activated): one PRAGMA when nothing changed.
DESK_REFRESH_MS = 5000


class MainWindow(QMainWindow):
    """Holds the catalog, the current query and its result, the panes (search, filters,
    records table, details) and the controllers (export, sources, cross-checking).

    `store` and `decisions` come from the session: without them (a window shown on its
    own, as many tests do) sources cannot be added and no decision asks for a rebuild.
    `desk` (the person's verdicts over this catalog) too: without it the details have no
    verdict section and there are no saved searches.

    `staged` (the app's start): what the first frame does without is left to
    `finish_building`, which the session calls once the window has painted, with the
    desk; until then the window is exactly one without a desk.
    """

    resultChanged = Signal()  # after every refresh: `result` holds the new result
    rebuildRequested = Signal(object, object)  # then (Then | None), undo (Undo | None)

    def __init__(
        self,
        catalog: Catalog,
        settings: QSettings | None = None,
        *,
        store: UserSourceStore | None = None,
        decisions: DecisionStore | None = None,
        desk: Desk | None = None,
        staged: bool = False,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.settings = settings or QSettings()
        self.setWindowTitle(APP_NAME)
        self.query = Query(sort_column="year")
        self.result: QueryResult | None = None
        self._restore_sizes_on_show = False

        self.search = self._build_search()
        self.filters = FilterPanel(catalog)
        self.filters.setAccessibleDescription("Tick values to narrow the records shown")
        self.records = RecordTable(catalog, self)
        self.empty_state = self._build_empty_state()
        self.centre = QStackedWidget()
        self.centre.setAccessibleName("Records pane")
        self.centre.addWidget(self.records.view)
        self.centre.addWidget(self.empty_state)
        self.detail = DetailPanel(catalog)
        self.detail.setAccessibleName("Details")
        self.detail.setAccessibleDescription("The chosen record, its sources and their lines")
        self.panes = PaneLayout(self.filters, self.centre, self.detail)
        self.chips = FilterChips(self.clear_filters)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.chips)
        layout.addWidget(self.panes.outer, 1)
        self.setCentralWidget(body)
        self.history = FilterHistory(self._restore_snapshot, self._snapshot(), self)
        self.status = plain_label()
        self.status.setAccessibleName("Result count")
        self.searching = plain_label("Searching\u2026")
        self.searching.setAccessibleName("Search in progress")
        self.searching.hide()
        self.statusBar().addPermanentWidget(self.searching)
        self.statusBar().addPermanentWidget(self.status)
        self.exporter = ExportController(self)
        self.export_action = self.exporter.action
        self.records.copy_options = self.exporter.options
        self.addAction(self.export_action)
        self.sources_ui = SourcesController(self, store) if store is not None else None
        self.setAcceptDrops(self.sources_ui is not None)
        self._build_menus()
        self.cross_checking = CrossChecking(self, decisions)
        self.cross_checking.add_to_menu(self.view_menu)
        self.runner = QueryRunner(len(catalog.records) > ASYNC_ABOVE, self)
        self.runner.busyChanged.connect(self._busy_changed)

        # Every move re-runs the query (live while the years are dragged); an undo step
        # is recorded once per act, when it settles.
        self.filters.changed.connect(self._filters_changed)
        self.filters.settled.connect(self._filters_settled)
        self.filters.clear_button.clicked.connect(self.clear_filters)
        self.detail.showReferences.connect(self.show_references)
        self.records.currentChanged.connect(self.detail.show_record)
        self.records.sortChanged.connect(self._sort_changed)
        self.records.copied.connect(
            lambda rows: self.statusBar().showMessage(f"Copied {rows} rows", 4000)
        )
        self.panes.paneToggled.connect(self._pane_toggled)
        self._build_desk_actions()
        self._finished = False
        if not staged:
            self.finish_building(desk)

        self.apply_default_layout()
        self.restore_settings()
        self.history.reset(self._snapshot())
        self.refresh()

    def finish_building(self, desk: Desk | None) -> None:
        """The parts the first frame does without: the person's verdicts (`desk`: the
        details' verdict editor, the table's verdict cells, the saved searches and File →
        Save search) and the window's keys guarded in every line edit. At once in a
        window built whole; after the first paint in a `staged` one (a second call does
        nothing)."""
        if self._finished:
            return
        already_shown = self.result is not None
        self._finished = True
        self._set_desk(desk)
        self._guard_keys()
        if already_shown and desk is not None:
            # The verdicts now lie over the catalog: their cells, and the sidebar's
            # counts by status and tag, follow (the chosen record stays).
            self.records.model.refresh_annotations()
            self.refresh()

    # -- building ------------------------------------------------------------------------

    def _build_search(self) -> SearchBox:
        search = SearchBox(self._completions)
        search.setPlaceholderText(
            "Search names, aliases, professions, places and notes (Ctrl+F); "
            "accents and case are ignored"
        )
        search.setClearButtonEnabled(True)
        search.textChanged.connect(lambda: self._filters_moved("Search", typing=True))
        search.errorChanged.connect(self._search_error_changed)
        return search

    def _completions(self, name: str) -> tuple[FacetValue, ...]:
        """What the search box offers after `name:`: the values in this catalog."""
        return self.catalog.engine.completions(name)

    def _search_error_changed(self, message: str) -> None:
        # The box underlines the term; the status line says why, for whoever is not
        # hovering it (the text is still searched as plain words meanwhile).
        if message:
            # The list of known names is in the box's tooltip; the status line is short.
            short = message.split("; known:")[0]
            self.statusBar().showMessage(f"Search: {short}", 10000)
        elif self.statusBar().currentMessage().startswith("Search: "):
            self.statusBar().clearMessage()

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        message = plain_label("No records match the search and filters.")
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        message.setObjectName("emptyMessage")
        button = QPushButton("Clear all filters")
        button.setObjectName("emptyClear")
        button.clicked.connect(self.clear_filters)
        layout.addWidget(message)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # Wherever the focus is in this window, docks included.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _guard_keys(self) -> None:
        """The window's shortcuts win over what line edits would do with the keys:
        Ctrl+E exports from the search box too, and there Ctrl+Z undoes filters."""
        from defectors_catalog.gui.shortcuts import ShortcutGuard

        window_keys = [
            key
            for action in self.actions()
            for key in action.shortcuts()
            if key not in UNDO_KEYS and key != QKeySequence(QKeySequence.StandardKey.Copy)
        ]
        everywhere = ShortcutGuard(window_keys, self)
        for edit in self.findChildren(QLineEdit):
            everywhere.watch(edit)
        ShortcutGuard([*window_keys, *UNDO_KEYS], self).watch(self.search)
        self.search.claim_popup_keys()  # but Esc with its popup open closes the popup

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.export_action)
        self.export_options_menu = file_menu.addMenu("Export &options")
        self.exporter.fill_options_menu(self.export_options_menu)
        file_menu.addSeparator()
        sources = self.sources_ui
        self.add_source_action = self._action(
            "&Add source\u2026", "Ctrl+O", sources.choose_and_add if sources else lambda: None
        )
        self.manage_sources_action = self._action(
            "&Manage sources\u2026", None, sources.manage if sources else lambda: None
        )
        for action in (self.add_source_action, self.manage_sources_action):
            action.setEnabled(sources is not None)
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", "Ctrl+Q", self.close))

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo filter change", "Ctrl+Z", self.history.stack.undo)
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self._action("&Redo filter change", None, self.history.stack.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.history.stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.history.stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.copy_action = self._action(
            "&Copy rows", QKeySequence.StandardKey.Copy, self.records.copy_rows
        )
        edit_menu.addAction(self.copy_action)
        self._build_citation_menu(edit_menu)
        edit_menu.addAction(self._action("&Find", "Ctrl+F", self.focus_search))
        edit_menu.addAction(self._action("C&lear all filters", "Esc", self.clear_filters))

        view_menu = self.view_menu = bar.addMenu("&View")
        self.columns_menu = view_menu.addMenu("&Columns")
        columns_menu = self.columns_menu
        columns_menu.aboutToShow.connect(lambda: self.records.fill_columns_menu(columns_menu))
        self.pane_actions: dict[str, QAction] = {}
        for name, title, key in (
            ("filters", "Show &filters", "Ctrl+Shift+F"),
            ("details", "Show &details", "Ctrl+Shift+D"),
        ):
            action = self._action(title, key, self._pane_toggler(name))
            action.setCheckable(True)
            action.setChecked(True)
            self.pane_actions[name] = action
            view_menu.addAction(action)
        self.surname_action = self._action("Sort by &surname", None, self.sort_by_surname)
        view_menu.addAction(self.surname_action)
        theme_menu = view_menu.addMenu("&Theme")
        self.theme_actions: dict[Theme, QAction] = {}
        group = QActionGroup(self)
        current = saved_theme(self.settings)
        for theme in Theme:
            action = theme_menu.addAction(theme.menu_text)
            action.setCheckable(True)
            action.setChecked(theme == current)
            action.triggered.connect(lambda _on=False, t=theme: self.set_theme(t))
            group.addAction(action)
            self.theme_actions[theme] = action
        view_menu.addSeparator()
        view_menu.addAction(self._action("&Reset layout", None, self.reset_layout))

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", "F1", self.show_shortcuts))
        self._build_search_help_menu(help_menu)
        self.log_folder_action = self._action("Open &log folder", None, open_log_folder)
        if logs.log_dir() is None:
            self.log_folder_action.setEnabled(False)
            self.log_folder_action.setToolTip(f"Logging to a file is off ({logs.LOG_ENV})")
        help_menu.addAction(self.log_folder_action)
        help_menu.addAction(self._action("&About Defectors Catalog", None, self.show_about))

    # -- the desk: verdicts and saved searches --------------------------------------------

    def _build_desk_actions(self) -> None:
        """File → Save search (Ctrl+S) and Open saved search, off until there is a desk,
        and the refresh that takes in what another window or process changed (on
        activation and every `DESK_REFRESH_MS`, once there is one)."""
        self.desk: Desk | None = None
        self.saved_searches: SavedSearches | None = None
        self.detail.verdict.saved.connect(self._verdict_saved)
        self.save_search_action = self._action("&Save search\u2026", "Ctrl+S", self.save_search)
        self.save_search_action.setEnabled(False)
        self.open_search_menu = QMenu("Open sa&ved search", self)
        self.open_search_menu.aboutToShow.connect(self._fill_open_search_menu)
        self.open_search_menu.setEnabled(False)
        file_menu = self.menuBar().actions()[0].menu()
        if isinstance(file_menu, QMenu):
            # After Export options, before the sources.
            after = self.export_options_menu.menuAction()
            actions = file_menu.actions()
            at = actions.index(after) + 1 if after in actions else len(actions)
            if at < len(actions):
                file_menu.insertSeparator(actions[at])
                file_menu.insertAction(actions[at], self.save_search_action)
                file_menu.insertMenu(actions[at], self.open_search_menu)
            else:
                file_menu.addAction(self.save_search_action)
                file_menu.addMenu(self.open_search_menu)
        self.desk_timer = QTimer(self)
        self.desk_timer.setInterval(DESK_REFRESH_MS)
        self.desk_timer.timeout.connect(self.refresh_desk)

    def _set_desk(self, desk: Desk | None) -> None:
        """The verdict editor in the details, the saved searches atop the sidebar, and
        the actions and timer of `_build_desk_actions` switched on."""
        self.desk = desk
        self.detail.set_desk(desk)
        if desk is None:
            return
        from defectors_catalog.gui.saved_searches import SavedSearches

        self.saved_searches = SavedSearches(desk.store, self.current_view)
        self.saved_searches.openRequested.connect(self.open_saved_search)
        self.saved_searches.told.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.filters.add_above(self.saved_searches)
        self.save_search_action.setEnabled(True)
        self.open_search_menu.setEnabled(True)
        self.desk_timer.start()
        if desk.problems:
            first, others = desk.problems[0], len(desk.problems) - 1
            more = f" (and {others} more in the log)" if others else ""
            QTimer.singleShot(
                0, lambda: self.statusBar().showMessage(f"Your verdicts: {first}{more}", 20000)
            )

    def _fill_open_search_menu(self) -> None:
        menu = self.open_search_menu
        menu.clear()
        views = self.desk.store.views if self.desk is not None else ()
        for view in views:
            # `&` in a name is shown, not taken as a mnemonic.
            action = menu.addAction(view.name.replace("&", "&&"))
            action.setToolTip(plain_tooltip(view.summary()) or "")
            action.triggered.connect(lambda _on=False, n=view.name: self._open_named(n))
        if not views:
            menu.addAction("(none saved: Ctrl+S saves the search shown)").setEnabled(False)

    def _open_named(self, name: str) -> None:
        if self.saved_searches is not None:
            self.saved_searches.open(name)

    def save_search(self) -> None:
        """Ctrl+S: save the search, filters, sort and columns under a name."""
        if self.saved_searches is not None:
            self.saved_searches.save_current()

    def current_view(self, name: str) -> SavedView:
        """What is shown now, as a saved search called `name`."""
        from defectors_catalog.domain.annotations.views import SavedView

        column, descending = self.records.sort_order()
        query = self.filters.apply_to(replace(self.query, text=self.search.text()))
        query = replace(query, sort_column=column, descending=descending)
        return SavedView.of(name, query, self.records.visible_columns())

    def open_saved_search(self, view: SavedView) -> None:
        """Show a saved search: its text, filters, sort and columns, as one undo step."""
        query = view.query()
        state: dict[str, list[str]] = {k: sorted(v) for k, v in query.selections.items()}
        state["years"] = [str(query.year_from or ""), str(query.year_to or "")]
        if query.in_all or query.in_none:
            state["overlap_all"] = sorted(query.in_all)
            state["overlap_none"] = sorted(query.in_none)
            state["overlap_label"] = ["Overlap between sources"]
        self._quietly(lambda: self.search.setText(view.search))
        self.filters.restore(state)
        if view.columns:
            self.records.show_columns(view.columns)
        if query.sort_column in COLUMN_INDEX:
            self.records.sort_by(query.sort_column, query.descending)
        self.history.moved(self._snapshot(), f"Open the saved search {view.name}")
        self._show_chips()
        self.refresh()

    def _verdict_saved(self, _record_id: str) -> None:
        # The table's verdict cells and the sidebar's counts follow at once; the query
        # runs again and keeps the chosen record.
        self.records.model.refresh_annotations()
        self.refresh()

    def refresh_desk(self) -> None:
        """Take in what another window or process changed in the verdicts database (a
        single PRAGMA when nothing did); the note being typed is kept as typed."""
        if self.desk is None or not self.desk.refresh():
            return
        logger.info("your verdicts changed elsewhere: showing them")
        self.records.model.refresh_annotations()
        self.refresh()
        self.detail.verdict.reload()
        if self.saved_searches is not None:
            self.saved_searches.reload()

    def stop_desk(self) -> None:
        """Save the verdict being typed and stop looking for changes (closing, or being
        replaced by a rebuilt window)."""
        self.detail.verdict.flush()
        self.desk_timer.stop()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh_desk()

    def _build_citation_menu(self, edit_menu: QMenu) -> None:
        """Edit → Copy citation (Ctrl+Shift+C) and Copy citation as ▸ text, BibTeX, CSL-JSON."""
        self.citations = CitationController(self)
        self.copy_citation_action = self.citations.action
        self.addAction(self.copy_citation_action)
        self.copy_citation_menu = self.citations.fill_menu(edit_menu)

    def _build_search_help_menu(self, help_menu: QMenu) -> None:
        """Help → Search syntax: the language's help, with examples that fill the box."""
        self.search_help_action = self._action("&Search syntax", None, self.show_search_help)
        help_menu.addAction(self.search_help_action)
        self.search_help: SearchHelpDialog | None = None

    # -- querying ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Run the current search, filters and sort; keep the current record if still shown.

        On a big catalog the answer comes later, from the query runner's worker thread.
        """
        query = self.filters.apply_to(replace(self.query, text=self.search.text()))
        self.query = query
        engine = self.catalog.engine
        self.runner.submit("results", lambda: engine.run(query), self._show_result)

    def _busy_changed(self, busy: bool) -> None:
        self.searching.setVisible(busy)

    def _show_result(self, result: QueryResult) -> None:
        self.result = result
        self.records.show_result(result)
        self.filters.update_counts(result)
        self.centre.setCurrentWidget(self.records.view if len(result) else self.empty_state)
        shown = f"{len(result)} of {result.total} records"
        warned = f"{result.warned} with warnings" if result.warned else "none with warnings"
        self.status.setText(f"{shown} \u00b7 {warned}")
        self.resultChanged.emit()

    def _sort_changed(self, column: str, descending: bool) -> None:
        self.query = replace(self.query, sort_column=column, descending=descending)

    def _snapshot(self) -> Snapshot:
        return Snapshot.of(self.search.text(), self.filters.state())

    def _filters_moved(self, what: str, *, typing: bool = False) -> None:
        """A search or filter change: one undo step (a burst of typing is one), chips
        shown again, the query run."""
        if self._muted:
            return
        self.history.moved(self._snapshot(), what, typing=typing)
        self._show_chips()
        self.refresh()

    def _filters_changed(self) -> None:
        if self._muted:
            return
        self._show_chips()
        self.refresh()

    def _filters_settled(self) -> None:
        if not self._muted:
            self.history.moved(self._snapshot(), "Change the filters")

    def _restore_snapshot(self, snapshot: Snapshot) -> None:
        self._quietly(lambda: self.search.setText(snapshot.search))
        self.filters.restore(snapshot.filter_state())
        self._show_chips()
        self.refresh()

    def _quietly(self, change: Callable[[], object]) -> None:
        # Not blockSignals on the line edit: it would also keep its clear button from
        # hearing that the text went (the button stayed after a clear).
        self._muted = True
        try:
            change()
        finally:
            self._muted = False

    _muted = False

    def clear_filters(self) -> None:
        """The search and every filter cleared, as one step Ctrl+Z takes back."""
        before = self._snapshot()
        self._muted = True
        try:
            self.search.clear()
            self.filters.blockSignals(True)
            self.filters.clear()
            self.filters.blockSignals(False)
        finally:
            self._muted = False
        if self._snapshot() != before:
            self._filters_moved("Clear all filters")
            self.statusBar().showMessage("Cleared every filter · Ctrl+Z brings them back", 6000)

    def _clear_search(self) -> None:
        self._quietly(self.search.clear)
        self._filters_moved("Remove the search")

    def _clear_years(self) -> None:
        self.filters.set_years(None, None)

    def _untick(self, facet: str, value: str) -> Callable[[], None]:
        return lambda: self.filters.untick(facet, value)

    def _show_chips(self) -> None:
        chips: list[Chip] = []
        text = self.search.text().strip()
        if text:
            chips.append(Chip("search", f"Search: {text}", self._clear_search))
        for facet, model in self.filters.models.items():
            labels = dict(zip(model.values, model.labels, strict=True))
            title = FACET[facet].title
            for value in sorted(model.checked, key=lambda v: labels.get(v, v)):
                chips.append(
                    Chip(
                        "facet",
                        f"{title}: {labels.get(value, value)}",
                        self._untick(facet, value),
                    )
                )
        start, end = self.filters.years.bounds()
        if start is not None or end is not None:
            open_end = "\u2026"
            span = f"{start or open_end}\u2013{end or open_end}"
            chips.append(Chip("years", f"Years: {span}", self._clear_years))
        in_all, in_none, label = self.filters.overlap
        if in_all or in_none:
            chips.append(
                Chip(
                    "overlap",
                    label or "Overlap between sources",
                    lambda: self.filters.set_overlap(frozenset(), frozenset(), ""),
                )
            )
        self.chips.show_chips(chips)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def carry_over(self, old: MainWindow) -> None:
        """What a rebuild (a source added or removed, a decision) must not lose: the
        chosen record, the open cross-checking dock and its tab, the sidebar's scroll."""
        position = old.records.shown_position()
        if position is not None:
            moved_to = self.catalog.row_of.get(old.catalog.records[position].id)
            if moved_to is not None:
                self.records.select_position(moved_to)
        if old.cross_checking.built and old.cross_checking.dock.isVisible():
            self.cross_checking.open(old.cross_checking.current_tab())
        sidebar = old.filters.view_state()  # open sections, "Show all", scroll
        # After the first layout pass, when the sidebar has its height.
        QTimer.singleShot(0, lambda: self.filters.restore_view(sidebar))

    # -- what the controllers see (host.Host) ---------------------------------------------

    def current_position(self) -> int | None:
        return self.records.shown_position()

    def shown_positions(self) -> IntArray:
        return self.records.positions

    def selected_positions(self) -> IntArray:
        return self.records.selected_positions()

    def visible_columns(self) -> list[str]:
        return self.records.visible_columns()

    def dialog_parent(self) -> QWidget:
        return self

    def request_rebuild(self, then: Then | None = None, undo: Undo | None = None) -> None:
        self.rebuildRequested.emit(then, undo)

    def open_cross_checking(self, tab: int) -> None:
        self.cross_checking.open(tab)

    def place_dock(self, dock: QDockWidget) -> None:
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)

    # -- layout --------------------------------------------------------------------------

    def apply_default_layout(self) -> None:
        size = default_size(available_rect(self))
        self.resize(size)
        self.records.apply_default_layout()
        self.panes.apply_defaults(size)
        for action in self.pane_actions.values():
            action.setChecked(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.panes.fit_width(event.size().width())

    def _pane_toggler(self, name: str) -> Callable[[], None]:
        return lambda: self._toggle_pane(name)

    def _toggle_pane(self, name: str) -> None:
        shown = not self.panes.is_shown(name)
        self.panes.set_shown(name, shown)
        pane = self.panes.pane(name)
        if shown:
            pane.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif pane.isAncestorOf(self.focusWidget()):
            self.records.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _pane_toggled(self, name: str, shown: bool) -> None:
        self.pane_actions[name].setChecked(shown)

    def sort_by_surname(self) -> None:
        """Show the 'Surname first' column and sort by it."""
        self.records.sort_by("surname")

    def set_theme(self, theme: Theme) -> None:
        apply_theme(theme)
        self.records.model.set_dark(is_dark())
        self.settings.setValue(THEME_SETTING, theme.value)
        self.theme_actions[theme].setChecked(True)

    def reset_layout(self) -> None:
        self.apply_default_layout()
        self.statusBar().showMessage("Layout reset", 3000)

    # -- settings ------------------------------------------------------------------------

    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        # A geometry saved on a bigger screen, or at another scale, must still fit.
        clamp_to_screen(self)
        self.panes.fit_width(self.width())
        self.panes.restore(s)
        for name, action in self.pane_actions.items():
            action.setChecked(not self.panes.pane(name).isHidden())
        # Sizes restored before the window has its final size get rescaled by the
        # first layout pass; apply them again once the window is shown.
        self._restore_sizes_on_show = True
        header = s.value("table/header")
        if isinstance(header, QByteArray):
            self.records.restore_state(header)
        self._sort_changed(*self.records.sort_order())
        state = _saved_json(s, "filters/state", "filters")
        self.filters.restore(
            {k: [str(x) for x in v] for k, v in state.items() if isinstance(v, list)}
        )
        search = s.value("filters/search")
        if isinstance(search, str):
            self._quietly(lambda: self.search.setText(search))
        self.filters.restore_sections(_saved_json(s, "filters/sections", "filter sections"))
        self._show_chips()

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        self.panes.save(s)
        s.setValue("table/header", self.records.save_state())
        s.setValue("filters/state", json.dumps(self.filters.state()))
        s.setValue("filters/search", self.search.text())
        s.setValue("filters/sections", json.dumps(self.filters.section_state()))
        s.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.sources_ui is not None and _dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_file(event.mimeData())
        if self.sources_ui is not None and path is not None:
            event.acceptProposedAction()
            # Let the drag finish before the modal Add-source dialog opens.
            QTimer.singleShot(0, lambda: self.sources_ui.add(path) if self.sources_ui else None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._restore_sizes_on_show:
            self._restore_sizes_on_show = False
            clamp_to_screen(self)
            QTimer.singleShot(0, lambda: self.panes.restore_sizes(self.settings))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_desk()
        self.save_settings()
        self.runner.stop()
        super().closeEvent(event)

    # -- dialogs -------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        from defectors_catalog.gui.shortcuts import ShortcutsDialog

        ShortcutsDialog(self.actions(), self).exec()

    def show_search_help(self) -> None:
        from defectors_catalog.gui.search_help import SearchHelpDialog

        # Not modal: the person tries an example and sees its records behind the help.
        if self.search_help is None:
            self.search_help = SearchHelpDialog(self)
            self.search_help.exampleChosen.connect(self.search_for)
        self.search_help.show()
        self.search_help.raise_()
        self.search_help.activateWindow()

    def search_for(self, text: str) -> None:
        """Put `text` in the search box (one undo step) and run it."""
        # One step of its own, not merged into a burst of typing before it.
        self._quietly(lambda: self.search.setText(text))
        self._filters_moved("Search for an example")
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.statusBar().showMessage(f"Searching for {text}", 4000)

    def show_about(self) -> None:
        from defectors_catalog.gui.dialogs import AboutDialog  # on first use: not needed to open

        AboutDialog(self.catalog, self).exec()

    def show_references(self, source_id: str) -> None:
        from defectors_catalog.gui.dialogs import ReferencesDialog

        ReferencesDialog(self.catalog, source_id, self, self.detail.record).exec()


def _saved_json(settings: QSettings, key: str, what: str) -> dict[str, object]:
    """A JSON object kept in the settings, or {} (logged) when it is not one."""
    text = settings.value(key)
    if not isinstance(text, str):
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        logger.warning("ignored the saved %s: not readable as JSON", what)
        return {}
    return value if isinstance(value, dict) else {}


def _dropped_file(mime: QMimeData) -> Path | None:
    """The one local file being dragged, if that is what it is. Not only regular files:
    a FIFO or a device dropped is refused with a message (`SourcesController.add`)
    rather than ignored without a word."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.exists() and not path.is_dir() else None
