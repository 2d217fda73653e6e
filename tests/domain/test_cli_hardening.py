"""The command line never touches what it must not, and always answers clearly: no
device or FIFO replaced, `-` for standard output, a closed or full standard output
reported in one line, lost rows said and counted in the exit status."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from defectors_catalog.cli import main
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.model import LineKind
from defectors_catalog.domain.output import csv_export

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "defectors_catalog", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, **kwargs,
    )  # fmt: skip


def test_a_fifo_target_is_refused_and_left_a_fifo(tmp_path, capsys):
    target = tmp_path / "out.csv"
    os.mkfifo(target)
    assert main(["export", str(target)]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISFIFO(target.stat().st_mode)


def test_dev_null_is_refused(capsys):
    assert main(["export", os.devnull]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_a_link_to_a_regular_file_is_replaced_as_before(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["export", str(link)]) == 0
    assert link.read_text(encoding="utf-8").startswith("name,")


def test_dash_writes_the_csv_to_standard_output(capsys):
    assert main(["export", "-", "--country", "Hungary"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("name,profession,birthplace,year,notes")
    assert "wrote" in err and "standard output" in err and "wrote" not in out
    assert not Path("-").exists()


def test_a_file_in_the_path_is_named(tmp_path, capsys):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    assert main(["export", str(blocker / "x.csv")]) == 2
    assert f"{blocker} is a file, not a folder" in capsys.readouterr().err


def test_a_provenance_that_cannot_be_written_leaves_the_old_csv(tmp_path, capsys):
    target = tmp_path / "out.csv"
    target.write_text("the old export\n", encoding="utf-8")
    csv_export.provenance_path(target).mkdir()  # the record cannot be written
    assert main(["export", str(target), "--provenance"]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert not list(tmp_path.glob(".*.part"))


def test_csv_and_provenance_are_replaced_together(tmp_path):
    target = tmp_path / "out.csv"
    assert main(["export", str(target), "--provenance", "--country", "Hungary"]) == 0
    record = json.loads(csv_export.provenance_path(target).read_text(encoding="utf-8"))
    rows = target.read_text(encoding="utf-8").count("\n") - 1
    assert record["rows"] == rows


def test_temporary_files_a_killed_export_left_are_cleared(tmp_path):
    target = tmp_path / "out.csv"
    stale = tmp_path / ".out.csv.k3j4h5.part"
    fresh = tmp_path / ".out.csv.a1b2c3.part"
    other = tmp_path / ".notes.txt.x1y2z3.part"
    for path in (stale, fresh, other):
        path.write_text("half", encoding="utf-8")
    hour_ago = time.time() - 7200
    for path in (stale, other):
        os.utime(path, (hour_ago, hour_ago))
    assert main(["export", str(target)]) == 0
    assert not stale.exists()
    assert fresh.exists()  # may be another export's, writing now
    assert other.exists()  # another file's


@pytest.mark.skipif(sys.platform != "linux", reason="names as raw bytes: Linux")
def test_a_source_name_that_is_not_utf8_with_provenance(tmp_path, capsys):
    folder = os.fsencode(tmp_path)
    raw = folder + b"/caf\xe9.md"
    with open(raw, "wb") as handle:  # noqa: PTH123 (a name Path cannot hold as bytes)
        handle.write(b"| Defector | Year |\n| Zofia Testowa | 1961 |\n")
    out = tmp_path / "out.csv"
    assert main(["export", str(out), "--provenance", "--add-source", os.fsdecode(raw)]) == 0
    record = json.loads(csv_export.provenance_path(out).read_text(encoding="utf-8"))
    assert record["sources"][-1]["file"] == "caf\\xe9.md"
    assert "Traceback" not in capsys.readouterr().err


def test_report_into_a_pipe_closed_early_gives_one_line():
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert reader.stdin is not None
    done = subprocess.run(
        [sys.executable, "-m", "defectors_catalog", "report"],
        cwd=ROOT, stdout=reader.stdin, stderr=subprocess.PIPE, text=True, check=False,
    )  # fmt: skip
    reader.stdin.close()
    reader.wait()
    assert "Traceback" not in done.stderr
    assert done.returncode != 0 or done.stderr == ""
    assert len(done.stderr.strip().splitlines()) <= 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", [["report"], ["export", "-"]])
def test_a_full_standard_output_gives_one_line_and_a_failure(command):
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "defectors_catalog", *command],
            cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "defectors-catalog: error: cannot write the output: No space left on device"
    ]


def test_a_quote_left_open_at_line_2_loses_no_rows(tmp_path):
    rows = [f"Person{n} Testowski,{1917 + n % 70},note {n}" for n in range(3000)]
    rows[0] = rows[0] + ',"never closed'
    source = tmp_path / "big.csv"
    source.write_text("\n".join(["name,year,notes", *rows]) + "\n", encoding="utf-8")
    catalog = load_catalog(extra=[(source, True)])
    parse = catalog.parses[catalog.sources[-1].id]
    assert len(parse.entries) == 3000  # every row, not one swallowing the rest
    codes = {(d.code, d.line) for d in parse.entries[0].diagnostics}
    assert ("unclosed-quote", 2) in codes
    assert LineKind.SKIPPED not in parse.line_kinds


def test_a_source_that_loses_more_rows_than_it_keeps_fails_the_run(tmp_path, capsys):
    source = tmp_path / "nameless.csv"
    source.write_text("name,year,notes\n,1950,a\n,1951,b\n,1952,c\nZofia Testowa,1961,d\n",
                      encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.csv"
    assert main(["export", str(out), "--add-source", str(source)]) == 1
    err = capsys.readouterr().err
    assert "nameless.csv: 3 line(s) not read as rows, 1 row(s) read" in err
    assert "line 2: row without a name" in err
    assert out.exists()


def test_an_export_without_provenance_leaves_no_old_record_describing_it(tmp_path):
    out = tmp_path / "out.csv"
    assert main(["export", str(out), "--provenance", "--country", "Poland"]) == 0
    record = tmp_path / "out.csv.provenance.json"
    assert record.exists()
    assert main(["export", str(out), "--country", "Hungary"]) == 0
    assert not record.exists()  # it described the Polish export, not this one
    foreign = tmp_path / "other.csv.provenance.json"
    foreign.write_text('{"note": "a file of someone else"}', encoding="utf-8")
    assert main(["export", str(tmp_path / "other.csv")]) == 0
    assert foreign.exists()  # not ours: left alone
