"""Profession categories and the vocabulary that tells a profession from a name.

Both come from `resources/professions.toml`, so adding a keyword needs no code change.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import CatalogError
from app.domain.text import fold

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
        self._patterns = [
            (c.id, re.compile(r"\b(?:" + "|".join(map(re.escape, c.keywords)) + r")\b"))
            for c in self.categories
            if c.keywords
        ]
        self._cache: dict[str, str] = {}

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
    words = {k for c in categories for k in c.keywords if " " not in k}
    vocabulary = SplitVocabulary(
        organisation_heads=frozenset(str(w) for w in split.get("organisation_heads", [])),
        qualifiers=frozenset(str(w) for w in split.get("qualifiers", [])),
        name_connectors=frozenset(str(w) for w in split.get("name_connectors", [])),
        profession_words=frozenset(words),
    )
    return ProfessionClassifier(categories, vocabulary)
