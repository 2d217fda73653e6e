"""Where a person defected to, inferred from the notes with the gazetteer.

The words that lead up to a destination live in `resources/destinations.toml` (its
header explains how a note is read). The result is always an inference: it keeps the
words of the note it came from, and a note without a clear destination gives none.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.model import CatalogRecord, Destination
from defectors_catalog.domain.reference.gazetteer import Gazetteer, Place
from defectors_catalog.domain.text import name_key

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
    """The rules of `destinations.toml`, through its compiled twin when that is current."""
    # Imported here, as tomllib below: a catalog opened from the cache loads no resources.
    from defectors_catalog.domain.reference.compiled import through_twin

    return through_twin(path, rules_from_data, _read_rules)


def _read_rules(path: Path) -> DestinationRules:
    import tomllib  # the pure-Python parser: only when there is no current twin

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


# The rules that are phrases (tuples of words, in file order); the others are word sets.
_PHRASE_FIELDS = ("verbs", "movement_verbs", "failed", "not_after", "not_before")


def compile_rules(path: Path) -> dict[str, Any]:
    """The rules of `destinations.toml`, their words keyed, as JSON data for its twin:
    phrases as lists of words in file order, word sets sorted."""
    rules = _read_rules(path)
    return {
        f.name: (
            [list(p) for p in getattr(rules, f.name)]
            if f.name in _PHRASE_FIELDS
            else sorted(getattr(rules, f.name))
        )
        for f in fields(rules)
    }


def rules_from_data(data: Mapping[str, Any]) -> DestinationRules:
    values: dict[str, Any] = {}
    for f in fields(DestinationRules):
        value = data[f.name]
        if not isinstance(value, list):
            raise TypeError(f"{f.name}: expected a list")
        if f.name in _PHRASE_FIELDS:
            values[f.name] = tuple(tuple(map(str, phrase)) for phrase in value)
        else:
            values[f.name] = frozenset(map(str, value))
    return DestinationRules(**values)


class DestinationFinder:
    """Reads notes with a gazetteer and the rules; `find(notes, own_country)`.

    A catalog runs every note through one finder, so the work that does not depend on
    the note is done once here: each distinct word's key is computed once and kept,
    verbs are indexed by their first word and ruling-out phrases by their last, and a
    clause holding no verb's first word is dropped before anything else is looked at.
    """

    def __init__(self, gazetteer: Gazetteer, rules: DestinationRules) -> None:
        self.gazetteer = gazetteer
        self.rules = rules
        self._demonyms = gazetteer.demonym_index
        self._prefixes = gazetteer.key_prefixes
        self._longest_demonym = max((len(k.split()) for k in self._demonyms), default=1)
        self._verbs = _by_word(rules.verbs, 0)
        self._movement_verbs = _by_word(rules.movement_verbs, 0)
        self._verb_starts = frozenset(self._verbs) | frozenset(self._movement_verbs)
        self._not_before = _by_word(rules.not_before, -1)
        self._roles: dict[str, int] = {}
        for role, words in ((_CHAIN, rules.chain_words), (_TOWARDS, rules.towards),
                            (_AT, rules.at)):  # fmt: skip
            for word in words:
                self._roles[word] = self._roles.get(word, 0) | role
        self._keys = _Keys()
        self._country_keys = _Keys()

    def same_country(self, a: str, b: str) -> bool:
        """Whether two country names are one country as `find` compares them."""
        return self._country_keys[a] == self._country_keys[b]

    def find(self, notes: str, own_country: str = "") -> Destination | None:
        start = 0
        own = self._country_keys[own_country] if own_country else None
        for match in [*_CLAUSE_END.finditer(notes), None]:
            end = len(notes) if match is None else match.start()
            found = self._in_clause(notes, start, end, own)
            if found is not None:
                return found
            if match is None:
                break
            start = match.end()
        return None

    # -- one clause ----------------------------------------------------------------------

    def _in_clause(self, notes: str, start: int, end: int, own: str | None) -> Destination | None:
        """The destination in notes[start:end]; `own` is the own country's key."""
        words = _Words(notes, start, end, _WORD.findall(notes, start, end))
        keys = words.keys = list(map(self._keys.__getitem__, words.texts))
        if self._verb_starts.isdisjoint(keys):
            return None  # no verb can start anywhere in this clause
        found = self._verb_at(keys, self._verbs) or self._verb_at(keys, self._movement_verbs)
        if found is None:
            return None
        first, verb = found
        rules = self.rules
        # One pass over the words after the verb: where the chain words stand (the
        # search runs up to each in turn: "..., then went to ...", a place found before
        # one is where the person went first) and each kind of preposition, leaving out
        # those that words before them rule out.
        stops: list[int] = []
        towards: list[int] = []
        at: list[int] = []
        roles = self._roles
        for i in range(verb, len(keys)):
            role = roles.get(keys[i], 0)
            if not role:
                continue
            if role & _CHAIN:
                stops.append(i)
            if role & (_TOWARDS | _AT) and self._may_lead(keys, i):
                if role & _TOWARDS:
                    towards.append(i)
                if role & _AT:
                    at.append(i)
        stops.append(len(keys))
        for stop in stops:
            words.stop = stop
            for positions in (towards, at):
                for i in positions:
                    if i >= stop:
                        break
                    j = i + 1
                    while j < stop and keys[j] in rules.fillers:
                        j += 1
                    place = self._place_at(words, j, own)
                    if place is not None:
                        where, country, last = place
                        spans = words.spans()
                        evidence = notes[spans[first][0] : spans[last][1]].rstrip(".,")
                        return Destination(country=country, place=where.name, evidence=evidence)
        return None

    def _verb_at(
        self, keys: Sequence[str], verbs: Mapping[str, tuple[tuple[str, ...], ...]]
    ) -> tuple[int, int] | None:
        """(first, last) word of the first of `verbs` the person did themselves.

        At each word, the verbs that start with it are tried in the rules' order.
        """
        rules = self.rules
        for i, key in enumerate(keys):
            for verb in verbs.get(key, ()):
                end = i + len(verb)
                if tuple(keys[i:end]) != verb:
                    continue
                if any(tuple(keys[max(0, i - len(f)) : i]) == f for f in rules.failed):
                    continue
                if end < len(keys) and keys[end] in rules.not_own_move:
                    continue
                return i, end - 1
        return None

    def _may_lead(self, keys: Sequence[str], i: int) -> bool:
        """False after words that rule the preposition out: 'stationed in', 'embassy in'."""
        return not any(
            tuple(keys[max(0, i + 1 - len(p)) : i + 1]) == p
            for p in self._not_before.get(keys[i], ())
        )

    def _place_at(self, words: _Words, j: int, own: str | None) -> tuple[Place, str, int] | None:
        """(place, country it counts under, index of its last word) starting at `j`."""
        if j >= words.stop:
            return None
        place, last = self._longest_place(words, j)
        if place is None:
            place, last = self._demonym_place(words, j)
        if place is None:
            return None
        country = place.country
        # "Vienna, Austria", "Seattle, Washington": the place after the comma decides.
        following = last + 1
        if place.kind in ("city", "region") and following < words.stop:
            spans = words.spans()
            if words.notes[spans[last][1] : spans[following][0]] == ", ":
                second, second_last = self._longest_place(words, following)
                if second is not None:
                    country, last = second.country, second_last
        after = words.keys[last + 1 : min(last + 3, words.stop)]
        if any(tuple(after[: len(p)]) == p for p in self.rules.not_after):
            return None
        country_key = self._country_keys[country]
        if country_key in self.rules.never_destination:
            return None
        if own is not None and country_key == own:
            return None
        return place, country, last

    def _longest_place(self, words: _Words, j: int) -> tuple[Place | None, int]:
        """The longest run of words from `j` naming a place, and its last word."""
        # Place names start with a capital: "to evade" is no place.
        if not words.texts[j][:1].isupper():
            return None, j
        # Runs grow a word at a time while they still begin some place's key, so the
        # longest one that is a key is found without trying every length. The keys are
        # name keys already: joined, they only need empty ones dropped to be the key
        # `Gazetteer.lookup` would make of the words.
        prefixes = self._prefixes
        found: tuple[Place | None, int] = (None, j)
        for size in range(1, min(self.gazetteer.longest_name_words, words.stop - j) + 1):
            key = " ".join(filter(None, words.keys[j : j + size]))
            if key not in prefixes:
                break
            place = self.gazetteer.lookup_key(key)
            if place is not None:
                found = (place, j + size - 1)
        return found

    def _demonym_place(self, words: _Words, j: int) -> tuple[Place | None, int]:
        for size in range(min(self._longest_demonym, words.stop - j - 1), 0, -1):
            place = self._demonyms.get(" ".join(words.keys[j : j + size]))
            if place is not None and words.keys[j + size] in self.rules.demonym_nouns:
                return place, j + size
        return None, j


