"""Any number of sources: 70 sources (more than one 64-bit word of source bits) filter,
count, sort, cross-check, save and export like three do. 65 used to overflow a uint64."""

from __future__ import annotations

from pathlib import Path

import pytest
from defectors_catalog.cli import main
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.output.overview import (
    combinations,
    overlap_summary,
    pairwise,
    source_summaries,
)
from defectors_catalog.domain.query.engine import Query

HEADER = "| Defector | Profession | Birthplace | Year | Notes |"
SOURCES = 70
SURNAMES = ("Kowalski", "Novak", "Horvath", "Popescu", "Petrov", "Berzins", "Hoxha")


def person(n: int) -> str:
    # Names far apart, so the merge keeps each one its own record.
    return f"{chr(65 + n % 26)}{chr(97 + n // 26 % 26)}lina {SURNAMES[n % 7]}{'x' * (n // 7)}"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("many")
    paths = []
    for n in range(SOURCES):
        path = folder / f"list-{n:02d}.md"
        rows = [f"| {person(n)} | Chemist | Warsaw, Poland | {1950 + n % 40} | x |"]
        if n >= 64:  # the last sources also list the first source's person
            rows.append(f"| {person(0)} | Chemist | Warsaw, Poland | 1950 | x |")
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def many(sources, tmp_path_factory) -> Catalog:
    cache = tmp_path_factory.mktemp("cache")
    load_catalog(extra=[(p, True) for p in sources], cache=cache)
    opened = load_catalog(extra=[(p, True) for p in sources], cache=cache)
    assert opened.from_cache
    return opened


def ids(catalog: Catalog, numbers) -> frozenset[str]:
    return frozenset(catalog.sources[3 + n].id for n in numbers)


def test_seventy_sources_make_two_words_of_bits(many):
    assert len(many.sources) == SOURCES + 3
    assert many.table.source_bits.shape == (len(many.records), 2)
    assert len(many.records) == 185 + SOURCES


def test_a_source_past_the_64th_filters_and_counts(many):
    engine = many.engine
    last = ids(many, [69])
    shown = engine.run(Query(selections={"sources": last}))
    names = sorted(many.records[i].name for i in shown.positions)
    assert names == sorted([person(0), person(69)])
    counts = {v.value: v.count for v in engine.run(Query()).facets["sources"]}
    assert counts[next(iter(last))] == 2
    assert counts[next(iter(ids(many, [0])))] == 1


def test_overlaps_across_words(many):
    engine = many.engine
    both = engine.run(Query(in_all=ids(many, [0, 66])))
    assert [many.records[i].name for i in both.positions] == [person(0)]
    only = engine.run(Query(in_all=ids(many, [66]), in_none=ids(many, [0])))
    assert [many.records[i].name for i in only.positions] == [person(66)]


def test_sorting_by_sources_puts_the_most_listed_first(many):
    ranked = many.engine.run(Query(sort_column="sources"))
    first = many.records[int(ranked.positions[0])]
    assert first.name == person(0) and len(first.sources) == 1 + SOURCES - 64


def test_the_sources_overview_works(many):
    summaries = {s.spec.id: s for s in source_summaries(many)}
    assert summaries[many.sources[-1].id].records == 2
    assert sum(c.count for c in combinations(many)) == len(many.records)
    assert len(pairwise(many)) == len(many.sources)
    assert overlap_summary(many)


def test_the_command_line_exports_with_seventy_added_sources(sources, tmp_path, capsys):
    out = tmp_path / "all.csv"
    arguments = [a for p in sources for a in ("--add-source", str(p))]
    assert main(["export", str(out), *arguments]) == 0
    assert f"wrote {185 + SOURCES} of {185 + SOURCES} records" in capsys.readouterr().out
