"""Progress and cancelling for long work (parsing a big source, merging, building columns).

The domain never imports Qt: the window passes a `Progress` whose `report` callback it
turns into a signal, and cancels by calling `cancel()` from the GUI thread. The work
calls `step(n)` every few thousand items of its loops: that checks the cancel flag and
reports no more often than `interval`, so it stays cheap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Report = Callable[[str, int, int], None]  # (what is being done, done, total)


class CancelledError(Exception):
    """The person cancelled the work; nothing it was building is kept."""


class Progress:
    """Counts work done in named stages, reports it at most every `interval` seconds,
    and raises `CancelledError` inside the work once `cancel()` has been called."""

    def __init__(self, report: Report | None = None, *, interval: float = 0.05) -> None:
        self._report = report
        self._interval = interval
        self._cancelled = threading.Event()
        self._last = 0.0
        self.stage_name = ""
        self.total = 0
        self.done = 0

    def cancel(self) -> None:
        """Ask the work to stop; safe to call from any thread."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise CancelledError

    def stage(self, name: str, total: int = 0) -> None:
        """Start a stage of `total` steps (0: size unknown); always reported."""
        self.check()
        self.stage_name, self.total, self.done = name, total, 0
        self._emit(force=True)

    def step(self, count: int = 1) -> None:
        self.done += count
        self.check()
        self._emit(force=False)

    def _emit(self, *, force: bool) -> None:
        if self._report is None:
            return
        now = time.monotonic()
        if force or now - self._last >= self._interval:
            self._last = now
            self._report(self.stage_name, min(self.done, self.total), self.total)


class _NoProgress(Progress):
    """For work nobody watches: never reports, and cannot be cancelled by accident (it
    is shared by every caller that passes no progress of its own)."""

    def cancel(self) -> None:
        pass


NO_PROGRESS: Progress = _NoProgress()
