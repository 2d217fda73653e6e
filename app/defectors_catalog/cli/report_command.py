"""`defectors-catalog report`: what was read from each source, line by line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from defectors_catalog import paths
from defectors_catalog.cli.common import fail
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.errors import CatalogError


def run_report(extra: Sequence[tuple[Path, bool]], prog: str) -> int:
    try:
        catalog = load_catalog(extra=extra, cache=paths.catalog_cache_dir())
    except CatalogError as exc:
        return fail(prog, str(exc))
    for spec in catalog.sources:
        parse = catalog.parses[spec.id]
        kinds: dict[str, int] = {}
        for kind in parse.line_kinds:
            kinds[kind.value] = kinds.get(kind.value, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        print(
            f"{spec.id} ({spec.reliability.value}, {parse.layout}): "
            f"{len(parse.entries)} rows from {parse.line_count} lines [{summary}]"
        )
        for diagnostic in parse.diagnostics:
            print(f"  line {diagnostic.line}: {diagnostic.code}: {diagnostic.message}")
        for entry in parse.entries:
            for diagnostic in entry.diagnostics:
                print(f"  line {diagnostic.line}: {diagnostic.code}: {diagnostic.message}")
    warned = sum(1 for r in catalog.records if r.warnings)
    print(
        f"{len(catalog.records)} records, {warned} with warnings, "
        f"{len(catalog.candidates)} possible duplicates"
    )
    return 0
