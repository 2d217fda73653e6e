"""Tables whose cells span rows or columns (web pages, wikitext), laid out as a grid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, Severity
from defectors_catalog.domain.sources.layouts.tables import Row, looks_like_record

# A span beyond any real table's size is damage; capping it keeps a crafted
# `rowspan="99999"` from making millions of cells.
MAX_SPAN = 1000


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def expand_spans(rows: Sequence[Sequence[Cell]]) -> list[list[str]]:
    """Each cell's text in every grid position it covers, as a browser draws it:
    a year cell with `rowspan="2"` gives the row below it the same year."""
    grid: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows below still to fill)
    for cells in rows:
        out: dict[int, str] = {}
        started: dict[int, tuple[str, int]] = {}  # spans reaching into the next row
        column = 0
        for cell in [*cells, None]:  # None: fill what spans from above past the last cell
            while column in carried or (cell is None and any(c >= column for c in carried)):
                if column in carried:
                    text, left = carried.pop(column)
                    out[column] = text
                    if left > 1:
                        started[column] = (text, left - 1)
                column += 1
            if cell is None:
                break
            for _ in range(max(1, min(cell.colspan, MAX_SPAN))):
                out[column] = cell.text
                if cell.rowspan > 1:
                    started[column] = (cell.text, min(cell.rowspan, MAX_SPAN) - 1)
                column += 1
        carried = started
        grid.append([out.get(i, "") for i in range(max(out) + 1 if out else 0)])
    return grid


def unread_rows(
    rows: Sequence[Row], kinds: list[LineKind], diagnostics: list[Diagnostic], where: str
) -> None:
    """Rows of a table that was not read: those that hold a year and words are listed
    as skipped, so a person sees what may be a record that was left out."""
    for row in rows:
        if row.blank or not looks_like_record(" ".join(row.cells)):
            continue
        for line in row.lines:
            if 0 < line <= len(kinds):
                kinds[line - 1] = LineKind.SKIPPED
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.NOT_READ,
                f"holds a year and words but is in {where}; not read",
                row.line,
                Severity.WARNING,
            )
        )
