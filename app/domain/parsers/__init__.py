"""One parser per layout, and detection of the layout of a file added later."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from app.domain.gazetteer import Gazetteer
from app.domain.model import ParseResult
from app.domain.parsers.common import ParseContext
from app.domain.parsers.pipe_table import is_pipe_row, parse_pipe_table
from app.domain.parsers.plain_rows import parse_plain_rows
from app.domain.parsers.reading import read_source_text, split_lines
from app.domain.professions import SplitVocabulary

Parser = Callable[[list[str], str, ParseContext], ParseResult]
PARSERS: dict[str, Parser] = {
    "pipe-table": parse_pipe_table,
    "plain-rows": parse_plain_rows,
}


def make_context(gazetteer: Gazetteer, vocabulary: SplitVocabulary) -> ParseContext:
    """Demonyms from the gazetteer ('Soviet', 'North Vietnamese') also qualify professions."""
    demonym_words = {word for d in gazetteer.demonyms for word in d.split()}
    merged = dataclasses.replace(vocabulary, qualifiers=vocabulary.qualifiers | demonym_words)
    return ParseContext(gazetteer=gazetteer, vocabulary=merged)


def detect_layout(lines: list[str]) -> str:
    """Pipe table when at least two lines are pipe rows; otherwise plain-text rows."""
    pipe_rows = sum(1 for line in lines if is_pipe_row(line))
    return "pipe-table" if pipe_rows >= 2 else "plain-rows"


def parse_file(path: Path, source_id: str, layout: str, context: ParseContext) -> ParseResult:
    """Read and parse one source file; raises SourceReadError if it cannot be read."""
    lines = split_lines(read_source_text(path))
    if layout == "auto":
        layout = detect_layout(lines)
    return PARSERS[layout](lines, source_id, context)
