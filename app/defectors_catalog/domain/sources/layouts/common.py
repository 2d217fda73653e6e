"""What every layout parser shares: column names, year cells, and building an entry."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import not_

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import (
    Diagnostic,
    LineKind,
    Severity,
    SourceEntry,
    made_in_bulk,
)
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import SplitVocabulary
from defectors_catalog.domain.sources.layouts.headers import HeaderWords, default_header_words
from defectors_catalog.domain.text import clean_cell, clean_note, split_alias

YEAR_RE = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_YEAR_IN = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# Lines read between progress steps: a few hundredths of a second of parsing even for
# the slowest layout, so a cancel stops a big file at once.
LINES_PER_STEP = 512


@dataclass(frozen=True)
class ParseContext:
    """What parsers consult: the gazetteer, the profession vocabulary, the header words."""

    gazetteer: Gazetteer
    vocabulary: SplitVocabulary
    headers: HeaderWords = field(default_factory=default_header_words)


def column_for_header(cell: str) -> str | None:
    """The field a header cell names exactly ('Defector', 'Jahr'), else None."""
    return default_header_words().field_of(cell)


def is_year(cell: str) -> bool:
    return YEAR_RE.match(cell.strip()) is not None


def parse_year(cell: str, line: int) -> tuple[int | None, list[Diagnostic]]:
    """'1956' -> 1956. 'c. 1956' -> 1956 with a note; 'unknown' -> None with a warning."""
    cell = cell.strip()
    if YEAR_RE.match(cell):
        return int(cell), []
    found = _YEAR_IN.findall(cell)
    if len(found) == 1:
        note = f"year read as {found[0]} from '{cell}'"
        return int(found[0]), [Diagnostic(DiagnosticCode.APPROXIMATE_YEAR, note, line)]
    reason = "no year given" if not cell else f"year '{cell}' is not a year"
    return None, [Diagnostic(DiagnosticCode.BAD_YEAR, reason, line, Severity.WARNING)]


# Professions, places, years and notes repeat over a big list: each distinct cell is
# cleaned once (and its cleaned string shared by the entries that give it).
_cleaned_cell = lru_cache(maxsize=1 << 16)(clean_cell)
_cleaned_note = lru_cache(maxsize=1 << 16)(clean_note)


def make_entry(
    source_id: str,
    line: int,
    raw: str,
    cells: dict[str, str],
    diagnostics: list[Diagnostic],
) -> SourceEntry:
    """Normalise one row's cells into an entry (alias split off, '-' notes emptied)."""
    name, alias = split_alias(clean_cell(cells.get("name", "")))
    year, year_diagnostics = parse_year(_cleaned_cell(cells.get("year", "")), line)
    return SourceEntry(
        source_id=source_id,
        line=line,
        raw=raw,
        name=name,
        alias=alias,
        profession=_cleaned_cell(cells.get("profession", "")),
        birthplace=_cleaned_cell(cells.get("birthplace", "")),
        year=year,
        notes=_cleaned_note(cells.get("notes", "")),
        diagnostics=(*diagnostics, *year_diagnostics),
    )


# Joins a batch of cells to clean them at once: printable, no space, and a starter that
# no normalisation composes with (U+FFFC, the object replacement character).
_JOIN = "\ufffc"


def clean_cells(values: list[str]) -> list[str]:
    """`[clean_cell(v) for v in values]`, cleaned a batch at a time in C.

    Normalised (NFC) as one text, then cut apart: a printable cell has only plain
    spaces to tidy, which `str.split` and `str.strip` do; the few others (control
    characters, exotic spaces) are cleaned one by one. Cells holding the joining
    character are all cleaned one by one.
    """
    if not values:
        return []
    joined = _JOIN.join(values)
    if joined.count(_JOIN) != len(values) - 1:
        return list(map(clean_cell, values))
    joined = unicodedata.normalize("NFC", joined)
    parts = joined.split(_JOIN)
    if "  " in joined:
        cleaned = list(map(" ".join, map(str.split, parts)))
    else:
        cleaned = list(map(str.strip, parts))
    if not joined.isprintable():
        for at in compress(range(len(parts)), map(not_, map(str.isprintable, parts))):
            cleaned[at] = clean_cell(parts[at])
    return cleaned


def clean_notes(values: list[str]) -> list[str]:
    """`[clean_note(v) for v in values]`, cleaned a batch at a time."""
    return ["" if value in _NOTHING else value for value in clean_cells(values)]


_NOTHING = {"-", "\u2013", "\u2014"}  # a note that says nothing (`clean_note`)


def make_entries(
    source_id: str,
    lines: Sequence[int],
    raws: Sequence[str],
    cells: Mapping[str, Sequence[str]],
    notes: Mapping[int, list[Diagnostic]],
) -> list[SourceEntry]:
    """`make_entry` for many rows at once, their cells given column by column (a field
    -> its cell in each row; a field not given is empty) and what to say about a row
    by its position in `notes`: exactly the entries `make_entry` makes, row by row.

    A big list repeats its professions, places, years and notes: each distinct cell is
    cleaned (and a year read) once, and every loop over the rows runs in C.
    """
    count = len(lines)
    empty = [""] * count

    def cleaned(name: str, clean: Callable[[list[str]], list[str]]) -> list[str]:
        column = cells.get(name, empty)
        distinct = list(dict.fromkeys(column))
        once = dict(zip(distinct, clean(distinct), strict=True))
        return list(map(once.__getitem__, column))

    names = clean_cells(list(cells.get("name", empty)))
    aliases = [""] * count
    # Only a name ending in ')' can hold an alias: 'Vladimir Rezun (Viktor Suvorov)'.
    if ")" in "".join(names):
        for at in compress(range(count), map(str.endswith, names, repeat(")"))):
            names[at], aliases[at] = split_alias(names[at])
    year_cells = cleaned("year", clean_cells)
    years_of = {cell: parse_year(cell, 0) for cell in dict.fromkeys(year_cells)}
    years = list(map({cell: year for cell, (year, _) in years_of.items()}.__getitem__, year_cells))
    said: dict[int, tuple[Diagnostic, ...]] = {
        at: tuple(given) for at, given in notes.items() if given
    }
    noted = {cell for cell, (_, found) in years_of.items() if found}
    for at in compress(range(count), map(noted.__contains__, year_cells)):
        # a note naming the line: made for this row
        said[at] = (*said.get(at, ()), *parse_year(year_cells[at], lines[at])[1])
    diagnostics = list(map(said.get, range(count), repeat(()))) if said else [()] * count
    columns = (
        repeat(source_id, count),
        lines,
        raws,
        names,
        aliases,
        cleaned("profession", clean_cells),
        cleaned("birthplace", clean_cells),
        years,
        cleaned("notes", clean_notes),
        diagnostics,
    )
    return made_in_bulk(SourceEntry, columns, count)


def prose_kind(line: str) -> LineKind:
    return LineKind.BLANK if not line.strip() else LineKind.PROSE


def numbered(lines: Sequence[str], progress: Progress) -> Iterator[tuple[int, str]]:
    """`enumerate(lines, 1)` that steps `progress` by each LINES_PER_STEP lines read
    (which raises `CancelledError` once the work is cancelled)."""
    for first in range(0, len(lines), LINES_PER_STEP):
        chunk = lines[first : first + LINES_PER_STEP]
        yield from enumerate(chunk, first + 1)
        progress.step(len(chunk))
