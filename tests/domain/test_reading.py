"""Reading files: encodings are decoded or refused with a message, line numbers are exact."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.sources.reading import (
    decode_source_bytes,
    read_source_text,
    split_lines,
)


def test_crlf_cr_and_lf_each_end_one_line():
    assert split_lines("a\r\nb\rc\nd\n") == ["a", "b", "c", "d"]


def test_form_feed_and_line_separator_do_not_shift_line_numbers():
    assert split_lines("a\x0cb\u2028c\nd") == ["a\x0cb\u2028c", "d"]


def test_utf8_bom_is_dropped_and_utf16_is_decoded():
    assert decode_source_bytes("\ufeffTünde".encode(), "x") == "Tünde"
    assert decode_source_bytes("Tünde Fejér".encode("utf-16"), "x") == "Tünde Fejér"


def test_latin1_is_decoded_since_every_western_code_page_reads_it_the_same():
    data = "Name\nGéza Füster Chess player Hungary 1945\n".encode("latin-1")
    assert decode_source_bytes(data, "old.txt") == "Name\nGéza Füster Chess player Hungary 1945\n"


def test_mostly_utf8_with_a_stray_byte_is_refused_with_its_line():
    data = "Name\nGéza Füster\n".encode() + b"Ferenc Pusk\xe1s\n"
    with pytest.raises(SourceReadError, match=r"not UTF-8 .*line 3"):
        decode_source_bytes(data, "old.txt")


def test_binary_file_is_refused():
    with pytest.raises(SourceReadError, match="binary"):
        decode_source_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "picture.png")


def test_missing_and_oversized_files_get_a_message(tmp_path):
    with pytest.raises(SourceReadError, match="not found"):
        read_source_text(tmp_path / "absent.txt")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(SourceReadError, match="limited to"):
        read_source_text(big, max_bytes=1024)
