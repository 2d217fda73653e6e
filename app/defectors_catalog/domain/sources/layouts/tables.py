"""Reading rows of cells into entries: shared by every tabular layout.

A reader (CSV, spreadsheet, web page, wikitext, JSON) turns its file into `Row`s, each
with the line (or sheet row) it starts on and a raw text; `read_table` finds the header
row and maps its columns to fields as a person would (header words in several
languages, `headers.toml`), or, without a header, tells the columns by their content:

    George Balanchine\tChoreographer\tRussia\t1924\tDefected during a tour of Germany

is name, profession, birthplace, year, notes because the fourth column holds years, the
third known places, the first two or three capitalised words, the last the longest text.
Columns it cannot map stay in each row's raw line and are named in a diagnostic.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, islice
from operator import not_
from typing import NamedTuple

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.folding import fold_many
from defectors_catalog.domain.model import (
    ColumnChoice,
    Diagnostic,
    LineKind,
    Severity,
    SourceEntry,
)
from defectors_catalog.domain.sources.layouts.common import (
    ParseContext,
    is_year,
    make_entries,
)
from defectors_catalog.domain.sources.layouts.headers import CONTAINED, FIELDS, IGNORE
from defectors_catalog.domain.text import fold

# A header row comes before the rows, so only the first few are looked at.
HEADER_WITHIN = 20
_YEAR_IN = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_WORD = re.compile(r"[^\W\d_]{2,}")
_NAME_WORD = re.compile(r"^(?:[^\W\d_]\.|[^\W\d_][\w'\u2019.-]*)$")
_POSITION = re.compile(r"^(?:column|col|#)?\s*(\d+)$")


class Row(NamedTuple):
    """One row of a table: where it starts, its cells, and the raw text shown for it.

    A named tuple rather than a frozen dataclass: a million-row list makes a million of
    them, and a tuple is made in C (a frozen dataclass sets each field in Python)."""

    line: int  # 1-based line of the file (a sheet's row number for a workbook)
    cells: tuple[str, ...]
    raw: str
    end: int = 0  # the last line it covers when it spans several; 0: just `line`
    notes: tuple[Diagnostic, ...] = ()  # what the reader noticed about this row

    @property
    def lines(self) -> range:
        return range(self.line, max(self.line, self.end) + 1)

    @property
    def blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass
class TableRead:
    """What `read_table` made of some rows: entries, line kinds by line, notes, columns."""

    entries: list[SourceEntry] = field(default_factory=list)
    kinds: dict[int, LineKind] = field(default_factory=dict)
    # The kind of every line of the rows that `kinds` leaves out: `read_columns` names
    # only the lines that are not records (a million-row list: a few, not a million).
    others: LineKind | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    columns: tuple[ColumnChoice, ...] = ()
    mapped: bool = False  # a name and a year column were found
    reason: str = ""  # why not, when not


def looks_like_record(text: str) -> bool:
    """Holds a year and at least two words: a line that may be a person's row."""
    return _YEAR_IN.search(text) is not None and len(_WORD.findall(text)) >= 2


