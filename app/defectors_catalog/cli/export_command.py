"""`defectors-catalog export OUT.csv`: the filtered catalog as CSV, through the same query
engine and writer as the window."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

from defectors_catalog import paths
from defectors_catalog.cli.common import fail
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.output.csv_export import DELIMITERS, ExportOptions, export_csv
from defectors_catalog.domain.query.engine import ONLY_UNRELIABLE, Query
from defectors_catalog.domain.text import fold


def _resolve(kind: str, given: Iterable[str], choices: dict[str, str]) -> frozenset[str]:
    """Match user-typed values to known ones, ignoring case and diacritics."""
    resolved = set()
    folded = {fold(label): value for label, value in choices.items()}
    for value in given:
        match = folded.get(fold(value))
        if match is None:
            known = ", ".join(sorted(set(choices.values())))
            raise CatalogError(f"unknown {kind} {value!r}; known: {known}")
        resolved.add(match)
    return frozenset(resolved)


def build_query(args: argparse.Namespace, catalog: Catalog) -> Query:
    table = catalog.table
    countries = {v: v for v in table.country.values if v}
    categories = {v: v for v in table.category.values}
    categories.update(zip(table.category.labels, table.category.values, strict=True))
    categories.update({cid: cid for cid in catalog.classifier.labels})
    categories.update({label: cid for cid, label in catalog.classifier.labels.items()})
    sources = {s.id: s.id for s in catalog.sources}
    if args.year_from is not None and args.year_to is not None and args.year_from > args.year_to:
        raise CatalogError(f"--from {args.year_from} is after --to {args.year_to}")
    return Query(
        text=args.search,
        countries=_resolve("country", args.country, countries),
        categories=_resolve("category", args.category, categories),
        sources=_resolve("source", args.source, sources),
        reliability=frozenset({ONLY_UNRELIABLE}) if args.only_unreliable else frozenset(),
        year_from=args.year_from,
        year_to=args.year_to,
    )


def run_export(args: argparse.Namespace, extra: Sequence[tuple[Path, bool]], prog: str) -> int:
    try:
        catalog = load_catalog(extra=extra, cache=paths.catalog_cache_dir())
        query = build_query(args, catalog)
        result = catalog.engine.run(query)
        options = ExportOptions(
            neutralise_formulas=not args.raw,
            excel_bom=args.excel,
            delimiter=DELIMITERS[args.delimiter],
            provenance=args.provenance,
        )
        rows = export_csv(catalog, result.positions, args.output, options=options, query=query)
    except CatalogError as exc:
        return fail(prog, str(exc))
    print(f"wrote {rows} of {len(catalog.records)} records to {args.output}")
    return 0
