"""Records, entries and diagnostics made in bulk (`made_in_bulk`, `made_one`: how the
merge makes a million of them) are the objects their classes' __init__ makes."""

from __future__ import annotations

import dataclasses
import sys

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
def test_bulk_objects_equal_the_seed_objects_and_share_their_keys(catalog: Catalog, cls: type):
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
    # Key-sharing dicts, as __init__ makes: no bigger than the originals' own.
    size = sys.getsizeof(object.__getattribute__(made[0], "__dict__"))
    assert size <= sys.getsizeof(object.__getattribute__(originals[0], "__dict__"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].line = 1  # type: ignore[attr-defined]


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
