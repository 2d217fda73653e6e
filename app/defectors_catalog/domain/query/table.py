"""The catalog as columns: what the query engine filters, counts and sorts, vectorised."""

from __future__ import annotations

import dataclasses
import io
import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from defectors_catalog.domain.facets import FACET, FACETS, FacetKind
from defectors_catalog.domain.fields import FIELD, FIELDS, SEARCH_FIELDS, Kind
from defectors_catalog.domain.folding import BATCH, fold_many
from defectors_catalog.domain.model import CatalogRecord, SourceSpec
from defectors_catalog.domain.query.sorting import rank_slices
from defectors_catalog.domain.reference.professions import ProfessionClassifier
from defectors_catalog.domain.text import fold, surnames_first

NO_YEAR = -1
# Folded searchable fields (`fields.SEARCH_FIELDS`) are joined with this byte, which
# folding never produces, so a match cannot span two records.
RECORD_END = b"\n"
FIELD_GAP = " \x1f "
# Fields the table holds in their own way rather than as display strings.
STRUCTURAL = frozenset({"sources", "warnings", "id"})

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True)
class Coded:
    """A categorical column: a code per record into `values` (display labels in `labels`)."""

    values: tuple[str, ...]
    labels: tuple[str, ...]
    codes: npt.NDArray[np.int32]


@dataclass(frozen=True)
class CatalogTable:
    """Columns over all records, in catalog order.

    Holds display strings per field, the numeric year, a coded column per value facet,
    a bit per source, flags, and one ASCII buffer of folded searchable text with each
    record's offset.
    """

    ids: tuple[str, ...]
    text: dict[str, tuple[str, ...]]  # display strings per field (all but STRUCTURAL)
    year: npt.NDArray[np.int32]
    facets: dict[str, Coded]  # the column each VALUES facet counts, by column name
    source_ids: tuple[str, ...]
    # Which sources list each record: one row per record of `source_words` 64-bit words,
    # bit i % 64 of word i // 64 for source i (any number of sources, not just 64).
    source_bits: npt.NDArray[np.uint64]
    source_count: npt.NDArray[np.int16]
    only_unreliable: BoolArray
    has_warnings: BoolArray
    warning_codes: tuple[str, ...]  # ';'-joined codes per record
    search_blob: bytes
    search_starts: IntArray
    # Text columns with few distinct values, factorised for sorting without a loop per
    # record: text[c][i] == factors[c].values[factors[c].codes[i]] ("warnings": the
    # warning_codes column).
    factors: dict[str, Coded] = field(default_factory=dict)
    # Sort keys made with the table (integers that order like the folded column).
    sort_keys: dict[str, npt.NDArray[np.signedinteger[Any]]] = field(default_factory=dict)
    # The records' fields this table holds as the records have them, known because it
    # was made from them: "id" (`ids`), "year" (`year`, NO_YEAR for none) and each text
    # column equal to its field's values (the attribute, or what `Field.read` makes of
    # the record). A saved catalog stores these once, without comparing a million values.
    from_records: frozenset[str] = field(default=frozenset(), compare=False)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class TableColumns:
    """Per-record values in catalog order: all `build_table` needs, without record objects.

    A catalog of a million records can be built from these directly (see
    `benchmarks.synthetic`), where a million `CatalogRecord`s would not fit in memory.
    `values` holds a sequence per field key (all but STRUCTURAL); a field left out is
    empty for every record.
    """

    ids: Sequence[str]
    values: Mapping[str, Sequence[Any]]
    sources: Sequence[tuple[str, ...]]  # source ids listing each record, in manifest order
    warning_codes: Sequence[tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, key: str) -> Sequence[Any]:
        return self.values[key]


