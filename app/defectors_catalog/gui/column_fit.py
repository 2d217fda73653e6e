"""Columns of the small cross-checking tables sized to what they hold.

Qt's `ResizeToContents` freezes a column (the person cannot drag it) and measures only
the rows on screen; a fixed width cuts headers ("pedia export (lin"). Here each column
gets the width of its header and of its widest value among the first rows, within
bounds, stays draggable, and the last one takes what is left.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

# Rows measured: the tables here hold a few hundred rows at most on the seeds, and a
# column's widest value among the first hundreds is the one to fit on a big catalog.
MEASURED_ROWS = 200
MINIMUM = 48


def _text_width(view: QTableView, text: str) -> int:
    return view.fontMetrics().horizontalAdvance(text)


def column_width(view: QTableView, column: int, maximum: int) -> int:
    """The width that shows column `column`'s header and values whole, up to `maximum`."""
    model: QAbstractItemModel = view.model()
    header = view.horizontalHeader()
    title = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    # The header needs room for its sort arrow and margins as well as its words.
    margin = 2 * view.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    # The header is never cut ("pedia export (lin"): `maximum` bounds the values only.
    heading = header.fontMetrics().horizontalAdvance(str(title or "")) + margin + 16
    widest = heading
    padding = 2 * view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
    for row in range(min(model.rowCount(), MEASURED_ROWS)):
        value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
        if value:
            # A wrapped cell's widest line is what must fit.
            line = max(str(value).split("\n"), key=len)
            widest = max(widest, _text_width(view, line) + padding)
        if widest >= maximum:
            break
    return max(MINIMUM, heading, min(widest, maximum))


def fit_columns(view: QTableView, maximum: int = 260, stretch_last: bool = True) -> None:
    """Every column as wide as its header and values (at most `maximum`), draggable;
    the last one stretches over the rest of the view."""
    header = view.horizontalHeader()
    header.setMinimumSectionSize(MINIMUM)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    columns = view.model().columnCount()
    for column in range(columns):
        if stretch_last and column == columns - 1:
            # Given its values' width, the last section keeps it and a scroll bar
            # appears; given its header's, it takes the room the others leave.
            view.setColumnWidth(column, column_width(view, column, 0))
        else:
            view.setColumnWidth(column, column_width(view, column, maximum))
