"""Markdown-style pipe tables: `| Defector | Profession/ Prominence | Birthplace | Year | Notes |`.

Reads the Wikipedia export and the 2025 scrape. Columns are mapped by header name.
Lines outside the table are classified (heading, prose, reference), never dropped.
"""

from __future__ import annotations

import re

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity, SourceEntry
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.layouts.base import SourceFile, text_layout
from defectors_catalog.domain.sources.layouts.common import (
    ParseContext,
    column_for_header,
    is_year,
    make_entry,
    numbered,
    prose_kind,
)

LAYOUT = "pipe-table"
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
# '= Title =', '==List of defections==', '## See also'
_HEADING = re.compile(r"^\s*(=+[^=].*?=+|#{1,6}\s+\S.*)\s*$")
_REFERENCE_HEADINGS = {"references", "notes and references", "sources", "citations"}
_LIST_ITEM = re.compile(r"^\s*[-*\u2022]\s+\S|^\s*\^|^\s*\d+\.\s+\S")


def split_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [cell.strip() for cell in body.split("|")]


def is_pipe_row(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


def heading_text(line: str) -> str | None:
    match = _HEADING.match(line)
    if match is None:
        return None
    return match.group(1).strip("=# ").strip()


class _Table:
    """The columns found in the header row: header position -> column name."""

    def __init__(self, columns: list[str | None]) -> None:
        self.columns = columns
        self.width = len(columns)
        self.year_at = columns.index("year")
        self.name_at = columns.index("name")


def parse_pipe_table(
    lines: list[str], source_id: str, context: ParseContext, progress: Progress = NO_PROGRESS
) -> ParseResult:
    """Read the table rows; `progress` is stepped by the lines read."""
    kinds: list[LineKind] = []
    entries: list[SourceEntry] = []
    diagnostics: list[Diagnostic] = []
    references: list[str] = []
    table: _Table | None = None
    in_references = False

    for number, line in numbered(lines, progress):
        title = heading_text(line)
        stripped = line.strip()
        if title is not None or stripped.casefold() in _REFERENCE_HEADINGS:
            in_references = (title or stripped).casefold() in _REFERENCE_HEADINGS
            kinds.append(LineKind.HEADING)
            continue
        if is_pipe_row(line):
            if _SEPARATOR.match(stripped):
                kinds.append(LineKind.SEPARATOR)
                continue
            cells = split_cells(line)
            header = _read_header(cells, number, diagnostics)
            if header is not None:
                table = header
                kinds.append(LineKind.HEADER)
                continue
            if table is None:
                kinds.append(LineKind.SKIPPED)
                diagnostics.append(
                    Diagnostic(
                        DiagnosticCode.NO_HEADER,
                        "table row before any header row naming Defector/Name and Year columns",
                        number,
                        Severity.WARNING,
                    )
                )
                continue
            entry = _read_row(cells, table, number, line, source_id, context)
            if entry is None:
                kinds.append(LineKind.SKIPPED)
                diagnostics.append(
                    Diagnostic(
                        DiagnosticCode.NO_NAME, "table row without a name", number, Severity.WARNING
                    )
                )
            else:
                kinds.append(LineKind.RECORD)
                entries.append(entry)
            continue
        if in_references and _LIST_ITEM.match(line):
            kinds.append(LineKind.REFERENCE)
            references.append(re.sub(r"^\s*(?:[-*\u2022^]|\d+\.)\s*", "", line).strip())
            continue
        kinds.append(prose_kind(line))

    if table is None and not entries:
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.NO_TABLE,
                "no table header naming Defector/Name and Year columns was found",
                None,
                Severity.WARNING,
            )
        )
    return ParseResult(
        source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics), tuple(references)
    )


def _read_header(cells: list[str], line: int, diagnostics: list[Diagnostic]) -> _Table | None:
    # A row holding a year is never a header; asked first, it spares folding every
    # cell of every row (most of the time a big table took to read).
    if any(is_year(cell) for cell in cells):
        return None
    columns = [column_for_header(cell) for cell in cells]
    if "name" not in columns or "year" not in columns:
        return None
    known = [c for c in columns if c is not None]
    if len(known) < 2:
        return None
    for cell, column in zip(cells, columns, strict=True):
        if column is None and cell:
            diagnostics.append(
                Diagnostic(DiagnosticCode.UNKNOWN_COLUMN, f"column '{cell}' is not used", line)
            )
    seen: set[str] = set()
    for position, column in enumerate(columns):
        if column is not None and column in seen:
            diagnostics.append(
                Diagnostic(
                    DiagnosticCode.DUPLICATE_COLUMN,
                    f"column '{cells[position]}' appears twice; the first one is used",
                    line,
                    Severity.WARNING,
                )
            )
            columns[position] = None
        elif column is not None:
            seen.add(column)
    return _Table(columns)


