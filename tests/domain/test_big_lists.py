"""A big list read the fast way (one-line rows column by column, cells cleaned a batch
at a time, a file sniffed by its start) gives exactly what the row-by-row way gives."""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.model import LineKind, ParseResult
from defectors_catalog.domain.sources.layouts import SourceFile, base, delimited
from defectors_catalog.domain.sources.layouts import sniff as sniff_layouts
from defectors_catalog.domain.sources.layouts.common import ParseContext, clean_cells, clean_notes
from defectors_catalog.domain.sources.reading import split_lines
from defectors_catalog.domain.text import clean_cell, clean_note
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HEADER = ("Name", "Profession", "Birthplace", "Year", "Notes")


@cache
def _seed_rows() -> tuple[tuple[str, str, str, str, str], ...]:
    """The seed catalog's people as a list gives them: name, profession, place, year, notes."""
    from defectors_catalog.domain.catalog.build import load_catalog

    return tuple(
        (r.name, r.profession, r.birthplace, "" if r.year is None else str(r.year), r.notes)
        for r in load_catalog().records
    )


def _csv_line(cells: tuple[str, ...] | list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
    return out.getvalue()


def _three_ways(lines: list[str], context: ParseContext) -> tuple[ParseResult, ...]:
    """The parse column by column; the same columns read as rows by `read_table`; and
    the row-by-row reader's."""
    fast = delimited.parse_delimited(lines, "list", context)
    with mock.patch.object(delimited, "read_columns", return_value=None):
        as_rows = delimited.parse_delimited(lines, "list", context)
    with mock.patch.object(delimited, "_single_line_columns", return_value=(None, 0)):
        slow = delimited.parse_delimited(lines, "list", context)
    return fast, as_rows, slow


def _seed_cell(field: int) -> st.SearchStrategy[str]:
    return st.integers(0, 184).map(lambda at: _seed_rows()[at][field])


# A row as lists give them: the seeds' own cells, a repeated header's, empty and blank
# cells, quotes (closed, open, doubled), and cells of a second header language.
CELL = st.one_of(
    _seed_cell(0), _seed_cell(1), _seed_cell(2), _seed_cell(3), _seed_cell(4),
    st.sampled_from([*HEADER, "", " ", "Jahr", "c. 1961", '"', '""', '"open', 'close"', "a\"b",
                     " \u00a0 ", "-"]),
)  # fmt: skip
ROW = st.lists(CELL, max_size=7)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(ROW, max_size=3),
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.one_of(ROW, st.just(list(HEADER)), st.just([])), min_size=1, max_size=14),
    st.booleans(),
)
def test_one_line_rows_read_as_columns_are_the_rows_read_one_by_one(
    context: ParseContext,
    before: list[list[str]],
    delimiter: str,
    body: list[list[str]],
    raw_quotes: bool,
) -> None:
    """Prose or rows before the header, repeated headers, blank, nameless and ragged rows,
    quotes that never close: all three readers give the same parse."""

    def line(cells: list[str]) -> str:
        # Written by a CSV writer (quotes doubled) or joined as a person types them.
        return delimiter.join(cells) if raw_quotes else _csv_line(cells, delimiter)

    lines = [*map(line, before), line(list(HEADER)), *map(line, body)]
    fast, as_rows, slow = _three_ways(lines, context)
    assert fast == as_rows == slow


def test_a_long_list_of_seed_rows_reads_alike_across_chunks(context: ParseContext) -> None:
    """Thousands of seed rows (past a progress step and the pooling trial) with a blank
    line, a repeated header, a nameless and a ragged row here and there."""
    rows = _seed_rows()
    lines = [_csv_line(HEADER)]
    for at in range(12_000):
        person = rows[at % len(rows)]
        if at % 997 == 5:
            lines.append("")
        elif at % 1499 == 7:
            lines.append(_csv_line(HEADER))
        elif at % 1201 == 9:
            lines.append(_csv_line(("", *person[1:])))
        elif at % 877 == 3:
            lines.append(_csv_line(person[:3]))
        else:
            lines.append(_csv_line(person))
    fast, as_rows, slow = _three_ways(lines, context)
    assert fast == as_rows == slow
    assert len(fast.entries) == 12_000 - sum(
        1 for at in range(12_000) if at % 997 == 5 or at % 1499 == 7 or at % 1201 == 9
    )


