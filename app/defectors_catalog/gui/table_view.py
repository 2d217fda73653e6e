"""The records table view: Ctrl+C copies whole rows instead of the current cell."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QTableView


class CatalogTableView(QTableView):
    """A QTableView whose Copy key asks the window to copy the selected rows.

    QAbstractItemView claims Ctrl+C before any window shortcut and copies only the
    current cell's text; people copying records want the rows with a header.
    """

    copyRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
