"""A web page saved from a browser (`.html`), such as the article with its wikitable.

    <tr><td><a href="/wiki/George_Balanchine">George Balanchine</a></td>
        <td>Choreographer</td><td>Russia</td><td>1924</td>
        <td>Defected during a tour of Germany<sup class="reference">[1]</sup></td></tr>

Parsed with lxml: every table with a name and a year column is read (a long list is
often split into several), its rows at the line their `<tr>` starts on; links keep
their text, reference markers (`<sup class="reference">`) and edit links are dropped,
`rowspan`/`colspan` cells fill every row and column they cover. The raw line of a row is
its cells joined with tabs. Rows of other tables that hold a year and words are listed
as skipped.
"""

from __future__ import annotations

import re
from typing import Any

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import (
    ColumnChoice,
    Diagnostic,
    LineKind,
    ParseResult,
    Severity,
    SourceEntry,
)
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.layouts.base import (
    ReadOptions,
    SourceFile,
    text_layout,
    with_options,
)
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.layouts.grid import Cell, expand_spans, unread_rows
from defectors_catalog.domain.sources.layouts.tables import Row, read_table, tables_summary

LAYOUT = "html"
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# What a saved article holds besides the text of a cell.
_DROPPED = (
    "//sup[contains(concat(' ', normalize-space(@class), ' '), ' reference ')]"
    " | //sup[contains(@class, 'noprint')]"
    " | //span[contains(@class, 'mw-editsection')]"
    " | //span[contains(@class, 'sortkey')]"
    " | //span[@style='display:none'] | //script | //style | //noscript"
)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "caption"}
_PROSE = {"p", "li", "dd", "dt", "blockquote", "pre"}


def sniff(file: SourceFile) -> float:
    head = "\n".join(file.head_lines[:400]).lower()
    page = "<html" in head or "<!doctype html" in head or "<body" in head
    if "<table" in head and (page or file.suffix in {"html", "htm", "xhtml"}):
        return 0.95
    if page:
        return 0.7
    return 0.0


def _text(element: Any) -> str:
    return _SPACES.sub(" ", element.text_content()).strip()


def _span(element: Any, name: str) -> int:
    digits = re.sub(r"\D", "", element.get(name, "") or "")
    return int(digits[:4] or 1)


def _document(text: str) -> Any | None:
    import lxml.etree
    import lxml.html

    # A declaration of its own encoding makes lxml refuse an already decoded page, and
    # it takes no control characters (a NUL or \x1f in a damaged page): both go, and
    # line ends stay, so line numbers are the file's.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    text = _CONTROL.sub(" ", text)
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def _parse(
    lines: list[str],
    source_id: str,
    context: ParseContext,
    progress: Progress,
    options: ReadOptions,
) -> ParseResult:
    kinds = [LineKind.BLANK if not line.strip() else LineKind.MARKUP for line in lines]
    diagnostics: list[Diagnostic] = []
    document = _document("\n".join(lines))
    progress.step(len(lines))
    if document is None:
        return ParseResult(source_id, LAYOUT, (), tuple(kinds), (), summary="an empty page")
    for dropped in document.xpath(_DROPPED):
        dropped.drop_tree()
    for br in document.iter("br"):
        br.tail = " " + (br.tail or "")
    for element in document.iter(*_HEADINGS, *_PROSE):
        line = element.sourceline
        if line and 0 < line <= len(kinds) and _text(element):
            kinds[line - 1] = LineKind.HEADING if element.tag in _HEADINGS else LineKind.PROSE

    tables = [t for t in document.iter("table") if not t.xpath("ancestor::table")]
    wanted = options.sheet.strip().casefold()
    entries: list[SourceEntry] = []
    columns: tuple[ColumnChoice, ...] = ()
    read: list[int] = []
    for number, table in enumerate(tables, 1):
        if wanted and wanted != f"table {number}":
            continue
        trs = [tr for tr in table.iter("tr") if tr.xpath("ancestor::table[1]")[0] is table]
        cells = [
            [Cell(_text(c), _span(c, "rowspan"), _span(c, "colspan"))
             for c in tr if c.tag in ("td", "th")]
            for tr in trs
        ]  # fmt: skip
        rows = []
        for tr, row_cells in zip(trs, expand_spans(cells), strict=True):
            first = tr.sourceline or 1
            last = max((e.sourceline or first) for e in tr.iter())
            rows.append(Row(first, tuple(row_cells), "\t".join(row_cells), last))
        where = f"table {number}: " if len(tables) > 1 else ""
        result = read_table(rows, source_id, context, options.column_map, where=where)
        if not result.mapped:
            unread_rows(rows, kinds, diagnostics, f"table {number}, which has no name and "
                        "year columns")  # fmt: skip
            continue
        read.append(number)
        for line, kind in result.kinds.items():
            if 0 < line <= len(kinds):
                kinds[line - 1] = kind
        diagnostics.extend(result.diagnostics)
        entries.extend(result.entries)
        columns = columns or result.columns
    if wanted and not any(f"table {n}" == wanted for n in range(1, len(tables) + 1)):
        diagnostics.append(
            Diagnostic(DiagnosticCode.NO_TABLE,
                       f"there is no {options.sheet!r}; the page has {len(tables)} tables",
                       None, Severity.WARNING)
        )  # fmt: skip
    return ParseResult(
        source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics),
        summary=_summary(len(tables), read, len(entries)), columns=columns,
        parts=tuple(f"table {n}" for n in range(1, len(tables) + 1)), part=options.sheet,
    )  # fmt: skip


def _summary(tables: int, read: list[int], rows: int) -> str:
    return tables_summary("an HTML page", "an HTML page with no table", tables, read, rows)


# The reader with no options given (the layout's `read`).
parse_html = with_options(_parse)(ReadOptions())

HTML_PAGE = text_layout(
    LAYOUT,
    "Web page saved from a browser (HTML tables)",
    ("html", "htm", "xhtml"),
    sniff,
    parse_html,
    takes_columns=True,
    parts_name="table",
    options_parser=with_options(_parse),
)
