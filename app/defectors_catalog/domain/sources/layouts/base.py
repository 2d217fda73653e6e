"""What a layout is (id, label, extensions, a sniff, a reader) and what its reader gets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.gc_pause import collector_paused
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.encodings import Decoded, decode
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.options import ReadOptions as ReadOptions
from defectors_catalog.domain.sources.reading import split_lines

# The longest line in the seeds is about 900 characters; a line of megabytes is a
# damaged or binary file, and reading it as a row would only stall the app.
MAX_LINE_CHARS = 20_000


class SourceFile:
    """A file to read: its name, its bytes, and its text decoded once when asked for.

    `decoded` and `lines` raise SourceReadError (or EncodingUnsureError) when the bytes
    are not text; binary layouts never ask for them.
    """

    def __init__(self, name: str, data: bytes, encoding: str = "") -> None:
        self.name = name
        self.data = data
        self.encoding = encoding
        self.suffix = name.rpartition(".")[2].lower() if "." in name else ""

    @classmethod
    def of_lines(cls, lines: list[str]) -> SourceFile:
        """A file whose text is already decoded into `lines`."""
        file = cls("lines", "\n".join(lines).encode("utf-8"))
        file.__dict__["lines"] = lines  # the cached property, given
        return file

    @cached_property
    def decoded(self) -> Decoded:
        return decode(self.data, self.name, self.encoding)

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.decoded.text)

    @cached_property
    def head_lines(self) -> list[str]:
        """The first 2,000 lines, or none when the bytes are not text: what sniffs read."""
        from defectors_catalog.domain.errors import SourceReadError

        try:
            return self.lines[:2000]
        except SourceReadError:
            return []


class Reader(Protocol):
    def __call__(
        self, file: SourceFile, options: ReadOptions, source_id: str, context: ParseContext,
        progress: Progress,
    ) -> ParseResult: ...  # fmt: skip


class LineParser(Protocol):
    def __call__(
        self,
        lines: list[str],
        source_id: str,
        context: ParseContext,
        progress: Progress = NO_PROGRESS,
    ) -> ParseResult: ...


# A reader that takes the person's reading options (columns, sheet) as its last argument.
OptionsParse = Callable[[list[str], str, ParseContext, Progress, ReadOptions], ParseResult]


def with_options(parse: OptionsParse) -> Callable[[ReadOptions], LineParser]:
    """`options -> LineParser`: `parse` with the options bound, as a layout's
    `options_parser` wants it."""

    def bind(options: ReadOptions) -> LineParser:
        def parser(
            lines: list[str],
            source_id: str,
            context: ParseContext,
            progress: Progress = NO_PROGRESS,
        ) -> ParseResult:
            return parse(lines, source_id, context, progress, options)

        return parser

    return bind


@dataclass(frozen=True)
class Layout:
    """One way a list can be laid out in a file, declared once in the registry.

    `sniff` says how sure it is (0..1) that a file is laid out so; `read` gets the
    file itself (bytes, with its text decoded on demand). A text layout also has
    `parse_lines`, its parser of decoded lines.
    """

    id: str
    label: str
    extensions: tuple[str, ...]
    sniff: Callable[[SourceFile], float]
    read: Reader
    parse_lines: LineParser | None = None
    binary: bool = False  # read from bytes: no encoding to detect or choose
    takes_columns: bool = True  # honours ReadOptions.columns
    parts_name: str = ""  # "sheet" or "table" when the file holds several to choose from
    passes: int = 1  # how many times `parse_lines` reads each line (progress totals)


def text_layout(
    id: str,
    label: str,
    extensions: Sequence[str],
    sniff: Callable[[SourceFile], float],
    parser: LineParser,
    *,
    passes: int = 1,
    takes_columns: bool = False,
    parts_name: str = "",
    options_parser: Callable[[ReadOptions], LineParser] | None = None,
) -> Layout:
    """A layout read from decoded lines: the file is decoded (encoding detected or
    chosen), over-long lines are set aside as skipped, and `parser` reads the rest.

    `passes`: how many times the parser reads each line (for progress totals);
    `options_parser` makes a parser that honours the read options (columns, table).
    """

    def read(
        file: SourceFile, options: ReadOptions, source_id: str, context: ParseContext,
        progress: Progress,
    ) -> ParseResult:  # fmt: skip
        lines = file.lines
        if options.line_limit is not None:
            lines = lines[: options.line_limit]
        progress.check()
        chosen = parser if options_parser is None else options_parser(options)
        result = parse_text_lines(lines, source_id, chosen, context, progress, passes)
        return dataclasses.replace(result, encoding=file.decoded.label)

    return Layout(
        id=id,
        label=label,
        extensions=tuple(extensions),
        sniff=sniff,
        read=read,
        parse_lines=parser,
        passes=passes,
        takes_columns=takes_columns,
        parts_name=parts_name,
    )


def parse_text_lines(
    lines: list[str],
    source_id: str,
    parser: LineParser,
    context: ParseContext,
    progress: Progress = NO_PROGRESS,
    passes: int = 1,
) -> ParseResult:
    """Run a line parser; over-long lines become skipped lines with a diagnostic."""
    too_long = [i for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
    readable = list(lines)
    for i in too_long:
        readable[i] = ""
    # The caller names the stage ("Reading <title>"); the parser knows its size.
    name = progress.stage_name or f"Reading {source_id}"
    progress.stage(name, len(readable) * passes)
    with collector_paused():
        result = parser(readable, source_id, context, progress)
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


def layouts_by_id(layouts: Sequence[Layout]) -> Mapping[str, Layout]:
    return {layout.id: layout for layout in layouts}
