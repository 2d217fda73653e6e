"""The vectorised search and sort keys give exactly what the plain definitions give."""

from __future__ import annotations

import numpy as np
import pytest
from defectors_catalog import paths
from defectors_catalog.domain.fields import FIELD, SORTABLE, Kind
from defectors_catalog.domain.query import text_search as search_module
from defectors_catalog.domain.query.engine import Query, QueryEngine
from defectors_catalog.domain.query.sorting import rank_slices, rank_strings, stable_order
from defectors_catalog.domain.query.text_search import TextSearch
from defectors_catalog.domain.reference.professions import load_professions
from defectors_catalog.domain.text import fold
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import synthetic_catalog


def rows_of(blob: bytes) -> list[bytes]:
    return blob.split(b"\n")[:-1]


def brute_force(rows: list[bytes], word: bytes) -> np.ndarray:
    return np.array([word in row for row in rows], dtype=bool)


@pytest.fixture(scope="module")
def synthetic():
    classifier = load_professions(paths.resources_dir() / "professions.toml")
    return synthetic_catalog(4000, classifier, seed=11)


WORDS = [b"k", b"ko", b"kov", b"kovacs", b"e", b"sz", b"nguyen", b"1956", b"w", b"q", b"zz",
         b"vienna", b"a friend", b"xqzj", b"n", b"ova", b"\x1f", b"."]  # fmt: skip


def test_every_word_matches_brute_force(synthetic):
    table = synthetic.table
    rows = rows_of(table.search_blob)
    search = TextSearch(table.search_blob, table.search_starts)
    for word in WORDS:
        assert np.array_equal(search.mask(word), brute_force(rows, word)), word


def test_typing_and_deleting_give_the_fresh_answers(synthetic, monkeypatch):
    table = synthetic.table
    rows = rows_of(table.search_blob)
    monkeypatch.setattr(search_module, "SLICE", 4096)  # many slices, words across edges
    monkeypatch.setattr(search_module, "RECORDS_PER_SLICE", 100)
    search = TextSearch(table.search_blob, table.search_starts)
    typed = "nowakowski"
    for i in [*range(1, len(typed) + 1), *range(len(typed), 0, -1)]:
        word = typed[:i].encode()
        assert np.array_equal(search.mask(word), brute_force(rows, word)), word


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text("abc \x1f", max_size=12), min_size=1, max_size=15),
    st.text("abc", min_size=1, max_size=4),
)
def test_small_buffers(texts, word):
    rows = [t.encode() for t in texts]
    blob = b"\n".join(rows) + b"\n"
    lengths = np.array([len(r) + 1 for r in rows])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    search = TextSearch(blob, starts)
    for i in range(1, len(word) + 1):
        assert np.array_equal(search.mask(word[:i].encode()), brute_force(rows, word[:i].encode()))


def reference_rank(values) -> np.ndarray:
    """The sort key as first written: fold each value, np.unique, empty last."""
    folded = np.array([fold(v) for v in values], dtype=np.dtypes.StringDType())
    _, inverse = np.unique(folded, return_inverse=True)
    rank = inverse.astype(np.int64)
    rank[folded == ""] = len(values)
    return rank


def orders(rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.argsort(rank, kind="stable"), np.argsort(-rank, kind="stable")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("ab Aé\u0301ß", max_size=30), max_size=40))
def test_rank_strings_orders_like_folded_text(values):
    for got, want in zip(orders(rank_strings(values)), orders(reference_rank(values)), strict=True):
        assert np.array_equal(got, want)


def test_rank_slices_long_shared_prefixes():
    base = "defected in vienna during a tour with the national team"
    values = [base[:n] + tail for n in range(0, len(base), 3) for tail in ("", "b", "a", "ab")]
    blob = "\n".join(values).encode()
    lengths = np.array([len(v) for v in values])
    begin = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
    rank = rank_slices(np.frombuffer(blob, dtype=np.uint8), begin, begin + lengths)
    for got, want in zip(orders(rank), orders(reference_rank(values)), strict=True):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("span", [3, 70_000, 2**40])
def test_stable_order_is_a_stable_argsort(span):
    rank = np.random.default_rng(span).integers(0, span, 5000)
    assert np.array_equal(stable_order(rank), np.argsort(rank, kind="stable"))
    assert np.array_equal(stable_order(rank, descending=True), np.argsort(-rank, kind="stable"))


def test_engine_orders_match_the_folded_text_on_every_column(synthetic):
    engine = QueryEngine(synthetic.table)
    table = synthetic.table
    for column in SORTABLE:
        if column in ("year", "sources") or FIELD[column].kind is Kind.ANNOTATION:
            continue  # the person's own columns: tests/domain/test_annotation_overlay.py
        shown = table.warning_codes if column == "warnings" else table.text[column]
        for descending in (False, True):
            want = np.argsort(
                -reference_rank(shown) if descending else reference_rank(shown), kind="stable"
            )
            assert np.array_equal(engine.order(column, descending), want), column


def test_engine_counts_are_what_run_gives(synthetic):
    engine = QueryEngine(synthetic.table)
    query = Query(selections={"country": frozenset({"Hungary"})}, text="kov", year_from=1950)
    result = engine.run(query)
    facets, years, year_counts = engine.counts(query)
    assert facets == result.facets
    assert np.array_equal(years, result.years)
    assert np.array_equal(year_counts, result.year_counts)
    # Counts over every record are kept, and stay right after other queries.
    whole = engine.run(Query()).facets
    engine.run(query)
    assert engine.run(Query()).facets == whole
    assert sum(v.count for v in whole["country"]) == len(synthetic.table)
