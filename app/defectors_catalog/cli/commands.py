"""The headless commands: `export` and `report`, using the same engine as the window."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path

from defectors_catalog import paths
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.facets import COUNTED, ONLY_UNRELIABLE, FacetKind, FacetSpec
from defectors_catalog.domain.output.csv_export import DELIMITERS, ExportOptions, export_csv
from defectors_catalog.domain.query.engine import FacetValue, Query
from defectors_catalog.domain.sources.options import DEFAULT_OPTIONS, ReadOptions
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


def _choices(facet: FacetSpec, catalog: Catalog, values: Iterable[FacetValue]) -> dict[str, str]:
    """What a person may type for each value of `facet`: the value itself or its label
    (a source's title, a category's label too)."""
    choices: dict[str, str] = {}
    for value in values:
        if value.value:
            choices[value.value] = choices[value.label] = value.value
    if facet.kind is FacetKind.SOURCES:
        choices.update({s.title: s.id for s in catalog.sources})
    if facet.key == "category":
        choices.update({cid: cid for cid in catalog.classifier.labels})
        choices.update({label: cid for cid, label in catalog.classifier.labels.items()})
    return choices


def build_query(args: argparse.Namespace, catalog: Catalog) -> Query:
    """The query the options ask for: one repeatable option per facet (`FacetSpec.option`),
    each value typed as the window shows it, ignoring case and diacritics."""
    if args.year_from is not None and args.year_to is not None and args.year_from > args.year_to:
        raise CatalogError(f"--from {args.year_from} is after --to {args.year_to}")
    whole = catalog.engine.run(Query()).facets
    selections: dict[str, frozenset[str]] = {}
    for facet in COUNTED:
        given = getattr(args, facet.option_dest, None)
        if given:
            choices = _choices(facet, catalog, whole[facet.key])
            selections[facet.key] = _resolve(facet.option, given, choices)
    if args.only_unreliable:
        selections["reliability"] = frozenset({ONLY_UNRELIABLE})
    return Query(
        text=args.search,
        selections=selections,
        year_from=args.year_from,
        year_to=args.year_to,
    )


def read_options(encoding: str, sheet: str, columns: str) -> ReadOptions:
    """`--encoding`, `--sheet` and `--columns "Full name=name,Year of defection=year"`."""
    from defectors_catalog.domain.sources.encodings import check_encoding
    from defectors_catalog.domain.sources.layouts.headers import FIELDS, IGNORE

    pairs = []
    for part in (p for p in columns.split(",") if p.strip()):
        column, equals, field = part.rpartition("=")
        field = field.strip().lower()
        if not equals or not column.strip():
            raise CatalogError(f"--columns: {part.strip()!r} is not COLUMN=FIELD")
        if field not in (*FIELDS, IGNORE):
            raise CatalogError(
                f"--columns: {field!r} is not a field; fields: {', '.join((*FIELDS, IGNORE))}"
            )
        pairs.append((column.strip(), field))
    return ReadOptions(
        encoding=check_encoding(encoding) if encoding else "",
        sheet=sheet.strip(),
        columns=tuple(pairs),
    )


def _check_added(catalog: Catalog, added: int) -> None:
    """The files given for this run each gave rows, and none is a listed file again."""
    from defectors_catalog.domain.sources.user_sources import listed_copy

    extras = catalog.sources[len(catalog.sources) - added :] if added else ()
    for spec in extras:
        parse = catalog.parses[spec.id]
        if not parse.entries:
            raise CatalogError(f"{spec.path.name}: no row could be read: {parse.summary}")
        earlier = catalog.sources[: catalog.sources.index(spec)]
        same = listed_copy(spec.path.read_bytes(), earlier)
        if same is not None:
            raise CatalogError(f"{spec.path.name}: already listed as '{same.title}'")


def _load(extra: Sequence[tuple[Path, bool]], options: ReadOptions) -> Catalog:
    catalog = load_catalog(extra=extra, cache=paths.catalog_cache_dir(), extra_options=options)
    _check_added(catalog, len(extra))
    return catalog


def run_export(
    args: argparse.Namespace,
    extra: Sequence[tuple[Path, bool]],
    prog: str,
    reading: ReadOptions = DEFAULT_OPTIONS,
) -> int:
    from defectors_catalog.cli import fail

    try:
        catalog = _load(extra, reading)
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


def run_report(
    extra: Sequence[tuple[Path, bool]], prog: str, options: ReadOptions = DEFAULT_OPTIONS
) -> int:
    from defectors_catalog.cli import fail

    try:
        catalog = _load(extra, options)
    except CatalogError as exc:
        return fail(prog, str(exc))
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
