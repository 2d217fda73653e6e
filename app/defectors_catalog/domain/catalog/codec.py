"""The built catalog's parts as plain data (JSON values plus numeric arrays), and back.

The saved catalog used to be a pickle, and unpickling runs whatever the file tells it
to: one file written into the cache folder ran code at the next start. This format
holds only strings, numbers, lists and arrays of numbers, and decoding builds nothing
but the domain's own record classes from them, field by declared field. A value of
the wrong type, an index out of range or a missing field raises (ValueError, KeyError,
IndexError, TypeError), and the caller rebuilds the catalog.

Records, entries and diagnostics are stored column by column (one list per field, a
code per record into the distinct values where values repeat): a catalog of 100,000
records is a few dozen lists rather than millions of small objects, so the file stays
small and opens about as fast as the pickle did. An object that several others hold
(a source's entry is also in the record it was merged into) is stored once, in a pool,
and referred to by index, so it is shared again once opened.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import chain, compress, count, islice, repeat
from operator import attrgetter, is_not
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from defectors_catalog.domain.catalog.cache import TEXT_END, Sink, Texts
from defectors_catalog.domain.fields import FIELD
from defectors_catalog.domain.model import (
    CatalogRecord,
    ColumnChoice,
    Destination,
    Diagnostic,
    LineKind,
    MatchCandidate,
    ParseResult,
    RecordWarning,
    Reliability,
    Severity,
    SourceEntry,
    SourceSpec,
    made_in_bulk,
)
from defectors_catalog.domain.query.table import (
    NO_YEAR,
    CatalogTable,
    Coded,
    source_words,
)
from defectors_catalog.domain.reference.gazetteer import (
    Gazetteer,
    gazetteer_data,
    gazetteer_from_data,
)
from defectors_catalog.domain.reference.professions import (
    ProfessionClassifier,
    classifier_data,
    classifier_from_data,
)

Array = npt.NDArray[Any]
# The catalog's built parts, in the order `Catalog` holds them (build.py).
Parts = tuple[
    tuple[SourceSpec, ...],
    dict[str, ParseResult],
    tuple[CatalogRecord, ...],
    tuple[MatchCandidate, ...],
    CatalogTable,
    ProfessionClassifier,
    Gazetteer,
    tuple[str, ...],
]
Converter = Callable[[list[Any]], list[Any]]


class DamagedError(ValueError):
    """Saved data that does not have the shape the catalog's parts have."""


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise DamagedError(what)


# Each converter takes the values of a column as JSON gave them and returns them as
# the record classes hold them, or raises. The checks run in C (`set(map(type, ...))`):
# a catalog of 100,000 records has millions of values to check.
def _only(values: list[Any], types: frozenset[type], what: str) -> list[Any]:
    _check(set(map(type, values)) <= types, what)
    return values


_STR, _INT, _INT_OR_NONE = frozenset({str}), frozenset({int}), frozenset({int, type(None)})


def _texts(values: list[Any]) -> list[Any]:
    return _only(values, _STR, "text expected")


def _whole(values: list[Any]) -> list[Any]:
    return _only(values, _INT, "whole numbers expected")


def _whole_or_none(values: list[Any]) -> list[Any]:
    return _only(values, _INT_OR_NONE, "whole numbers expected")


def _numbers(values: list[Any]) -> list[Any]:
    _only(values, frozenset({int, float}), "numbers expected")
    return [float(v) for v in values]


def _text_tuples(values: list[Any]) -> list[Any]:
    _only(values, frozenset({list}), "lists expected")
    _texts([text for group in values for text in group])
    return list(map(tuple, values))


def _text_pairs(values: list[Any]) -> list[Any]:
    """Tuples of (text, text) pairs: a source's column mapping."""
    _only(values, frozenset({list}), "lists expected")
    pairs = [pair for group in values for pair in group]
    _only(pairs, frozenset({list}), "pairs expected")
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError("pairs expected")
    _texts([text for pair in pairs for text in pair])
    return [tuple(tuple(pair) for pair in group) for group in values]


def _path(values: list[Any]) -> list[Any]:
    return [Path(v) for v in _texts(values)]


def _members(cls: type[Enum]) -> Converter:
    def convert(values: list[Any]) -> list[Any]:
        return [cls(v) for v in _texts(values)]

    return convert


@dataclass(frozen=True)
class _Many:
    """A field holding a tuple of pooled objects of `cls`."""

    cls: type


