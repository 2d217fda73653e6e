"""The person's verdicts over the real catalog: facets, columns, the note searched, the
export's columns, and verdicts that stay with their records across rebuilds and merges."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from defectors_catalog.domain.annotations.model import Change, Status
from defectors_catalog.domain.annotations.overlay import Desk
from defectors_catalog.domain.annotations.store import AnnotationStore
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.fields import ANNOTATION_FIELDS
from defectors_catalog.domain.output.csv_export import CONTRACT_COLUMNS, export_csv
from defectors_catalog.domain.query.engine import Query

from tests.domain.layout_files import HEADER, HUNGARIAN_CP1252, SEED_ROWS, delimited

BALANCHINE, BAZHANOV = "george-balanchine-1924", "boris-bazhanov-1928"
PUSKAS, PUSKAS_MISPRINTED = "ferenc-puskas-1956", "ferenc-puskas-1957"
PUSKAS_ROW = HUNGARIAN_CP1252[1]  # the export's row for Ferenc Puskás


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations.sqlite3")


@pytest.fixture
def fresh() -> Catalog:
    """A catalog of the seeds of this test's own (its engine gets this test's verdicts)."""
    return load_catalog()


def book(tmp_path: Path) -> Path:
    """A book's copy of the list: two real rows of the export, and Puskás's row with his
    year misprinted as 1957 (which makes a candidate pair, not a merge)."""
    path = tmp_path / "book.csv"
    rows = [SEED_ROWS[0], SEED_ROWS[1], (*PUSKAS_ROW[:3], "1957", PUSKAS_ROW[4])]
    path.write_text(delimited(rows, HEADER, ","), encoding="utf-8")
    return path


def test_status_tags_and_note_are_facets_the_engine_counts(fresh, store):
    desk = Desk(fresh, store)
    desk.change(BALANCHINE, Change(status=Status.VERIFIED, add_tags=("Ballet", "New York")))
    desk.change(BAZHANOV, Change(status=Status.DISPUTED, add_tags=("ballet",), note="Memoirs"))
    engine = fresh.engine
    counts = {v.value: v.count for v in engine.run(Query()).facets["status"]}
    assert counts == {"unchecked": 183, "verified": 1, "disputed": 1, "rejected": 0}
    tags = {v.label: v.count for v in engine.run(Query()).facets["tags"]}
    assert tags == {"Ballet": 2, "New York": 1}  # the first spelling shown
    ids = fresh.table.ids

    def shown(query: Query) -> list[str]:
        return [ids[p] for p in engine.run(query).positions]

    assert shown(Query(selections={"tags": {"ballet"}})) == [BALANCHINE, BAZHANOV]
    assert shown(Query(selections={"status": {"verified"}})) == [BALANCHINE]
    assert shown(Query(selections={"note": {"yes"}})) == [BAZHANOV]
    assert len(shown(Query(selections={"note": {"no"}}))) == 184
    # Each facet is counted under the others: with "disputed" ticked, tags count one.
    ticked = engine.run(Query(selections={"status": {"disputed"}})).facets["tags"]
    assert {v.label: v.count for v in ticked} == {"Ballet": 1, "New York": 0}


def test_the_note_is_searched_by_plain_words(fresh, store):
    desk = Desk(fresh, store)
    assert len(fresh.engine.run(Query(text="memoirs")).positions) == 0
    desk.change(BAZHANOV, Change(note="Checked against his Mémoirs, Paris 1930"))
    found = fresh.engine.run(Query(text="memoirs paris"))
    assert [fresh.table.ids[p] for p in found.positions] == [BAZHANOV]
    # A word in the note and a word in the record's own text, together.
    assert len(fresh.engine.run(Query(text="bazhanov memoirs")).positions) == 1


def test_the_annotation_columns_sort_and_line_up_with_the_records(fresh, store):
    desk = Desk(fresh, store)
    desk.change(BAZHANOV, Change(status=Status.REJECTED, add_tags=("Aardvark",)))
    desk.change(BALANCHINE, Change(status=Status.VERIFIED))
    engine = fresh.engine
    by_status = engine.run(Query(sort_column="status", descending=True)).positions
    assert [fresh.table.ids[p] for p in by_status[:2]] == [BAZHANOV, BALANCHINE]
    assert fresh.table.ids[engine.order("tags")[0]] == BAZHANOV
    for field in ANNOTATION_FIELDS:
        column = engine.annotations.text[field.key]
        assert len(column) == len(fresh.records) and all(isinstance(v, str) for v in column)
    at = fresh.row_of[BAZHANOV]
    assert engine.annotations.text["status"][at] == "rejected"
    assert np.count_nonzero(engine.annotations.status.codes) == 2


def test_the_export_carries_status_tags_and_note_after_the_contract(fresh, store, tmp_path):
    desk = Desk(fresh, store)
    desk.change(BALANCHINE, Change(status=Status.VERIFIED, add_tags=("Ballet", "USA"),
                                   note="=HYPERLINK(\"x\")\nsecond line"))  # fmt: skip
    target = tmp_path / "out.csv"
    export_csv(fresh, fresh.engine.run(Query()).positions, target)
    with target.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert tuple(header[:10]) == (*CONTRACT_COLUMNS, "status", "tags", "note")
    balanchine = next(r for r in rows if r["id"] == BALANCHINE)
    assert balanchine["status"] == "verified" and balanchine["tags"] == "Ballet;USA"
    assert balanchine["note"] == '\'=HYPERLINK("x")\nsecond line'  # neutralised as any cell
    assert {r["status"] for r in rows if r["id"] != BALANCHINE} == {"unchecked"}


def test_verdicts_stay_with_their_records_when_a_source_is_added_and_removed(
    fresh, store, tmp_path
):
    Desk(fresh, store).change(BALANCHINE, Change(status=Status.VERIFIED, add_tags=("Ballet",)))
    added = load_catalog(extra=[(book(tmp_path), True)])
    desk = Desk(added, store)
    assert desk.annotations_for(BALANCHINE).status is Status.VERIFIED
    assert added.records[added.row_of[BALANCHINE]].sources[-1] == "book"
    # A verdict on the record that only the book lists (Puskás misprinted as 1957).
    desk.change(PUSKAS_MISPRINTED, Change(status=Status.REJECTED, note="Year misprinted"))
    without = Desk(load_catalog(), store)  # the book removed again
    assert without.annotations_for(BALANCHINE).tags == ("Ballet",)
    assert without.unattached == [PUSKAS_MISPRINTED]
    assert any("1 of your verdicts are on records this catalog does not have" in p
               for p in without.problems)  # fmt: skip
    again = Desk(load_catalog(extra=[(book(tmp_path), True)]), store)  # and added back
    assert again.annotations_for(PUSKAS_MISPRINTED).note == "Year misprinted"
    assert again.unattached == []


def test_a_merged_record_keeps_both_verdicts_and_shows_their_conflict(store, tmp_path):
    apart = load_catalog(extra=[(book(tmp_path), True)])
    desk = Desk(apart, store)
    desk.change(PUSKAS, Change(status=Status.VERIFIED, add_tags=("Football",)))
    desk.change(PUSKAS_MISPRINTED, Change(status=Status.REJECTED, add_tags=("Madrid",),
                                          note="The book gives 1957"))  # fmt: skip
    merged = load_catalog(
        extra=[(book(tmp_path), True)], decisions={f"{PUSKAS}|{PUSKAS_MISPRINTED}": "same-person"}
    )
    assert PUSKAS_MISPRINTED not in merged.row_of
    together = Desk(merged, store)
    verdict = together.annotations_for(PUSKAS)
    assert verdict.tags == ("Football", "Madrid")
    assert verdict.note == "The book gives 1957"
    assert verdict.merged_from == (PUSKAS, PUSKAS_MISPRINTED)
    assert verdict.conflicts == (f"status: verified ({PUSKAS}) / rejected ({PUSKAS_MISPRINTED})",)
    # The merged-away id answers too (a link or the command line may still name it).
    assert together.annotations_for(PUSKAS_MISPRINTED) == verdict
    assert together.unattached == []
    counts = {v.value: v.count for v in merged.engine.run(Query()).facets["tags"]}
    assert counts == {"football": 1, "madrid": 1}
    # Settling the status settles it under both ids: parted again, both keep it.
    settled = together.change(PUSKAS, Change(status=Status.VERIFIED))
    assert settled.conflicts == () and settled.status is Status.VERIFIED
    parted = Desk(load_catalog(extra=[(book(tmp_path), True)]), store)
    assert parted.annotations_for(PUSKAS_MISPRINTED).status is Status.VERIFIED
    assert parted.annotations_for(PUSKAS).tags == ("Football", "Madrid")


def test_an_id_taken_by_someone_else_does_not_carry_the_verdict(fresh, store):
    """A verdict whose anchors name none of the record now under its id stays apart."""
    desk = Desk(fresh, store)
    desk.change(BALANCHINE, Change(status=Status.VERIFIED))
    row = store.rows[BALANCHINE]
    assert row.anchors and all("george balanchine" in key for key in row.anchors)
    store.change([BAZHANOV], Change(status=Status.REJECTED), anchors=row.anchors)
    stray = Desk(fresh, store)
    # The Bazhanov row's anchors are Balanchine's entries: it attaches there instead.
    assert stray.annotations_for(BAZHANOV).status is Status.UNCHECKED
    assert stray.annotations_for(BALANCHINE).conflicts


def test_another_window_s_change_arrives_on_refresh(fresh, store):
    desk = Desk(fresh, store)
    other = AnnotationStore(store.path)
    other.change([BAZHANOV], Change(add_tags=("Memoirs",)))
    assert fresh.engine.run(Query(selections={"tags": {"memoirs"}})).positions.size == 0
    assert desk.refresh() is True
    assert fresh.engine.run(Query(selections={"tags": {"memoirs"}})).positions.size == 1
    assert desk.refresh() is False


def test_the_search_language_reads_the_verdicts(fresh, store):
    desk = Desk(fresh, store)
    desk.change(BALANCHINE, Change(status=Status.VERIFIED, add_tags=("Ballet",)))
    desk.change(BAZHANOV, Change(status=Status.DISPUTED, note="Checked in his memoirs"))
    ids = fresh.table.ids

    def found(text: str) -> list[str]:
        return sorted(ids[p] for p in fresh.engine.run(Query(text=text)).positions)

    assert found("status:verified") == [BALANCHINE]
    assert found("tag:ballet") == found("tags:BALLET") == [BALANCHINE]
    assert found("has-note:yes") == [BAZHANOV]
    assert found("memoirs") == [BAZHANOV]  # a plain word finds the note too
    assert found("status:verified OR memoirs") == sorted([BALANCHINE, BAZHANOV])
    assert len(found("-status:unchecked")) == 2
