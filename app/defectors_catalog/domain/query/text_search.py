"""Substring search over the table's folded ASCII buffer, with numpy.

The buffer holds every record's folded text, one line per record. A single letter
needs no offsets: each record holds the byte or not, which one pass over the buffer
answers. A longer word is found by its rarest pair of bytes, compared two bytes at a
time (the buffer read as 16-bit numbers from an even and from an odd offset); its
other bytes are then checked at those offsets. A word that extends a recently
searched word (typing 'kov' after 'ko') only re-checks the offsets already found.

Scans go a slice at a time that fits the CPU cache, so a search over a million
records (a buffer of some 200 MB) never allocates another buffer-sized array.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

CACHE_SIZE = 64  # recent words kept with their offsets and record masks
SLICE = 1 << 21  # bytes compared at a time: the temporary arrays stay in the CPU cache
RECORDS_PER_SLICE = 1 << 13  # records whose bytes are compared at a time
_SAMPLE = 1 << 18  # bytes sampled to estimate how rare each pair of bytes is
_SAMPLE_BLOCKS = 64


class _Found(NamedTuple):
    offsets: IntArray | None  # where the word starts in the buffer (None: not kept)
    mask: BoolArray  # records holding the word


class TextSearch:
    """Which records hold a word, over one buffer; remembers recent words."""

    def __init__(self, buffer: bytes, starts: IntArray) -> None:
        """`starts[i]` is where record i's line begins in `buffer`."""
        self._blob = buffer
        self._buffer = np.frombuffer(buffer, dtype=np.uint8)
        self._starts = starts
        self._frequency: IntArray | None = None
        self._found: OrderedDict[bytes, _Found] = OrderedDict()

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def buffer(self) -> npt.NDArray[np.uint8]:
        return self._buffer

    def mask(self, word: bytes) -> BoolArray:
        """Records whose folded text contains `word` (ASCII, no white space)."""
        found = self._found.get(word)
        if found is not None:
            self._found.move_to_end(word)
            return found.mask
        prefix = max(
            (w for w, f in self._found.items() if f.offsets is not None and word.startswith(w)),
            key=len,
            default=None,
        )
        known = self._found[prefix].offsets if prefix is not None else None
        if known is not None and prefix is not None:
            offsets = self._extend(known, word, len(prefix))
            found = _Found(offsets, self._records(offsets))
        elif len(word) == 1:
            found = _Found(None, self._byte_mask(word[0]))
        else:
            offsets = self._scan(word)
            found = _Found(offsets, self._records(offsets))
        self._found[word] = found
        if len(self._found) > CACHE_SIZE:
            self._found.popitem(last=False)
        return found.mask

    def offsets(self, word: bytes) -> IntArray:
        """Where `word` starts in the buffer (for a term limited to one field)."""
        self.mask(word)
        found = self._found.get(word)
        if found is not None and found.offsets is not None:
            return found.offsets
        # A single letter's mask is made without offsets: found here a slice at a time.
        code = word[0]
        pieces = [
            np.flatnonzero(self._buffer[low : low + SLICE] == code) + low
            for low in range(0, len(self._buffer), SLICE)
        ]
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)

    # -- scanning ------------------------------------------------------------------------

    def frequency(self) -> IntArray:
        """How often each pair of bytes occurs (index `first | second << 8`), estimated
        from evenly spread blocks of the buffer."""
        if self._frequency is None:
            buffer = self._buffer
            if len(buffer) <= _SAMPLE:
                pieces = [buffer]
            else:
                block = _SAMPLE // _SAMPLE_BLOCKS
                step = len(buffer) // _SAMPLE_BLOCKS
                pieces = [buffer[low : low + block] for low in range(0, len(buffer), step)]
            sample = np.concatenate(
                [
                    piece[:-1].astype(np.int64) | (piece[1:].astype(np.int64) << 8)
                    for piece in pieces
                ]
            )
            self._frequency = np.bincount(sample, minlength=1 << 16)
        return self._frequency

    def _scan(self, word: bytes) -> IntArray:
        """Offsets of `word` (2 bytes or more): find its rarest pair of bytes two bytes
        at a time, then check the other bytes at those offsets."""
        buffer = self._buffer
        pairs = [word[i] | word[i + 1] << 8 for i in range(len(word) - 1)]
        anchor = int(np.argmin(self.frequency()[pairs]))
        starts = self._pair_offsets(pairs[anchor]) - anchor
        starts = starts[(starts >= 0) & (starts <= len(buffer) - len(word))]
        for offset in range(len(word)):
            if offset not in (anchor, anchor + 1):
                starts = starts[buffer[starts + offset] == word[offset]]
        return starts

    def _pair_offsets(self, pair: int) -> IntArray:
        """Offsets where the two bytes `pair` (little-endian) occur, in no set order."""
        found: list[IntArray] = []
        for shift in (0, 1):
            halves = np.frombuffer(
                self._blob, dtype="<u2", count=(len(self._blob) - shift) // 2, offset=shift
            )
            for low in range(0, len(halves), SLICE // 2):
                hits = np.flatnonzero(halves[low : low + SLICE // 2] == pair)
                found.append(hits * 2 + (2 * low + shift))
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def _extend(self, starts: IntArray, word: bytes, known: int) -> IntArray:
        """Offsets of `word` among the offsets of its first `known` bytes."""
        buffer = self._buffer
        starts = starts[starts <= len(buffer) - len(word)]
        for offset in range(known, len(word)):
            starts = starts[buffer[starts + offset] == word[offset]]
        return starts

    def _records(self, offsets: IntArray) -> BoolArray:
        mask = np.zeros(len(self._starts), dtype=bool)
        mask[np.searchsorted(self._starts, offsets, side="right") - 1] = True
        return mask

    def _byte_mask(self, code: int) -> BoolArray:
        """Records holding byte `code`: one pass, a slice of records at a time."""
        buffer, starts = self._buffer, self._starts
        mask = np.zeros(len(starts), dtype=bool)
        for first in range(0, len(starts), RECORDS_PER_SLICE):
            last = min(first + RECORDS_PER_SLICE, len(starts))
            low = int(starts[first])
            high = int(starts[last]) if last < len(starts) else len(buffer)
            mask[first:last] = np.logical_or.reduceat(
                buffer[low:high] == code, starts[first:last] - low
            )
        return mask
