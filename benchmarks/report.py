"""The results as a table for people and JSON for machines, and the targets checked."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

# (key, label, unit) per catalog size, in the order printed.
SIZE_ROWS: tuple[tuple[str, str, str], ...] = (
    ("generate_ms", "generate the synthetic columns", "ms"),
    ("table_build_ms", "build the table from columns", "ms"),
    ("table_build_from_records_ms", "build the table from CatalogRecords", "ms"),
    ("engine_init_ms", "query engine set-up", "ms"),
    ("first_query_ms", "first query -> model (all rows)", "ms"),
    ("search_keystroke_ms", "search keystroke -> model, median", "ms"),
    ("search_keystroke_max_ms", "search keystroke, slowest letter", "ms"),
    ("search_paste_ms", "search 'kovacs' pasted at once", "ms"),
    ("baseline_search_keystroke_ms", "baseline proxy keystroke, median", "ms"),
    ("search_speedup", "search: times faster than the baseline", "x"),
    ("facet_toggle_ms", "facet toggle -> model", "ms"),
    ("year_range_ms", "year-range change -> model", "ms"),
    ("facet_counts_ms", "facet counts + year histogram", "ms"),
    ("sort_name_first_ms", "sort by name, first click", "ms"),
    ("sort_year_first_ms", "sort by year (descending), first click", "ms"),
    ("sort_cached_ms", "sort again (orders cached)", "ms"),
    ("sort_keys_all_columns_ms", "sort keys for all 10 columns", "ms"),
    ("baseline_sort_name_ms", "baseline proxy sort by name", "ms"),
    ("sort_speedup", "sort: times faster than the baseline", "x"),
    ("model_init_ms", "table model set-up", "ms"),
    ("export_csv_ms", "export all rows to CSV", "ms"),
    ("loaded_rss_mb", "memory in use after the above (RSS)", "MB"),
    ("peak_memory_mb", "peak memory (max RSS)", "MB"),
    ("records_mb", "a CatalogRecord per record would add", "MB"),
)


# Typing "kovacs" in the real window, per catalog size (benchmarks/typing.py).
TYPING_ROWS: tuple[tuple[str, str, str], ...] = (
    ("window_open_ms", "open the window with every record", "ms"),
    ("worker_echo_median_ms", "worker thread: key -> letter shown, median", "ms"),
    ("worker_echo_max_ms", "worker thread: key -> letter shown, slowest", "ms"),
    ("worker_answer_median_ms", "worker thread: key -> table shows the answer, median", "ms"),
    ("worker_answer_max_ms", "worker thread: key -> table shows the answer, slowest", "ms"),
    ("worker_longest_freeze_ms", "worker thread: longest freeze of the window", "ms"),
    ("gui_thread_echo_median_ms", "GUI thread: key -> letter shown, median", "ms"),
    ("gui_thread_echo_max_ms", "GUI thread: key -> letter shown, slowest", "ms"),
    ("gui_thread_answer_median_ms", "GUI thread: key -> table shows the answer, median", "ms"),
    ("gui_thread_longest_freeze_ms", "GUI thread: longest freeze of the window", "ms"),
)


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    import numpy
    import PySide6

    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pyside6": PySide6.__version__,
    }


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with what was measured (None: not measured this run)."""
    sizes = results.get("sizes", {})
    launch = results.get("launch", {})
    seeds = results.get("seeds", {})
    k100 = sizes.get("100000", {})
    m1 = sizes.get("1000000", {})
    typed = results.get("typing", {}).get("1000000", {})
    filed = results.get("file_path", {})
    filed_1m = filed if filed.get("rows", 0) >= 1_000_000 and not filed.get("add_status") else {}
    checks = [
        ("first paint <= 2x the bare-Qt floor", launch.get("first_paint_ratio"), 2.0, "<="),
        ("seeds: load_catalog() <= 50 ms", seeds.get("load_catalog_ms"), 50, "<="),
        ("100k: search keystroke median <= 20 ms", k100.get("search_keystroke_ms"), 20, "<="),
        ("100k: search >= 25x faster than the proxy", k100.get("search_speedup"), 25, ">="),
        ("100k: facet toggle <= 10 ms", k100.get("facet_toggle_ms"), 10, "<="),
        ("100k: sort by name, first click <= 30 ms", k100.get("sort_name_first_ms"), 30, "<="),
        ("100k: sort by year, first click <= 30 ms", k100.get("sort_year_first_ms"), 30, "<="),
        ("1M: search keystroke, slowest letter <= 200 ms", m1.get("search_keystroke_max_ms"),
         200, "<="),
        ("1M: peak memory <= 1500 MB", m1.get("peak_memory_mb"), 1500, "<="),
        ("1M typing: key -> letter shown, median <= 33 ms (2 frames)",
         typed.get("worker_echo_median_ms"), 33, "<="),
        ("1M typing: longest freeze <= 100 ms", typed.get("worker_longest_freeze_ms"), 100, "<="),
        ("1M-row CSV: export --add-source <= 4x the pandas floor", filed_1m.get("ratio"), 4,
         "<="),
        ("1M-row CSV: export --add-source peak <= 2000 MB", filed_1m.get("add_peak_mb"), 2000,
         "<="),
    ]  # fmt: skip
    out = []
    for name, measured, limit, sense in checks:
        met = None
        if isinstance(measured, int | float):
            met = measured <= limit if sense == "<=" else measured >= limit
        out.append({"target": name, "measured": measured, "met": met})
    return out


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _per_size(
    title: str, rows: tuple[tuple[str, str, str], ...], by_size: dict[str, dict[str, Any]]
) -> list[str]:
    """A table with a column per catalog size (none when nothing was measured)."""
    if not by_size:
        return []
    heads = [f"{int(size):,} records" for size in by_size]
    lines = [f"| {title} | unit | " + " | ".join(heads) + " |", "|---|---|" + "---:|" * len(heads)]
    for key, label, unit in rows:
        cells = [_cell(by_size[size].get(key)) for size in by_size]
        lines.append(f"| {label} | {unit} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def table(results: dict[str, Any]) -> str:
    """The results as Markdown tables (they read the same in a terminal)."""
    lines: list[str] = []
    lines += _per_size("measure", SIZE_ROWS, results.get("sizes", {}))
    lines += _per_size("typing 'kovacs' in the window", TYPING_ROWS, results.get("typing", {}))
    launch, seeds = results.get("launch"), results.get("seeds")
    if launch or seeds:
        lines.append("| start-up | measured |")
        lines.append("|---|---:|")
    if launch:
        lines += [
            f"| app: launch -> first paint ({launch['app_records']} records, saved catalog) | "
            f"{_cell(launch['app_first_paint_ms'])} ms |",
            f"| app: first start, catalog built from the files | "
            f"{_cell(launch['app_built_first_paint_ms'])} ms "
            f"({_cell(launch['app_built_ratio'])}x the floor) |",
            f"| floor: bare QApplication + empty QTableView -> first paint | "
            f"{_cell(launch['floor_first_paint_ms'])} ms |",
            f"| ratio app / floor | {_cell(launch['first_paint_ratio'])}x |",
            f"| floor with numpy imported first -> first paint | "
            f"{_cell(launch['floor_numpy_first_paint_ms'])} ms "
            f"({_cell(launch['floor_numpy_ratio'])}x the floor) |",
            f"| app process, start to exit (incl. smoke checks) | "
            f"{_cell(launch['app_process_ms'])} ms |",
            f"| floor process, start to exit | {_cell(launch['floor_process_ms'])} ms |",
        ]
        imports = launch.get("imports", {})
        if imports:
            lines.append(
                "| app imports (own time, -X importtime): "
                + ", ".join(
                    f"{label} {_cell(imports[key])}"
                    for key, label in (("qt_ms", "Qt"), ("numpy_ms", "numpy"),
                                       ("app_domain_ms", "domain"), ("app_gui_ms", "gui"),
                                       ("other_ms", "other"))
                )
                + f" | {_cell(imports['total_ms'])} ms |"
            )  # fmt: skip
    if seeds:
        lines += [
            f"| seeds: load_catalog() ({seeds['records']} records) | "
            f"{_cell(seeds['load_catalog_ms'])} ms |",
            f"| - of which gazetteer + professions TOML | {_cell(seeds['resources_ms'])} ms |",
            f"| - of which parsing the three files | {_cell(seeds['parse_ms'])} ms |",
            f"| - of which merging | {_cell(seeds['merge_ms'])} ms |",
            f"| - of which building the table | {_cell(seeds['table_ms'])} ms |",
        ]
    if launch or seeds:
        lines.append("")
    filed = results.get("file_path")
    if filed:
        from benchmarks.file_path import table as file_table

        lines += [file_table(filed), ""]
    checks = results.get("targets", [])
    if checks:
        lines.append("| target | measured | met |")
        lines.append("|---|---:|:---:|")
        for check in checks:
            met = {True: "yes", False: "**no**", None: "-"}[check["met"]]
            lines.append(f"| {check['target']} | {_cell(check['measured'])} | {met} |")
    return "\n".join(lines)


def write_json(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
