"""The query engine: filters, facet counts and sorting over a CatalogTable, all vectorised.

`QueryEngine.run(query)` returns the visible record positions in display order plus
facet counts, each facet counted under the other facets' selections (so ticking
'Hungary' does not zero the other countries' counts). Nothing here loops over records.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from app.domain.table import NO_YEAR, BoolArray, CatalogTable, Facet, IntArray
from app.domain.text import fold, fold_query_words

CONFIRMED = "confirmed"
ONLY_UNRELIABLE = "only-unreliable"
WITH_WARNINGS = "with-warnings"
WITHOUT_WARNINGS = "without-warnings"
LISTED_IN = "listed_in"  # how many sources list a record: "1", "2", ...
DESTINATION = "destination"  # the country inferred from the notes ("" when unclear)
FACETS = ("sources", "reliability", "country", "category", "warnings", LISTED_IN, DESTINATION)
SORTABLE = (
    "sources", "name", "alias", "profession", "category",
    "birthplace", "country", "year", "notes", "warnings",
)  # fmt: skip
_WORD_CACHE_SIZE = 64


@dataclass(frozen=True)
class Query:
    """What the person asked for. Within a facet values are OR-ed; facets are AND-ed."""

    text: str = ""
    sources: frozenset[str] = frozenset()
    reliability: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    warnings: frozenset[str] = frozenset()
    listed_in: frozenset[str] = frozenset()  # "1", "2", ...: number of sources
    destinations: frozenset[str] = frozenset()
    # Overlap between sources: listed by every source in `in_all`, by none in `in_none`.
    in_all: frozenset[str] = frozenset()
    in_none: frozenset[str] = frozenset()
    year_from: int | None = None
    year_to: int | None = None
    sort_column: str = "year"
    descending: bool = False

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.text.strip()
            or self.sources
            or self.reliability
            or self.countries
            or self.categories
            or self.warnings
            or self.listed_in
            or self.destinations
            or self.in_all
            or self.in_none
            or self.year_from is not None
            or self.year_to is not None
        )


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class QueryResult:
    """Visible positions in display order, and counts for every facet and year."""

    positions: IntArray
    facets: dict[str, tuple[FacetValue, ...]]
    years: IntArray  # each year that has records, ascending
    year_counts: IntArray  # records per year under every filter but the year range
    total: int
    warned: int = 0  # visible records that carry a warning
    words: tuple[str, ...] = field(default=())  # folded search words, for highlighting

    def __len__(self) -> int:
        return len(self.positions)


class QueryEngine:
    """Answers queries over one table; caches sort orders and recent search words."""

    def __init__(self, table: CatalogTable, extra: Mapping[str, Facet] | None = None) -> None:
        """`extra` holds facets not in the table (the inferred destination)."""
        self.table = table
        self.columns = {
            LISTED_IN: _listed_in_facet(table),
            DESTINATION: _empty_facet(len(table)),
            **(extra or {}),
        }
        self._buffer = np.frombuffer(table.search_blob, dtype=np.uint8)
        self._byte_frequency: IntArray | None = None
        self._orders: dict[tuple[str, bool], IntArray] = {}
        self._words: OrderedDict[bytes, tuple[IntArray, BoolArray]] = OrderedDict()
        self._all = np.ones(len(table), dtype=bool)
        valid_years = table.year[table.year != NO_YEAR]
        self.year_min = int(valid_years.min()) if len(valid_years) else 0
        self.year_max = int(valid_years.max()) if len(valid_years) else 0

    # -- public --------------------------------------------------------------------------

    def run(self, query: Query) -> QueryResult:
        table = self.table
        words = fold_query_words(query.text)
        masks = {
            "text": self.text_mask(words),
            "year": self._year_mask(query.year_from, query.year_to),
            "sources": self._sources_mask(query.sources),
            "reliability": self._flag_mask(table.only_unreliable, query.reliability,
                                           ONLY_UNRELIABLE, CONFIRMED),
            "country": self._facet_mask(table.country.codes, table.country.values,
                                        query.countries),
            "category": self._facet_mask(table.category.codes, table.category.values,
                                         query.categories),
            "warnings": self._flag_mask(table.has_warnings, query.warnings,
                                        WITH_WARNINGS, WITHOUT_WARNINGS),
            LISTED_IN: self._column_mask(LISTED_IN, query.listed_in),
            DESTINATION: self._column_mask(DESTINATION, query.destinations),
            "overlap": self._overlap_mask(query.in_all, query.in_none),
        }  # fmt: skip
        visible: BoolArray = np.logical_and.reduce(list(masks.values()))
        facets = {name: self._count(name, self._all_but(masks, name)) for name in FACETS}
        years, year_counts = self._year_histogram(self._all_but(masks, "year"))
        positions = self.order(query.sort_column, query.descending)
        positions = positions[visible[positions]]
        return QueryResult(
            positions=positions,
            facets=facets,
            years=years,
            year_counts=year_counts,
            total=len(table),
            warned=int(np.count_nonzero(table.has_warnings[positions])),
            words=tuple(w.decode("ascii") for w in words),
        )

    def order(self, column: str, descending: bool = False) -> IntArray:
        """All positions sorted by `column`; ties keep catalog order in both directions."""
        key = (column, descending)
        cached = self._orders.get(key)
        if cached is None:
            rank = self._rank(column)
            cached = np.argsort(-rank if descending else rank, kind="stable")
            self._orders[key] = cached
        return cached

    def text_mask(self, words: list[bytes]) -> BoolArray:
        """Records containing every word (substring of the folded fields)."""
        mask = self._all
        for word in words:
            mask = mask & self._word_mask(word)
        return mask

    # -- text search ---------------------------------------------------------------------

    def _word_mask(self, word: bytes) -> BoolArray:
        cached = self._words.get(word)
        if cached is not None:
            self._words.move_to_end(word)
            return cached[1]
        # Typing extends the word: narrow the previous word's match positions instead of
        # scanning the whole buffer again.
        prefix = max((w for w in self._words if word.startswith(w)), key=len, default=None)
        if prefix is not None:
            starts = self._extend(self._words[prefix][0], word, len(prefix))
        else:
            starts = self._scan(word)
        records = np.searchsorted(self.table.search_starts, starts, side="right") - 1
        mask = np.zeros(len(self.table), dtype=bool)
        mask[records] = True
        self._words[word] = (starts, mask)
        if len(self._words) > _WORD_CACHE_SIZE:
            self._words.popitem(last=False)
        return mask

    def _scan(self, word: bytes) -> IntArray:
        """Start offsets of `word` in the buffer: anchor on its rarest byte, then verify."""
        buffer = self._buffer
        if self._byte_frequency is None:
            self._byte_frequency = np.bincount(buffer, minlength=256)
        codes = np.frombuffer(word, dtype=np.uint8)
        by_rarity = np.argsort(self._byte_frequency[codes], kind="stable")
        anchor = int(by_rarity[0])
        starts = np.flatnonzero(buffer == codes[anchor]) - anchor
        starts = starts[(starts >= 0) & (starts + len(codes) <= len(buffer))]
        for offset in by_rarity[1:]:
            starts = starts[buffer[starts + int(offset)] == codes[offset]]
        return starts

    def _extend(self, starts: IntArray, word: bytes, known: int) -> IntArray:
        buffer = self._buffer
        starts = starts[starts + len(word) <= len(buffer)]
        for offset in range(known, len(word)):
            starts = starts[buffer[starts + offset] == word[offset]]
        return starts

    # -- filters -------------------------------------------------------------------------

    def _year_mask(self, year_from: int | None, year_to: int | None) -> BoolArray:
        year = self.table.year
        if year_from is None and year_to is None:
            return self._all
        mask: BoolArray = year != NO_YEAR
        if year_from is not None:
            mask &= year >= year_from
        if year_to is not None:
            mask &= year <= year_to
        return mask

    def _sources_mask(self, selected: frozenset[str]) -> BoolArray:
        if not selected:
            return self._all
        wanted = sum(1 << i for i, sid in enumerate(self.table.source_ids) if sid in selected)
        mask: BoolArray = (self.table.source_bits & np.uint64(wanted)) != 0
        return mask

    def _facet_mask(
        self, codes: np.ndarray, values: tuple[str, ...], selected: frozenset[str]
    ) -> BoolArray:
        if not selected:
            return self._all
        wanted = np.zeros(len(values) + 1, dtype=bool)
        for i, value in enumerate(values):
            wanted[i] = value in selected
        return np.asarray(wanted[codes], dtype=bool)

    def _column_mask(self, name: str, selected: frozenset[str]) -> BoolArray:
        column = self.columns[name]
        return self._facet_mask(column.codes, column.values, selected)

    def _overlap_mask(self, in_all: frozenset[str], in_none: frozenset[str]) -> BoolArray:
        if not in_all and not in_none:
            return self._all
        ids = self.table.source_ids
        required = np.uint64(sum(1 << i for i, sid in enumerate(ids) if sid in in_all))
        excluded = np.uint64(sum(1 << i for i, sid in enumerate(ids) if sid in in_none))
        bits = self.table.source_bits
        mask: BoolArray = ((bits & required) == required) & ((bits & excluded) == 0)
        if any(sid not in ids for sid in in_all):
            mask &= False  # a source this catalog does not have lists nothing
        return mask

    def _flag_mask(
        self, flag: BoolArray, selected: frozenset[str], when_true: str, when_false: str
    ) -> BoolArray:
        if not selected or selected >= {when_true, when_false}:
            return self._all
        if when_true in selected:
            return flag
        if when_false in selected:
            return ~flag
        return ~self._all

    @staticmethod
    def _all_but(masks: dict[str, BoolArray], skip: str) -> BoolArray:
        combined: BoolArray = np.logical_and.reduce(
            [m for name, m in masks.items() if name != skip]
        )
        return combined

    # -- counts --------------------------------------------------------------------------

    def _count(self, facet: str, base: BoolArray) -> tuple[FacetValue, ...]:
        table = self.table
        if facet == "sources":
            bits = table.source_bits[base]
            return tuple(
                FacetValue(sid, sid, int(np.count_nonzero(bits & np.uint64(1 << i))))
                for i, sid in enumerate(table.source_ids)
            )
        if facet == "reliability":
            unreliable = int(np.count_nonzero(table.only_unreliable[base]))
            total = int(np.count_nonzero(base))
            return (
                FacetValue(CONFIRMED, "Listed by a reliable source", total - unreliable),
                FacetValue(ONLY_UNRELIABLE, "Only in an unreliable list", unreliable),
            )
        if facet == "warnings":
            warned = int(np.count_nonzero(table.has_warnings[base]))
            total = int(np.count_nonzero(base))
            return (
                FacetValue(WITH_WARNINGS, "With warnings", warned),
                FacetValue(WITHOUT_WARNINGS, "Without warnings", total - warned),
            )
        if facet in self.columns:
            column = self.columns[facet]
        else:
            column = table.country if facet == "country" else table.category
        counts = np.bincount(column.codes[base], minlength=len(column.values))
        return tuple(
            FacetValue(value, label, int(count))
            for value, label, count in zip(column.values, column.labels, counts, strict=False)
        )

    def _year_histogram(self, base: BoolArray) -> tuple[IntArray, IntArray]:
        years = self.table.year[base]
        years = years[years != NO_YEAR]
        if not len(years):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        counts = np.bincount(years - self.year_min, minlength=self.year_max - self.year_min + 1)
        present = np.flatnonzero(counts)
        return (present + self.year_min).astype(np.int64), counts[present].astype(np.int64)

    # -- sorting -------------------------------------------------------------------------

    def _rank(self, column: str) -> IntArray:
        """An integer per record that orders like `column` (folded text, numeric year)."""
        table = self.table
        if column == "year":
            # Records without a year sort after all others.
            return np.where(table.year == NO_YEAR, np.iinfo(np.int32).max, table.year).astype(
                np.int64
            )
        if column == "sources":
            # Most-corroborated first when ascending; then by which sources.
            return -table.source_count.astype(np.int64) * (1 << 32) + table.source_bits.astype(
                np.int64
            )
        if column == "warnings":
            values = table.warning_codes
        elif column in table.text:
            values = table.text[column]
        else:
            raise ValueError(f"cannot sort by {column!r}; sortable: {', '.join(SORTABLE)}")
        folded = np.array([fold(v) for v in values], dtype=np.dtypes.StringDType())
        # Empty values sort last, as spreadsheets do.
        _, inverse = np.unique(folded, return_inverse=True)
        rank = inverse.astype(np.int64)
        rank[folded == ""] = len(values)
        return rank


def _listed_in_facet(table: CatalogTable) -> Facet:
    """How many sources list each record, as a facet: '1', '2', ... (vectorised)."""
    present, codes = np.unique(table.source_count, return_inverse=True)
    values = tuple(str(int(n)) for n in present)
    labels = tuple(f"Listed in {n} source{'s' if n != '1' else ''}" for n in values)
    return Facet(values, labels, codes.astype(np.int32).reshape(-1))


def _empty_facet(count: int) -> Facet:
    return Facet(("",), ("(none inferred)",), np.zeros(count, dtype=np.int32))
