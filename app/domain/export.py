"""CSV export: one writer and one column contract for the window and the command line.

The first columns are always, in this order, name, profession, birthplace, year,
notes, sources, warnings. The file is written next to its target and renamed into
place, so a failed export never leaves a partial file or clobbers an earlier one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.domain.atomic import write_atomically
from app.domain.errors import ExportError

if TYPE_CHECKING:
    from app.domain.catalog import Catalog
    from app.domain.query import Query
    from app.domain.table import IntArray

CONTRACT_COLUMNS = ("name", "profession", "birthplace", "year", "notes", "sources", "warnings")
EXTRA_COLUMNS = (
    "country",
    "category",
    "alias",
    "warning_text",
    "destination_inferred",
    "destination_evidence",
    "id",
)
ALL_COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS


def column_values(catalog: Catalog, column: str, positions: IntArray) -> list[str]:
    """The exported strings of one column at `positions` (ids in the `sources` column)."""
    index = positions.tolist()
    table = catalog.table
    if column == "warnings":
        return [table.warning_codes[i] for i in index]
    if column == "warning_text":
        return [" | ".join(w.text for w in catalog.records[i].warnings) for i in index]
    if column == "id":
        return [table.ids[i] for i in index]
    if column in {"destination_inferred", "destination_evidence"}:
        destinations = [catalog.records[i].destination for i in index]
        if column == "destination_inferred":
            return [d.country if d else "" for d in destinations]
        return [d.evidence if d else "" for d in destinations]
    if column in table.text:
        values = table.text[column]
        return [values[i] for i in index]
    raise ExportError(f"unknown export column {column!r}; known: {', '.join(ALL_COLUMNS)}")


# A spreadsheet runs a cell that starts with one of these as a formula
# (CSV injection); a leading apostrophe makes it plain text again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


@dataclass(frozen=True)
class ExportOptions:
    """How to write: formula neutralising, BOM for Excel, delimiter, provenance record."""

    neutralise_formulas: bool = True
    excel_bom: bool = False
    delimiter: str = ","
    provenance: bool = False


def export_csv(
    catalog: Catalog,
    positions: IntArray,
    target: Path,
    columns: Sequence[str] = ALL_COLUMNS,
    options: ExportOptions = ExportOptions(),
    query: Query | None = None,
) -> int:
    """Write the records at `positions`, in that order, to `target`; returns the row count.

    With `options.provenance`, `<target>.provenance.json` records the app version, time,
    the query, the sources with their file hashes, and the row count.
    """
    import pandas as pd  # only exporting needs pandas; keep it off the start-up path

    frame = pd.DataFrame(
        {column: column_values(catalog, column, positions) for column in columns},
        columns=list(columns),
        dtype=object,
    )
    if options.neutralise_formulas and len(frame):
        for column in frame.columns:
            values = frame[column].astype(str)
            risky = values.str.startswith(FORMULA_STARTS)
            if risky.any():
                frame.loc[risky, column] = "'" + values[risky]
    write_atomically(
        target,
        lambda handle: frame.to_csv(
            handle, index=False, lineterminator="\n", sep=options.delimiter
        ),
        encoding="utf-8-sig" if options.excel_bom else "utf-8",
    )
    if options.provenance:
        write_provenance(catalog, target, len(frame), list(columns), options, query)
    return len(frame)


def provenance_path(target: Path) -> Path:
    return target.with_name(target.name + ".provenance.json")


def write_provenance(
    catalog: Catalog,
    target: Path,
    rows: int,
    columns: list[str],
    options: ExportOptions,
    query: Query | None,
) -> None:
    record = {
        "app": "defectors-catalog",
        "version": __version__,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": target.name,
        "rows": rows,
        "columns": columns,
        "options": asdict(options),
        "query": _query_dict(query),
        "sources": [
            {
                "id": spec.id,
                "title": spec.title,
                "reliability": spec.reliability.value,
                "file": spec.path.name,
                "sha256": _sha256(spec.path),
            }
            for spec in catalog.sources
        ],
    }
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    write_atomically(provenance_path(target), lambda handle: handle.write(text))


def _query_dict(query: Query | None) -> dict[str, object]:
    if query is None:
        return {}
    return {
        key: sorted(value) if isinstance(value, frozenset) else value
        for key, value in asdict(query).items()
    }


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"
