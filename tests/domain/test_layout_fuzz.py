"""Garbage given to every reader gives diagnostics or a refusal, never a crash."""

from __future__ import annotations

from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.model import ParseResult
from defectors_catalog.domain.sources.layouts import LAYOUTS, ReadOptions, SourceFile, read_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Fragments of every layout's syntax, so the garbage reaches past the first check.
FRAGMENTS = st.sampled_from([
    "{|", "|}", "|-", "||", "!!", "| ", "<table>", "<tr>", "<td rowspan=99999>", "</td>",
    "<sup class=\"reference\">[1]</sup>", "[[a|b]]", "<ref>", "</ref>", "{{x|y}}", "[", "]",
    "{", "}", '"name":', '"year": 1956', ",", ";", "\t", "\n", "1956", "George Balanchine",
    "Defector", "Year", "Jahr", "Имя", "\x00", "\ufeff", "PK\x03\x04",
])  # fmt: skip
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=40).map("".join)
NAMES = st.sampled_from(["x.txt", "x.csv", "x.html", "x.wiki", "x.json", "x.xlsx", "x.ods"])


def check(result: ParseResult) -> None:
    assert len(result.line_kinds) >= max((e.line for e in result.entries), default=0) or (
        result.layout == "spreadsheet"
    )
    assert all(e.name for e in result.entries)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, name=NAMES, encode=st.sampled_from(["utf-8", "utf-16", "cp1251", "latin-1"]))
def test_every_reader_survives_garbage(context, text, name, encode):
    data = text.encode(encode, "replace")
    for layout in ("auto", *(layout.id for layout in LAYOUTS)):
        try:
            result = read_source(SourceFile(name, data), layout, "fuzz", context, ReadOptions())
        except SourceReadError:
            continue
        check(result)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600))
def test_the_spreadsheet_reader_refuses_damaged_workbooks(context, data):
    for prefix in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b""):
        try:
            result = read_source(SourceFile("x.xlsx", prefix + data), "spreadsheet", "fuzz",
                                 context, ReadOptions())  # fmt: skip
        except SourceReadError:
            continue
        check(result)