def read_table(
    rows: Sequence[Row],
    source_id: str,
    context: ParseContext,
    overrides: Mapping[str, str] = {},
    *,
    header: Sequence[str] | None = None,
    where: str = "",
) -> TableRead:
    """Map the columns, then read every row after the header into an entry.

    `header`: the column names when the layout knows them (a JSON file's keys);
    otherwise the header row is looked for among the first rows, and without one the
    columns are inferred from their content. `overrides` (source column -> field or
    "ignore", see ReadOptions) win over both. `where` prefixes messages ("sheet 'A': ").
    """
    out = TableRead()
    wanted = {fold(k): v for k, v in overrides.items()}
    body: Sequence[Row] = rows
    header_row: Row | None = None
    if header is None:
        at = _header_at(rows, context, wanted)
        if at is not None:
            header_row = rows[at]
            header, body = header_row.cells, rows[at + 1 :]
            for earlier in rows[:at]:
                _before_header(earlier, header_row, out, where)
        else:
            header_row = _partial_header(rows, context, wanted)
            if header_row is not None:  # 'Wer;Jahr;Foto': a header, though of no name
                header = header_row.cells
                body = rows[rows.index(header_row) + 1 :]
    if header is not None:
        columns = _map_header(header, context, wanted)
    else:
        columns = _infer(rows, context, wanted)
    columns = _drop_duplicates(columns, header_row, out, where)
    out.columns = tuple(columns)
    if not _has_name_and_year(columns):
        if header_row is not None:
            missing = " and ".join(
                f for f in ("name", "year") if f not in {c.field for c in columns}
            )
            out.reason = (
                f"its header row (line {header_row.line}) names no {missing} column: "
                + describe_columns(columns)
            )
        else:
            out.reason = (
                "none is a header naming a name and a year column, and no column of names "
                "and one of years could be told from the cells"
            )
        for row in rows:
            out.kinds.update(dict.fromkeys(row.lines, _unread_kind(row)))
        if header_row is not None:
            out.kinds.update(dict.fromkeys(header_row.lines, LineKind.HEADER))
        return out
    out.mapped = True
    if header_row is not None:
        out.kinds.update(dict.fromkeys(header_row.lines, LineKind.HEADER))
        _name_unread_columns(columns, header_row.line, out, where)
    elif header is None:
        first = body[0].line if body else None
        out.diagnostics.append(
            Diagnostic(DiagnosticCode.INFERRED_COLUMNS,
                       f"{where}no header row; columns told by their content: "
                       + "; ".join(f"{c.header} \u2192 {c.field} ({c.reason})" for c in columns),
                       first)
        )  # fmt: skip
    else:
        _name_unread_columns(columns, body[0].line if body else None, out, where)
    fields = [(c.index, c.field) for c in columns if c.field in FIELDS]
    width = len(columns)
    folded_header = [fold(cell) for cell in header] if header is not None else None
    # A repeated header starts with the header's first cell: that column is folded at
    # once (`fold_many`), the rest of a row only when its first cell matches.
    firsts = fold_many([row.cells[0] if row.cells else "" for row in body]) if folded_header else []
    kept: list[Row] = []  # the rows read into entries, in order
    notes: dict[int, list[Diagnostic]] = {}  # position in `kept` -> what to say about it
    record_lines: list[int] = []
    name_at = next((i for i, name in fields if name == "name"), len(columns))
    for number, row in enumerate(body):
        cells = row.cells
        if not any(cell.strip() for cell in cells):
            out.kinds.update(dict.fromkeys(row.lines, LineKind.BLANK))
            continue
        if (
            folded_header
            and len(cells) == len(folded_header)
            and firsts[number] == folded_header[0]
            and [fold(c) for c in cells] == folded_header
        ):
            out.kinds.update(dict.fromkeys(row.lines, LineKind.HEADER))  # repeated header
            continue
        if name_at >= len(cells) or not cells[name_at].strip():
            out.kinds.update(dict.fromkeys(row.lines, LineKind.SKIPPED))
            out.diagnostics.append(
                Diagnostic(DiagnosticCode.NO_NAME, f"{where}row without a name", row.line,
                           Severity.WARNING)
            )  # fmt: skip
            continue
        ragged = header is not None and len(cells) != width
        if row.notes or ragged:
            said = notes[len(kept)] = list(row.notes)
            if ragged:
                said.append(
                    Diagnostic(
                        DiagnosticCode.RAGGED_ROW,
                        f"{where}row has {len(cells)} cells, the header {width}",
                        row.line,
                        Severity.WARNING,
                    )
                )
        if row.end > row.line:
            record_lines.extend(row.lines)
        else:
            record_lines.append(row.line)
        kept.append(row)
    out.kinds.update(dict.fromkeys(record_lines, LineKind.RECORD))
    cells_of = [row.cells for row in kept]
    values = {name: [c[i] if i < len(c) else "" for c in cells_of] for i, name in fields}
    out.entries = make_entries(
        source_id, [row.line for row in kept], [row.raw for row in kept], values, notes
    )
    return out


