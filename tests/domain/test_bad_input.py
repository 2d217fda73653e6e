"""Every malformed file gets a clear answer saying what and where; the catalog stays intact.

The corpus lives in tests/data/bad/; the 200 MB file and the file that vanishes while
being read are made by the tests themselves.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.model import LineKind
from defectors_catalog.domain.sources import reading

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"

# file -> (records it adds, diagnostic codes expected, or the refusal message expected)
READABLE = {
    "utf16.md": (2, set()),
    "utf16-no-bom.txt": (1, set()),
    "utf16-cyrillic-no-bom.md": (2, set()),  # was called a binary file
    "utf32-le-bom.md": (2, set()),  # was read as UTF-16: 0 rows
    "utf8-bom.csv": (1, set()),
    "crlf.md": (2, set()),
    "cr-only.txt": (2, set()),
    "empty.txt": (0, {"no-rows"}),
    "ragged.md": (2, {"ragged-row"}),
    "unknown-columns.md": (1, {"unknown-column"}),
    "duplicate-columns.csv": (1, {"duplicate-column"}),
    "bad-year.md": (3, {"bad-year", "approximate-year"}),
    "markup-and-control.md": (1, set()),
    "huge-line.txt": (1, {"line-too-long"}),
    "no-header.md": (0, {"no-header"}),
    "only-prose.txt": (0, {"no-rows"}),
    "multiline-quoted.csv": (2, set()),
    "semicolon.csv": (1, set()),
    "tabs.tsv": (1, set()),
    "broken-quote.csv": (2, {"unclosed-quote"}),  # the row after it used to be swallowed
    "nul-bytes-late.txt": (2, set()),  # 300 copies of one row merge into one record
    "names-only.txt": (0, {"no-rows"}),
    # Not UTF-8: decoded in the one code page that reads them right (encodings.py).
    "latin1.txt": (1, set()),  # Tünde Fejér is in the fan-wiki copy already
    "cp1252.md": (1, set()),
}
REFUSED = {
    "binary.bin": "looks like a binary file",
    "invalid-utf8-late.md": "not UTF-8 text (byte 0xFF on line 3)",
}


def test_the_corpus_is_complete():
    assert sorted(p.name for p in BAD.iterdir()) == sorted([*READABLE, *REFUSED])
    assert len(READABLE) + len(REFUSED) >= 20


@pytest.mark.parametrize("name", sorted(READABLE))
def test_readable_damage_is_read_with_diagnostics_and_nothing_lost(name):
    added, codes = READABLE[name]
    catalog = load_catalog(extra=[(BAD / name, False)])
    parse = catalog.parses[catalog.sources[-1].id]
    assert len(catalog.records) == 185 + added
    found = {d.code for d in parse.diagnostics} | {
        d.code for e in parse.entries for d in e.diagnostics
    }
    assert codes <= found, found
    # Every line is a record or accounted for; skipped lines always say why.
    skipped = {n for n, k in enumerate(parse.line_kinds, 1) if k == LineKind.SKIPPED}
    assert skipped <= {d.line for d in parse.diagnostics}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_files_are_refused_with_what_and_where(name):
    catalog = load_catalog(extra=[(BAD / name, False)], skip_unreadable=True)
    assert len(catalog.records) == 185  # the rest of the catalog is intact
    assert len(catalog.problems) == 1
    assert REFUSED[name] in catalog.problems[0]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_command_line_refuses_them_in_one_line(tmp_path, name):
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "defectors_catalog", "export", str(out),
         "--add-source", str(BAD / name)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert REFUSED[name] in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not out.exists()


def test_markup_and_control_characters(catalog):
    extra = load_catalog(extra=[(BAD / "markup-and-control.md", False)])
    record = next(r for r in extra.records if r.name.startswith("Anna"))
    assert record.name == "Anna <b>Kovács</b>"  # markup kept literally, shown as text
    assert record.profession == "Dancer"  # the bell character is gone
    assert "\x1b" not in record.notes and record.notes.startswith("<img src=")


def test_multiline_quoted_cell_is_credited_to_its_first_line():
    catalog = load_catalog(extra=[(BAD / "multiline-quoted.csv", True)])
    parse = catalog.parses["multiline-quoted"]
    assert [(e.name, e.line) for e in parse.entries] == [("Anna Kovács", 2), ("Jan Nowak", 5)]
    assert parse.entries[0].notes == "Fled, then settled in Vienna"


def test_a_file_too_big_for_the_memory_available_is_refused_at_once(tmp_path, monkeypatch):
    """Issue 14: the limit is the memory a catalog of the file would take, not 64 MB.
    With 2 GB available, a 200 MB file would need about 5.8 GB: refused before a byte is
    read (the file is sparse and would take seconds to read), naming the figures."""
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:  # sparse: costs no disk and no time
        handle.truncate(200 * 1024 * 1024)
    monkeypatch.setattr(reading, "available_memory", lambda: 2_000_000_000)
    assert big.stat().st_size > reading.memory_limit()
    catalog = load_catalog(extra=[(big, False)], skip_unreadable=True)
    assert len(catalog.records) == 185
    assert (
        "file is 210 MB; building a catalog from it takes about 4,704 MB of memory and "
        "2,000 MB are available (at most 81 MB of source fit)" in catalog.problems[0]
    )


def test_the_limit_follows_the_memory_available():
    assert reading.memory_limit(reading.MEMORY_BASE) == 0
    per_byte = reading.MEMORY_PER_SOURCE_BYTE
    assert reading.memory_limit(reading.MEMORY_BASE + per_byte * 10**9) == 10**9
    assert reading.memory_limit(16 * 10**9) > 64 * 1024 * 1024  # no fixed 64 MB any more
    assert reading.available_memory() > 0


def test_a_file_that_disappears_while_being_read(tmp_path, monkeypatch):
    path = tmp_path / "vanishing.md"
    path.write_text("| Defector | Year |\n| Anna | 1956 |\n", encoding="utf-8")
    from defectors_catalog.domain.sources import reading

    original = reading.open_regular_file

    def vanish(self: Path):
        if self == path:
            self.unlink()
        return original(self)

    monkeypatch.setattr(reading, "open_regular_file", vanish)
    catalog = load_catalog(extra=[(path, False)], skip_unreadable=True)
    assert len(catalog.records) == 185
    assert "vanishing.md: file not found" in catalog.problems[0]
