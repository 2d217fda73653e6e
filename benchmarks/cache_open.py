"""How long opening a saved catalog takes, and how big its file is.

`python -m benchmarks.cache_open [SOURCE ...]`: the seeds alone, then the seeds with
each SOURCE added (make big ones with `python -m benchmarks --write-sources FOLDER`).
Each catalog is built and saved once in a temporary cache folder, then opened `--repeat`
times in this process; the median and the fastest are printed.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from defectors_catalog.domain.catalog import cache as catalog_cache
from defectors_catalog.domain.catalog.build import load_catalog


def measure(extra: Sequence[tuple[Path, bool]], repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        cache = Path(folder)
        load_catalog(extra=extra, cache=cache)
        times = []
        records = 0
        for _ in range(repeat):
            started = time.perf_counter()
            catalog = load_catalog(extra=extra, cache=cache)
            times.append(time.perf_counter() - started)
            if not catalog.from_cache:
                raise SystemExit(f"the saved catalog was not opened: {catalog.cache_note}")
            records = len(catalog.records)
        size = sum(p.stat().st_size for p in cache.glob(f"{catalog_cache.PREFIX}*"))
    return {
        "records": records,
        "open_median_ms": round(statistics.median(times) * 1000, 1),
        "open_min_ms": round(min(times) * 1000, 1),
        "file_mb": round(size / 1e6, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print("seeds:", measure([], args.repeat))
    for source in args.sources:
        print(f"{source.name}:", measure([(source, True)], max(3, args.repeat // 2)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
