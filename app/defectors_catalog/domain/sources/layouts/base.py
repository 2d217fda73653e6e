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
from defectors_catalog.domain.sources.encodings import Decoded, decode, decode_head
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.options import ReadOptions as ReadOptions
from defectors_catalog.domain.sources.reading import split_lines

# The longest line in the seeds is about 900 characters; a line of megabytes is a
# damaged or binary file, and reading it as a row would only stall the app.
MAX_LINE_CHARS = 20_000


# What sniffs read: a file's first lines, decoded from its first bytes when that gives
# exactly the start of the whole text (so sniffing a million-row list costs nothing).
HEAD_LINES = 2000
HEAD_BYTES = 1 << 20


class SourceFile:
    """A file to read: its name, its bytes, and its text decoded once when asked for.

    `decoded` and `lines` raise SourceReadError (or EncodingUnsureError) when the bytes
    are not text; binary layouts never ask for them. Once the lines exist the decoded
    text is no longer held (one representation of a big file, not two); a text layout's
    reader also lets the bytes go (`drop_bytes`).
    """

    def __init__(self, name: str, data: bytes, encoding: str = "") -> None:
        self.name = name
        self.data = data
        self.encoding = encoding
        self.suffix = name.rpartition(".")[2].lower() if "." in name else ""
        self.dropped = False

    @classmethod
    def of_lines(cls, lines: list[str]) -> SourceFile:
        """A file whose text is already decoded into `lines`."""
        file = cls("lines", "\n".join(lines).encode("utf-8"))
        file.__dict__["lines"] = lines  # the cached property, given
        return file

    @cached_property
    def decoded(self) -> Decoded:
        if self.dropped:
            raise RuntimeError(f"{self.name}: its bytes were let go once its lines were read")
        return decode(self.data, self.name, self.encoding)

    @cached_property
    def encoding_label(self) -> str:
        """How the text was decoded, for people ('UTF-8')."""
        return self.decoded.label

    @cached_property
    def lines(self) -> list[str]:
        decoded = self.decoded  # decoded now, or when the caller asked for it
        del self.__dict__["decoded"]
        self.__dict__["encoding_label"] = decoded.label
        text = decoded.text
        del decoded  # the text dies with this frame, once split
        return split_lines(text)

    @cached_property
    def head_lines(self) -> list[str]:
        """The first HEAD_LINES lines, or none when the bytes are not text: what sniffs
        read. A big file is neither decoded nor split whole for them."""
        from defectors_catalog.domain.errors import SourceReadError

        try:
            if "lines" in self.__dict__:
                return self.lines[:HEAD_LINES]
            if "decoded" in self.__dict__:
                return _first_lines(self.decoded.text)
            size = HEAD_BYTES
            while size < len(self.data):
                head = decode_head(self.data, self.encoding, size)
                if head is None:
                    break
                lines = split_lines(head)  # whole lines only: `head` ends with a line end
                if len(lines) >= HEAD_LINES:
                    return lines[:HEAD_LINES]
                size *= 4  # fewer lines than wanted: a longer start
            return self.lines[:HEAD_LINES]
        except SourceReadError:
            return []

    def drop_bytes(self) -> None:
        """Let the bytes go once the lines are read: a text layout's reader needs no more
        of them, and a 100 MB list no longer holds them beside its lines."""
        if "lines" not in self.__dict__:
            raise RuntimeError(f"{self.name}: its lines are not read yet")
        if "encoding_label" not in self.__dict__:  # lines given (`of_lines`)
            self.encoding_label = self.decoded.label
        self.data = b""
        self.dropped = True


def _first_lines(text: str) -> list[str]:
    """`split_lines(text)[:HEAD_LINES]`, splitting only as much of `text` as it takes."""
    size = HEAD_BYTES
    while size < len(text):
        pieces = split_lines(text[:size])
        if len(pieces) > HEAD_LINES:  # the last piece may be cut; the ones before are whole
            return pieces[:HEAD_LINES]
        size *= 4
    return split_lines(text)[:HEAD_LINES]


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
        file.drop_bytes()
        if options.line_limit is not None:
            lines = lines[: options.line_limit]
        progress.check()
        chosen = parser if options_parser is None else options_parser(options)
        result = parse_text_lines(lines, source_id, chosen, context, progress, passes)
        return dataclasses.replace(result, encoding=file.encoding_label)

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
    # The longest line found in C first: a list rarely has a line too long to read.
    too_long = (
        [i for i, line in enumerate(lines) if len(line) > MAX_LINE_CHARS]
        if lines and max(map(len, lines)) > MAX_LINE_CHARS
        else []
    )
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
