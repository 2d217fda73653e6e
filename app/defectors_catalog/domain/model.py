"""The domain's records: what a source said, what the catalog concluded, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Reliability(StrEnum):
    RELIABLE = "reliable"
    UNRELIABLE = "unreliable"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"


class LineKind(StrEnum):
    """What each line of a source file turned out to be; every line gets one."""

    RECORD = "record"
    HEADER = "header"
    SEPARATOR = "separator"
    HEADING = "heading"
    PROSE = "prose"
    REFERENCE = "reference"
    BLANK = "blank"
    MARKUP = "markup"  # a saved page's tags, a JSON file's brackets: no text of a row
    SKIPPED = "skipped"  # always paired with a diagnostic saying why


@dataclass(frozen=True)
class Diagnostic:
    """Something a parser or the merge noticed: `code` for machines, `message` for people."""

    code: str  # a DiagnosticCode
    message: str
    line: int | None = None
    severity: Severity = Severity.INFO
    field: str = ""  # the field it is about, when it is about one (a conflict)


@dataclass(frozen=True)
class SourceSpec:
    """One source as the manifest declares it."""

    id: str
    title: str
    label: str
    path: Path
    layout: str
    reliability: Reliability
    license: str
    origin: str
    retrieved: str
    colour: str
    description: str = ""
    # How to read the file when detection is not to be left to: "" detects.
    encoding: str = ""
    sheet: str = ""  # a spreadsheet's sheet, or "table N" of a page
    columns: tuple[tuple[str, str], ...] = ()  # (source column, field or "ignore")

    @property
    def reliable(self) -> bool:
        return self.reliability is Reliability.RELIABLE


@dataclass(frozen=True)
class SourceEntry:
    """One row exactly as one source gave it, with where it stands in the file."""

    source_id: str
    line: int  # 1-based line number in the source file
    raw: str  # the line as it stands in the file, without its line end
    name: str
    alias: str
    profession: str
    birthplace: str
    year: int | None
    notes: str
    diagnostics: tuple[Diagnostic, ...] = ()

    def value(self, field_name: str) -> str:
        value = getattr(self, field_name)
        return "" if value is None else str(value)


@dataclass(frozen=True)
class ColumnChoice:
    """One column of a table and the field it was read into, with how sure and why."""

    index: int  # 0-based position in the row
    header: str  # the header cell, or "column N" for a table without one
    field: str  # a field name, or "ignore"
    score: float  # 1.0 a known header word or the person's choice; less when inferred
    reason: str  # "German header word", "12 of 12 cells are years", "your choice"


@dataclass(frozen=True)
class ParseResult:
    """Everything read from one file: its entries, what every line was, and what went wrong."""

    source_id: str
    layout: str
    entries: tuple[SourceEntry, ...]
    line_kinds: tuple[LineKind, ...]  # index i describes line i + 1
    diagnostics: tuple[Diagnostic, ...] = ()  # source-level: skipped lines, unknown columns
    references: tuple[str, ...] = ()  # a scraped page's bibliography and cited URLs
    encoding: str = ""  # how the text was decoded, for people ("UTF-8"); "" for a workbook
    # What the file held, in a phrase: "an HTML page with 3 tables; table 2 read". For
    # a file that gave no row it is the reason.
    summary: str = ""
    columns: tuple[ColumnChoice, ...] = ()  # how each column was read, for tabular layouts
    parts: tuple[str, ...] = ()  # the sheets or tables one may choose from
    part: str = ""  # the one read ("" when all, or the layout has none)

    @property
    def line_count(self) -> int:
        return len(self.line_kinds)


@dataclass(frozen=True)
class RecordWarning:
    """A caution shown beside a record: a `WarningCode` and its text for people."""

    code: str
    text: str


@dataclass(frozen=True)
class Destination:
    """Where a person defected to, as inferred from the notes: never a source's own claim."""

    country: str  # the country (or historical state) it counts under
    place: str  # the place the note names, as the gazetteer spells it
    evidence: str  # the words of the note it was inferred from


@dataclass(frozen=True)
class CatalogRecord:
    """One person (or pair of people) in the merged catalog, with full provenance.

    Shown values come from the most reliable source that lists the record; `entries`
    keeps what every source said, with file line and raw text.
    """

    id: str
    name: str
    alias: str
    profession: str
    category: str  # profession category id
    birthplace: str
    country: str
    year: int | None
    notes: str
    sources: tuple[str, ...]  # source ids, in manifest order
    entries: tuple[SourceEntry, ...]
    warnings: tuple[RecordWarning, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    destination: Destination | None = None  # inferred from the notes; None when unclear

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)


@dataclass(frozen=True)
class MatchCandidate:
    """Two records that might be the same person but were not merged."""

    record_a: str
    record_b: str
    score: float
    reasons: tuple[str, ...]
    # 'Name (year)' of each side, for when a decision has merged one of them away.
    label_a: str = ""
    label_b: str = ""
