"""The records table as one part: model, view, delegates, header menu, copy, selection.

The window places `view` and feeds `show_result` each query's answer; everything else
about the table (which columns are shown and in what order, the sort indicator, the
current record surviving a new filter or sort, Ctrl+C) lives here, in the spirit of
Anki's `browser/table/table.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QMenu, QStyle, QWidget

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.fields import TABLE_COLUMNS
from defectors_catalog.domain.output.csv_export import (
    ExportOptions,
    cells_for_copy,
    column_values,
)
from defectors_catalog.domain.query.engine import QueryResult
from defectors_catalog.domain.query.table import IntArray
from defectors_catalog.gui.catalog_model import CatalogTableModel, PositionRole
from defectors_catalog.gui.columns import COLUMN_INDEX, COLUMNS, HIDDEN_BY_DEFAULT
from defectors_catalog.gui.delegates import HighlightDelegate, SourceBadgeDelegate
from defectors_catalog.gui.table_view import CatalogTableView

logger = logging.getLogger(__name__)

# Saved header states start with the keys of their columns: Qt's own state says only
# how many sections there were, not which.
_STATE_PREFIX = b"defectors-columns:"


class RecordTable(QObject):
    """Holds the table model (the shown positions), its view with the delegates, and
    the column menu it fills; says what is selected and which columns are visible."""

    currentChanged = Signal(object)  # the current record's position, or None
    sortChanged = Signal(str, bool)  # column key, descending
    copied = Signal(int)  # rows put on the clipboard

    def __init__(self, catalog: Catalog, parent: QWidget) -> None:
        super().__init__(parent)
        self._shown: int | None = None  # the record whose details show
        warning_icon = parent.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.model = CatalogTableModel(catalog, warning_icon)
        self.view = self._build_view(catalog)
        # How a copy is written: the window hands over its export options (File →
        # Export options), so Ctrl+C neutralises formulas exactly when an export does.
        self.copy_options: Callable[[], ExportOptions] = ExportOptions

    def _build_view(self, catalog: Catalog) -> CatalogTableView:
        view = CatalogTableView()
        view.setModel(self.model)
        view.copyRequested.connect(self.copy_rows)
        view.setAccessibleName("Records")
        view.setAccessibleDescription(
            "One row per person; arrow keys move, Ctrl+C copies the selected rows, "
            "Ctrl+E exports what is shown"
        )
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        # Tab moves to the next pane, not to the next cell (arrows move in the table).
        view.setTabKeyNavigation(False)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sortIndicatorChanged.connect(self._sort_changed)
        sources = {spec.id: spec for spec in catalog.sources}
        view.setItemDelegateForColumn(COLUMN_INDEX["sources"], SourceBadgeDelegate(sources, view))
        highlighter = HighlightDelegate(self.model, view)
        for column in COLUMNS:
            if column.highlight:
                view.setItemDelegateForColumn(COLUMN_INDEX[column.key], highlighter)
        view.selectionModel().currentRowChanged.connect(self._current_changed)
        view.selectionModel().selectionChanged.connect(self._selection_changed)
        # A new order keeps the selection (persistent indexes); bring it into view.
        self.model.layoutChanged.connect(self._scroll_to_current)
        return view

    # -- results and the current record --------------------------------------------------

    @property
    def positions(self) -> IntArray:
        """The shown records' catalog positions, in display order."""
        return self.model.positions

    def show_result(self, result: QueryResult) -> None:
        """Show a query's rows; the selected record stays selected if it is still shown,
        and a search with a single answer selects it."""
        current = self.shown_position()
        column = max(self.view.currentIndex().column(), 1)
        self.model.set_result(result)
        if current is not None and self.select_position(current, column):
            return
        if self.model.rowCount() == 1:
            self.select_position(int(self.model.positions[0]), column)
            return
        self._shown = None
        self.currentChanged.emit(None)

    def current_position(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(PositionRole) if index.isValid() else None

    def shown_position(self) -> int | None:
        """The record whose details show: the current row, if the person selected it.

        A view given focus makes its first row current without selecting it (closing a
        dialog, toggling a column); that row is not one anybody chose.
        """
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return None
        position: int = index.data(PositionRole)
        return position

    def select_position(self, position: int, column: int = 1) -> bool:
        """Make the record current (and scroll to it); False if it is not shown."""
        row = self.model.row_of_position(position)
        if row is None:
            return False
        index = self.model.index(row, column)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def select_first(self) -> None:
        """The first row, unless a record is current already."""
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.selectRow(0)

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._emit_shown()

    def _selection_changed(self, *_args: object) -> None:
        self._emit_shown()

    def _emit_shown(self) -> None:
        shown = self.shown_position()
        if shown != self._shown:
            self._shown = shown
            self.currentChanged.emit(shown)

    def _scroll_to_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.view.selectionModel().selectedRows())

    def selected_positions(self) -> IntArray:
        """The selected records' catalog positions, in display order."""
        return self.positions[self.selected_rows()]

    # -- copy ----------------------------------------------------------------------------

    def copy_rows(self) -> None:
        """Selected rows, with a header of the visible columns, as tab-separated text."""
        rows = self.selected_rows()
        if not rows:
            return
        columns = self.visible_columns()
        catalog = self.model.catalog
        text = catalog.table.text
        positions = self.model.positions[rows]
        # The export's own neutralising and quoting: `=cmd|' /C calc'!A0` pasted into
        # a spreadsheet is as harmless as in an exported file.
        copied = cells_for_copy(
            [COLUMNS[COLUMN_INDEX[k]].title for k in columns],
            [
                [text[key][p] for p in positions.tolist()]
                if key in text
                else column_values(catalog, key, positions)
                for key in columns
            ],
            self.copy_options(),
        )
        QGuiApplication.clipboard().setText(copied)
        logger.debug("copied %d rows", len(rows))
        self.copied.emit(len(rows))

    # -- columns, sort and layout --------------------------------------------------------

    def visible_columns(self) -> list[str]:
        """The keys of the shown columns, in display order."""
        header = self.view.horizontalHeader()
        logical = [header.logicalIndex(v) for v in range(header.count())]
        return [COLUMNS[i].key for i in logical if not header.isSectionHidden(i)]

    def set_column_visible(self, column: int, visible: bool) -> None:
        header = self.view.horizontalHeader()
        shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
        if not visible and shown == [column]:
            return  # the last visible column stays
        header.setSectionHidden(column, not visible)

    def fill_columns_menu(self, menu: QMenu) -> None:
        """A tick per column in `menu` (View → Columns, or the header's popup)."""
        menu.clear()
        header = self.view.horizontalHeader()
        for i, column in enumerate(COLUMNS):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: self.set_column_visible(i, on))

    def _header_menu(self, point: QPoint) -> None:
        # A popup of its own, gone once closed: View → Columns stays the menu-bar menu.
        menu = QMenu(self.view)
        self.fill_columns_menu(menu)
        menu.exec(self.view.horizontalHeader().mapToGlobal(point))
        menu.deleteLater()

    def sort_by(self, key: str, descending: bool = False) -> None:
        """Sort by column `key`, showing the column if it was hidden."""
        column = COLUMN_INDEX[key]
        self.view.horizontalHeader().setSectionHidden(column, False)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.view.sortByColumn(column, order)

    def sort_order(self) -> tuple[str, bool]:
        """(column key, descending) of the sort indicator."""
        header = self.view.horizontalHeader()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        return COLUMNS[header.sortIndicatorSection()].key, descending

    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        self.sortChanged.emit(COLUMNS[section].key, order == Qt.SortOrder.DescendingOrder)

    def apply_default_layout(self) -> None:
        """Columns in their declared order and widths, the usual ones shown, by year."""
        header = self.view.horizontalHeader()
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if logical != visual:
                header.moveSection(header.visualIndex(visual), visual)
        for i, column in enumerate(COLUMNS):
            header.setSectionHidden(i, column.key in HIDDEN_BY_DEFAULT)
            header.resizeSection(i, column.width)
        header.setSortIndicator(COLUMN_INDEX["year"], Qt.SortOrder.AscendingOrder)

    def show_columns(self, keys: Sequence[str]) -> None:
        """Show exactly the columns `keys` (those this version has), in that order, the
        others hidden; nothing changes when none of them is known (a saved search made
        by a newer version)."""
        known = [COLUMN_INDEX[k] for k in dict.fromkeys(keys) if k in COLUMN_INDEX]
        if not known:
            return
        header = self.view.horizontalHeader()
        for visual, logical in enumerate(known):
            header.moveSection(header.visualIndex(logical), visual)
        for i in range(len(COLUMNS)):
            header.setSectionHidden(i, i not in known)

    def save_state(self) -> QByteArray:
        """The header's state, after the keys of the columns it was saved with."""
        keys = ",".join(column.key for column in COLUMNS).encode()
        return QByteArray(
            _STATE_PREFIX + keys + b"\n" + bytes(self.view.horizontalHeader().saveState().data())
        )

    def restore_state(self, state: QByteArray) -> None:
        """Put back a saved header. A column the state does not know (saved before the
        column existed: the verdicts' columns, on the first start after an update) keeps
        its default, hidden or shown, where Qt would have shown it."""
        raw = bytes(state.data())
        known = [column.key for column in TABLE_COLUMNS]  # a state saved without keys
        if raw.startswith(_STATE_PREFIX):
            head, _, raw = raw[len(_STATE_PREFIX) :].partition(b"\n")
            known = head.decode("utf-8", "replace").split(",")
        header = self.view.horizontalHeader()
        if not header.restoreState(QByteArray(raw)):
            return
        for i, column in enumerate(COLUMNS):
            if column.key not in known:
                header.setSectionHidden(i, column.key in HIDDEN_BY_DEFAULT)
