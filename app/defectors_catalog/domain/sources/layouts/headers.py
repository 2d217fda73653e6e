"""Header words → fields, in the languages of `resources/headers.toml`, with a score."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.text import fold

# The fields a table column can be read into; "ignore" reads it into none.
FIELDS = ("name", "profession", "birthplace", "year", "notes")
IGNORE = "ignore"
LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "ru": "Russian",
    "pl": "Polish",
    "hu": "Hungarian",
    "cs": "Czech",
}
EXACT, BARE, CONTAINED = 1.0, 0.9, 0.7
_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def _bare(folded: str) -> str:
    """'year (of defection):' -> 'year of defection'."""
    return _PUNCTUATION.sub(" ", folded).strip()


@dataclass(frozen=True)
class HeaderMatch:
    """What a header cell was read as: a field (or None), how sure, and why."""

    field: str | None  # one of FIELDS, IGNORE for a known non-field, None when unknown
    score: float
    reason: str


class HeaderWords:
    """Folded header word -> (field, language) from the vocabulary file."""

    def __init__(self, words: Mapping[str, tuple[str, str]]) -> None:
        self.exact = dict(words)
        self.bare: dict[str, tuple[str, str]] = {}
        for word, found in words.items():
            self.bare.setdefault(_bare(word), found)
        self._phrases = sorted(
            ((phrase, found) for phrase, found in self.bare.items() if len(phrase) >= 3),
            key=lambda item: -len(item[0]),
        )

    def match(self, header: str) -> HeaderMatch:
        folded = fold(header)
        if not folded:
            return HeaderMatch(None, 0.0, "empty header")
        found = self.exact.get(folded)
        if found is not None:
            return HeaderMatch(found[0], EXACT, f"{LANGUAGES[found[1]]} header word")
        bare = _bare(folded)
        found = self.bare.get(bare)
        if found is not None:
            return HeaderMatch(found[0], BARE, f"{LANGUAGES[found[1]]} header word")
        padded = f" {bare} "
        fields: dict[str, tuple[str, str]] = {}
        for phrase, (field, language) in self._phrases:
            if f" {phrase} " in padded:
                fields.setdefault(field, (phrase, language))
        if len(fields) == 1:
            field, (phrase, language) = next(iter(fields.items()))
            if field != IGNORE:
                return HeaderMatch(
                    field, CONTAINED, f"holds the {LANGUAGES[language]} word '{phrase}'"
                )
        if len(fields) > 1:
            named = ", ".join(sorted(f for f in fields if f != IGNORE)) or "none"
            return HeaderMatch(None, 0.0, f"holds words of several fields ({named})")
        return HeaderMatch(None, 0.0, "not a known header word")

    def field_of(self, header: str) -> str | None:
        """The field of a header that is exactly a known word (the strict test the
        text layouts use to tell a header line from a row)."""
        found = self.exact.get(fold(header))
        return None if found is None or found[0] == IGNORE else found[0]


def load_header_words(path: Path) -> HeaderWords:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"cannot read the header words in {path}: {exc}") from None
    words: dict[str, tuple[str, str]] = {}
    for field, languages in data.items():
        if field not in (*FIELDS, IGNORE) or not isinstance(languages, dict):
            raise CatalogError(f"{path.name}: [{field}] is not a field ({', '.join(FIELDS)})")
        for language, spellings in languages.items():
            if language not in LANGUAGES or not isinstance(spellings, list):
                raise CatalogError(f"{path.name}: [{field}] {language}: not a language list")
            for spelling in spellings:
                folded = fold(str(spelling))
                other = words.get(folded)
                if other is not None and other[0] != field:
                    raise CatalogError(
                        f"{path.name}: {spelling!r} is a header word of both {other[0]} and {field}"
                    )
                words.setdefault(folded, (field, language))
    return HeaderWords(words)


@cache
def default_header_words() -> HeaderWords:
    """The bundled vocabulary, read once (for callers without a parse context)."""
    from defectors_catalog import paths

    return load_header_words(paths.resources_dir() / "headers.toml")
