"""Profession categories and the vocabulary that tells a profession from a name.

Both come from `resources/professions.toml`, so adding a keyword needs no code change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.text import fold

OTHER = "other"


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class SplitVocabulary:
    """Words that begin or continue a profession in text whose cell borders were lost."""

    organisation_heads: frozenset[str]
    qualifiers: frozenset[str]
    name_connectors: frozenset[str]
    profession_words: frozenset[str]  # folded single-word keywords, e.g. 'dancer', 'kgb'


class ProfessionClassifier:
    """Maps a raw profession to a category: first category (file order) with a keyword wins.

    Keywords match whole words or phrases of the folded profession, so 'ub' matches
    'UB, lieutenant colonel' but not 'Cuban'.
    """

    def __init__(self, categories: Sequence[Category], split: SplitVocabulary) -> None:
        self.categories = tuple(categories)
        self.split = split
        self.labels = {c.id: c.label for c in self.categories}
        self.labels.setdefault(OTHER, "Other")
        self._cache: dict[str, str] = {}

    @cached_property
    def _patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        # Compiled on the first `classify`: a catalog opened from the cache has every
        # record classified already, and compiling the 13 patterns costs a few ms.
        return [
            (c.id, re.compile(r"\b(?:" + "|".join(map(re.escape, c.keywords)) + r")\b"))
            for c in self.categories
            if c.keywords
        ]

    def classify(self, profession: str) -> str:
        cached = self._cache.get(profession)
        if cached is not None:
            return cached
        folded = fold(profession)
        category = next((cid for cid, rx in self._patterns if rx.search(folded)), OTHER)
        self._cache[profession] = category
        return category

    def label(self, category_id: str) -> str:
        return self.labels.get(category_id, category_id)


def load_professions(path: Path) -> ProfessionClassifier:
    """The classifier of `professions.toml`, through its compiled twin when current."""
    # Imported here, as tomllib below: a catalog opened from the cache loads no resources.
    from defectors_catalog.domain.reference.compiled import through_twin

    return through_twin(path, classifier_from_data, _read_professions)


def _read_professions(path: Path) -> ProfessionClassifier:
    import tomllib  # the pure-Python parser: only when there is no current twin

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"cannot load the profession categories {path.name}: {exc}") from None
    categories = []
    for number, entry in enumerate(data.get("category", []), 1):
        cid, label = str(entry.get("id", "")), str(entry.get("label", ""))
        if not cid or not label:
            raise CatalogError(f"{path.name}: category #{number} needs an id and a label")
        keywords = tuple(fold(str(k)) for k in entry.get("keywords", []) if str(k).strip())
        categories.append(Category(cid, label, keywords))
    split = data.get("split", {})
    return _classifier(
        categories,
        organisation_heads=[str(w) for w in split.get("organisation_heads", [])],
        qualifiers=[str(w) for w in split.get("qualifiers", [])],
        name_connectors=[str(w) for w in split.get("name_connectors", [])],
    )


def _classifier(
    categories: Sequence[Category],
    *,
    organisation_heads: Sequence[str],
    qualifiers: Sequence[str],
    name_connectors: Sequence[str],
) -> ProfessionClassifier:
    words = {k for c in categories for k in c.keywords if " " not in k}
    vocabulary = SplitVocabulary(
        organisation_heads=frozenset(organisation_heads),
        qualifiers=frozenset(qualifiers),
        name_connectors=frozenset(name_connectors),
        profession_words=frozenset(words),
    )
    return ProfessionClassifier(categories, vocabulary)


def compile_professions(path: Path) -> dict[str, Any]:
    """The categories (keywords folded) and split words of `professions.toml`, as JSON
    data for its twin."""
    return classifier_data(_read_professions(path))


def classifier_data(classifier: ProfessionClassifier) -> dict[str, Any]:
    """What `classifier_from_data` makes `classifier` again from (its twin, a saved catalog)."""
    split = classifier.split
    return {
        "categories": [[c.id, c.label, list(c.keywords)] for c in classifier.categories],
        "organisation_heads": sorted(split.organisation_heads),
        "qualifiers": sorted(split.qualifiers),
        "name_connectors": sorted(split.name_connectors),
    }


def classifier_from_data(data: Mapping[str, Any]) -> ProfessionClassifier:
    categories = [
        Category(str(cid), str(label), tuple(map(str, keywords)))
        for cid, label, keywords in data["categories"]
    ]
    return _classifier(
        categories,
        organisation_heads=list(map(str, data["organisation_heads"])),
        qualifiers=list(map(str, data["qualifiers"])),
        name_connectors=list(map(str, data["name_connectors"])),
    )
