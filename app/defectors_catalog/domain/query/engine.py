"""The query engine: filters, facet counts and sorting over a CatalogTable, all vectorised.

`QueryEngine.run(query)` returns the visible record positions in display order plus
facet counts, each facet counted under the other facets' selections (so ticking
'Hungary' does not zero the other countries' counts). Nothing here loops over records.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np

from defectors_catalog.domain.facets import COUNTED, FACET, FacetKind, FacetSpec
from defectors_catalog.domain.fields import SEARCH_FIELDS, SORTABLE
from defectors_catalog.domain.query.search_language import (
    NAMES,
    SearchError,
    SearchSyntaxError,
    evaluate,
    parse,
    positive_words,
)
from defectors_catalog.domain.query.search_masks import TableTermMasks
from defectors_catalog.domain.query.sorting import (
    rank_distinct,
    rank_slices,
    rank_strings,
    stable_order,
)
from defectors_catalog.domain.query.table import (
    NO_YEAR,
    SOURCE_WORD_BITS,
    AnnotationColumns,
    BoolArray,
    CatalogTable,
    Coded,
    IntArray,
    listed_all,
    listed_any,
    no_annotations,
    search_field_bounds,
    search_field_gaps,
    source_mask,
)
from defectors_catalog.domain.query.text_search import TextSearch
from defectors_catalog.domain.text import fold_query_words

# Up to this many sources, the sort by sources ranks with one int64: (fewest missing)
# times 2**sources plus the bits, with room for a count of up to 127 sources.
_BITS_IN_ONE_RANK = 55


def _bit(index: int) -> np.uint64:
    """Source `index`'s bit within its word of `source_bits`."""
    return np.uint64(1 << index % SOURCE_WORD_BITS)


@dataclass(frozen=True)
class Query:
    """What the person asked for. Within a facet values are OR-ed; facets are AND-ed.

    `selections` maps a facet key (`facets.FACETS`) to its ticked values.
    """

    text: str = ""
    selections: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    # Overlap between sources: listed by every source in `in_all`, by none in `in_none`.
    in_all: frozenset[str] = frozenset()
    in_none: frozenset[str] = frozenset()
    year_from: int | None = None
    year_to: int | None = None
    sort_column: str = "year"
    descending: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.selections) - set(FACET)
        if unknown:
            raise ValueError(f"unknown facet {sorted(unknown)}; known: {', '.join(FACET)}")
        # Ticked values arrive as any collection; the query keeps frozen copies of the
        # non-empty ones, so two queries asking the same are equal.
        cleaned = {key: frozenset(values) for key, values in self.selections.items() if values}
        object.__setattr__(self, "selections", cleaned)

    def selected(self, facet: str) -> frozenset[str]:
        return frozenset(self.selections.get(facet, ()))


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
    # The search text's first problem (the box underlines its span); the text was then
    # searched as plain words, as before the search language.
    search_error: SearchError | None = None

    def __len__(self) -> int:
        return len(self.positions)


