"""Citations on the real seeds: each source that lists a record, with the file and the
line it stands on there; BibTeX parsed back with bibtexparser, CSL-JSON with json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from defectors_catalog.cli import main
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.output.citations import (
    CITATION_FORMATS,
    as_bibtex,
    citations_for,
    cite,
    cite_source,
    csl_items,
    record_citations,
    tex_escape,
)

PUSKAS = "ferenc-puskas-1956"
# An added list's title is its file name: every character TeX reads specially.
HOSTILE_NAME = "list {draft} 100% & co_#1 ~^ $x.csv"


def untex(value: str) -> str:
    """A BibTeX value read back as text (the inverse of tex_escape)."""
    named = {"textbackslash": "\\", "textbraceleft": "{", "textbraceright": "}",
             "textasciitilde": "~", "textasciicircum": "^"}  # fmt: skip
    return re.sub(
        r"\\(textbackslash|textbraceleft|textbraceright|textasciitilde|textasciicircum)\{\}"
        r"|\\([&%$#_])",
        lambda m: named[m.group(1)] if m.group(1) else m.group(2),
        value,
    )


@pytest.fixture(scope="module")
def hostile(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The seeds plus a list, made from three of their real rows, whose name is hostile."""
    folder = tmp_path_factory.mktemp("hostile")
    rows = [catalog.records[catalog.row_of[i]] for i in (PUSKAS, "rudolf-nureyev-1961")]
    lines = ["Name,Profession,Birthplace,Year,Notes"]
    lines += [f'{r.name},{r.profession},{r.birthplace},{r.year},"{r.notes}"' for r in rows]
    path = folder / HOSTILE_NAME
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_catalog(extra=[(path, True)])


def seed_line(catalog: Catalog, source_id: str, line: int) -> str:
    text = catalog.source(source_id).path.read_text(encoding="utf-8")
    return text.splitlines()[line - 1]


def test_each_source_that_lists_a_record_with_its_file_and_line(catalog):
    citations = record_citations(catalog, catalog.records[catalog.row_of[PUSKAS]])
    assert [c.source_id for c in citations] == ["wikipedia", "wikipedia-scrape"]
    for c in citations:
        assert "Ferenc Puskás" in seed_line(catalog, c.source_id, c.line)
        assert c.file == catalog.source(c.source_id).path.name
    wikipedia, scrape = citations
    assert wikipedia.url == catalog.source("wikipedia").origin
    assert scrape.url == "" and scrape.accessed == (2025, 11, 6)
    assert wikipedia.accessed == ()  # "unknown (undated export)" is no date


def test_plain_text_is_one_line_per_source(catalog):
    text = cite(catalog, [PUSKAS], "text")
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "Ferenc Puskás (1956), line 52 of wikipedia.md. In: Wikipedia export."
    )
    assert "https://en.wikipedia.org/wiki/List_of_Soviet_and_Eastern_Bloc_defectors" in lines[0]
    assert "Retrieved 2025-11-06." in lines[1] and "License: CC BY-SA 4.0." in lines[1]


def test_bibtex_parses_back_with_every_value(catalog):
    ids = [PUSKAS, "rudolf-nureyev-1961"]
    citations = citations_for(catalog, ids)
    library = parse_string(as_bibtex(citations))
    assert library.failed_blocks == []
    assert len(library.entries) == len(citations) == 3  # Nureyev: 1961, after the scrape
    assert len({e.key for e in library.entries}) == 3
    for entry, c in zip(library.entries, citations, strict=True):
        fields = {name: field.value for name, field in entry.fields_dict.items()}
        assert entry.entry_type == "misc"
        assert untex(fields["title"]) == c.title
        assert untex(fields["note"]) == c.entry
        assert fields.get("url", "") == c.url
        if c.source_id == "wikipedia-scrape":
            assert fields["urldate"] == "2025-11-06"


def test_bibtex_escapes_what_tex_reads(hostile):
    record = hostile.records[hostile.row_of[PUSKAS]]
    citations = record_citations(hostile, record)
    added = [c for c in citations if c.title == HOSTILE_NAME]
    assert len(added) == 1 and added[0].line == 2  # the header is line 1
    text = as_bibtex(citations)
    assert text.count("{") == text.count("}")  # BibTeX counts escaped braces too
    library = parse_string(text)
    assert library.failed_blocks == []
    titles = [untex(e.fields_dict["title"].value) for e in library.entries]
    assert HOSTILE_NAME in titles
    assert tex_escape("a\nb\tc") == "a b c"


def test_csl_json_is_what_zotero_imports(catalog):
    items = json.loads(cite(catalog, [PUSKAS], "csl-json"))
    assert items == csl_items(citations_for(catalog, [PUSKAS]))
    wikipedia, scrape = items
    assert wikipedia["type"] == "webpage"
    assert wikipedia["URL"] == catalog.source("wikipedia").origin
    assert "accessed" not in wikipedia and "unknown" in wikipedia["note"]
    assert scrape["type"] == "dataset"
    assert scrape["accessed"] == {"date-parts": [[2025, 11, 6]]}
    assert scrape["archive_location"] == "wikipedia-scrape-2025.txt, line 43"
    for item in items:
        assert {"id", "type", "title"} <= set(item)


@pytest.mark.parametrize("format", list(CITATION_FORMATS))
def test_a_source_on_its_own(catalog, format):
    for spec in catalog.sources:
        text = cite_source(catalog, spec.id, format)
        assert spec.path.name in text
    with pytest.raises(CatalogError, match="unknown source 'nope'"):
        cite_source(catalog, "nope", format)


def test_unknown_ids_and_formats_are_refused(catalog):
    with pytest.raises(CatalogError, match="did you mean 'ferenc-puskas-1956'"):
        cite(catalog, ["ferenc-puskas-1957"])
    with pytest.raises(CatalogError, match="unknown citation format 'mla'"):
        cite(catalog, [PUSKAS], "mla")


def test_cli_cite_prints_each_format(capsys):
    assert main(["cite", PUSKAS, "rudolf-nureyev-1961"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["cite", PUSKAS, "--format", "bibtex"]) == 0
    assert len(parse_string(capsys.readouterr().out).entries) == 2
    assert main(["cite", PUSKAS, "--format", "csl-json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_cli_cite_unknown_id_is_one_line_exit_2(capsys):
    assert main(["cite", "no-such-person-1900"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err.count("\n") == 1 and "unknown record id 'no-such-person-1900'" in captured.err
    )


def test_cli_cite_reads_an_added_source(hostile, capsys):
    path = next(s.path for s in hostile.sources if s.title == HOSTILE_NAME)
    assert isinstance(path, Path)
    assert main(["cite", PUSKAS, "--add-source", str(path), "--format", "bibtex"]) == 0
    library = parse_string(capsys.readouterr().out)
    assert HOSTILE_NAME in [untex(e.fields_dict["title"].value) for e in library.entries]