@dataclass(frozen=True)
class AnnotationColumns:
    """The person's own verdicts as columns aligned with the table's record positions.

    Made by `domain.annotations.overlay` when the store is opened or refreshed, and
    handed to `QueryEngine.set_annotations`; the engine filters, counts and sorts with
    them as with the table's own columns. Holds the status as a coded column, the tags
    as (record position, tag code) pairs, whether a note is written, each annotation
    column's display text per record, and a folded search buffer over the notes.
    """

    status: Coded
    has_note: BoolArray
    tags: Coded  # `values`: folded tags; `labels`: as first typed; `codes`: one per pair
    tag_records: IntArray  # the record position of each (record, tag) pair
    text: dict[str, npt.NDArray[np.object_]]  # "status", "tags", "note": a str per record
    note_blob: bytes = RECORD_END
    note_starts: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    note_records: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.has_note)


def no_annotations(count: int) -> AnnotationColumns:
    """Columns for `count` records that nobody has annotated (all of the first status)."""
    statuses = FACET["status"].fixed_values
    empty = np.full(count, "", dtype=object)
    status_text = np.full(count, statuses[0][0], dtype=object)
    return AnnotationColumns(
        status=Coded(
            tuple(v for v, _ in statuses),
            tuple(label for _, label in statuses),
            np.zeros(count, np.int32),
        ),
        has_note=np.zeros(count, dtype=bool),
        tags=Coded((), (), np.zeros(0, dtype=np.int32)),
        tag_records=np.zeros(0, dtype=np.int64),
        text={"status": status_text, "tags": empty, "note": empty.copy()},
    )


# Records read at a time: every field of a few hundred records while they are in the
# CPU's cache, not one field of a million scattered records after another (reading a
# million records field by field was 4 s, nearly all of it cache misses).
_READ_BATCH = 512


def read_attributes(
    objects: Sequence[Any],
    names: Sequence[str],
    made: Mapping[str, Callable[[Any], Any]] | None = None,
) -> dict[str, list[Any]]:
    """Columns of `objects`: each attribute in `names`, and what each function in `made`
    returns for each object, read a batch of objects at a time."""
    functions = dict(made or {})
    columns: dict[str, list[Any]] = {key: [] for key in [*names, *functions]}
    if not columns:
        return columns
    get = attrgetter(*names) if len(names) > 1 else None
    for start in range(0, len(objects), _READ_BATCH):
        batch = objects[start : start + _READ_BATCH]
        if get is not None:
            for key, values in zip(names, zip(*map(get, batch), strict=True), strict=True):
                columns[key].extend(values)
        elif names:
            columns[names[0]].extend(map(attrgetter(names[0]), batch))
        for key, function in functions.items():
            columns[key].extend(map(function, batch))
    return columns


# Columns made from another column at once rather than record by record: the surname
# first from the name (`Field.read` a record at a time took 5 s for a million).
_FROM_COLUMN: dict[str, tuple[str, Callable[[Sequence[str]], list[str]]]] = {
    "surname": ("name", surnames_first),
}
_TABLE_FIELDS = tuple(
    f for f in FIELDS if f.key not in STRUCTURAL and f.kind is not Kind.ANNOTATION
)


def columns_of(records: Sequence[CatalogRecord]) -> TableColumns:
    """What `build_table` needs from the records, every record read once."""
    attributes = ["id", "sources", "warnings"]
    attributes += [f.key for f in _TABLE_FIELDS if f.read is None]
    made = {f.key: f.read for f in _TABLE_FIELDS if f.read and f.key not in _FROM_COLUMN}
    read = read_attributes(records, attributes, made)
    values = {f.key: read[f.key] for f in _TABLE_FIELDS if f.key in read}
    for key, (source, make) in _FROM_COLUMN.items():
        values[key] = make(read[source])
    # `CatalogRecord.warning_codes`, from the warnings read: most records have none.
    code = attrgetter("code")
    codes = [tuple(map(code, found)) if found else () for found in read.pop("warnings")]
    return TableColumns(ids=read["id"], values=values, sources=read["sources"], warning_codes=codes)


SOURCE_WORD_BITS = 64
BitWords = npt.NDArray[np.uint64]


