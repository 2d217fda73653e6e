"""The year filter: from/to spin boxes over a small histogram of records per year.

The histogram counts records under every other filter; the selected span is drawn in
the highlight colour. Dragging across the histogram selects a span.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from defectors_catalog.domain.query.table import IntArray


class YearHistogram(QWidget):
    """Bars of records per year between `first` and `last`; emits a dragged span."""

    spanDragged = Signal(int, int)

    def __init__(self, first: int, last: int) -> None:
        super().__init__()
        self.first, self.last = first, last
        self.counts: dict[int, int] = {}
        self.span = (first, last)
        self._drag_from: int | None = None
        self.setMinimumHeight(44)
        self.setAccessibleName("Records per year")
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
            self.set_span(min(self._drag_from, year), max(self._drag_from, year))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is None:
            return
        year = self._year_at(event.position().x())
        start, end = min(self._drag_from, year), max(self._drag_from, year)
        self._drag_from = None
        self.spanDragged.emit(start, end)


class YearRange(QWidget):
    """From/to spin boxes and the histogram; `rangeChanged` carries None for 'no limit'."""

    rangeChanged = Signal()

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
        self.from_box.valueChanged.connect(self._on_from)
        self.to_box.valueChanged.connect(self._on_to)
        self.histogram.spanDragged.connect(self.set_range)

    def _spin(self, name: str, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(self.first, self.last)
        box.setValue(value)
        box.setAccessibleName(name)
        box.setKeyboardTracking(False)  # typing '1956' must not filter on '1', '19', ...
        return box

    def _on_from(self, value: int) -> None:
        if value > self.to_box.value():
            self.to_box.setValue(value)
        self._changed()

    def _on_to(self, value: int) -> None:
        if value < self.from_box.value():
            self.from_box.setValue(value)
        self._changed()

    def _changed(self) -> None:
        self.histogram.set_span(self.from_box.value(), self.to_box.value())
        self.rangeChanged.emit()

    def set_range(self, start: int | None, end: int | None) -> None:
        """Set both ends at once (None: no limit) with one `rangeChanged`."""
        for box in (self.from_box, self.to_box):
            box.blockSignals(True)
        self.from_box.setValue(self.first if start is None else start)
        self.to_box.setValue(self.last if end is None else end)
        for box in (self.from_box, self.to_box):
            box.blockSignals(False)
        self._changed()

    def bounds(self) -> tuple[int | None, int | None]:
        start, end = self.from_box.value(), self.to_box.value()
        return (None if start == self.first else start, None if end == self.last else end)
