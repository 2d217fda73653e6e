"""The mask of each search-language term over a table: numpy over the search buffer,
the factorised columns and the facet columns, never a loop over records."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from defectors_catalog.domain.facets import FACET, FacetSpec
from defectors_catalog.domain.fields import SEARCH_FIELDS
from defectors_catalog.domain.query.search_language import SearchName
from defectors_catalog.domain.query.table import (
    NO_YEAR,
    BoolArray,
    CatalogTable,
    IntArray,
    search_field_bounds,
    search_field_gaps,
)
from defectors_catalog.domain.query.text_search import TextSearch
from defectors_catalog.domain.text import fold

# (value, label) of each of a facet's values, over all records.
FacetChoices = Callable[[FacetSpec], Sequence[tuple[str, str]]]
FacetMask = Callable[[FacetSpec, frozenset[str]], BoolArray]


def matching_values(
    folded: str, choices: Sequence[tuple[str, str]], extra: Mapping[str, Sequence[str]]
) -> frozenset[str]:
    """The values a typed term stands for: those with a name (the value, its label, or
    `extra` names such as a source's title) equal to it once folded; failing that,
    those holding it as whole words ('germany' in 'East Germany'); failing that, as the
    start of a word ('fan' in 'Fan-wiki copy')."""
    names = [
        (value, fold(name))
        for value, label in choices
        for name in (value, label, *extra.get(value, ()))
        if name
    ]
    escaped = re.escape(folded)
    tiers = (
        lambda name: name == folded,
        re.compile(rf"(?<![a-z0-9]){escaped}(?![a-z0-9])").search,
        re.compile(rf"(?<![a-z0-9]){escaped}").search,
    )
    for matches in tiers:
        found = frozenset(value for value, name in names if matches(name))
        if found:
            return found
    return frozenset()


class TableTermMasks:
    """Answers `search_language.TermMasks` for one table: holds the table, its text
    search, the engine's facet choices and masks, other names of each source (titles,
    badges), and the field bounds in the search buffer once a field term needs them."""

    def __init__(
        self,
        table: CatalogTable,
        search: TextSearch,
        everything: BoolArray,
        choices: FacetChoices,
        facet_mask: FacetMask,
        source_names: Mapping[str, Sequence[str]],
    ) -> None:
        self.table = table
        self.search = search
        self._all = everything
        self._choices = choices
        self._facet_mask = facet_mask
        self._source_names = source_names
        self._bounds: dict[str, tuple[IntArray, IntArray]] = {}
        self._gaps: IntArray | None = None
        # Where else a plain word is found: the person's own notes (the engine sets it).
        self.also: Callable[[bytes], BoolArray] | None = None

    def everything(self) -> BoolArray:
        return self._all

    def text(self, folded: str, target: SearchName | None) -> BoolArray:
        word = folded.encode("ascii", "replace")
        if target is None:
            found = self.search.mask(word)
            return found if self.also is None else found | self.also(word)
        mask = np.zeros(len(self.table), dtype=bool)
        if target.facet:
            facet = FACET[target.facet]
            extra = self._source_names if target.facet == "sources" else {}
            wanted = matching_values(folded, self._choices(facet), extra)
            if wanted:
                mask = mask | self._facet_mask(facet, wanted)
        if target.field in SEARCH_FIELDS:
            mask = mask | self._field_text(target.field, word)
        elif target.field:
            mask = mask | self._field_values(target.field, folded)
        return mask

    def years(self, low: int, high: int) -> BoolArray:
        year = self.table.year
        found: BoolArray = (year != NO_YEAR) & (year >= low) & (year <= high)
        return found

    def _field_text(self, key: str, word: bytes) -> BoolArray:
        """Records whose folded `key` field holds `word`: the word's offsets in the
        buffer, kept where they fall inside that field of their record."""
        if key not in self._bounds:
            if self._gaps is None:
                self._gaps = search_field_gaps(self.table)
            self._bounds[key] = search_field_bounds(self.table, key, self._gaps)
        begin, end = self._bounds[key]
        offsets = self.search.offsets(word)
        record = np.searchsorted(self.table.search_starts, offsets, side="right") - 1
        inside = (offsets >= begin[record]) & (offsets + len(word) <= end[record])
        mask = np.zeros(len(self.table), dtype=bool)
        mask[record[inside]] = True
        return mask

    def _field_values(self, key: str, folded: str) -> BoolArray:
        """Records whose factorised `key` value holds `folded`: a distinct value at a time."""
        factor = self.table.factors[key]
        wanted = np.array([folded in fold(v) for v in factor.values] + [False], dtype=bool)
        found: BoolArray = wanted[factor.codes]
        return found
