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

# A list of people is a few hundred KB; 64 MB leaves room for big archive exports
# while keeping a stray video or disk image from freezing the app.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
_LINE_END = re.compile(r"\r\n|\r|\n")


def read_source_text(path: Path, max_bytes: int = MAX_SOURCE_BYTES, encoding: str = "") -> str:
    """The file's text, in `encoding` or the one detected (`encodings.decode`)."""
    return decode_source_bytes(read_source_bytes(path, max_bytes), path.name, encoding)


def read_source_bytes(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; SourceReadError otherwise."""
    try:
        with open_regular_file(path) as handle:
            return read_limited(handle, max_bytes, path.name)
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


def read_limited(handle: BinaryIO, max_bytes: int, name: str) -> bytes:
    """All of `handle`, refusing it as soon as more than `max_bytes` have been read.

    The limit counts the bytes as they come rather than trusting the size the file
    reports: a file that grows while it is read, or a special file reporting size 0,
    cannot get past it.
    """
    data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = max(os.fstat(handle.fileno()).st_size, len(data))
        raise SourceReadError(
            f"{name}: file is {'over ' if size == len(data) else ''}{size / 1e6:.0f} MB; "
            f"sources are limited to {max_bytes / 1e6:.0f} MB"
        )
    return data


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
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the file's final line end does not start another line
    return lines
