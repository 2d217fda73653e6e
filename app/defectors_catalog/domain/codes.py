"""The codes of warnings and diagnostics: for machines (facets, exports, tests), each
with one spelling; the message beside a code is for people."""

from __future__ import annotations

from enum import StrEnum


class WarningCode(StrEnum):
    """A caution shown beside a record."""

    ONLY_UNRELIABLE = "only-unreliable"  # no reliable source lists the record
    CONFLICT = "conflict"  # the sources disagree on a field
    POSSIBLE_DUPLICATE = "possible-duplicate"  # may be the same person as another record


class DiagnosticCode(StrEnum):
    """Something a parser or the merge noticed about a line, a row or a record."""

    # Reading a file
    LINE_TOO_LONG = "line-too-long"
    NO_TABLE = "no-table"
    NO_HEADER = "no-header"
    NO_ROWS = "no-rows"
    BAD_CSV = "bad-csv"
    UNKNOWN_COLUMN = "unknown-column"
    DUPLICATE_COLUMN = "duplicate-column"
    INFERRED_COLUMNS = "inferred-columns"  # a table without a header: columns told by content
    BEFORE_HEADER = "before-header"  # a row-like line above the header row
    NOT_READ = "not-read"  # holds a year and words, yet is in no table that was read
    BAD_JSON = "bad-json"
    BAD_MARKUP = "bad-markup"
    # A row
    RAGGED_ROW = "ragged-row"
    UNCLOSED_QUOTE = "unclosed-quote"
    REPAIRED = "repaired"
    INFERRED_SPLIT = "inferred-split"
    NO_NAME = "no-name"
    NO_YEAR = "no-year"
    BAD_YEAR = "bad-year"
    APPROXIMATE_YEAR = "approximate-year"
    # Merging
    CONFLICT = "conflict"
    NOTES_DIFFER = "notes-differ"  # free text worded differently: shown, not a conflict
    NAME_VARIANT = "name-variant"  # merged: the first names are transliteration variants
    FUZZY_MERGED = "fuzzy-merged"
    DUPLICATE_IN_SOURCE = "duplicate-in-source"
    MERGED_BY_DECISION = "merged-by-decision"


# Merge notes the detail panel lists under a record (the rest belong to one source's row).
MERGE_NOTES = frozenset(
    {
        DiagnosticCode.CONFLICT,
        DiagnosticCode.NOTES_DIFFER,
        DiagnosticCode.NAME_VARIANT,
        DiagnosticCode.FUZZY_MERGED,
        DiagnosticCode.DUPLICATE_IN_SOURCE,
    }
)
