"""Reading a source file into lines, refusing what would be mis-read rather than guessing."""

from __future__ import annotations

import re
from pathlib import Path

from defectors_catalog.domain.errors import SourceReadError

# A list of people is a few hundred KB; 64 MB leaves room for big archive exports
# while keeping a stray video or disk image from freezing the app.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
_LINE_END = re.compile(r"\r\n|\r|\n")


def read_source_text(path: Path, max_bytes: int = MAX_SOURCE_BYTES, encoding: str = "") -> str:
    """The file's text, in `encoding` or the one detected (`encodings.decode`)."""
    return decode_source_bytes(read_source_bytes(path, max_bytes), path.name, encoding)


def read_source_bytes(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """The file's bytes, refusing what is too big or cannot be read with a message."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceReadError(
                f"{path.name}: file is {size / 1e6:.0f} MB; sources are limited to "
                f"{max_bytes / 1e6:.0f} MB"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourceReadError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise SourceReadError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot read ({exc.strerror or exc})") from None


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
