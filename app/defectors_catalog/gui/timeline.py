"""The timeline: records per year, stacked confirmed / only in an unreliable list.

A custom-painted widget (no QtCharts, no QML). Colours come from the palette, so it
reads in light and dark themes; the unreliable part is the palette's text colour
hatched over the base, which stays visible in both. Dragging selects years and sets
the year filter; hovering a bar shows its counts. The caption counts the records of the
selected years too, following a drag as it moves.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from defectors_catalog.domain.query.table import IntArray

_LEFT, _BOTTOM, _TOP = 34.0, 20.0, 8.0


class TimelineChart(QWidget):
    """Stacked bars per year from `first` to `last`; emits `spanMoved(start, end)` while
    a span is dragged and `spanDragged(start, end)` when it is let go."""

    spanMoved = Signal(int, int)
    spanDragged = Signal(int, int)

    def __init__(self, first: int, last: int) -> None:
        super().__init__()
        self.first, self.last = first, last
        self.confirmed: list[int] = [0] * (last - first + 1)
        self.unreliable: list[int] = [0] * (last - first + 1)
        self.span: tuple[int, int] = (first, last)
        self.hover_text = ""
        self._drag_from: int | None = None
        self._drag_to: int | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(140)
        self.setAccessibleName("Timeline: records per year")
        self.setAccessibleDescription(
            "Confirmed and only-unreliable records per year; drag across years to filter"
        )

    def sizeHint(self) -> QSize:
        return QSize(800, 180)

    def set_counts(self, confirmed: IntArray, unreliable: IntArray) -> None:
        self.confirmed = [int(v) for v in confirmed]
        self.unreliable = [int(v) for v in unreliable]
        total = sum(self.confirmed) + sum(self.unreliable)
        self.setAccessibleDescription(
            f"{total} records: {sum(self.confirmed)} confirmed, {sum(self.unreliable)} only "
            "in an unreliable list; drag across years to filter"
        )
        self.update()

    def set_span(self, start: int, end: int) -> None:
        self.span = (start, end)
        self.update()

    # -- geometry ------------------------------------------------------------------------

    def _plot(self) -> QRectF:
        return QRectF(_LEFT, _TOP, max(self.width() - _LEFT - 6, 1), self.height() - _TOP - _BOTTOM)

    def year_at(self, x: float) -> int:
        plot = self._plot()
        years = self.last - self.first + 1
        fraction = min(max((x - plot.left()) / plot.width(), 0.0), 0.9999)
        return self.first + int(fraction * years)

    def x_of(self, year: int) -> float:
        """The centre of `year`'s bar, in widget coordinates."""
        plot = self._plot()
        width = plot.width() / (self.last - self.first + 1)
        return plot.left() + (year - self.first + 0.5) * width

    def counts_at(self, year: int) -> tuple[int, int]:
        i = year - self.first
        if not 0 <= i < len(self.confirmed):
            return 0, 0
        return self.confirmed[i], self.unreliable[i]

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        plot = self._plot()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        years = self.last - self.first + 1
        width = plot.width() / max(years, 1)
        peak = max((c + u for c, u in zip(self.confirmed, self.unreliable, strict=True)), default=0)
        scale = plot.height() / peak if peak else 0.0
        # Selected years: a light band behind the bars.
        start, end = self._drag_span() or self.span
        if (start, end) != (self.first, self.last):
            band = QColor(highlight)
            band.setAlpha(40)
            left = plot.left() + (start - self.first) * width
            painter.fillRect(
                QRectF(left, plot.top(), (end - start + 1) * width, plot.height()), band
            )
        hatch = QBrush(text, Qt.BrushStyle.BDiagPattern)
        for i, (confirmed, unreliable) in enumerate(
            zip(self.confirmed, self.unreliable, strict=True)
        ):
            year = self.first + i
            x = plot.left() + i * width
            bar_width = max(width - 1.0, 1.0)
            inside = start <= year <= end
            base = plot.bottom()
            if confirmed:
                height = confirmed * scale
                painter.fillRect(
                    QRectF(x, base - height, bar_width, height), highlight if inside else muted
                )
                base -= height
            if unreliable:
                height = unreliable * scale
                rect = QRectF(x, base - height, bar_width, height)
                painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
                painter.fillRect(
                    rect, hatch if inside else QBrush(muted, Qt.BrushStyle.BDiagPattern)
                )
                painter.setPen(text if inside else muted)
                painter.drawRect(rect.adjusted(0, 0, -1, 0))
        # Axes and labels.
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        painter.setPen(text)
        metrics = QFontMetricsF(self.font())
        for year in range(self.first, self.last + 1):
            if year % 10 == 0:
                x = plot.left() + (year - self.first) * width
                painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
        for left, label in self.axis_labels():
            painter.drawText(QPointF(left, plot.bottom() + metrics.ascent() + 4), label)
        painter.drawText(QPointF(2, plot.top() + metrics.ascent()), str(peak))
        painter.drawText(QPointF(2, plot.bottom()), "0")
        painter.end()

    def axis_labels(self) -> list[tuple[float, str]]:
        """Each decade's label and where it starts: just right of its tick, or ending at
        the right edge when it would run past it ("1990", not "199"); a label that would
        then overlap the one before is left out."""
        plot = self._plot()
        width = plot.width() / max(self.last - self.first + 1, 1)
        metrics = QFontMetricsF(self.font())
        labels: list[tuple[float, str]] = []
        taken = 0.0  # where the last label ends
        for year in range(self.first, self.last + 1):
            if year % 10:
                continue
            label = str(year)
            x = plot.left() + (year - self.first) * width
            left = min(x + 2, self.width() - metrics.horizontalAdvance(label) - 2)
            if left > taken:
                labels.append((left, label))
                taken = left + metrics.horizontalAdvance(label) + 4
        return labels

    def _drag_span(self) -> tuple[int, int] | None:
        if self._drag_from is None or self._drag_to is None:
            return None
        return min(self._drag_from, self._drag_to), max(self._drag_from, self._drag_to)

    # -- mouse ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = self._drag_to = self.year_at(event.position().x())
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        year = self.year_at(event.position().x())
        confirmed, unreliable = self.counts_at(year)
        total = confirmed + unreliable
        self.hover_text = (
            f"{year}: {total} record{'s' if total != 1 else ''}"
            f" \u2014 {confirmed} confirmed, {unreliable} only in an unreliable list"
        )
        self.setToolTip(self.hover_text)
        QToolTip.showText(event.globalPosition().toPoint(), self.hover_text, self)
        if self._drag_from is not None and year != self._drag_to:
            self._drag_to = year
            self.update()
            span = self._drag_span()
            if span is not None:
                self.spanMoved.emit(*span)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        span = self._drag_span()
        self._drag_from = self._drag_to = None
        if span is not None:
            self.spanDragged.emit(*span)


