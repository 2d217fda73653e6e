"""The command line reads every layout, with --encoding, --sheet and --columns, and never
reports success for a file that gave nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from defectors_catalog import paths

from tests.domain import layout_files


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "defectors_catalog", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return layout_files.make_all(tmp_path_factory.mktemp("cli-layouts"))


def test_export_of_a_file_that_gives_no_row_fails_in_one_line(tmp_path):
    page = tmp_path / "saved.html"
    page.write_text(
        "<html><body>" + "<table><tr><td>menu</td></tr></table>" * 3 + "</body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    done = run("export", str(out), "--add-source", str(page))
    assert done.returncode == 2
    assert done.stderr == (
        "defectors-catalog: error: saved.html: no row could be read: an HTML page with 3 "
        "tables; none has a name and a year column\n"
    )
    assert "wrote" not in done.stdout and not out.exists()


def test_a_listed_file_given_again_is_refused(tmp_path):
    done = run("report", "--add-source", str(paths.seeds_dir() / "wikipedia.md"))
    assert done.returncode == 2
    assert "wikipedia.md: already listed as 'Wikipedia export'" in done.stderr


def test_columns_and_sheet_options(files, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("Wer,Jahr\nGeorge Balanchine,1924\nBoris Bazhanov,1928\n", "utf-8")
    refused = run("report", "--add-source", str(odd))
    assert refused.returncode == 2 and "names no name column: Wer" in refused.stderr
    done = run("report", "--add-source", str(odd), "--columns", "Wer=name")
    assert done.returncode == 0, done.stderr
    assert "odd (reliable, delimited, UTF-8): 2 rows from 3 lines" in done.stdout
    bad = run("report", "--add-source", str(odd), "--columns", "Wer")
    assert bad.returncode == 2 and "'Wer' is not COLUMN=FIELD" in bad.stderr
    sheet = run("report", "--add-source", str(files["list.xlsx"]), "--sheet", "About")
    assert sheet.returncode == 2 and "none has a name and a year column" in sheet.stderr
    whole = run("report", "--add-source", str(files["list.xlsx"]))
    assert whole.returncode == 0
    assert "a workbook of 2 sheets: 12 rows read from sheet 'Defectors'" in whole.stdout


def test_report_names_no_line_none_and_counts_a_pages_rows(files):
    done = run("report", "--add-source", str(files["page.html"]))
    assert done.returncode == 0, done.stderr
    assert "line None" not in done.stdout
    assert "page (reliable, html, UTF-8): 12 rows" in done.stdout
    assert "not-read: holds a year and words but is in table 2" in done.stdout
