"""What `export --add-source` must do beyond the floor, each part at the speed of its library.

The file-path floor (`file_path.floor`) reads the list, folds the names and groups them:
it compares no names, writes nothing and keeps nothing. The command does three things
more, each of which has a library doing its bulk in C:

- `compare names`: the close-name comparisons of the merge, the time spent inside
  rapidfuzz's `process.cdist` and `process.cpdist` (measured by wrapping them while the
  app's own merge runs, so the pairs are exactly the app's blocks);
- `write CSV`: pandas' `DataFrame.to_csv` of the app's own export (read back first,
  untimed), the same rows and columns;
- `save`: the saved catalog's bytes (the app's own file, read first, untimed) written
  to a new file with the CRC-32 the app computes over them, the least a saved catalog
  of that size costs.

Also `make objects`: the records, entries and diagnostics of the app's catalog made
empty through `model.made_in_bulk` in the counts the catalog holds: not work a person
needs, but what this design (a Python object each) cannot go below.

Run by `file_path.measure_file_path` in a child of its own, after the app's run:
`python -m benchmarks.beyond_floor LIST OUT.csv CACHE_FOLDER` prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import zlib
from itertools import repeat
from pathlib import Path
from typing import Any


def compare_names(path: Path) -> tuple[float, dict[str, int]]:
    """Seconds inside rapidfuzz's `process.cdist` and `process.cpdist` while the app
    builds the catalog with the list `path` added (nothing saved), and the catalog's
    object counts."""
    from defectors_catalog.domain.catalog.build import load_catalog
    from rapidfuzz import process

    spent = [0.0]
    real = {name: getattr(process, name) for name in ("cdist", "cpdist")}

    def timed(function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return call

    for name, function in real.items():
        setattr(process, name, timed(function))  # the merge looks them up at each call
    try:
        catalog = load_catalog(extra=[(path, False)], cache=None)
    finally:
        for name, function in real.items():
            setattr(process, name, function)
    entries = sum(len(parse.entries) for parse in catalog.parses.values())
    diagnostics = sum(len(record.diagnostics) for record in catalog.records)
    diagnostics += sum(len(parse.diagnostics) for parse in catalog.parses.values())
    counts = {"records": len(catalog.records), "entries": entries, "diagnostics": diagnostics}
    return spent[0], counts


def write_csv(exported: Path) -> float:
    """Seconds for pandas to write the rows of the app's export again."""
    import pandas as pd

    frame = pd.read_csv(exported, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory(prefix="dc-beyond-") as scratch:
        started = time.perf_counter()
        frame.to_csv(Path(scratch) / "again.csv", index=False)
        return time.perf_counter() - started


def save(folder: Path) -> tuple[float, int]:
    """Seconds to write the bytes of the app's saved catalog (the biggest file in
    `folder`) with their CRC-32, and their count."""
    saved = max(folder.glob("*.cache"), key=lambda p: p.stat().st_size)
    data = saved.read_bytes()
    with tempfile.TemporaryDirectory(prefix="dc-beyond-", dir=folder) as scratch:
        started = time.perf_counter()
        check = 0
        with (Path(scratch) / "again.cache").open("wb") as out:
            view = memoryview(data)
            for start in range(0, len(data), 1 << 22):
                block = view[start : start + (1 << 22)]
                check = zlib.crc32(block, check)
                out.write(block)
        return time.perf_counter() - started, len(data)


def make_objects(counts: dict[str, int]) -> float:
    """Seconds to make that many records, entries and diagnostics, every field None."""
    from dataclasses import fields

    from defectors_catalog.domain.model import CatalogRecord, Diagnostic, SourceEntry, made_in_bulk

    started = time.perf_counter()
    made = []
    for cls, key in ((SourceEntry, "entries"), (CatalogRecord, "records"),
                     (Diagnostic, "diagnostics")):  # fmt: skip
        count = counts[key]
        made.append(made_in_bulk(cls, [repeat(None, count) for _ in fields(cls)], count))
    return time.perf_counter() - started


def measure(path: Path, exported: Path, folder: Path) -> dict[str, Any]:
    import gc

    compare_s, counts = compare_names(path)
    gc.collect()
    write_s = write_csv(exported)
    save_s, saved_bytes = save(folder)
    gc.disable()  # as the app's merge does while it makes its objects
    objects_s = make_objects(counts)
    return {
        "compare_names_s": round(compare_s, 3),
        "write_csv_s": round(write_s, 3),
        "save_s": round(save_s, 3),
        "saved_mb": round(saved_bytes / 1e6, 1),
        "make_objects_s": round(objects_s, 3),
        "counts": counts,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m benchmarks.beyond_floor LIST OUT.csv CACHE_FOLDER", file=sys.stderr)
        return 2
    print(json.dumps(measure(*map(Path, argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