@dataclass(frozen=True)
class _Optional:
    """A field holding one pooled object of `cls`, or None."""

    cls: type


@dataclass(frozen=True)
class _Codes:
    """A field holding a tuple of members of the enum `cls` (a parse's line kinds)."""

    cls: type[Enum]


Kind = Converter | _Many | _Optional | _Codes
_TEXT: Kind = _texts

# Every field of every class saved, with its kind: `test_codec` checks these name each
# dataclass field exactly, so a field added to a record class cannot be left out.
SCHEMA: dict[type, dict[str, Kind]] = {
    Diagnostic: {
        "code": _TEXT, "message": _TEXT, "line": _whole_or_none,
        "severity": _members(Severity), "field": _TEXT,
    },
    SourceEntry: {
        "source_id": _TEXT, "line": _whole, "raw": _TEXT, "name": _TEXT, "alias": _TEXT,
        "profession": _TEXT, "birthplace": _TEXT, "year": _whole_or_none, "notes": _TEXT,
        "diagnostics": _Many(Diagnostic),
    },
    RecordWarning: {"code": _TEXT, "text": _TEXT},
    Destination: {"country": _TEXT, "place": _TEXT, "evidence": _TEXT},
    CatalogRecord: {
        "id": _TEXT, "name": _TEXT, "alias": _TEXT, "profession": _TEXT, "category": _TEXT,
        "birthplace": _TEXT, "country": _TEXT, "year": _whole_or_none, "notes": _TEXT,
        "sources": _text_tuples, "entries": _Many(SourceEntry),
        "warnings": _Many(RecordWarning), "diagnostics": _Many(Diagnostic),
        "destination": _Optional(Destination),
    },
    MatchCandidate: {
        "record_a": _TEXT, "record_b": _TEXT, "score": _numbers, "reasons": _text_tuples,
        "label_a": _TEXT, "label_b": _TEXT,
    },
    SourceSpec: {
        "id": _TEXT, "title": _TEXT, "label": _TEXT, "path": _path, "layout": _TEXT,
        "reliability": _members(Reliability), "license": _TEXT, "origin": _TEXT,
        "retrieved": _TEXT, "colour": _TEXT, "description": _TEXT, "encoding": _TEXT,
        "sheet": _TEXT, "columns": _text_pairs,
    },
    ColumnChoice: {
        "index": _whole, "header": _TEXT, "field": _TEXT, "score": _numbers, "reason": _TEXT,
    },
    ParseResult: {
        "source_id": _TEXT, "layout": _TEXT, "entries": _Many(SourceEntry),
        "line_kinds": _Codes(LineKind), "diagnostics": _Many(Diagnostic),
        "references": _text_tuples, "encoding": _TEXT, "summary": _TEXT,
        "columns": _Many(ColumnChoice), "parts": _text_tuples, "part": _TEXT,
    },
}  # fmt: skip
# Pools in the order they are written: each after every pool whose objects refer to it
# (entries hold diagnostics), so reading them backwards finds every reference made.
POOLED = (SourceEntry, Diagnostic, RecordWarning, Destination, ColumnChoice)


