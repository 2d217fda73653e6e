"""Sources overview figures on the seeds, and persisted candidate decisions."""

from __future__ import annotations

import json

from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.merge.decisions import Decision, DecisionStore
from defectors_catalog.domain.model import MatchCandidate
from defectors_catalog.domain.output.overview import (
    combinations,
    overlap_summary,
    pairwise,
    record_coverage,
    source_summaries,
)

from tests.conftest import SEEDS


def test_sources_coverage_on_the_seeds(catalog):
    summaries = {s.spec.id: s for s in source_summaries(catalog)}
    assert (summaries["wikipedia"].records, summaries["wikipedia"].span) == (165, "1924\u20131990")
    scrape = summaries["wikipedia-scrape"]
    assert (scrape.entries, scrape.span, scrape.only_here) == (49, "1924\u20131960", 0)
    assert scrape.coverage_notes[0].startswith("No entries after 1960")
    assert "130 later records is not evidence against them" in scrape.coverage_notes[0]
    assert summaries["fandom"].only_here == 20


def test_overlap_counts_on_the_seeds(catalog):
    summary = {c.label: c.count for c in overlap_summary(catalog)}
    assert summary == {
        "In all 3 sources": 0,
        "In both reliable sources": 49,
        "Only in one source": 136,
    }
    assert [c.count for c in combinations(catalog)] == [116, 49, 20]
    matrix = [[c.count for c in row] for row in pairwise(catalog)]
    assert matrix == [[165, 116, 165], [0, 49, 49], [20, 20, 20]]


def test_absence_outside_a_sources_span_is_not_held_against_a_record(catalog):
    summaries = source_summaries(catalog)
    degner = catalog.records[catalog.row_of["ernst-degner-1961"]]
    notes = record_coverage(degner, summaries)
    assert notes[0] == (
        "Not in Wikipedia scrape (2025), which only covers 1924\u20131960: its absence says "
        "nothing about a 1961 entry."
    )


def test_decisions_persist_atomically_and_undo(tmp_path):
    path = tmp_path / "data" / "decisions.json"
    pair = MatchCandidate("b-1950", "a-1951", 90.0, ("names 90/100 alike",))
    store = DecisionStore(path)
    store.decide(pair, Decision.SAME)
    assert json.loads(path.read_text())["pairs"] == {"a-1951|b-1950": "same-person"}
    assert not list(path.parent.glob("*.part"))
    store.decide(pair, Decision.DIFFERENT)
    assert DecisionStore(path).get(pair) is Decision.DIFFERENT
    assert store.undo() == "a-1951|b-1950"
    assert DecisionStore(path).get(pair) is Decision.SAME
    store.undo()
    assert DecisionStore(path).get(pair) is None
    assert not store.can_undo


def test_a_damaged_decisions_file_does_not_stop_the_app(tmp_path):
    path = tmp_path / "decisions.json"
    path.write_text("{not json", encoding="utf-8")
    store = DecisionStore(path)
    assert store.decisions == {}
    assert "could not read" in store.load_problem


def test_two_sources_read_as_both_and_three_as_all(tmp_path, catalog):
    # A manifest of the two reliable seeds only, read from the bundled files.
    text = (SEEDS / "sources.toml").read_text(encoding="utf-8")
    two = text[: text.index('[[source]]\nid = "fandom"')]
    for name in ("wikipedia.md", "wikipedia-scrape-2025.txt"):
        (tmp_path / name).write_bytes((SEEDS / name).read_bytes())
    (tmp_path / "sources.toml").write_text(two, encoding="utf-8")
    labels = [c.label for c in overlap_summary(load_catalog(tmp_path / "sources.toml"))]
    assert labels[:2] == ["In both sources", "In both reliable sources"]

    # The bundled three with the fan wiki taken as reliable: three reliable sources.
    reliable_fan = load_catalog(extra=[(SEEDS / "fandom.txt", True)])
    labels = [c.label for c in overlap_summary(reliable_fan)]
    assert labels[:2] == ["In all 4 sources", "In all 3 reliable sources"]
