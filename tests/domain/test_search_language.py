"""The search language on the real seeds: each query's records against an expectation
worked out from the records themselves (not through the engine), its errors and spans,
and completion data."""

from __future__ import annotations

from pathlib import Path

import pytest
from defectors_catalog.cli import main
from defectors_catalog.domain.facets import COUNTED
from defectors_catalog.domain.fields import SEARCH_FIELDS
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.domain.query.search_language import (
    NAMES,
    SEARCH_HELP,
    SearchSyntaxError,
    find_error,
    parse,
    quoted,
    search_names,
)
from defectors_catalog.domain.text import fold
from hypothesis import given, settings
from hypothesis import strategies as st


def hay(record, fields=SEARCH_FIELDS) -> str:
    return " | ".join(fold(str(getattr(record, f))) for f in fields)


def found(catalog, text) -> set[str]:
    result = catalog.engine.run(Query(text=text))
    assert result.search_error is None, result.search_error
    return {catalog.records[i].id for i in result.positions}


def expected(catalog, keep) -> set[str]:
    return {r.id for r in catalog.records if keep(r)}


def year_in(low, high):
    return lambda r: r.year is not None and low <= r.year <= high


# (query, how many seed records it finds, the same worked out from the records)
TABLE = [
    ("ballet", 11, lambda r: "ballet" in hay(r)),
    ("ballet dancer", 7, lambda r: "ballet" in hay(r) and "dancer" in hay(r)),
    ("ballet OR dancer", 14, lambda r: "ballet" in hay(r) or "dancer" in hay(r)),
    ("-ballet", 174, lambda r: "ballet" not in hay(r)),
    ('"west berlin"', 3, lambda r: "west berlin" in hay(r)),
    ("west berlin", 4, lambda r: "west" in hay(r) and "berlin" in hay(r)),
    ("KŐSZEGI", 1, lambda r: "koszegi" in hay(r)),
    ("name:ivan", 2, lambda r: "ivan" in fold(r.name)),
    ("notes:ballet", 4, lambda r: "ballet" in fold(r.notes)),
    ("profession:ballet", 11, lambda r: "ballet" in fold(r.profession)),
    ("alias:suvorov", 1, lambda r: "suvorov" in fold(r.alias)),
    ("birthplace:ukraine", 13, lambda r: "ukraine" in fold(r.birthplace)),
    ("country:hungary", 22, lambda r: r.country == "Hungary"),
    ("-country:russia", 136, lambda r: r.country != "Russia"),
    ('country:"east germany"', 19, lambda r: r.country == "East Germany"),
    ("source:fandom", 20, lambda r: "fandom" in r.sources),
    ("source:fan", 20, lambda r: "fandom" in r.sources),  # its badge
    ("source:WP-25", 49, lambda r: "wikipedia-scrape" in r.sources),
    ('source:"wikipedia scrape (2025)"', 49, lambda r: "wikipedia-scrape" in r.sources),
    ("source:wikipedia", 165, lambda r: "wikipedia" in r.sources),
    ("reliability:unreliable", 20, lambda r: r.sources == ("fandom",)),
    ("reliability:reliable", 165, lambda r: r.sources != ("fandom",)),
    ("warnings:with", 20, lambda r: bool(r.warnings)),
    ("warnings:without", 165, lambda r: not r.warnings),
    ("warnings:only-unreliable", 20, lambda r: "only-unreliable" in r.warning_codes),
    ("category:sport", 46, lambda r: r.category == "sport"),
    ("category:dance", 14, lambda r: r.category == "dance"),
    ("listed-in:2", 49, lambda r: len(r.sources) == 2),
    ("destination:\"united states\"", 22,
     lambda r: r.destination is not None and r.destination.country == "United States"),
    ("year:1956", 9, year_in(1956, 1956)),
    ("year:1950..1959", 29, year_in(1950, 1959)),
    ("year:>1980", 48, year_in(1981, 9999)),
    ("year:>=1980", 53, year_in(1980, 9999)),
    ("year:<1960", 53, year_in(0, 1959)),
    ("year:<=1960", 55, year_in(0, 1960)),
    ("year:..1930", 4, year_in(0, 1930)),
    ("-year:1950..1959", 156, lambda r: not year_in(1950, 1959)(r)),
    ("(ballet OR dancer) -country:hungary", 11,
     lambda r: ("ballet" in hay(r) or "dancer" in hay(r)) and r.country != "Hungary"),
    ("ballet OR dancer country:russia", 12,
     lambda r: "ballet" in hay(r) or ("dancer" in hay(r) and r.country == "Russia")),
    ("country:hungary AND year:1956", 9, lambda r: r.country == "Hungary" and r.year == 1956),
    ("-(country:hungary OR country:russia)", 114,
     lambda r: r.country not in {"Hungary", "Russia"}),
    ("--ballet", 11, lambda r: "ballet" in hay(r)),
    ("country:atlantis", 0, lambda r: False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "count", "keep"), TABLE, ids=[row[0] for row in TABLE])
def test_each_query_finds_the_records_it_says(catalog, text, count, keep):
    want = expected(catalog, keep)
    assert len(want) == count  # the expectation itself, pinned on the seeds
    assert found(catalog, text) == want


def test_plain_words_find_what_they_found_before_the_language(catalog):
    for text in ("ballet dancer", "koszegi", "soviet union", "k", "puskás"):
        words = fold(text).split()
        want = {r.id for r in catalog.records if all(w in hay(r) for w in words)}
        assert found(catalog, text) == want


