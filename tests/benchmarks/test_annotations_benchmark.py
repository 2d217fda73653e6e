"""The annotations benchmark runs at a small size, so it cannot rot (no speed asserted)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_annotations_benchmark_prints_every_figure():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.annotations",
         "--records", "400", "--annotations", "200", "--repeat", "1"],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "by id",
        "ten by anchors",
        "a tenth by anchors",
    ]
    for line in lines:
        figures = ast.literal_eval(line.split(": ", 1)[1])
        assert figures["annotations"] == figures["attached"] == 200
        for key in ("open_store_ms", "overlay_ms", "query_status_ms", "query_tag_ms",
                    "query_note_word_ms", "plain_query_ms"):  # fmt: skip
            assert isinstance(figures[key], float) and figures[key] >= 0, key
