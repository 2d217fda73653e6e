"""MediaWiki wikitext: the article's source, as an old revision or a dump gives it.

    {| class="wikitable sortable"
    ! Defector !! Profession/ Prominence !! Birthplace !! Year !! Notes
    |-
    | [[George Balanchine]] || [[Choreographer]] || Russia || 1924 || Defected …<ref>…</ref>
    |-
    | Boris Bazhanov
    | Politburo secretary
    | rowspan="2" | 1928

Tables are parsed by mwparserfromhell (both row styles, cell attributes, `rowspan`),
links become their text (`[[target|text]]` -> text), `<ref>…</ref>` is removed from the
values and kept in the raw line, a template becomes its unnamed arguments
(`{{sortname|George|Balanchine}}` -> "George Balanchine", `{{flag|Russia}}` -> "Russia").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.layouts.base import (
    ReadOptions,
    SourceFile,
    text_layout,
    with_options,
)
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.layouts.grid import Cell, expand_spans, unread_rows
from defectors_catalog.domain.sources.layouts.pipe_table import heading_text
from defectors_catalog.domain.sources.layouts.tables import Row, read_table, tables_summary

LAYOUT = "wikitext"
_TABLE_LINE = re.compile(r"^\s*(\{\||\|\}|\|-|\|\+)")
_SPACES = re.compile(r"\s+")


def sniff(file: SourceFile) -> float:
    """A `{|` table start and its `|}` end: nothing else writes those."""
    lines = file.head_lines
    starts = any(line.lstrip().startswith("{|") for line in lines)
    ends = any(line.lstrip().startswith("|}") for line in lines)
    if starts and ends:
        return 0.95
    return 0.5 if starts and file.suffix in {"wiki", "wikitext", "mediawiki"} else 0.0


def _is(node: Any, *tags: str) -> bool:
    from mwparserfromhell.nodes import Tag

    return isinstance(node, Tag) and str(node.tag).strip().lower() in tags


def _value(contents: Any) -> str:
    """A cell's text: references dropped, links and templates as their words."""
    import mwparserfromhell
    from mwparserfromhell.nodes import Comment, Tag

    code = mwparserfromhell.parse(str(contents))
    dropped: list[Any] = [
        *code.filter(recursive=True, forcetype=Comment),
        *code.filter(recursive=True, forcetype=Tag, matches=lambda n: _is(n, "ref")),
    ]
    for node in dropped:
        try:
            code.remove(node)
        except ValueError:  # inside a node removed already
            continue
    for template in code.filter_templates(recursive=False):
        words = [str(p.value).strip() for p in template.params if not p.showkey]
        code.replace(template, " ".join(w for w in words if w))
    return _SPACES.sub(" ", code.strip_code(normalize=True, collapse=True)).strip()


def _span(cell: Any, name: str) -> int:
    if not cell.has(name):
        return 1
    digits = re.sub(r"\D", "", str(cell.get(name).value))
    return max(1, min(int(digits or 1), 1000))


@dataclass(frozen=True)
class _SourceRow:
    first: int
    last: int
    raw: str
    cells: list[Cell]


def _add_row(text: str, cursor: int, source: str, cells: list[Any], rows: list[_SourceRow]) -> int:
    """Append the row written as `source` (found in `text` from `cursor` on, since rows
    come in order) and return where the search for the next one starts."""
    at = text.find(source, cursor)
    at = cursor if at < 0 else at
    first = text.count("\n", 0, at) + 1
    body = source.rstrip("\n")
    row_lines = [ln.strip() for ln in body.split("\n")]
    if row_lines and row_lines[0].startswith("|-"):
        row_lines = row_lines[1:]  # the row starts on its first cell's line
        first += 1
    grid = [Cell(_value(c.contents), _span(c, "rowspan"), _span(c, "colspan")) for c in cells]
    rows.append(_SourceRow(first, first + len(row_lines) - 1, " ".join(row_lines), grid))
    return at + len(source)


def _parse(
    lines: list[str],
    source_id: str,
    context: ParseContext,
    progress: Progress,
    options: ReadOptions,
) -> ParseResult:
    import mwparserfromhell

    text = "\n".join(lines)
    kinds: list[LineKind] = []
    for line in lines:
        if not line.strip():
            kinds.append(LineKind.BLANK)
        elif _TABLE_LINE.match(line):
            kinds.append(LineKind.SEPARATOR)
        elif heading_text(line) is not None:
            kinds.append(LineKind.HEADING)
        else:
            kinds.append(LineKind.PROSE)
    diagnostics: list[Diagnostic] = []
    code = mwparserfromhell.parse(text)
    tables = code.filter_tags(recursive=True, matches=lambda n: _is(n, "table"))
    cursor = 0
    grids: list[list[_SourceRow]] = []
    for table in tables:
        rows: list[_SourceRow] = []
        pending: list[Any] = []  # cells before the first `|-`: the implicit first row
        nodes: list[Any] = list(table.contents.nodes)
        for node in [*nodes, None]:
            if node is not None and _is(node, "td", "th"):
                if not str(node).lstrip().startswith("|+"):  # a caption, not a cell
                    pending.append(node)
                continue
            if pending:
                cursor = _add_row(text, cursor, "".join(str(c) for c in pending), pending, rows)
                pending = []
            if node is not None and _is(node, "tr"):
                cells = node.contents.filter_tags(
                    recursive=False, matches=lambda n: _is(n, "td", "th")
                )
                cursor = _add_row(text, cursor, str(node), cells, rows)
        grids.append(rows)
    progress.step(len(lines))

    wanted = options.sheet.strip().casefold()
    entries = []
    columns: tuple[Any, ...] = ()
    read = []
    for number, rows in enumerate(grids, 1):
        if wanted and wanted != f"table {number}":
            continue
        expanded = expand_spans([row.cells for row in rows])
        table_rows = [
            Row(row.first, tuple(cells), row.raw, row.last)
            for row, cells in zip(rows, expanded, strict=True)
        ]
        where = f"table {number}: " if len(grids) > 1 else ""
        result = read_table(table_rows, source_id, context, options.column_map, where=where)
        if not result.mapped:
            unread_rows(table_rows, kinds, diagnostics, f"table {number}, which has no name "
                        "and year columns")  # fmt: skip
            continue
        read.append(number)
        for at_line, kind in result.kinds.items():
            kinds[at_line - 1] = kind
        diagnostics.extend(result.diagnostics)
        entries.extend(result.entries)
        columns = columns or result.columns
    if wanted and not any(f"table {n}" == wanted for n in range(1, len(grids) + 1)):
        diagnostics.append(
            Diagnostic(DiagnosticCode.NO_TABLE,
                       f"there is no {options.sheet!r}; the text has {len(grids)} tables",
                       None, Severity.WARNING)
        )  # fmt: skip
    summary = _summary(len(grids), read, len(entries))
    return ParseResult(
        source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics),
        summary=summary, columns=columns,
        parts=tuple(f"table {n}" for n in range(1, len(grids) + 1)),
        part=options.sheet,
    )  # fmt: skip


def _summary(tables: int, read: list[int], rows: int) -> str:
    return tables_summary("wikitext", "wikitext with no table ({| … |})", tables, read, rows)


# The reader with no options given (the layout's `read`).
parse_wikitext = with_options(_parse)(ReadOptions())

WIKITEXT = text_layout(
    LAYOUT,
    'MediaWiki wikitext ({| class="wikitable" … |})',
    ("wiki", "wikitext", "mediawiki", "txt"),
    sniff,
    parse_wikitext,
    takes_columns=True,
    parts_name="table",
    options_parser=with_options(_parse),
)
