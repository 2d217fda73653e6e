"""`defectors-catalog views`: the saved searches, and `export --view NAME`'s look-up."""

from __future__ import annotations

import sys
from dataclasses import replace

from defectors_catalog.cli.annotate_command import plain
from defectors_catalog.domain.annotations.store import open_store
from defectors_catalog.domain.query.engine import Query


def run_views(prog: str) -> int:
    store = open_store(create=False)
    for line in (store.problem, *store.row_problems):
        if line:
            print(f"{prog}: warning: {plain(line)}", file=sys.stderr)
    if not store.views:
        print("no saved searches")
    for view in store.views:
        print(f"{plain(view.name)}\t{plain(view.summary())}")
    store.close()
    return 0


def narrowed(saved: Query, given: Query) -> Query:
    """A saved search narrowed by the options given with it: their words are searched
    too, a facet given replaces the view's ticks for that facet, and given years win."""
    return replace(
        saved,
        text=" ".join(t for t in (saved.text, given.text) if t.strip()),
        selections={**saved.selections, **given.selections},
        year_from=saved.year_from if given.year_from is None else given.year_from,
        year_to=saved.year_to if given.year_to is None else given.year_to,
    )
