"""The benchmark runs in CI at its quick size, so it cannot rot.

Speed is reported, never asserted: this checks that `python -m benchmarks --quick`
finishes, prints its table, and writes JSON in which every measurement is a number.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.report import SIZE_ROWS, TYPING_ROWS

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = ("app_first_paint_ms", "floor_first_paint_ms", "first_paint_ratio",
          "floor_numpy_first_paint_ms", "floor_numpy_ratio",
          "app_built_first_paint_ms", "app_built_ratio",
          "app_process_ms", "floor_process_ms", "process_ratio")  # fmt: skip
SEEDS = ("load_catalog_ms", "resources_ms", "parse_ms", "merge_ms", "table_ms")


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def test_quick_benchmark_prints_the_table_and_writes_every_metric(tmp_path: Path):
    out = tmp_path / "latest.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]

    for _, label, _ in SIZE_ROWS:
        assert f"| {label} |" in done.stdout, label
    assert "| ratio app / floor |" in done.stdout
    assert "| target | measured | met |" in done.stdout

    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["settings"]["sizes"] == [10_000]
    size = results["sizes"]["10000"]
    for key, label, _ in SIZE_ROWS:
        assert is_number(size.get(key)), f"{label}: {size.get(key)!r}"
    assert len(size["search_keystrokes"]) == len("kovacs")
    assert all(is_number(t) for t in size["search_keystrokes"])
    typed = results["typing"]["10000"]
    for key, label, _ in TYPING_ROWS:
        assert f"| {label} |" in done.stdout, label
        assert is_number(typed.get(key)), f"{label}: {typed.get(key)!r}"
    for key in LAUNCH:
        assert is_number(results["launch"][key]), key
    for key in SEEDS:
        assert is_number(results["seeds"][key]), key
    assert results["seeds"]["records"] == results["launch"]["app_records"] > 0
    filed = results["file_path"]
    assert filed["rows"] == 20_000 and filed["add_status"] == 0, filed
    for key in ("floor_s", "floor_peak_mb", "add_s", "add_peak_mb", "ratio"):
        assert is_number(filed[key]), key
    for stage in ("read", "merge", "infer destinations", "build table", "save cache"):
        assert is_number(filed["stages_s"].get(stage)), stage
    assert "File path: 20,000-row CSV" in done.stdout
    beyond = filed["beyond_floor"]  # the parts beyond the floor, each in its library
    for key in ("compare_names_s", "write_csv_s", "save_s", "saved_mb", "make_objects_s"):
        assert is_number(beyond[key]) and beyond[key] > 0, key
    assert beyond["counts"]["entries"] >= 20_000
    assert "floor + these" in done.stdout
    for check in results["targets"]:
        assert check["met"] in (True, False, None), check
        if "100k" not in check["target"] and "1M" not in check["target"]:
            assert is_number(check["measured"]), check
