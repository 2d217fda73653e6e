"""The report of an added source: rows read, merged into which records, new, skipped."""

from __future__ import annotations

from defectors_catalog import paths
from defectors_catalog.cli import main
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.output.parse_report import parse_report


def _seed_rows(count: int) -> list[str]:
    lines = (paths.seeds_dir() / "wikipedia.md").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Defector"))
    return lines[header : header + 1 + count]  # the header, then rows


def test_the_report_names_the_records_merged_into_and_counts_the_rest(tmp_path):
    source = tmp_path / "three.md"
    rows = _seed_rows(3)
    source.write_text("\n".join([*rows, "| | no name here | Russia | 1950 | |"]) + "\n",
                      encoding="utf-8")  # fmt: skip
    catalog = load_catalog(extra=[(source, True)])
    text = parse_report(catalog, catalog.sources[-1].id)
    names = [row.split("|")[1].strip() for row in rows[1:]]
    merged_line = next(line for line in text.splitlines() if line.startswith("Merged into"))
    assert merged_line.startswith("Merged into existing records: 3 (")
    assert all(name in merged_line for name in names)
    assert "New records: 0" in text
    assert "Rows read: 3" in text


def test_report_on_the_command_line_counts_merged_and_new(tmp_path, capsys):
    source = tmp_path / "three.md"
    source.write_text("\n".join(_seed_rows(3)) + "\n", encoding="utf-8")
    assert main(["report", "--add-source", str(source)]) == 0
    out = capsys.readouterr().out
    assert "  merged into existing records: 49; new records: 116" in out  # the export
    assert "  merged into existing records: 3; new records: 0" in out  # the added file
    assert "line None" not in out
