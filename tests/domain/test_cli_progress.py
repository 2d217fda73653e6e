"""The command line's progress: a rewritten line on a terminal, nothing elsewhere."""

from __future__ import annotations

import io

from defectors_catalog.cli.progress import CommandProgress
from defectors_catalog.domain.progress import NO_PROGRESS


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    shown = CommandProgress(stream, mode="auto")
    assert shown.progress is NO_PROGRESS
    shown.progress.stage("Merging list.csv", 10)
    shown.close()
    assert stream.getvalue() == ""


def test_a_terminal_gets_one_line_rewritten_and_cleared():
    stream = _Terminal()
    shown = CommandProgress(stream, mode="auto")
    shown.progress.stage("Reading list.csv", 4)
    shown.progress.stage("Merging list.csv", 4)
    shown.close()
    text = stream.getvalue()
    assert "\rReading list.csv   0%" in text and "\rMerging list.csv" in text
    assert "\n" not in text
    assert text.endswith("\r")


def test_off_is_quiet_even_on_a_terminal():
    stream = _Terminal()
    CommandProgress(stream, mode="off").progress.stage("Reading list.csv")
    assert stream.getvalue() == ""


def test_lines_mode_writes_one_line_per_stage_with_seconds():
    stream = io.StringIO()
    shown = CommandProgress(stream, mode="lines")
    shown.progress.stage("Reading list.csv", 4)
    shown.progress.step(2)
    shown.progress.stage("Merging list.csv")
    shown.close()
    lines = stream.getvalue().splitlines()
    assert [line.split(" ", 3)[3] for line in lines] == [
        "Reading list.csv",
        "Merging list.csv",
        "done",
    ]
    assert all(line.startswith("progress: ") for line in lines)
    assert all(int(line.split(" ")[2]) >= 0 for line in lines)  # peak MB so far
