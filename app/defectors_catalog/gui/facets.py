"""One facet's values as a list model: checkable values with live counts; zero-count
values stay, dimmed. The sidebar shows them through `gui/facet_tree.py`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPalette

from defectors_catalog.domain.query.engine import FacetValue
from defectors_catalog.gui.plain_text import plain_tooltip

FacetValueRole = Qt.ItemDataRole.UserRole + 10
FacetCountRole = Qt.ItemDataRole.UserRole + 11
_Index = QModelIndex | QPersistentModelIndex


class FacetModel(QAbstractListModel):
    """Holds one facet's values (fixed order), their current counts, and which are ticked."""

    checkedChanged = Signal()

    def __init__(
        self,
        values: Sequence[FacetValue],
        palette: QPalette | None = None,
    ) -> None:
        super().__init__()
        self.values = [v.value for v in values]
        self.labels = [v.label for v in values]
        self.counts = [v.count for v in values]
        self.checked: set[str] = set()
        self.known = set(self.values)
        self._palette = palette or QPalette()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.values)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.values):
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.labels[row]}  ({self.counts[row]})"
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = self.values[row] in self.checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.labels[row])
        if role == Qt.ItemDataRole.ForegroundRole and self.counts[row] == 0:
            return self._palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = "ticked" if self.values[row] in self.checked else "not ticked"
            return f"{self.labels[row]}, {self.counts[row]} records, {state}"
        if role == FacetValueRole:
            return self.values[row]
        if role == FacetCountRole:
            return self.counts[row]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Not ItemIsUserCheckable: the view toggles on a click anywhere on the row (not
        # only on the box) and on Space, and the delegate must not toggle a second time.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        item = self.values[index.row()]
        if state == Qt.CheckState.Checked:
            self.checked.add(item)
        else:
            self.checked.discard(item)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checkedChanged.emit()
        return True

    def add_values(self, values: Sequence[FacetValue]) -> None:
        """New values (a tag given since the sidebar was built), after the others: the
        rows before them keep their places."""
        fresh = [v for v in values if v.value not in self.known]
        if not fresh:
            return
        first = len(self.values)
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self.values += [v.value for v in fresh]
        self.labels += [v.label for v in fresh]
        self.counts += [v.count for v in fresh]
        self.known.update(v.value for v in fresh)
        self.endInsertRows()

    def set_counts(self, values: Sequence[FacetValue]) -> None:
        counts = {v.value: v.count for v in values}
        new = [counts.get(value, 0) for value in self.values]
        if new != self.counts:
            self.counts = new
            self.dataChanged.emit(
                self.index(0), self.index(len(self.values) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
            )  # fmt: skip

    def set_checked(self, values: set[str], *, notify: bool = True) -> None:
        values = {v for v in values if v in self.values}
        if values == self.checked:
            return
        self.checked = values
        if self.values:
            self.dataChanged.emit(
                self.index(0), self.index(len(self.values) - 1), [Qt.ItemDataRole.CheckStateRole]
            )
        if notify:
            self.checkedChanged.emit()

    def toggle(self, row: int) -> None:
        value = self.values[row]
        state = Qt.CheckState.Unchecked if value in self.checked else Qt.CheckState.Checked
        self.setData(self.index(row), state, Qt.ItemDataRole.CheckStateRole)