@pytest.mark.parametrize("facet", COUNTED, ids=[f.key for f in COUNTED])
def test_every_facet_value_by_its_label_is_the_filter_it_names(catalog, facet):
    """Generic over the registry: a facet declared in facets.FACETS is searchable by its
    key with no change in the language."""
    engine = catalog.engine
    for value in engine.search_values(facet.key):
        by_text = engine.run(Query(text=f"{facet.key}:{quoted(value.label)}"))
        by_filter = engine.run(Query(selections={facet.key: {value.value}}))
        assert by_text.search_error is None
        assert set(by_text.positions.tolist()) == set(by_filter.positions.tolist()), value
        assert len(by_text) == value.count


def test_the_language_combines_with_the_filters(catalog):
    result = catalog.engine.run(
        Query(text="year:1950..1959 -source:fandom", selections={"country": {"Hungary"}})
    )
    want = expected(
        catalog,
        lambda r: r.country == "Hungary" and year_in(1950, 1959)(r) and "fandom" not in r.sources,
    )
    assert {catalog.records[i].id for i in result.positions} == want
    assert want  # not a vacuous comparison


def test_highlighted_words_are_the_positive_text_terms(catalog):
    result = catalog.engine.run(Query(text='"west berlin" -ballet country:hungary name:kov'))
    assert result.words == ("west berlin", "kov")


# (text, the span underlined, words the message holds)
ERRORS = [
    ("http://example.org", (0, 4), "unknown field 'http'"),
    ("ballet colour:red", (7, 13), "unknown field 'colour'"),
    ("year:19x5", (0, 9), "is not a year"),
    ("year:1960..1950", (0, 15), "runs backwards"),
    ("country:", (0, 8), "needs a value"),
    ("ballet OR", (7, 9), "OR needs a term on both sides"),
    ("OR ballet", (0, 2), "OR needs a term on both sides"),
    ("AND ballet", (0, 3), "AND needs a term on both sides"),
    ("(ballet", (0, 1), "is not closed"),
    ("ballet)", (6, 7), "has no '('"),
    ("()", (0, 2), "hold nothing"),
    ('name:"west', (5, 10), "quote is not closed"),
    ('""', (0, 2), "quotes hold nothing"),
    ("ballet -", (7, 8), "'-' needs a term"),
    ("-)", (0, 1), "'-' needs a term"),
]


@pytest.mark.parametrize(("text", "span", "words"), ERRORS, ids=[e[0] for e in ERRORS])
def test_a_term_that_cannot_be_read_is_an_error_with_its_span(catalog, text, span, words):
    error = find_error(text)
    assert error is not None
    assert (error.start, error.end) == span
    assert words in error.message and "\n" not in error.message
    # The window keeps working: the text is searched as plain words, the error told.
    result = catalog.engine.run(Query(text=text))
    assert result.search_error == error


def test_the_cli_refuses_a_bad_search_in_one_line(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["export", str(out), "--search", "ballet colour:red"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "unknown field 'colour'" in err and "'colour'" in err
    assert not out.exists()


def test_the_cli_search_takes_the_language(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["export", str(out), "--search", "country:hungary year:1956"]) == 0
    assert "wrote 9 of 185 records" in capsys.readouterr().out


def test_completion_lists_every_name_and_a_facets_values_with_counts(catalog):
    names = {n.name for n in search_names()}
    assert {"name", "notes", "country", "source", "sources", "year", "warnings"} <= names
    assert {f.key for f in COUNTED} <= names  # every facet, from the registry
    countries = {v.label: v.count for v in catalog.engine.search_values("country")}
    assert countries["Hungary"] == 22
    assert NAMES["source"].facet == "sources"


def test_completion_values_for_each_kind_of_name(catalog):
    engine = catalog.engine
    countries = engine.completions("country")
    russia = sum(1 for r in catalog.records if r.country == "Russia")
    assert (countries[0].label, countries[0].count) == ("Russia", russia)  # most first
    assert [v.count for v in countries] == sorted((v.count for v in countries), reverse=True)
    assert {v.value for v in engine.completions("source")} == {
        "wikipedia",
        "wikipedia-scrape",
        "fandom",
    }
    years = {v.value: v.count for v in engine.completions("year")}
    assert years["1956"] == 9 and sum(years.values()) == 185
    professions = {v.label: v.count for v in engine.completions("profession")}
    assert professions["Football player"] == sum(
        1 for r in catalog.records if r.profession == "Football player"
    )
    assert engine.completions("name") == () and engine.completions("colour") == ()
    # What the completer inserts reads back as the same filter.
    first = countries[1]
    text = f"country:{quoted(first.label)}"
    assert len(engine.run(Query(text=text))) == first.count


def test_help_text_shows_every_kind_of_term():
    for example in ('"west berlin"', "country:hungary", "year:1950..1959", "-ballet", " OR "):
        assert example in SEARCH_HELP


def test_the_docs_page_holds_the_help_text():
    page = (Path(__file__).parents[2] / "docs" / "search-syntax.md").read_text(encoding="utf-8")
    # The names at the end follow the registries; the rest is the same text.
    fixed = SEARCH_HELP.split("\nFields:")[0]
    assert fixed in page


def test_empty_text_is_every_record(catalog):
    assert len(catalog.engine.run(Query(text="   "))) == 185
    assert parse("").nodes == ()  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab :-"()ORANDyear19.<>=country\u0151\u00e9 \t')),
               max_size=40))  # fmt: skip
def test_any_text_parses_or_gives_a_span_inside_it_and_never_crashes(catalog, text):
    try:
        parse(text)
    except SearchSyntaxError as exc:
        error = exc.error
        assert 0 <= error.start < error.end <= max(len(text), error.start + 1)
        assert error.message and "\n" not in error.message
    result = catalog.engine.run(Query(text=text))
    assert 0 <= len(result) <= 185
