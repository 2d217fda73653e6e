"""Launch -> first paint, as whole processes: the app's `--smoke-test` and the floor.

Both run offscreen, alternately, after one untimed warm-up each. Python's bytecode is
cached in a temporary folder for both, as it is for an installed app or a bundle (the
checkout may run with PYTHONDONTWRITEBYTECODE set). Each process reports its first
paint from its own clock, started when its own code starts (the floor's module, the
app's command line: before Qt, numpy or the argument parser are imported); the wall
time is the whole process, start to exit (the app's includes the smoke test's checks
after the paint). The app also reports the part from opening the window on
(`app_window_first_paint_ms`: without the command line's own imports). Both report the
CPU time their process had used at the first paint too (`*_cpu_ms`, interpreter start
included), which a busy machine disturbs far less than the wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.timing import median

ROOT = Path(__file__).resolve().parent.parent
APP = [sys.executable, "-m", "defectors_catalog", "--smoke-test"]
FLOOR = [sys.executable, "-m", "benchmarks.floor"]
FLOOR_NUMPY = [*FLOOR, "--with-numpy"]


def _run(command: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    wall = (time.perf_counter() - started) * 1000
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(command[1:])} failed: {done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(lines[-1])
    if not report.get("ok"):
        raise RuntimeError(f"{' '.join(command[1:])} reported a failure: {report}")
    return wall, report


_GROUPS = (("PySide6", "qt"), ("shiboken6", "qt"), ("shibokensupport", "qt"), ("numpy", "numpy"),
           ("defectors_catalog.domain", "app_domain"), ("defectors_catalog.gui", "app_gui"),
           ("pandas", "pandas"))  # fmt: skip


def import_breakdown(env: dict[str, str]) -> dict[str, Any]:
    """Where the app's import time goes, from one `python -X importtime` run (which
    inflates every figure a little): each module's own time, summed by package."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *APP[1:]],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    totals = {group: 0.0 for _, group in _GROUPS} | {"other": 0.0}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        if not own.strip().isdigit():
            continue  # the header line
        name = name.strip()
        group = next((g for prefix, g in _GROUPS if name.split(".")[0] == prefix.split(".")[0]
                      and name.startswith(prefix)), "other")  # fmt: skip
        totals[group] += int(own) / 1000
    result: dict[str, Any] = {f"{k}_ms": round(v, 1) for k, v in totals.items()}
    result["total_ms"] = round(sum(totals.values()), 1)
    result["pandas_imported"] = totals["pandas"] > 0
    return result


def measure_launch(repeat: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache,
        tempfile.TemporaryDirectory(prefix="bench-catalog-") as saved,
    ):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=cache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # A start as most are: the catalog saved by an earlier run (the warm-up's).
        env["DEFECTORS_CATALOG_CACHE"] = saved
        first_start = dict(env, DEFECTORS_CATALOG_CACHE="off")  # built from the files
        _run(FLOOR, env)
        _, warm = _run(APP, env)
        runs: dict[str, list[tuple[float, dict[str, Any]]]] = {
            "app": [],
            "app_built": [],
            "floor": [],
            "floor_numpy": [],
        }
        for _ in range(max(repeat, 1)):
            runs["floor"].append(_run(FLOOR, env))
            runs["floor_numpy"].append(_run(FLOOR_NUMPY, env))
            runs["app"].append(_run(APP, env))
            runs["app_built"].append(_run(APP, first_start))
        imports = import_breakdown(env)
    app_paint = median([r["first_paint_ms"] for _, r in runs["app"]])
    window_paint = median([r.get("window_first_paint_ms", 0.0) for _, r in runs["app"]])
    app_cpu = median([r.get("first_paint_cpu_ms", 0.0) for _, r in runs["app"]])
    floor_cpu = median([r.get("first_paint_cpu_ms", 0.0) for _, r in runs["floor"]])
    numpy_cpu = median([r.get("first_paint_cpu_ms", 0.0) for _, r in runs["floor_numpy"]])
    floor_paint = median([r["first_paint_ms"] for _, r in runs["floor"]])
    built_paint = median([r["first_paint_ms"] for _, r in runs["app_built"]])
    numpy_paint = median([r["first_paint_ms"] for _, r in runs["floor_numpy"]])
    app_wall = median([w for w, _ in runs["app"]])
    floor_wall = median([w for w, _ in runs["floor"]])
    return {
        "app_records": warm.get("records"),
        "app_first_paint_ms": app_paint,
        "floor_first_paint_ms": floor_paint,
        "first_paint_ratio": round(app_paint / floor_paint, 2),
        "app_window_first_paint_ms": window_paint,
        "app_first_paint_cpu_ms": app_cpu,
        "floor_first_paint_cpu_ms": floor_cpu,
        "floor_numpy_first_paint_cpu_ms": numpy_cpu,
        "first_paint_cpu_ratio": round(app_cpu / floor_cpu, 2) if floor_cpu else None,
        "app_built_first_paint_ms": built_paint,
        "app_built_ratio": round(built_paint / floor_paint, 2),
        "floor_numpy_first_paint_ms": numpy_paint,
        "floor_numpy_ratio": round(numpy_paint / floor_paint, 2),
        "app_process_ms": app_wall,
        "floor_process_ms": floor_wall,
        "process_ratio": round(app_wall / floor_wall, 2),
        "runs": max(repeat, 1),
        "imports": imports,
    }
