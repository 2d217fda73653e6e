"""Sort keys without a Python loop per record.

A sort key is an integer rank per record that orders like the folded text (equal
texts share a rank; empty texts rank after all others, as spreadsheets sort them).

- Columns with few distinct values (country, category, profession, ...) are ranked
  by folding and sorting the distinct values only, then spreading by code.
- Searched columns (name, notes, ...) are already folded in the search buffer; their
  byte strings are ranked there with a most-significant-digit radix sort on 8-byte
  big-endian words: sort by the first 8 bytes, then re-sort only the groups that
  still tie by the next 8 bytes, and so on until no group ties on bytes it has left.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from defectors_catalog.domain.folding import fold_many

IntArray = npt.NDArray[np.int64]
_WORD = 8  # bytes compared per radix pass


def rank_distinct(values: Sequence[str], codes: npt.NDArray[np.int32]) -> IntArray:
    """Ranks of `values[codes[i]]` by folded text, empty last."""
    folded = fold_many(values)
    ordered = sorted(set(folded) - {""})
    rank_of = {text: rank for rank, text in enumerate(ordered)}
    rank_of[""] = len(codes)
    table = np.array([rank_of[text] for text in folded], dtype=np.int64)
    ranks: IntArray = table[codes] if len(table) else np.zeros(len(codes), dtype=np.int64)
    return ranks


def rank_strings(values: Sequence[str]) -> IntArray:
    """Ranks of arbitrary strings by folded text, empty last (one fold per value)."""
    folded = fold_many(values)
    blob = "\n".join(folded).encode("ascii")
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    ends = np.cumsum(lengths + 1) - 1
    return rank_slices(np.frombuffer(blob, dtype=np.uint8), ends - lengths, ends)


def rank_slices(buffer: npt.NDArray[np.uint8], begin: IntArray, end: IntArray) -> IntArray:
    """Ranks of the byte strings `buffer[begin[i]:end[i]]`, empty ones last.

    Equal strings share a rank and ranks order like the strings (they are not dense:
    a rank is where the string's group starts in sorted order). Bytes compare
    unsigned, so ASCII text ranks in code point order; the strings must not hold NUL
    (words are padded with it, so a prefix ranks before its extensions).
    """
    count = len(begin)
    length = end - begin
    first = _word(buffer, begin, length, 0)
    order = np.argsort(first)
    # group[p]: where the group of sorted position p starts; a group is a run of
    # strings equal in every byte compared so far.
    group = _group_starts(first[order], np.arange(count))
    pending = _unsettled(group, length[order], _WORD, np.arange(count))
    depth = _WORD
    while len(pending):
        records = order[pending]
        keys = _word(buffer, begin[records], length[records], depth)
        resort = _sort_within(group[pending], keys)
        order[pending] = records[resort]
        group[pending] = _group_starts(keys[resort], pending, group[pending])
        depth += _WORD
        pending = _unsettled(group[pending], length[order[pending]], depth, pending)
    ranks = np.empty(count, dtype=np.int64)
    ranks[order] = group
    ranks[length == 0] = count
    return ranks


def stable_order(rank: IntArray, descending: bool = False) -> IntArray:
    """`np.argsort(-rank if descending else rank, kind="stable")`, with 16-bit radix
    passes when the ranks span less than 2**32 (several times faster)."""
    if not len(rank):
        return np.zeros(0, dtype=np.int64)
    low, high = int(rank.min()), int(rank.max())
    key = high - rank if descending else rank - low
    if high - low < 1 << 16:
        return np.argsort(key.astype(np.uint16), kind="stable")
    if high - low < 1 << 32:
        order = np.argsort((key & 0xFFFF).astype(np.uint16), kind="stable")
        return order[np.argsort((key[order] >> 16).astype(np.uint16), kind="stable")]
    return np.argsort(key, kind="stable")


def _word(
    buffer: npt.NDArray[np.uint8], begin: IntArray, length: IntArray, at: int
) -> npt.NDArray[np.uint64]:
    """Bytes at..at+8 of each string as a big-endian number, zero past its end."""
    word = np.zeros(len(begin), dtype=np.uint64)
    start = begin + at
    left = np.clip(length - at, 0, _WORD)
    # Every 8 bytes of the buffer as a big-endian number, one starting at each byte.
    windows = len(buffer) - _WORD + 1
    if windows > 0:
        eight = np.ndarray((windows,), dtype=">u8", buffer=buffer, strides=(1,))
        inside = (left > 0) & (start < windows)
        shift = ((_WORD - left[inside]) * 8).astype(np.uint64)
        word[inside] = (eight[start[inside]].astype(np.uint64) >> shift) << shift
    # Strings within 8 bytes of the buffer's end, byte by byte.
    for row in np.flatnonzero((left > 0) & (start >= max(windows, 0))).tolist():
        value = 0
        for offset in range(_WORD):
            byte = int(buffer[start[row] + offset]) if offset < left[row] else 0
            value = value << 8 | byte
        word[row] = value
    return word


def _group_starts(
    sorted_keys: npt.NDArray[np.uint64], positions: IntArray, previous: IntArray | None = None
) -> IntArray:
    """For sorted positions, where each one's group (equal previous group and key) starts."""
    fresh = np.ones(len(sorted_keys), dtype=bool)
    fresh[1:] = sorted_keys[1:] != sorted_keys[:-1]
    if previous is not None:
        fresh[1:] |= previous[1:] != previous[:-1]
    starts: IntArray = np.maximum.accumulate(np.where(fresh, positions, 0))
    return starts


def _unsettled(group: IntArray, length: IntArray, depth: int, positions: IntArray) -> IntArray:
    """The positions whose group has several members, one of them longer than `depth`."""
    if not len(group):
        return positions
    fresh = np.ones(len(group), dtype=bool)
    fresh[1:] = group[1:] != group[:-1]
    first = np.flatnonzero(fresh)
    size = np.diff(np.append(first, len(group)))
    longest = np.maximum.reduceat(length, first)
    keep = np.repeat((size > 1) & (longest > depth), size)
    return positions[keep]


def _sort_within(groups: IntArray, keys: npt.NDArray[np.uint64]) -> IntArray:
    """The permutation sorting by (group, key); `groups` is already non-decreasing."""
    by_key = np.argsort(keys)
    group_rank = np.cumsum(np.append(False, groups[1:] != groups[:-1]))
    return by_key[stable_order(group_rank[by_key])]
