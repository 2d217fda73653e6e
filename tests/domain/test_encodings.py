"""Text in each encoding people's lists come in is decoded right and the encoding named;
where two encodings both read plausibly, the file is refused naming them, never guessed."""

from __future__ import annotations

import codecs
import re
import subprocess
import sys

import pytest
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.sources.encodings import EncodingUnsureError, check_encoding, decode
from defectors_catalog.domain.sources.layouts import ReadOptions, parse_file

from tests.domain.layout_files import (
    CZECH_POLISH,
    HUNGARIAN_CP1252,
    RUSSIAN,
    RUSSIAN_HEADER,
    SEED_ROWS,
    delimited,
)

HEADER = ("Name", "Profession", "Birthplace", "Year", "Notes")
WESTERN = delimited(HUNGARIAN_CP1252, HEADER, ",")  # holds an en dash, which latin-1 has not
LATIN1 = WESTERN.replace("\u2013", "-")
CENTRAL = delimited(CZECH_POLISH, HEADER, ";")
CYRILLIC = delimited(RUSSIAN, RUSSIAN_HEADER, ";")
SEED_TEXT = delimited(SEED_ROWS[:4], HEADER, ";")

# (text, how it is saved, the codec named, what else reads it the same)
CASES = {
    "excel-cp1252": (WESTERN, "cp1252", "cp1252", ()),
    "latin-1": (LATIN1, "latin-1", "cp1252", ("iso-8859-2", "latin-1")),
    "iso-8859-2": (CENTRAL, "iso-8859-2", "iso-8859-2", ()),
    "cp1251": (CYRILLIC, "cp1251", "cp1251", ()),
    "utf-8": (CENTRAL, "utf-8", "utf-8", ()),
    "utf-8-bom": (CENTRAL, "utf-8-sig", "utf-8-sig", ()),
    "utf-16-bom": (CYRILLIC, "utf-16", "utf-16", ()),
    "utf-16-le": (CYRILLIC, "utf-16-le", "utf-16-le", ()),
    "utf-16-be": (CENTRAL, "utf-16-be", "utf-16-be", ()),
    "utf-32-bom": (CENTRAL, "utf-32", "utf-32", ()),
    "utf-32-le": (CYRILLIC, "utf-32-le", "utf-32-le", ()),
    "utf-32-be": (SEED_TEXT, "utf-32-be", "utf-32-be", ()),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_encoding_is_detected_and_decoded_exactly(case):
    text, saved, named, same = CASES[case]
    decoded = decode(text.encode(saved), case)
    assert decoded.text.lstrip("\ufeff") == text
    assert (decoded.encoding, decoded.same_as) == (named, same)
    assert decoded.label


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_encoding_reads_every_row_of_its_file(tmp_path, context, case):
    text, saved, _, _ = CASES[case]
    path = tmp_path / f"{case}.csv"
    path.write_bytes(text.encode(saved))
    result = parse_file(path, "x", "auto", context)
    assert len(result.entries) == text.count("\n") - 1
    assert result.entries[0].name == re.split("[;,]", text.splitlines()[1])[0]
    assert result.encoding


def test_a_short_hungarian_file_could_be_either_code_page_and_is_refused():
    data = "Name,Year\nJenő Kalmár,1956\nAndrás Törő,1964\n".encode("iso-8859-2")
    with pytest.raises(EncodingUnsureError, match="reads as cp1252 or iso-8859-2") as caught:
        decode(data, "hu.csv")
    assert caught.value.candidates == ("cp1252", "iso-8859-2")
    assert decode(data, "hu.csv", "iso-8859-2").text.startswith("Name,Year\nJenő Kalmár")


def test_a_chosen_encoding_is_used_and_its_errors_named(tmp_path, context):
    path = tmp_path / "ru.csv"
    path.write_bytes(CYRILLIC.encode("cp1251"))
    chosen = parse_file(path, "x", "auto", context, options=ReadOptions(encoding="cp1251"))
    assert chosen.encoding == "Windows-1251 (Cyrillic), as chosen"
    with pytest.raises(SourceReadError, match=r"not valid UTF-8 \(byte 0xC8 on line 1\)"):
        decode(CYRILLIC.encode("cp1251"), "ru.csv", "utf-8")
    assert check_encoding("Windows-1252") == "cp1252"
    assert check_encoding("ISO8859-1") == "latin-1"
    with pytest.raises(SourceReadError, match="unknown encoding 'klingon'"):
        check_encoding("klingon")


def test_a_bom_that_lies_is_refused():
    with pytest.raises(SourceReadError, match="marked as UTF-16 with BOM but not valid"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "x")


def test_the_command_line_refuses_an_unsure_file_naming_the_candidates(tmp_path):
    path = tmp_path / "hu.csv"
    path.write_bytes("Name,Year\nJenő Kalmár,1956\n".encode("iso-8859-2"))
    command = [sys.executable, "-m", "defectors_catalog", "report", "--add-source", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "reads as cp1252 or iso-8859-2; choose one (--encoding NAME" in done.stderr
    chosen = subprocess.run(
        [*command, "--encoding", "iso-8859-2"], capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert "ISO-8859-2 (Central European), as chosen" in chosen.stdout
