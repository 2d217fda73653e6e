"""Comparing the sources: what each covers, how they overlap, where they disagree.

Everything here is derived from the catalog; nothing is declared by hand. Counts over
records are vectorised over the table's source bits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.fields import ENTRY_FIELDS
from defectors_catalog.domain.model import CatalogRecord, SourceSpec
from defectors_catalog.domain.query.table import (
    NO_YEAR,
    CatalogTable,
    IntArray,
    in_source,
    listed_all,
    source_mask,
    source_sets,
)


@dataclass(frozen=True)
class SourceSummary:
    """One source as the overview lists it."""

    spec: SourceSpec
    entries: int  # rows read from the file
    records: int  # catalog records it lists
    first_year: int | None
    last_year: int | None
    only_here: int  # records no other source lists
    coverage_notes: tuple[str, ...]

    @property
    def span(self) -> str:
        if self.first_year is None or self.last_year is None:
            return "(no years)"
        return f"{self.first_year}\u2013{self.last_year}"


@dataclass(frozen=True)
class OverlapCount:
    """A count of records and the filter that shows exactly them."""

    label: str
    count: int
    in_all: frozenset[str] = frozenset()
    in_none: frozenset[str] = frozenset()
    listed_in: frozenset[str] = frozenset()


def source_summaries(catalog: Catalog) -> tuple[SourceSummary, ...]:
    table = catalog.table
    spans: dict[str, tuple[int | None, int | None]] = {}
    counts: dict[str, int] = {}
    only: dict[str, int] = {}
    for spec in catalog.sources:
        listed = in_source(table, spec.id)
        years = table.year[listed & (table.year != NO_YEAR)]
        spans[spec.id] = (int(years.min()), int(years.max())) if len(years) else (None, None)
        counts[spec.id] = int(np.count_nonzero(listed))
        only[spec.id] = int(np.count_nonzero(listed & (table.source_count == 1)))
    return tuple(
        SourceSummary(
            spec=spec,
            entries=len(catalog.parses[spec.id].entries) if spec.id in catalog.parses else 0,
            records=counts[spec.id],
            first_year=spans[spec.id][0],
            last_year=spans[spec.id][1],
            only_here=only[spec.id],
            coverage_notes=tuple(_coverage_notes(catalog, spec, spans)),
        )
        for spec in catalog.sources
    )


def _coverage_notes(
    catalog: Catalog, spec: SourceSpec, spans: dict[str, tuple[int | None, int | None]]
) -> list[str]:
    """Where this source stops short of the others: its silence there means nothing."""
    first, last = spans[spec.id]
    if first is None or last is None:
        return ["No entry gives a year, so its coverage in time is unknown."]
    notes = []
    table = catalog.table
    others = [s for s in catalog.sources if s.id != spec.id and spans[s.id][0] is not None]
    later = [s for s in others if (spans[s.id][1] or 0) > last]
    earlier = [s for s in others if (spans[s.id][0] or 0) < first]
    if later:
        beyond = int(np.count_nonzero(table.year > last))
        names = " and ".join(s.title for s in later)
        verb = "go" if len(later) > 1 else "goes"
        notes.append(
            f"No entries after {last}, while {names} {verb} on to "
            f"{max(spans[s.id][1] or 0 for s in later)}: its absence from the {beyond} "
            f"later records is not evidence against them."
        )
    if earlier:
        before = int(np.count_nonzero((table.year < first) & (table.year != NO_YEAR)))
        names = " and ".join(s.title for s in earlier)
        verb = "start" if len(earlier) > 1 else "starts"
        notes.append(
            f"No entries before {first}, while {names} {verb} in "
            f"{min(spans[s.id][0] or 0 for s in earlier)}: its absence from the {before} "
            f"earlier records is not evidence against them."
        )
    return notes


def record_coverage(record: CatalogRecord, summaries: Sequence[SourceSummary]) -> list[str]:
    """For each source that does not list `record`: does that absence mean anything?"""
    notes = []
    for summary in summaries:
        if summary.spec.id in record.sources:
            continue
        title = summary.spec.title
        first, last = summary.first_year, summary.last_year
        year = record.year
        if (
            year is not None
            and first is not None
            and last is not None
            and not first <= year <= last
        ):
            notes.append(
                f"Not in {title}, which only covers {first}\u2013{last}: its absence "
                f"says nothing about a {year} entry."
            )
            continue
        if summary.spec.reliable:
            notes.append(f"Not in {title}, although it covers {summary.span}.")
        else:
            notes.append(f"Not in {title} (an unreliable list).")
    return notes


# -- overlap ---------------------------------------------------------------------------


def overlap_summary(catalog: Catalog) -> tuple[OverlapCount, ...]:
    """In all sources, in all reliable sources, only in one source."""
    table = catalog.table
    ids = frozenset(table.source_ids)
    reliable = frozenset(s.id for s in catalog.sources if s.reliable)
    counts = [
        OverlapCount(_in_all(len(ids), "source"), _count_all(table, ids), in_all=ids),
        OverlapCount(
            _in_all(len(reliable), "reliable source"),
            _count_all(table, reliable),
            in_all=reliable,
        ),
        OverlapCount(
            "Only in one source",
            int(np.count_nonzero(table.source_count == 1)),
            listed_in=frozenset({"1"}),
        ),
    ]
    return tuple(counts)


def _in_all(count: int, noun: str) -> str:
    """'In both reliable sources' for two, 'In the one source' for one, 'In all 3
    sources' from three: "In all 2" reads like a machine counting."""
    if count == 1:
        return f"In the one {noun}"
    return f"In both {noun}s" if count == 2 else f"In all {count} {noun}s"