class TimelinePanel(QWidget):
    """The chart with a caption and a legend in words."""

    def __init__(self, first: int, last: int) -> None:
        super().__init__()
        self.chart = TimelineChart(first, last)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setObjectName("timelineCaption")
        self.caption.setWordWrap(True)
        self._confirmed: IntArray | None = None
        self._unreliable: IntArray | None = None
        self.chart.spanMoved.connect(self._show_caption)
        legend = QLabel(
            "Solid: confirmed by a reliable source \u00b7 hatched: only in an unreliable list"
            " \u00b7 drag across years to filter; Esc clears"
        )
        legend.setTextFormat(Qt.TextFormat.PlainText)
        legend.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.chart, 1)
        layout.addWidget(legend)

    def set_counts(self, confirmed: IntArray, unreliable: IntArray, span: tuple[int, int]) -> None:
        self._confirmed, self._unreliable = confirmed, unreliable
        self.chart.set_counts(confirmed, unreliable)
        self.chart.set_span(*span)
        self._show_caption(*span)

    def _show_caption(self, start: int, end: int) -> None:
        """All years' counts, and the selected years' when a span is picked."""
        if self._confirmed is None or self._unreliable is None:
            return
        confirmed, unreliable = self._confirmed, self._unreliable
        shown = int(confirmed.sum() + unreliable.sum())
        text = (
            f"{shown} records by year under the current search and filters: "
            f"{int(confirmed.sum())} confirmed, {int(unreliable.sum())} only in an unreliable list"
        )
        first, last = self.chart.first, self.chart.last
        if (start, end) != (first, last):
            lo, hi = start - first, end - first + 1
            in_span = int(confirmed[lo:hi].sum() + unreliable[lo:hi].sum())
            years = f"{start}" if start == end else f"{start}\u2013{end}"
            text += f" \u00b7 {in_span} in {years}"
        self.caption.setText(text)
