"""The pipe-table parser on the lines it was written for."""

from __future__ import annotations

from defectors_catalog.domain.model import LineKind
from defectors_catalog.domain.sources.layouts.pipe_table import parse_pipe_table

HEADER = "| Defector | Profession/ Prominence | Birthplace | Year | Notes |"


def parse(context, *rows: str, header: str = HEADER):
    return parse_pipe_table([header, *rows], "test", context)


def test_every_wikipedia_line_is_a_record_or_accounted_for(context, seed_lines):
    lines = seed_lines["wikipedia.md"][:-1]  # the file ends with a line end
    result = parse_pipe_table(lines, "wikipedia", context)
    assert len(result.line_kinds) == len(lines) == 183
    assert result.line_kinds.count(LineKind.RECORD) == 165
    assert LineKind.SKIPPED not in result.line_kinds
    assert result.diagnostics == ()


def test_columns_are_mapped_by_header_name_not_position(context):
    header = "| Year | Defector | Notes | Birthplace | Profession |"
    result = parse(
        context, "| 1924 | George Balanchine | Toured | Russia | Choreographer |", header=header
    )
    entry = result.entries[0]
    assert (entry.name, entry.profession, entry.birthplace, entry.year, entry.notes) == (
        "George Balanchine",
        "Choreographer",
        "Russia",
        1924,
        "Toured",
    )


def test_empty_cell_stays_empty(context):
    entry = parse(context, "| Valeri Tihonovitch Minakov | | Russia | 1945 | Escaped |").entries[0]
    assert entry.profession == ""
    assert entry.birthplace == "Russia"
    assert entry.diagnostics == ()


def test_shifted_scrape_row_is_realigned_and_marked_repaired(context):
    row = (
        "| Valeri Tihonovitch Minakov | Russia | 1945 | Escaped from Siberia across the "
        "Bering Sea in a small boat | |"
    )
    entry = parse(context, row).entries[0]
    assert (entry.profession, entry.birthplace, entry.year) == ("", "Russia", 1945)
    assert entry.notes.startswith("Escaped from Siberia")
    assert [d.code for d in entry.diagnostics] == ["repaired"]
    assert "profession" in entry.diagnostics[0].message


def test_note_of_just_a_dash_means_empty(context):
    entry = parse(context, "| Mihai Apostol | Sprint canoe athlete | Romania | 1989 | - |").entries[
        0
    ]
    assert entry.notes == ""


def test_alias_in_parentheses_becomes_alias(context):
    entry = parse(context, "| Vladimir Rezun (Viktor Suvorov) | GRU | Russia | 1978 | x |").entries[
        0
    ]
    assert (entry.name, entry.alias) == ("Vladimir Rezun", "Viktor Suvorov")


def test_two_place_birthplace_is_kept_raw(context):
    entry = parse(
        context,
        "| Boris Bazhanov | Politburo secretary | Ukraine, Russian Empire | 1928 | Defected |",
    ).entries[0]
    assert entry.birthplace == "Ukraine, Russian Empire"


def test_scrape_references_are_kept_as_source_references(context, seed_lines):
    lines = seed_lines["wikipedia-scrape-2025.txt"]
    result = parse_pipe_table(lines, "wikipedia-scrape", context)
    assert len(result.entries) == 49
    assert len(result.references) == 29
    assert result.references[0] == "Dowty 1989, p. 69"
    assert result.line_kinds.count(LineKind.REFERENCE) == 29
    assert LineKind.SKIPPED not in result.line_kinds


def test_ragged_row_is_padded_and_reported(context):
    result = parse(context, "| Ann Smith | Poet | Poland | 1950 |")
    assert result.entries[0].notes == ""
    assert [d.code for d in result.entries[0].diagnostics] == ["ragged-row"]


def test_extra_cells_go_to_the_notes_not_lost(context):
    entry = parse(context, "| Ann Smith | Poet | Poland | 1950 | Fled | to Paris |").entries[0]
    assert entry.notes == "Fled | to Paris"
    assert entry.diagnostics[0].code == "ragged-row"


def test_year_that_is_not_a_number_is_reported(context):
    entry = parse(context, "| Ann Smith | Poet | Poland | unknown | Fled |").entries[0]
    assert entry.year is None
    assert entry.diagnostics[0].code == "bad-year"
    assert entry.diagnostics[0].line == 2


def test_rows_before_a_header_are_reported_with_their_line(context):
    result = parse_pipe_table(["| a | b |", "| c | d |"], "test", context)
    assert result.entries == ()
    assert [d.line for d in result.diagnostics if d.code == "no-header"] == [1, 2]


def test_unknown_and_duplicate_columns_are_reported(context):
    header = "| Defector | Year | Shoe size | Year |"
    result = parse(context, "| Ann Smith | 1950 | 9 | 1951 |", header=header)
    assert result.entries[0].year == 1950
    assert {d.code for d in result.diagnostics} == {"unknown-column", "duplicate-column"}


def test_nbsp_and_decomposed_diacritics_are_normalised(context):
    row = "| Tu\u0308nde\u00a0Feje\u0301r | Dancer | Hungary | 1955 | Fled |"
    assert parse(context, row).entries[0].name == "Tünde Fejér"
