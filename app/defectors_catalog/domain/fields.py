"""Every field of a record, declared once; the table, search, sort, export, conflict
comparison, window and command line all derive from these declarations.

A new field is one `Field` here, its attribute on `CatalogRecord` (and `SourceEntry` if
sources give it), and the code that fills it. How it is stored in the table follows from
its `kind`; where it shows follows from the flags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from defectors_catalog.domain.model import CatalogRecord


class Kind(StrEnum):
    """How a field's values are held in the table."""

    TEXT = "text"  # mostly distinct per record (names, notes): kept as they are
    REPEATED = "repeated"  # few distinct values (places, professions): factorised once
    LABELLED = "labelled"  # an id shown by its label (the profession category)
    YEAR = "year"  # an integer, None when unknown
    SOURCES = "sources"  # the ids of the sources listing the record
    WARNINGS = "warnings"  # the codes of the record's warnings
    # The person's own verdict (status, tags, note): held beside the table by the
    # annotations overlay (`query.table.AnnotationColumns`), never by the record.
    ANNOTATION = "annotation"


@dataclass(frozen=True)
class Field:
    """One field: its key (a `CatalogRecord` attribute unless `read` says otherwise, the
    table column, the sort key and, unless `export_as`, the export column) and where it
    takes part."""

    key: str
    title: str
    kind: Kind = Kind.TEXT
    searched: bool = False  # part of the text search (in declaration order)
    sortable: bool = True
    compared: bool = False  # sources' values compared for conflicts (a SourceEntry field)
    # Free text (notes): sources word it differently, so a difference is shown word by
    # word but is not a conflict.
    free_text: bool = False
    said: bool = False  # each source's value shown under Provenance (a SourceEntry field)
    width: int = 0  # a table column this wide by default; 0: not a table column
    hidden: bool = False  # a table column hidden until the person shows it
    highlight: bool = False  # search words are marked in its table cells
    detail: str | None = None  # a detail-panel row, showing this when empty; None: no row
    export_as: str = ""  # the export column's name when it differs from `key`
    read: Callable[[CatalogRecord], Any] | None = None  # the value, when not `record.key`

    @property
    def export_name(self) -> str:
        return self.export_as or self.key

    def value(self, record: CatalogRecord) -> Any:
        return (self.read or attrgetter(self.key))(record)


def _destination(record: CatalogRecord) -> str:
    return record.destination.country if record.destination else ""


def _destination_evidence(record: CatalogRecord) -> str:
    return record.destination.evidence if record.destination else ""


def _surname_first(record: CatalogRecord) -> str:
    from defectors_catalog.domain.text import surname_first

    return surname_first(record.name)


def _warning_text(record: CatalogRecord) -> str:
    # Most records have no warning or one: no join for them.
    warnings = record.warnings
    if len(warnings) < 2:
        return warnings[0].text if warnings else ""
    return " | ".join([w.text for w in warnings])


# In table-column order; the text search covers the `searched` ones in this order.
FIELDS: tuple[Field, ...] = (
    Field("sources", "Sources", Kind.SOURCES, width=118),
    Field("name", "Name", searched=True, said=True, width=210, highlight=True),
    Field("alias", "Alias", searched=True, compared=True),
    Field("profession", "Profession", Kind.REPEATED, searched=True, compared=True, said=True,
          width=170, highlight=True, detail="(none given)"),
    Field("birthplace", "Birthplace", Kind.REPEATED, searched=True, compared=True, said=True,
          width=130, highlight=True, detail="(none given)"),
    Field("country", "Country", Kind.REPEATED, width=110, hidden=True, detail="(unknown)"),
    Field("year", "Year", Kind.YEAR, compared=True, said=True, width=56, detail=""),
    Field("category", "Category", Kind.LABELLED, width=140, hidden=True, detail=""),
    Field("notes", "Notes", searched=True, compared=True, free_text=True, width=420,
          highlight=True, detail="(none)"),
    Field("destination", "Destination", Kind.REPEATED, width=110, hidden=True,
          export_as="destination_inferred", read=_destination),
    Field("warnings", "Warnings", Kind.WARNINGS),
    Field("warning_text", "Warning text", sortable=False, read=_warning_text),
    Field("destination_evidence", "Destination evidence", sortable=False,
          read=_destination_evidence),
    Field("id", "Id", sortable=False),
    # A sort key as catalogues of people have it; a column hidden until chosen.
    Field("surname", "Surname first", width=180, hidden=True, read=_surname_first),
    Field("status", "Status", Kind.ANNOTATION, width=90, hidden=True),
    Field("tags", "Tags", Kind.ANNOTATION, width=140, hidden=True),
    Field("note", "Your note", Kind.ANNOTATION, width=220, hidden=True),
)  # fmt: skip
FIELD = {f.key: f for f in FIELDS}

# The export's columns: a contract that scripts rely on first, then the rest.
EXPORT_CONTRACT = ("name", "profession", "birthplace", "year", "notes", "sources", "warnings")
EXPORT_EXTRA = (
    "country",
    "category",
    "alias",
    "warning_text",
    "destination",
    "destination_evidence",
    "id",
    "surname",
)
# The person's own verdicts, exported right after the contract columns.
EXPORT_ANNOTATIONS = ("status", "tags", "note")

SEARCH_FIELDS = tuple(f.key for f in FIELDS if f.searched)
SORTABLE = tuple(f.key for f in FIELDS if f.sortable)
COMPARED_FIELDS = tuple(f.key for f in FIELDS if f.compared)
# Compared, but a difference is shown, not raised as a conflict.
FREE_TEXT_FIELDS = frozenset(f.key for f in FIELDS if f.compared and f.free_text)
SAID_FIELDS = tuple(f.key for f in FIELDS if f.said)
# What each source gave for a record (SourceEntry's fields): the conflicts view's rows.
ENTRY_FIELDS = tuple(f.key for f in FIELDS if f.said or f.compared)
TABLE_COLUMNS = tuple(f for f in FIELDS if f.width and f.kind is not Kind.ANNOTATION)
# The annotation columns: the window adds them to its table once it shows the overlay.
ANNOTATION_FIELDS = tuple(f for f in FIELDS if f.kind is Kind.ANNOTATION)
DETAIL_FIELDS = tuple(f for f in FIELDS if f.detail is not None)
