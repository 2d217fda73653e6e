"""Facet lists: checkable values with live counts; zero-count values stay, dimmed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QVBoxLayout, QWidget

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
        colours: dict[str, str] | None = None,
        tooltips: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.values = [v.value for v in values]
        self.labels = [v.label for v in values]
        self.counts = [v.count for v in values]
        self.checked: set[str] = set()
        self._palette = palette or QPalette()
        self._swatches = {value: _swatch(colour) for value, colour in (colours or {}).items()}
        self._tooltips = tooltips or {}

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
        if role == Qt.ItemDataRole.DecorationRole:
            return self._swatches.get(self.values[row])
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self._tooltips.get(self.values[row], self.labels[row]))
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


def _swatch(colour: str) -> QIcon:
    """A small rounded square in a source's badge colour."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(0, 0, 12, 12, 3, 3)
    painter.end()
    return QIcon(pixmap)


class _FacetView(QListView):
    """Space, Enter or a click anywhere on a value ticks or unticks it."""

    def __init__(self, model: FacetModel) -> None:
        super().__init__()
        self.facet = model
        self.setModel(model)
        self.clicked.connect(lambda index: model.toggle(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        toggles = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select)
        if event.key() in toggles and self.currentIndex().isValid():
            self.facet.toggle(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


class FacetList(QWidget):
    """A titled facet: a list of checkable values; Space toggles the current one."""

    def __init__(self, title: str, model: FacetModel, max_rows: int = 8) -> None:
        super().__init__()
        self.model = model
        self.view = _FacetView(model)
        self.view.setAccessibleName(f"{title} filter")
        self.view.setAccessibleDescription(
            "Tick values to show only matching records; counts follow the other filters"
        )
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        rows = max(1, min(max_rows, model.rowCount()))
        height = self.view.sizeHintForRow(0) if model.rowCount() else 20
        self.view.setFixedHeight(rows * max(height, 18) + 2 * self.view.frameWidth() + 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
