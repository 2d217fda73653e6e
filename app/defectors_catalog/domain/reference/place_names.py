"""Country names in every language, for the gazetteer: `Russland`, `Węgry`, `Россия`.

They are not typed by hand: a place of `places.toml` with an `iso` code takes
- for a present-day country (ISO 3166-1 alpha-2), its name in every locale of the Unicode
  CLDR (through Babel: `Locale('de').territories['RU']` is 'Russland'), and its ISO 3166
  names in every language of the iso-codes translations (through pycountry);
- for a state that no longer exists (ISO 3166-3 alpha-4: SUHH, DDDE, CSHH, YUCS), its
  ISO 3166-3 names and their translations (pycountry: 'Deutsche Demokratische Republik').
What neither knows (East Germany as written in French, the Russian Empire, Ossetia, the
cities) stays hand-written in `places.toml`.

This runs only when the gazetteer's compiled twin is made (or when there is no current
twin): Babel and pycountry are never imported to open the app or load the seeds. Each
name becomes a `name_key`, so it is matched folded like every other spelling.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from defectors_catalog.domain.text import name_key

if TYPE_CHECKING:
    from defectors_catalog.domain.reference.gazetteer import Place

# Folded to ASCII, names in scripts written without vowels (Arabic, Hebrew) or in
# syllables read as Latin words ('Duc', 'Nga', 'Lasa'): only alphabets that fold letter
# by letter are taken.
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
# Shorter keys are too often a word or a name part of another language ('rus', 'duc').
MIN_KEY_LENGTH = 4


@dataclass(frozen=True)
class ForeignNames:
    """`keys`: name key -> index of its place, in place order; `languages`: the
    languages (CLDR and iso-codes codes) that gave at least one name."""

    keys: dict[str, int]
    languages: frozenset[str]


def foreign_names(places: Sequence[Place], taken: set[str], longest_words: int) -> ForeignNames:
    """The names of the places with an `iso` code, but those already `taken` (a
    hand-written name, alias or demonym key), those of more than one place, the short
    ones, and those longer than `longest_words` words (official long forms, which the
    lists do not write and which would slow the search for a place)."""
    codes = tuple(place.iso for place in places)
    found, languages = _names_by_code(codes)
    owners: dict[str, set[int]] = defaultdict(set)
    for index, place in enumerate(places):
        for key in found.get(place.iso, ()):
            owners[key].add(index)
    keys: dict[str, int] = {}
    for index, place in enumerate(places):
        for key in sorted(found.get(place.iso, ())):
            if (
                key in taken
                or len(owners[key]) > 1
                or len(key) < MIN_KEY_LENGTH
                or len(key.split()) > longest_words
            ):
                continue
            keys.setdefault(key, index)
    return ForeignNames(keys, frozenset(languages))


@functools.cache
def _names_by_code(codes: tuple[str, ...]) -> tuple[dict[str, set[str]], set[str]]:
    """ISO code -> the name keys of every language; and the languages that gave any.
    Cached: the twin's test and the slow path both ask, and CLDR takes seconds."""
    wanted = {code for code in codes if code}
    names: dict[str, set[str]] = defaultdict(set)
    languages: set[str] = set()
    for language, code, name in _cldr_names(wanted):
        if _alphabetic(name):
            names[code].add(name_key(name))
            languages.add(language)
    for language, code, name in _iso_names(wanted):
        if _alphabetic(name):
            names[code].add(name_key(name))
            languages.add(language)
    return {code: {k for k in keys if k} for code, keys in names.items()}, languages


def _cldr_names(wanted: set[str]) -> Iterator[tuple[str, str, str]]:
    from babel import Locale, UnknownLocaleError, localedata

    for identifier in localedata.locale_identifiers():
        try:
            locale = Locale.parse(identifier)
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in locale.territories.items():
            if code in wanted:
                yield locale.language, code, name


def _iso_names(wanted: set[str]) -> Iterator[tuple[str, str, str]]:
    import gettext

    import pycountry

    present = [c for c in pycountry.countries if c.alpha_2 in wanted]
    former = [c for c in pycountry.historic_countries if c.alpha_4 in wanted]
    folder = Path(pycountry.LOCALES_DIR)
    languages = ["en", *sorted(p.name for p in folder.iterdir() if p.is_dir())]
    for language in languages:
        short = language.split("_")[0]
        for country in present:
            translate = _translator(gettext, folder, "iso3166-1", language)
            for attribute in ("name", "official_name", "common_name"):
                english = getattr(country, attribute, None)
                if english and translate is not None:
                    yield short, country.alpha_2, translate(english)
        for country in former:
            translate = _translator(gettext, folder, "iso3166-3", language)
            if translate is not None:
                for name in _historic_forms(country.name, translate(country.name)):
                    yield short, country.alpha_4, name


@functools.cache
def _translator(
    gettext: Any, folder: Path, domain: str, language: str
) -> Callable[[str], str] | None:
    """The translation of one iso-codes domain (None when the language has none)."""
    if language == "en":
        return str
    try:
        translation = gettext.translation(domain, str(folder), [language])
    except OSError:
        return None
    result: Callable[[str], str] = translation.gettext
    return result


def _historic_forms(english: str, translated: str) -> list[str]:
    """The names an ISO 3166-3 entry stands for.

    'USSR, Union of Soviet Socialist Republics' is two names; 'Viet-Nam, Democratic
    Republic of' is one, inverted ('Democratic Republic of Viet-Nam'), and its first
    part alone would be another country.
    """
    parts = [p.strip() for p in translated.split(",") if p.strip()]
    if not english.endswith(" of"):
        return parts
    if translated == english:
        return [f"{parts[-1]} {parts[0]}"]
    return [translated] if len(parts) == 1 else []  # a translation inverted otherwise


def _alphabetic(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith(SCRIPTS) for c in letters)
