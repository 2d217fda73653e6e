"""Garbage in: parsers and merge never raise, and every line ends as a record or accounted for."""

from __future__ import annotations

from defectors_catalog.domain.merge.merging import merge_sources
from defectors_catalog.domain.model import LineKind, Reliability, SourceSpec
from defectors_catalog.domain.sources.layouts import PARSERS, detect_layout
from defectors_catalog.domain.sources.reading import split_lines
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Lines built from the pieces real rows are made of, plus arbitrary text.
PIECES = st.sampled_from(
    [
        "|",
        " | ",
        "||",
        "Defector",
        "Year",
        "Notes",
        "Profession/",
        "Country",
        "1956",
        "19567",
        "Hungary",
        "East Germany",
        "Ukraine,",
        "Russian Empire",
        "ballet",
        "Soviet Navy",
        "and",
        "(alias)",
        "-",
        "\u00a0",
        " ",
        "\t",
        "Tünde",
        "Kiều",
        "UN",
        "'s",
        "---",
        "=",
        "References",
        "- ",
        "\r",
        "\x00",
        "\u2028",
    ]
)
LINE = st.one_of(st.text(max_size=60), st.lists(PIECES, max_size=14).map("".join))
DOCUMENT = st.lists(LINE, max_size=25).map("\n".join)

SLOW = settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def check(result, lines):
    assert len(result.line_kinds) == len(lines)
    record_lines = {e.line for e in result.entries}
    for number, kind in enumerate(result.line_kinds, 1):
        assert (kind == LineKind.RECORD) == (number in record_lines)
    diagnosed = {d.line for d in result.diagnostics}
    skipped = {n for n, k in enumerate(result.line_kinds, 1) if k == LineKind.SKIPPED}
    assert skipped <= diagnosed


@SLOW
@given(DOCUMENT)
def test_every_parser_accounts_for_every_line(context, text):
    lines = split_lines(text)
    for parser in PARSERS.values():
        check(parser(lines, "fuzz", context), lines)
    assert detect_layout(lines) in PARSERS


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(DOCUMENT, DOCUMENT)
def test_merge_never_raises_and_places_every_entry_once(context, gazetteer, classifier, a, b):
    specs = [
        SourceSpec(sid, sid, sid, None, "auto", reliability, "", "", "", "#000000")  # type: ignore[arg-type]
        for sid, reliability in (("a", Reliability.RELIABLE), ("b", Reliability.UNRELIABLE))
    ]
    results = {
        "a": PARSERS["pipe-table"](split_lines(a), "a", context),
        "b": PARSERS["plain-rows"](split_lines(b), "b", context),
    }
    merged = merge_sources(specs, results, gazetteer, classifier)
    placed = sorted((e.source_id, e.line) for r in merged.records for e in r.entries)
    parsed = sorted((e.source_id, e.line) for p in results.values() for e in p.entries)
    assert placed == parsed
    assert len({r.id for r in merged.records}) == len(merged.records)
