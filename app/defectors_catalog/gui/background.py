"""Long work off the GUI thread, with a progress bar and a Cancel button.

Parsing and merging a big source, or writing a CSV of a million rows, takes seconds;
done on the GUI thread it would freeze the window (no repaint, no Cancel).
`BackgroundTask` runs such work on a worker thread and reports through queued signals;
`ProgressPanel` shows those reports, either in the window's status bar (`StatusProgress`:
the window stays usable meanwhile) or in `LoadingWindow` at start-up, before there is a
catalog to show.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog import APP_NAME
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.progress import CancelledError, Progress

Work = Callable[[Progress], Any]
logger = logging.getLogger(__name__)


class BackgroundTask(QObject):
    """Runs `work(progress)` on a worker thread; exactly one of succeeded / failed /
    cancelled is emitted at the end. The signals are emitted on the worker thread, so
    every receiver connects with `Qt.ConnectionType.QueuedConnection` to be called on
    the GUI thread.

    `work` must not read state the GUI thread changes meanwhile: give it a snapshot."""

    progressed = Signal(str, int, int)  # stage, done, total (0: unknown)
    succeeded = Signal(object)  # what the work returned
    failed = Signal(str)  # a message for people
    cancelled = Signal()

    def __init__(
        self, work: Work, parent: QObject | None = None, *, name: str = "background task"
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._name = name  # what the log calls this work
        self.progress = Progress(self._report)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.finished = False
        self._released = False
        for signal in (self.succeeded, self.failed, self.cancelled):
            signal.connect(self._finish, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Stop at the next progress step (within a fraction of a second)."""
        self.progress.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker thread ends (tests, and quitting mid-load)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def release(self) -> None:
        """Delete this task once it has finished (at once if it has): the worker thread
        never emits on a deleted object."""
        self._released = True
        if self.finished:
            self.deleteLater()

    def _finish(self, *_args: object) -> None:
        self.finished = True
        if self._released:
            self.deleteLater()

    def _report(self, stage: str, done: int, total: int) -> None:
        self._emit(self.progressed, stage, done, total)

    def _run(self) -> None:
        logger.debug("%s: started", self._name)
        try:
            result = self._work(self.progress)
        except CancelledError:
            logger.info("%s: cancelled", self._name)
            self._emit(self.cancelled)
        except CatalogError as exc:
            logger.warning("%s: failed: %s", self._name, exc, exc_info=True)
            self._emit(self.failed, str(exc))
        except MemoryError:
            logger.error("%s: out of memory", self._name, exc_info=True)
            self._emit(self.failed, "There is not enough memory to load these sources.")
        except Exception as exc:  # a bug: say what it was rather than lose the thread silently
            logger.error("%s: unexpected error", self._name, exc_info=True)
            self._emit(self.failed, f"Unexpected error: {exc!r}")
        else:
            logger.debug("%s: done", self._name)
            self._emit(self.succeeded, result)

    @staticmethod
    def _emit(signal: Any, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the receiver is gone: the app is closing
            signal.emit(*args)


def describe(stage: str, done: int, total: int) -> str:
    return f"{stage} \u2014 {done:,} of {total:,}" if total else f"{stage}\u2026"


class ProgressPanel(QWidget):
    """A stage label, a progress bar and Cancel, following one `BackgroundTask`."""

    # Quick loads finish before this; showing a bar for them would only flicker.
    SHOW_AFTER_MS = 250

    def __init__(self, load: BackgroundTask, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.load = load
        self.label = QLabel("Working\u2026")
        # The stage names the source being read ("Reading <its title>"): plain text.
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAccessibleName("Current step")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop this work; nothing it made is kept")
        self.cancel_button.clicked.connect(self.cancel)
        load.progressed.connect(self.show_progress, Qt.ConnectionType.QueuedConnection)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        self.label.setText(describe(stage, done, total))
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        else:
            self.bar.setRange(0, 0)  # busy: the size of this step is not known

    def cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling\u2026")
        self.load.cancel()


class StatusProgress(ProgressPanel):
    """In the status bar of a window whose catalog is being rebuilt."""

    def __init__(self, load: BackgroundTask, parent: QWidget | None = None) -> None:
        super().__init__(load, parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)  # apart from the result count beside it
        self.bar.setFixedWidth(200)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()
        QTimer.singleShot(self.SHOW_AFTER_MS, self._reveal)

    def _reveal(self) -> None:
        if not self.load.finished:
            self.show()


class LoadingWindow(ProgressPanel):
    """Shown at start-up while the person's big sources are read; Esc cancels, and
    closing it cancels and quits."""

    closed = Signal()

    def __init__(self, load: BackgroundTask, heading: str) -> None:
        super().__init__(load, None)
        self.setWindowTitle(APP_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        title = QLabel(heading)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        title.setFont(font)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(title)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)

    def showEvent(self, event: QShowEvent) -> None:
        # Centred on the screen: at start-up there is no main window to sit over.
        self.adjustSize()
        area = self.screen().availableGeometry()
        self.move(area.center() - self.rect().center())
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.load.finished:
            self.load.cancel()
            self.closed.emit()
        super().closeEvent(event)
