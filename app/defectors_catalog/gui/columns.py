"""The table's columns: key into the catalog table, title, and default width."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # a CatalogTable.text key or 'sources'; also the sort and export column
    title: str
    width: int
    highlight: bool = False  # search words are highlighted in this column


COLUMNS: tuple[Column, ...] = (
    Column("sources", "Sources", 118),
    Column("name", "Name", 210, highlight=True),
    Column("profession", "Profession", 170, highlight=True),
    Column("birthplace", "Birthplace", 130, highlight=True),
    Column("country", "Country", 110),
    Column("year", "Year", 56),
    Column("category", "Category", 140),
    Column("notes", "Notes", 420, highlight=True),
)
COLUMN_INDEX = {column.key: i for i, column in enumerate(COLUMNS)}
HIDDEN_BY_DEFAULT = frozenset({"country", "category"})