def _read_row(
    cells: list[str],
    table: _Table,
    line: int,
    raw: str,
    source_id: str,
    context: ParseContext,
) -> SourceEntry | None:
    notes: list[Diagnostic] = []
    cells = _repair_shift(cells, table, line, context, notes)
    if len(cells) < table.width:
        notes.append(
            Diagnostic(
                DiagnosticCode.RAGGED_ROW,
                f"row has {len(cells)} cells, the header {table.width}; missing cells left empty",
                line,
                Severity.WARNING,
            )
        )
        cells = cells + [""] * (table.width - len(cells))
    elif len(cells) > table.width:
        extra = cells[table.width :]
        cells = cells[: table.width]
        if any(extra):
            notes_at = table.columns.index("notes") if "notes" in table.columns else None
            kept = " | ".join(c for c in extra if c)
            if notes_at is not None:
                cells[notes_at] = f"{cells[notes_at]} | {kept}".strip(" |")
            notes.append(
                Diagnostic(
                    DiagnosticCode.RAGGED_ROW,
                    f"row has {len(cells) + len(extra)} cells, the header {table.width}; "
                    f"extra text {'added to the notes' if notes_at is not None else 'ignored'}: "
                    f"{kept!r}",
                    line,
                    Severity.WARNING,
                )
            )
    values = {column: cell for column, cell in zip(table.columns, cells, strict=True) if column}
    if not values.get("name", "").strip():
        return None
    return make_entry(source_id, line, raw, values, notes)


def _repair_shift(
    cells: list[str],
    table: _Table,
    line: int,
    context: ParseContext,
    notes: list[Diagnostic],
) -> list[str]:
    """Realign a row that lost empty cells before its year and so slid left.

    The 2025 scrape has
      | Valeri Tihonovitch Minakov | Russia | 1945 | Escaped from Siberia ... | |
    where the export has an empty Profession cell: the year sits one column early and
    the row ends in an empty cell. Values before the year are right-aligned onto the
    columns before the year column, so the missing cells are the leftmost ones.
    """
    if len(cells) <= table.year_at or is_year(cells[table.year_at]):
        return cells
    found = [i for i in range(table.name_at + 1, table.year_at) if is_year(cells[i])]
    if not found:
        return cells
    year_at = found[0]
    lost = table.year_at - year_at
    trailing = cells[len(cells) - lost :] if len(cells) >= table.width else []
    if len(cells) != table.width or any(trailing):
        return cells
    before = cells[table.name_at + 1 : year_at]
    slots = list(range(table.name_at + 1, table.year_at))
    realigned = list(cells[: table.width - lost])
    realigned[table.name_at + 1 : table.name_at + 1] = [""] * lost
    names = [table.columns[s] or "?" for s in slots[:lost]]
    moved = ", ".join(
        f"{table.columns[s]}={v!r}" for s, v in zip(slots[lost:], before, strict=True)
    )
    place_ok = not before or context.gazetteer.lookup(before[-1]) is not None
    notes.append(
        Diagnostic(
            DiagnosticCode.REPAIRED,
            f"row was shifted {lost} cell(s) to the left (empty {', '.join(names)} cell "
            f"missing); realigned so that {moved}, year={cells[year_at]}"
            + ("" if place_ok else "; the moved value is not a known place, check it"),
            line,
        )
    )
    return realigned


def sniff(file: SourceFile) -> float:
    """Two pipe rows make a pipe table (wikitext, which also starts rows with `|`,
    sniffs surer when it has its `{|` table start)."""
    return 0.9 if sum(1 for line in file.head_lines if is_pipe_row(line)) >= 2 else 0.0


PIPE_TABLE = text_layout(
    LAYOUT,
    "Pipe table (| Defector | ... |)",
    ("md", "markdown", "txt"),
    sniff,
    parse_pipe_table,
)
