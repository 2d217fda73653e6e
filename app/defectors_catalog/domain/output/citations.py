"""Citations: for a record, each source that lists it (title, origin, retrieval date, file
and line), as plain text, BibTeX or CSL-JSON (what Zotero imports); and the same for a
source on its own (the Sources overview).

Everything here comes from files (a source's title is an added file's name), so BibTeX
values have every character TeX gives a meaning to escaped, and a web address becomes a
`url` only when it is one (http or https, no space or brace).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.output.csv_export import readable

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.model import CatalogRecord, SourceSpec

_URL = re.compile(r"https?://[^\s{}\\\"<>]+")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Citation:
    """One source as it backs one record (or, with `record_id` empty, the source alone):
    the source's id, title, origin (a web address in `url` when it is one), license,
    retrieval date as the manifest says it and as date parts when it is a date, its file,
    and the line the record stands on there."""

    source_id: str
    title: str
    origin: str
    url: str
    license: str
    retrieved: str
    accessed: tuple[int, ...]  # (year, month, day), (year, month) or (year); () unknown
    file: str
    record_id: str = ""
    record_name: str = ""
    year: int | None = None
    line: int = 0

    @property
    def key(self) -> str:
        """A citation key: letters, digits and `-` only (`ferenc-puskas-1956-wikipedia`)."""
        raw = f"{self.record_id}-{self.source_id}" if self.record_id else self.source_id
        return re.sub(r"[^A-Za-z0-9-]+", "-", raw).strip("-") or "source"

    @property
    def entry(self) -> str:
        """What the source says about: 'Ferenc Puskás (1956), line 42 of wikipedia.md'."""
        if not self.record_id:
            return self.file
        year = f" ({self.year})" if self.year is not None else ""
        return f"{self.record_name}{year}, line {self.line} of {self.file}"


def _accessed(retrieved: str) -> tuple[int, ...]:
    text = retrieved.strip()
    if not _DATE.fullmatch(text):
        return ()
    parts = tuple(int(p) for p in text.split("-"))
    try:
        date(parts[0], *(*parts[1:], 1, 1)[:2])
    except ValueError:
        return ()
    return parts


def _source(spec: SourceSpec) -> Citation:
    found = _URL.fullmatch(spec.origin.strip())
    return Citation(
        source_id=spec.id,
        title=spec.title,
        origin=spec.origin,
        url=found.group() if found else "",
        license=spec.license,
        retrieved=spec.retrieved,
        accessed=_accessed(spec.retrieved),
        file=readable(spec.path.name),
    )


def source_citation(catalog: Catalog, source_id: str) -> Citation:
    """The citation of one source on its own (the Sources overview's)."""
    spec = next((s for s in catalog.sources if s.id == source_id), None)
    if spec is None:
        known = ", ".join(s.id for s in catalog.sources)
        raise CatalogError(f"unknown source {source_id!r}; known: {known}")
    return _source(spec)


def record_citations(catalog: Catalog, record: CatalogRecord) -> tuple[Citation, ...]:
    """One citation per row of a source that gave this record, in manifest order."""
    order = {spec.id: i for i, spec in enumerate(catalog.sources)}
    entries = sorted(record.entries, key=lambda e: (order.get(e.source_id, len(order)), e.line))
    citations = []
    for entry in entries:
        base = source_citation(catalog, entry.source_id)
        citations.append(replace(base, record_id=record.id, record_name=record.name,
                                 year=record.year, line=entry.line))  # fmt: skip
    return tuple(citations)


def citations_for(catalog: Catalog, record_ids: Sequence[str]) -> tuple[Citation, ...]:
    """The citations of the records with these ids (Copy citation's selected records);
    an unknown id is refused, naming the nearest known one."""
    found: list[Citation] = []
    for record_id in record_ids:
        row = catalog.row_of.get(record_id)
        if row is None:
            raise CatalogError(_unknown_record(catalog, record_id))
        found.extend(record_citations(catalog, catalog.records[row]))
    return tuple(found)


def _unknown_record(catalog: Catalog, record_id: str) -> str:
    import difflib

    near = difflib.get_close_matches(record_id, list(catalog.row_of), n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]!r}?" if near else " (ids are in the export's id column)"
    return f"unknown record id {record_id!r}{hint}"


# -- plain text -------------------------------------------------------------------------


def as_text(citations: Sequence[Citation]) -> str:
    """One line per citation: 'Ferenc Puskás (1956), line 52 of wikipedia.md. In: Wikipedia
    export. https://... Retrieved 2025-11-06. License: CC BY-SA 4.0.'"""
    lines = []
    for c in citations:
        parts = [f"{c.entry}. In: {c.title}." if c.record_id else f"{c.title}. File: {c.file}."]
        if c.url:
            parts.append(c.url)  # no full stop after a web address a reader would copy
        elif c.origin:
            parts.append(f"{c.origin}.")
        if c.retrieved:
            parts.append(f"Retrieved {c.retrieved}.")
        if c.license:
            parts.append(f"License: {c.license}.")
        lines.append(" ".join(" ".join(parts).split()))  # a title's line break: one line
    return "".join(line + "\n" for line in lines)


# -- BibTeX -----------------------------------------------------------------------------

_TEX = {
    # BibTeX counts every brace, escaped or not: a lone `\{` would unbalance the entry.
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_TEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")


def tex_escape(value: str) -> str:
    """Text as a BibTeX value shows it: TeX's special characters escaped, white space
    (line breaks, tabs) as single spaces; other characters as they are (UTF-8)."""
    return _TEX_SPECIAL.sub(lambda m: _TEX[m.group()], " ".join(value.split()))


def as_bibtex(citations: Sequence[Citation]) -> str:
    """One `@misc` entry per citation (a list on the web, or a file)."""
    entries = []
    for key, c in _keyed(citations):
        fields = [("title", tex_escape(c.title)),
                  ("note", tex_escape(c.entry if c.record_id else f"File {c.file}"))]  # fmt: skip
        if c.url:  # checked by _URL: no brace, space or backslash to escape
            fields += [("howpublished", f"\\url{{{c.url}}}"), ("url", c.url)]
        elif c.origin:
            fields.append(("howpublished", tex_escape(c.origin)))
        if len(c.accessed) == 3:
            fields.append(("urldate", "-".join(f"{p:02d}" for p in c.accessed)))
        elif c.retrieved:
            fields.append(("addendum", tex_escape(f"Retrieved {c.retrieved}")))
        if c.license:
            fields.append(("copyright", tex_escape(c.license)))
        body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
        entries.append(f"@misc{{{key},\n{body}}}\n")
    return "\n".join(entries)


def _keyed(citations: Sequence[Citation]) -> list[tuple[str, Citation]]:
    """Each citation with a key of its own: a source that lists a record twice gives two
    lines, and the second key gets `-2`."""
    seen: dict[str, int] = {}
    keyed = []
    for c in citations:
        seen[c.key] = seen.get(c.key, 0) + 1
        keyed.append((c.key if seen[c.key] == 1 else f"{c.key}-{seen[c.key]}", c))
    return keyed


# -- CSL-JSON ---------------------------------------------------------------------------


def csl_items(citations: Sequence[Citation]) -> list[dict[str, object]]:
    """CSL-JSON items (a `webpage` when the source is on the web, else a `dataset`)."""
    items: list[dict[str, object]] = []
    for key, c in _keyed(citations):
        item: dict[str, object] = {
            "id": key,
            "type": "webpage" if c.url else "dataset",
            "title": c.title,
            "note": c.entry if c.record_id else f"File {c.file}",
            "archive_location": f"{c.file}, line {c.line}" if c.record_id else c.file,
        }
        if c.url:
            item["URL"] = c.url
        elif c.origin:
            item["publisher"] = c.origin
        if c.accessed:
            item["accessed"] = {"date-parts": [list(c.accessed)]}
        elif c.retrieved:  # not a date ("unknown"): said, not passed off as one
            item["note"] = f"{item['note']}; retrieved {c.retrieved}"
        if c.license:
            item["license"] = c.license
        items.append(item)
    return items


def as_csl_json(citations: Sequence[Citation]) -> str:
    return json.dumps(csl_items(citations), ensure_ascii=False, indent=2) + "\n"


CITATION_FORMATS: dict[str, Callable[[Sequence[Citation]], str]] = {
    "text": as_text,
    "bibtex": as_bibtex,
    "csl-json": as_csl_json,
}


def cite(catalog: Catalog, record_ids: Sequence[str], format: str = "text") -> str:
    """The citations of these records in `format` (one of CITATION_FORMATS): what Copy
    citation puts on the clipboard and `defectors-catalog cite` prints."""
    writer = CITATION_FORMATS.get(format)
    if writer is None:
        raise CatalogError(f"unknown citation format {format!r}; known: "
                           f"{', '.join(CITATION_FORMATS)}")  # fmt: skip
    return writer(citations_for(catalog, record_ids))


def cite_source(catalog: Catalog, source_id: str, format: str = "text") -> str:
    """The citation of one source in `format` (the Sources overview's)."""
    writer = CITATION_FORMATS.get(format)
    if writer is None:
        raise CatalogError(f"unknown citation format {format!r}; known: "
                           f"{', '.join(CITATION_FORMATS)}")  # fmt: skip
    return writer((source_citation(catalog, source_id),))