def source_words(count: int) -> int:
    """How many 64-bit words a row of `source_bits` has for `count` sources (at least 1)."""
    return max(1, -(-count // SOURCE_WORD_BITS))


def source_mask(source_ids: Sequence[str], chosen: Iterable[str]) -> BitWords:
    """The words with the bits of the `chosen` sources set (unknown ids left out)."""
    value = 0
    position = {sid: i for i, sid in enumerate(source_ids)}
    for sid in chosen:
        if sid in position:
            value |= 1 << position[sid]
    return _words(value, source_words(len(source_ids)))


def _words(value: int, count: int) -> BitWords:
    mask = (1 << SOURCE_WORD_BITS) - 1
    return np.array(
        [(value >> (SOURCE_WORD_BITS * w)) & mask for w in range(count)], dtype=np.uint64
    )


def listed_any(bits: BitWords, mask: BitWords) -> BoolArray:
    """Records listed by at least one source of `mask`."""
    used = np.flatnonzero(mask)
    if len(used) == 1:  # the usual case (up to 64 sources): one column, no reduction
        word = int(used[0])
        single: BoolArray = (bits[:, word] & mask[word]) != 0
        return single
    if not len(used):
        return np.zeros(len(bits), dtype=bool)
    found: BoolArray = ((bits[:, used] & mask[used]) != 0).any(axis=1)
    return found


def listed_all(bits: BitWords, mask: BitWords) -> BoolArray:
    """Records listed by every source of `mask` (all records for an empty mask)."""
    used = np.flatnonzero(mask)
    if len(used) == 1:
        word = int(used[0])
        single: BoolArray = (bits[:, word] & mask[word]) == mask[word]
        return single
    if not len(used):
        return np.ones(len(bits), dtype=bool)
    found: BoolArray = ((bits[:, used] & mask[used]) == mask[used]).all(axis=1)
    return found


def in_source(table: CatalogTable, source_id: str) -> BoolArray:
    """Records that the source `source_id` lists."""
    index = table.source_ids.index(source_id)
    word, bit = divmod(index, SOURCE_WORD_BITS)
    listed: BoolArray = (table.source_bits[:, word] & np.uint64(1 << bit)) != 0
    return listed


def source_sets(bits: BitWords, source_ids: Sequence[str]) -> list[frozenset[str]]:
    """The sources each row of `bits` names."""
    sets = []
    for row in bits.tolist():
        value = sum(int(word) << (SOURCE_WORD_BITS * w) for w, word in enumerate(row))
        sets.append(frozenset(sid for i, sid in enumerate(source_ids) if value >> i & 1))
    return sets


def factorise(values: Sequence[_Key]) -> tuple[list[_Key], npt.NDArray[np.int32]]:
    """Distinct values in first-seen order, and each value's index among them."""
    index = dict(zip(dict.fromkeys(values), itertools.count()))
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return list(index), codes


def _spread(distinct: Sequence[_Key], codes: npt.NDArray[np.int32]) -> tuple[_Key, ...]:
    """`tuple(distinct[c] for c in codes)`: one shared object per distinct value."""
    if not len(codes):
        return ()
    table = np.empty(len(distinct), dtype=object)
    table[:] = list(distinct)
    return tuple(table[codes].tolist())


def _facet(
    distinct: Sequence[str],
    codes: npt.NDArray[np.int32],
    labels: Mapping[str, str] | None = None,
    empty_label: str = "(unknown)",
) -> Coded:
    """A facet's column from factorised values: values sorted as people read them, empty
    last."""
    values = tuple(sorted(distinct, key=lambda v: (v == "", fold(v))))
    order = {v: i for i, v in enumerate(values)}
    remap = np.array([order[v] for v in distinct], dtype=np.int32)
    label_of = labels or {}
    shown = tuple(label_of.get(v, v) or empty_label for v in values)
    return Coded(values, shown, remap[codes] if len(codes) else codes)


def _listed_in(source_count: npt.NDArray[np.int16]) -> Coded:
    """How many sources list each record, as a facet column: '1', '2', ... (vectorised)."""
    present, codes = np.unique(source_count, return_inverse=True)
    values = tuple(str(int(n)) for n in present)
    labels = tuple(f"Listed in {n} source{'s' if n != '1' else ''}" for n in values)
    return Coded(values, labels, codes.astype(np.int32).reshape(-1))


def build_search_blob(rows: Sequence[str]) -> tuple[bytes, IntArray]:
    """Folded rows joined into one ASCII buffer, and where each row starts in it."""
    encoded = [row.replace("\n", " ").encode("ascii", "replace") for row in rows]
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    starts = np.zeros(len(encoded), dtype=np.int64)
    if len(encoded) > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    return RECORD_END.join(encoded) + RECORD_END, starts


def _folded_rows(
    fields: Sequence[Sequence[str]], start: int, stop: int
) -> tuple[list[str], list[str]]:
    """Search rows of records start..stop (folded fields joined by FIELD_GAP, ASCII),
    and the first field folded."""
    folded = [
        field[start:stop] if isinstance(field, _Folded) else fold_many(field[start:stop])
        for field in fields
    ]
    return list(map(FIELD_GAP.join, zip(*folded, strict=True))), folded[0]


class _Folded(list[str]):
    """A column already folded (few distinct values, folded once each)."""


def _folded_column(distinct: Sequence[str], codes: npt.NDArray[np.int32]) -> _Folded:
    return _Folded(_spread(fold_many(distinct), codes))


def _search_blob(fields: Sequence[Sequence[str]], count: int) -> tuple[bytes, IntArray, IntArray]:
    """The search buffer, built a batch of records at a time to bound temporary memory;
    where each record starts in it, and how long its first field is there."""
    # BytesIO hands over its buffer without a copy: the blob is never held twice.
    buffer = io.BytesIO()
    lengths = np.zeros(count, dtype=np.int64)
    first = np.zeros(count, dtype=np.int64)
    for start in range(0, count, BATCH):
        stop = min(start + BATCH, count)
        rows, first_field = _folded_rows(fields, start, stop)
        lengths[start:stop] = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        first[start:stop] = np.fromiter(map(len, first_field), dtype=np.int64, count=len(rows))
        rows.append("")
        buffer.write("\n".join(rows).encode("ascii"))
    starts = np.zeros(count, dtype=np.int64)
    if count > 1:
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return buffer.getvalue(), starts, first


def build_table(
    records: Sequence[CatalogRecord],
    sources: Sequence[SourceSpec],
    classifier: ProfessionClassifier,
) -> CatalogTable:
    table = build_table_from_columns(columns_of(records), sources, classifier.labels)
    held = {f.key for f in _TABLE_FIELDS if f.kind in (Kind.TEXT, Kind.REPEATED)}
    if str(NO_YEAR) not in table.text["year"]:  # a year of NO_YEAR would read as none
        held.add("year")
    return dataclasses.replace(table, from_records=frozenset({"id", *held}))


def build_table_from_columns(
    columns: TableColumns,
    sources: Sequence[SourceSpec],
    category_labels: Mapping[str, str],
) -> CatalogTable:
    """The table from per-record values; repeated values share one string object."""
    source_ids = tuple(s.id for s in sources)
    bit = {sid: 1 << i for i, sid in enumerate(source_ids)}
    words = source_words(len(source_ids))
    reliable = {s.id for s in sources if s.reliable}
    n = len(columns)

    def per_record(values: Sequence[object], codes: npt.NDArray[np.int32], dtype: type) -> Any:
        return np.array(values, dtype=dtype)[codes] if n else np.zeros(0, dtype=dtype)

    text: dict[str, tuple[str, ...]] = {}
    searched: dict[str, Sequence[str]] = {}
    factored: dict[str, tuple[list[str], npt.NDArray[np.int32]]] = {}
    factors: dict[str, Coded] = {}
    year = np.zeros(0, dtype=np.int32)
    for spec in FIELDS:
        key = spec.key
        if key in STRUCTURAL or spec.kind is Kind.ANNOTATION:
            continue
        raw = columns.values.get(key)
        if raw is None:
            raw = [None if spec.kind is Kind.YEAR else ""] * n
        if spec.kind is Kind.TEXT:
            text[key] = searched[key] = tuple(raw)
        elif spec.kind is Kind.YEAR:
            years, year_codes = factorise(raw)
            text[key] = _spread(["" if y is None else str(y) for y in years], year_codes)
            year = per_record([NO_YEAR if y is None else y for y in years], year_codes, np.int32)
        else:
            distinct, codes = factored[key] = factorise(raw)
            shown = distinct
            if spec.kind is Kind.LABELLED:
                shown = [category_labels.get(c, c) for c in distinct]
            text[key] = _spread(shown, codes)
            factors[key] = Coded(tuple(shown), tuple(shown), codes)
            searched[key] = _folded_column(distinct, codes)

    listed_by, listed_codes = factorise(columns.sources)
    warned, warned_codes = factorise(columns.warning_codes)
    warned_text = [";".join(w) for w in warned]
    text["sources"] = _spread([";".join(s) for s in listed_by], listed_codes)
    factors["warnings"] = Coded(tuple(warned_text), tuple(warned_text), warned_codes)
    source_count = per_record([len(ss) for ss in listed_by], listed_codes, np.int16)
    # One row of words per distinct set of sources, then one per record.
    set_bits = np.zeros((len(listed_by), words), dtype=np.uint64)
    for row, listing in enumerate(listed_by):
        set_bits[row] = _words(sum(bit[s] for s in listing), words)

    facets: dict[str, Coded] = {}
    for facet in FACETS:
        if facet.kind is not FacetKind.VALUES or facet.annotation:
            continue
        if facet.column == "listed_in":
            facets[facet.column] = _listed_in(source_count)
        else:
            labels = category_labels if FIELD[facet.column].kind is Kind.LABELLED else None
            facets[facet.column] = _facet(*factored[facet.column], labels, facet.empty_label)

    blob, starts, first_length = _search_blob([searched[f] for f in SEARCH_FIELDS], n)
    # People sort by name (the first searched field) most: its sort key is made now.
    first_rank = rank_slices(np.frombuffer(blob, dtype=np.uint8), starts, starts + first_length)
    return CatalogTable(
        ids=tuple(columns.ids),
        text=text,
        year=year,
        facets=facets,
        source_ids=source_ids,
        source_bits=set_bits[listed_codes],
        source_count=source_count,
        only_unreliable=per_record(
            [not any(s in reliable for s in ss) for ss in listed_by], listed_codes, np.bool_
        ),
        has_warnings=per_record([bool(w) for w in warned], warned_codes, np.bool_),
        warning_codes=_spread(warned_text, warned_codes),
        search_blob=blob,
        search_starts=starts,
        sort_keys={
            SEARCH_FIELDS[0]: first_rank.astype(np.int32) if n < 2**31 else first_rank
        },
        factors=factors,
    )  # fmt: skip


def search_field_gaps(table: CatalogTable) -> IntArray:
    """Where the field gaps lie in the blob: one row per record, one column per gap."""
    buffer = np.frombuffer(table.search_blob, dtype=np.uint8)
    gap = ord(FIELD_GAP[len(FIELD_GAP) // 2])
    step = 1 << 24
    found = [
        np.flatnonzero(buffer[low : low + step] == gap) + low for low in range(0, len(buffer), step)
    ]
    gaps = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return gaps.reshape(len(table), len(SEARCH_FIELDS) - 1)


def search_field_bounds(
    table: CatalogTable, name: str, gaps: IntArray | None = None
) -> tuple[IntArray, IntArray]:
    """Where each record's folded `name` field (one of SEARCH_FIELDS) lies in the blob:
    `search_blob[begin[i]:end[i]] == fold(text[name][i])`."""
    index = SEARCH_FIELDS.index(name)
    gaps = search_field_gaps(table) if gaps is None else gaps
    half = len(FIELD_GAP) // 2  # the spaces either side of the gap byte
    begin = table.search_starts if index == 0 else gaps[:, index - 1] + half + 1
    if index < len(SEARCH_FIELDS) - 1:
        end = gaps[:, index] - half
    else:
        end = np.empty(len(table), dtype=np.int64)
        end[:-1] = table.search_starts[1:] - 1
        end[-1:] = len(table.search_blob) - 1
    return begin.astype(np.int64), end.astype(np.int64)
