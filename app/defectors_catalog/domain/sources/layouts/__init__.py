"""The layout registry: every way a list can be laid out in a file, declared once.

Each layout module declares one `Layout` (id, label, extensions, sniff, reader); the
manifest validates layout ids against `LAYOUTS`, the Add dialog builds its file filter
and layout picker from it, and `read_source` reads any file through it. The libraries
for spreadsheets, web pages and wikitext are imported by their readers, only when such
a file is read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.model import Diagnostic, ParseResult, Severity
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import SplitVocabulary
from defectors_catalog.domain.sources.layouts.base import (
    Layout,
    LineParser,
    ReadOptions,
    SourceFile,
    parse_text_lines,
    text_layout,
)
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.layouts.delimited import DELIMITED
from defectors_catalog.domain.sources.layouts.headers import HeaderWords, default_header_words
from defectors_catalog.domain.sources.layouts.html_page import HTML_PAGE
from defectors_catalog.domain.sources.layouts.json_rows import JSON_ROWS
from defectors_catalog.domain.sources.layouts.pipe_table import PIPE_TABLE
from defectors_catalog.domain.sources.layouts.plain_rows import parse_plain_rows
from defectors_catalog.domain.sources.layouts.spreadsheet import SPREADSHEET
from defectors_catalog.domain.sources.layouts.wikitext import WIKITEXT
from defectors_catalog.domain.sources.options import DEFAULT_OPTIONS
from defectors_catalog.domain.sources.reading import read_source_bytes

AUTO = "auto"

# plain_rows.py holds only its parser; it is the fallback every other layout must
# out-sniff, and it reads each line twice (once to see how the page writes professions).
PLAIN_ROWS = text_layout(
    "plain-rows",
    "Plain-text rows (Name Profession Country Year Notes)",
    ("txt",),
    lambda file: 0.1,
    parse_plain_rows,
    passes=2,
)

# In the order the Add dialog lists them; a tie in sniffing goes to the earlier one.
LAYOUTS: tuple[Layout, ...] = (
    PIPE_TABLE,
    PLAIN_ROWS,
    DELIMITED,
    SPREADSHEET,
    HTML_PAGE,
    WIKITEXT,
    JSON_ROWS,
)
BY_ID = {layout.id: layout for layout in LAYOUTS}
LAYOUT_IDS = (AUTO, *BY_ID)
LAYOUT_NAMES = {layout.id: layout.label for layout in LAYOUTS}
# The text layouts' parsers of decoded lines.
PARSERS: dict[str, LineParser] = {
    layout.id: layout.parse_lines for layout in LAYOUTS if layout.parse_lines is not None
}


def make_context(
    gazetteer: Gazetteer, vocabulary: SplitVocabulary, headers: HeaderWords | None = None
) -> ParseContext:
    """Demonyms from the gazetteer ('Soviet', 'North Vietnamese') also qualify professions."""
    demonym_words = {word for d in gazetteer.demonyms for word in d.split()}
    merged = dataclasses.replace(vocabulary, qualifiers=vocabulary.qualifiers | demonym_words)
    return ParseContext(
        gazetteer=gazetteer, vocabulary=merged, headers=headers or default_header_words()
    )


def sniff(file: SourceFile) -> list[tuple[float, Layout]]:
    """Every layout with how sure it is that `file` is laid out so, surest first."""
    scored = [(layout.sniff(file), -n, layout) for n, layout in enumerate(LAYOUTS)]
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return [(score, layout) for score, _, layout in scored]


def detect(file: SourceFile) -> Layout:
    return sniff(file)[0][1]


def detect_layout(lines: list[str]) -> str:
    """The text layout of decoded lines (pipe table, CSV/TSV, JSON, … or plain rows)."""
    file = SourceFile.of_lines(lines)
    return next(layout.id for _, layout in sniff(file) if layout.parse_lines is not None)


def read_source(
    file: SourceFile,
    layout: str,
    source_id: str,
    context: ParseContext,
    options: ReadOptions = DEFAULT_OPTIONS,
    progress: Progress = NO_PROGRESS,
) -> ParseResult:
    """Read `file` in `layout` (AUTO detects it); raises SourceReadError if it cannot be
    read at all. A result without entries says why in its `summary`."""
    chosen = detect(file) if layout == AUTO else BY_ID.get(layout)
    if chosen is None:
        raise SourceReadError(f"unknown layout {layout!r}; known: {', '.join(LAYOUT_IDS)}")
    result = chosen.read(file, options, source_id, context, progress)
    if options.columns and not chosen.takes_columns:
        unused = Diagnostic(
            DiagnosticCode.UNKNOWN_COLUMN,
            f"the column mapping given is not used: {chosen.label} maps its columns by "
            "their header words only",
            None,
            Severity.WARNING,
        )
        result = dataclasses.replace(result, diagnostics=(*result.diagnostics, unused))
    if not result.entries and not result.summary:
        result = dataclasses.replace(result, summary=_why_empty(result, chosen))
    return result


def _why_empty(result: ParseResult, layout: Layout) -> str:
    reasons = [
        d.message
        for d in result.diagnostics
        if d.severity is Severity.WARNING
        and d.code in {DiagnosticCode.NO_TABLE, DiagnosticCode.NO_HEADER, DiagnosticCode.NO_ROWS}
    ]
    found = f"read as {layout.label}: {result.line_count:,} lines"
    return f"{found}; {reasons[0]}" if reasons else f"{found}; no row was found"


def parse_file(
    path: Path,
    source_id: str,
    layout: str,
    context: ParseContext,
    progress: Progress = NO_PROGRESS,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> ParseResult:
    """Read and parse one source file; raises SourceReadError if it cannot be read.

    `progress` gets a stage named as its current one (or after the source) whose total
    is the lines to read, and raises `CancelledError` within a few hundred lines of a
    cancel.
    """
    # Held by the file only, so that its reader can let the bytes go once it has lines.
    file = SourceFile(path.name, read_source_bytes(path), options.encoding)
    progress.check()
    return read_source(file, layout, source_id, context, options, progress)


def parse_lines(
    lines: list[str],
    source_id: str,
    layout: str,
    context: ParseContext,
    progress: Progress = NO_PROGRESS,
) -> ParseResult:
    """Parse decoded lines in a text layout ('auto' detects it); over-long lines become
    diagnostics."""
    if layout == AUTO:
        layout = detect_layout(lines)
    chosen = BY_ID[layout]
    assert chosen.parse_lines is not None, f"{layout} is not read from lines"
    return parse_text_lines(lines, source_id, chosen.parse_lines, context, progress, chosen.passes)


def file_filters() -> list[str]:
    """The Add dialog's file-type filters: every list first, then each layout."""
    every = sorted({ext for layout in LAYOUTS for ext in layout.extensions})
    filters = [f"Lists ({' '.join(f'*.{ext}' for ext in every)})"]
    for layout in LAYOUTS:
        patterns = " ".join(f"*.{ext}" for ext in layout.extensions)
        filters.append(f"{layout.label} ({patterns})")
    filters.append("All files (*)")
    return filters


__all__: Sequence[str] = (
    "AUTO",
    "BY_ID",
    "DEFAULT_OPTIONS",
    "LAYOUTS",
    "LAYOUT_IDS",
    "LAYOUT_NAMES",
    "PARSERS",
    "Layout",
    "ReadOptions",
    "SourceFile",
    "detect",
    "detect_layout",
    "file_filters",
    "make_context",
    "parse_file",
    "parse_lines",
    "read_source",
    "sniff",
)
