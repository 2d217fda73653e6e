"""Known places (countries, historical states, regions, cities) from `resources/places.toml`."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import CatalogError
from app.domain.text import clean_cell, name_key

PLACE_KINDS = ("country", "historical-state", "region", "city")


@dataclass(frozen=True)
class Place:
    """A place: canonical name, kind, the country it counts under, spellings and demonyms."""

    name: str
    kind: str
    country: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


class Gazetteer:
    """Looks places up by any spelling, ignoring case and diacritics.

    Holds `places` and an index from `name_key` of every name and alias to its place.
    """

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = tuple(places)
        self._by_key: dict[str, Place] = {}
        for place in self.places:
            for spelling in (place.name, *place.aliases):
                self._by_key.setdefault(name_key(spelling), place)
        self.longest_name_words = max((len(key.split()) for key in self._by_key), default=1)
        self.demonyms = frozenset(d for p in self.places for d in p.demonyms)

    def lookup(self, text: str) -> Place | None:
        key = name_key(text)
        return self._by_key.get(key) if key else None

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


def load_gazetteer(path: Path) -> Gazetteer:
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
            )
        )
    return Gazetteer(places)
