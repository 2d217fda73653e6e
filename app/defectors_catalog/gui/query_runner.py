"""Running the window's queries on a worker thread when the catalog is big.

A query over 185 records takes well under a millisecond, so below `ASYNC_ABOVE` records
it runs at once on the GUI thread: simpler, and the result is there when `submit`
returns. Over a million records one can take 30-200 ms; run on the GUI thread, every
keystroke would freeze the search box and the table that long, and even at 100,000 the
typed letter waits for the table's repaint. Above the threshold a
query runs on one worker thread instead (numpy releases the GIL while it scans, so the
GUI thread keeps painting), and the answer comes back through a queued signal.

Only the newest job of each channel matters: one submitted while another waits replaces
it, and an answer to a job that was superseded while it ran is dropped, so typing fast
never queues up stale searches. No debounce is needed, and none adds lag.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

# Records; below this every query runs on the GUI thread. Measured with
# benchmarks/typing.py: at 100,000 records a letter showed in 45 ms on the GUI thread
# (the table repaints in the same frame) and in 2 ms with the worker thread, the
# answer following in 8 ms either way; at 10,000 the two are within noise.
ASYNC_ABOVE = 50_000

Job = Callable[[], Any]
Done = Callable[[Any], None]
logger = logging.getLogger(__name__)


class QueryRunner(QObject):
    """Runs jobs now (small catalogs) or on a worker thread (big ones), newest first."""

    _answered = Signal(str, int, object, object)  # channel, ticket, result, error
    busyChanged = Signal(bool)

    def __init__(self, asynchronous: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.asynchronous = asynchronous
        self._ticket = 0
        self._latest: dict[str, int] = {}  # channel -> newest ticket
        self._done: dict[int, Done] = {}
        self._pending: dict[str, tuple[int, Job]] = {}  # waiting jobs, one per channel
        self._running = 0  # tickets submitted but not yet answered
        self._wake = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None
        # Emitted on the worker thread; delivered on this object's (the GUI) thread.
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._running > 0

    def submit(self, channel: str, job: Job, done: Done) -> None:
        """Run `job`; call `done(result)` on the GUI thread unless a newer job of the same
        channel was submitted meanwhile. Exceptions in `job` are raised on the GUI thread."""
        self._ticket += 1
        ticket = self._ticket
        self._latest[channel] = ticket
        if not self.asynchronous:
            done(job())
            return
        self._done[ticket] = done
        with self._wake:
            replaced = self._pending.pop(channel, None)
            if replaced is not None:
                self._done.pop(replaced[0], None)
                self._running -= 1
            self._pending[channel] = (ticket, job)
            self._wake.notify()
        self._running += 1
        if self._running == 1:
            self.busyChanged.emit(True)
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="queries", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """End the worker thread; answers still on their way are dropped."""
        with self._wake:
            self._stopped = True
            self._pending.clear()
            self._wake.notify()
        self._done.clear()

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                channel = next(iter(self._pending))
                ticket, job = self._pending.pop(channel)
            result: Any = None
            error: BaseException | None = None
            try:
                result = job()
            except Exception as exc:  # raised again on the GUI thread, where it is seen
                logger.error("query %r (ticket %d) failed", channel, ticket, exc_info=True)
                error = exc
            try:
                self._answered.emit(channel, ticket, result, error)
            except RuntimeError:  # the window (and this object) is gone
                return

    def _deliver(self, channel: str, ticket: int, result: Any, error: object) -> None:
        done = self._done.pop(ticket, None)
        if done is None:  # stopped, or replaced before it ran
            return
        self._running -= 1
        if self._running == 0:
            self.busyChanged.emit(False)
        if isinstance(error, BaseException):
            raise error
        if self._latest.get(channel) == ticket:
            done(result)
