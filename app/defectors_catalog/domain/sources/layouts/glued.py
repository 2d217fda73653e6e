"""Cells glued together: text from offline readers and mirrors that dropped the borders.

    George BalanchinechoreographerRussia1924Defected during a tour of Germany
    Tünde Fejér ballet Hungary 1955Defected to France

`unglue` puts the spaces back where the row's shape says a border was: around the year
(`Russia1924`, `1924Defected`), at a change of case where a known place or profession
word begins (`choreographerRussia`), and before a known profession word that ends a
name (`Balanchinechoreographer`). The plain-rows reader then reads the row as usual
and flags it `inferred-split`. Nothing else is touched: `McDonald` keeps its capital D,
and a year inside a word of the notes is left alone.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import SplitVocabulary
from defectors_catalog.domain.text import fold

# A year, with or without a letter glued to either side: 'Russia1924', '1924Defected'.
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# A profession word glued to the end of a name is at least this long: shorter ones
# would split names ('Viktor' ends in 'tor', 'Kowalski' in 'ski').
_MIN_PROFESSION = 6
_MAX_WORD = 200  # longer runs of letters are not a name and a profession


@dataclass(frozen=True)
class Unglued:
    """The line with the borders put back, and each border added (for the note)."""

    text: str
    borders: tuple[str, ...]


def unglue(line: str, gazetteer: Gazetteer, vocabulary: SplitVocabulary) -> Unglued | None:
    """The line with glued cells split, or None when nothing was glued.

    The row's year is the first one with words before it, glued to them or not
    ('athleteHungary 1956' has lost only the border between profession and country).
    """
    year = next((m for m in _YEAR.finditer(line) if line[: m.start()].strip()), None)
    if year is None:
        return None
    borders: list[str] = []
    before, after = line[: year.start()], line[year.end() :]
    words = []
    for word in before.split():
        pieces = _split_word(word, gazetteer, vocabulary)
        if len(pieces) > 1:
            borders.append("|".join(pieces))
        words.extend(pieces)
    if before[-1:].isalpha():
        borders.append(f"{words[-1]}|{year.group(1)}")
    if after[:1].isupper():  # '1924Defected', not the '1960s' of a note
        borders.append(f"{year.group(1)}|{after.split(' ', 1)[0]}")
    if not borders:
        return None
    if after[:1].isalpha() and not after[:1].isupper():
        return None  # '1960s': a word of the notes, not the row's year
    text = " ".join([*words, year.group(1), after.strip()]).strip()
    return Unglued(text, tuple(borders))


def _split_word(word: str, gazetteer: Gazetteer, vocabulary: SplitVocabulary) -> list[str]:
    """'BalanchinechoreographerRussia' -> ['Balanchine', 'choreographer', 'Russia']."""
    if len(word) > _MAX_WORD or not word.isalpha():
        return [word]
    bounds = [*_case_changes(word), len(word)]
    pieces: list[str] = []
    start = 0
    for at, following in itertools.pairwise(bounds):
        head = word[at:following]
        if gazetteer.lookup(head) is not None or fold(head) in vocabulary.profession_words:
            pieces.append(word[start:at])
            start = at
    pieces.append(word[start:])
    return [part for piece in pieces for part in _profession_suffix(piece, vocabulary)]


def _case_changes(word: str) -> list[int]:
    """Where a capital follows a lower-case letter: 'choreographer|Russia', 'Mc|Donald'."""
    return [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]


def _profession_suffix(word: str, vocabulary: SplitVocabulary) -> list[str]:
    """'Balanchinechoreographer' -> ['Balanchine', 'choreographer']: a capitalised name
    with a lower-case profession word glued to its end."""
    if not word[:1].isupper() or fold(word) in vocabulary.profession_words:
        return [word]
    for cut in range(2, len(word) - _MIN_PROFESSION + 1):
        tail = word[cut:]
        if tail[:1].islower() and fold(tail) in vocabulary.profession_words:
            return [word[:cut], tail]
    return [word]
