"""Which stored verdicts a record of a rebuilt catalog answers to.

A record's id is made by the merge (`merge.merging._assign_ids`) from the entry it
shows, the one of the most reliable source that lists it: the folded name with spaces
as hyphens, then the year (`george-balanchine-1924`), and `-2`, `-3`, ... when an earlier
record of the catalog already took that id. It stays the same across rebuilds as long
as that entry's name and year do, so a verdict is stored under it.

Ids alone are not enough when the catalog changes shape: two records merged by a "Same
person" decision become one with the first one's id; a source removed can make another
source's entry the shown one; a new record can take an id's place in the `-N` order.
So each verdict also keeps its record's *anchors* (`entry_keys`): for every entry, the
source, the folded name and the year. A record answers to the verdict stored under its
id, unless that verdict's anchors name none of its entries (the id went to someone
else), and to every verdict stored under an id the catalog no longer has whose anchors
name one of its entries (the record it merged, or itself under its old id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from defectors_catalog.domain.folding import fold_many
from defectors_catalog.domain.model import CatalogRecord
from defectors_catalog.domain.text import fold

_GAP = "\x1f"  # never in a folded name


def entry_key(source_id: str, name: str, year: int | None, *, folded: bool = False) -> str:
    """`source, folded name, year` of one entry (`folded`: the name is folded already)."""
    return f"{source_id}{_GAP}{name if folded else fold(name)}{_GAP}{'' if year is None else year}"


def entry_keys(record: CatalogRecord) -> tuple[str, ...]:
    """The anchors of a record: one key per entry, in the record's order."""
    return tuple(dict.fromkeys(entry_key(e.source_id, e.name, e.year) for e in record.entries))


def source_and_year(key: str) -> tuple[str, int | None]:
    """The source and the year an entry key names (the name is not needed to find the
    records worth folding)."""
    source_id, _, rest = key.partition(_GAP)
    year = rest.rpartition(_GAP)[2]
    return source_id, int(year) if year.isdigit() else None


def entry_keys_many(records: Sequence[CatalogRecord]) -> list[tuple[str, ...]]:
    """`[entry_keys(r) for r in records]`, the names folded in batches (10,000 records'
    keys in a few tens of milliseconds rather than a few hundred)."""
    entries = [e for record in records for e in record.entries]
    names = iter(fold_many([e.name for e in entries]))
    keys = []
    for record in records:
        keys.append(
            tuple(
                dict.fromkeys(
                    f"{e.source_id}{_GAP}{next(names)}{_GAP}{'' if e.year is None else e.year}"
                    for e in record.entries
                )
            )
        )
    return keys


def shares_an_entry(anchors: Iterable[str], keys: Iterable[str]) -> bool:
    """Whether a verdict's anchors name one of a record's entry keys (or it has none)."""
    wanted = set(anchors)
    return not wanted or any(key in wanted for key in keys)
