"""`defectors-catalog annotate ID [--status S] [--tag T]... [--untag T]... [--note TEXT]`:
show or change the person's verdict on one record, in the same database as the window."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from defectors_catalog.cli.common import fail
from defectors_catalog.cli.loading import load, read_options
from defectors_catalog.domain.annotations.model import (
    Annotation,
    AnnotationError,
    Change,
    parse_status,
)
from defectors_catalog.domain.annotations.overlay import Desk
from defectors_catalog.domain.annotations.store import open_store
from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError

# Control characters other than the line break: a file's text could hold escape codes
# that a terminal would run; they are printed as `\x1b`.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def open_desk(catalog: Catalog, prog: str) -> Desk:
    """The catalog with the person's verdicts over it; what is wrong with the database
    is said on stderr (the catalog still opens, the verdicts read-only)."""
    desk = Desk(catalog, open_store(create=False))
    for line in desk.problems:
        print(f"{prog}: warning: {plain(line)}", file=sys.stderr)
    return desk


def _change(args: argparse.Namespace) -> Change:
    status = None if args.status is None else parse_status(args.status)
    return Change(
        status=status, add_tags=tuple(args.tag), remove_tags=tuple(args.untag), note=args.note
    )


def _unknown_id(record_id: str, ids: Sequence[str]) -> str:
    close = difflib.get_close_matches(record_id, ids, n=3, cutoff=0.75)
    hint = f"; did you mean {', '.join(close)}?" if close else "; the export's `id` column has them"
    return f"no record has the id {plain(record_id)!r}{hint}"


def describe(catalog: Catalog, desk: Desk, verdict: Annotation) -> str:
    """The verdict as a person reads it on a terminal."""
    at = desk.position(verdict.record_id)
    name = catalog.table.text["name"][at]
    year = catalog.table.text["year"][at]
    lines = [f"{verdict.record_id}  {name}" + (f" ({year})" if year else "")]
    lines.append(f"status: {verdict.status}")
    lines.append(f"tags: {'; '.join(verdict.tags) if verdict.tags else '(none)'}")
    lines.append(f"changed: {verdict.changed or '(never)'}")
    if len(verdict.merged_from) > 1:
        lines.append(f"merged from: {', '.join(verdict.merged_from)}")
    lines += [f"conflict: {c}" for c in verdict.conflicts]
    if verdict.note:
        lines.append("note:")
        lines += [f"  {line}" for line in verdict.note.split("\n")]
    else:
        lines.append("note: (none)")
    return plain("\n".join(lines))


def run_annotate(args: argparse.Namespace, extra: Sequence[tuple[Path, bool]], prog: str) -> int:
    try:
        change = _change(args)  # a bad value is refused before anything is read
        options = read_options(
            args.encoding or args.global_encoding,
            args.sheet or args.global_sheet,
            args.columns or args.global_columns,
        )
        catalog = load(extra, options)
        desk = open_desk(catalog, prog)
        record_id = args.record_id.strip()
        try:
            desk.position(record_id)
        except AnnotationError:
            return fail(prog, _unknown_id(record_id, catalog.table.ids))
        verdict = (
            desk.annotations_for(record_id) if change.nothing else desk.change(record_id, change)
        )
    except CatalogError as exc:  # AnnotationError too: a bad value, a read-only database
        return fail(prog, plain(str(exc)))
    print(describe(catalog, desk, verdict))
    return 0
