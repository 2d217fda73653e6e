"""Excel export: a real workbook through pandas and XlsxWriter.

The first sheet holds the rows (the column contract's columns, header row bold and
frozen, widths fitted to the values, years as numbers); the second the provenance (the
app, the time, the query, and each source with its origin as a link). No cell is ever a
formula: the workbook is told never to read text as one, and text that looks like one
(`=HYPERLINK(...)`, `+1`, `@SUM`) is marked as text the way Excel marks it (the hidden
apostrophe), so editing it does not turn it into one either.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output.columns import headers, typed_values
from defectors_catalog.domain.output.csv_export import (
    ALL_COLUMNS,
    FORMULA_STARTS,
    ROWS_PER_BLOCK,
    ExportOptions,
    provenance_text,
)
from defectors_catalog.domain.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from pathlib import Path

    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.query.engine import Query
    from defectors_catalog.domain.query.table import IntArray

PLAIN_OPTIONS = ExportOptions()
ROWS_SHEET = "Records"
PROVENANCE_SHEET = "Provenance"
MAX_ROWS = 1_048_576 - 1  # a sheet's rows, less the header
MAX_WIDTH = 60  # characters: notes would otherwise make a column screens wide
# Never turn text into a formula, a number or a link behind the person's back.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False,
                    "strings_to_urls": False}  # fmt: skip


def write_xlsx(
    catalog: Catalog,
    positions: IntArray,
    handle: BinaryIO,
    target: Path,
    columns: Sequence[str] = ALL_COLUMNS,
    options: ExportOptions = PLAIN_OPTIONS,
    query: Query | None = None,
    *,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the workbook of the records at `positions`, in that order, to `handle`
    (a binary file); returns the row count. `target` names the file in the provenance."""
    import pandas as pd  # heavy: only when a workbook is written

    names = headers(columns)
    rows = len(positions) if names else 0
    if rows > MAX_ROWS:
        raise ExportError(
            f"an .xlsx sheet holds at most {MAX_ROWS:,} rows and {rows:,} are to be written; "
            "export CSV or JSON instead"
        )
    progress.stage("Writing Excel workbook", rows)
    # Rows are streamed to disk as they are written (constant memory at a million rows),
    # through temporary files in the target's folder, beside the export's own.
    settings = {**WORKBOOK_OPTIONS, "constant_memory": True, "tmpdir": str(target.parent)}
    with pd.ExcelWriter(handle, engine="xlsxwriter", engine_kwargs={"options": settings}) as writer:
        book: Any = writer.book
        bold = book.add_format({"bold": True})
        as_text = book.add_format({"quote_prefix": True}) if options.neutralise_formulas else None
        sheet = book.add_worksheet(ROWS_SHEET)
        sheet.write_row(0, 0, names, bold)
        sheet.freeze_panes(1, 0)
        widths = [len(name) for name in names]
        for start in range(0, rows, ROWS_PER_BLOCK):
            block = positions[start : start + ROWS_PER_BLOCK]
            values = [typed_values(catalog, name, block) for name in names]
            for slot, column in enumerate(values):
                texts = {v for v in column if isinstance(v, str)}
                widths[slot] = max(widths[slot], *map(len, texts)) if texts else widths[slot]
            _write_rows(sheet, values, 1 + start, as_text)
            progress.step(len(block))
        for slot, width in enumerate(widths):
            sheet.set_column(slot, slot, min(width, MAX_WIDTH) + 2)
        text = provenance_text(catalog, target, rows, names, options, query)
        _provenance_sheet(book, catalog, json.loads(text), bold)
    return rows


def _write_rows(sheet: Any, columns: list[list[object]], first_row: int, as_text: Any) -> None:
    """Cells a row at a time (the order constant-memory mode needs): a year as a number,
    text as text, text that looks like a formula marked as text (`as_text`, unless the
    person switched neutralising off), nothing for an unknown year.

    Written through XlsxWriter's worksheet directly: pandas' `to_excel` looks up a style
    per cell (34 s for 100,000 rows of 14 columns, where this takes 25 s: XlsxWriter's
    own cell writing is most of that)."""
    write_string, write_number = sheet.write_string, sheet.write_number
    for row, cells in enumerate(zip(*columns, strict=True), start=first_row):
        for column, value in enumerate(cells):
            if isinstance(value, str):
                if not value:
                    continue
                formula_like = as_text is not None and value.startswith(FORMULA_STARTS)
                write_string(row, column, value, as_text if formula_like else None)
            elif isinstance(value, int):
                write_number(row, column, value)


def _provenance_sheet(book: Any, catalog: Catalog, record: dict[str, Any], bold: Any) -> None:
    """The export's provenance record (as `OUT.csv.provenance.json` holds it), and each
    source's license, origin (a link when it is a web address) and retrieval date."""
    sheet = book.add_worksheet(PROVENANCE_SHEET)
    about = [
        ("app", f"{record['app']} {record['version']}"),
        ("written", record["written"]),
        ("file", record["file"]),
        ("rows", record["rows"]),
        ("columns", ", ".join(record["columns"])),
        ("query", json.dumps(record["query"], ensure_ascii=False)),
    ]
    for row, (key, value) in enumerate(about):
        sheet.write_string(row, 0, key, bold)
        if isinstance(value, int):
            sheet.write_number(row, 1, value)
        else:
            sheet.write_string(row, 1, value)
    top = len(about) + 1
    fields = ("id", "title", "reliability", "license", "origin", "retrieved", "file", "sha256")
    sheet.write_row(top, 0, fields, bold)
    for offset, source in enumerate(record["sources"], start=1):
        spec = catalog.source(source["id"])
        told = {**source, "license": spec.license, "origin": spec.origin,
                "retrieved": spec.retrieved}  # fmt: skip
        for slot, key in enumerate(fields):
            value = str(told.get(key, ""))
            if key == "origin" and value.startswith(("https://", "http://")) and len(value) < 2000:
                sheet.write_url(top + offset, slot, value, string=value)
            else:
                sheet.write_string(top + offset, slot, value)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, len(fields) - 1, 28)
