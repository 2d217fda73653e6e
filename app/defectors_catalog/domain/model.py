"""The domain's records: what a source said, what the catalog concluded, and why."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from itertools import repeat
from pathlib import Path
from typing import TypeVar

_Made = TypeVar("_Made")


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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class RecordWarning:
    """A caution shown beside a record: a `WarningCode` and its text for people."""

    code: str
    text: str


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a person defected to, as inferred from the notes: never a source's own claim."""

    country: str  # the country (or historical state) it counts under
    place: str  # the place the note names, as the gazetteer spells it
    evidence: str  # the words of the note it was inferred from


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """Two records that might be the same person but were not merged."""

    record_a: str
    record_b: str
    score: float
    reasons: tuple[str, ...]
    # 'Name (year)' of each side, for when a decision has merged one of them away.
    label_a: str = ""
    label_b: str = ""


def made_in_bulk(cls: type[_Made], columns: Sequence[Iterable[object]], count: int) -> list[_Made]:
    """`count` instances of the frozen dataclass `cls`, its fields given as `columns`
    (one iterable per field, in the fields' order), made in C.

    A frozen dataclass's __init__ sets every field through object.__setattr__, in
    Python: a tenth of building half a million records. These are made as pickle makes
    them, with no __init__: a slotted class's fields set column by column through their
    slots (each column one loop in C); another's __dict__ filled in field order, as
    __init__ fills it, so the instances share their keys.
    """
    names = _field_names(cls)
    if len(columns) != len(names):
        raise ValueError(f"{cls.__name__} has {len(names)} fields, not {len(columns)}")
    objects: list[_Made] = list(map(object.__new__, repeat(cls, count)))
    wrong = ValueError(f"{count} instances of {cls.__name__} asked for, other counts given")
    if _slotted(cls):
        for name, column in zip(names, columns, strict=True):
            values = iter(column)
            deque(map(getattr(cls, name).__set__, objects, values), maxlen=0)
            # Too few values leave the last instance without the field; too many leave
            # one unread.
            if (count and not hasattr(objects[-1], name)) or next(values, _END) is not _END:
                raise wrong
        return objects
    own = map(object.__getattribute__, objects, repeat("__dict__"))
    rows = zip(*columns, strict=True)
    deque(map(dict.update, own, map(zip, repeat(names), rows)), maxlen=0)  # run, keep nothing
    short = count > 0 and not object.__getattribute__(objects[-1], "__dict__")
    if short or next(rows, None) is not None:
        raise wrong
    return objects


def made_one(cls: type[_Made], *values: object) -> _Made:
    """One instance of the frozen dataclass `cls` with every field given, in order, as
    `made_in_bulk` makes them: for the merge's millions of diagnostics, half the time
    of __init__."""
    names = _field_names(cls)
    if len(values) != len(names):
        raise ValueError(f"{cls.__name__} has {len(names)} fields, not {len(values)}")
    made: _Made = object.__new__(cls)
    if _slotted(cls):
        for setter, value in zip(_setters(cls), values, strict=True):
            setter(made, value)
    else:
        object.__getattribute__(made, "__dict__").update(zip(names, values, strict=True))
    return made


def _field_names(cls: type) -> tuple[str, ...]:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _slotted(cls: type) -> bool:
    return "__slots__" in cls.__dict__


def _setters(cls: type) -> tuple[Callable[[object, object], None], ...]:
    setters = _SETTERS.get(cls)
    if setters is None:
        setters = _SETTERS[cls] = tuple(getattr(cls, n).__set__ for n in _field_names(cls))
    return setters


_NAMES: dict[type, tuple[str, ...]] = {}
_SETTERS: dict[type, tuple[Callable[[object, object], None], ...]] = {}
_END = object()
