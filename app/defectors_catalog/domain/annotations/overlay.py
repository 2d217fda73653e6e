"""The person's verdicts laid over a built catalog, as columns the query engine uses.

`Desk(catalog, store)` works out which stored verdicts each record answers to
(`record_ids`), hands the engine its `AnnotationColumns` (status codes, tag pairs, the
note flag and search buffer, display text), and rebuilds them when the store changed
(`refresh()`) or a verdict is changed through it. Queries then filter, count and sort
by status, tags and note with array operations, never a loop over records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from defectors_catalog.domain.annotations.model import (
    Annotation,
    AnnotationError,
    Change,
    Status,
    StoredVerdict,
    combine,
    tag_key,
)
from defectors_catalog.domain.annotations.record_ids import (
    entry_key,
    entry_keys,
    entry_keys_many,
    shares_an_entry,
    source_and_year,
)
from defectors_catalog.domain.annotations.store import AnnotationStore
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.facets import FACET
from defectors_catalog.domain.folding import fold_many
from defectors_catalog.domain.model import CatalogRecord
from defectors_catalog.domain.query.table import (
    AnnotationColumns,
    Coded,
    IntArray,
    build_search_blob,
    in_source,
)

_STATUS_CODE = {status: code for code, status in enumerate(Status)}


def attach(
    catalog: Catalog, rows: Mapping[str, StoredVerdict]
) -> tuple[dict[int, list[str]], list[str]]:
    """Record position -> the stored ids it answers to (its own first), and the stored
    ids no record of this catalog answers to (kept for when their record comes back)."""
    ids = catalog.table.ids
    records = catalog.records if len(catalog.records) == len(ids) else None
    position = catalog.row_of if records is not None else {rid: i for i, rid in enumerate(ids)}
    attached: dict[int, list[str]] = defaultdict(list)
    orphans: list[StoredVerdict] = []
    matched = [(stored, position.get(record_id)) for record_id, stored in rows.items()]
    if records is not None:
        keys = entry_keys_many([records[at] for _, at in matched if at is not None])
        own = iter(keys)
    for stored, at in matched:
        if at is not None and (records is None or shares_an_entry(stored.anchors, next(own))):
            attached[at].append(stored.record_id)
        else:
            orphans.append(stored)
    found: set[str] = set()
    if orphans and records is not None:
        # Only when some verdict lost its id: a walk over every record's entries, whose
        # names are folded only where the source and year are an anchor's.
        wanted: dict[str, list[str]] = defaultdict(list)
        for stored in orphans:
            for key in stored.anchors:
                wanted[key].append(stored.record_id)
        places = {source_and_year(key) for key in wanted}
        near = [
            (at, entry)
            for at in _listed(catalog, places).tolist()
            for entry in records[at].entries
            if (entry.source_id, entry.year) in places
        ]
        folded = fold_many([entry.name for _, entry in near])
        for (at, entry), name in zip(near, folded, strict=True):
            key = entry_key(entry.source_id, name, entry.year, folded=True)
            for record_id in wanted.get(key, ()):
                if record_id not in found:
                    found.add(record_id)
                    attached[at].append(record_id)
    return dict(attached), [s.record_id for s in orphans if s.record_id not in found]


def _listed(catalog: Catalog, places: set[tuple[str, int | None]]) -> IntArray:
    """Positions of the records some source of `places` lists (from the table's columns:
    a big catalog's records are only made when asked for). Not by year: a merged
    record shows one year, and the entry it merged may give another."""
    table = catalog.table
    mask = np.zeros(len(table), dtype=bool)
    for source_id in {source_id for source_id, _ in places}:
        if source_id in table.source_ids:
            mask |= in_source(table, source_id)
    return np.flatnonzero(mask)


def annotation_columns(count: int, verdicts: Mapping[int, Annotation]) -> AnnotationColumns:
    """The engine's columns for `count` records, from the verdicts at their positions."""
    at = np.fromiter(verdicts, dtype=np.int64, count=len(verdicts))
    shown = list(verdicts.values())
    status_values = tuple(s.value for s in Status)
    status_codes = np.zeros(count, dtype=np.int32)
    status_codes[at] = np.fromiter(
        (_STATUS_CODE[v.status] for v in shown), dtype=np.int32, count=len(shown)
    )
    tag_label: dict[str, str] = {}
    pair_records: list[int] = []
    pair_keys: list[str] = []
    for position, verdict in zip(at.tolist(), shown, strict=True):
        for tag in verdict.tags:
            key = tag_key(tag)
            tag_label.setdefault(key, tag)
            pair_records.append(position)
            pair_keys.append(key)
    tag_values = tuple(sorted(tag_label))
    tag_code = {key: code for code, key in enumerate(tag_values)}
    tags_text = np.full(count, "", dtype=object)
    notes = np.full(count, "", dtype=object)
    if len(at):
        tags_text[at] = _objects([";".join(v.tags) for v in shown])
        notes[at] = _objects([v.note for v in shown])
    noted = np.flatnonzero(notes != "").astype(np.int64)
    blob, starts = build_search_blob(fold_many(notes[noted].tolist()))
    labels = tuple(label for _, label in FACET["status"].fixed_values)
    return AnnotationColumns(
        status=Coded(status_values, labels, status_codes),
        has_note=notes != "",
        tags=Coded(
            tag_values,
            tuple(tag_label[k] for k in tag_values),
            np.array([tag_code[k] for k in pair_keys], dtype=np.int32),
        ),
        tag_records=np.array(pair_records, dtype=np.int64),
        text={
            "status": np.array(status_values, dtype=object)[status_codes],
            "tags": tags_text,
            "note": notes,
        },
        note_blob=blob,
        note_starts=starts,
        note_records=noted,
    )


def _objects(values: Sequence[str]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


class Desk:
    """A built catalog with the person's verdicts over it: the store, which stored ids
    each record position answers to, each annotated position's verdict, and the ids of
    verdicts whose records this catalog does not have."""

    def __init__(self, catalog: Catalog, store: AnnotationStore) -> None:
        self.catalog = catalog
        self.store = store
        self.answers: dict[int, list[str]] = {}
        self.verdicts: dict[int, Annotation] = {}
        self.unattached: list[str] = []
        self._rebuild()

    def _rebuild(self) -> None:
        self.answers, self.unattached = attach(self.catalog, self.store.rows)
        ids = self.catalog.table.ids
        rows = self.store.rows
        self.verdicts = {
            # Most records answer to their own verdict alone: kept as it is stored.
            at: rows[stored[0]].verdict
            if len(stored) == 1 and stored[0] == ids[at]
            else combine(ids[at], [rows[i].verdict for i in stored])
            for at, stored in self.answers.items()
        }
        columns = annotation_columns(len(ids), self.verdicts)
        self.catalog.engine.set_annotations(columns)

    def refresh(self) -> bool:
        """Take in what another window or process changed; True when anything did (the
        window then runs its query again)."""
        changed = self.store.refresh()
        if changed:
            self._rebuild()
        return changed

    @property
    def problems(self) -> tuple[str, ...]:
        """One line each for the window's status bar or the command line's stderr."""
        lines = [self.store.problem] if self.store.problem else []
        lines += self.store.row_problems
        if self.unattached:
            lines.append(
                f"{len(self.unattached):,} of your verdicts are on records this catalog does "
                "not have (a source removed?); they are kept"
            )
        return tuple(lines)

    def position(self, record_id: str) -> int:
        """The position of the record with this id, or of the record that merged it."""
        ids = self.catalog.table.ids
        records = self.catalog.records
        found = self.catalog.row_of.get(record_id) if len(records) == len(ids) else None
        if found is None and len(records) != len(ids) and record_id in ids:
            found = ids.index(record_id)
        if found is None:
            found = next((at for at, s in self.answers.items() if record_id in s), None)
        if found is None:
            raise AnnotationError(f"no record has the id {record_id!r}")
        return found

    def annotations_for(self, record: CatalogRecord | str) -> Annotation:
        """The verdict shown for a record (by the record or its id): its own, together
        with those of the records it merged, with their `conflicts`."""
        at = self.position(record if isinstance(record, str) else record.id)
        return self.verdicts.get(at) or Annotation(self.catalog.table.ids[at])

    def answers_to(self, record_id: str) -> tuple[str, ...]:
        """The stored ids a record answers to: its own first."""
        at = self.position(record_id)
        own = self.catalog.table.ids[at]
        return (own, *(i for i in self.answers.get(at, ()) if i != own))

    def change(self, record_id: str, change: Change) -> Annotation:
        """Make `change` to the record with this id; the engine sees it at once."""
        at = self.position(record_id)
        records = self.catalog.records
        anchors = entry_keys(records[at]) if len(records) == len(self.catalog.table.ids) else ()
        self.store.change(self.answers_to(record_id), change, anchors)
        self._rebuild()
        return self.annotations_for(self.catalog.table.ids[at])
