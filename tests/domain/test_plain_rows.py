"""The plain-rows parser: each rule on the line it exists for, and a page it was not tuned to."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.model import LineKind
from defectors_catalog.domain.sources.layouts.pipe_table import parse_pipe_table
from defectors_catalog.domain.sources.layouts.plain_rows import parse_plain_rows

HEADER = ["Defector Profession/", "Country Year Notes"]


def one(context, row: str):
    result = parse_plain_rows([*HEADER, row], "test", context)
    assert len(result.entries) == 1, result
    return result.entries[0]


def codes(entry) -> list[str]:
    return [d.code for d in entry.diagnostics]


@pytest.mark.parametrize(
    ("row", "name", "profession", "birthplace", "year"),
    [
        (
            "Tünde Fejér ballet Hungary 1955 Defected to France",
            "Tünde Fejér",
            "ballet",
            "Hungary",
            1955,
        ),
        (
            "Eva Carol Raupach actress East Germany 1969 Defected to West Germany",
            "Eva Carol Raupach",
            "actress",
            "East Germany",
            1969,
        ),
        (
            "Kiều Mẫn Hoàng North Vietnamese Army North Vietnam 1967 Defected to Australia",
            "Kiều Mẫn Hoàng",
            "North Vietnamese Army",
            "North Vietnam",
            1967,
        ),
        (
            "Zu Qiangsheng People's Liberation Army Ground Force China 1969 Defected to Japan",
            "Zu Qiangsheng",
            "People's Liberation Army Ground Force",
            "China",
            1969,
        ),
        (
            "Marek Rüütel Soviet Navy Estonia 1970 Abandoned a Soviet frigate",
            "Marek Rüütel",
            "Soviet Navy",
            "Estonia",
            1970,
        ),
        (
            "Kolë Thaçi UN representative Albania 1974 Defected to Italy",
            "Kolë Thaçi",
            "UN representative",
            "Albania",
            1974,
        ),
        (
            "Mieczysław Fiedorowicz and Jadwiga Fiedorowicz painter / photographer Poland 1971 "
            "Fled",
            "Mieczysław Fiedorowicz and Jadwiga Fiedorowicz",
            "painter / photographer",
            "Poland",
            1971,
        ),
        (
            "V. M. Kukharenko actor Ukraine 1958 Defected to West Germany",
            "V. M. Kukharenko",
            "actor",
            "Ukraine",
            1958,
        ),
    ],
)
def test_fan_wiki_rows_split_into_cells(context, row, name, profession, birthplace, year):
    entry = one(context, row)
    assert (entry.name, entry.profession, entry.birthplace, entry.year) == (
        name,
        profession,
        birthplace,
        year,
    )


def test_organisation_professions_are_marked_inferred(context):
    entry = one(context, "Marek Rüütel Soviet Navy Estonia 1970 Abandoned a Soviet frigate")
    assert codes(entry) == ["inferred-split"]
    assert "Soviet Navy" in entry.diagnostics[0].message


def test_a_plain_split_carries_no_diagnostic(context):
    assert codes(one(context, "Tünde Fejér ballet Hungary 1955 Defected to France")) == []


def test_the_rows_year_wins_over_a_year_in_the_notes(context):
    entry = one(
        context,
        "Lőrinc Szatmári athlete Hungary 1959 Defected while training for "
        "the 1960 Winter Olympics.",
    )
    assert entry.year == 1959
    assert entry.notes == "Defected while training for the 1960 Winter Olympics."


def test_non_breaking_space_in_notes_is_normalised(context):
    entry = one(context, "V. M. Kukharenko actor Ukraine 1958 Defected via\u00a0Poland")
    assert entry.notes == "Defected via Poland"
    assert entry.raw.endswith("via\u00a0Poland")  # provenance keeps the raw line


def test_comma_joined_birthplaces_are_one_cell(context):
    entry = one(context, "Boris Bazhanov Politburo secretary Ukraine, Russian Empire 1928 Fled")
    assert entry.birthplace == "Ukraine, Russian Empire"
    assert entry.year == 1928


def test_unknown_country_is_read_but_flagged(context):
    entry = one(context, "Ann Smith dancer Ruritania 1960 Fled")
    assert entry.birthplace == "Ruritania"
    assert "inferred-split" in codes(entry)


def test_fan_wiki_file_lines_are_all_accounted_for(context, seed_lines):
    lines = seed_lines["fandom.txt"]
    result = parse_plain_rows(lines, "fandom", context)
    assert len(result.entries) == 20
    assert result.line_kinds[:2] == (LineKind.PROSE, LineKind.BLANK)
    assert result.line_kinds.count(LineKind.HEADER) == 2
    assert result.line_kinds[-1] == LineKind.PROSE  # the CC-BY-SA footer
    assert LineKind.SKIPPED not in result.line_kinds
    assert result.diagnostics == ()


def test_a_broken_line_inside_the_table_is_reported_not_dropped(context):
    lines = [
        *HEADER,
        "Ann Smith dancer Hungary 1955 Fled",
        "garbled line without year",
        "Bob Jones actor Poland 1960 Fled",
        "Footer text.",
    ]
    result = parse_plain_rows(lines, "test", context)
    assert [e.name for e in result.entries] == ["Ann Smith", "Bob Jones"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("no-year", 4)]
    assert result.line_kinds[3] == LineKind.SKIPPED
    assert result.line_kinds[5] == LineKind.PROSE


def test_prose_with_years_is_not_read_as_rows(context, seed_lines):
    prose = seed_lines["fandom.txt"][2]
    assert "1961" in prose
    result = parse_plain_rows([prose], "test", context)
    assert result.entries == ()


def test_reads_another_revision_in_this_layout(context, seed_lines):
    """The complete Wikipedia list, flattened to plain rows as the fan wiki was.

    Its professions are capitalised ('Chess player', 'KGB agent', 'Politburo
    secretary') and its names are not the fan wiki's. Every row must come back, every
    wrong split must be flagged as inferred, and most must be exactly right.
    """
    truth = parse_pipe_table(seed_lines["wikipedia.md"], "wikipedia", context).entries
    rows = [
        f"{e.name}{f' ({e.alias})' if e.alias else ''} {e.profession} {e.birthplace} "
        f"{e.year} {e.notes}".replace("  ", " ")
        for e in truth
    ]
    result = parse_plain_rows([*HEADER, *rows], "revision", context)
    assert len(result.entries) == len(truth) == 165
    exact = 0
    for want, got in zip(truth, result.entries, strict=True):
        assert (got.year, got.birthplace, got.notes) == (want.year, want.birthplace, want.notes)
        if (got.name, got.alias, got.profession) == (want.name, want.alias, want.profession):
            exact += 1
        else:
            assert "inferred-split" in codes(got), (want.name, got.name, got.profession)
    print(f"\nflattened Wikipedia: {exact}/165 name/profession splits exactly right")
    assert exact >= 160  # 163 today; the two misses are flagged


def test_layout_of_a_new_file_is_detected(seed_lines):
    from defectors_catalog.domain.sources.layouts import detect_layout

    assert detect_layout(seed_lines["wikipedia.md"]) == "pipe-table"
    assert detect_layout(seed_lines["wikipedia-scrape-2025.txt"]) == "pipe-table"
    assert detect_layout(seed_lines["fandom.txt"]) == "plain-rows"