@dataclass
class Columns:
    """Rows of one line each, held column by column rather than as a `Row` each.

    A million-row list made a million tuples of cells and a million `Row`s only to take
    them apart again into the columns `make_entries` wants. `cells` holds one list per
    column of the first row's width; a row of another width has its own cells in `odd`
    (and "" where it is short, or its first cells, in `cells`).
    """

    first: int  # 1-based line of the first row; row i is on line first + i
    cells: list[list[str]]
    raws: list[str]  # each row's line
    odd: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.raws)

    def row_cells(self, at: int) -> tuple[str, ...]:
        if at in self.odd:
            return self.odd[at]
        return tuple(column[at] for column in self.cells)

    def rows(self, stop: int | None = None) -> list[Row]:
        """The rows as `Row`s (all, or the first `stop`), as a reader of rows makes them."""
        count = len(self) if stop is None else min(stop, len(self))
        cells = list(zip(*(column[:count] for column in self.cells), strict=True))
        if not self.cells:
            cells = [()] * count
        for at, own in self.odd.items():
            if at < count:
                cells[at] = own
        numbers = range(self.first, self.first + count)
        return list(map(Row, numbers, cells, self.raws[:count], numbers))


def read_columns(
    table: Columns,
    source_id: str,
    context: ParseContext,
    overrides: Mapping[str, str] = {},
) -> TableRead | None:
    """`read_table(table.rows(), ...)`, reading the rows after the header column by column;
    None when the table is not one this reads (no header naming a name and a year
    column among its first rows, or one of another width than the first row): then
    `read_table` reads its rows.

    Exactly `read_table`'s result, but for its `kinds`, which leave out the records'
    lines (`others`). Only the rows that may not be records are looked at one by one: a
    blank row has no name; a repeated header has the header's year cell, once folded.
    """
    wanted = {fold(k): v for k, v in overrides.items()}
    head = table.rows(HEADER_WITHIN)
    at = _header_at(head, context, wanted)
    if at is None or at in table.odd:
        return None
    header_row = head[at]
    header = header_row.cells
    out = TableRead(others=LineKind.RECORD)
    for earlier in head[:at]:
        _before_header(earlier, header_row, out, "")
    columns = _drop_duplicates(_map_header(header, context, wanted), header_row, out, "")
    out.columns = tuple(columns)
    out.mapped = True
    out.kinds.update(dict.fromkeys(header_row.lines, LineKind.HEADER))
    _name_unread_columns(columns, header_row.line, out, "")
    fields = [(c.index, c.field) for c in columns if c.field in FIELDS]
    name_at = next(i for i, name in fields if name == "name")
    year_at = next(i for i, name in fields if name == "year")
    folded_header = [fold(cell) for cell in header]
    begin, end = at + 1, len(table)
    names = table.cells[name_at]
    unnamed = compress(range(begin, end), map(not_, map(str.strip, islice(names, begin, None))))
    years = table.cells[year_at]
    distinct = list(dict.fromkeys(islice(years, begin, None)))
    alike = {y for y, f in zip(distinct, fold_many(distinct), strict=True)
             if f == folded_header[year_at]}  # fmt: skip
    repeated = compress(range(begin, end), map(alike.__contains__, islice(years, begin, None)))
    dropped: list[int] = []  # rows read into no entry
    for number in sorted({*unnamed, *repeated}):
        cells = table.row_cells(number)
        line = table.first + number
        if not any(cell.strip() for cell in cells):
            out.kinds[line] = LineKind.BLANK
        elif len(cells) == len(folded_header) and [fold(c) for c in cells] == folded_header:
            out.kinds[line] = LineKind.HEADER  # repeated header
        elif name_at >= len(cells) or not cells[name_at].strip():
            out.kinds[line] = LineKind.SKIPPED
            out.diagnostics.append(
                Diagnostic(DiagnosticCode.NO_NAME, "row without a name", line, Severity.WARNING)
            )
        else:
            continue  # the header's year, but a row of its own
        dropped.append(number)
    notes: dict[int, list[Diagnostic]] = {}
    width = len(columns)
    left_out = set(dropped)
    for number in sorted(table.odd):
        if number >= begin and number not in left_out:
            kept_at = number - begin - bisect_left(dropped, number)
            notes[kept_at] = [
                Diagnostic(
                    DiagnosticCode.RAGGED_ROW,
                    f"row has {len(table.odd[number])} cells, the header {width}",
                    table.first + number,
                    Severity.WARNING,
                )
            ]
    lines: Sequence[int] = range(table.first + begin, table.first + end)
    raws: Sequence[str] = table.raws[begin:]
    values = {name: table.cells[i][begin:] for i, name in fields}
    if dropped:
        keep = [True] * (end - begin)
        for number in dropped:
            keep[number - begin] = False
        lines, raws = list(compress(lines, keep)), list(compress(raws, keep))
        values = {name: list(compress(column, keep)) for name, column in values.items()}
    out.entries = make_entries(source_id, lines, raws, values, notes)
    return out


