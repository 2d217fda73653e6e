"""`export`, `report` and `cite` from the command line end their process as soon as
everything is written and flushed (`cli.console_main`: no seconds spent freeing a big
catalog object by object); every other command, and `main()` called in-process, ends
as usual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from defectors_catalog.cli import main

ROOT = Path(__file__).resolve().parents[2]

# The command as the console script and `python -m` run it, with an exit handler that
# says whether the interpreter shut down the usual way.
COMMAND = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("interpreter shut down\\n"))
sys.argv = ["defectors-catalog", *sys.argv[1:]]
from defectors_catalog.cli import console_main
console_main()
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", COMMAND, *args],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_a_report_through_a_pipe_arrives_whole_before_the_quick_end(capsys):
    done = run("report")
    assert done.returncode == 0, done.stderr
    assert main(["report"]) == 0
    assert done.stdout == capsys.readouterr().out  # every line flushed before the end
    assert "interpreter shut down" not in done.stderr


def test_an_export_ends_quickly_with_its_status_and_its_file(tmp_path):
    target = tmp_path / "catalog.csv"
    done = run("export", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"wrote 185 of 185 records to {target}"]
    assert "interpreter shut down" not in done.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 186
    failed = run("export", str(tmp_path / "no such folder" / "x.csv"))
    assert failed.returncode == 2
    assert "interpreter shut down" not in failed.stderr
    assert "Traceback" not in failed.stderr


# The same, saying on stderr when the first record of the loaded catalog is freed (the
# build makes and drops records of its own before).
WATCHER = """
import sys
from defectors_catalog.cli import loading
from defectors_catalog.domain.model import CatalogRecord
def freed(record, said=[]):
    if not said:
        said.append(sys.stderr.write("a record was freed\\n"))
def load(*args, real=loading.load, **kwargs):
    catalog = real(*args, **kwargs)
    CatalogRecord.__del__ = freed
    return catalog
loading.load = load
"""
WATCHED = WATCHER + COMMAND


def test_an_export_does_not_free_its_records_one_by_one_before_the_end(tmp_path):
    target = tmp_path / "catalog.csv"
    done = subprocess.run(
        [sys.executable, "-c", WATCHED, "export", str(target)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 186
    assert "a record was freed" not in done.stderr


def test_main_called_in_process_keeps_nothing_it_loaded(tmp_path):
    from defectors_catalog.cli.keeping import held

    assert main(["export", str(tmp_path / "catalog.csv")]) == 0
    assert held() is None  # a test suite's many runs hold no catalog each


@pytest.mark.parametrize("args", [["--version"], ["views"]])
def test_other_commands_end_as_usual(args):
    done = run(*args)
    assert done.returncode == 0, done.stderr
    assert "interpreter shut down" in done.stderr
