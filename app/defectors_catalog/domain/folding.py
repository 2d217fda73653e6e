"""`fold` for many values at once: the same result as `[fold(v) for v in values]`, faster.

Folding a million names and notes one at a time costs seconds, mostly in `anyascii`,
which walks non-ASCII text a character at a time in Python. Here a batch of values is
joined into one string and normalised once; non-ASCII text becomes code points in a
numpy array, each distinct code point is transliterated once (then remembered), and
the rest is `str.lower` and a check that the spacing needs no tidying. Values are
separated by NUL, which cleaned text never holds; a batch that does hold one (or a
lone surrogate) is folded value by value.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from anyascii import anyascii

from defectors_catalog.domain.text import fold

BATCH = 1 << 16  # values folded together; bounds the temporary arrays (~6 bytes a character)
_SEPARATOR = "\x00"
_UNKNOWN = 255  # length marker of a code point not transliterated yet
# After transliteration everything is ASCII, where `fold`'s white space is what
# `str.isspace` accepts: tab, line feed, vertical tab, form feed, carriage return, the
# four information separators and the space.
_SPACE_RUN = re.compile(r"[\t\n\x0b\x0c\r\x1c-\x1f ]+")
_CONTROL_LIMIT = 0x20  # every white space byte but the space itself is below this
_SPACE_BYTE = 0x20


class _Transliterator:
    """`anyascii` over UTF-8 bytes: ASCII bytes stay, each other character is looked up.

    Nearly every non-ASCII letter in the lists becomes one ASCII letter ('ő' -> 'o'), so
    the common path is a table lookup and dropping continuation bytes; characters that
    become none or several letters ('ß' -> 'ss', 'Щ' -> 'Shch') are spliced in after.
    """

    def __init__(self) -> None:
        self.length = np.full(0x110000, _UNKNOWN, dtype=np.uint8)
        self.first = np.zeros(0x110000, dtype=np.uint8)
        self.replacement: dict[int, bytes] = {}

    def learn(self, points: npt.NDArray[np.uint32]) -> None:
        for point in sorted(set(points.tolist())):  # (np.unique would import numpy.ma)
            ascii_text = anyascii(chr(point)).encode("ascii")[: _UNKNOWN - 1]
            self.replacement[point] = ascii_text
            self.length[point] = len(ascii_text)
            self.first[point] = ascii_text[0] if ascii_text else 0

    def __call__(self, text: str) -> str:
        data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        lead = np.flatnonzero(data >= 0xC0)  # first byte of each non-ASCII character
        points = _code_points(data, lead)
        lengths = self.length[points]
        if np.any(lengths == _UNKNOWN):
            self.learn(points[lengths == _UNKNOWN])
            lengths = self.length[points]
        out = data.copy()
        out[lead] = self.first[points]
        out = out[(data & 0xC0) != 0x80]  # drop continuation bytes
        odd = np.flatnonzero(lengths != 1)
        if not len(odd):
            return str(out.tobytes().decode("ascii"))
        # Where the odd characters landed once continuation bytes were dropped.
        extra = _sequence_length(data[lead]) - 1
        landed = lead[odd] - (np.cumsum(extra) - extra)[odd]
        replacements = [self.replacement[p] for p in points[odd].tolist()]
        return _splice(out.tobytes(), landed.tolist(), replacements)


def _sequence_length(first_bytes: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Bytes in each UTF-8 sequence, from its first byte (all are 2-4 here)."""
    return 2 + (first_bytes >= 0xE0).astype(np.int64) + (first_bytes >= 0xF0)


def _code_points(data: npt.NDArray[np.uint8], lead: npt.NDArray[np.intp]) -> npt.NDArray[np.uint32]:
    last = len(data) - 1
    first = data[lead].astype(np.uint32)
    c1 = data[lead + 1].astype(np.uint32) & 0x3F
    c2 = data[np.minimum(lead + 2, last)].astype(np.uint32) & 0x3F
    c3 = data[np.minimum(lead + 3, last)].astype(np.uint32) & 0x3F
    two = ((first & 0x1F) << 6) | c1
    three = ((first & 0x0F) << 12) | (c1 << 6) | c2
    four = ((first & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
    points: npt.NDArray[np.uint32] = np.where(
        first < 0xE0, two, np.where(first < 0xF0, three, four)
    )
    return points


def _splice(data: bytes, positions: list[int], replacements: list[bytes]) -> str:
    """`data` with the byte at each position replaced by its replacement (any length)."""
    pieces = []
    previous = 0
    for position, replacement in zip(positions, replacements, strict=True):
        pieces.append(data[previous:position])
        pieces.append(replacement)
        previous = position + 1
    pieces.append(data[previous:])
    return b"".join(pieces).decode("ascii")


_transliterate = _Transliterator()


def fold_many(values: Iterable[str]) -> list[str]:
    """`[fold(v) for v in values]`, computed a batch at a time."""
    items = values if isinstance(values, Sequence) else list(values)
    folded: list[str] = []
    for start in range(0, len(items), BATCH):
        folded.extend(_fold_batch(items[start : start + BATCH]))
    return folded


def _fold_batch(values: Sequence[str]) -> list[str]:
    if not values:
        return []
    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) != len(values) - 1:
        return [fold(v) for v in values]
    joined = unicodedata.normalize("NFC", joined)
    if not joined.isascii():
        try:
            joined = _transliterate(joined)
        except UnicodeEncodeError:  # lone surrogates: let `fold` decide what they become
            return [fold(v) for v in values]
    joined = joined.lower()  # ASCII only now, where `casefold` is `lower`
    if _needs_tidying(joined, len(values)):
        joined = _SPACE_RUN.sub(" ", joined)
        joined = joined.replace(" \x00", "\x00").replace("\x00 ", "\x00")
        joined = joined.removeprefix(" ").removesuffix(" ")
    return joined.split(_SEPARATOR)


def _needs_tidying(joined: str, count: int) -> bool:
    """Any white space but single spaces inside values (or any other control byte)?"""
    if joined.startswith(" ") or joined.endswith(" "):
        return True
    data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    if int(np.count_nonzero(data < _CONTROL_LIMIT)) != count - 1:
        return True  # a control byte besides the separators
    # Two low bytes in a row are two spaces or a space beside a separator, unless both
    # are separators (an empty value).
    low = data <= _SPACE_BYTE
    pairs = np.flatnonzero(low[1:] & low[:-1])
    return bool(len(pairs)) and bool(np.any(data[pairs] | data[pairs + 1]))
