"""The year filter: from/to spin boxes over a small histogram of records per year.

The histogram counts records under every other filter; the selected span is drawn in
the highlight colour. Dragging across the histogram selects a span: the boxes follow the
pointer and the range applies as it moves. Typing a year applies it once typing pauses
(`TYPING_PAUSE_MS`), so '1956' does not filter on '1', '19', ... in turn; Enter or
leaving the box applies it at once.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from defectors_catalog.domain.query.table import IntArray


class YearHistogram(QWidget):
    """Bars of records per year between `first` and `last`; emits the span as it is
    dragged (`spanMoved`) and when the button is let go (`spanDragged`)."""

    spanMoved = Signal(int, int)
    spanDragged = Signal(int, int)

    def __init__(self, first: int, last: int) -> None:
        super().__init__()
        self.first, self.last = first, last
        self.counts: dict[int, int] = {}
        self.span = (first, last)
        self._drag_from: int | None = None
        self.setMinimumHeight(44)
        self.setAccessibleName("Records per year")
        self.setAccessibleDescription("Drag across the bars to pick a span of years")
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(200, 48)

    def set_counts(self, years: IntArray, counts: IntArray) -> None:
        self.counts = dict(zip(years.tolist(), counts.tolist(), strict=True))
        total = sum(self.counts.values())
        self.setToolTip(f"{total} records in {len(self.counts)} years; drag to select years")
        self.update()

    def set_span(self, start: int, end: int) -> None:
        self.span = (start, end)
        self.update()

    def _year_at(self, x: float) -> int:
        years = self.last - self.first + 1
        fraction = min(max(x / max(self.width(), 1), 0.0), 0.999)
        return self.first + int(fraction * years)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        years = self.last - self.first + 1
        width = self.width() / max(years, 1)
        peak = max(self.counts.values(), default=0)
        base = self.height() - 1
        painter.setPen(Qt.PenStyle.NoPen)
        inside = palette.color(QPalette.ColorRole.Highlight)
        outside = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if self.span != (self.first, self.last):
            # Not by colour alone: a band behind the picked years, edged at both ends.
            left = (self.span[0] - self.first) * width
            right = (self.span[1] - self.first + 1) * width
            band = QColor(inside)
            band.setAlpha(48)
            painter.fillRect(QRectF(left, 0, right - left, base), band)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawLine(QPointF(left, 0), QPointF(left, base))
            painter.drawLine(QPointF(right - 1, 0), QPointF(right - 1, base))
            painter.setPen(Qt.PenStyle.NoPen)
        for year, count in self.counts.items():
            if not count or peak == 0:
                continue
            height = max(2.0, (base - 2) * count / peak)
            x = (year - self.first) * width
            painter.setBrush(inside if self.span[0] <= year <= self.span[1] else outside)
            painter.drawRect(QRectF(x, base - height, max(width - 0.5, 1.0), height))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPointF(0, base), QPointF(self.width(), base))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._drag_from = self._year_at(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        year = self._year_at(event.position().x())
        self.setToolTip(f"{year}: {self.counts.get(year, 0)} records")
        if self._drag_from is not None:
            span = (min(self._drag_from, year), max(self._drag_from, year))
            if span != self.span:
                self.set_span(*span)
                self.spanMoved.emit(*span)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        year = self._year_at(event.position().x())
        start, end = min(self._drag_from, year), max(self._drag_from, year)
        self._drag_from = None
        self.spanDragged.emit(start, end)


TYPING_PAUSE_MS = 400


class YearRange(QWidget):
    """From/to spin boxes and the histogram. `rangeChanged` when the range applies (live
    while dragging), `rangeSettled` once per act: a drag let go, typing paused, a step."""

    rangeChanged = Signal()
    rangeSettled = Signal()

    def __init__(self, first: int, last: int) -> None:
        super().__init__()
        self.first, self.last = first, last
        self.histogram = YearHistogram(first, last)
        self.from_box = self._spin("From year", first)
        self.to_box = self._spin("To year", last)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("From"))
        row.addWidget(self.from_box)
        row.addWidget(QLabel("to"))
        row.addWidget(self.to_box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.histogram)
        layout.addLayout(row)
        # Typed digits wait for a pause; arrows, the wheel and Enter apply at once.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._typed)
        self._applied = (first, last)
        self._last_edited = self.from_box
        self.from_box.valueChanged.connect(self._on_from)
        self.to_box.valueChanged.connect(self._on_to)
        for box in (self.from_box, self.to_box):
            box.editingFinished.connect(self._typed)
        self.histogram.spanMoved.connect(self._dragging)
        self.histogram.spanDragged.connect(self._dropped)

    def _spin(self, name: str, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(self.first, self.last)
        box.setValue(value)
        box.setAccessibleName(name)
        box.setAccessibleDescription(
            f"{name}, {self.first} to {self.last}; applies as you type, after a short pause"
        )
        box.setKeyboardTracking(True)
        return box

    def _on_from(self, value: int) -> None:
        self._edited(self.from_box, value)

    def _on_to(self, value: int) -> None:
        self._edited(self.to_box, value)

    def _edited(self, box: QSpinBox, value: int) -> None:
        self._last_edited = box
        self.histogram.set_span(self.from_box.value(), self.to_box.value())
        if box.lineEdit().isModified():
            # A digit typed: wait for the next one ('1', '19', '195', '1956').
            box.lineEdit().setModified(False)
            self._typing.start()
        else:
            self._typed()

    def _typed(self) -> None:
        """Apply the boxes' years: the other end moves when the range would invert."""
        self._typing.stop()
        start, end = self.from_box.value(), self.to_box.value()
        if start > end:
            moved = self.to_box if self._last_edited is self.from_box else self.from_box
            self._set_quietly(moved, start if moved is self.to_box else end)
            start, end = self.from_box.value(), self.to_box.value()
        self.histogram.set_span(start, end)
        if (start, end) != self._applied:
            self._applied = (start, end)
            self.rangeChanged.emit()
            self.rangeSettled.emit()

    def _dragging(self, start: int, end: int) -> None:
        self._set_boxes(start, end)
        if (start, end) != self._applied:
            self._applied = (start, end)
            self.rangeChanged.emit()

    def _dropped(self, start: int, end: int) -> None:
        self._set_boxes(start, end)
        changed = (start, end) != self._applied
        self._applied = (start, end)
        if changed:
            self.rangeChanged.emit()
        self.rangeSettled.emit()

    @staticmethod
    def _set_quietly(box: QSpinBox, value: int) -> None:
        box.blockSignals(True)
        box.setValue(value)
        box.blockSignals(False)

    def _set_boxes(self, start: int, end: int) -> None:
        self._typing.stop()
        self._set_quietly(self.from_box, start)
        self._set_quietly(self.to_box, end)
        self.histogram.set_span(start, end)

    def set_range(self, start: int | None, end: int | None) -> None:
        """Set both ends at once (None: no limit) with one `rangeChanged` if they move."""
        first = self.first if start is None else max(self.first, min(start, self.last))
        last = self.last if end is None else max(first, min(end, self.last))
        self._set_boxes(first, last)
        if (first, last) != self._applied:
            self._applied = (first, last)
            self.rangeChanged.emit()
            self.rangeSettled.emit()

    def bounds(self) -> tuple[int | None, int | None]:
        start, end = self.from_box.value(), self.to_box.value()
        return (None if start == self.first else start, None if end == self.last else end)
