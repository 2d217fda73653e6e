"""`defectors-catalog report`: what was read from each source, line by line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from defectors_catalog.cli.common import fail
from defectors_catalog.cli.loading import load
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.output.parse_report import merge_counts
from defectors_catalog.domain.sources.options import DEFAULT_OPTIONS, ReadOptions


def run_report(
    extra: Sequence[tuple[Path, bool]], prog: str, options: ReadOptions = DEFAULT_OPTIONS
) -> int:
    from defectors_catalog.cli.progress import CommandProgress

    shown = CommandProgress()
    try:
        catalog = load(extra, options, shown.progress)
    except CatalogError as exc:
        return fail(prog, str(exc))
    finally:
        shown.close()
    for spec in catalog.sources:
        parse = catalog.parses[spec.id]
        kinds: dict[str, int] = {}
        for kind in parse.line_kinds:
            kinds[kind.value] = kinds.get(kind.value, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        read_as = ", ".join(x for x in (parse.layout, parse.encoding) if x)
        print(
            f"{spec.id} ({spec.reliability.value}, {read_as}): "
            f"{len(parse.entries)} rows from {parse.line_count} lines [{summary}]"
        )
        if parse.summary:
            print(f"  {parse.summary}")
        merged, new = merge_counts(catalog, spec.id)
        print(f"  merged into existing records: {len(merged)}; new records: {new}")
        for diagnostic in parse.diagnostics:
            print(f"  {_where(diagnostic.line)}{diagnostic.code}: {diagnostic.message}")
        for entry in parse.entries:
            for diagnostic in entry.diagnostics:
                print(f"  {_where(diagnostic.line)}{diagnostic.code}: {diagnostic.message}")
    warned = sum(1 for r in catalog.records if r.warnings)
    print(
        f"{len(catalog.records)} records, {warned} with warnings, "
        f"{len(catalog.candidates)} possible duplicates"
    )
    return 0


def _where(line: int | None) -> str:
    """'line 12: ', or nothing for what concerns the whole file."""
    return "" if line is None else f"line {line}: "
