"""Known places (countries, historical states, regions, cities) from `resources/places.toml`,
with the names of the countries in every language (`place_names`: CLDR and ISO 3166)."""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.text import clean_cell, name_key

PLACE_KINDS = ("country", "historical-state", "region", "city")


@dataclass(frozen=True)
class Place:
    """A place: canonical name, kind, the country it counts under, spellings, demonyms,
    and its ISO 3166 code (alpha-2, or alpha-4 for a former country; '' if none) that
    gives its names in other languages."""

    name: str
    kind: str
    country: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    iso: str = ""


class Gazetteer:
    """Looks places up by any spelling, ignoring case and diacritics.

    Holds `places`, an index from `name_key` of every name and alias to its place, and
    the names in other languages (`foreign`, key -> index into `places`), looked up when
    no hand-written name matches. `keys`, `demonym_keys` and `longest_name_words` come
    ready made from the compiled resources; without them they are computed.

    The 20,000-odd foreign names are kept as one sorted, newline-joined text and a hex
    string of their places' indexes, and split into a list (searched by bisection) at
    the first lookup that needs them: a dict of them took 17 ms to read from JSON at
    every catalog load, and a saved catalog carries the two strings as they are.
    """

    def __init__(
        self,
        places: Sequence[Place],
        *,
        keys: Mapping[str, int] | None = None,
        demonym_keys: Mapping[str, int] | None = None,
        longest_name_words: int | None = None,
        foreign: Mapping[str, int] | None = None,
        foreign_text: str = "",
        foreign_owners: str = "",
    ) -> None:
        self.places = tuple(places)
        self._by_key: dict[str, Place] = {}
        if keys is None:
            for place in self.places:
                for spelling in (place.name, *place.aliases):
                    self._by_key.setdefault(name_key(spelling), place)
        else:
            self._by_key = {key: self.places[i] for key, i in keys.items()}
        if demonym_keys is not None:
            self.__dict__["demonym_index"] = {k: self.places[i] for k, i in demonym_keys.items()}
        if longest_name_words is None:
            longest_name_words = max((len(key.split()) for key in self._by_key), default=1)
        self.longest_name_words = longest_name_words
        if foreign is not None:
            ordered = sorted(k for k in foreign if k not in self._by_key)
            self.foreign_text = "\n".join(ordered)
            self.foreign_owners = "".join(f"{foreign[k]:04x}" for k in ordered)
        else:
            self.foreign_text, self.foreign_owners = foreign_text, foreign_owners
        self.demonyms = frozenset(d for p in self.places for d in p.demonyms)
        self._looked_up: dict[str, Place | None] = {}

    @cached_property
    def demonym_index(self) -> dict[str, Place]:
        """`name_key` of every demonym -> its place (the first place that gives it)."""
        index: dict[str, Place] = {}
        for place in self.places:
            for demonym in place.demonyms:
                index.setdefault(name_key(demonym), place)
        return index

    @cached_property
    def key_prefixes(self) -> frozenset[str]:
        """Every key's leading words ('', 'new', 'new york' for 'new york city'): a
        search for the longest place can stop at the first run of words that is none."""
        prefixes = {""}
        for key in self._by_key:
            words = key.split()
            prefixes.update(" ".join(words[:i]) for i in range(1, len(words) + 1))
        return frozenset(prefixes)

    def lookup(self, text: str) -> Place | None:
        # Parsers look the same birthplaces and words up again and again: each distinct
        # text is folded once (the memo is bounded for sources of a million rows).
        try:
            return self._looked_up[text]
        except KeyError:
            pass
        if len(self._looked_up) >= _MAX_REMEMBERED:
            self._looked_up.clear()
        place = self._looked_up[text] = self.lookup_key(name_key(text))
        return place

    def lookup_key(self, key: str) -> Place | None:
        """Look up a key that is already a `name_key` (as `lookup` makes of any text)."""
        if not key:
            return None
        place = self._by_key.get(key)
        if place is None and self.foreign_text:
            keys, owners = self._foreign
            at = bisect.bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                place = self.places[owners[at]]
        return place

    @cached_property
    def _foreign(self) -> tuple[list[str], array[int]]:
        """The foreign names, sorted, and their places' indexes."""
        owners = array("H", bytes.fromhex(self.foreign_owners))
        if sys.byteorder == "little":
            owners.byteswap()  # written big-endian, four hex digits each
        return self.foreign_text.split("\n"), owners

    def foreign_names(self) -> dict[str, Place]:
        """Every name in another language and its place (for tests and the count)."""
        keys, owners = self._foreign if self.foreign_text else ([], array("H"))
        return {key: self.places[i] for key, i in zip(keys, owners, strict=True)}

    def country_of(self, birthplace: str) -> str:
        """'Ukraine, Russian Empire' -> 'Ukraine': the first named place decides.

        An unknown place is returned as written, so nothing is lost or invented.
        """
        first = clean_cell(birthplace.split(",")[0])
        place = self.lookup(first)
        return place.country if place is not None else first

    def place_suffix(self, words: Sequence[str]) -> int:
        """How many trailing words name a known place, longest match first (0 if none).

        'North Vietnamese Army North Vietnam' -> 2 ('North Vietnam', not 'Vietnam').
        """
        for size in range(min(self.longest_name_words, len(words)), 0, -1):
            if self.lookup(" ".join(words[-size:])) is not None:
                return size
        return 0


