"""Uncaught exceptions, shown to the person with the log file that holds the details.

`logs.install_excepthooks` logs every exception nobody caught (main thread, other
threads, Qt slots); `ErrorReport` listens and shows one message box that names the log
file. An error that repeats while the box is up (a failing paint, say, fires on every
repaint) only updates the count in that box, so errors never stack up dozens of boxes,
and an error while showing the box does not show another.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from defectors_catalog import APP_NAME, logs

logger = logging.getLogger(__name__)


def open_log_folder() -> bool:
    """Show the log folder in the platform's file manager; False if there is none."""
    folder = logs.log_dir()
    if folder is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    # Here, not at import: QUrl's enums would be made on every start, for a menu item.
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def describe(summary: str, log_file: Path | None) -> str:
    where = (
        f"The details are in the log file:\n{log_file}\n\nPlease send it along if you report this."
        if log_file is not None
        else f"Logging to a file is switched off ({logs.LOG_ENV}=off), so no details were kept."
    )
    return f"Something went wrong; {APP_NAME} may not work as it should.\n\n{summary}\n\n{where}"


class ErrorReport(QObject):
    """Holds the log file's path, the message box on screen (if any) and how many more
    errors came while it was up."""

    # From any thread: queued, so the box is always made on the GUI thread, and never
    # inside the excepthook that is still handling the error.
    _reported = Signal(str)

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.box: QMessageBox | None = None
        self.more = 0
        self._showing = False
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._remove = logs.add_listener(self._listen)
        self.destroyed.connect(self._remove)

    def _listen(self, exc_info: logs.ExcInfo, _where: str) -> None:
        kind, value, _tb = exc_info
        summary = f"{kind.__name__}: {value}" if str(value) else kind.__name__
        with contextlib.suppress(RuntimeError):  # this object is gone: the app is closing
            self._reported.emit(summary)

    def _show(self, summary: str) -> None:
        if self._showing:
            return  # an error raised while making the box: it is logged, not shown again
        if self.box is not None:
            self.more += 1
            self.box.setInformativeText(
                f"{self.more} more error(s) since; they are in the log file too."
            )
            return
        self._showing = True
        try:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                APP_NAME,
                describe(summary, self.log_file),
                QMessageBox.StandardButton.Close,
                QApplication.activeWindow(),
            )
            box.setTextFormat(Qt.TextFormat.PlainText)  # an error message may hold "<"
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            if self.log_file is not None:
                folder = box.addButton("Open log folder", QMessageBox.ButtonRole.ActionRole)
                # The box closes on any button; the folder opens all the same.
                folder.clicked.connect(open_log_folder)
            box.finished.connect(self._closed)
            box.destroyed.connect(self._closed)
            self.box, self.more = box, 0
            box.open()  # not exec(): no nested event loop in which more errors could pile up
        finally:
            self._showing = False

    def _closed(self) -> None:
        self.box = None
