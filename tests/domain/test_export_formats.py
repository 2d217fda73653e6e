"""Every export format read back by a library (openpyxl and pandas for .xlsx, json for
JSON, a pipe-table reader for Markdown): the same columns and rows as the CSV, and
hostile cells that stay text."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from defectors_catalog.cli import main
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output import formats
from defectors_catalog.domain.output.csv_export import ALL_COLUMNS, ExportOptions, export_csv
from defectors_catalog.domain.output.formats import FORMATS, export_records, format_for
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.domain.query.table import build_table

HOSTILE = {
    "notes": '=HYPERLINK("http://x.invalid","click") | <img src=x> [a](javascript:x)\nsecond',
    "profession": "+1",
    "birthplace": "@SUM(A1:A9)",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def hostile(catalog: Catalog) -> Catalog:
    """The seeds' real records, the first three given cells that a spreadsheet or a
    Markdown renderer would run."""
    records = list(catalog.records)
    for i in range(3):
        records[i] = replace(
            records[i], notes=HOSTILE["notes"], profession=HOSTILE["profession"],
            birthplace=HOSTILE["birthplace"],
        )  # fmt: skip
    table = build_table(records, catalog.sources, catalog.classifier)
    return replace(catalog, records=tuple(records), table=table)


def everything(catalog):
    return catalog.engine.run(Query()).positions


def test_xlsx_is_a_real_workbook_with_the_csv_rows(catalog, tmp_path):
    book_path, csv_path = tmp_path / "all.xlsx", tmp_path / "all.csv"
    positions = everything(catalog)
    assert export_records(catalog, positions, book_path) == 185
    export_csv(catalog, positions, csv_path, options=ExportOptions(neutralise_formulas=False))
    # XlsxWriter's temporary files went in the target's folder, and are gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.csv", "all.xlsx"]
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["Records", "Provenance"]
    sheet = book["Records"]
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == list(ALL_COLUMNS)
    assert all(cell.font.b for cell in sheet[1])
    year = header.index("year") + 1
    years = [sheet.cell(row, year).value for row in range(2, 187)]
    assert years == [int(r["year"]) if r["year"] else None for r in read_csv(csv_path)]
    assert all(isinstance(y, int) for y in years if y is not None)
    notes = openpyxl.utils.get_column_letter(header.index("notes") + 1)
    assert 30 < sheet.column_dimensions[notes].width <= 63  # fitted, and capped

    frame = pd.read_excel(book_path, sheet_name="Records", dtype=str, keep_default_na=False,
                          engine="openpyxl")  # fmt: skip
    expected = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    frame["year"] = frame["year"].str.removesuffix(".0")
    pd.testing.assert_frame_equal(frame, expected)


def test_xlsx_provenance_sheet_links_web_origins(catalog, tmp_path):
    out = tmp_path / "hu.xlsx"
    query = Query(text="country:hungary")
    export_records(catalog, catalog.engine.run(query).positions, out, query=query)
    sheet = openpyxl.load_workbook(out)["Provenance"]
    cells = {row[0].value: row for row in sheet.iter_rows()}
    assert cells["rows"][1].value == 22
    assert "country:hungary" in cells["query"][1].value
    origin = cells["wikipedia"][4]
    assert origin.hyperlink.target == catalog.source("wikipedia").origin
    assert cells["wikipedia-scrape"][4].hyperlink is None  # not a web address: text only
    assert cells["wikipedia-scrape"][5].value == "2025-11-06"


@pytest.mark.parametrize("neutralise", [True, False])
def test_xlsx_hostile_cells_stay_text(hostile, tmp_path, neutralise):
    out = tmp_path / "hostile.xlsx"
    options = ExportOptions(neutralise_formulas=neutralise)
    export_records(hostile, everything(hostile), out, options=options)
    book = openpyxl.load_workbook(out)
    assert not [
        c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    sheet = book["Records"]
    header = [cell.value for cell in sheet[1]]
    hostile_rows = [row for row in sheet.iter_rows(min_row=2) if row[0].value in
                    {r.name for r in hostile.records[:3]}]  # fmt: skip
    assert len(hostile_rows) == 3
    for row in hostile_rows:
        for key, text in HOSTILE.items():
            cell = row[header.index(key)]
            assert (cell.value, cell.data_type) == (text, "s")
            assert cell.quotePrefix is neutralise
        assert row[header.index("notes")].hyperlink is None


def test_json_is_an_array_of_objects_in_contract_order(catalog, tmp_path):
    out, csv_path = tmp_path / "all.json", tmp_path / "all.csv"
    positions = everything(catalog)
    export_records(catalog, positions, out)
    export_csv(catalog, positions, csv_path, options=ExportOptions(neutralise_formulas=False))
    raw = out.read_bytes()
    assert "Kőszegi".encode() in raw  # UTF-8 as it is, not \u escapes
    rows = json.loads(raw.decode("utf-8"))
    assert isinstance(rows, list) and len(rows) == 185
    assert all(list(row) == list(ALL_COLUMNS) for row in rows)
    for row, expected in zip(rows, read_csv(csv_path), strict=True):
        assert row["year"] == (int(expected["year"]) if expected["year"] else None)
        assert {k: v for k, v in row.items() if k != "year"} == {
            k: v for k, v in expected.items() if k != "year"
        }


def test_json_of_no_rows_is_an_empty_array(catalog, tmp_path):
    out = tmp_path / "none.json"
    positions = catalog.engine.run(Query(text="country:atlantis")).positions
    assert export_records(catalog, positions, out) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == []


def markdown_rows(text: str) -> list[list[str]]:
    """A pipe table read back: cells split at unescaped pipes, escapes undone."""
    rows = []
    for line in text.splitlines():
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([re.sub(r"\\(.)", r"\1", c.strip()).replace("<br>", "\n") for c in cells])
    return rows


def test_markdown_table_reads_back_with_hostile_text_escaped(hostile, tmp_path):
    out = tmp_path / "all.md"
    positions = everything(hostile)
    export_records(hostile, positions, out)
    text = out.read_text(encoding="utf-8")
    rows = markdown_rows(text)
    assert rows[0] == list(ALL_COLUMNS)
    assert set(rows[1]) == {"---"}
    assert len(rows) == 2 + 185
    notes = ALL_COLUMNS.index("notes")
    by_name = {row[0]: row for row in rows[2:]}
    first = hostile.records[0]
    assert by_name[first.name][notes] == HOSTILE["notes"]
    # Escaped where a renderer would see markup: no tag, no link, no extra column.
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(javascript", text)
    assert "\\<img src=x\\>" in text
    assert all(len(row) == len(ALL_COLUMNS) for row in rows)


def test_format_is_chosen_by_extension_or_by_name():
    assert format_for(Path("a.XLSX")).id == "xlsx"
    assert format_for(Path("a.json")).id == "json"
    assert format_for(Path("a.md")).id == "md"
    assert format_for(Path("a.csv")).id == "csv"
    assert format_for(Path("a.out")).id == "csv"  # as `export OUT` always wrote
    assert format_for(Path("a.csv"), "json").id == "json"
    with pytest.raises(ExportError, match="unknown format 'pdf'"):
        format_for(Path("a.csv"), "pdf")
    assert {f.id for f in FORMATS} == {"csv", "xlsx", "json", "md"}
    assert FORMATS[1].file_filter == "Excel workbook (*.xlsx)"


def test_cli_format_option_and_the_same_query_in_every_format(tmp_path, capsys):
    search = ["--search", "year:1950..1959 -source:fandom"]
    assert main(["export", str(tmp_path / "a.csv"), *search]) == 0
    assert main(["export", str(tmp_path / "a.txt"), "--format", "json", *search]) == 0
    assert main(["export", str(tmp_path / "a.xlsx"), *search]) == 0
    ids = [r["id"] for r in read_csv(tmp_path / "a.csv")]
    assert ids and [r["id"] for r in json.loads((tmp_path / "a.txt").read_text("utf-8"))] == ids
    frame = pd.read_excel(tmp_path / "a.xlsx", dtype=str, engine="openpyxl")
    assert list(frame["id"]) == ids
    capsys.readouterr()
    assert main(["export", "-", "--format", "xlsx"]) == 2
    assert "not text" in capsys.readouterr().err


def test_a_failed_write_leaves_the_earlier_file_and_no_part(catalog, tmp_path, monkeypatch):
    out = tmp_path / "keep.json"
    out.write_text("earlier", encoding="utf-8")

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(formats, "write_json", explode)
    with pytest.raises(ExportError, match="No space left"):
        export_records(catalog, everything(catalog), out)
    assert out.read_text(encoding="utf-8") == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.json"]


def test_provenance_record_beside_any_format(catalog, tmp_path):
    out = tmp_path / "p.md"
    export_records(catalog, everything(catalog), out, options=ExportOptions(provenance=True))
    record = json.loads((tmp_path / "p.md.provenance.json").read_text(encoding="utf-8"))
    assert record["rows"] == 185 and record["file"] == "p.md"


def test_cli_writes_markdown_and_json_to_standard_output(capsys):
    assert main(["export", "-", "--format", "md", "--search", "country:hungary year:1956"]) == 0
    captured = capsys.readouterr()
    rows = markdown_rows(captured.out)
    assert len(rows) == 2 + 9 and rows[0] == list(ALL_COLUMNS)
    assert "wrote 9 of 185 records to standard output" in captured.err
    assert main(["export", "-", "--format", "json", "--search", "year:1956"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 9
