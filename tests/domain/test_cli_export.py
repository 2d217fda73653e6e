"""The headless `export` command end to end, as a person runs it."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from defectors_catalog.cli import main
from defectors_catalog.domain.atomic import write_atomically
from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output.csv_export import CONTRACT_COLUMNS, export_csv
from defectors_catalog.domain.query.engine import Query


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_all_185_records_with_the_contract_columns_first(tmp_path, capsys):
    out = tmp_path / "all.csv"
    assert main(["export", str(out)]) == 0
    rows = read_csv(out)
    assert len(rows) == 185
    header = out.read_text(encoding="utf-8").split("\n")[0].split(",")
    assert tuple(header[:7]) == CONTRACT_COLUMNS
    assert "wrote 185 of 185 records" in capsys.readouterr().out
    minakov = next(r for r in rows if r["name"] == "Valeri Tihonovitch Minakov")
    assert minakov["sources"] == "wikipedia;wikipedia-scrape"
    assert minakov["profession"] == "" and minakov["birthplace"] == "Russia"
    fejer = next(r for r in rows if r["name"] == "Tünde Fejér")
    assert fejer["warnings"] == "only-unreliable"
    assert fejer["sources"] == "fandom"


def test_filters_combine(tmp_path):
    out = tmp_path / "hu.csv"
    assert (
        main(
            [
                "export",
                str(out),
                "--country",
                "hungary",
                "--from",
                "1950",
                "--to",
                "1959",
                "--only-unreliable",
            ]
        )
        == 0
    )
    assert sorted(r["name"] for r in read_csv(out)) == [
        "Bács Völgyi",
        "Lőrinc Szatmári",
        "Mihály Kőszegi",
        "Tünde Fejér",
    ]


def test_search_category_and_source_options(tmp_path):
    out = tmp_path / "x.csv"
    assert main(["export", str(out), "--search", "koszegi"]) == 0
    assert [r["name"] for r in read_csv(out)] == ["Mihály Kőszegi"]
    assert main(["export", str(out), "--category", "chess", "--source", "wikipedia-scrape"]) == 0
    assert {r["name"] for r in read_csv(out)} >= {"Pal Benko", "Béla Berger"}


def test_add_unreliable_source_for_one_run(tmp_path):
    extra = tmp_path / "rumours.txt"
    extra.write_text(
        "Defector Profession/\nCountry Year Notes\nAnn Smith dancer Hungary 1961 Fled\n",
        encoding="utf-8",
    )
    out = tmp_path / "x.csv"
    assert main(["export", str(out), "--add-unreliable-source", str(extra)]) == 0
    rows = read_csv(out)
    assert len(rows) == 186
    ann = next(r for r in rows if r["name"] == "Ann Smith")
    assert (ann["sources"], ann["warnings"]) == ("rumours", "only-unreliable")


def run(args: list[str]) -> int:
    """The exit status a shell would see, whether main returns or argparse exits."""
    try:
        return main(args)
    except SystemExit as stop:
        return int(stop.code or 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "Narnia"], "unknown country 'Narnia'"),
        (["--source", "britannica"], "unknown source 'britannica'"),
        (["--category", "astronaut"], "unknown category 'astronaut'"),
        (["--from", "nineteen"], "invalid int value"),
        (["--from", "1990", "--to", "1950"], "--from 1990 is after --to 1950"),
        (["--add-source", "does-not-exist.md"], "does-not-exist.md: file not found"),
    ],
)
def test_bad_input_gets_one_line_exit_2_and_no_file(tmp_path, capsys, args, message):
    out = tmp_path / "out.csv"
    assert run(["export", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


def test_unwritable_output_path_fails_cleanly(tmp_path, capsys):
    assert run(["export", str(tmp_path / "missing" / "out.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_failed_write_leaves_earlier_file_untouched(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("earlier export\n", encoding="utf-8")

    def explode(handle):
        handle.write("half a row")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="No space left"):
        write_atomically(target, explode)
    assert target.read_text(encoding="utf-8") == "earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_export_writes_rows_in_the_given_order_and_columns(catalog, tmp_path):
    result = catalog.engine.run(Query(text="kgb", sort_column="name", descending=True))
    out = tmp_path / "kgb.csv"
    count = export_csv(catalog, result.positions, out, columns=("year", "name"))
    rows = read_csv(out)
    assert count == len(rows) == len(result)
    assert list(rows[0]) == ["year", "name"]
    assert [r["name"] for r in rows] == [catalog.records[i].name for i in result.positions]


def test_command_line_entry_point_runs_as_a_process(tmp_path):
    out = tmp_path / "all.csv"
    done = subprocess.run(
        [sys.executable, "-m", "defectors_catalog", "export", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(read_csv(out)) == 185
    bad = subprocess.run(
        [sys.executable, "-m", "defectors_catalog", "export", str(out), "--country", "X"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("defectors-catalog: error: unknown country 'X'")


def test_formula_cells_are_neutralised_by_default_and_raw_on_request(tmp_path):
    source = tmp_path / "formulas.md"
    source.write_text(
        "| Defector | Profession | Birthplace | Year | Notes |\n"
        "| =A1*2 Smith | +Agent | @Home | 1950 | -Fled; =1+1 |\n",
        encoding="utf-8",
    )
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    base = ["--add-unreliable-source", str(source), "--search", "a1*2"]
    assert main(["export", str(safe), *base]) == 0
    assert main(["export", str(raw), *base, "--raw"]) == 0
    row = read_csv(safe)[0]
    assert row["name"] == "'=A1*2 Smith"
    assert (row["profession"], row["birthplace"], row["notes"]) == (
        "'+Agent",
        "'@Home",
        "'-Fled; =1+1",
    )
    assert read_csv(raw)[0]["name"] == "=A1*2 Smith"


def test_excel_bom_semicolons_and_a_provenance_record(tmp_path):
    out = tmp_path / "excel.csv"
    assert (
        main(
            [
                "export",
                str(out),
                "--excel",
                "--delimiter",
                "semicolon",
                "--provenance",
                "--country",
                "Poland",
            ]
        )
        == 0
    )
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].decode("utf-8").split("\n")[0]
    assert header.startswith("name;profession;birthplace;year;notes;sources;warnings")
    import json

    record = json.loads((tmp_path / "excel.csv.provenance.json").read_text(encoding="utf-8"))
    assert record["rows"] == 12
    assert record["query"]["selections"] == {"country": ["Poland"]}
    assert [s["id"] for s in record["sources"]] == ["wikipedia", "wikipedia-scrape", "fandom"]
    assert all(len(s["sha256"]) == 64 for s in record["sources"])
    assert record["options"]["delimiter"] == ";"


def test_inferred_destination_is_exported_with_its_evidence(tmp_path):
    out = tmp_path / "lakatos.csv"
    assert main(["export", str(out), "--search", "lakatos"]) == 0
    row = read_csv(out)[0]
    assert row["destination_inferred"] == "Austria"
    assert row["destination_evidence"] == "Fled to Vienna, Austria"
