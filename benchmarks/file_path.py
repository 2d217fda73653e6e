"""The file path at scale: a big CSV list through `export --add-source`, next to a floor.

`write_csv` writes a deterministic list of `rows` people (names with the diacritics of
the synthetic catalog, one row in 200 a person already in the seed catalog, with the
seeds' own spelling and year). Two child processes then read the same file:

- the floor: pandas reads the CSV, folds the names (NFKD, ASCII, casefold) and groups
  by folded name and year, the least any reader of this list must do;
- the app: `python -m defectors_catalog export OUT.csv --add-source FILE` with a fresh
  cache folder, so the catalog is built and saved as on a first add. Its stages come
  from `DEFECTORS_CATALOG_PROGRESS=lines` (one stderr line per `Progress` stage).

Each child's peak memory is its own maximum resident set (`os.wait4`'s rusage).
`python -m benchmarks.file_path --rows 100000` runs only this.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 1956
SEED_PERSON_EVERY = 200  # one row in 200 is a person the seed catalog already lists
NOTE_CHARS = 60  # notes cut at a word near here: about 100 bytes a row, as in issue 14
STAGE_PREFIX = "progress:"

# The app's stages (load_catalog's Progress names, by their first words) as reported.
STAGE_GROUPS = (
    ("read", ("Reading",)),
    ("fold", ("Preparing names",)),
    ("merge", ("Merging", "Comparing names", "Building records")),
    ("infer destinations", ("Finding destinations",)),
    ("build table", ("Building the search columns",)),
    ("save cache", ("Saving the catalog",)),
    ("write CSV", ("Writing CSV",)),
)


def write_csv(rows: int, path: Path, seed: int = SEED) -> int:
    """Write `rows` people as a CSV list (Name, Profession, Birthplace, Year, Notes);
    the same file for the same `rows` and `seed`. Returns its size in bytes."""
    import csv

    from defectors_catalog import paths
    from defectors_catalog.domain.catalog.build import load_catalog
    from defectors_catalog.domain.reference.professions import load_professions

    from benchmarks.synthetic import synthetic_columns

    classifier = load_professions(paths.resources_dir() / "professions.toml")
    columns = synthetic_columns(rows, classifier, seed)
    seeds = [(r.name, r.profession, r.birthplace, r.year) for r in load_catalog().records]
    names, years = columns["name"], columns["year"]
    professions, places, notes = columns["profession"], columns["birthplace"], columns["notes"]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("Name", "Profession", "Birthplace", "Year", "Notes"))
        for i in range(rows):
            note = str(notes[i])
            if len(note) > NOTE_CHARS:
                note = note[: max(note.rfind(" ", 0, NOTE_CHARS), 20)]
            if i % SEED_PERSON_EVERY == SEED_PERSON_EVERY // 2:
                name, profession, place, year = seeds[(i // SEED_PERSON_EVERY) % len(seeds)]
            else:
                name, profession, place, year = names[i], professions[i], places[i], years[i]
            writer.writerow((name, profession, place, "" if year is None else year, note))
    return path.stat().st_size


def floor(path: Path) -> dict[str, float]:
    """The floor's work, timed in this process (run it in a child of its own)."""
    started = time.perf_counter()
    import pandas as pd

    frame = pd.read_csv(path, dtype={"Name": str}, keep_default_na=False)
    read = time.perf_counter()
    folded = (
        frame["Name"]
        .str.normalize("NFKD")
        .str.encode("ascii", "ignore")
        .str.decode("ascii")
        .str.casefold()
        .str.strip()
    )
    fold = time.perf_counter()
    groups = frame.groupby([folded, frame["Year"]], sort=False).ngroups
    done = time.perf_counter()
    return {
        "read_s": round(read - started, 3),
        "fold_s": round(fold - read, 3),
        "group_s": round(done - fold, 3),
        "total_s": round(done - started, 3),
        "groups": groups,
    }


def _run(command: Sequence[str], env: dict[str, str]) -> tuple[float, float, str, str, int]:
    """Wall seconds, peak MB (the child's own maximum RSS), stdout, stderr, status."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        return wall, peak_mb, out.read(), err.read(), child.returncode


def _stages(stderr: str) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per stage group, and the peak memory (MB) at the end of each, from the
    'progress: SECONDS PEAK_MB STAGE' lines."""
    marks: list[tuple[float, int, str]] = []
    for line in stderr.splitlines():
        if line.startswith(STAGE_PREFIX):
            seconds, peak_mb, name = line[len(STAGE_PREFIX) :].strip().split(" ", 2)
            marks.append((float(seconds), int(peak_mb), name))
    spent: dict[str, float] = {"start (imports)": marks[0][0]} if marks else {}
    peaks: dict[str, float] = {}
    for (at, _, name), (until, peak, _) in itertools.pairwise(marks):
        group = next((g for g, starts in STAGE_GROUPS if name.startswith(starts)), "other")
        spent[group] = round(spent.get(group, 0.0) + until - at, 3)
        peaks[group] = max(peaks.get(group, 0.0), float(peak))
    return spent, peaks


