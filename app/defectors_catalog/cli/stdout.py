"""Standard output that fails (a reader that stopped early, `| head -1`, or a full
device) ends a command with one line on stderr and a non-zero status, never a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO, cast

# Standard output failed.
EXIT_OUTPUT = 1


class _OutputError(Exception):
    """Standard output could not be written."""


class _Guarded:
    """Standard output, with a failed write or flush raised as `_OutputError` (told apart
    from every other OSError, such as an export target that cannot be written)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _OutputError(exc.strerror or str(exc)) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _OutputError(exc.strerror or str(exc)) from exc

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _drop_stdout(stream: TextIO) -> None:
    """Point standard output at /dev/null, so the interpreter's own flush at exit does
    not fail again with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def guarded(run: Callable[[], int], prog: str) -> int:
    """`run()`'s status, or EXIT_OUTPUT with one line on stderr when stdout fails."""
    stdout = sys.stdout
    sys.stdout = cast(TextIO, _Guarded(stdout))
    try:
        status = run()
        sys.stdout.flush()  # a full stdout is found out now, not at exit
    except _OutputError as exc:
        _drop_stdout(stdout)
        if isinstance(exc.__cause__, BrokenPipeError):
            reason = "the reader closed it before everything was written"
        else:
            reason = str(exc)
        print(f"{prog}: error: cannot write the output: {reason}", file=sys.stderr)
        return EXIT_OUTPUT
    finally:
        sys.stdout = stdout
    return status
