"""Reading a source file into lines, refusing what would be mis-read rather than guessing."""

from __future__ import annotations

import errno
import os
import re
import stat
from io import BufferedReader
from pathlib import Path
from typing import BinaryIO

from defectors_catalog.domain.errors import SourceReadError

# What limits a source is the memory its catalog takes, not a fixed size: a list of
# archive index cards runs to millions of rows. A catalog from a CSV list peaks at
# about MEMORY_PER_SOURCE_BYTE times the file's size on top of the app's own
# MEMORY_BASE (measured with `python -m benchmarks.file_path` on a 1M-row, 109 MB list:
# building peaks at 1,869 MB, 14.4 times the file over the base, and opening the saved
# catalog at the next start at 2,480 MB, 20.0 times: the higher one counts, with a
# little room); a file is refused only when that would not fit in the memory available
# now, which also keeps a stray disk image from freezing the machine.
MEMORY_PER_SOURCE_BYTE = 21
MEMORY_BASE = 300 * 1000 * 1000
_CHUNK = 1 << 24  # bytes read at a time past the size the file reported
_LINE_END = re.compile(r"\r\n|\r|\n")


def available_memory() -> int:
    """Bytes of memory available to this process now: MemAvailable from /proc/meminfo
    (free memory plus what the kernel can reclaim), else the free pages."""
    try:
        with Path("/proc/meminfo").open(encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return 8 * 1000**3  # no way to ask (macOS, Windows): assume a common machine


def memory_limit(available: int | None = None) -> int:
    """The biggest source that fits in `available` bytes (now available by default)."""
    available = available_memory() if available is None else available
    return max(available - MEMORY_BASE, 0) // MEMORY_PER_SOURCE_BYTE


def read_source_text(path: Path, max_bytes: int | None = None, encoding: str = "") -> str:
    """The file's text, in `encoding` or the one detected (`encodings.decode`)."""
    return decode_source_bytes(read_source_bytes(path, max_bytes), path.name, encoding)


def read_source_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (by default: what fits in the
    memory available, `memory_limit`); SourceReadError otherwise."""
    try:
        with open_regular_file(path) as handle:
            if max_bytes is not None:
                return read_limited(handle, max_bytes, path.name)
            available = available_memory()
            return read_limited(handle, memory_limit(available), path.name, available)
    except FileNotFoundError:
        raise SourceReadError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourceReadError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise SourceReadError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot read ({exc.strerror or exc})") from None


def open_regular_file(path: Path) -> BufferedReader:
    """`path` opened for reading, if it is a regular file (or a link to one).

    A FIFO, a device (/dev/zero, a terminal) or a socket is refused before a byte is
    read: reading a FIFO waits forever for a writer, and /dev/zero never ends. The
    file is opened with O_NONBLOCK, so one swapped in after a check cannot block the
    open either, and the check is made on the open file itself (fstat), not the name.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            raise SourceReadError(f"{path}: not a regular file ({_file_kind(mode)}); not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)  # a regular file: reads never wait anyway
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def read_limited(handle: BinaryIO, max_bytes: int, name: str, available: int = 0) -> bytes:
    """All of `handle`, refusing it as soon as more than `max_bytes` have been read.

    The limit counts the bytes as they come rather than trusting the size the file
    reports: a file that grows while it is read, or a special file reporting size 0,
    cannot get past it. A file reporting more than the limit is refused before a byte
    is read. `available`: the memory the limit was worked out from, to name in the
    refusal (0: a fixed limit).
    """
    try:
        reported = os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError, ValueError):  # not a file: a stream in memory
        reported = 0
    if reported > max_bytes:
        raise _too_big(name, reported, max_bytes, available, exact=True)
    first = handle.read(reported + 1)  # a regular file: all of it in one read
    pieces, total = [first], len(first)
    while total <= max_bytes:
        piece = handle.read(min(_CHUNK, max_bytes + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    if total > max_bytes:
        raise _too_big(name, total, max_bytes, available, exact=False)
    return first if len(pieces) == 1 else b"".join(pieces)


def _too_big(
    name: str, size: int, max_bytes: int, available: int, *, exact: bool
) -> SourceReadError:
    over = "" if exact else "over "
    if not available:
        return SourceReadError(
            f"{name}: file is {over}{size / 1e6:.0f} MB; sources are limited to "
            f"{max_bytes / 1e6:.0f} MB"
        )
    need = MEMORY_BASE + MEMORY_PER_SOURCE_BYTE * size
    return SourceReadError(
        f"{name}: file is {over}{size / 1e6:,.0f} MB; building a catalog from it takes "
        f"about {need / 1e6:,.0f} MB of memory and {available / 1e6:,.0f} MB are available "
        f"(at most {max_bytes / 1e6:,.0f} MB of source fit); close other programs or "
        "split the file"
    )


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "a special file"


def decode_source_bytes(data: bytes, name: str, encoding: str = "") -> str:
    """`data` decoded; see `encodings.decode` for what is detected and what refused."""
    from defectors_catalog.domain.sources.encodings import decode

    return decode(data, name, encoding).text


def split_lines(text: str) -> list[str]:
    """Lines without their ends; CRLF, CR and LF all end a line, nothing else does.

    (`str.splitlines` would also split on form feeds and U+2028 and so shift the
    line numbers a person sees in their editor.)
    """
    # One kind of line end is split in C without the regular expression (1.7 s of a
    # million-row list), and without a copy of the text with its ends made alike.
    if "\r" not in text:
        lines = text.split("\n")
    elif "\n" not in text:
        lines = text.split("\r")
    elif text.count("\r\n") == text.count("\r") == text.count("\n"):
        lines = text.split("\r\n")
    else:
        lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the file's final line end does not start another line
    return lines