def _header_at(rows: Sequence[Row], context: ParseContext, wanted: Mapping[str, str]) -> int | None:
    """Where the header row is among the first rows: the first naming a name and a year."""
    for i, row in enumerate(rows[:HEADER_WITHIN]):
        if not row.blank and _has_name_and_year(_map_header(row.cells, context, wanted)):
            return i
    return None


def _partial_header(
    rows: Sequence[Row], context: ParseContext, wanted: Mapping[str, str]
) -> Row | None:
    """The first row, when it holds no year and at least one known header word."""
    first = next((row for row in rows[:HEADER_WITHIN] if not row.blank), None)
    if first is None:
        return None
    columns = _map_header(first.cells, context, wanted)
    known = [c for c in columns if c.field in FIELDS and c.score >= 0.9]
    return first if known else None


def _unread_kind(row: Row) -> LineKind:
    return LineKind.BLANK if row.blank else LineKind.PROSE


def _before_header(row: Row, header: Row, out: TableRead, where: str) -> None:
    if row.blank:
        out.kinds.update(dict.fromkeys(row.lines, LineKind.BLANK))
    elif looks_like_record(" ".join(row.cells)):
        out.kinds.update(dict.fromkeys(row.lines, LineKind.SKIPPED))
        out.diagnostics.append(
            Diagnostic(
                DiagnosticCode.BEFORE_HEADER,
                f"{where}holds a year and words but comes before the header row "
                f"(line {header.line}); not read",
                row.line,
                Severity.WARNING,
            )
        )
    else:
        out.kinds.update(dict.fromkeys(row.lines, LineKind.PROSE))


def _override(wanted: Mapping[str, str], header: str, index: int) -> str | None:
    if not wanted:
        return None
    for key in (fold(header), str(index + 1), f"column {index + 1}"):
        if key in wanted:
            return wanted[key]
    return None


def _map_header(
    cells: Sequence[str], context: ParseContext, wanted: Mapping[str, str]
) -> list[ColumnChoice]:
    columns = []
    for index, cell in enumerate(cells):
        chosen = _override(wanted, cell, index)
        label = cell.strip() or f"column {index + 1}"
        if chosen is not None:
            columns.append(ColumnChoice(index, label, chosen, 1.0, "your choice"))
            continue
        if is_year(cell):  # a row holding a year is a row, never a header
            return []
        match = context.headers.match(cell)
        if match.field is not None and match.score >= CONTAINED:
            columns.append(ColumnChoice(index, label, match.field, match.score, match.reason))
        else:
            columns.append(ColumnChoice(index, label, IGNORE, match.score, match.reason))
    return columns


def _has_name_and_year(columns: Sequence[ColumnChoice]) -> bool:
    fields = {c.field for c in columns}
    return "name" in fields and "year" in fields


def _drop_duplicates(
    columns: list[ColumnChoice], header: Row | None, out: TableRead, where: str
) -> list[ColumnChoice]:
    seen: set[str] = set()
    kept = []
    for column in columns:
        if column.field in FIELDS and column.field in seen:
            out.diagnostics.append(
                Diagnostic(
                    DiagnosticCode.DUPLICATE_COLUMN,
                    f"{where}column '{column.header}' appears twice; the first one is used",
                    None if header is None else header.line,
                    Severity.WARNING,
                )
            )
            column = ColumnChoice(column.index, column.header, IGNORE, 0.0,
                                  f"a second {column.field} column")  # fmt: skip
        seen.add(column.field)
        kept.append(column)
    return kept


