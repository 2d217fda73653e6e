"""JSON export: an array of objects, one per record, keys in the column contract's order,
UTF-8 with every character as it is (`ensure_ascii=False`), the year a number or null."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from defectors_catalog.domain.output.columns import headers, typed_values
from defectors_catalog.domain.output.csv_export import ALL_COLUMNS, ROWS_PER_BLOCK
from defectors_catalog.domain.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.query.table import IntArray


def write_json(
    catalog: Catalog,
    positions: IntArray,
    handle: IO[str],
    columns: Sequence[str] = ALL_COLUMNS,
    *,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the records at `positions`, in that order, as a JSON array to `handle`;
    returns the row count. Written a block of rows at a time (one line per record), so a
    million records never stand in memory as one string."""
    names = headers(columns)
    rows = len(positions) if names else 0
    progress.stage("Writing JSON", rows)
    handle.write("[")
    for start in range(0, rows, ROWS_PER_BLOCK):
        block = positions[start : start + ROWS_PER_BLOCK]
        values = [typed_values(catalog, name, block) for name in names]
        objects = (dict(zip(names, row, strict=True)) for row in zip(*values, strict=True))
        lead = "\n" if start == 0 else ",\n"
        handle.write(lead + ",\n".join(json.dumps(o, ensure_ascii=False) for o in objects))
        progress.step(len(block))
    handle.write("\n]\n" if rows else "]\n")
    return rows
