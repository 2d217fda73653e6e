"""The main window: search on top, filters left, the table centre, details right.

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

from PySide6.QtCore import QByteArray, QMimeData, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog import APP_NAME, logs
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.query.engine import Query, QueryResult
from defectors_catalog.domain.query.table import IntArray
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.cross_checking import CrossChecking
from defectors_catalog.gui.detail_panel import DetailPanel
from defectors_catalog.gui.error_report import open_log_folder
from defectors_catalog.gui.exporting import ExportController
from defectors_catalog.gui.filter_panel import FilterPanel
from defectors_catalog.gui.host import Then, Undo
from defectors_catalog.gui.plain_text import plain_label
from defectors_catalog.gui.query_runner import ASYNC_ABOVE, QueryRunner
from defectors_catalog.gui.record_table import RecordTable
from defectors_catalog.gui.sources_ui import SourcesController

logger = logging.getLogger(__name__)

DEFAULT_SIZE = (1500, 900)
DEFAULT_SPLITTER = [330, 790, 380]


class MainWindow(QMainWindow):
    """Holds the catalog, the current query and its result, the panes (search, filters,
    records table, details) and the controllers (export, sources, cross-checking).

    `store` and `decisions` come from the session: without them (a window shown on its
    own, as many tests do) sources cannot be added and no decision asks for a rebuild.
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
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.settings = settings or QSettings()
        self.setWindowTitle(APP_NAME)
        self.query = Query(sort_column="year")
        self.result: QueryResult | None = None
        self._pending_splitter: QByteArray | None = None

        self.search = self._build_search()
        self.filters = FilterPanel(catalog)
        self.records = RecordTable(catalog, self)
        self.empty_state = self._build_empty_state()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.records.view)
        self.centre.addWidget(self.empty_state)
        self.detail = DetailPanel(catalog)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.filters, self.centre, self.detail):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(1, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(body)
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

        self.filters.changed.connect(self.refresh)
        self.filters.clear_button.clicked.connect(self.clear_filters)
        self.detail.showReferences.connect(self.show_references)
        self.records.currentChanged.connect(self.detail.show_record)
        self.records.sortChanged.connect(self._sort_changed)
        self.records.copied.connect(
            lambda rows: self.statusBar().showMessage(f"Copied {rows} rows", 4000)
        )
        self.setTabOrder(self.search, self.filters)
        self.setTabOrder(self.filters, self.records.view)
        self.setTabOrder(self.records.view, self.detail)

        self.apply_default_layout()
        self.restore_settings()
        self.refresh()
        # The first record's details are filled in just after the first paint: the
        # table shows sooner, and on a big catalog the first answer is in by then.
        QTimer.singleShot(0, self.records.select_first)

    # -- building ------------------------------------------------------------------------

    def _build_search(self) -> QLineEdit:
        search = QLineEdit()
        search.setPlaceholderText(
            "Search names, aliases, professions, places and notes (Ctrl+F); "
            "accents and case are ignored"
        )
        search.setClearButtonEnabled(True)
        search.setAccessibleName("Search")
        search.textChanged.connect(self.refresh)
        return search

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
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

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
        self.copy_action = self._action(
            "&Copy rows", QKeySequence.StandardKey.Copy, self.records.copy_rows
        )
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self._action("&Find", "Ctrl+F", self.focus_search))
        edit_menu.addAction(self._action("C&lear all filters", "Esc", self.clear_filters))

        view_menu = self.view_menu = bar.addMenu("&View")
        self.columns_menu = view_menu.addMenu("&Columns")
        columns_menu = self.columns_menu
        columns_menu.aboutToShow.connect(lambda: self.records.fill_columns_menu(columns_menu))
        view_menu.addAction(self._action("&Reset layout", None, self.reset_layout))

        help_menu = bar.addMenu("&Help")
        self.log_folder_action = self._action("Open &log folder", None, open_log_folder)
        if logs.log_dir() is None:
            self.log_folder_action.setEnabled(False)
            self.log_folder_action.setToolTip(f"Logging to a file is off ({logs.LOG_ENV})")
        help_menu.addAction(self.log_folder_action)
        help_menu.addAction(self._action("&About Defectors Catalog", None, self.show_about))

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

    def clear_filters(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.filters.clear()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- what the controllers see (host.Host) ---------------------------------------------

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
        self.resize(*DEFAULT_SIZE)
        self.records.apply_default_layout()
        self.splitter.setSizes(DEFAULT_SPLITTER)

    def reset_layout(self) -> None:
        self.apply_default_layout()
        self.statusBar().showMessage("Layout reset", 3000)

    # -- settings ------------------------------------------------------------------------

    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
            # Sizes restored before the window has its final size get rescaled by the
            # first layout pass; apply them again once the window is shown.
            self._pending_splitter = splitter
        header = s.value("table/header")
        if isinstance(header, QByteArray):
            self.records.restore_state(header)
        self._sort_changed(*self.records.sort_order())
        filters = s.value("filters/state")
        if isinstance(filters, str):
            try:
                state = json.loads(filters)
            except (ValueError, RecursionError):
                logger.warning("ignored the saved filters: not readable as JSON")
                state = {}
            if isinstance(state, dict):
                self.filters.restore(
                    {k: [str(x) for x in v] for k, v in state.items() if isinstance(v, list)}
                )
        search = s.value("filters/search")
        if isinstance(search, str):
            self.search.blockSignals(True)
            self.search.setText(search)
            self.search.blockSignals(False)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("table/header", self.records.save_state())
        s.setValue("filters/state", json.dumps(self.filters.state()))
        s.setValue("filters/search", self.search.text())
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
        if self._pending_splitter is not None:
            state, self._pending_splitter = self._pending_splitter, None
            QTimer.singleShot(0, lambda: self.splitter.restoreState(state))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.runner.stop()
        super().closeEvent(event)

    # -- dialogs -------------------------------------------------------------------------

    def show_about(self) -> None:
        from defectors_catalog.gui.dialogs import AboutDialog  # on first use: not needed to open

        AboutDialog(self.catalog, self).exec()

    def show_references(self, source_id: str) -> None:
        from defectors_catalog.gui.dialogs import ReferencesDialog

        ReferencesDialog(self.catalog, source_id, self, self.detail.record).exec()


def _dropped_file(mime: QMimeData) -> Path | None:
    """The one local file being dragged, if that is what it is. Not only regular files:
    a FIFO or a device dropped is refused with a message (`SourcesController.add`)
    rather than ignored without a word."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.exists() and not path.is_dir() else None
