"""CSV and TSV files, with any delimiter and any header words, or no header row at all.

`Name;Beruf;Geburtsort;Jahr;Anmerkungen`, `Full name,Occupation,Country of birth,Year
of defection`, or rows copied from a browser's table with tabs between the cells and
no header: the delimiter is the header line's, or the one csv.Sniffer finds; the
columns are mapped by `tables.read_table`. Quoted cells may hold the delimiter; a
quoted cell spanning lines is read whole and credited to its first line.
"""

from __future__ import annotations

import csv
import itertools
import operator
from collections import Counter
from itertools import repeat

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.layouts.base import (
    ReadOptions,
    SourceFile,
    text_layout,
    with_options,
)
from defectors_catalog.domain.sources.layouts.common import (
    LINES_PER_STEP,
    ParseContext,
    column_for_header,
    is_year,
    prose_kind,
)
from defectors_catalog.domain.sources.layouts.tables import (
    Columns,
    Row,
    TableRead,
    read_columns,
    read_table,
)

LAYOUT = "delimited"
DELIMITERS = (",", ";", "\t")
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAMPLE_LINES = 200


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


def sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter csv.Sniffer finds in the first lines, or the one every line uses
    the same number of times; None when no delimiter splits the lines alike."""
    sample = [line for line in lines[:_SAMPLE_LINES] if line.strip()]
    if len(sample) < 2:
        return None
    try:
        found = csv.Sniffer().sniff("\n".join(sample), delimiters="".join(DELIMITERS))
    except csv.Error:
        found = None
    if found is not None and found.delimiter in DELIMITERS:
        return found.delimiter
    steady = []
    for delimiter in DELIMITERS:
        counts = Counter(line.count(delimiter) for line in sample)
        count, lines_alike = counts.most_common(1)[0]
        if count >= 1:
            steady.append((lines_alike, count, delimiter))
    return max(steady)[2] if steady else None


def sniff(file: SourceFile) -> float:
    """0.8 for a header line of known words; 0.65 for a steady table of rows holding
    years without one (a browser copy); 0.5 for any steady table in a .csv; else 0."""
    lines = file.head_lines
    if any(header_delimiter(line) for line in lines[:50]):
        return 0.8
    delimiter = sniff_delimiter(lines)
    if delimiter is None:
        return 0.0
    sample = [line for line in lines[:_SAMPLE_LINES] if line.strip()]
    rows = list(csv.reader(sample, delimiter=delimiter))
    width, alike = Counter(len(row) for row in rows).most_common(1)[0]
    if width < 2 or alike < 0.7 * len(rows):
        return 0.0
    with_year = sum(1 for row in rows if any(is_year(cell) for cell in row))
    if width >= 3 and with_year >= 0.5 * len(rows):
        return 0.65
    # Cells split alike in a file named .csv: a table, even of unknown headers.
    return 0.5 if file.suffix in {"csv", "tsv", "tab"} else 0.0


def _parse(
    lines: list[str],
    source_id: str,
    context: ParseContext,
    progress: Progress,
    options: ReadOptions,
) -> ParseResult:
    diagnostics: list[Diagnostic] = []
    start = next((i for i, line in enumerate(lines[:50]) if header_delimiter(line)), None)
    delimiter = header_delimiter(lines[start]) if start is not None else sniff_delimiter(lines)
    if start is None:
        start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    rows: list[Row] = []
    stepped = start
    progress.step(start)
    separator = delimiter or ","
    width = 0  # cells in the first row (the header, or the first row of a header-less file)
    body: int | None = start  # 0-based line the reader starts at; again after a runaway quote
    single, read = _single_line_columns(lines, start, separator, progress)
    stepped += read  # reported already: the row-by-row reader reports only past them
    table: TableRead | None = None
    if single is not None:
        body = None
        table = read_columns(single, source_id, context, options.column_map)
        if table is None:
            rows = single.rows()
    if table is not None and table.others is not None:
        # Every line from `start` on is a row; `table.kinds` names those not records.
        kinds = [*map(prose_kind, lines[:start]), *[table.others] * (len(lines) - start)]
    else:
        kinds = list(map(prose_kind, lines))
    while body is not None:
        restart: int | None = None
        # The lines with their ends, one at a time: as one joined string in a StringIO
        # they were held twice more (the StringIO's copy at 4 bytes a character).
        rest = (line + "\n" for line in itertools.islice(lines, body, None))
        reader = csv.reader(rest, delimiter=separator, strict=False)
        previous_end = 0
        try:
            for cells in reader:
                first = body + 1 + previous_end  # 1-based line where this record began
                previous_end = reader.line_num
                last = body + previous_end
                if last - stepped >= LINES_PER_STEP:
                    progress.step(last - stepped)
                    stepped = last
                if first > len(lines):
                    continue
                width = width or len(cells)
                notes: tuple[Diagnostic, ...] = ()
                if last > first and _runaway(lines[first:last], separator, width):
                    # 'Anna,1956,"never closed' then 100,000 rows: the quote would swallow
                    # them all. The row is read on its own and reading goes on after it.
                    cells = next(csv.reader([lines[first - 1]], delimiter=separator,
                                            strict=False))  # fmt: skip
                    last = restart = first
                    notes = (Diagnostic(
                        DiagnosticCode.UNCLOSED_QUOTE,
                        "a quote opened in this row is never closed; the row was read on "
                        "its own and the lines after it as rows", first, Severity.WARNING,
                    ),)  # fmt: skip
                rows.append(
                    Row(first, tuple(cells), lines[first - 1], min(last, len(lines)), notes)
                )
                if restart is not None:
                    break
        except csv.Error as exc:
            stopped_at = body + 1 + previous_end
            diagnostics.append(
                Diagnostic(DiagnosticCode.BAD_CSV, f"CSV could not be read past here: {exc}",
                           stopped_at, Severity.WARNING)
            )  # fmt: skip
            for covered in range(stopped_at - 1, len(lines)):
                if kinds[covered] == LineKind.PROSE:
                    kinds[covered] = LineKind.SKIPPED
        body = restart
    progress.step(max(0, len(lines) - stepped))
    if table is None:
        table = read_table(rows, source_id, context, options.column_map)
    for line, kind in table.kinds.items():
        kinds[line - 1] = kind
    diagnostics.extend(table.diagnostics)
    separated = f"{_NAMES.get(delimiter or ',', 'comma')}-separated"
    if not table.mapped:
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.NO_HEADER,
                "no header row naming a Name/Defector and a Year column was found, and the "
                "columns' content does not tell them either",
                None,
                Severity.WARNING,
            )
        )
        summary = (
            f"a {separated} file of {len(rows):,} rows; {table.reason}"
            if rows
            else ("an empty file")
        )
    else:
        summary = f"a {separated} file: {len(table.entries):,} rows read"
    return ParseResult(
        source_id,
        LAYOUT,
        tuple(table.entries),
        tuple(kinds),
        tuple(diagnostics),
        summary=summary,
        columns=table.columns,
    )


def _single_line_columns(
    lines: list[str], start: int, delimiter: str, progress: Progress
) -> tuple[Columns | None, int]:
    """The rows from line `start` on, column by column, when every row is one line, and
    the lines reported to `progress`; no rows when some quoted cell spans lines or the
    CSV cannot be read (the row-by-row reader then places each row, mends a runaway
    quote and says where reading stopped).

    A million-row list was read a row at a time in Python for the few rows that need it.
    One reader runs over all the lines: while it has read as many lines as rows, each
    row is its own line. Progress is stepped every LINES_PER_STEP rows, as the
    row-by-row reader steps it, so a cancel stops it as soon.
    """
    rest = lines[start:]
    # The same lines with their ends as the row-by-row reader reads, joined in C.
    ended = map(operator.add, rest, repeat("\n"))
    reader = csv.reader(ended, delimiter=delimiter, strict=False)
    columns: list[list[str]] = []
    pools: list[dict[str, str] | None] = []
    odd: dict[int, tuple[str, ...]] = {}
    done = 0
    try:
        while chunk := list(itertools.islice(reader, LINES_PER_STEP)):
            if reader.line_num != done + len(chunk):
                return None, done
            if not done:
                columns = [[] for _ in chunk[0]]
                pools = [{} for _ in chunk[0]]
            width = len(columns)
            if min(map(len, chunk)) != width or max(map(len, chunk)) != width:
                for at, cells in enumerate(chunk):
                    if len(cells) != width:
                        odd[done + at] = tuple(cells)
                        chunk[at] = [*cells[:width], *[""] * (width - len(cells))]
            # The chunk's lists taken apart into its columns in C, then let go. A column
            # of few values (professions, places, years) keeps one string of each, not a
            # million copies; a column of names stops pooling once it proves distinct.
            parts = zip(columns, zip(*chunk, strict=True), strict=True)
            for number, (column, values) in enumerate(parts):
                pool = pools[number]
                column.extend(values if pool is None else map(pool.setdefault, values, values))
                if pool is not None and done == _POOL_TRIAL and 2 * len(pool) > len(column):
                    pools[number] = None
            done += len(chunk)
            progress.step(len(chunk))
    except csv.Error:
        return None, done
    return Columns(start + 1, columns, rest, odd), done


# Rows read before a column is judged too varied to pool its values.
_POOL_TRIAL = 16 * LINES_PER_STEP


def _runaway(continued: list[str], delimiter: str, columns: int) -> bool:
    """Whether the lines a quoted cell ran on into look like rows of their own (as many
    delimiters as the first row, no quote that could close the cell): a quote left open,
    not a note of several lines."""
    if not continued or columns < 2:
        return False
    rows = sum(1 for line in continued if line.count(delimiter) >= columns - 1 and '"' not in line)
    return rows > 0 and rows * 2 >= len(continued)


# The reader with no options given (the layout's `read`).
parse_delimited = with_options(_parse)(ReadOptions())

DELIMITED = text_layout(
    LAYOUT,
    "CSV / TSV (any delimiter, header words in several languages, or no header)",
    ("csv", "tsv", "tab", "txt"),
    sniff,
    parse_delimited,
    takes_columns=True,
    options_parser=with_options(_parse),
)
