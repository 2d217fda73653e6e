"""Per catalog size: the query engine and the table model, against the baseline.

Runs in a child process per size (`python -m benchmarks --child SIZE`), so each size's
peak memory is its own. Qt runs offscreen; no window is shown, so "model updated"
means the engine answered and the table model took the result (what a view would
then repaint), not a repaint.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, cast

import numpy as np
from defectors_catalog import paths
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.fields import SORTABLE
from defectors_catalog.domain.model import CatalogRecord
from defectors_catalog.domain.output.csv_export import export_csv
from defectors_catalog.domain.query.engine import Query, QueryEngine
from defectors_catalog.domain.query.table import build_table, build_table_from_columns
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import load_professions
from defectors_catalog.domain.text import fold, fold_query_words
from defectors_catalog.gui.catalog_model import CatalogTableModel
from defectors_catalog.gui.columns import COLUMN_INDEX, COLUMNS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from benchmarks.baseline import ListTableModel, PythonFilterProxy
from benchmarks.synthetic import (
    SOURCES,
    WARNING_TEXT,
    SyntheticRecords,
    synthetic_columns,
)
from benchmarks.timing import median, ms, repeat_ms

TYPED = "kovacs"  # typed a letter at a time; a common Hungarian surname
FACET = frozenset({"Hungary"})
YEAR_RANGES = ((1950, 1959), (1956, 1968))
COUNTED = Query(text="kov", year_from=1950, year_to=1969)  # facet counts under filters
ASCENDING = Qt.SortOrder.AscendingOrder
DESCENDING = Qt.SortOrder.DescendingOrder


def rss_mb() -> float:
    """Resident memory now."""
    with Path("/proc/self/statm").open() as statm:
        pages = int(statm.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def peak_mb() -> float:
    """Highest resident memory so far (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthetic_app_catalog(size: int, seed: int, results: dict[str, Any]) -> Catalog:
    """A generated catalog as the app holds one: the table, and records made from it
    only when asked for. Records `generate_ms` and `table_build_ms` in `results`."""
    classifier = load_professions(paths.resources_dir() / "professions.toml")
    started = time.perf_counter()
    columns = synthetic_columns(size, classifier, seed)
    results["generate_ms"] = round((time.perf_counter() - started) * 1000, 1)
    started = time.perf_counter()
    table = build_table_from_columns(columns, SOURCES, classifier.labels)
    results["table_build_ms"] = round((time.perf_counter() - started) * 1000, 1)
    del columns  # the app keeps the table only
    records = cast(tuple[CatalogRecord, ...], SyntheticRecords(table, WARNING_TEXT))
    catalog = Catalog(
        sources=SOURCES,
        parses={},
        records=records,
        candidates=(),
        table=table,
        classifier=classifier,
        gazetteer=Gazetteer(()),
    )
    # No destinations are inferred for generated notes: an empty facet, not a walk over
    # a million generated records.
    catalog.__dict__["engine"] = QueryEngine(table)
    return catalog


class Bench:
    """One size: the catalog, its table model, and the measurements so far."""

    def __init__(self, size: int, repeat: int, seed: int) -> None:
        self.size = size
        self.repeat = repeat
        self.results: dict[str, Any] = {"records": size}
        self.catalog = synthetic_app_catalog(size, seed, self.results)
        self.results["engine_init_ms"] = round(ms(self.fresh_engine), 2)
        self.model = CatalogTableModel(self.catalog)

    @property
    def engine(self) -> QueryEngine:
        return self.catalog.engine

    def fresh_engine(self) -> None:
        """A new engine, as after loading: nothing searched or sorted yet."""
        self.catalog.__dict__["engine"] = QueryEngine(self.catalog.table)

    def show(self, query: Query) -> None:
        """What a keystroke or a click costs: the engine's answer, taken by the model."""
        self.model.set_result(self.engine.run(query))

    def start_state(self) -> None:
        """A fresh engine showing every record by year, as the window opens."""
        self.fresh_engine()
        self.show(Query())

    # -- measurements --------------------------------------------------------------------

    def first_query(self) -> None:
        self.results["first_query_ms"] = median(
            repeat_ms(lambda: self.show(Query()), self.repeat, setup=self._reset_to_empty)
        )

    def _reset_to_empty(self) -> None:
        self.fresh_engine()
        self.show(Query(text="qqxqqxqq"))

    def typing(self) -> None:
        """Type TYPED a letter at a time; each keystroke narrows the previous one."""
        per_key: list[list[float]] = [[] for _ in TYPED]
        budget = time.perf_counter() + 60
        for _ in range(self.repeat):
            self.start_state()
            for i in range(1, len(TYPED) + 1):
                per_key[i - 1].append(ms(partial(self.show, Query(text=TYPED[:i]))))
            if time.perf_counter() > budget:
                break
        every = [t for key in per_key for t in key]
        self.results["search_keystroke_ms"] = median(every)
        self.results["search_keystroke_max_ms"] = max(median(key) for key in per_key)
        self.results["search_keystrokes"] = [median(key) for key in per_key]
        self.results["search_rows"] = len(self.engine.run(Query(text=TYPED)))

        def paste() -> None:
            self.show(Query(text=TYPED))

        self.results["search_paste_ms"] = median(
            repeat_ms(paste, self.repeat, budget_s=60, setup=self.start_state)
        )

    def facets(self) -> None:
        self.start_state()
        toggles: list[float] = []
        for _ in range(self.repeat):
            toggles.append(ms(lambda: self.show(Query(selections={"country": FACET}))))
            toggles.append(ms(lambda: self.show(Query())))
        self.results["facet_toggle_ms"] = median(toggles)
        moves: list[float] = []
        for _ in range(self.repeat):
            for low, high in YEAR_RANGES:
                moves.append(ms(partial(self.show, Query(year_from=low, year_to=high))))
        self.show(Query())
        self.results["year_range_ms"] = median(moves)
        self.engine.counts(COUNTED)  # the search itself is not what is measured here
        self.results["facet_counts_ms"] = median(
            repeat_ms(lambda: self.engine.counts(COUNTED), self.repeat)
        )

    def sorting(self) -> None:
        """A click on a column header: the model re-orders its rows by the engine's order."""
        model = self.model
        name, year = COLUMN_INDEX["name"], COLUMN_INDEX["year"]
        self.results["sort_name_first_ms"] = median(
            repeat_ms(lambda: model.sort(name, ASCENDING), self.repeat, budget_s=60,
                      setup=self.start_state)
        )  # fmt: skip
        self.results["sort_year_first_ms"] = median(
            repeat_ms(lambda: model.sort(year, DESCENDING), self.repeat, budget_s=60,
                      setup=self.start_state)
        )  # fmt: skip
        # Keys kept: flip between the two columns as a person comparing them would.
        flips: list[float] = []
        for _ in range(self.repeat):
            flips.append(ms(lambda: model.sort(name, DESCENDING)))
            flips.append(ms(lambda: model.sort(year, ASCENDING)))
        self.results["sort_cached_ms"] = median(flips)

        def all_keys() -> None:
            for column in SORTABLE:
                self.engine.order(column)

        self.results["sort_keys_all_columns_ms"] = median(
            repeat_ms(all_keys, self.repeat, budget_s=10, setup=self.fresh_engine)
        )
        self.start_state()

    def memory(self) -> None:
        self.results["loaded_rss_mb"] = rss_mb()
        self.results["peak_memory_mb"] = peak_mb()

    def records(self) -> None:
        """A `CatalogRecord` per record, as the catalog of parsed sources holds them: what
        they cost, the table built from them, and the two things that walk them all
        (the table model's set-up and the CSV export)."""
        started = time.perf_counter()
        records = tuple(self.catalog.records)
        self.results["records_make_ms"] = round((time.perf_counter() - started) * 1000, 1)
        # Their memory, traced on a sample (records are alike) and scaled up.
        sample = min(len(records), 20_000)
        tracemalloc.start()
        kept = tuple(self.catalog.records[:sample])
        traced, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del kept
        self.results["records_mb"] = round(traced * len(records) / max(sample, 1) / 2**20, 1)
        sources, classifier = SOURCES, self.catalog.classifier
        self.results["table_build_from_records_ms"] = round(
            ms(lambda: build_table(records, sources, classifier)), 1
        )
        catalog = replace(self.catalog, records=records)
        catalog.__dict__["engine"] = self.engine
        self.results["model_init_ms"] = median(
            repeat_ms(lambda: CatalogTableModel(catalog), self.repeat, budget_s=10)
        )
        positions = self.engine.order("year")
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "all.csv"
            self.results["export_csv_ms"] = median(
                repeat_ms(lambda: export_csv(catalog, positions, target), self.repeat,
                          budget_s=10)
            )  # fmt: skip
            self.results["export_csv_mb"] = round(target.stat().st_size / 2**20, 1)

    def baseline(self, sort_up_to: int) -> None:
        """The same typing and sorting through QSortFilterProxyModel with Python callbacks.

        The proxy filters unsorted while typing (the engine's answers come sorted by
        year), which flatters the baseline. Its sort by name makes n log n Python
        `lessThan` calls, minutes at a million rows, so it runs up to `sort_up_to` rows.
        """
        table = self.catalog.table
        keys = [column.key for column in COLUMNS]
        # The verdicts' columns too, as the real model shows them (all empty here).
        text = {**table.text, **self.catalog.engine.annotations.text}
        columns = [[""] * self.size if key == "sources" else list(text[key]) for key in keys]
        model = ListTableModel(columns, [column.title for column in COLUMNS])
        haystacks = table.search_blob.decode("ascii").split("\n")[: self.size]
        name = COLUMN_INDEX["name"]
        proxy = PythonFilterProxy(haystacks, {name: [fold(n) for n in table.text["name"]]})
        proxy.setSourceModel(model)

        def type_in(text: str) -> None:
            proxy.set_words([w.decode("ascii") for w in fold_query_words(text)])

        per_key: list[float] = []
        began = time.perf_counter()
        for _ in range(self.repeat):
            proxy.set_words([])
            for i in range(1, len(TYPED) + 1):
                per_key.append(ms(partial(type_in, TYPED[:i])))
            if time.perf_counter() - began > 30:
                break
        assert proxy.rowCount() == self.results["search_rows"], "the baseline disagrees"
        ours = self.results
        ours["baseline_search_keystroke_ms"] = median(per_key)
        ours["search_speedup"] = round(
            ours["baseline_search_keystroke_ms"] / max(ours["search_keystroke_ms"], 1e-3), 1
        )
        ours["baseline_sort_name_ms"] = ours["sort_speedup"] = None
        if self.size <= sort_up_to:
            proxy.set_words([])
            ours["baseline_sort_name_ms"] = median(
                repeat_ms(lambda: proxy.sort(name, ASCENDING), self.repeat, budget_s=30,
                          setup=lambda: proxy.sort(-1))
            )  # fmt: skip
            ours["sort_speedup"] = round(
                ours["baseline_sort_name_ms"] / max(ours["sort_name_first_ms"], 1e-3), 1
            )


def run_size(
    size: int, repeat: int, seed: int, baseline: bool = True, baseline_sort_up_to: int = 100_000
) -> dict[str, Any]:
    """Every measurement for one catalog size, as a flat dict of numbers."""
    app = QApplication.instance() or QApplication([])
    assert app is not None
    began = time.perf_counter()
    bench = Bench(size, repeat, seed)
    _progress(size, "generated, built, model made", began)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("first query", bench.first_query),
        ("typing", bench.typing),
        ("facets and years", bench.facets),
        ("sorting", bench.sorting),
        ("memory", bench.memory),  # the app's own peak: before records and the baseline
        ("records, model set-up, CSV export", bench.records),
    ]
    if baseline:
        steps.append(("baseline proxy", lambda: bench.baseline(baseline_sort_up_to)))
    for name, step in steps:
        started = time.perf_counter()
        step()
        _progress(size, name, started)
    bench.results["peak_memory_all_steps_mb"] = peak_mb()
    bench.results["elapsed_s"] = round(time.perf_counter() - began, 1)
    return replace_numpy(bench.results)


def _progress(size: int, step: str, started: float) -> None:
    seconds = time.perf_counter() - started
    print(f"    {size:>9,}: {step} ({seconds:.1f} s)", file=sys.stderr, flush=True)


def replace_numpy(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: numpy scalars as Python numbers."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}
