"""Where a person defected to, inferred from the notes with the gazetteer.

The words that lead up to a destination live in `resources/destinations.toml` (its
header explains how a note is read). The result is always an inference: it keeps the
words of the note it came from, and a note without a clear destination gives none.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import CatalogError
from app.domain.gazetteer import Gazetteer, Place
from app.domain.model import CatalogRecord, Destination
from app.domain.table import Facet, make_facet
from app.domain.text import name_key

# A word: letters/digits, possibly joined by . ' - or a typographic apostrophe ("U.S.").
_WORD = re.compile(r"[^\W_]+(?:[.'\u2019-][^\W_]+)*\.?")
# A clause ends at ';' or at a full stop that ends a sentence: not after a capital
# letter ("U.S. Embassy", "Vladimir V. Tchernavin") and followed by a capital.
_CLAUSE_END = re.compile(r";|(?<![A-Z])\.\s+(?=[A-Z])|\.$")


@dataclass(frozen=True)
class DestinationRules:
    verbs: tuple[tuple[str, ...], ...]
    movement_verbs: tuple[tuple[str, ...], ...]
    failed: tuple[tuple[str, ...], ...]
    not_own_move: frozenset[str]
    towards: frozenset[str]
    chain_words: frozenset[str]
    at: frozenset[str]
    fillers: frozenset[str]
    demonym_nouns: frozenset[str]
    not_after: tuple[tuple[str, ...], ...]
    not_before: tuple[tuple[str, ...], ...]
    never_destination: frozenset[str]


def load_rules(path: Path) -> DestinationRules:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"cannot load the destination rules {path.name}: {exc}") from None

    def words(key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CatalogError(f"{path.name}: '{key}' must be a list of strings")
        return [name_key(v) for v in value if name_key(v)]

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(w.split()) for w in words(key))

    return DestinationRules(
        verbs=phrases("verbs"),
        movement_verbs=phrases("movement_verbs"),
        failed=phrases("failed"),
        not_own_move=frozenset(words("not_own_move")),
        towards=frozenset(words("towards")),
        chain_words=frozenset(words("chain_words")),
        at=frozenset(words("at")),
        fillers=frozenset(words("fillers")),
        demonym_nouns=frozenset(words("demonym_nouns")),
        not_after=phrases("not_after"),
        not_before=phrases("not_before"),
        never_destination=frozenset(words("never_destination")),
    )


@dataclass(frozen=True)
class _Token:
    text: str
    key: str
    start: int
    end: int


class DestinationFinder:
    """Reads notes with a gazetteer and the rules; `find(notes, own_country)`."""

    def __init__(self, gazetteer: Gazetteer, rules: DestinationRules) -> None:
        self.gazetteer = gazetteer
        self.rules = rules
        self._demonyms: dict[str, Place] = {}
        for place in gazetteer.places:
            for demonym in place.demonyms:
                self._demonyms.setdefault(name_key(demonym), place)
        self._longest_demonym = max((len(k.split()) for k in self._demonyms), default=1)

    def find(self, notes: str, own_country: str = "") -> Destination | None:
        start = 0
        for match in [*_CLAUSE_END.finditer(notes), None]:
            end = len(notes) if match is None else match.start()
            found = self._in_clause(notes, start, end, own_country)
            if found is not None:
                return found
            if match is None:
                break
            start = match.end()
        return None

    # -- one clause ----------------------------------------------------------------------

    def _in_clause(self, notes: str, start: int, end: int, own: str) -> Destination | None:
        tokens = [
            _Token(m.group(), name_key(m.group()), start + m.start(), start + m.end())
            for m in _WORD.finditer(notes[start:end])
        ]
        keys = [t.key for t in tokens]
        found = self._verb_at(keys, self.rules.verbs) or self._verb_at(
            keys, self.rules.movement_verbs
        )
        if found is None:
            return None
        first, verb = found
        # Search up to each chain word in turn ("..., then went to ..."): a place found
        # before one is where the person went first.
        stops = [i for i in range(verb, len(keys)) if keys[i] in self.rules.chain_words]
        for stop in [*stops, len(tokens)]:
            for prepositions in (self.rules.towards, self.rules.at):
                for i in range(verb, stop):
                    if keys[i] not in prepositions or self._ruled_out_before(keys, i):
                        continue
                    j = i + 1
                    while j < stop and keys[j] in self.rules.fillers:
                        j += 1
                    place = self._place_at(notes, tokens[:stop], j, own)
                    if place is not None:
                        where, country, last = place
                        evidence = notes[tokens[first].start : tokens[last].end].rstrip(".,")
                        return Destination(country=country, place=where.name, evidence=evidence)
        return None

    def _verb_at(
        self, keys: Sequence[str], verbs: Sequence[tuple[str, ...]]
    ) -> tuple[int, int] | None:
        """(first, last) word of the first of `verbs` the person did themselves."""
        for i in range(len(keys)):
            for verb in verbs:
                if tuple(keys[i : i + len(verb)]) != verb:
                    continue
                end = i + len(verb)
                if any(tuple(keys[max(0, i - len(f)) : i]) == f for f in self.rules.failed):
                    continue
                if end < len(keys) and keys[end] in self.rules.not_own_move:
                    continue
                return i, end - 1
        return None

    def _ruled_out_before(self, keys: Sequence[str], i: int) -> bool:
        """'stationed in', 'embassy in': the preposition follows words that rule it out."""
        return any(tuple(keys[max(0, i + 1 - len(p)) : i + 1]) == p for p in self.rules.not_before)

    def _place_at(
        self, notes: str, tokens: Sequence[_Token], j: int, own: str
    ) -> tuple[Place, str, int] | None:
        """(place, country it counts under, index of its last token) starting at `j`."""
        if j >= len(tokens):
            return None
        place, last = self._longest_place(tokens, j)
        if place is None:
            place, last = self._demonym_place(tokens, j)
        if place is None:
            return None
        country = place.country
        # "Vienna, Austria", "Seattle, Washington": the place after the comma decides.
        following = last + 1
        if (
            place.kind in ("city", "region")
            and following < len(tokens)
            and notes[tokens[last].end : tokens[following].start] == ", "
        ):
            second, second_last = self._longest_place(tokens, following)
            if second is not None:
                country, last = second.country, second_last
        after = [t.key for t in tokens[last + 1 : last + 3]]
        if any(tuple(after[: len(p)]) == p for p in self.rules.not_after):
            return None
        if name_key(country) in self.rules.never_destination:
            return None
        if own and name_key(country) == name_key(own):
            return None
        return place, country, last

    def _longest_place(self, tokens: Sequence[_Token], j: int) -> tuple[Place | None, int]:
        longest = min(self.gazetteer.longest_name_words, len(tokens) - j)
        for size in range(longest, 0, -1):
            words = tokens[j : j + size]
            if not words[0].text[:1].isupper():
                return None, j  # place names start with a capital: "to evade" is no place
            place = self.gazetteer.lookup(" ".join(t.key for t in words))
            if place is not None:
                return place, j + size - 1
        return None, j

    def _demonym_place(self, tokens: Sequence[_Token], j: int) -> tuple[Place | None, int]:
        for size in range(min(self._longest_demonym, len(tokens) - j - 1), 0, -1):
            key = " ".join(t.key for t in tokens[j : j + size])
            place = self._demonyms.get(key)
            noun = tokens[j + size].key
            if place is not None and noun in self.rules.demonym_nouns:
                return place, j + size
        return None, j


def attach_destinations(
    records: Sequence[CatalogRecord], finder: DestinationFinder
) -> tuple[CatalogRecord, ...]:
    """Records with `destination` inferred from their notes (None where unclear)."""
    return tuple(
        dataclasses.replace(record, destination=finder.find(record.notes, record.country))
        for record in records
    )


def destination_facet(records: Sequence[CatalogRecord]) -> Facet:
    """The inferred destination country per record, as a facet ('' when unclear)."""
    countries = [r.destination.country if r.destination else "" for r in records]
    return make_facet(countries, {"": "(none inferred)"})
