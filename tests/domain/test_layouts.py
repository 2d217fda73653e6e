"""Every layout a person brings is read, row for row, from files made of the seeds' rows;
what cannot be read says what was found; nothing that looks like a record is lost."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.errors import ManifestError
from defectors_catalog.domain.model import LineKind, ParseResult
from defectors_catalog.domain.sources.layouts import (
    BY_ID,
    LAYOUT_IDS,
    LAYOUTS,
    ReadOptions,
    file_filters,
    parse_file,
)
from defectors_catalog.domain.sources.manifest import spec_from_mapping

from tests.domain import layout_files
from tests.domain.layout_files import NAMES, SEED_ROWS

# file -> (layout detected, rows read)
EXPECTED = {
    "de.csv": ("delimited", 12),
    "en.csv": ("delimited", 12),
    "ru.csv": ("delimited", 3),
    "copy.tsv": ("delimited", 12),
    "page.html": ("html", 12),
    "article.wiki": ("wikitext", 12),
    "list.json": ("json", 12),
    "list.jsonl": ("json", 12),
    "list.xlsx": ("spreadsheet", 12),
    "list.ods": ("spreadsheet", 12),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return layout_files.make_all(tmp_path_factory.mktemp("layouts"))


def read(path: Path, context, layout: str = "auto", **options: object) -> ParseResult:
    return parse_file(path, path.stem, layout, context, options=ReadOptions(**options))  # type: ignore[arg-type]


def test_every_layout_is_declared_once_with_what_the_dialog_needs():
    ids = [layout.id for layout in LAYOUTS]
    assert len(ids) == len(set(ids))
    assert LAYOUT_IDS[0] == "auto" and set(LAYOUT_IDS[1:]) == set(ids)
    for layout in LAYOUTS:
        assert layout.label and layout.extensions
        assert all(ext.isalnum() and ext.islower() for ext in layout.extensions)
    filters = file_filters()
    assert filters[0].startswith("Lists (") and "*.xlsx" in filters[0] and "*.html" in filters[0]
    assert filters[-1] == "All files (*)"


def test_the_manifest_takes_the_registry_ids_and_refuses_others(tmp_path):
    entry = {"id": "mine", "title": "Mine", "file": "a.xlsx", "reliability": "reliable"}
    for layout in LAYOUT_IDS:
        assert spec_from_mapping({**entry, "layout": layout}, tmp_path, 1).layout == layout
    with pytest.raises(ManifestError, match="layout must be one of auto, pipe-table"):
        spec_from_mapping({**entry, "layout": "excel"}, tmp_path, 1)
    spec = spec_from_mapping(
        {**entry, "encoding": "Windows-1252", "sheet": "Defectors",
         "columns": {"Full name": "name", "Foto": "ignore"}}, tmp_path, 1,
    )  # fmt: skip
    assert (spec.encoding, spec.sheet) == ("cp1252", "Defectors")
    assert spec.columns == (("Full name", "name"), ("Foto", "ignore"))
    with pytest.raises(ManifestError, match="maps to 'nmae'"):
        spec_from_mapping({**entry, "columns": {"Full name": "nmae"}}, tmp_path, 1)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_layout_reads_every_row(files, context, name):
    layout, count = EXPECTED[name]
    result = read(files[name], context)
    assert result.layout == layout
    assert len(result.entries) == count, result.diagnostics
    if count == 12:
        assert [e.name for e in result.entries] == NAMES
        assert [e.year for e in result.entries] == [int(r[3]) for r in SEED_ROWS]
    assert all(e.raw and e.line >= 1 for e in result.entries)
    lines = [e.line for e in result.entries]
    assert lines == sorted(set(lines))  # each row at its own line, in file order
    assert len(result.line_kinds) >= max(lines)
    assert all(result.line_kinds[e.line - 1] is LineKind.RECORD for e in result.entries)
    skipped = {n for n, kind in enumerate(result.line_kinds, 1) if kind is LineKind.SKIPPED}
    assert skipped <= {d.line for d in result.diagnostics}
    assert result.summary


def test_german_and_english_headers_map_to_their_fields(files, context):
    german = read(files["de.csv"], context)
    assert [(c.header, c.field) for c in german.columns] == [
        ("Name", "name"), ("Beruf", "profession"), ("Geburtsort", "birthplace"),
        ("Jahr", "year"), ("Anmerkungen", "notes"),
    ]  # fmt: skip
    assert german.entries[1].profession == "Politburo secretary"
    assert german.entries[1].notes == "Defected to France via Iran and India"
    english = read(files["en.csv"], context)
    assert [c.field for c in english.columns] == ["name", "profession", "birthplace", "year"]
    assert english.entries[1].birthplace == "Ukraine, Russian Empire"


def test_russian_headers_and_cyrillic_names(files, context):
    result = read(files["ru.csv"], context)
    assert [c.field for c in result.columns] == [
        "name", "profession", "birthplace", "year", "notes",
    ]  # fmt: skip
    assert [e.name for e in result.entries] == [r[0] for r in layout_files.RUSSIAN]
    assert result.entries[0].year == 1924


def test_a_header_less_browser_copy_keeps_rows_with_empty_cells(files, context):
    result = read(files["copy.tsv"], context)
    assert len(result.entries) == 12
    assert [c.field for c in result.columns] == [
        "name", "profession", "birthplace", "year", "notes",
    ]  # fmt: skip
    inferred = [d for d in result.diagnostics if d.code == DiagnosticCode.INFERRED_COLUMNS]
    assert inferred and "12 of 12 cells are years" in inferred[0].message
    assert result.entries[1].profession == ""  # the empty cell stayed empty
    assert result.entries[2].profession == SEED_ROWS[2][1]
    assert LineKind.PROSE not in result.line_kinds


def test_a_spreadsheet_row_is_its_sheet_row_and_its_cells_joined_with_tabs(files, context):
    result = read(files["list.xlsx"], context)
    assert result.part == "Defectors" and result.parts == ("About", "Defectors")
    first = result.entries[0]
    assert first.line == 4  # a title row, an empty row, the header row, then the rows
    assert first.raw == "\t".join(SEED_ROWS[0])
    assert result.line_kinds[2] is LineKind.HEADER
    assert any("not the other sheets ('About')" in d.message for d in result.diagnostics)
    assert result.encoding == ""  # a workbook holds no text to decode


def test_a_named_sheet_is_read_and_a_missing_one_is_named(files, context):
    from defectors_catalog.domain.errors import SourceReadError

    about = read(files["list.ods"], context, sheet="About")
    assert about.entries == () and "none has a name and a year column" in about.summary
    with pytest.raises(SourceReadError, match="no sheet 'Liste'; its sheets are 'About'"):
        read(files["list.ods"], context, sheet="Liste")


def test_a_saved_page_keeps_link_text_and_drops_reference_markers(files, context):
    result = read(files["page.html"], context)
    assert "[1]" not in result.entries[0].notes
    assert result.entries[0].notes == SEED_ROWS[0][4]
    assert result.entries[7].year == 1937  # from the year cell spanning two rows
    assert result.entries[0].raw.startswith("George Balanchine\tChoreographer\t")
    # The navbox's line holds a year and words, so it is listed as not read.
    navbox = [d for d in result.diagnostics if d.code == DiagnosticCode.NOT_READ]
    assert len(navbox) == 1 and "table 2" in navbox[0].message
    assert result.summary == "an HTML page with 2 tables; 12 rows read from table 1"


def test_wikitext_both_row_styles_links_and_references(files, context):
    result = read(files["article.wiki"], context)
    first = result.entries[0]
    assert first.name == "George Balanchine"  # [[George Balanchine (defector)|George …]]
    assert first.birthplace == "Russia"  # [[Russia]]
    assert first.notes == SEED_ROWS[0][4]  # the <ref> is out of the value…
    assert "<ref" in first.raw  # …and kept in the raw line
    assert [e.profession for e in result.entries] == [r[1] for r in SEED_ROWS]
    assert result.line_kinds[0] is LineKind.HEADING


def test_json_rows_start_at_their_object_and_keys_map_like_headers(files, context):
    array = read(files["list.json"], context)
    assert array.entries[0].line == 2 and array.entries[1].line == 9
    assert array.entries[0].raw.startswith('{"name": "George Balanchine"')
    lines = read(files["list.jsonl"], context)
    assert [e.line for e in lines.entries] == list(range(1, 13))
    assert lines.entries[1].profession == "Politburo secretary"  # "Beruf"


def test_chosen_columns_win_and_unknown_columns_are_named_not_lost(tmp_path, context):
    path = tmp_path / "list.csv"
    path.write_text(
        "Wer,Was,Foto,Year\nGeorge Balanchine,Choreographer,balanchine.jpg,1924\n",
        encoding="utf-8",
    )
    plain = read(path, context)
    assert plain.entries == ()  # 'Wer' is no known header word
    assert plain.summary == (
        "a comma-separated file of 2 rows; its header row (line 1) names no name column: "
        "Wer \u2192 ignore, Was \u2192 ignore, Foto \u2192 ignore, Year \u2192 year"
    )
    chosen = read(path, context, columns=(("Wer", "name"), ("Was", "profession")))
    entry = chosen.entries[0]
    assert (entry.name, entry.profession, entry.year) == (
        "George Balanchine",
        "Choreographer",
        1924,
    )
    unknown = [d.message for d in chosen.diagnostics if d.code == DiagnosticCode.UNKNOWN_COLUMN]
    assert unknown == [
        "column 'Foto' is not used (German header word); its cells stay in each row's raw line"
    ]
    assert "balanchine.jpg" in entry.raw
    by_position = read(path, context, columns=(("1", "name"),))  # the first column
    assert by_position.entries[0].name == "George Balanchine"
    numbered = tmp_path / "numbered.csv"
    numbered.write_text("George Balanchine,x,1924\nBoris Bazhanov,y,1928\n", encoding="utf-8")
    assert [e.name for e in read(numbered, context, columns=(("column 1", "name"),)).entries] == [
        "George Balanchine", "Boris Bazhanov",
    ]  # fmt: skip


# One file per layout that must be refused, and what it says it found.
REFUSED = {
    "tables.html": (
        "<html><body><table><tr><td>a</td></tr></table><table><tr><td>b</td></tr></table>"
        "<table><tr><th>Photo</th></tr></table></body></html>",
        "an HTML page with 3 tables; none has a name and a year column",
    ),
    "no-year.wiki": (
        '{| class="wikitable"\n! Defector !! Profession\n|-\n| George Balanchine || '
        "Choreographer\n|}\n",
        "wikitext with 1 table; none has a name and a year column",
    ),
    "keys.json": (
        '[{"id": 1, "title": "Defectors"}]',
        "a JSON array of 1 items; none has a name and a year (keys: id, title)",
    ),
    "broken.json": ('[{"name": "George Balanchine", "year": 1924', "not valid JSON"),
    "words.csv": (
        "alpha,beta,gamma\nx,y,z\nu,v,w\n",
        "a comma-separated file of 3 rows; none is a header naming a name and a year column",
    ),
    "prose.md": (
        "| just | a | table |\n| of | no | people |\n",
        "table row before any header row naming Defector/Name and Year columns",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_file_with_no_row_says_what_it_found(tmp_path, context, name):
    text, message = REFUSED[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = read(path, context)
    assert result.entries == ()
    assert message in result.summary


def test_a_workbook_with_no_list_says_so(tmp_path, context):
    import pandas as pd

    path = tmp_path / "budget.xlsx"
    pd.DataFrame([["Item", "Cost"], ["Tickets", 120]]).to_excel(path, header=False, index=False)
    result = read(path, context)
    assert result.entries == ()
    assert result.summary == "a workbook of 1 sheet ('Sheet1'); none has a name and a year column"


def test_a_damaged_workbook_is_refused_with_its_name(tmp_path, context):
    from defectors_catalog.domain.errors import SourceReadError

    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"xl/workbook.xml" + b"\x00" * 64)
    with pytest.raises(SourceReadError, match=r"damaged\.xlsx: not a readable spreadsheet"):
        read(path, context)


def test_each_layout_can_be_chosen_by_hand(files, context):
    for name, (layout, count) in EXPECTED.items():
        assert len(read(files[name], context, layout).entries) == count
    assert BY_ID["spreadsheet"].binary and not BY_ID["delimited"].binary


def test_the_preview_reads_a_big_text_file_only_in_part(tmp_path, context):
    from defectors_catalog.domain.sources.preview import PREVIEW_LINES, preview_source

    path = tmp_path / "big.csv"
    row = ";".join(SEED_ROWS[0])
    path.write_text("Name;Beruf;Geburtsort;Jahr;Anmerkungen\n" + f"{row}\n" * (PREVIEW_LINES + 10))
    preview = preview_source(path, context)
    assert preview.can_add and preview.layout == "delimited" and preview.detected == "delimited"
    assert (preview.read_lines, preview.total_lines) == (PREVIEW_LINES, PREVIEW_LINES + 11)
    assert preview.encoding == "UTF-8" and len(preview.rows) == 12
    assert dict(preview.scores)["delimited"] == 0.8


def test_the_preview_refuses_a_listed_file_and_a_file_of_no_rows(tmp_path, context, catalog):
    from defectors_catalog.domain.sources.preview import preview_source

    listed = preview_source(catalog.sources[0].path, context, listed=catalog.sources)
    assert not listed.can_add and "already listed as 'Wikipedia export'" in listed.error
    empty = tmp_path / "tables.html"
    empty.write_text(REFUSED["tables.html"][0], encoding="utf-8")
    refused = preview_source(empty, context)
    assert not refused.can_add
    assert refused.error == "no row could be read: " + REFUSED["tables.html"][1]


def test_reading_options_are_frozen_and_comparable():
    options = ReadOptions(encoding="cp1252", columns=(("Nom", "name"),))
    assert options.column_map == {"Nom": "name"}
    assert dataclasses.replace(options, sheet="A") != options


def test_a_mapping_given_to_a_layout_that_takes_none_is_said_to_be_unused(context):
    from defectors_catalog import paths

    seed = paths.seeds_dir() / "wikipedia.md"
    result = read(seed, context, columns=(("Defector", "notes"),))
    assert len(result.entries) == 165  # read by its header words, as always
    assert any(
        "column mapping given is not used: Pipe table" in d.message for d in result.diagnostics
    )
