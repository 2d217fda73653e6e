"""The main window: search on top, filters left, the table centre, details right."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog import APP_NAME, logs
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.query.engine import Query, QueryResult
from defectors_catalog.gui.catalog_model import CatalogTableModel, PositionRole
from defectors_catalog.gui.columns import COLUMN_INDEX, COLUMNS, HIDDEN_BY_DEFAULT
from defectors_catalog.gui.cross_checking import CrossChecking
from defectors_catalog.gui.delegates import HighlightDelegate, SourceBadgeDelegate
from defectors_catalog.gui.detail_panel import DetailPanel
from defectors_catalog.gui.error_report import open_log_folder
from defectors_catalog.gui.exporting import ExportController
from defectors_catalog.gui.filter_panel import FilterPanel
from defectors_catalog.gui.query_runner import ASYNC_ABOVE, QueryRunner
from defectors_catalog.gui.sources_ui import SourcesController
from defectors_catalog.gui.table_view import CatalogTableView

if TYPE_CHECKING:
    from defectors_catalog.gui.session import Session

DEFAULT_SIZE = (1500, 900)
DEFAULT_SPLITTER = [330, 790, 380]


class MainWindow(QMainWindow):
    """Holds the catalog, the table model and view, the panes, and the current query."""

    resultChanged = Signal()  # after every refresh: `result` holds the new result

    def __init__(
        self,
        catalog: Catalog,
        settings: QSettings | None = None,
        session: Session | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.session = session
        self.settings = settings or QSettings()
        self.setWindowTitle(APP_NAME)
        self.query = Query(sort_column="year")
        self.result: QueryResult | None = None
        self._pending_splitter: QByteArray | None = None

        warning_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.model = CatalogTableModel(catalog, warning_icon)
        self.search = self._build_search()
        self.filters = FilterPanel(catalog)
        self.table = self._build_table()
        self.empty_state = self._build_empty_state()
        self.centre = QStackedWidget()
        self.centre.addWidget(self.table)
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
        self.status = QLabel()
        self.status.setAccessibleName("Result count")
        self.searching = QLabel("Searching\u2026")
        self.searching.setAccessibleName("Search in progress")
        self.searching.hide()
        self.statusBar().addPermanentWidget(self.searching)
        self.statusBar().addPermanentWidget(self.status)
        self.exporter = ExportController(self)
        self.sources_ui = (
            SourcesController(self, session.store, session.open) if session is not None else None
        )
        self.setAcceptDrops(self.sources_ui is not None)
        self._build_menus()
        self.cross_checking = CrossChecking(
            self,
            session.decisions if session is not None else None,
            self._decisions_changed if session is not None else None,
        )
        self.cross_checking.add_to_menu(self.view_menu)
        self.runner = QueryRunner(len(catalog.records) > ASYNC_ABOVE, self)
        self.runner.busyChanged.connect(self._busy_changed)

        self.filters.changed.connect(self.refresh)
        self.filters.clear_button.clicked.connect(self.clear_filters)
        self.detail.showReferences.connect(self.show_references)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.setTabOrder(self.search, self.filters)
        self.setTabOrder(self.filters, self.table)
        self.setTabOrder(self.table, self.detail)

        self.apply_default_layout()
        self.restore_settings()
        self.refresh()
        # The first record's details are filled in just after the first paint: the
        # table shows sooner, and on a big catalog the first answer is in by then.
        QTimer.singleShot(0, self._select_first)

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

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

    def _build_table(self) -> CatalogTableView:
        table = CatalogTableView()
        table.setModel(self.model)
        table.copyRequested.connect(self.copy_rows)
        table.setAccessibleName("Records")
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(self._sort_changed)
        sources = {spec.id: spec for spec in self.catalog.sources}
        table.setItemDelegateForColumn(COLUMN_INDEX["sources"], SourceBadgeDelegate(sources, table))
        highlighter = HighlightDelegate(self.model, table)
        for column in COLUMNS:
            if column.highlight:
                table.setItemDelegateForColumn(COLUMN_INDEX[column.key], highlighter)
        return table

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        message = QLabel("No records match the search and filters.")
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
        self.export_action = self._action("&Export to CSV\u2026", "Ctrl+E", self.exporter.export)
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
        self.copy_action = self._action("&Copy rows", QKeySequence.StandardKey.Copy, self.copy_rows)
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self._action("&Find", "Ctrl+F", self.focus_search))
        edit_menu.addAction(self._action("C&lear all filters", "Esc", self.clear_filters))

        view_menu = self.view_menu = bar.addMenu("&View")
        self.columns_menu = view_menu.addMenu("&Columns")
        self.columns_menu.aboutToShow.connect(lambda: self._fill_columns_menu(self.columns_menu))
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
        current = self._current_position()
        self.result = result
        self.model.set_result(result)
        self.filters.update_counts(result)
        self.centre.setCurrentWidget(self.table if len(result) else self.empty_state)
        self._restore_current(current)
        shown = f"{len(result)} of {result.total} records"
        warned = f"{result.warned} with warnings" if result.warned else "none with warnings"
        self.status.setText(f"{shown} \u00b7 {warned}")
        self.resultChanged.emit()

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        self.query = replace(
            self.query,
            sort_column=COLUMNS[section].key,
            descending=order == Qt.SortOrder.DescendingOrder,
        )

    def _current_position(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(PositionRole) if index.isValid() else None

    def _restore_current(self, position: int | None) -> None:
        row = self.model.row_of_position(position) if position is not None else None
        if row is None:
            self.detail.show_record(None)
            return
        index = self.model.index(row, max(self.table.currentIndex().column(), 0))
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_record(current.data(PositionRole) if current.isValid() else None)

    def clear_filters(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.filters.clear()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- selection helpers ---------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.table.selectionModel().selectedRows())

    def visible_columns(self) -> list[str]:
        header = self.table.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [COLUMNS[i].key for i in logical if not header.isSectionHidden(i)]

    def copy_rows(self) -> None:
        """Selected rows, with a header of the visible columns, as tab-separated text."""
        rows = self.selected_rows()
        if not rows:
            return
        columns = self.visible_columns()
        text = self.model.catalog.table.text

        def cell(position: int, key: str) -> str:
            value = text[key][position]
            return value.replace("\t", " ").replace("\n", " ")

        lines = ["\t".join(COLUMNS[COLUMN_INDEX[k]].title for k in columns)]
        for row in rows:
            position = int(self.model.positions[row])
            lines.append("\t".join(cell(position, key) for key in columns))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
        self.statusBar().showMessage(f"Copied {len(rows)} rows", 4000)

    # -- columns and layout --------------------------------------------------------------

    def _fill_columns_menu(self, menu: QMenu) -> None:
        menu.clear()
        header = self.table.horizontalHeader()
        for i, column in enumerate(COLUMNS):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: self.set_column_visible(i, on))

    def _header_menu(self, point: QPoint) -> None:
        # A popup of its own: View → Columns stays the menu-bar menu it was.
        menu = QMenu(self)
        self._fill_columns_menu(menu)
        menu.exec(self.table.horizontalHeader().mapToGlobal(point))

    def set_column_visible(self, column: int, visible: bool) -> None:
        header = self.table.horizontalHeader()
        shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
        if not visible and shown == [column]:
            return  # the last visible column stays
        header.setSectionHidden(column, not visible)

    def apply_default_layout(self) -> None:
        self.resize(*DEFAULT_SIZE)
        header = self.table.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if logical != visual:
                header.moveSection(header.visualIndex(visual), visual)
        for i, column in enumerate(COLUMNS):
            header.setSectionHidden(i, column.key in HIDDEN_BY_DEFAULT)
            header.resizeSection(i, column.width)
        header.setSortIndicator(COLUMN_INDEX["year"], Qt.SortOrder.AscendingOrder)
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
            self.table.horizontalHeader().restoreState(header)
        indicator = self.table.horizontalHeader()
        self._sort_changed(indicator.sortIndicatorSection(), indicator.sortIndicatorOrder())
        filters = s.value("filters/state")
        if isinstance(filters, str):
            try:
                state = json.loads(filters)
            except ValueError:
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
        s.setValue("table/header", self.table.horizontalHeader().saveState())
        s.setValue("filters/state", json.dumps(self.filters.state()))
        s.setValue("filters/search", self.search.text())
        s.sync()

    def _decisions_changed(self) -> None:
        """Rebuild the catalog so a "same person" decision merges the pair (and an undo
        splits it again), then come back to the duplicates view."""
        if self.session is None:
            return
        tab = self.cross_checking.current_tab()
        QTimer.singleShot(0, lambda: self.session.open(lambda w: w.cross_checking.open(tab))
                          if self.session else None)  # fmt: skip

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

        ReferencesDialog(self.catalog, source_id, self).exec()

    def export_default_path(self) -> Path:
        return Path.home() / "defectors.csv"


def _dropped_file(mime: QMimeData) -> Path | None:
    """The one local file being dragged, if that is what it is."""
    urls = mime.urls() if mime.hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.is_file() else None