def _count_all(table: CatalogTable, source_ids: frozenset[str]) -> int:
    if not source_ids:
        return 0
    return int(
        np.count_nonzero(listed_all(table.source_bits, source_mask(table.source_ids, source_ids)))
    )


def pairwise(catalog: Catalog) -> list[list[OverlapCount]]:
    """cell [a][b]: records in source a but not in b; the diagonal: all records in a."""
    table = catalog.table
    specs = catalog.sources
    rows = []
    for a in specs:
        in_a = in_source(table, a.id)
        row = []
        for b in specs:
            if a.id == b.id:
                row.append(
                    OverlapCount(
                        f"All in {a.title}", int(np.count_nonzero(in_a)), frozenset({a.id})
                    )
                )
                continue
            in_b = in_source(table, b.id)
            row.append(
                OverlapCount(
                    f"In {a.title} but not in {b.title}",
                    int(np.count_nonzero(in_a & ~in_b)),
                    frozenset({a.id}),
                    frozenset({b.id}),
                )
            )
        rows.append(row)
    return rows


def combinations(catalog: Catalog) -> tuple[OverlapCount, ...]:
    """Every set of sources that lists some records together, most records first."""
    table = catalog.table
    values, counts = np.unique(table.source_bits, axis=0, return_counts=True)
    titles = {s.id: s.title for s in catalog.sources}
    found = []
    everyone = frozenset(table.source_ids)
    members_of = source_sets(values, table.source_ids)
    for members, count in zip(members_of, counts.tolist(), strict=True):
        names = " + ".join(titles[s] for s in table.source_ids if s in members)
        label = f"Only in {names}" if len(members) == 1 else f"In exactly {names}"
        found.append(OverlapCount(label, int(count), members, everyone - members))
    found.sort(key=lambda c: -c.count)
    return tuple(found)


# -- timeline --------------------------------------------------------------------------


def reliability_by_year(
    table: CatalogTable, positions: IntArray, first: int, last: int
) -> tuple[IntArray, IntArray]:
    """(confirmed, only-unreliable) record counts per year first..last among `positions`."""
    years = table.year[positions]
    dated = years != NO_YEAR
    years = years[dated].astype(np.int64) - first
    unreliable = table.only_unreliable[positions][dated]
    size = last - first + 1
    keep = (years >= 0) & (years < size)
    confirmed = np.bincount(years[keep & ~unreliable], minlength=size).astype(np.int64)
    only = np.bincount(years[keep & unreliable], minlength=size).astype(np.int64)
    return confirmed, only


# -- conflicts -------------------------------------------------------------------------

CONFLICT_FIELDS = ENTRY_FIELDS


def conflicting_records(records: Sequence[CatalogRecord]) -> list[int]:
    """Positions of records whose sources disagree on a field or word their notes
    differently: the ones the conflicts view compares side by side."""
    compared = {DiagnosticCode.CONFLICT, DiagnosticCode.NOTES_DIFFER}
    return [i for i, r in enumerate(records) if any(d.code in compared for d in r.diagnostics)]


def disputed_fields(record: CatalogRecord) -> frozenset[str]:
    """The fields on which the sources of `record` truly disagree (a `conflict`)."""
    return frozenset(d.field for d in record.diagnostics if d.code == DiagnosticCode.CONFLICT)


def reworded_fields(record: CatalogRecord) -> frozenset[str]:
    """The free-text fields (notes) the sources of `record` word differently."""
    return frozenset(d.field for d in record.diagnostics if d.code == DiagnosticCode.NOTES_DIFFER)
