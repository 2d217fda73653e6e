"""Plain-text rows whose cell borders were lost: `Name Profession Country Year Notes`.

The fan-wiki copy reads

    Kiều Mẫn Hoàng North Vietnamese Army North Vietnam 1967 Defected to Australia via Thailand

Rules, in order: the year splits the row; the country is the longest known place name
right before it; the rest splits into name and profession (see `split_name_profession`).
Anything decided by a heuristic rather than read off the text gets an `inferred-split`
diagnostic, so a person can check it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity, SourceEntry
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.reference.professions import SplitVocabulary
from defectors_catalog.domain.sources.layouts.common import (
    ParseContext,
    column_for_header,
    make_entry,
    numbered,
    prose_kind,
)
from defectors_catalog.domain.sources.layouts.glued import unglue
from defectors_catalog.domain.text import fold

LAYOUT = "plain-rows"
# A year standing alone as a word: '... Hungary 1955 Defected', not '1961,' in prose.
_YEAR_TOKEN = re.compile(r"(?:(?<=\s)|^)(1[5-9]\d\d|20\d\d)(?=\s|$)")
_HEADER_WORD = re.compile(r"[^/\s]+/?")
_INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}$|^[A-Z]\.$", re.UNICODE)
_POSSESSIVE = ("'s", "\u2019s")
# Lower-case words that continue a capitalised profession rather than begin one:
# 'Director of the London department', 'Track and field athlete'.
_FUNCTION_WORDS = frozenset({"of", "and", "the", "in", "for", "at", "to", "on", "with"})


@dataclass(frozen=True)
class Split:
    name: str
    profession: str
    certain: bool
    reason: str = ""


def parse_plain_rows(
    lines: list[str], source_id: str, context: ParseContext, progress: Progress = NO_PROGRESS
) -> ParseResult:
    """Read the rows; the lines are read twice (see `_capitalised_page`), and `progress`
    is stepped by the lines read each time."""
    kinds: list[LineKind] = []
    entries: list[SourceEntry] = []
    diagnostics: list[Diagnostic] = []
    header_seen = False
    pending_skips: list[int] = []  # lines inside the table that held no row
    capitalised_page = _capitalised_page(lines, context, progress)

    for number, line in numbered(lines, progress):
        if not line.strip():
            kinds.append(LineKind.BLANK)
            continue
        if _is_header_line(line):
            header_seen = True
            kinds.append(LineKind.HEADER)
            continue
        entry = _read_row(
            line,
            number,
            source_id,
            context,
            require_place=not header_seen,
            capitalised_page=capitalised_page,
        )
        if entry is not None:
            kinds.append(LineKind.RECORD)
            entries.append(entry)
            for skipped in pending_skips:
                kinds[skipped - 1] = LineKind.SKIPPED
                diagnostics.append(
                    Diagnostic(
                        DiagnosticCode.NO_YEAR,
                        "line inside the table has no year, so it was not read as a row",
                        skipped,
                        Severity.WARNING,
                    )
                )
            pending_skips.clear()
            continue
        kinds.append(prose_kind(line))
        if header_seen and entries:
            # Between rows this is a damaged row; after the last row it is the page footer
            # ('Community content is available under CC-BY-SA ...'). Decided once a later
            # row shows up.
            pending_skips.append(number)

    if not entries:
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.NO_ROWS,
                "no row of the form 'Name Profession Country Year Notes' was found",
                None,
                Severity.WARNING,
            )
        )
    return ParseResult(source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics))


def _is_header_line(line: str) -> bool:
    """'Defector Profession/' and 'Country Year Notes': a header broken over two lines."""
    words = _HEADER_WORD.findall(line)
    return (
        bool(words)
        and len(words) <= 6
        and all(column_for_header(w.rstrip("/")) is not None for w in words)
    )


def _capitalised_page(lines: list[str], context: ParseContext, progress: Progress) -> bool:
    """Whether this page writes professions with a capital ('Chess player') or not ('ballet').

    Counted over rows whose profession starts with a known profession word or a
    lower-case word, before any page-level rule applies.
    """
    capital = lower = 0
    for _, line in numbered(lines, progress):
        found = _choose_year(line, context)
        if found is None or not found[1]:
            continue
        before = line[: found[0].start()].split()[: -found[1]]
        split = split_name_profession(before, context.vocabulary)
        first = split.profession[:1]
        if first.islower():
            lower += 1
        elif first and fold(split.profession.split()[0]) in context.vocabulary.profession_words:
            capital += 1
    return capital > lower


def _read_row(
    line: str,
    number: int,
    source_id: str,
    context: ParseContext,
    *,
    require_place: bool,
    capitalised_page: bool,
) -> SourceEntry | None:
    raw = line
    diagnostics: list[Diagnostic] = []
    found = _choose_year(line, context)
    if found is None or found[1] == 0:
        # Not a row as it stands, or one without a known place: it may be a row whose
        # cell borders were lost ('George BalanchinechoreographerRussia1924Defected').
        unglued = unglue(line, context.gazetteer, context.vocabulary)
        again = None if unglued is None else _choose_year(unglued.text, context)
        if unglued is not None and again is not None and (found is None or again[1]):
            line, found = unglued.text, again
            diagnostics.append(
                Diagnostic(
                    DiagnosticCode.INFERRED_SPLIT,
                    "cells glued together were split: " + ", ".join(unglued.borders),
                    number,
                    Severity.WARNING,
                )
            )
    if found is None or (found[1] == 0 and require_place):
        return None
    year_match, place_words = found
    before = line[: year_match.start()].split()
    notes = line[year_match.end() :]
    if place_words:
        place_words = _extend_place_list(before, place_words, context)
    elif len(before) >= 2:
        place_words = 1
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.INFERRED_SPLIT,
                f"'{before[-1]}' is not a known place; read it as the country",
                number,
                Severity.WARNING,
            )
        )
    birthplace = " ".join(before[len(before) - place_words :])
    split = split_name_profession(
        before[: len(before) - place_words], context.vocabulary, capitalised_page
    )
    if not split.name:
        return None
    if not split.certain:
        diagnostics.append(
            Diagnostic(
                DiagnosticCode.INFERRED_SPLIT,
                f"name/profession boundary inferred ({split.reason}): "
                f"name '{split.name}', profession '{split.profession or '(none)'}'",
                number,
            )
        )
    cells = {
        "name": split.name,
        "profession": split.profession,
        "birthplace": birthplace,
        "year": year_match.group(1),
        "notes": notes,
    }
    return make_entry(source_id, number, raw, cells, diagnostics)


def _choose_year(line: str, context: ParseContext) -> tuple[re.Match[str], int] | None:
    """The first year preceded by a known place; failing that, the first year.

    'Lőrinc Szatmári athlete Hungary 1959 Defected while training for the 1960 ...'
    splits at 1959, and a note's year never wins over the row's.
    """
    first: re.Match[str] | None = None
    # A row's year comes early; looking at the first few keeps a line full of
    # numbers from costing a split per number.
    for match in itertools.islice(_YEAR_TOKEN.finditer(line), 12):
        words = line[: match.start()].split()
        if len(words) < 2:
            continue
        first = first or match
        size = context.gazetteer.place_suffix([w.rstrip(",") for w in words])
        if size and size < len(words):
            return match, size
    return (first, 0) if first is not None else None


def _extend_place_list(words: list[str], size: int, context: ParseContext) -> int:
    """'... Ukraine, Russian Empire 1928' -> both places: a comma joins place names."""
    while len(words) - size >= 2:
        head = words[: len(words) - size]
        if not head[-1].endswith(","):
            break
        extra = context.gazetteer.place_suffix([*head[:-1], head[-1].rstrip(",")])
        if not extra or extra >= len(head):
            break
        size += extra
    return size


def _is_lower(word: str) -> bool:
    return word[:1].islower()


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and "." not in word


def _is_possessive(word: str) -> bool:
    return word.endswith(_POSSESSIVE)


def _starts_profession(index: int, words: list[str], vocabulary: SplitVocabulary) -> str | None:
    """Why `words[index]` may begin the profession, or None."""
    word = words[index]
    bare = word.strip(",;:")
    if bare in vocabulary.name_connectors:
        following = words[index + 1] if index + 1 < len(words) else ""
        if following[:1].isupper():
            return None  # 'Mieczysław Fiedorowicz and Jadwiga ...', 'Ludwig van Beethoven'
    if _is_lower(word) or word == "/":
        return "lower-case word"
    if any(fold(part) in vocabulary.profession_words for part in bare.split("/")):
        return "known profession word"  # 'Choreographer', 'Architect/engineer'

    if _is_acronym(bare):
        return "acronym"
    if bare in vocabulary.organisation_heads:
        return "organisation name"
    return None


def split_name_profession(
    words: list[str], vocabulary: SplitVocabulary, capitalised_page: bool = False
) -> Split:
    """Split 'Name Words Profession words' at the first word that begins a profession.

    - 'Tünde Fejér ballet': a lower-case word starts the profession (certain);
    - 'George Balanchine Choreographer': a known profession word (certain);
    - 'Kolë Thaçi UN representative': an acronym joins the profession (inferred);
    - 'Marek Rüütel Soviet Navy', 'Zu Qiangsheng People's Liberation Army Ground Force':
      an organisation head pulls in the qualifiers before it (inferred);
    - 'Mieczysław Fiedorowicz and Jadwiga Fiedorowicz painter / photographer': 'and'
      between capitalised words belongs to the name.
    - 'Aron Sheinman Director of the London department': a function word cannot begin
      a profession, so the capitalised word before it does (inferred);
    - on a page whose professions are capitalised ('Chess player', 'KGB agent'),
      'Alena Vrzáňová Figure skater' gives the capitalised word before a lower-case
      one to the profession while the name keeps two words (inferred).
    The name always keeps its first word.
    """
    if not words:
        return Split("", "", False, "nothing before the country")
    start, reason = None, ""
    for index in range(1, len(words)):
        why = _starts_profession(index, words, vocabulary)
        if why is not None:
            start, reason = index, why
            break
    if start is None:
        stem = _profession_stem(words, vocabulary)
        if stem is not None:
            index, known = stem
            return Split(
                " ".join(words[:index]),
                " ".join(words[index:]),
                False,
                f"'{words[index]}' read as the profession word '{known}' in another language",
            )
        name = " ".join(words)
        return Split(name, "", False, "no profession recognised")
    certain = reason in {"lower-case word", "known profession word"}
    if reason == "lower-case word" and start >= 3 and words[start - 1][:1].isupper():
        if words[start] in _FUNCTION_WORDS:
            start, certain = start - 1, False
            reason = f"'{words[start + 1]}' continues a profession that begins before it"
        elif capitalised_page and words[start - 1] not in vocabulary.name_connectors:
            start, certain = start - 1, False
            reason = "professions on this page begin with a capital letter"
    # Pull in capitalised words that qualify the profession: 'Soviet Navy',
    # "People's Liberation Army", 'North Vietnamese Army', 'UN representative'.
    joins = vocabulary.qualifiers | vocabulary.organisation_heads
    first = start
    while first > 1:
        previous = words[first - 1].strip(",;:")
        if previous in joins or _is_acronym(previous):
            first -= 1
        elif _is_possessive(previous) and first - 1 >= 2:
            # "Svetlana Alliluyeva Joseph Stalin's daughter": the possessor's given name
            # comes along too, as long as the person keeps two words of their own.
            first -= 1
            if first - 1 >= 2 and words[first - 1][:1].isupper():
                first -= 1
            break
        else:
            break
    if first != start:
        certain = False
        reason = "capitalised words before it read as part of the profession"
    elif certain and not _plain_name(words[:first]):
        # 'Ernst Degner Motorcycle racer': a capitalised profession word may sit
        # before the lower-case one, so a name longer than two words is a guess.
        certain = False
        reason = "the name has more than two words, one may belong to the profession"
    return Split(" ".join(words[:first]), " ".join(words[first:]), certain, reason)


def _profession_stem(words: list[str], vocabulary: SplitVocabulary) -> tuple[int, str] | None:
    """(index, profession word) of the first word after a two-word name that shares
    its stem with a known profession word: a translated mirror's 'George Balanchine
    Choreograph' (German for 'choreographer'). Only when nothing else began a
    profession, and never certain."""
    for index in range(2, len(words)):
        folded = fold(words[index].strip(",;:"))
        if len(folded) < _STEM or not folded.isalpha():
            continue
        for known in vocabulary.profession_words:
            shorter = min(len(folded), len(known))
            if shorter >= _STEM and _common_prefix(folded, known) >= max(_STEM, shorter - 2):
                return index, known
    return None


def _common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size


# Letters a word shares with a profession word at least, to be read as its stem.
_STEM = 6


def _plain_name(words: list[str]) -> bool:
    """Each person named has at most two words besides initials ('V. M. Kukharenko')."""
    person: list[str] = []
    people = [person]
    for word in words:
        if word in {"and", "&"}:
            person = []
            people.append(person)
        elif not _INITIAL.match(word):
            person.append(word)
    return all(1 <= len(p) <= 2 for p in people)