def _name_unread_columns(
    columns: Sequence[ColumnChoice], line: int | None, out: TableRead, where: str
) -> None:
    for column in columns:
        if column.field == IGNORE and column.reason != "your choice":
            out.diagnostics.append(
                Diagnostic(
                    DiagnosticCode.UNKNOWN_COLUMN,
                    f"{where}column '{column.header}' is not used ({column.reason}); its "
                    "cells stay in each row's raw line",
                    line,
                )
            )


# Inferring the columns of a table without a header row.


def _is_place(cell: str, context: ParseContext) -> bool:
    """'Ukraine, Russian Empire' counts: a known place before or after its comma."""
    if context.gazetteer.lookup(cell) is not None:
        return True
    parts = [p for p in cell.split(",") if p.strip()]
    return len(parts) > 1 and any(context.gazetteer.lookup(p) is not None for p in parts)


def _looks_like_name(cell: str) -> bool:
    """'G. M. Dimitrov', 'Alena Vrzáňová': two to six words, capitalised, no digits."""
    words = cell.split()
    if not 2 <= len(words) <= 6 or len(cell) > 60:
        return False
    if not all(_NAME_WORD.match(w) for w in words):
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 2


def _infer(
    rows: Sequence[Row], context: ParseContext, wanted: Mapping[str, str]
) -> list[ColumnChoice]:
    filled = [row for row in rows if not row.blank]
    if not filled:
        return []
    width = Counter(len(row.cells) for row in filled).most_common(1)[0][0]
    columns: list[list[str]] = [
        [row.cells[i].strip() for row in filled if i < len(row.cells) and row.cells[i].strip()]
        for i in range(width)
    ]
    chosen: dict[int, tuple[str, float, str]] = {}
    for index in range(width):
        override = _override(wanted, "", index)
        if override is not None:
            chosen[index] = (override, 1.0, "your choice")

    def best(field_name: str, test: Callable[[str], bool], least: float, why: str) -> None:
        if field_name in {f for f, _, _ in chosen.values()}:
            return
        scored = []
        for index, cells in enumerate(columns):
            if index in chosen or not cells:
                continue
            hits = sum(1 for cell in cells if test(cell))
            scored.append((hits / len(cells), -index, index, hits, len(cells)))
        if not scored:
            return
        fraction, _, index, hits, total = max(scored)
        if fraction >= least:
            chosen[index] = (field_name, round(fraction, 2), f"{hits} of {total} cells {why}")

    best("year", is_year, 0.6, "are years")
    best("birthplace", lambda c: _is_place(c, context), 0.5, "are known places")
    best("name", _looks_like_name, 0.5, "look like names (capitalised words)")
    free = [i for i in range(width) if i not in chosen and columns[i]]
    if free and "notes" not in {f for f, _, _ in chosen.values()}:
        longest = max(free, key=lambda i: sum(map(len, columns[i])) / len(columns[i]))
        mean = sum(map(len, columns[longest])) / len(columns[longest])
        if mean >= 15:
            chosen[longest] = ("notes", 0.6, f"the longest text ({mean:.0f} characters on average)")
            free.remove(longest)
    names = [i for i, (f, _, _) in chosen.items() if f == "name"]
    if free and names and "profession" not in {f for f, _, _ in chosen.values()}:
        after_name = [i for i in free if i > names[0]]
        if after_name:
            index = after_name[0]
            chosen[index] = ("profession", 0.5, "short text after the name")
    return [
        ColumnChoice(i, f"column {i + 1}", *chosen.get(i, (IGNORE, 0.0, "not told by its content")))
        for i in range(width)
    ]


def describe_columns(columns: Sequence[ColumnChoice]) -> str:
    """'Name → name, Beruf → profession, Anmerkungen → notes, Foto → ignore'."""
    return ", ".join(f"{c.header} \u2192 {c.field}" for c in columns)


def tables_summary(what: str, empty: str, tables: int, read: list[int], rows: int) -> str:
    """How a file of several tables was read: 'an HTML page with 3 tables; 12 rows read
    from table 2' (`what`), or `empty` when it has none."""
    if not tables:
        return empty
    counted = f"{what} with {tables} table{'s' if tables != 1 else ''}"
    if not read:
        return f"{counted}; none has a name and a year column"
    which = ", ".join(str(n) for n in read)
    return f"{counted}; {rows:,} rows read from table{'s' if len(read) > 1 else ''} {which}"
