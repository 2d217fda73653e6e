"""Painting: source badges as coloured chips, and search words highlighted in cells."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
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

from app.domain.model import SourceSpec
from app.domain.text import highlight_spans
from app.gui.catalog_model import HighlightRole, OnlyUnreliableRole, SourcesRole

_Index = QModelIndex | QPersistentModelIndex


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

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        # Let the style draw selection and background; we draw the chips on top.
        base = QStyleOptionViewItem(option)
        self.initStyleOption(base, index)
        base.text = ""
        base.icon = QIcon()
        widget: QWidget | None = base.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, base, painter, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(option.font)
        rect = option.rect.adjusted(4, 0, -2, 0)
        x = rect.left()
        height = min(metrics.height() + 4, rect.height() - 4)
        top = rect.top() + (rect.height() - height) // 2
        if index.data(OnlyUnreliableRole):
            painter.setPen(QColor("#c0392b"))
            sign = QRect(x, top, height, height)
            painter.drawText(sign, Qt.AlignmentFlag.AlignCenter, "\u26a0")
            x += height + 3
        for source_id in index.data(SourcesRole) or ():
            spec = self.sources[source_id]
            width = metrics.horizontalAdvance(spec.label) + 10
            chip = QRectF(x, top, width, height)
            if chip.right() > rect.right():
                break
            colour = QColor(spec.colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(chip, height / 2.5, height / 2.5)
            painter.setPen(readable_text_colour(colour))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, spec.label)
            x += width + 4
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        metrics = QFontMetrics(option.font)
        labels = [self.sources[s].label for s in index.data(SourcesRole) or ()]
        width = sum(metrics.horizontalAdvance(label) + 14 for label in labels) + 28
        return QSize(width, metrics.height() + 8)


class HighlightDelegate(QStyledItemDelegate):
    """Elided cell text with the search words marked, as the style would draw it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        words = index.data(HighlightRole) or ()
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        spans = highlight_spans(text, words) if words else []
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
