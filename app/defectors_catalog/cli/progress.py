"""Progress of a long command on stderr, driven by the domain's `Progress` stages.

On a terminal: one line rewritten in place with a carriage return ("Merging list.csv
41% 12.3 s"), cleared when the command ends. Elsewhere (a pipe, a log, CI): nothing,
unless `DEFECTORS_CATALOG_PROGRESS=lines` asks for one plain line per stage with the
seconds since the start and the peak memory so far, which the benchmarks read to time
each stage.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from defectors_catalog.domain.progress import NO_PROGRESS, Progress

PROGRESS_ENV = "DEFECTORS_CATALOG_PROGRESS"  # auto (default), lines, off
STAGE_PREFIX = "progress:"


class _TerminalLine:
    """Rewrites one line of a terminal; a stage's line is kept short of its width."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started = time.monotonic()
        self._width = 0

    def report(self, stage: str, done: int, total: int) -> None:
        share = f" {100 * done // total:3d}%" if total else ""
        text = f"{stage}{share}  {time.monotonic() - self._started:5.1f} s"
        columns = _columns(self._stream) - 1
        text = text[:columns]
        pad = max(self._width - len(text), 0)
        self._width = len(text)
        self._stream.write("\r" + text + " " * pad)
        self._stream.flush()

    def close(self) -> None:
        if self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0


class _StageLines:
    """One line per stage as it starts, with the seconds since the start and the peak
    memory so far in MB: 'progress: 12.345 812 Merging list.csv'."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started = time.monotonic()
        self._last = ""

    def report(self, stage: str, done: int, total: int) -> None:
        if stage != self._last:
            self._last = stage
            elapsed = time.monotonic() - self._started
            self._stream.write(f"{STAGE_PREFIX} {elapsed:.3f} {_peak_mb()} {stage}\n")
            self._stream.flush()

    def close(self) -> None:
        elapsed = time.monotonic() - self._started
        self._stream.write(f"{STAGE_PREFIX} {elapsed:.3f} {_peak_mb()} done\n")
        self._stream.flush()


class CommandProgress:
    """The `Progress` a command passes to the domain, and `close()` for its end."""

    def __init__(self, stream: TextIO | None = None, mode: str | None = None) -> None:
        stream = stream or sys.stderr
        mode = (mode or os.environ.get(PROGRESS_ENV, "auto")).strip().lower()
        self._writer: _TerminalLine | _StageLines | None = None
        if mode == "lines":
            self._writer = _StageLines(stream)
        elif mode == "auto" and _is_terminal(stream):
            self._writer = _TerminalLine(stream)
        self.progress = (
            NO_PROGRESS if self._writer is None else Progress(self._writer.report, interval=0.2)
        )

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def _peak_mb() -> int:
    """This process's peak resident memory so far, in MB (0 where it cannot be told)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // (1 << 20 if sys.platform == "darwin" else 1 << 10)  # bytes or KB


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80