class _Writer:
    """Hands each array made to `sink` (the file being written, or `arrays`), and holds
    the pooled objects while the parts are turned into data."""

    def __init__(self, sink: Sink | None = None) -> None:
        self.arrays: list[Array | Texts] = []
        self.sink: Sink = sink or self._keep
        self.pools: dict[type, _Pool] = {cls: _Pool() for cls in POOLED}

    def _keep(self, array: Array | Texts) -> int:
        self.arrays.append(array)
        return len(self.arrays) - 1

    def array(self, values: Array) -> int:
        values = np.ascontiguousarray(values)
        if values.dtype.byteorder == ">" or (values.dtype.byteorder == "=" and _BIG_ENDIAN):
            values = values.astype(values.dtype.newbyteorder("<"))
        return self.sink(values)

    def indexes(self, cls: type, objects: list[object]) -> Array:
        """Each object's index in the pool of `cls` (int64), objects not in it yet
        added in first-seen order.

        Objects are told apart by identity (an entry in a parse and in its record is
        one object, stored once). The pool knows its objects' ids sorted, so a million
        entries are looked up by `searchsorted` after one sort, not through a
        dict of a million ids (20 s at a million rows, every lookup a cache miss).
        """
        pool = self.pools[cls]
        count = len(objects)
        ids = np.fromiter(map(id, objects), dtype=np.uint64, count=count)
        # Looked up in order of id: each search then starts where the last one ended, in
        # memory already read (a million lookups in random order took 2 s).
        order = _stable_order(ids)
        wanted = ids[order]
        found = np.full(count, -1, dtype=np.int64)  # each sorted id's code
        if len(pool.ids) and count:
            at = np.minimum(np.searchsorted(pool.ids, wanted), len(pool.ids) - 1)
            known = pool.ids[at] == wanted
            found[known] = pool.codes[at[known]]
        new = found < 0
        # The first of each run of equal new ids: one new object each. All of it from
        # the one sort (it took four sorts through `np.unique`, a third of a big save).
        head = new.copy()
        head[1:] &= wanted[1:] != wanted[:-1]
        heads = np.flatnonzero(head)
        if len(heads):
            first = order[heads]  # where each new object is first seen, in order of id
            seen = np.zeros(count, dtype=bool)
            seen[first] = True
            # Codes in first-seen order: each first sighting's rank among them.
            rank = np.cumsum(seen) - 1
            new_codes = rank[first] + len(pool.objects)
            # Held by the pool, so their ids stay their own while writing.
            pool.objects.extend(compress(objects, seen.tolist()))
            found[new] = new_codes[(np.cumsum(head) - 1)[new]]
            pool.ids, pool.codes = _merged(pool.ids, pool.codes, wanted[heads], new_codes)
        codes = np.empty(count, dtype=np.int64)
        codes[order] = found
        return codes


def _merged(ids: Array, codes: Array, more: Array, more_codes: Array) -> tuple[Array, Array]:
    """Sorted `ids` (with their `codes`) and sorted new ids `more` as one sorted array:
    each new id's place found by one search, then both copied in (`np.insert` sorted
    its positions again, a tenth of writing a million new objects' indexes)."""
    at = np.searchsorted(ids, more) + np.arange(len(more))
    new = np.zeros(len(ids) + len(more), dtype=bool)
    new[at] = True
    merged_ids = np.empty(len(new), dtype=ids.dtype)
    merged_codes = np.empty(len(new), dtype=codes.dtype)
    merged_ids[at], merged_codes[at] = more, more_codes
    merged_ids[~new], merged_codes[~new] = ids, codes
    return merged_ids, merged_codes


def _stable_order(ids: Array) -> Array:
    """`np.argsort(ids, kind="stable")` (equal ids: the first seen first), by sorting
    the ids and their positions packed into one uint64 each when they fit: objects'
    addresses span far fewer bits than 64. A plain sort of numbers is several times
    faster than numpy's stable argsort (timsort) of a million scattered addresses."""
    count = len(ids)
    if count < 2:
        return np.zeros(count, dtype=np.int64)
    offsets = ids - ids.min()
    # Objects are aligned (to 16 bytes in CPython): the low bits all zero say nothing.
    low = int(np.bitwise_or.reduce(offsets))
    shift = (low & -low).bit_length() - 1 if low else 0
    position_bits = (count - 1).bit_length()
    if (int(offsets.max()) >> shift).bit_length() + position_bits > 64:
        return np.argsort(ids, kind="stable")
    keys = (offsets >> np.uint64(shift)) << np.uint64(position_bits)
    keys |= np.arange(count, dtype=np.uint64)
    keys.sort()
    order: Array = (keys & np.uint64((1 << position_bits) - 1)).astype(np.int64)
    return order


@dataclass
class _Pool:
    """The objects of one class written so far, in order, and their ids sorted with
    each one's index."""

    objects: list[object] = field(default_factory=list)
    ids: Array = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    codes: Array = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


_BIG_ENDIAN = np.little_endian is False
# Columns shorter than this are stored as plain lists: for the seeds' few hundred
# records, the codes' arrays would cost more to open than the repeats they save.
_FACTORISE_FROM = 2048