def test_a_quoted_note_of_several_lines_is_read_row_by_row(context: ParseContext) -> None:
    """'"...\\n..."': the columns give way to the reader that places each row."""
    person = _seed_rows()[0]
    started = _csv_line((person[0], person[1], "", "1956")) + ',"Defected in Paris;'
    lines = [_csv_line(HEADER), _csv_line(person), started, 'asked for asylum"']
    fast, _, slow = _three_ways(lines, context)
    assert fast == slow
    last = fast.entries[-1]
    assert (last.line, last.notes) == (3, "Defected in Paris; asked for asylum")
    assert fast.line_kinds[2:] == (LineKind.RECORD, LineKind.RECORD)


TEXT = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(["  ", "\u00a0", "\u200b", "\ufeff", "\u3000", "\x00", "\x1f", "\t",
                         "e\u0301", "\ufffc", "-", "\u2013", "(", ")"]),
    ),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=20))
def test_cells_cleaned_at_once_are_the_cells_cleaned_one_by_one(values: list[str]) -> None:
    assert clean_cells(values) == [clean_cell(v) for v in values]
    assert clean_notes(values) == [clean_note(v) for v in values]


_LINE_END = re.compile(r"\r\n|\r|\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "é", "\r", "\n", "\r\n", "\x0c", "\u2028"]), max_size=30))
def test_lines_split_in_c_are_the_lines_the_pattern_splits(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = _LINE_END.split(text)
    if expected and expected[-1] == "":
        expected.pop()
    assert split_lines(text) == expected


ENCODINGS = ["", "utf-8", "cp1252", "iso-8859-2", "cp1251", "latin-1", "utf-16", "koi8-r"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(st.sampled_from("aZ ,;|1é\u0151\u0436\u20ac\ufeff\x00"), max_size=8),
             max_size=12),
    st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=3),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "iso-8859-2", "utf-16", "cp1251"]),
    st.sampled_from(ENCODINGS),
    st.binary(max_size=3),
)  # fmt: skip
def test_the_start_a_sniff_reads_is_the_start_of_the_whole_text(
    texts: list[str], ends: list[str], saved: str, chosen: str, tail: bytes
) -> None:
    """Decoded from its first bytes or not, a file's head lines are its first lines, in
    every encoding, chosen or detected, with a stray byte at its end or not."""
    text = "".join(t + ends[at % len(ends)] for at, t in enumerate(texts))
    try:
        data = text.encode(saved) + tail
    except UnicodeEncodeError:
        return
    with mock.patch.multiple(base, HEAD_BYTES=8, HEAD_LINES=3):
        file = SourceFile("list.csv", data, chosen)
        head = file.head_lines
        try:
            whole = SourceFile("list.csv", data, chosen).lines
        except SourceReadError:  # refused: reading it fails anyway, whatever was sniffed
            assert isinstance(head, list)
            return
        assert head == whole[:3]


def _big_list(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "big.csv"
    people = _seed_rows()
    lines = [_csv_line(HEADER), *(_csv_line(people[at % len(people)]) for at in range(rows))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_file_is_sniffed_by_its_start_alone(tmp_path: Path) -> None:
    """Sniffing a list of megabytes neither decodes nor splits all of it."""
    data = _big_list(tmp_path, 40_000).read_bytes()
    assert len(data) > 4 * base.HEAD_BYTES
    file = SourceFile("big.csv", data)
    ranked = sniff_layouts(file)
    assert ranked[0][1].id == "delimited"
    assert "decoded" not in file.__dict__ and "lines" not in file.__dict__
    assert file.head_lines == split_lines(data.decode("utf-8"))[: base.HEAD_LINES]


def test_reading_a_list_lets_its_bytes_and_text_go(tmp_path: Path, context: ParseContext) -> None:
    """Once its lines exist a file holds neither its bytes nor its decoded text; what it
    was decoded as is still said."""
    from defectors_catalog.domain.sources.layouts import read_source

    file = SourceFile("big.csv", _big_list(tmp_path, 3_000).read_bytes())
    result = read_source(file, "auto", "big", context)
    assert len(result.entries) == 3_000 and result.encoding == "UTF-8"
    assert file.data == b"" and "decoded" not in file.__dict__
    assert file.encoding_label == "UTF-8"
    with pytest.raises(RuntimeError, match="let go"):
        _ = file.decoded