class QueryEngine:
    """Answers queries over one table; caches sort orders and recent search words.

    Safe to call from several threads: the window runs big queries on a worker thread
    while its GUI thread may ask for a sort order, and the caches are not atomic.
    """

    def __init__(
        self, table: CatalogTable, source_names: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        """`source_names`: other names of each source id (its title, its badge) that a
        `source:` term may use."""
        self.table = table
        self.search = TextSearch(table.search_blob, table.search_starts)
        self._lock = threading.RLock()
        self._orders: dict[tuple[str, bool], IntArray] = {}
        self._ranks: dict[str, IntArray] = {}
        self._field_gaps: IntArray | None = None
        self._whole: dict[str, tuple[FacetValue, ...]] = {}  # facet counts over all records
        self._whole_years: tuple[IntArray, IntArray] | None = None
        self._all = np.ones(len(table), dtype=bool)
        self.terms = TableTermMasks(
            table, self.search, self._all, self._choices, self._facet_mask, source_names or {}
        )
        valid_years = table.year[table.year != NO_YEAR]
        self.year_min = int(valid_years.min()) if len(valid_years) else 0
        self.year_max = int(valid_years.max()) if len(valid_years) else 0
        self.annotations = no_annotations(len(table))
        self._note_search: TextSearch | None = None

    def set_annotations(self, columns: AnnotationColumns) -> None:
        """Use the person's verdicts from now on (after the store was opened or refreshed);
        what was cached about the old ones is dropped."""
        if len(columns) != len(self.table):
            raise ValueError(f"annotations for {len(columns)} records, the table has {len(self)}")
        with self._lock:
            self.annotations = columns
            self._note_search = TextSearch(columns.note_blob, columns.note_starts)
            # The search language's plain words look in the notes too (when there are any).
            self.terms.also = self._note_mask if len(columns.note_records) else None
            for facet in COUNTED:
                if facet.annotation:
                    self._whole.pop(facet.key, None)
            self._whole_years = None  # counted under the annotation facets' masks too
            for key in columns.text:
                self._ranks.pop(key, None)
                self._orders.pop((key, False), None)
                self._orders.pop((key, True), None)

    def __len__(self) -> int:
        return len(self.table)

    # -- public --------------------------------------------------------------------------

    def run(self, query: Query) -> QueryResult:
        with self._lock:
            return self._run(query)

    def _run(self, query: Query) -> QueryResult:
        table = self.table
        text_mask, words, error = self._search(query.text)
        masks = self._masks(query, text_mask)
        visible = self._all_but(masks, "")
        facets, years, year_counts = self._counts(masks)
        positions = self._order(query.sort_column, query.descending)
        positions = positions[visible[positions]]
        return QueryResult(
            positions=positions,
            facets=facets,
            years=years,
            year_counts=year_counts,
            total=len(table),
            warned=int(np.count_nonzero(table.has_warnings[positions])),
            words=words,
            search_error=error,
        )

    def counts(self, query: Query) -> tuple[dict[str, tuple[FacetValue, ...]], IntArray, IntArray]:
        """The facet counts, years and year counts `run(query)` would give."""
        with self._lock:
            return self._counts(self._masks(query, self._search(query.text)[0]))

    def search_values(self, facet: str) -> tuple[FacetValue, ...]:
        """Every value of `facet` with its count over all records (for completion)."""
        with self._lock:
            if facet not in self._whole:
                self._whole[facet] = self._count(FACET[facet], self._all)
            return self._whole[facet]

    def completions(self, name: str) -> tuple[FacetValue, ...]:
        """What may follow `name:` in the search box (a name of `search_names()`), with
        how many records each gives: a facet's values (from its counts), a repeated
        field's distinct values (professions, birthplaces), or the years; most records
        first. Insert `search_language.quoted(value.label)` after the colon."""
        target = NAMES.get(name.lower())
        if target is None:
            return ()
        if target.facet:
            values = [v for v in self.search_values(target.facet) if v.count]
        elif target.years:
            years, counts = self._whole_years or self._year_histogram(self._all)
            values = [
                FacetValue(str(y), str(y), int(n)) for y, n in zip(years, counts, strict=True)
            ]
        elif target.field in self.table.factors:
            factor = self.table.factors[target.field]
            counts = np.bincount(factor.codes, minlength=len(factor.values))
            values = [FacetValue(v, v, int(n)) for v, n in zip(factor.values, counts, strict=False)
                      if v and n]  # fmt: skip
        else:
            return ()  # free text (names, notes): nothing to list
        return tuple(sorted(values, key=lambda v: -v.count))

    def _choices(self, facet: FacetSpec) -> list[tuple[str, str]]:
        return [(v.value, v.label) for v in self.search_values(facet.key)]

    def _search(self, text: str) -> tuple[BoolArray, tuple[str, ...], SearchError | None]:
        """The search text's mask (in the search language), the words to highlight, and
        its first problem; a text that cannot be read is searched as plain words."""
        try:
            node = parse(text)
        except SearchSyntaxError as exc:
            words = fold_query_words(text)
            plain = tuple(w.decode("ascii") for w in words)
            return self._text_mask(words), plain, exc.error
        return evaluate(node, self.terms), positive_words(node), None

    def _masks(self, query: Query, text_mask: BoolArray) -> dict[str, BoolArray]:
        """One mask per filter; a filter that is off gives `self._all` itself."""
        masks = {facet.key: self._facet_mask(facet, query.selected(facet.key)) for facet in COUNTED}
        masks["text"] = text_mask
        masks["year"] = self._year_mask(query.year_from, query.year_to)
        masks["overlap"] = self._overlap_mask(query.in_all, query.in_none)
        return masks

    def _facet_mask(self, facet: FacetSpec, selected: frozenset[str]) -> BoolArray:
        if facet.kind is FacetKind.SOURCES:
            return self._sources_mask(selected)
        if facet.kind is FacetKind.FLAG:
            return self._flag_mask(facet, selected)
        if facet.kind is FacetKind.TAGS:
            return self._tags_mask(selected)
        column = self._coded(facet)
        return self._values_mask(column.codes, column.values, selected)

    def _coded(self, facet: FacetSpec) -> Coded:
        return self.annotations.status if facet.annotation else self.table.facets[facet.column]

    def _flag(self, facet: FacetSpec) -> BoolArray:
        holder = self.annotations if facet.annotation else self.table
        flag: BoolArray = getattr(holder, facet.column)
        return flag

    def _tags_mask(self, selected: frozenset[str]) -> BoolArray:
        """Records carrying any of the `selected` tags (folded), through the pairs."""
        if not selected:
            return self._all
        tags = self.annotations.tags
        wanted = np.array([value in selected for value in tags.values] + [False], dtype=bool)
        mask = np.zeros(len(self.table), dtype=bool)
        mask[self.annotations.tag_records[wanted[tags.codes]]] = True
        return mask

    def _counts(
        self, masks: dict[str, BoolArray]
    ) -> tuple[dict[str, tuple[FacetValue, ...]], IntArray, IntArray]:
        """Each facet counted under every other filter; counts over all records are
        computed once and kept (the table never changes)."""
        facets = {}
        for facet in COUNTED:
            name = facet.key
            base = self._all_but(masks, name)
            if base is not self._all:
                facets[name] = self._count(facet, base)
            elif name in self._whole:
                facets[name] = self._whole[name]
            else:
                facets[name] = self._whole[name] = self._count(facet, base)
        base = self._all_but(masks, "year")
        if base is not self._all:
            return facets, *self._year_histogram(base)
        if self._whole_years is None:
            self._whole_years = self._year_histogram(base)
        return facets, *self._whole_years

    def order(self, column: str, descending: bool = False) -> IntArray:
        """All positions sorted by `column`; ties keep catalog order in both directions."""
        with self._lock:
            return self._order(column, descending)

    def _order(self, column: str, descending: bool) -> IntArray:
        key = (column, descending)
        cached = self._orders.get(key)
        if cached is None:
            rank = self._ranks.get(column)
            if rank is None:
                rank = self._ranks[column] = self._rank(column)
            cached = stable_order(rank, descending)
            self._orders[key] = cached
        return cached

    def _text_mask(self, words: list[bytes]) -> BoolArray:
        mask = self._all
        noted = len(self.annotations.note_records) > 0  # most catalogs: no note, no cost
        for word in words:
            found = self.search.mask(word)
            mask = mask & (found | self._note_mask(word) if noted else found)
        return mask

    def _note_mask(self, word: bytes) -> BoolArray:
        """Records whose own note (the person's) holds `word`."""
        found = np.zeros(len(self.table), dtype=bool)
        if self._note_search is not None and len(self.annotations.note_records):
            found[self.annotations.note_records[self._note_search.mask(word)]] = True
        return found

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
        wanted = source_mask(self.table.source_ids, selected)
        return listed_any(self.table.source_bits, wanted)

    def _values_mask(
        self, codes: np.ndarray, values: tuple[str, ...], selected: frozenset[str]
    ) -> BoolArray:
        if not selected:
            return self._all
        wanted = np.zeros(len(values) + 1, dtype=bool)
        for i, value in enumerate(values):
            wanted[i] = value in selected
        return np.asarray(wanted[codes], dtype=bool)

    def _overlap_mask(self, in_all: frozenset[str], in_none: frozenset[str]) -> BoolArray:
        if not in_all and not in_none:
            return self._all
        ids = self.table.source_ids
        bits = self.table.source_bits
        mask: BoolArray = listed_all(bits, source_mask(ids, in_all))
        if in_none:
            mask &= ~listed_any(bits, source_mask(ids, in_none))
        if any(sid not in ids for sid in in_all):
            mask &= False  # a source this catalog does not have lists nothing
        return mask

    def _flag_mask(self, facet: FacetSpec, selected: frozenset[str]) -> BoolArray:
        flag = self._flag(facet)
        wanted = {means for value, _, means in facet.flag_values if value in selected}
        if not selected or wanted == {True, False}:
            return self._all
        if True in wanted:
            return flag
        if False in wanted:
            return ~flag
        return ~self._all

    def _all_but(self, masks: dict[str, BoolArray], skip: str) -> BoolArray:
        # Most filters are off; an unfiltered mask is `self._all` and is left out.
        active = [m for name, m in masks.items() if name != skip and m is not self._all]
        if not active:
            return self._all
        if len(active) == 1:
            return active[0]
        combined: BoolArray = np.logical_and.reduce(active)
        return combined

    # -- counts --------------------------------------------------------------------------

    def _count(self, facet: FacetSpec, base: BoolArray) -> tuple[FacetValue, ...]:
        table = self.table
        if facet.kind is FacetKind.SOURCES:
            # A column of words at a time, then the filter: indexing the 2-D array with
            # the mask first is a third slower at a million records.
            words = [table.source_bits[:, w][base] for w in range(table.source_bits.shape[1])]
            return tuple(
                FacetValue(sid, sid, int(np.count_nonzero(words[i // SOURCE_WORD_BITS] & _bit(i))))
                for i, sid in enumerate(table.source_ids)
            )
        if facet.kind is FacetKind.FLAG:
            flagged = int(np.count_nonzero(self._flag(facet)[base]))
            total = int(np.count_nonzero(base))
            return tuple(
                FacetValue(value, label, flagged if means else total - flagged)
                for value, label, means in facet.flag_values
            )
        if facet.kind is FacetKind.TAGS:
            tags = self.annotations.tags
            pairs = tags.codes[base[self.annotations.tag_records]]
            counts = np.bincount(pairs, minlength=len(tags.values))
            return tuple(
                FacetValue(value, label, int(count))
                for value, label, count in zip(tags.values, tags.labels, counts, strict=False)
            )
        column = self._coded(facet)
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
            return np.where(table.year == NO_YEAR, self.year_max + 1, table.year).astype(np.int64)
        if column == "sources":
            # Most-corroborated first when ascending; then by which sources.
            listed = table.source_count.astype(np.int64)
            most = int(listed.max()) if len(listed) else 0
            if len(table.source_ids) <= _BITS_IN_ONE_RANK:
                bits: IntArray = table.source_bits[:, 0].astype(np.int64)
                return (most - listed) * (1 << len(table.source_ids)) + bits
            # More sources than one integer can rank with: the rows of (fewest missing,
            # words from the last source's down) in order, as np.unique sorts them.
            keys = np.column_stack([(most - listed).astype(np.uint64), table.source_bits[:, ::-1]])
            inverse: IntArray = np.unique(keys, axis=0, return_inverse=True)[1]
            return inverse.reshape(-1).astype(np.int64)
        # Empty values sort last, as spreadsheets do; no Python loop per record.
        if column in table.sort_keys:
            return table.sort_keys[column].astype(np.int64)
        if column in table.factors:
            factor = table.factors[column]
            return rank_distinct(factor.values, factor.codes)
        if column in SEARCH_FIELDS:  # already folded in the search buffer
            if self._field_gaps is None:
                self._field_gaps = search_field_gaps(table)
            begin, end = search_field_bounds(table, column, self._field_gaps)
            return rank_slices(self.search.buffer, begin, end)
        if column == "warnings":
            return rank_strings(table.warning_codes)
        if column in table.text:
            return rank_strings(table.text[column])
        if column == "status":  # in the order the statuses are declared
            return self.annotations.status.codes.astype(np.int64)
        if column in self.annotations.text:
            return rank_strings(self.annotations.text[column].tolist())
        raise ValueError(f"cannot sort by {column!r}; sortable: {', '.join(SORTABLE)}")