def _column(writer: _Writer, kind: Kind, values: list[Any]) -> dict[str, Any]:
    if isinstance(kind, _Many):
        counts, items = _flatten(values)
        flat = writer.indexes(kind.cls, items)
        return {"counts": writer.array(_narrow(counts)), "flat": writer.array(_narrow(flat))}
    if isinstance(kind, _Optional):
        given = np.fromiter(map(is_not, values, repeat(None)), bool, len(values))
        codes = np.full(len(values), -1, dtype=np.int64)
        if given.any():
            present = list(compress(values, given))
            codes[given] = writer.indexes(kind.cls, present)
        return {"codes": writer.array(_narrow(codes))}
    if isinstance(kind, _Codes):
        members = list(kind.cls)
        code = {member: i for i, member in enumerate(members)}
        counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        flow = map(code.__getitem__, chain.from_iterable(values))
        kinds = np.fromiter(flow, dtype=np.int8, count=int(counts.sum()))
        return {
            "members": [m.value for m in members],
            "counts": writer.array(counts),
            "flat": writer.array(kinds),
        }
    if kind is _path:
        values = list(map(str, values))
    return _plain(writer, values, texts=kind is _texts)


def _flatten(groups: list[Any]) -> tuple[Array, list[Any]]:
    """Each tuple's length and all their items, a batch of tuples at a time: each of a
    million scattered tuples is fetched from memory once, not once for each."""
    lengths: list[int] = []
    items: list[Any] = []
    for start in range(0, len(groups), _BATCH):
        batch = groups[start : start + _BATCH]
        lengths.extend(map(len, batch))
        items.extend(chain.from_iterable(batch))
    return np.array(lengths, dtype=np.int64), items


def _narrow(values: Array) -> Array:
    """Whole numbers in the smallest of int8, int16, int32 that holds them all (codes
    into a few distinct values, counts, line numbers, indexes), else as they are: a
    fraction of the bytes to checksum, write and read back."""
    if not len(values):
        return values.astype(np.int32)
    low, high = int(values.min()), int(values.max())
    for kind in (np.int8, np.int16, np.int32):
        limits = np.iinfo(kind)
        if limits.min <= low and high <= limits.max:
            return values.astype(kind, copy=values.dtype != kind)
    return values


def _plain(writer: _Writer, values: Sequence[Any], texts: bool = False) -> dict[str, Any]:
    """Values as a list, or (where they repeat) their distinct values and a code each.

    `texts`: the values are all strings (a text field, a table's column), which need
    not be checked one by one here: writing them would fail for any other value."""
    plain = values if isinstance(values, list | tuple) else list(values)
    # A column of mostly different values (raw lines, names) is not worth factorising,
    # and finding that out took a dict of a million strings: its first values tell.
    if len(plain) >= _FACTORISE_FROM and len(set(plain[:_FACTORISE_FROM])) * 2 <= _FACTORISE_FROM:
        distinct, codes = _factorise(plain)
        if len(distinct) * 2 <= len(plain):
            return {"distinct": distinct, "codes": writer.array(_narrow(codes))}
    if len(plain) >= _FACTORISE_FROM:
        types = {str} if texts else set(map(type, plain))
        if types == {str}:
            return _text_column(writer, plain)
        if types == {int}:  # line numbers: an array, not a million numbers in JSON
            whole = np.fromiter(plain, dtype=np.int64, count=len(plain))
            return {"whole": writer.array(_narrow(whole))}
    return {"values": list(plain)}


def _factorise(values: Sequence[Any]) -> tuple[list[Any], Array]:
    """Distinct values in first-seen order and each value's index among them (int32),
    as `table.factorise`, in one pass: a value not met yet gets the next number as it
    is looked up (two passes, one to find the distinct values, were 40 % slower)."""
    index: defaultdict[Any, int] = defaultdict(count().__next__)
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return list(index), codes


def _text_column(writer: _Writer, values: Sequence[str]) -> dict[str, Any]:
    """Many different texts (raw lines, notes) as one UTF-8 array, encoded as the file
    is written (`cache.Texts`), and each text's length in characters, filled in then:
    JSON took 3.5 s for the million raw lines of a 100 MB list (and 1.8 s to read
    them back)."""
    lengths = np.zeros(len(values), dtype="<i4")  # a text of 2**31 characters is not read
    column: dict[str, Any] = {}
    column["text"] = writer.sink(Texts(values, lengths, column))
    # Written already (into the file) and split at the NULs: no lengths needed.
    column["lengths"] = writer.array(lengths[:0] if column.get("split") else lengths)
    return column