def measure_file_path(rows: int, folder: Path | None = None) -> dict[str, Any]:
    """Write the list, run the floor and the app's add on it; every figure as a number."""
    with tempfile.TemporaryDirectory(prefix="dc-file-path-") as scratch:
        where = Path(folder or scratch)
        path = where / f"list-{rows}.csv"
        started = time.perf_counter()
        size = write_csv(rows, path)
        generate_s = time.perf_counter() - started
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        floor_cmd = [sys.executable, "-m", "benchmarks.file_path", "--floor", str(path)]
        wall, floor_peak, out, err, status = _run(floor_cmd, env)
        if status != 0:
            raise SystemExit(f"the floor failed (exit {status}): {err.strip()[-400:]}")
        floor_figures = json.loads(out.strip().splitlines()[-1])
        env.update(
            {
                "DEFECTORS_CATALOG_CACHE": str(where / "cache"),
                "DEFECTORS_CATALOG_PROGRESS": "lines",
                "QT_QPA_PLATFORM": "offscreen",
            }
        )
        add_cmd = [sys.executable, "-m", "defectors_catalog", "export", str(where / "out.csv"),
                   "--add-source", str(path)]  # fmt: skip
        add_wall, add_peak, _, add_err, add_status = _run(add_cmd, env)
        refused = "" if add_status == 0 else add_err.strip().splitlines()[-1][:300]
        stages, peaks = _stages(add_err)
        beyond: dict[str, Any] = {}
        if add_status == 0:
            beyond_cmd = [sys.executable, "-m", "benchmarks.beyond_floor", str(path),
                          str(where / "out.csv"), str(where / "cache")]  # fmt: skip
            _, _, out, err, status = _run(beyond_cmd, env)
            if status != 0:
                raise SystemExit(f"beyond_floor failed (exit {status}): {err.strip()[-400:]}")
            beyond = json.loads(out.strip().splitlines()[-1])
        return {
            "rows": rows,
            "file_mb": round(size / 1e6, 1),
            "generate_s": round(generate_s, 2),
            "floor_s": round(wall, 2),
            "floor_peak_mb": round(floor_peak),
            "floor_work": floor_figures,
            "add_s": round(add_wall, 2),
            "add_peak_mb": round(add_peak),
            "add_status": add_status,
            "add_refused": refused,
            "ratio": round(add_wall / wall, 2) if wall else 0.0,
            "stages_s": stages,
            "stage_peak_mb": peaks,
            "beyond_floor": beyond,
        }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"File path: {result['rows']:,}-row CSV ({result['file_mb']} MB), "
        f"export --add-source vs the pandas floor",
        f"  floor (read, fold, group)   {result['floor_s']:8.2f} s  "
        f"{result['floor_peak_mb']:6,} MB peak",
    ]
    if result["add_status"]:
        lines.append(f"  app: exit {result['add_status']}: {result['add_refused']}")
    lines.append(
        f"  app  export --add-source    {result['add_s']:8.2f} s  "
        f"{result['add_peak_mb']:6,} MB peak   ratio {result['ratio']:.2f}x"
    )
    for stage, seconds in result["stages_s"].items():
        peak = result["stage_peak_mb"].get(stage)
        peak_text = f"  peak so far {peak:6,.0f} MB" if peak else ""
        lines.append(f"    {stage:<26}{seconds:8.2f} s{peak_text}")
    beyond = result.get("beyond_floor")
    if beyond:
        parts = {
            "compare names (rapidfuzz)": beyond["compare_names_s"],
            "write CSV (pandas to_csv)": beyond["write_csv_s"],
            f"save ({beyond['saved_mb']} MB + CRC-32)": beyond["save_s"],
        }
        lines.append("  beyond the floor, each part in its library alone (benchmarks.beyond_floor)")
        for part, seconds in parts.items():
            lines.append(f"    {part:<26}{seconds:8.2f} s")
        least = result["floor_s"] + sum(parts.values())
        times_floor, times_least = least / result["floor_s"], result["add_s"] / least
        lines.append(
            f"    floor + these             {least:8.2f} s   "
            f"{times_floor:.2f}x the floor; the app {times_least:.2f}x this"
        )
        counts = beyond["counts"]
        lines.append(
            f"    and making {counts['records']:,} records, {counts['entries']:,} entries, "
            f"{counts['diagnostics']:,} diagnostics as objects: {beyond['make_objects_s']:.2f} s"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.file_path")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", type=Path, default=None, help="keep the files here")
    parser.add_argument("--floor", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor is not None:
        print(json.dumps(floor(args.floor)))
        return 0
    result = measure_file_path(args.rows, args.folder)
    print(table(result))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
