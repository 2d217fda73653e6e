"""Painting: source badges as coloured chips, and search words highlighted in cells."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from defectors_catalog.domain.model import SourceSpec
from defectors_catalog.domain.text import highlight_spans
from defectors_catalog.gui.catalog_model import CatalogTableModel, OnlyUnreliableRole, SourcesRole
from defectors_catalog.gui.theme import is_dark

_Index = QModelIndex | QPersistentModelIndex
# (source ids, only unreliable, cell height, pixel ratio, dark palette)
_ChipKey = tuple[tuple[str, ...], bool, int, float, bool]
_CHIP_CACHE = 512


def readable_text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background`."""
    luminance = 0.299 * background.red() + 0.587 * background.green() + 0.114 * background.blue()
    return QColor(Qt.GlobalColor.black) if luminance > 150 else QColor(Qt.GlobalColor.white)


class SourceBadgeDelegate(QStyledItemDelegate):
    """One rounded chip per source listing the record, in the source's manifest colour;
    a warning sign before them when only unreliable sources list it."""

    def __init__(self, sources: Mapping[str, SourceSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources = sources
        # Chips drawn once per (sources, warned, height, pixel ratio) and reused: a few
        # combinations cover every row, and antialiased shapes and text per cell were
        # the most expensive part of repainting the table on each keystroke.
        self._chips: dict[tuple[_ChipKey, int], QPixmap] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        # Let the style draw selection and background; we draw the chips on top.
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        base.icon = QIcon()
        widget: QWidget | None = base.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, widget)
        rect = option.rect.adjusted(4, 0, -2, 0)
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (
            tuple(index.data(SourcesRole) or ()),
            bool(index.data(OnlyUnreliableRole)),
            rect.height(),
            ratio,
            is_dark(option.palette),
        )
        chips = self._chips.get((key, 0))
        if chips is None:
            chips = self._cached((key, 0), self._draw_chips(key, option.font))
        if chips.width() / ratio > rect.width():
            # More sources than fit: those that do, and "+N" for the rest.
            cut = (key, rect.width())
            chips = self._chips.get(cut) or self._cached(
                cut, self._draw_chips(key, option.font, rect.width())
            )
        width = min(round(chips.width() / ratio), rect.width())
        painter.drawPixmap(
            QRect(rect.left(), rect.top(), width, rect.height()),
            chips,
            QRect(0, 0, round(width * ratio), chips.height()),
        )

    def _cached(self, key: tuple[_ChipKey, int], pixmap: QPixmap) -> QPixmap:
        if len(self._chips) > _CHIP_CACHE:  # column widths dragged through many sizes
            self._chips.clear()
        self._chips[key] = pixmap
        return pixmap

    def _draw_chips(self, key: _ChipKey, font: QFont, room: int = 0) -> QPixmap:
        """The chips of `key`; with `room`, only those that fit it and then "+N"."""
        source_ids, warned, cell_height, ratio, dark = key
        metrics = QFontMetrics(font)
        height = min(metrics.height() + 4, cell_height - 4)
        top = (cell_height - height) // 2
        widths = [metrics.horizontalAdvance(self.sources[s].label) + 10 for s in source_ids]
        shown = len(source_ids)
        lead = height + 3 if warned else 0
        if room:
            while (
                shown
                and lead
                + sum(w + 4 for w in widths[:shown])
                + self._more_width(metrics, len(source_ids) - shown)
                > room
            ):
                shown -= 1
        more = len(source_ids) - shown
        total = lead + sum(w + 4 for w in widths[:shown]) + self._more_width(metrics, more) + 1
        pixmap = QPixmap(round(max(total, 1) * ratio), round(cell_height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        x = 0
        if warned:
            painter.setPen(QColor("#ff7a6b" if dark else "#c0392b"))
            painter.drawText(QRect(x, top, height, height), Qt.AlignmentFlag.AlignCenter, "\u26a0")
            x += height + 3
        for source_id, width in zip(source_ids[:shown], widths[:shown], strict=True):
            spec = self.sources[source_id]
            chip = QRectF(x, top, width, height)
            colour = QColor(spec.colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(chip, height / 2.5, height / 2.5)
            painter.setPen(readable_text_colour(colour))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, spec.label)
            x += width + 4
        if more:
            painter.setPen(QColor("#d8d8d8" if dark else "#404040"))
            painter.drawText(
                QRectF(x, top, self._more_width(metrics, more), height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"+{more}",
            )
        painter.end()
        return pixmap

    @staticmethod
    def _more_width(metrics: QFontMetrics, more: int) -> int:
        return metrics.horizontalAdvance(f"+{more}") + 4 if more else 0

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        metrics = QFontMetrics(option.font)
        labels = [self.sources[s].label for s in index.data(SourcesRole) or ()]
        width = sum(metrics.horizontalAdvance(label) + 14 for label in labels) + 28
        return QSize(width, metrics.height() + 8)


class HighlightDelegate(QStyledItemDelegate):
    """Elided cell text with the search words marked, as the style would draw it."""

    def __init__(self, model: CatalogTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Read from the model directly: it paints every visible cell on each keystroke,
        # and a call through QModelIndex.data() costs more than the lookup itself.
        self.model = model

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        words = self.model.words
        if not words:
            super().paint(painter, option, index)
            return
        text = self.model.display(index.row(), index.column())
        spans = highlight_spans(text, words)
        if not spans:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        widget: QWidget | None = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, item.widget)
        text_rect = text_rect.adjusted(3, 0, -3, 0)
        metrics = QFontMetrics(item.font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Normal
        text_colour = item.palette.color(
            group,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
        )
        mark = QTextCharFormat()
        mark.setBackground(QColor(255, 200, 0, 150))
        mark.setForeground(QColor(Qt.GlobalColor.black))
        formats = []
        for start, end in spans:
            if start >= len(shown):
                break
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = start, min(end, len(shown)) - start, mark
            formats.append(span)
        layout = QTextLayout(shown, item.font)
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(text_rect.width())
        layout.endLayout()
        painter.save()
        painter.setPen(text_colour)
        top = text_rect.top() + (text_rect.height() - metrics.height()) / 2
        layout.draw(painter, QPointF(text_rect.left(), top))
        painter.restore()
