"""Reading a source file into lines, refusing what would be mis-read rather than guessing."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from defectors_catalog.domain.errors import SourceReadError

# A list of people is a few hundred KB; 64 MB leaves room for big archive exports
# while keeping a stray video or disk image from freezing the app.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
_LINE_END = re.compile(r"\r\n|\r|\n")


def read_source_text(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM) or BOM-marked UTF-16."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceReadError(
                f"{path.name}: file is {size / 1e6:.0f} MB; sources are limited to "
                f"{max_bytes / 1e6:.0f} MB"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceReadError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise SourceReadError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise SourceReadError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceReadError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_source_bytes(data, path.name)


def decode_source_bytes(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceReadError(f"{name}: marked as UTF-16 but not valid: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise SourceReadError(f"{name}: looks like a binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceReadError(
            f"{name}: not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line}); "
            "save it as UTF-8 and try again"
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: every other byte is NUL for Latin text.

    Decoded only when the pattern is unmistakable (at least 90 % of one byte lane NUL
    and the other lane free of them), so binary files are still refused.
    """
    sample = data[:8192]
    if len(data) % 2 or len(sample) < 16:
        return None
    for lane, encoding in ((1, "utf-16-le"), (0, "utf-16-be")):
        zeros = sample[lane::2].count(0) / (len(sample) // 2)
        if zeros >= 0.9 and sample[1 - lane :: 2].count(0) == 0:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def split_lines(text: str) -> list[str]:
    """Lines without their ends; CRLF, CR and LF all end a line, nothing else does.

    (`str.splitlines` would also split on form feeds and U+2028 and so shift the
    line numbers a person sees in their editor.)
    """
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the file's final line end does not start another line
    return lines
