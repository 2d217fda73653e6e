"""CSV and TSV files with a header row: `name,profession,birthplace,year,notes`.

Columns are mapped by header name like the pipe tables; the delimiter (comma,
semicolon or tab) is the one the header line uses most. Quoted cells may hold the
delimiter; a quoted cell spanning lines is read whole and credited to its first line.
"""

from __future__ import annotations

import csv
import io

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity, SourceEntry
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.layouts.common import (
    LINES_PER_STEP,
    ParseContext,
    column_for_header,
    make_entry,
)

LAYOUT = "delimited"
DELIMITERS = (",", ";", "\t")


def header_delimiter(line: str) -> str | None:
    """The delimiter of a header line that names a name and a year column, else None."""
    for delimiter in sorted(DELIMITERS, key=line.count, reverse=True):
        if line.count(delimiter) < 1:
            continue
        cells = next(csv.reader([line], delimiter=delimiter), [])
        columns = {column_for_header(cell) for cell in cells}
        if {"name", "year"} <= columns:
            return delimiter
    return None


def parse_delimited(
    lines: list[str], source_id: str, context: ParseContext, progress: Progress = NO_PROGRESS
) -> ParseResult:
    """Read the rows under the header; `progress` is stepped by the lines read."""
    kinds: list[LineKind] = [LineKind.PROSE] * len(lines)
    entries: list[SourceEntry] = []
    diagnostics: list[Diagnostic] = []
    start = next((i for i, line in enumerate(lines) if header_delimiter(line) is not None), None)
    for i, line in enumerate(lines):
        if not line.strip():
            kinds[i] = LineKind.BLANK
    if start is None:
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.NO_HEADER,
                "no header row naming a Name/Defector and a Year column was found",
                None,
                Severity.WARNING,
            )
        )
        progress.step(len(lines))
        return ParseResult(source_id, LAYOUT, (), tuple(kinds), tuple(diagnostics))
    progress.step(start + 1)
    stepped = 0  # body lines stepped so far
    delimiter = header_delimiter(lines[start]) or ","
    kinds[start] = LineKind.HEADER
    header = next(csv.reader([lines[start]], delimiter=delimiter))
    columns = [column_for_header(cell) for cell in header]
    for cell, column in zip(header, columns, strict=True):
        if column is None and cell.strip():
            diagnostics.append(Diagnostic(DiagnosticCode.UNKNOWN_COLUMN,
                                          f"column '{cell}' is not used", start + 1))  # fmt: skip
    seen: set[str] = set()
    for position, column in enumerate(columns):
        if column is not None and column in seen:
            diagnostics.append(
                Diagnostic(DiagnosticCode.DUPLICATE_COLUMN,
                           f"column '{header[position]}' appears twice; the first one is used",
                           start + 1, Severity.WARNING)
            )  # fmt: skip
            columns[position] = None
        elif column is not None:
            seen.add(column)
    body_start: int | None = start + 1  # index of the line the reader starts at
    while body_start is not None:
        restart: int | None = None
        reader = csv.reader(io.StringIO("\n".join(lines[body_start:])), delimiter=delimiter,
                            strict=False)  # fmt: skip
        previous_end = 0
        try:
            for cells in reader:
                index = body_start + previous_end  # where this record began (0-based)
                first = index + 1
                previous_end = reader.line_num
                end = min(body_start + previous_end, len(lines))
                if end - start - 1 - stepped >= LINES_PER_STEP:
                    progress.step(end - start - 1 - stepped)
                    stepped = end - start - 1
                if index >= len(lines) or not any(c.strip() for c in cells):
                    continue
                if _runaway(lines[index + 1 : end], delimiter, len(columns)):
                    # 'Anna,1956,"never closed' then 100,000 rows: the quote would swallow
                    # them all. The row is read on its own and reading goes on after it.
                    cells = next(csv.reader([lines[index]], delimiter=delimiter, strict=False))
                    end, restart = index + 1, index + 1
                for covered in range(index, end):
                    kinds[covered] = LineKind.RECORD
                notes: list[Diagnostic] = []
                if restart is not None:
                    notes.append(Diagnostic(
                        DiagnosticCode.UNCLOSED_QUOTE,
                        "a quote opened in this row is never closed; the row was read on "
                        "its own and the lines after it as rows", first, Severity.WARNING,
                    ))  # fmt: skip
                if len(cells) != len(columns):
                    notes.append(
                        Diagnostic(
                            DiagnosticCode.RAGGED_ROW,
                            f"row has {len(cells)} cells, the header {len(columns)}",
                            first,
                            Severity.WARNING,
                        )
                    )
                values = {c: cell for c, cell in zip(columns, cells, strict=False) if c}
                if not values.get("name", "").strip():
                    for covered in range(index, end):
                        kinds[covered] = LineKind.SKIPPED
                    diagnostics.append(
                        Diagnostic(
                            DiagnosticCode.NO_NAME, "row without a name", first, Severity.WARNING
                        )
                    )
                else:
                    entries.append(make_entry(source_id, first, lines[index], values, notes))
                if restart is not None:
                    break
        except csv.Error as exc:
            stopped_at = body_start + 1 + previous_end
            diagnostics.append(
                Diagnostic(DiagnosticCode.BAD_CSV, f"CSV could not be read past here: {exc}",
                           stopped_at, Severity.WARNING)
            )  # fmt: skip
            for covered in range(stopped_at - 1, len(lines)):
                if kinds[covered] == LineKind.PROSE:
                    kinds[covered] = LineKind.SKIPPED
        body_start = restart
    progress.step(len(lines) - start - 1 - stepped)
    return ParseResult(source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics))


def _runaway(continued: list[str], delimiter: str, columns: int) -> bool:
    """Whether the lines a quoted cell ran on into look like rows of their own (as many
    delimiters as the header, no quote that could close the cell): a quote left open,
    not a note of several lines."""
    if not continued or columns < 2:
        return False
    rows = sum(1 for line in continued if line.count(delimiter) >= columns - 1 and '"' not in line)
    return rows > 0 and rows * 2 >= len(continued)
