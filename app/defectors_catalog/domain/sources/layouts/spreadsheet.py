"""Spreadsheets: `.xlsx`, `.xls` and `.ods`, read by pandas with the calamine engine.

The sheet read is the one asked for, else the first whose header row (within its first
rows) names a name and a year column, or whose columns' content tells them. A row's
"line" is its row number in the sheet, as the spreadsheet shows it, and its raw line is
its cells joined with tabs; other sheets are named in a diagnostic.
"""

from __future__ import annotations

import datetime
import io
import math
from typing import Any

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.gc_pause import collector_paused
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.layouts.base import Layout, ReadOptions, SourceFile
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.layouts.tables import Row, TableRead, read_table

LAYOUT = "spreadsheet"
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls (and .doc, .msg)
_ODS = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"


def sniff(file: SourceFile) -> float:
    data = file.data
    if data.startswith(_ZIP):
        if _ODS in data[:200] or b"xl/workbook" in data:
            return 1.0
        return 0.6 if file.suffix in {"xlsx", "xlsm", "ods"} else 0.0
    if data.startswith(_OLE):
        return 1.0 if file.suffix == "xls" else 0.8
    return 0.0


def _text(value: Any) -> str:
    """A cell as a person reads it: 1924.0 -> '1924', an empty cell -> ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _sheets(file: SourceFile) -> dict[str, list[list[str]]]:
    import pandas as pd

    try:
        frames = pd.read_excel(
            io.BytesIO(file.data), sheet_name=None, header=None, engine="calamine", dtype=object
        )
    except Exception as exc:  # calamine raises its own types for each kind of damage
        raise SourceReadError(f"{file.name}: not a readable spreadsheet ({exc})") from None
    return {
        str(name): [[_text(v) for v in row] for row in frame.itertuples(index=False)]
        for name, frame in frames.items()
    }


def read_spreadsheet(
    file: SourceFile,
    options: ReadOptions,
    source_id: str,
    context: ParseContext,
    progress: Progress,
) -> ParseResult:
    sheets = _sheets(file)
    progress.check()
    names = list(sheets)
    wanted = options.sheet.strip()
    if wanted and wanted not in sheets:
        folded = {n.casefold(): n for n in names}
        if wanted.casefold() not in folded:
            raise SourceReadError(
                f"{file.name}: there is no sheet {wanted!r}; its sheets are "
                + ", ".join(repr(n) for n in names)
            )
        wanted = folded[wanted.casefold()]
    chosen = ""
    table: TableRead | None = None
    rows: list[Row] = []
    tried: list[str] = []
    progress.stage(progress.stage_name or f"Reading {source_id}", sum(map(len, sheets.values())))
    with collector_paused():
        for name in [wanted] if wanted else names:
            grid = sheets[name]
            rows = [Row(n, tuple(cells), "\t".join(cells).rstrip("\t"))
                    for n, cells in enumerate(grid, 1)]  # fmt: skip
            table = read_table(rows, source_id, context, options.column_map)
            progress.step(len(grid))
            if table.mapped:
                chosen = name
                break
            tried.append(name)
    kinds = [LineKind.BLANK if row.blank else LineKind.PROSE for row in rows]
    diagnostics: list[Diagnostic] = []
    entries = []
    if chosen and table is not None:
        for line, kind in table.kinds.items():
            kinds[line - 1] = kind
        diagnostics.extend(table.diagnostics)
        entries = table.entries
        others = [n for n in names if n != chosen]
        if others and not wanted:
            diagnostics.append(
                Diagnostic(DiagnosticCode.NOT_READ,
                           f"sheet {chosen!r} was read; not the other sheets ("
                           + ", ".join(repr(n) for n in others) + "): choose one to read it",
                           None)
            )  # fmt: skip
        summary = (
            f"a workbook of {len(names)} sheet{'s' if len(names) > 1 else ''}: "
            f"{len(entries):,} rows read from sheet {chosen!r}"
        )
    else:
        kinds = [LineKind.BLANK if row.blank else LineKind.PROSE for row in rows]
        diagnostics.append(
            Diagnostic(DiagnosticCode.NO_HEADER,
                       "no sheet has a header row naming a name and a year column, nor "
                       "columns of names and years", None, Severity.WARNING)
        )  # fmt: skip
        summary = (
            f"a workbook of {len(names)} sheet{'s' if len(names) != 1 else ''} ("
            + ", ".join(repr(n) for n in names)
            + "); none has a name and a year column"
        )
    return ParseResult(
        source_id, LAYOUT, tuple(entries), tuple(kinds), tuple(diagnostics),
        summary=summary, columns=table.columns if table is not None and chosen else (),
        parts=tuple(names), part=chosen,
    )  # fmt: skip


SPREADSHEET = Layout(
    id=LAYOUT,
    label="Spreadsheet (.xlsx, .xls, .ods)",
    extensions=("xlsx", "xlsm", "xls", "ods"),
    sniff=sniff,
    read=read_spreadsheet,
    binary=True,
    parts_name="sheet",
)
