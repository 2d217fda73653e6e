"""The search language against plain words, at 100k and 1M synthetic records.

`python -m benchmarks.search_language [--sizes 100000 1000000] [--repeat 5]` prints a
table: for each query, the first answer on a fresh engine (nothing searched yet, as after
a start) and the median of repeated answers (the engine keeps recent words), in ms.
Speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial

from defectors_catalog import paths
from defectors_catalog.domain.query.engine import Query, QueryEngine
from defectors_catalog.domain.reference.professions import load_professions

from benchmarks.synthetic import SOURCES, synthetic_catalog
from benchmarks.timing import median, ms, repeat_ms

# (what it shows, the query): plain words first, then the same needs in the language.
QUERIES = (
    ("plain: one word", "kovacs"),
    ("plain: two words", "west berlin"),
    ("plain: three words", "asylum embassy vienna"),
    ("phrase", '"west berlin"'),
    ("field", "name:kovacs"),
    ("facet", "country:hungary"),
    ("facet + years", "country:hungary year:1950..1959"),
    ("source by title", 'source:"press digest"'),
    ("OR", "vienna OR helsinki"),
    ("negation", "kovacs -country:hungary"),
    ("all of it", '(name:kovacs OR notes:"west berlin") -source:forum year:>1956'),
)


def run(sizes: list[int], repeat: int) -> None:
    classifier = load_professions(paths.resources_dir() / "professions.toml")
    names = {s.id: (s.title, s.label) for s in SOURCES}
    print("| records | query | rows | first (ms) | repeated (ms) |")
    print("|---:|---|---:|---:|---:|")
    for size in sizes:
        started = time.perf_counter()
        table = synthetic_catalog(size, classifier).table
        built = time.perf_counter() - started
        print(f"<!-- {size:,} records built in {built:.1f} s -->", file=sys.stderr)
        for label, text in QUERIES:
            query = Query(text=text)
            engine = QueryEngine(table, names)
            answer = partial(engine.run, query)
            first = ms(answer)
            rows = len(answer())
            again = median(repeat_ms(answer, repeat))
            print(f"| {size:,} | {label}: `{text}` | {rows:,} | {first:.1f} | {again:.1f} |")
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search_language")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    run(args.sizes, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
