"""Transliteration variants of first names, from `resources/name_variants.toml`.

The same Russian name reaches an English list as `Aleksandr`, `Alexander` or `Alexandr`,
a German one as `Alexander`, a Polish one as `Aleksander`; `Юрий` as `Yuri`, `Yury`,
`Youri` or `Jurij`. The merge compares names with the first name replaced by its group's
first spelling (`match_key`), so `Aleksandr Orlov` meets `Alexander Orlov`; the rest of
the name is compared as before (exactly, or with rapidfuzz), and the merge records why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.text import name_key


@dataclass(frozen=True)
class NameVariants:
    """`canonical`: the name key of every spelling -> the name key of its group's first
    spelling (which maps to itself)."""

    canonical: Mapping[str, str] = field(default_factory=dict)

    def match_key(self, key: str) -> str:
        """'aleksandr orlov' -> 'alexander orlov': a name key with its first word made
        the group's first spelling; other keys as they are."""
        first, space, rest = key.partition(" ")
        canonical = self.canonical.get(first)
        return key if canonical is None or not space else f"{canonical} {rest}"

    def same_name(self, a: str, b: str) -> bool:
        """Whether two first names (as written) are variants of one name."""
        key_a, key_b = name_key(a), name_key(b)
        found = self.canonical.get(key_a)
        return key_a != key_b and found is not None and found == self.canonical.get(key_b)


NO_VARIANTS = NameVariants()


def load_name_variants(path: Path) -> NameVariants:
    """The variants of `name_variants.toml`, through its compiled twin when current."""
    from defectors_catalog.domain.reference.compiled import through_twin

    return through_twin(path, variants_from_data, _read_variants)


def _read_variants(path: Path) -> NameVariants:
    import tomllib  # the pure-Python parser: only when there is no current twin

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"cannot load the name variants {path.name}: {exc}") from None
    canonical: dict[str, str] = {}
    for number, group in enumerate(data.get("group", []), 1):
        names = [name_key(str(n)) for n in group.get("names", [])]
        if len(names) < 2 or not all(names) or any(" " in n for n in names):
            raise CatalogError(
                f"{path.name}: group #{number} needs two or more one-word first names"
            )
        for key in names:
            if canonical.get(key, names[0]) != names[0]:
                raise CatalogError(f"{path.name}: '{key}' is in two groups (#{number})")
            canonical[key] = names[0]
    return NameVariants(canonical)


def compile_name_variants(path: Path) -> dict[str, Any]:
    """The variants of `name_variants.toml`, as JSON data for its twin."""
    return {"canonical": dict(_read_variants(path).canonical)}


def variants_from_data(data: Mapping[str, Any]) -> NameVariants:
    return NameVariants(dict(data["canonical"]))
