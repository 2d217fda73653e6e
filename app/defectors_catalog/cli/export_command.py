"""`defectors-catalog export OUT.csv`: the filtered catalog as CSV (or .xlsx, .json, .md:
`formats.FORMATS`), through the same query engine and writers as the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from defectors_catalog.cli.annotate_command import open_desk
from defectors_catalog.cli.common import fail
from defectors_catalog.cli.loading import load
from defectors_catalog.cli.views_command import narrowed
from defectors_catalog.domain.annotations.views import SavedView
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.facets import COUNTED, ONLY_UNRELIABLE, FacetKind, FacetSpec
from defectors_catalog.domain.model import LineKind
from defectors_catalog.domain.output.csv_export import DELIMITERS, ExportOptions, readable
from defectors_catalog.domain.output.formats import export_records, format_for, write_to_stream
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


def check_search(text: str) -> None:
    """A search text the language cannot read is refused in one line naming the term
    (the window searches it as plain words meanwhile; a script must not)."""
    from defectors_catalog.domain.query.search_language import find_error

    error = find_error(text)
    if error is not None:
        term = text[error.start : error.end]
        raise CatalogError(
            f"--search: {error.message} (at {term!r}, characters {error.start + 1}-{error.end})"
        )


def build_query(args: argparse.Namespace, catalog: Catalog, view: SavedView | None = None) -> Query:
    """The query the options ask for: one repeatable option per facet (`FacetSpec.option`),
    each value typed as the window shows it, ignoring case and diacritics."""
    if args.year_from is not None and args.year_to is not None and args.year_from > args.year_to:
        raise CatalogError(f"--from {args.year_from} is after --to {args.year_to}")
    check_search(args.search)
    whole = catalog.engine.run(Query()).facets
    selections: dict[str, frozenset[str]] = {}
    for facet in COUNTED:
        given = getattr(args, facet.option_dest, None)
        if given:
            choices = _choices(facet, catalog, whole[facet.key])
            selections[facet.key] = _resolve(facet.option, given, choices)
    if args.only_unreliable:
        selections["reliability"] = frozenset({ONLY_UNRELIABLE})
    query = Query(
        text=args.search,
        selections=selections,
        year_from=args.year_from,
        year_to=args.year_to,
    )
    return query if view is None else narrowed(view.query(), query)


def run_export(
    args: argparse.Namespace,
    extra: Sequence[tuple[Path, bool]],
    prog: str,
    reading: ReadOptions = DEFAULT_OPTIONS,
) -> int:
    to_stdout = str(args.output) == "-"
    if to_stdout and args.provenance:
        return fail(prog, "--provenance needs a file to write beside, not standard output")
    from defectors_catalog.cli.progress import CommandProgress

    shown = CommandProgress()
    try:
        catalog = load(extra, reading, shown.progress)
        desk = open_desk(catalog, prog)  # --status, --tag and the verdict columns
        view = desk.store.view(args.view) if getattr(args, "view", "") else None
        query = build_query(args, catalog, view)
        result = catalog.engine.run(query)
        options = ExportOptions(
            neutralise_formulas=not args.raw,
            excel_bom=args.excel,
            delimiter=DELIMITERS[args.delimiter],
            provenance=args.provenance,
        )
        chosen = format_for(args.output, args.format)
        if to_stdout:
            rows = write_to_stream(
                catalog, result.positions, sys.stdout, chosen, options=options,
                progress=shown.progress,
            )  # fmt: skip
            sys.stdout.flush()
        else:
            rows = export_records(
                catalog, result.positions, args.output, options=options, query=query,
                format=chosen.id, progress=shown.progress,
            )  # fmt: skip
    except CatalogError as exc:
        return fail(prog, str(exc))
    finally:
        shown.close()
    lost = report_lost_rows(catalog, extra, prog)
    where = "standard output" if to_stdout else readable(str(args.output))
    # With the CSV on standard output, the count goes to stderr so it stays out of the data.
    print(f"wrote {rows} of {len(catalog.records)} records to {where}",
          file=sys.stderr if to_stdout else sys.stdout)  # fmt: skip
    return EXIT_LOST_ROWS if lost else 0


# An added source that lost more rows than it kept: the export is written, and the exit
# status says that it is not to be trusted as complete.
EXIT_LOST_ROWS = 1


def report_lost_rows(catalog: Catalog, extra: Sequence[tuple[Path, bool]], prog: str) -> bool:
    """Say on stderr how many lines of each added source were not read as rows (with
    the first reason); True when one lost more than it kept."""
    given = {path for path, _ in extra}
    worst = False
    for spec in catalog.sources:
        parse = catalog.parses.get(spec.id)
        if spec.path not in given or parse is None:
            continue
        lost = sum(1 for kind in parse.line_kinds if kind is LineKind.SKIPPED)
        if not lost:
            continue
        kept = len(parse.entries)
        first = next((d for d in parse.diagnostics if d.line is not None), None)
        why = f"; first at line {first.line}: {first.message}" if first else ""
        print(f"{prog}: warning: {readable(str(spec.path))}: {lost:,} line(s) not read as "
              f"rows, {kept:,} row(s) read{why}", file=sys.stderr)  # fmt: skip
        worst = worst or lost > kept
    return worst
