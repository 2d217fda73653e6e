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
    body = io.StringIO("\n".join(lines[start + 1 :]))
    reader = csv.reader(body, delimiter=delimiter, strict=False)
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
    previous_end = 0
    try:
        for cells in reader:
            first = start + 2 + previous_end  # 1-based line where this record began
            previous_end = reader.line_num
            if previous_end - stepped >= LINES_PER_STEP:
                progress.step(previous_end - stepped)
                stepped = previous_end
            index = first - 1
            if index >= len(lines) or not any(c.strip() for c in cells):
                continue
            for covered in range(index, min(start + 1 + reader.line_num, len(lines))):
                kinds[covered] = LineKind.RECORD
            notes: list[Diagnostic] = []
            if len(cells) != len(columns):
                notes.append(
                    Diagnostic(
                        DiagnosticCode.RAGGED_ROW,
                        f"row has {len(cells)} cells, the header {len(columns)}",
                        first,
                        Severity.WARNING,
                    )
                )
            values = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
            if not values.get("name", "").strip():
                for covered in range(index, min(start + 1 + reader.line_num, len(lines))):
                    kinds[covered] = LineKind.SKIPPED
                diagnostics.append(
                    Diagnostic(
                        DiagnosticCode.NO_NAME, "row without a name", first, Severity.WARNING
                    )
                )
                continue
            entries.append(make_entry(source_id, first, lines[index], values, notes))
    except csv.Error as exc:
        stopped_at = start + 2 + previous_end
        diagnostics.append(
            Diagnostic(DiagnosticCode.BAD_CSV, f"CSV could not be read past here: {exc}",
                       stopped_at, Severity.WARNING)
        )  # fmt: skip
        for covered in range(stopped_at - 1, len(lines)):
            if kinds[covered] == LineKind.PROSE:
                kinds[covered] = LineKind.SKIPPED
    progress.step(len(lines) - start - 1 - stepped)
    return ParseResult(source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics))
