"""Records, entries and diagnostics made in bulk (`made_in_bulk`, `made_one`: how the
merge makes a million of them) are the objects their classes' __init__ makes."""

from __future__ import annotations

import dataclasses
import tracemalloc

import pytest
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.model import (
    CatalogRecord,
    Diagnostic,
    SourceEntry,
    made_in_bulk,
    made_one,
)


def _fields(obj: object) -> tuple[object, ...]:
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [CatalogRecord, SourceEntry, Diagnostic])
def test_bulk_objects_equal_the_seed_objects_and_take_no_more_memory(catalog: Catalog, cls: type):
    if cls is CatalogRecord:
        originals: list[object] = list(catalog.records)
    elif cls is SourceEntry:
        originals = [e for r in catalog.records for e in r.entries]
    else:
        originals = [d for r in catalog.records for d in r.diagnostics]
        originals += [d for p in catalog.parses.values() for d in p.diagnostics]
    assert len(originals) > 5
    columns = list(zip(*map(_fields, originals), strict=True))
    made: list[object] = made_in_bulk(cls, columns, len(originals))
    assert made == originals
    assert [hash(m) for m in made] == [hash(o) for o in originals]
    # No bigger than __init__ makes them: a million of each are held at once.
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        again: list[object] = made_in_bulk(cls, columns, len(originals))
        bulk = tracemalloc.get_traced_memory()[0] - before
        before = tracemalloc.get_traced_memory()[0]
        inited = [cls(*values) for values in zip(*columns, strict=True)]
        init = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert again == inited
    assert bulk <= init * 1.01 + 64  # a list grown to its size may take a few bytes more
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made[0], dataclasses.fields(cls)[0].name, "changed")


def test_one_made_equals_init(catalog: Catalog):
    diagnostic = next(d for r in catalog.records for d in r.diagnostics)
    assert made_one(Diagnostic, *_fields(diagnostic)) == diagnostic


def test_wrong_counts_are_refused_not_padded(catalog: Catalog):
    records = list(catalog.records[:3])
    columns = list(zip(*map(_fields, records), strict=True))
    with pytest.raises(ValueError):
        made_in_bulk(CatalogRecord, columns, 4)  # fewer values than instances
    with pytest.raises(ValueError):
        made_in_bulk(CatalogRecord, columns, 2)  # more values than instances
    with pytest.raises(ValueError):
        made_in_bulk(CatalogRecord, columns[:-1], 3)  # a field missing
    with pytest.raises(ValueError):
        made_one(Diagnostic, "code", "message")
