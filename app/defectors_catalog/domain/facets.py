"""Every facet, declared once: the engine counts and filters by these, the filter panel
builds its sections from them and the command line its options.

A facet over a new table column is one `FacetSpec` here (the table builds a coded column
for every `VALUES` facet's column).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FacetKind(StrEnum):
    VALUES = "values"  # one value per record, from a table column
    FLAG = "flag"  # yes or no per record (a boolean table column), as two values
    SOURCES = "sources"  # any of the sources that list the record
    RANGE = "range"  # a span of numbers (the years)
    TAGS = "tags"  # any of the tags a record carries (none, one or several per record)


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its key (the `Query` selection key), title, the table column it
    counts, its kind, and how it shows."""

    key: str
    title: str
    kind: FacetKind
    column: str
    rows: int = 6  # rows the filter panel shows before it scrolls
    option: str = ""  # the command line's `--option` (repeatable); "" for none
    empty_label: str = "(unknown)"  # the label of the empty value
    # FLAG facets: (value, label, the flag it stands for), in the order they are listed.
    flag_values: tuple[tuple[str, str, bool], ...] = ()
    # The person's own verdicts: counted from the annotations overlay, not the table.
    annotation: bool = False
    # A VALUES facet whose values are known beforehand: (value, label), in this order.
    fixed_values: tuple[tuple[str, str], ...] = ()

    @property
    def option_dest(self) -> str:
        """Where argparse keeps the values given to `--option`."""
        return f"facet_{self.key}"


CONFIRMED = "confirmed"
ONLY_UNRELIABLE = "only-unreliable"
WITH_WARNINGS = "with-warnings"
WITHOUT_WARNINGS = "without-warnings"
# A record's status as the person judged it; the first is every record's at first
# (`annotations.model.Status` names the same values).
STATUSES = (
    ("unchecked", "Unchecked"),
    ("verified", "Verified"),
    ("disputed", "Disputed"),
    ("rejected", "Rejected"),
)
WITH_NOTE = "yes"
WITHOUT_NOTE = "no"

FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("sources", "Sources", FacetKind.SOURCES, "sources", option="source"),
    FacetSpec("reliability", "Reliability", FacetKind.FLAG, "only_unreliable",
              option="reliability",
              flag_values=((CONFIRMED, "Listed by a reliable source", False),
                           (ONLY_UNRELIABLE, "Only in an unreliable list", True))),
    FacetSpec("country", "Country", FacetKind.VALUES, "country", rows=10, option="country"),
    FacetSpec("category", "Profession category", FacetKind.VALUES, "category", rows=8,
              option="category"),
    FacetSpec("warnings", "Warnings", FacetKind.FLAG, "has_warnings", option="warnings",
              flag_values=((WITH_WARNINGS, "With warnings", True),
                           (WITHOUT_WARNINGS, "Without warnings", False))),
    FacetSpec("listed_in", "Listed in", FacetKind.VALUES, "listed_in", rows=3,
              option="listed-in"),
    FacetSpec("destination", "Destination (inferred from notes)", FacetKind.VALUES,
              "destination", rows=8, option="destination", empty_label="(none inferred)"),
    FacetSpec("status", "Your status", FacetKind.VALUES, "status", rows=4, option="status",
              annotation=True, fixed_values=STATUSES),
    FacetSpec("tags", "Your tags", FacetKind.TAGS, "tags", rows=8, option="tag",
              annotation=True),
    FacetSpec("note", "Your note", FacetKind.FLAG, "has_note", option="has-note",
              flag_values=((WITH_NOTE, "With a note", True),
                           (WITHOUT_NOTE, "Without a note", False)),
              annotation=True),
    FacetSpec("year", "Years", FacetKind.RANGE, "year"),
)  # fmt: skip
FACET = {f.key: f for f in FACETS}
COUNTED = tuple(f for f in FACETS if f.kind is not FacetKind.RANGE)
VALUE_COLUMNS = tuple(f.column for f in FACETS if f.kind is FacetKind.VALUES and not f.annotation)
