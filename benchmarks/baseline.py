"""The baseline: a plain-list table model behind a QSortFilterProxyModel whose
`filterAcceptsRow` and `lessThan` are Python, the way a straightforward Qt app filters.

It is given every advantage the engine has that a straightforward app could have too:
each row's searchable text is folded once in advance, and sort keys are precomputed,
so what is measured is the per-row Python callbacks, not folding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

_Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    """Columns of display strings in plain Python lists."""

    def __init__(self, columns: Sequence[Sequence[str]], titles: Sequence[str]) -> None:
        super().__init__()
        self._columns = [list(column) for column in columns]
        self._titles = list(titles)
        self._rows = len(self._columns[0]) if self._columns else 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return self._columns[index.column()][index.row()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None


class PythonFilterProxy(QSortFilterProxyModel):
    """Every word must occur in the row's folded text; sorts by precomputed keys."""

    def __init__(self, haystacks: Sequence[str], keys: dict[int, Sequence[Any]]) -> None:
        super().__init__()
        self._haystacks = list(haystacks)
        self._keys = keys  # column -> sort key per source row
        self._words: tuple[str, ...] = ()

    def set_words(self, words: Sequence[str]) -> None:
        self.beginFilterChange()
        self._words = tuple(words)
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        text = self._haystacks[source_row]
        return all(word in text for word in self._words)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        keys = self._keys[left.column()]
        return bool(keys[left.row()] < keys[right.row()])
