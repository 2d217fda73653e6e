"""`python -m benchmarks [--sizes ...] [--repeat N] [--quick]`."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "latest.json"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (10_000,)
DEFAULT_FILE_ROWS = 1_000_000
QUICK_FILE_ROWS = 20_000
SEED = 1956


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive whole numbers")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure start-up, search, facets, sorting, export and memory of the "
        "catalog at several sizes, against a QSortFilterProxyModel baseline.",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=None,
        help="catalog sizes, comma-separated (default 10000,100000,1000000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per measurement; medians are reported (default 5, quick 2)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI size: 10k records only, few repeats (under a minute)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"where to write the JSON (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--no-launch", action="store_true", help="skip the launch -> first paint processes"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the QSortFilterProxyModel baseline"
    )
    parser.add_argument(
        "--baseline-sort-up-to",
        type=int,
        default=100_000,
        metavar="N",
        help="run the baseline's sort (n log n Python calls) up to N records "
        "(default 100000; at a million it takes minutes)",
    )
    parser.add_argument(
        "--write-sources",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="instead of measuring, write the synthetic catalog of the first "
        "--sizes as three pipe-table source files in FOLDER (to try "
        "--add-source with big files)",
    )
    parser.add_argument(
        "--no-typing",
        action="store_true",
        help="skip typing in the real window (a child process per size)",
    )
    parser.add_argument(
        "--file-rows", type=int, default=None, metavar="N",
        help="rows of the CSV list added with export --add-source, next to the pandas "
        "floor (default 1000000, quick 20000)",
    )  # fmt: skip
    parser.add_argument(
        "--no-file", action="store_true", help="skip the file path (a big CSV list added)"
    )
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--typing-child", type=int, default=None, help=argparse.SUPPRESS)
    return parser  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 5)
    if args.typing_child is not None:
        from benchmarks.typing import run_typing

        print(json.dumps(run_typing(args.typing_child, SEED, min(repeat, 3))))
        return 0
    if args.child is not None:
        from benchmarks.scale import run_size

        result = run_size(args.child, repeat, SEED, not args.no_baseline, args.baseline_sort_up_to)
        print(json.dumps(result))
        return 0
    sizes = args.sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.write_sources is not None:
        return write_sources(sizes[0], args.write_sources)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": report.machine(),
        "settings": {"sizes": sizes, "repeat": repeat, "quick": args.quick, "seed": SEED},
    }
    _progress("seeds: load_catalog() of the three real files")
    from benchmarks.seeds import measure_seeds

    results["seeds"] = measure_seeds(repeat)
    if not args.no_launch:
        _progress("launch -> first paint: app --smoke-test and the bare-Qt floor")
        from benchmarks.launch import measure_launch

        results["launch"] = measure_launch(3 if args.quick else repeat)
    results["sizes"] = {}
    for size in sizes:
        _progress(f"{size:,} synthetic records (a child process)")
        results["sizes"][str(size)] = _run_child(size, repeat, args)
    if not args.no_typing:
        results["typing"] = {}
        for size in sizes:
            _progress(f"typing in the window over {size:,} records (a child process)")
            results["typing"][str(size)] = _run_child(size, repeat, args, typing=True)
    if not args.no_file:
        rows = args.file_rows or (QUICK_FILE_ROWS if args.quick else DEFAULT_FILE_ROWS)
        _progress(f"a {rows:,}-row CSV list: the pandas floor, then export --add-source")
        from benchmarks.file_path import measure_file_path

        results["file_path"] = measure_file_path(rows)
    results["targets"] = report.targets(results)
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    print(report.table(results))
    report.write_json(results, args.out)
    print(f"\nwrote {args.out} in {results['elapsed_s']} s")
    return 0


def write_sources(size: int, folder: Path) -> int:
    from defectors_catalog import paths
    from defectors_catalog.domain.reference.professions import load_professions

    from benchmarks.synthetic import SOURCES, synthetic_columns, write_source

    folder.mkdir(parents=True, exist_ok=True)
    classifier = load_professions(paths.resources_dir() / "professions.toml")
    columns = synthetic_columns(size, classifier, SEED)
    for source in SOURCES:
        path = folder / f"{source.id}.md"
        rows = write_source(columns, source.id, path)
        print(f"{path}: {rows:,} rows ({'reliable' if source.reliable else 'unreliable'})")
    return 0


def _run_child(
    size: int, repeat: int, args: argparse.Namespace, *, typing: bool = False
) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks", "--typing-child" if typing else "--child",
               str(size), "--repeat", str(repeat),
               "--baseline-sort-up-to", str(args.baseline_sort_up_to)]  # fmt: skip
    if args.no_baseline:
        command.append("--no-baseline")
    # The child's progress and errors go straight to this process's stderr.
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"benchmark of {size} records failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _progress(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)