def _table(
    writer: _Writer,
    cls: type,
    objects: Sequence[object],
    known: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The objects' columns; those in `known` already encoded (from the catalog's table)."""
    done = dict(known or {})
    # Every other field read at once, a batch of objects at a time, each column dropped
    # once encoded.
    read = _fields(objects, [name for name in SCHEMA[cls] if name not in done])
    columns = {
        name: done[name] if name in done else _column(writer, kind, read.pop(name))
        for name, kind in SCHEMA[cls].items()
    }
    return {"count": len(objects), "columns": columns}


_BATCH = 512  # objects read at a time: every field of them while they are in the cache


def _fields(objects: Sequence[object], names: Sequence[str]) -> dict[str, list[Any]]:
    """Each attribute in `names` of every object, a batch of objects at a time, field
    by field within a batch: a million scattered objects are each fetched from memory
    once, and no tuple is made per object (reading all fields as one tuple each, then
    transposing, was a third slower for the million diagnostics of a big list)."""
    columns: dict[str, list[Any]] = {name: [] for name in names}
    readers = [(columns[name].extend, attrgetter(name)) for name in names]
    for start in range(0, len(objects), _BATCH):
        batch = objects[start : start + _BATCH]
        for extend, get in readers:
            extend(map(get, batch))
    return columns


def encode(
    sources: Sequence[SourceSpec],
    parses: Mapping[str, ParseResult],
    records: Sequence[CatalogRecord],
    candidates: Sequence[MatchCandidate],
    table: CatalogTable,
    classifier: ProfessionClassifier,
    gazetteer: Gazetteer,
    problems: Sequence[str],
) -> tuple[dict[str, Any], list[Array | Texts]]:
    """The catalog's parts as one JSON-able document and the arrays it refers to."""
    writer = _Writer()
    doc = _encode(writer, sources, parses, records, candidates, table, classifier, gazetteer,
                  problems)  # fmt: skip
    return doc, writer.arrays


def encode_into(sink: Sink, *parts: Any) -> dict[str, Any]:
    """The catalog's parts (as `encode` takes them) as one JSON-able document, each
    array it refers to handed to `sink` as it is made (`cache.write_made`)."""
    return _encode(_Writer(sink), *parts)


def _encode(
    writer: _Writer,
    sources: Sequence[SourceSpec],
    parses: Mapping[str, ParseResult],
    records: Sequence[CatalogRecord],
    candidates: Sequence[MatchCandidate],
    table: CatalogTable,
    classifier: ProfessionClassifier,
    gazetteer: Gazetteer,
    problems: Sequence[str],
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "sources": _table(writer, SourceSpec, sources),
        "parse_keys": list(parses),
        "parses": _table(writer, ParseResult, list(parses.values())),
        "records": _table(writer, CatalogRecord, records, _known_columns(writer, table, records)),
        "candidates": _table(writer, MatchCandidate, candidates),
        "table": _encode_table(writer, table, records),
        "classifier": classifier_data(classifier),
        "gazetteer": gazetteer_data(gazetteer),
        "problems": list(problems),
    }
    pools: dict[str, Any] = {}
    for cls in POOLED:  # a pool grows while the ones before it are written
        pools[cls.__name__] = _table(writer, cls, writer.pools[cls].objects)
    doc["pools"] = pools
    return doc


def _encode_table(
    writer: _Writer, table: CatalogTable, records: Sequence[CatalogRecord]
) -> dict[str, Any]:
    def coded(column: Coded) -> dict[str, Any]:
        return {
            "values": list(column.values),
            "labels": list(column.labels),
            "codes": writer.array(column.codes),
        }

    known = table.from_records if len(table) == len(records) else frozenset()
    text: dict[str, Any] = {}
    for key, values in table.text.items():
        # Most text columns are the records' own field values, or made from them, or a
        # factor's values spread: said so, not stored twice (the warnings' text alone
        # was 90 MB of a million-row list's saved catalog). The table says which: it
        # was made from these very records.
        if key in known and key != "year" and _attribute(key):  # "year": the array
            text[key] = {"records": key}
        elif key in table.factors:
            text[key] = {"factor": key}
        elif key in known and key in _MADE_ON_OPENING:
            text[key] = {"derived": key}
        else:
            text[key] = _plain(writer, values, texts=True)
    return {
        "count": len(table),
        "ids": {"records": "id"} if "id" in known else _plain(writer, table.ids, texts=True),
        "text": text,
        "year": writer.array(table.year),
        "facets": {key: coded(column) for key, column in table.facets.items()},
        "source_ids": list(table.source_ids),
        "source_bits": writer.array(table.source_bits),
        "source_count": writer.array(table.source_count),
        "only_unreliable": writer.array(table.only_unreliable),
        "has_warnings": writer.array(table.has_warnings),
        # A factor's values spread (`CatalogTable.factors`).
        "warning_codes": {"factor": "warnings"},
        "search_blob": writer.array(np.frombuffer(table.search_blob, dtype=np.uint8)),
        "search_starts": writer.array(table.search_starts),
        "factors": {key: coded(column) for key, column in table.factors.items()},
        "sort_keys": {key: writer.array(keys) for key, keys in table.sort_keys.items()},
    }


