"""The catalog as columns: what the query engine filters, counts and sorts, vectorised."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.model import CatalogRecord, SourceSpec
from app.domain.professions import ProfessionClassifier
from app.domain.text import fold

NO_YEAR = -1
# Text search covers these fields; folded values are joined with this byte, which
# folding never produces, so a match cannot span two records.
SEARCH_FIELDS = ("name", "alias", "profession", "birthplace", "notes")
RECORD_END = b"\n"
FIELD_GAP = " \x1f "

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Facet:
    """A categorical column: a code per record into `values` (display labels in `labels`)."""

    values: tuple[str, ...]
    labels: tuple[str, ...]
    codes: npt.NDArray[np.int32]


@dataclass(frozen=True)
class CatalogTable:
    """Columns over all records, in catalog order.

    Holds display strings per column, the numeric year, facet codes, a bit per source,
    flags, and one ASCII buffer of folded searchable text with each record's offset.
    """

    ids: tuple[str, ...]
    text: dict[str, tuple[str, ...]]  # display strings per column
    year: npt.NDArray[np.int32]
    country: Facet
    category: Facet
    source_ids: tuple[str, ...]
    source_bits: npt.NDArray[np.uint64]
    source_count: npt.NDArray[np.int8]
    only_unreliable: BoolArray
    has_warnings: BoolArray
    warning_codes: tuple[str, ...]  # ';'-joined codes per record
    search_blob: bytes
    search_starts: IntArray

    def __len__(self) -> int:
        return len(self.ids)


def make_facet(raw: Sequence[str], labels: dict[str, str] | None = None) -> Facet:
    values = tuple(sorted(set(raw), key=lambda v: (v == "", fold(v))))
    index = {v: i for i, v in enumerate(values)}
    codes = np.fromiter((index[v] for v in raw), dtype=np.int32, count=len(raw))
    label_of = labels or {}
    shown = tuple(label_of.get(v, v) or "(unknown)" for v in values)
    return Facet(values, shown, codes)


def build_search_blob(rows: Sequence[str]) -> tuple[bytes, IntArray]:
    """Folded rows joined into one ASCII buffer, and where each row starts in it."""
    encoded = [row.replace("\n", " ").encode("ascii", "replace") for row in rows]
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    starts = np.zeros(len(encoded), dtype=np.int64)
    if len(encoded) > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    return RECORD_END.join(encoded) + RECORD_END, starts


def build_table(
    records: Sequence[CatalogRecord],
    sources: Sequence[SourceSpec],
    classifier: ProfessionClassifier,
) -> CatalogTable:
    source_ids = tuple(s.id for s in sources)
    bit = {sid: 1 << i for i, sid in enumerate(source_ids)}
    reliable = {s.id for s in sources if s.reliable}
    n = len(records)
    text = {
        "name": tuple(r.name for r in records),
        "alias": tuple(r.alias for r in records),
        "profession": tuple(r.profession for r in records),
        "category": tuple(classifier.label(r.category) for r in records),
        "birthplace": tuple(r.birthplace for r in records),
        "country": tuple(r.country for r in records),
        "year": tuple("" if r.year is None else str(r.year) for r in records),
        "notes": tuple(r.notes for r in records),
        "sources": tuple(";".join(r.sources) for r in records),
    }
    search_rows = [FIELD_GAP.join(fold(getattr(r, f)) for f in SEARCH_FIELDS) for r in records]
    blob, starts = build_search_blob(search_rows)
    return CatalogTable(
        ids=tuple(r.id for r in records),
        text=text,
        year=np.fromiter(
            (NO_YEAR if r.year is None else r.year for r in records), dtype=np.int32, count=n
        ),
        country=make_facet([r.country for r in records]),
        category=make_facet([r.category for r in records], dict(classifier.labels)),
        source_ids=source_ids,
        source_bits=np.fromiter(
            (sum(bit[s] for s in r.sources) for r in records), dtype=np.uint64, count=n
        ),
        source_count=np.fromiter((len(r.sources) for r in records), dtype=np.int8, count=n),
        only_unreliable=np.fromiter(
            (not any(s in reliable for s in r.sources) for r in records), dtype=bool, count=n
        ),
        has_warnings=np.fromiter((bool(r.warnings) for r in records), dtype=bool, count=n),
        warning_codes=tuple(";".join(r.warning_codes) for r in records),
        search_blob=blob,
        search_starts=starts,
    )
