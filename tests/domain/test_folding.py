"""fold_many: exactly what `fold` gives value by value, whatever the text."""

from __future__ import annotations

import pytest
from defectors_catalog.domain import folding
from defectors_catalog.domain.folding import fold_many
from defectors_catalog.domain.text import fold, highlight_spans
from hypothesis import given, settings
from hypothesis import strategies as st

# Pieces that exercise every path: diacritics (one ASCII letter), letters that become
# several ('ß', 'Щ', '…') or none (combining marks), every kind of white space, NUL,
# a lone surrogate, astral characters.
PIECES = st.sampled_from(
    [
        "a", "Z", " ", "  ", "\t", "\n", "\x0b", "\x1c", "\x1f", "\u00a0", "\u2003",
        "\u3000", "\ufeff", "ő", "Ő", "é", "ß", "Ǆ", "Ł", "ÿ", "e\u0301", "\u0308",
        "Щукин", "Ж", "中", "Kiều Mẫn", "\u2026", "\U0001f600", "\x00", "\ud800", "-", "'",
    ]
)  # fmt: skip
VALUE = st.one_of(st.text(max_size=12), st.lists(PIECES, max_size=8).map("".join))


@settings(max_examples=400, deadline=None)
@given(st.lists(VALUE, max_size=12))
def test_fold_many_is_fold_for_each_value(values):
    assert fold_many(values) == [fold(v) for v in values]


def test_batches_join_up(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(folding, "BATCH", 3)
    values = ["Kőszegi", "", "  Tünde  Fejér ", "Щукин", "ß", "x", "\t"]
    assert fold_many(values) == [fold(v) for v in values]


def test_real_names_and_notes(catalog):
    for column in ("name", "alias", "profession", "birthplace", "notes"):
        values = catalog.table.text[column]
        assert fold_many(values) == [fold(v) for v in values]


def test_iterables_and_empty_input():
    assert fold_many([]) == []
    assert fold_many(v for v in ["Ágnes", "KELETI"]) == ["agnes", "keleti"]


def test_search_words_are_marked_where_they_are_in_the_original_text():
    text = "Mihály Kőszegi\tfled to Wien; STRAẞE"
    spans = highlight_spans(text, ("koszegi", "strasse", "fled"))
    assert [text[a:b] for a, b in spans] == ["Kőszegi", "fled", "STRAẞE"]
    assert highlight_spans("Kovacs Kovács", ("kovacs",)) == [(0, 6), (7, 13)]
    assert highlight_spans("nothing here", ("kov",)) == []


@given(st.text(max_size=40), st.text(alphabet="abcksz ", min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_every_marked_span_folds_to_contain_the_word(text, word):
    word = word.strip()
    for start, end in highlight_spans(text, (word,) if word else ()):
        assert 0 <= start < end <= len(text)
        assert word in fold(text[start:end]).replace(" ", "") or word in fold(text[start:end])