# What a word after the verb can be (bits: a word may be more than one).
_CHAIN, _TOWARDS, _AT = 1, 2, 4
# Distinct words whose keys one finder keeps (a million-row source has many names).
_MAX_KEPT_KEYS = 200_000


class _Keys(dict[str, str]):
    """text -> name_key(text), each distinct text keyed once (a lookup runs in C)."""

    def __missing__(self, text: str) -> str:
        if len(self) >= _MAX_KEPT_KEYS:
            self.clear()
        key = self[text] = word_key(text)
        return key


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def word_key(text: str) -> str:
    """`name_key(text)`, without folding when the text is ASCII already.

    Folding ASCII changes nothing but case and spacing (normalising, transliterating
    and casefolding leave it as it is, and spaces become gaps either way), so for ASCII
    this is name_key's own last step alone; most words of a note are ASCII.
    """
    if not text.isascii():
        return name_key(text)
    lower = text.lower()
    return lower if lower.isalnum() else _NOT_ALNUM.sub(" ", lower).strip()


class _Words:
    """A clause's words and their keys, read only up to `stop`; where each word stands
    in the note is found only when a destination needs it."""

    __slots__ = ("_spans", "end", "keys", "notes", "start", "stop", "texts")

    def __init__(self, notes: str, start: int, end: int, texts: list[str]) -> None:
        self.notes, self.start, self.end = notes, start, end
        self.texts = texts
        self.keys: list[str] = []
        self.stop = len(texts)
        self._spans: list[tuple[int, int]] | None = None

    def spans(self) -> list[tuple[int, int]]:
        if self._spans is None:
            found = _WORD.finditer(self.notes, self.start, self.end)
            self._spans = [m.span() for m in found]
        return self._spans


