"""Plain-text rows whose cells were glued together, as offline readers and mirrors leave
them: every rule on the row it exists for, the seeds' own rows glued every way, and
garbage that must give diagnostics, never a crash."""

from __future__ import annotations

import re

import pytest
from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import LineKind
from defectors_catalog.domain.sources.layouts import parse_file
from defectors_catalog.domain.sources.layouts.glued import unglue
from defectors_catalog.domain.sources.layouts.plain_rows import parse_plain_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS

HEADER = ["Defector Profession/", "Country Year Notes"]


def read(context, *rows: str):
    return parse_plain_rows([*HEADER, *rows], "glued", context)


@pytest.mark.parametrize(
    ("row", "cells", "borders"),
    [
        (
            "George BalanchinechoreographerRussia1924Defected during a tour of Germany",
            ("George Balanchine", "choreographer", "Russia", 1924),
            "Balanchine|choreographer|Russia, Russia|1924, 1924|Defected",
        ),
        (
            "Tünde Fejér ballet Hungary 1955Defected to France",
            ("Tünde Fejér", "ballet", "Hungary", 1955),
            "1955|Defected",
        ),
        (
            "Mihály Kőszegi athleteHungary 1956 Defected during 1956 Summer Olympics",
            ("Mihály Kőszegi", "athlete", "Hungary", 1956),
            "athlete|Hungary",
        ),
        (
            "Victor KravchenkoEngineerUkraine1944Soviet engineer who witnessed the Holodomor",
            ("Victor Kravchenko", "Engineer", "Ukraine", 1944),
            "Kravchenko|Engineer|Ukraine, Ukraine|1944, 1944|Soviet",
        ),
        (
            "Vespasian Duță painter Romania1968 Defected to West Germany",
            ("Vespasian Duță", "painter", "Romania", 1968),
            "Romania|1968",
        ),
    ],
)
def test_glued_rows_split_on_the_year_the_place_and_the_case_change(context, row, cells, borders):
    result = read(context, row)
    (entry,) = result.entries
    assert (entry.name, entry.profession, entry.birthplace, entry.year) == cells
    assert entry.raw == row  # the line as it stands in the file
    glued = [d for d in entry.diagnostics if d.message.startswith("cells glued")]
    assert [d.code for d in glued] == [DiagnosticCode.INFERRED_SPLIT]
    assert glued[0].message == f"cells glued together were split: {borders}"
    assert not entry.notes[:1].isdigit()


def test_a_row_that_reads_as_it_stands_is_not_touched(context):
    (entry,) = read(context, "Tünde Fejér ballet Hungary 1955 Defected to France").entries
    assert entry.diagnostics == ()


@pytest.mark.parametrize(
    "text",
    [
        "Dennis McDonald pilot Scotland 1961 Defected",  # 'McDonald' keeps its capital D
        "Fled in 1961, as his memoir says",  # prose: a year, no glue
        "Defected in the 1960s to the West",
        "1956",
        "",
    ],
)
def test_nothing_glued_nothing_changed(context, text):
    assert unglue(text, context.gazetteer, context.vocabulary) is None


def test_a_capital_inside_a_name_is_kept(context):
    unglued = unglue("Dennis McDonald pilotScotland1961", context.gazetteer, context.vocabulary)
    assert unglued is not None
    assert unglued.text.startswith("Dennis McDonald pilot Scotland 1961")


def seed_rows(context) -> list[tuple[str, tuple[str, str, str, int | None]]]:
    """The fan-wiki copy's rows, with what they read as today."""
    result = parse_file(SEEDS / "fandom.txt", "fandom", "plain-rows", context)
    return [(e.raw, (e.name, e.profession, e.birthplace, e.year)) for e in result.entries]


def without_border_before_year(raw: str, year: int) -> str:
    return re.sub(rf" {year} ", f"{year}", raw, count=1)


def test_the_seed_rows_glued_at_the_year_read_the_same(context):
    rows = seed_rows(context)
    assert len(rows) == 20
    same = 0
    for raw, cells in rows:
        year = cells[3]
        assert year is not None
        glued = without_border_before_year(raw, year)
        assert glued != raw
        result = read(context, glued)
        if len(result.entries) == 1:
            entry = result.entries[0]
            same += (entry.name, entry.profession, entry.birthplace, entry.year) == cells
    # Each row's place and year still split off; the name/profession boundary is the
    # same as in the unglued row.
    assert same == len(rows)


def test_glued_rows_keep_every_line_accounted_for(context):
    rows = [raw for raw, _ in seed_rows(context)]
    glued = [re.sub(r" (\d{4}) ", r"\1", row, count=1) for row in rows]
    result = read(context, *glued, "Community content is available under CC-BY-SA")
    assert len(result.line_kinds) == len(glued) + 3
    assert result.line_kinds.count(LineKind.RECORD) == len(rows)
    assert len(result.entries) == len(rows)


PIECES = st.sampled_from(
    ["George", "Balanchine", "choreographer", "Russia", "Hungary", "1924", "1955", "Defected",
     "McDonald", "East", "Germany", " ", "", "A", "zz", "ß", "Ǆ", "\u00a0", ",", "|", "2024x"]
)  # fmt: skip
GLUED = st.one_of(st.text(max_size=80), st.lists(PIECES, max_size=16).map("".join))


@settings(
    max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(GLUED, max_size=12))
def test_garbage_gives_diagnostics_never_a_crash(context, lines):
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    result = read(context, *lines)
    assert len(result.line_kinds) == len(lines) + 2
    for entry in result.entries:
        assert entry.name and entry.year is not None
        assert entry.raw == lines[entry.line - 3]
    if not result.entries:
        assert any(d.code == DiagnosticCode.NO_ROWS for d in result.diagnostics)
    for line in lines:
        unglued = unglue(line, context.gazetteer, context.vocabulary)
        if unglued is not None:
            assert unglued.borders
            # Only spaces are added: the letters stay the same, in the same order.
            assert re.sub(r"\s", "", unglued.text) == re.sub(r"\s", "", line)
