"""The export's columns as the typed formats (xlsx, JSON) write them: the same names
and order as the CSV's contract, years as numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from defectors_catalog.domain.output.csv_export import column_values, export_name
from defectors_catalog.domain.query.table import NO_YEAR

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.query.table import IntArray

YEAR_COLUMN = export_name("year")


def headers(columns: Sequence[str]) -> list[str]:
    """Each column's export name (a field key is accepted too); an unknown one is refused
    before any file is touched."""
    return [export_name(column) for column in columns]


def typed_values(catalog: Catalog, column: str, positions: IntArray) -> list[object]:
    """The values of one exported column at `positions`: the year as an integer (None
    when unknown), every other column the text the CSV writes (before neutralising)."""
    if column == YEAR_COLUMN:
        years = catalog.table.year[positions]
        return [None if year == NO_YEAR else year for year in years.tolist()]
    return list(column_values(catalog, column, positions))