def _by_word(
    phrases: Sequence[tuple[str, ...]], index: int
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases grouped by their word at `index` (0: first, -1: last), in their order."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        grouped.setdefault(phrase[index], []).append(phrase)
    return {word: tuple(group) for word, group in grouped.items()}


def attach_destinations(
    records: Sequence[CatalogRecord], finder: DestinationFinder
) -> tuple[CatalogRecord, ...]:
    """Records with `destination` inferred from their notes (None where unclear).

    Found once per distinct (notes, country): a big list repeats a few notes patterns
    over many rows. A record whose destination stays None is kept as it is.
    """
    anywhere: dict[str, Destination | None] = {}  # notes -> destination, any country
    found: dict[tuple[str, str], Destination | None] = {}
    out: list[CatalogRecord] = []
    for record in records:
        notes, country = record.notes, record.country
        if notes in anywhere:
            destination = anywhere[notes]
        else:
            destination = anywhere[notes] = finder.find(notes)
        # The own country only rules places out, in the same order: with none found
        # for any country there is none, and one not in the own country stays the one.
        if (
            destination is not None
            and country
            and finder.same_country(destination.country, country)
        ):
            key = (notes, country)
            if key not in found:
                found[key] = finder.find(notes, country)
            destination = found[key]
        if destination is None and record.destination is None:
            out.append(record)
        else:
            out.append(dataclasses.replace(record, destination=destination))
    return tuple(out)