# Made again from the opened records rather than stored: the warnings' text (a join
# of their texts, which the file holds once already, for the few records with any).
# The surname first is stored: making it again took longer than reading it.
_MADE_ON_OPENING = frozenset({"warning_text"})
_RECORD_FIELDS = frozenset(SCHEMA[CatalogRecord])


def _attribute(key: str) -> bool:
    """Whether table column `key` is a record attribute itself (not made by `read`)."""
    spec = FIELD.get(key)
    return key in _RECORD_FIELDS and (spec is None or spec.read is None)


def _known_columns(
    writer: _Writer, table: CatalogTable, records: Sequence[CatalogRecord]
) -> dict[str, dict[str, Any]]:
    """The records' columns encoded from the table made from them, without reading a
    million records again: ids and text columns as they are, factorised columns from
    their factor (distinct values and codes, no factorising again), years from `year`."""
    known = table.from_records if len(table) == len(records) else frozenset()
    columns: dict[str, dict[str, Any]] = {}
    for key in sorted(known & _RECORD_FIELDS):  # in one order: the same file each time
        if key == "id":
            columns[key] = _plain(writer, table.ids, texts=True)
        elif key == "year":
            years, codes = np.unique(table.year, return_inverse=True)
            distinct = [None if y == NO_YEAR else y for y in years.tolist()]
            columns[key] = {"distinct": distinct, "codes": writer.array(_narrow(codes.reshape(-1)))}
        elif not _attribute(key):
            continue
        elif key in table.factors:
            factor = table.factors[key]
            codes = _narrow(factor.codes)
            columns[key] = {"distinct": list(factor.values), "codes": writer.array(codes)}
        else:
            columns[key] = _plain(writer, table.text[key], texts=True)
    return columns


def _derived(key: str) -> Callable[[CatalogRecord], Any] | None:
    """How the field registry makes column `key` from a record, when it does."""
    field = FIELD.get(key)
    return None if field is None else field.read


# The dtypes `_narrow` writes whole numbers in.
_WHOLE = "|i1 <i2 <i4 <i8"


class _Reader:
    """Looks arrays and pooled objects up for the document being decoded."""

    def __init__(self, arrays: Sequence[Array]) -> None:
        self.arrays = arrays
        self.pools: dict[type, list[object]] = {}

    def array(
        self, ref: Any, dtypes: str, length: int | None = None, *, view: bool = False
    ) -> Array:
        """Array number `ref`, one of `dtypes` (space-separated), of `length` rows: a
        copy, unless only a `view` is read now and dropped.

        The saved arrays are views of the whole file's buffer, texts included: an array
        the catalog keeps (a table column) would keep all of it alive (700 MB of a
        million-row catalog's file), so the ones kept are copies.
        """
        _check(type(ref) is int and 0 <= ref < len(self.arrays), "no such array")
        values: Array = self.arrays[ref]
        _check(values.dtype.str in dtypes.split(), "array of another type")
        _check(length is None or (values.ndim >= 1 and len(values) == length), "wrong length")
        return values if view else values.copy()

    def codes(self, ref: Any, length: int, limit: int) -> list[int]:
        """Codes into `limit` values (-1 allowed: none) as a list of ints."""
        codes = self.array(ref, _WHOLE, length, view=True)
        _check(codes.ndim == 1, "codes expected")
        if len(codes):
            _check(int(codes.min()) >= -1 and int(codes.max()) < limit, "code out of range")
        result: list[int] = codes.tolist()
        return result


def _spread(distinct: Sequence[Any], codes: list[int]) -> list[Any]:
    """`[distinct[c] for c in codes]`, each distinct value one shared object."""
    if not codes:
        return []
    _check(min(codes) >= 0, "code out of range")
    table = np.empty(len(distinct), dtype=object)
    table[:] = list(distinct)
    spread: list[Any] = table[codes].tolist()
    return spread


