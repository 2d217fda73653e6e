"""Files the app keeps in step across processes and crashes: a lock around each
read-modify-write, what could not be read kept beside the file, and the temporary
files a killed process left behind swept away.

No Qt here: the window, the command line and the tests all use the same lock
(`filelock`, a lock file beside the file it guards), so two windows adding sources, or
a window and a command-line run deciding pairs, never lose each other's changes.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

# A temporary file this much older than now was left by a process that died: no write
# of ours takes that long (the biggest export takes seconds).
STALE_PART_SECONDS = 3600
# How long a second process waits for the lock before saying the file is busy.
LOCK_WAIT_SECONDS = 30


class BusyError(OSError):
    """Another process held a file's lock for longer than LOCK_WAIT_SECONDS."""


@contextlib.contextmanager
def locked(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock of `path` (the file `path.lock` beside it) while the body runs."""
    from filelock import FileLock, Timeout  # only when something is written

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=wait)
    try:
        with lock:
            yield
    except Timeout:
        raise BusyError(f"{path.name} is being changed by another window or command") from None


def keep_damaged(path: Path) -> Path | None:
    """Copy `path` (which could not be read) to `NAME.damaged-TIME` beside it, never over
    another file; returns the copy, or None when even that failed."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 100):
        suffix = f".damaged-{stamp}" + (f"-{n}" if n > 1 else "")
        copy = path.with_name(path.name + suffix)
        if copy.exists():
            continue
        try:
            with path.open("rb") as source, copy.open("xb") as target:
                shutil.copyfileobj(source, target)
        except FileExistsError:
            continue
        except OSError:
            return None
        return copy
    return None


def sweep_parts(
    folder: Path, patterns: Sequence[str], older_than: float = STALE_PART_SECONDS
) -> list[Path]:
    """Remove the temporary files matching `patterns` in `folder` (not below it) that
    are older than `older_than` seconds: what a killed process left. Returns them."""
    removed = []
    now = time.time()
    for pattern in patterns:
        for path in folder.glob(pattern):
            try:
                if (
                    path.is_file()
                    and not path.is_symlink()
                    and now - path.stat().st_mtime > older_than
                ):
                    path.unlink()
                    removed.append(path)
            except OSError:
                continue
    return removed


def summarise(problems: Sequence[str], first: int = 5) -> str:
    """The first few problems, one a line, then "and N more" (the full list belongs in
    the log): a message a person can read, however many there are."""
    shown = list(problems[:first])
    if len(problems) > first:
        shown.append(f"…and {len(problems) - first:,} more")
    return "\n".join(shown)
