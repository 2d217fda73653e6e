"""Markdown export: one pipe table, every cell plain text.

A cell's characters that Markdown would read as markup (`|`, `*`, `_`, `` ` ``, `[`,
`<`, ...) are escaped with a backslash, so a note holding `<img src=...>` or
`[x](javascript:...)` shows as those characters in any renderer, and a line break in a
cell becomes `<br>` (the one tag a table cell can hold a line break with).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from defectors_catalog.domain.output.columns import headers
from defectors_catalog.domain.output.csv_export import (
    ALL_COLUMNS,
    ROWS_PER_BLOCK,
    column_values,
)
from defectors_catalog.domain.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.query.table import IntArray

# ASCII punctuation that inline Markdown (CommonMark and GitHub's tables) gives a
# meaning to; CommonMark lets a backslash make each of them literal.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_BREAK = re.compile(r"\r\n|\r|\n")


def markdown_cell(value: str) -> str:
    """One value as the text of a table cell: markup escaped, line breaks as `<br>`."""
    if not value:
        return ""
    escaped = _SPECIAL.sub(r"\\\1", value)
    return "<br>".join(part.strip() for part in _BREAK.split(escaped)).strip()


def write_markdown(
    catalog: Catalog,
    positions: IntArray,
    handle: IO[str],
    columns: Sequence[str] = ALL_COLUMNS,
    *,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the records at `positions`, in that order, as one Markdown table; returns
    the row count."""
    names = headers(columns)
    rows = len(positions) if names else 0
    if not names:
        return 0
    handle.write("| " + " | ".join(map(markdown_cell, names)) + " |\n")
    handle.write("|" + "|".join("---" for _ in names) + "|\n")
    progress.stage("Writing Markdown", rows)
    for start in range(0, rows, ROWS_PER_BLOCK):
        block = positions[start : start + ROWS_PER_BLOCK]
        cells = []
        for name in names:
            values = column_values(catalog, name, block)
            # Few distinct values in most columns: each escaped once.
            escaped = {value: markdown_cell(value) for value in set(values)}
            cells.append([escaped[value] for value in values])
        handle.write("".join(f"| {' | '.join(row)} |\n" for row in zip(*cells, strict=True)))
        progress.step(len(block))
    return rows