def _decode_plain(reader: _Reader, column: Any, count: int, convert: Converter) -> list[Any]:
    _check(isinstance(column, dict), "column expected")
    if "values" in column:
        values = column["values"]
        _check(isinstance(values, list) and len(values) == count, "wrong length")
        return convert(values)
    if "text" in column:
        return convert(_decode_text(reader, column, count))
    if "whole" in column:
        whole = reader.array(column["whole"], _WHOLE, count, view=True)
        _check(whole.ndim == 1, "whole numbers expected")
        return convert(whole.tolist())
    distinct = column["distinct"]
    _check(isinstance(distinct, list), "distinct values expected")
    return _spread(convert(distinct), reader.codes(column["codes"], count, len(distinct)))


def _decode_text(reader: _Reader, column: dict[str, Any], count: int) -> list[str]:
    """The texts `_text_column` wrote: the UTF-8 decoded once, then split at the NULs
    after each text or, when a text holds a NUL itself, cut at the lengths."""
    # Decoded straight from the file's buffer, with no copy of its bytes.
    text = str(reader.array(column["text"], "|u1", view=True).data, "utf-8", "surrogatepass")
    _check(text.endswith(TEXT_END) or not count, "texts expected")
    if column.get("split") is True:
        texts = text.split(TEXT_END)
        _check(len(texts) == count + 1 and not texts.pop(), "wrong number of texts")
        return texts
    lengths = reader.array(column["lengths"], "<i4 <i8", count, view=True)
    _check(lengths.ndim == 1, "lengths expected")
    ends = np.cumsum(lengths + 1) - 1
    _check(not count or (int(lengths.min()) >= 0 and int(ends[-1]) + 1 == len(text)), "lengths")
    starts = ends - lengths
    return list(map(text.__getitem__, map(slice, starts.tolist(), ends.tolist())))


def _groups(items: list[Any], counts: list[int]) -> list[tuple[Any, ...]]:
    _check(sum(counts) == len(items) and all(c >= 0 for c in counts), "wrong group sizes")
    flow: Iterator[Any] = iter(items)
    return [tuple(islice(flow, n)) if n else () for n in counts]


def _decode_column(reader: _Reader, kind: Kind, column: Any, count: int) -> list[Any]:
    if isinstance(kind, _Many):
        pool = reader.pools[kind.cls]
        counts = reader.array(column["counts"], _WHOLE, count, view=True).tolist()
        flat = reader.codes(column["flat"], sum(counts), len(pool))
        _check(not flat or min(flat) >= 0, "missing object")
        return _groups(list(map(pool.__getitem__, flat)), counts)
    if isinstance(kind, _Optional):
        pool = [*reader.pools[kind.cls], None]  # code -1 picks the None at the end
        return list(map(pool.__getitem__, reader.codes(column["codes"], count, len(pool) - 1)))
    if isinstance(kind, _Codes):
        members = [kind.cls(v) for v in _texts(column["members"])]
        counts = reader.array(column["counts"], "<i4 <i8", count, view=True).tolist()
        kinds = reader.array(column["flat"], "|i1", view=True)
        _check(kinds.ndim == 1, "codes expected")
        if len(kinds):
            _check(int(kinds.min()) >= 0 and int(kinds.max()) < len(members), "code out of range")
        return _groups(list(map(members.__getitem__, kinds.tolist())), counts)
    return _decode_plain(reader, column, count, kind)


def _decode_table(reader: _Reader, cls: type, doc: Any) -> tuple[list[Any], dict[str, list[Any]]]:
    """The objects of `cls` a table holds, and its columns (field name -> values)."""
    count = doc["count"]
    _check(type(count) is int and count >= 0, "count expected")
    given = doc["columns"]
    schema = SCHEMA[cls]
    _check(isinstance(given, dict) and set(given) == set(schema), "other fields")
    columns = {
        name: _decode_column(reader, kind, given[name], count) for name, kind in schema.items()
    }
    names = list(schema)
    count_of = len(next(iter(columns.values()))) if columns else 0
    _check(all(len(values) == count_of for values in columns.values()), "ragged columns")
    # As pickle does, but with every loop in C (`made_in_bulk`): a frozen dataclass's
    # __init__ would set each field through object.__setattr__, several times slower
    # for 200,000 objects.
    objects: list[Any] = made_in_bulk(cls, [columns[name] for name in names], count_of)
    return objects, columns


def decode(doc: Any, arrays: Sequence[Array]) -> Parts:
    """The catalog's parts (as `encode` takes them) from its document and arrays."""
    _check(isinstance(doc, dict), "document expected")
    # Decoding makes hundreds of thousands of objects for a big catalog, none of them
    # garbage; left on, the cycle collector would walk the growing heap again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _decode(doc, arrays)
    finally:
        if collecting:
            gc.enable()


