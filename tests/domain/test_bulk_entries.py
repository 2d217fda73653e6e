"""Entries made column by column (`make_entries`, as the table readers do for a big
list) are exactly the entries `make_entry` makes row by row."""

from __future__ import annotations

from pathlib import Path

from defectors_catalog import paths
from defectors_catalog.domain.model import Diagnostic, Severity
from defectors_catalog.domain.sources.layouts.common import make_entries, make_entry
from hypothesis import given, settings
from hypothesis import strategies as st

FIELDS = ("name", "profession", "birthplace", "year", "notes")
# Cells as lists give them: real seed values, years in every form, and garbage.
CELL = st.one_of(
    st.sampled_from(
        ["1956", " c. 1961 ", "unknown", "", "-", "\u2013", "Vladimir Rezun (Viktor Suvorov)",
         "  Kőszegi  Ferenc ", "Physicist", "Győr, Hungary", "1956 or 1957"]
    ),
    st.text(max_size=30),
)  # fmt: skip


def _rows(draw_rows: list[tuple[str, ...]]) -> dict[str, list[str]]:
    return {name: [row[i] for row in draw_rows] for i, name in enumerate(FIELDS)}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(*(CELL for _ in FIELDS)), max_size=12),
    st.sets(st.integers(0, 11), max_size=4),
)
def test_columns_make_the_entries_rows_make(rows: list[tuple[str, ...]], noted: set[int]) -> None:
    lines = [10 + 2 * i for i in range(len(rows))]
    raws = [",".join(row) for row in rows]
    notes = {
        at: [Diagnostic("ragged_row", "row has 3 cells, the header 5", lines[at], Severity.WARNING)]
        for at in noted
        if at < len(rows)
    }
    bulk = make_entries("list", lines, raws, _rows(rows), notes)
    one_by_one = [
        make_entry("list", lines[at], raws[at], dict(zip(FIELDS, row, strict=True)),
                   list(notes.get(at, [])))
        for at, row in enumerate(rows)
    ]  # fmt: skip
    assert bulk == one_by_one
    assert [e.diagnostics for e in bulk] == [e.diagnostics for e in one_by_one]


def test_a_seed_list_read_as_csv_keeps_every_row(tmp_path: Path) -> None:
    """The seed catalog's people written as a CSV come back as entries with their own
    names, years and line numbers."""
    import csv

    from defectors_catalog.domain.catalog.build import load_catalog
    from defectors_catalog.domain.reference.gazetteer import load_gazetteer
    from defectors_catalog.domain.reference.professions import load_professions
    from defectors_catalog.domain.sources.layouts import make_context, parse_file

    records = load_catalog().records
    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("Name", "Profession", "Birthplace", "Year", "Notes"))
        for r in records:
            year = "" if r.year is None else str(r.year)
            writer.writerow((r.name, r.profession, r.birthplace, year, r.notes))
    resources = paths.resources_dir()
    context = make_context(
        load_gazetteer(resources / "places.toml"),
        load_professions(resources / "professions.toml").split,
    )
    entries = parse_file(path, "people", "auto", context).entries
    assert [(e.name, e.year, e.line) for e in entries] == [
        (r.name, r.year, i) for i, r in enumerate(records, 2)
    ]
    assert sum(1 for e in entries if any(d.code == "bad_year" for d in e.diagnostics)) == sum(
        1 for r in records if r.year is None
    )


LINE = st.lists(
    st.sampled_from(["Anna Kovacs", "1956", '"Győr, Hungary"', '"open', 'close"', '""', "", " ",
                     "Physicist", "a\"b", "c. 1961", "Name", "Year"]),
    max_size=6,
).map(",".join)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=15))
def test_rows_read_at_once_are_the_rows_read_one_by_one(body: list[str]) -> None:
    """A list read in one pass (every row one line) gives the same parse as the reader
    that places each row, mends runaway quotes and stops at bad CSV."""
    from unittest import mock

    from defectors_catalog.domain.reference.gazetteer import load_gazetteer
    from defectors_catalog.domain.reference.professions import load_professions
    from defectors_catalog.domain.sources.layouts import delimited, make_context

    resources = paths.resources_dir()
    context = make_context(
        load_gazetteer(resources / "places.toml"),
        load_professions(resources / "professions.toml").split,
    )
    lines = ["Name,Profession,Birthplace,Year,Notes", *body]
    fast = delimited.parse_delimited(lines, "list", context)
    with mock.patch.object(delimited, "_single_line_columns", return_value=(None, 0)):
        slow = delimited.parse_delimited(lines, "list", context)
    assert fast == slow
