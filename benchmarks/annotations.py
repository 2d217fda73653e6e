"""How long opening the catalog takes with the person's verdicts laid over it.

`python -m benchmarks.annotations [--records N] [--annotations K] [--repeat R]`: a
synthetic list of N rows (real-looking, deterministic) is written as a pipe table and
merged with the seeds; K verdicts (statuses, tags from a pool of 40, a note on every
third) are stored in a throw-away database. Then, R times each: opening the store
(reading every verdict), laying the verdicts over the catalog (which record answers to
which verdict, the engine's columns), and three queries by the verdicts. Then the same
with ten, and with a tenth, of the verdicts under ids the catalog no longer has (their
records found by their anchors, as after a merge). Medians in milliseconds are printed.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from defectors_catalog import paths
from defectors_catalog.domain.annotations.model import Status
from defectors_catalog.domain.annotations.overlay import Desk
from defectors_catalog.domain.annotations.record_ids import entry_keys
from defectors_catalog.domain.annotations.store import AnnotationStore
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.domain.reference.professions import load_professions

from benchmarks.synthetic import SOURCES, synthetic_columns, write_source

SEED = 13
CHANGED = "2026-01-01T00:00:00+00:00"


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def _fill(path: Path, catalog: Catalog, count: int, orphans: int) -> None:
    """`count` verdicts on records spread over the catalog; `orphans` of them stored
    under an id the catalog does not have, found again by their anchors."""
    rng = np.random.default_rng(SEED)
    chosen = rng.choice(len(catalog.records), size=count, replace=False)
    statuses = [s.value for s in Status]
    rows = []
    for n, at in enumerate(chosen.tolist()):
        record = catalog.records[at]
        tags = [f"tag-{t}" for t in rng.choice(40, size=int(rng.integers(0, 4)), replace=False)]
        note = f"Checked against the register, box {n}" if n % 3 == 0 else ""
        record_id = f"gone-{record.id}" if n < orphans else record.id
        anchors = json.dumps(list(entry_keys(record)))
        rows.append((record_id, statuses[n % 4], json.dumps(tags), note, anchors, CHANGED))
    AnnotationStore(path).close()  # made at the latest schema
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM annotation")
        connection.executemany(
            "INSERT INTO annotation (record_id, status, tags, note, anchors, changed) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def measure(
    catalog: Catalog, folder: Path, count: int, orphans: int, repeat: int
) -> dict[str, float]:
    path = folder / f"annotations-{orphans}.sqlite3"
    _fill(path, catalog, count, orphans)
    store = AnnotationStore(path)
    desk = Desk(catalog, store)
    engine = catalog.engine
    queries = {
        "query_status_ms": Query(selections={"status": {"verified"}}),
        "query_tag_ms": Query(selections={"tags": {"tag-7"}}),
        "query_note_word_ms": Query(text="register"),
    }
    result: dict[str, float] = {
        "records": len(catalog.records),
        "annotations": len(store.rows),
        "attached": sum(len(ids) for ids in desk.answers.values()),
        "open_store_ms": _median_ms(lambda: AnnotationStore(path).close(), repeat),
        "overlay_ms": _median_ms(lambda: Desk(catalog, store), repeat),
    }
    for name, query in queries.items():
        result[name] = _median_ms(lambda q=query: engine.run(q), repeat)  # type: ignore[misc]
    result["plain_query_ms"] = _median_ms(lambda: engine.run(Query(text="kovacs")), repeat)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--annotations", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    classifier = load_professions(paths.resources_dir() / "professions.toml")
    columns = synthetic_columns(args.records, classifier, SEED)
    with tempfile.TemporaryDirectory(prefix="bench-annotations-") as name:
        folder = Path(name)
        source = folder / "synthetic.md"
        write_source(columns, SOURCES[0].id, source)
        catalog = load_catalog(extra=[(source, True)])
        count = min(args.annotations, len(catalog.records))
        print("by id:", measure(catalog, folder, count, 0, args.repeat))
        print("ten by anchors:", measure(catalog, folder, count, 10, args.repeat))
        print("a tenth by anchors:", measure(catalog, folder, count, count // 10, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