# Texts whose lookups one gazetteer remembers.
_MAX_REMEMBERED = 100_000


def load_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer of `places.toml`, through its compiled twin when that is current."""
    # Imported here, as tomllib below: a catalog opened from the cache loads no resources.
    from defectors_catalog.domain.reference.compiled import through_twin

    return through_twin(path, gazetteer_from_data, gazetteer_from_toml)


def gazetteer_from_toml(path: Path) -> Gazetteer:
    """The gazetteer of `places.toml` read the slow way: the TOML, then every country's
    names in other languages from Babel and pycountry (seconds, the first time)."""
    places = _read_places(path)
    hand_written = Gazetteer(places)
    from defectors_catalog.domain.reference.place_names import foreign_names

    taken = set(hand_written._by_key) | set(hand_written.demonym_index)
    found = foreign_names(hand_written.places, taken, hand_written.longest_name_words)
    return Gazetteer(places, foreign=found.keys)


def _read_places(path: Path) -> list[Place]:
    import tomllib  # the pure-Python parser: only when there is no current twin

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"cannot load the gazetteer {path.name}: {exc}") from None
    places = []
    for number, entry in enumerate(data.get("place", []), 1):
        name = str(entry.get("name", "")).strip()
        kind = str(entry.get("kind", ""))
        if not name or kind not in PLACE_KINDS:
            raise CatalogError(f"{path.name}: place #{number} needs a name and a valid kind")
        places.append(
            Place(
                name=name,
                kind=kind,
                country=str(entry.get("country", name)),
                aliases=tuple(str(a) for a in entry.get("aliases", [])),
                demonyms=tuple(str(d) for d in entry.get("demonyms", [])),
                iso=str(entry.get("iso", "")),
            )
        )
    return places


def compile_gazetteer(path: Path) -> dict[str, Any]:
    """The places and both key indexes of `places.toml` (every language's names
    included), as JSON data for its twin."""
    return gazetteer_data(gazetteer_from_toml(path))


def gazetteer_data(gazetteer: Gazetteer) -> dict[str, Any]:
    """What `gazetteer_from_data` makes `gazetteer` again from (its twin, a saved catalog)."""
    position = {id(place): i for i, place in enumerate(gazetteer.places)}
    return {
        "places": [
            [p.name, p.kind, p.country, list(p.aliases), list(p.demonyms), p.iso]
            for p in gazetteer.places
        ],
        "keys": {key: position[id(p)] for key, p in gazetteer._by_key.items()},
        "demonym_keys": {key: position[id(p)] for key, p in gazetteer.demonym_index.items()},
        "longest_name_words": gazetteer.longest_name_words,
        "foreign_text": gazetteer.foreign_text,
        "foreign_owners": gazetteer.foreign_owners,
    }


def gazetteer_from_data(data: Mapping[str, Any]) -> Gazetteer:
    # The twin matched its TOML, so its values are trusted as they are (no str() each).
    places = [
        Place(name, kind, country, tuple(aliases), tuple(demonyms), iso)
        for name, kind, country, aliases, demonyms, iso in data["places"]
    ]
    return Gazetteer(
        places,
        keys=data["keys"],
        demonym_keys=data["demonym_keys"],
        longest_name_words=int(data["longest_name_words"]),
        foreign_text=data["foreign_text"],
        foreign_owners=data["foreign_owners"],
    )
