"""One parser per layout, and detection of the layout of a file added later."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Protocol

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.gc_pause import collector_paused
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import SplitVocabulary
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.layouts.delimited import header_delimiter, parse_delimited
from defectors_catalog.domain.sources.layouts.pipe_table import is_pipe_row, parse_pipe_table
from defectors_catalog.domain.sources.layouts.plain_rows import parse_plain_rows
from defectors_catalog.domain.sources.reading import read_source_text, split_lines


class Parser(Protocol):
    def __call__(
        self,
        lines: list[str],
        source_id: str,
        context: ParseContext,
        progress: Progress = NO_PROGRESS,
    ) -> ParseResult: ...


PARSERS: dict[str, Parser] = {
    "pipe-table": parse_pipe_table,
    "plain-rows": parse_plain_rows,
    "delimited": parse_delimited,
}
LAYOUT_NAMES = {
    "pipe-table": "Pipe table (| Defector | ... |)",
    "plain-rows": "Plain-text rows (Name Profession Country Year Notes)",
    "delimited": "CSV / TSV with a header row",
}


def make_context(gazetteer: Gazetteer, vocabulary: SplitVocabulary) -> ParseContext:
    """Demonyms from the gazetteer ('Soviet', 'North Vietnamese') also qualify professions."""
    demonym_words = {word for d in gazetteer.demonyms for word in d.split()}
    merged = dataclasses.replace(vocabulary, qualifiers=vocabulary.qualifiers | demonym_words)
    return ParseContext(gazetteer=gazetteer, vocabulary=merged)


def detect_layout(lines: list[str]) -> str:
    """Pipe table when two lines are pipe rows; CSV/TSV when an early line is a
    delimited header naming Name and Year; otherwise plain-text rows."""
    pipe_rows = sum(1 for line in lines[:2000] if is_pipe_row(line))
    if pipe_rows >= 2:
        return "pipe-table"
    if any(header_delimiter(line) for line in lines[:50]):
        return "delimited"
    return "plain-rows"


# Plain-text rows are read twice: once to see how the page writes professions.
_PASSES = {"plain-rows": 2}

# The longest line in the seeds is about 900 characters; a line of megabytes is a
# damaged or binary file, and reading it as a row would only stall the app.
MAX_LINE_CHARS = 20_000


def parse_file(
    path: Path,
    source_id: str,
    layout: str,
    context: ParseContext,
    progress: Progress = NO_PROGRESS,
) -> ParseResult:
    """Read and parse one source file; raises SourceReadError if it cannot be read.

    `progress` gets a stage named as its current one (or after the source) whose total
    is the lines to read, and raises `CancelledError` within a few hundred lines of a
    cancel.
    """
    text = read_source_text(path)
    progress.check()
    lines = split_lines(text)
    del text  # a big file's text is as big as its lines: hold one of them, not both
    progress.check()
    return parse_lines(lines, source_id, layout, context, progress)


def parse_lines(
    lines: list[str],
    source_id: str,
    layout: str,
    context: ParseContext,
    progress: Progress = NO_PROGRESS,
) -> ParseResult:
    """Parse lines in `layout` ('auto' detects it); over-long lines become diagnostics."""
    too_long = [i for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
    readable = list(lines)
    for i in too_long:
        readable[i] = ""
    if layout == "auto":
        layout = detect_layout(readable)
    # The caller names the stage ("Reading <title>"); the parser knows its size.
    name = progress.stage_name or f"Reading {source_id}"
    progress.stage(name, len(readable) * _PASSES.get(layout, 1))
    with collector_paused():
        result = PARSERS[layout](readable, source_id, context, progress)
    if not too_long:
        return result
    kinds = list(result.line_kinds)
    notes = []
    for i in too_long:
        kinds[i] = LineKind.SKIPPED
        notes.append(
            Diagnostic(
                DiagnosticCode.LINE_TOO_LONG,
                f"line has {len(lines[i]):,} characters (limit {MAX_LINE_CHARS:,}); not read",
                i + 1,
                Severity.WARNING,
            )
        )
    return dataclasses.replace(
        result, line_kinds=tuple(kinds), diagnostics=(*result.diagnostics, *notes)
    )