def _decode(doc: dict[str, Any], arrays: Sequence[Array]) -> Parts:
    reader = _Reader(arrays)
    pools = doc["pools"]
    _check(isinstance(pools, dict), "pools expected")
    for cls in reversed(POOLED):
        reader.pools[cls] = _decode_table(reader, cls, pools[cls.__name__])[0]
    sources = tuple(_decode_table(reader, SourceSpec, doc["sources"])[0])
    keys = _texts(doc["parse_keys"])
    parse_list = _decode_table(reader, ParseResult, doc["parses"])[0]
    _check(len(keys) == len(parse_list), "parses expected")
    records, columns = _decode_table(reader, CatalogRecord, doc["records"])
    candidates = tuple(_decode_table(reader, MatchCandidate, doc["candidates"])[0])
    table = _decode_catalog_table(reader, doc["table"], columns, records)
    classifier = classifier_from_data(doc["classifier"])
    gazetteer = gazetteer_from_data(doc["gazetteer"])
    problems = tuple(_texts(doc["problems"]))
    parses = dict(zip(keys, parse_list, strict=True))
    return (sources, parses, tuple(records), candidates, table, classifier, gazetteer, problems)


def _decode_catalog_table(
    reader: _Reader, doc: Any, records: Mapping[str, list[Any]], objects: Sequence[CatalogRecord]
) -> CatalogTable:
    count = doc["count"]
    _check(type(count) is int and count >= 0, "count expected")

    def strings(column: Any) -> tuple[str, ...]:
        if isinstance(column, dict) and "factor" in column:
            _check(type(column["factor"]) is str and column["factor"] in factors, "no factor")
            factor = factors[column["factor"]]
            return tuple(_spread(factor.values, factor.codes.tolist()))
        if isinstance(column, dict) and "derived" in column:
            read = _derived(column["derived"])
            _check(read is not None and len(objects) == count, "wrong column")
            made = tuple(map(read, objects))  # type: ignore[arg-type]
            _check(all(type(v) is str for v in made), "wrong column")
            return made
        if isinstance(column, dict) and "records" in column:
            values = records[column["records"]]
            _check(len(values) == count and all(type(v) is str for v in values), "wrong column")
            return tuple(values)
        return tuple(_decode_plain(reader, column, count, _texts))

    def coded(column: Any) -> Coded:
        values = tuple(_texts(column["values"]))
        labels = tuple(_texts(column["labels"]))
        codes = reader.array(column["codes"], "<i4", count)
        if len(codes):
            _check(int(codes.min()) >= 0 and int(codes.max()) < len(values), "code out of range")
        return Coded(values, labels, codes)

    def array(name: str, dtypes: str) -> Array:
        return reader.array(doc[name], dtypes, count)

    text = doc["text"]
    _check(isinstance(text, dict), "text columns expected")
    facets, factor_docs, sort_keys = doc["facets"], doc["factors"], doc["sort_keys"]
    _check(all(isinstance(d, dict) for d in (facets, factor_docs, sort_keys)), "tables expected")
    factors = {str(key): coded(column) for key, column in factor_docs.items()}
    blob = reader.array(doc["search_blob"], "|u1", view=True)
    source_ids = tuple(_texts(doc["source_ids"]))
    bits = array("source_bits", "<u8")
    _check(bits.ndim == 2 and bits.shape[1] == source_words(len(source_ids)), "source bits")
    starts = array("search_starts", "<i8")
    if count:
        _check(int(starts.min()) >= 0 and int(starts.max()) < len(blob), "search offsets")
    return CatalogTable(
        ids=strings(doc["ids"]),
        text={str(key): strings(column) for key, column in text.items()},
        year=array("year", "<i4"),
        facets={str(key): coded(column) for key, column in facets.items()},
        source_ids=source_ids,
        source_bits=bits,
        source_count=array("source_count", "<i2"),
        only_unreliable=array("only_unreliable", "|b1"),
        has_warnings=array("has_warnings", "|b1"),
        warning_codes=strings(doc["warning_codes"]),
        search_blob=blob.tobytes(),
        search_starts=starts,
        factors=factors,
        sort_keys={str(key): reader.array(ref, "<i4 <i8", count) for key, ref in sort_keys.items()},
    )
