"""The catalog table model: maps view rows to catalog records through an index array.

The query engine decides which records are visible and in what order; this model only
holds that array (`positions`) and answers `rowCount()`/`data()` through it. A new
sort keeps the row set, so it is a layout change with persistent indexes remapped (the
selection survives); a new filter changes the row set, so it is a reset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.facets import FACET
from defectors_catalog.domain.query.engine import QueryResult
from defectors_catalog.domain.query.table import IntArray
from defectors_catalog.gui.columns import ANNOTATION_KEYS, COLUMN_INDEX, COLUMNS
from defectors_catalog.gui.plain_text import plain_tooltip
from defectors_catalog.gui.theme import is_dark

RecordIdRole = Qt.ItemDataRole.UserRole + 1
SourcesRole = Qt.ItemDataRole.UserRole + 2  # tuple of source ids listing the record
OnlyUnreliableRole = Qt.ItemDataRole.UserRole + 3
PositionRole = Qt.ItemDataRole.UserRole + 4  # the record's position in the catalog
HighlightRole = Qt.ItemDataRole.UserRole + 5  # folded search words to mark in the text

_Index = QModelIndex | QPersistentModelIndex
_STATUS_SHOWN = {**dict(FACET["status"].fixed_values), "unchecked": ""}
_NOTES_TOOLTIP_AT = 60  # notes longer than this get their full text as a tooltip


class CatalogTableModel(QAbstractTableModel):
    """Holds the catalog, the visible `positions`, and per-record display lookups."""

    def __init__(self, catalog: Catalog, warning_icon: QIcon | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        self.positions: IntArray = np.arange(len(catalog.records), dtype=np.int64)
        self.words: tuple[str, ...] = ()
        self._text = catalog.table.text
        self._alias = catalog.table.text["alias"]
        self._spec = {spec.id: spec for spec in catalog.sources}
        self._row_of: IntArray | None = None  # catalog position -> view row, built on demand
        # Per-record values are looked up when a cell asks, never gathered up front: a
        # walk over a million records would cost half a second before the first paint.
        self._records = catalog.records
        self._only_unreliable = catalog.table.only_unreliable
        self._has_warnings = catalog.table.has_warnings
        self._warning_icon = warning_icon or QIcon()
        self._tint = QColor()
        self.set_dark(is_dark())
        self._keys = tuple(c.key for c in COLUMNS)
        self._roles = self._role_handlers()

    # -- Qt interface --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.positions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Sort by {COLUMNS[section].title.lower()}"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks about ten roles per visible cell on every repaint, most of which
        # this model does not answer; an int-keyed dispatch answers those at once.
        handler = self._roles.get(role)
        if handler is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.positions) and 0 <= column < len(COLUMNS)):
            return None
        return handler(int(self.positions[row]), column)

    def display(self, row: int, column: int) -> str:
        """The text shown in a cell (the highlight delegate asks directly)."""
        return self._display(int(self.positions[row]), self._keys[column])

    def _role_handlers(self) -> dict[int, Callable[[int, int], Any]]:
        keys = self._keys
        name_column = COLUMN_INDEX["name"]
        year_column = COLUMN_INDEX["year"]
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        highlighted = tuple(c.highlight for c in COLUMNS)
        ids = self.catalog.table.ids

        def decoration(position: int, column: int) -> Any:
            if column == name_column and self._has_warnings[position]:
                return self._warning_icon
            return None

        roles: dict[Any, Callable[[int, int], Any]] = {
            Qt.ItemDataRole.DisplayRole: lambda p, c: self._display(p, keys[c]),
            Qt.ItemDataRole.ToolTipRole: lambda p, c: plain_tooltip(self._tooltip(p, keys[c])),
            Qt.ItemDataRole.BackgroundRole: lambda p, c: (
                self._tint if self._only_unreliable[p] else None
            ),
            Qt.ItemDataRole.DecorationRole: decoration,
            Qt.ItemDataRole.TextAlignmentRole: lambda p, c: right if c == year_column else None,
            Qt.ItemDataRole.AccessibleTextRole: lambda p, c: self._accessible(p, keys[c]),
            RecordIdRole: lambda p, c: ids[p],
            SourcesRole: lambda p, c: self._records[p].sources,
            OnlyUnreliableRole: lambda p, c: bool(self._only_unreliable[p]),
            PositionRole: lambda p, c: p,
            HighlightRole: lambda p, c: self.words if highlighted[c] else (),
        }
        return {int(role): handler for role, handler in roles.items()}

    def set_dark(self, dark: bool) -> None:
        """The tint of rows only unreliable sources list, for a light or dark palette
        (the same faint orange vanished on a dark base)."""
        self._tint = QColor(230, 130, 50, 48) if dark else QColor(220, 120, 40, 38)
        if self.positions.size:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.positions) - 1, len(COLUMNS) - 1),
                [Qt.ItemDataRole.BackgroundRole],
            )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-order the visible rows by the engine's cached order for `column`."""
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        full = self.catalog.engine.order(COLUMNS[column].key, descending)
        visible = np.zeros(len(self.catalog.records), dtype=bool)
        visible[self.positions] = True
        self.set_positions(full[visible[full]])

    # -- updates -------------------------------------------------------------------------

    def set_result(self, result: QueryResult) -> None:
        """Show a query's result: a reset when the rows changed, else only new highlights.

        (A new order of the same rows comes through `sort`, as a layout change.)
        """
        self.words = result.words
        if np.array_equal(result.positions, self.positions):
            self._refresh_highlight()
            return
        self.beginResetModel()
        self.positions = result.positions
        self._row_of = None
        self.endResetModel()

    def set_positions(self, positions: IntArray) -> None:
        """Same records in a new order: remap persistent indexes so selection survives."""
        if np.array_equal(positions, self.positions):
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_positions = [int(self.positions[index.row()]) for index in persistent]
        self.positions = positions
        row_of = np.full(len(self.catalog.records), -1, dtype=np.int64)
        row_of[positions] = np.arange(len(positions))
        self._row_of = row_of
        self.changePersistentIndexList(
            persistent,
            [self.index(int(row_of[p]), index.column()) for p, index in
             zip(old_positions, persistent, strict=True)],
        )  # fmt: skip
        self.layoutChanged.emit()

    def _refresh_highlight(self) -> None:
        if self.positions.size:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self.positions) - 1, len(COLUMNS) - 1),
                [HighlightRole],
            )

    def row_of_position(self, position: int) -> int | None:
        """The view row showing catalog record `position`, or None if filtered out."""
        if self._row_of is None:
            self._row_of = np.full(len(self.catalog.records), -1, dtype=np.int64)
            self._row_of[self.positions] = np.arange(len(self.positions))
        row = int(self._row_of[position])
        return row if row >= 0 else None

    # -- lookups -------------------------------------------------------------------------

    def refresh_annotations(self) -> None:
        """The verdicts changed (an edit, another window's change): repaint their cells."""
        if not self.positions.size:
            return
        for key in ANNOTATION_KEYS:
            column = COLUMN_INDEX[key]
            self.dataChanged.emit(
                self.index(0, column),
                self.index(len(self.positions) - 1, column),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    def _display(self, position: int, key: str) -> str:
        if key in ANNOTATION_KEYS:
            # Read when the cell asks: the overlay is replaced on every change.
            shown: str = self.catalog.engine.annotations.text[key][position]
            if key == "status":
                # Unchecked is every record's at first: a blank cell, so a verdict stands out.
                return _STATUS_SHOWN.get(shown, shown)
            return shown.replace("\n", " ") if key == "note" else shown.replace(";", "; ")
        if key == "sources":
            return " ".join(self._spec[s].label for s in self._records[position].sources)
        if key == "name":
            # The alias beside the name: a search that found the record through it
            # ("suvorov" lists Vladimir Rezun) is highlighted where it matched.
            alias = self._alias[position]
            if alias:
                return f"{self._text[key][position]} ({alias})"
        return self._text[key][position]

    def _tooltip(self, position: int, key: str) -> str | None:
        if key == "sources":
            specs = [self._spec[s] for s in self._records[position].sources]
            lines = [f"{spec.title} ({spec.reliability.value})" for spec in specs]
            if self._has_warnings[position]:
                lines.append(self._warning_text(position))
            return "\n".join(lines)
        if key == "name" and self._has_warnings[position]:
            return self._warning_text(position)
        if key in ANNOTATION_KEYS:
            note: str = self.catalog.engine.annotations.text[key][position]
            return note if key == "note" and note else None
        value = self._text[key][position]
        return value if key == "notes" and len(value) > _NOTES_TOOLTIP_AT else None

    def _warning_text(self, position: int) -> str:
        return "\n".join(w.text for w in self._records[position].warnings)

    def _accessible(self, position: int, key: str) -> str:
        text = self._display(position, key)
        if key == "status" and not text:
            return "Unchecked"
        if key == "sources" and self._only_unreliable[position]:
            text += ", warning: only in an unreliable list"
        return text
