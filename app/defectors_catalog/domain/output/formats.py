"""The export formats, declared once: the window's export dialog, its file filter and the
command line's `--format` all ask this registry. Every format writes the same columns
(the CSV's contract) of the same positions, atomically, with the same provenance record.

`export_records` is the one call for any format; `format_for` picks a format from an
explicit choice or the target's extension.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO, cast

from defectors_catalog.domain.atomic import Writer, write_together
from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output.columns import headers
from defectors_catalog.domain.output.csv_export import (
    ALL_COLUMNS,
    ExportOptions,
    _drop_stale_provenance,
    provenance_path,
    provenance_text,
    write_rows,
)
from defectors_catalog.domain.output.json_export import write_json
from defectors_catalog.domain.output.markdown_export import write_markdown
from defectors_catalog.domain.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.query.engine import Query
    from defectors_catalog.domain.query.table import IntArray


@dataclass(frozen=True)
class Export:
    """What one export writes: the catalog's records at `positions`, these `columns`,
    how (`options`), the query that chose them (for the provenance), and where."""

    catalog: Catalog
    positions: IntArray
    target: Path
    columns: Sequence[str]
    options: ExportOptions
    query: Query | None
    progress: Progress


@dataclass(frozen=True)
class ExportFormat:
    """One format: its id (`--format`), the label and extensions the file dialog shows,
    its file's text encoding ("" for a binary file), and its writer."""

    id: str
    label: str
    extensions: tuple[str, ...]
    write: Callable[[Export, IO[str]], int]
    encoding: str = "utf-8"

    @property
    def file_filter(self) -> str:
        """The file dialog's filter: `Excel workbook (*.xlsx)`."""
        return f"{self.label} ({' '.join('*' + e for e in self.extensions)})"


def _csv(job: Export, handle: IO[str]) -> int:
    return write_rows(job.catalog, job.positions, handle, job.columns, job.options,
                      progress=job.progress)  # fmt: skip


def _xlsx(job: Export, handle: IO[str]) -> int:
    from defectors_catalog.domain.output.xlsx_export import write_xlsx

    # The atomic writer opens text files; a workbook is bytes, written to the same
    # temporary file's binary buffer (nothing has gone through the text layer).
    binary = cast(TextIO, handle).buffer
    return write_xlsx(job.catalog, job.positions, binary, job.target, job.columns,
                      job.options, job.query, progress=job.progress)  # fmt: skip


def _json(job: Export, handle: IO[str]) -> int:
    return write_json(job.catalog, job.positions, handle, job.columns, progress=job.progress)


def _markdown(job: Export, handle: IO[str]) -> int:
    return write_markdown(job.catalog, job.positions, handle, job.columns, progress=job.progress)


PLAIN_OPTIONS = ExportOptions()  # the defaults: formulas neutralised, no BOM, commas

FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("csv", "CSV", (".csv", ".tsv", ".txt"), _csv),
    ExportFormat("xlsx", "Excel workbook", (".xlsx",), _xlsx, encoding=""),
    ExportFormat("json", "JSON", (".json",), _json),
    ExportFormat("md", "Markdown table", (".md", ".markdown"), _markdown),
)
FORMAT = {f.id: f for f in FORMATS}
DEFAULT_FORMAT = FORMAT["csv"]


def format_for(target: Path, chosen: str = "") -> ExportFormat:
    """The format asked for by id (`chosen`), else the one the target's extension names,
    else CSV (as `export OUT` always wrote)."""
    if chosen:
        found = FORMAT.get(chosen.lower())
        if found is None:
            raise ExportError(f"unknown format {chosen!r}; known: {', '.join(FORMAT)}")
        return found
    suffix = target.suffix.lower()
    return next((f for f in FORMATS if suffix in f.extensions), DEFAULT_FORMAT)


def export_records(
    catalog: Catalog,
    positions: IntArray,
    target: Path,
    columns: Sequence[str] = ALL_COLUMNS,
    options: ExportOptions = PLAIN_OPTIONS,
    query: Query | None = None,
    *,
    format: str = "",
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the records at `positions`, in that order, to `target` in `format` (an id
    of FORMATS; by default from the extension); returns the row count.

    As `csv_export.export_csv`: written beside the target and renamed into place, with
    `<target>.provenance.json` when `options.provenance` (both or neither), and a
    cancel through `progress` leaves no file.
    """
    chosen = format_for(target, format)
    names = headers(columns)  # refused before any file is touched
    job = Export(catalog, positions, target, names, options, query, progress)
    rows = len(positions) if names else 0

    def write(handle: IO[str]) -> None:
        chosen.write(job, handle)

    files: list[tuple[Path, Writer, str]] = [
        (target, write, chosen.encoding or "utf-8"),
    ]
    if chosen.id == "csv" and options.excel_bom:
        files[0] = (target, write, "utf-8-sig")
    if options.provenance:
        text = provenance_text(catalog, target, rows, names, options, query)
        files.append((provenance_path(target), lambda handle: handle.write(text), "utf-8"))
    write_together(files)
    if not options.provenance:
        _drop_stale_provenance(target)
    return rows


def write_to_stream(
    catalog: Catalog,
    positions: IntArray,
    handle: IO[str],
    chosen: ExportFormat,
    columns: Sequence[str] = ALL_COLUMNS,
    options: ExportOptions = PLAIN_OPTIONS,
    *,
    progress: Progress = NO_PROGRESS,
) -> int:
    """A text format written to an open stream (`export -`: standard output)."""
    if not chosen.encoding:
        raise ExportError(f"{chosen.label} is not text: give a file to write it to, not -")
    job = Export(catalog, positions, Path("-"), headers(columns), options, None, progress)
    return chosen.write(job, handle)
