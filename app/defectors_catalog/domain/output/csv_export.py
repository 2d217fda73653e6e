"""CSV export: one writer and one column contract for the window and the command line.

The first columns are always, in this order, name, profession, birthplace, year,
notes, sources, warnings; then the person's own status, tags (`;`-joined) and note
(from the query engine's annotations overlay). The file is written next to its target
and renamed into place, so a failed (or cancelled) export never leaves a partial file or clobbers an
earlier one.

Rows are written a block at a time: a block's columns are made as lists once, their
cells quoted exactly as `csv.writer` quotes them (only where needed, `\n` line ends; see
`_Cells`), and the block is written in one call. A million rows take about seven
seconds and a block's memory, without pandas.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import operator
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from defectors_catalog import __version__
from defectors_catalog.domain.atomic import Writer, write_atomically, write_together
from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.fields import (
    EXPORT_ANNOTATIONS,
    EXPORT_CONTRACT,
    EXPORT_EXTRA,
    FIELD,
    FIELDS,
)
from defectors_catalog.domain.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.build import Catalog
    from defectors_catalog.domain.query.engine import Query
    from defectors_catalog.domain.query.table import IntArray

CONTRACT_COLUMNS = tuple(FIELD[key].export_name for key in EXPORT_CONTRACT)
EXTRA_COLUMNS = tuple(FIELD[key].export_name for key in EXPORT_EXTRA)
# The person's verdicts, right after the contract (from the engine's annotations).
ANNOTATION_COLUMNS = tuple(FIELD[key].export_name for key in EXPORT_ANNOTATIONS)
ALL_COLUMNS = CONTRACT_COLUMNS + ANNOTATION_COLUMNS + EXTRA_COLUMNS
# An export column is named by its field's export name (or, as the window asks, its key).
_FIELD_OF = {**{f.key: f.key for f in FIELDS}, **{f.export_name: f.key for f in FIELDS}}
_T = TypeVar("_T")
# Rows made and written at a time: bounds memory, and a cancel is noticed within one
# block (a few hundredths of a second).
ROWS_PER_BLOCK = 8192


def export_name(column: str) -> str:
    """The header of an export column given by its export name or its field key."""
    key = _FIELD_OF.get(column)
    if key is None:
        raise _unknown(column)
    return FIELD[key].export_name


def column_values(catalog: Catalog, column: str, positions: IntArray) -> list[str]:
    """The exported strings of one column at `positions` (ids in the `sources` column)."""
    index = positions.tolist()
    table = catalog.table
    key = _FIELD_OF.get(column)
    if key == "warnings":
        return _gather(table.warning_codes, index)
    if key == "id":
        return _gather(table.ids, index)
    if key in table.text:
        return _gather(table.text[key], index)
    annotations = catalog.engine.annotations.text
    if key in annotations:
        shown: list[str] = annotations[key][positions].tolist()
        return shown
    raise _unknown(column)


def _gather(values: Sequence[_T], index: list[int]) -> list[_T]:
    """`[values[i] for i in index]`, the loop run in C (`itemgetter`)."""
    if len(index) < 2:
        return [values[i] for i in index]
    return list(operator.itemgetter(*index)(values))


def _unknown(column: str) -> ExportError:
    return ExportError(f"unknown export column {column!r}; known: {', '.join(ALL_COLUMNS)}")


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
    *,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the records at `positions`, in that order, to `target`; returns the row count.

    With `options.provenance`, `<target>.provenance.json` records the app version, time,
    the query, the sources with their file hashes, and the row count.

    `progress` gets the stage "Writing CSV" counted in rows; cancelling it raises
    `CancelledError` and leaves no file behind (an earlier file stays as it was).
    """
    columns = [export_name(column) for column in columns]  # refused before any file is touched
    rows = len(positions) if columns else 0  # no columns: only an empty header line

    def write(handle: IO[str]) -> None:
        write_rows(catalog, positions, handle, columns, options, progress=progress)

    files: list[tuple[Path, Writer, str]] = [
        (target, write, "utf-8-sig" if options.excel_bom else "utf-8")
    ]
    if options.provenance:
        text = provenance_text(catalog, target, rows, columns, options, query)
        files.append((provenance_path(target), lambda handle: handle.write(text), "utf-8"))
    # Both written, then both renamed, or neither: a provenance record that cannot be
    # written never leaves a new CSV beside an old record (or none).
    write_together(files)
    if not options.provenance:
        _drop_stale_provenance(target)
    return rows


def _drop_stale_provenance(target: Path) -> None:
    """An earlier export's record beside `target` would describe this new file wrongly:
    removed, if it is ours (a regular file naming this app); anything else is left."""
    record = provenance_path(target)
    try:
        if not record.is_file() or record.is_symlink() or record.stat().st_size > 1 << 20:
            return
        if json.loads(record.read_text(encoding="utf-8")).get("app") == "defectors-catalog":
            record.unlink()
    except (OSError, ValueError, AttributeError):
        return  # unreadable or not ours: not this export's business


def write_rows(
    catalog: Catalog,
    positions: IntArray,
    handle: IO[str],
    columns: Sequence[str] = ALL_COLUMNS,
    options: ExportOptions = ExportOptions(),
    *,
    progress: Progress = NO_PROGRESS,
) -> int:
    """Write the CSV of the records at `positions` to an open text stream (a file being
    written atomically, or standard output for `export -`); returns the row count."""
    columns = [export_name(column) for column in columns]
    rows = len(positions) if columns else 0
    cells = _Cells(options.delimiter, options.neutralise_formulas, single=len(columns) == 1)
    handle.write(cells.row(columns))
    progress.stage("Writing CSV", rows)
    for start in range(0, rows, ROWS_PER_BLOCK):
        block = positions[start : start + ROWS_PER_BLOCK]
        values = [
            cells.column(column_values(catalog, column, block), slot)
            for slot, column in enumerate(columns)
        ]
        # The block in one write: the file encodes what it is given call by call.
        handle.write("\n".join(map(options.delimiter.join, zip(*values, strict=True))))
        handle.write("\n")
        progress.step(len(block))
    return rows


def cells_for_copy(
    header: Sequence[str], columns: Sequence[list[str]], options: ExportOptions = ExportOptions()
) -> str:
    """Rows as the clipboard gets them (Ctrl+C in the window): tab-separated, with the
    export's formula neutralising (`options.neutralise_formulas`) and quoting, so a
    cell pasted into a spreadsheet is as safe as one opened from an export. `columns`
    holds each column's values; `header` their titles."""
    cells = _Cells("\t", options.neutralise_formulas, single=len(header) == 1)
    lines = cells.row(header)
    quoted = [cells.column(list(values), slot) for slot, values in enumerate(columns)]
    for row in zip(*quoted, strict=True):
        lines += "\t".join(row) + "\n"
    return lines


class _Cells:
    """Exported values as CSV cells: formulas neutralised (when asked), then quoted
    exactly as `csv.writer` (minimal quoting, `\n` line ends) would, a column at a time.

    `csv.writer` quotes a value holding the delimiter or a double quote, doubling its
    quotes; so does this. A value holding a line break goes through `csv.writer` itself
    (whose rules for a lone carriage return differ between Python versions), and so does
    the header row. Every other value is written as it is. Columns with few distinct
    values (country, category, year, ...) are worked out once per distinct value.
    """

    def __init__(self, delimiter: str, neutralise: bool, *, single: bool) -> None:
        self.delimiter = delimiter
        self.neutralise = neutralise
        self.single = single  # one column: an empty value is written as "" (csv.writer)
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\n")
        self._cells: dict[int, dict[str, str]] = {}  # slot -> value -> cell
        self._varied: set[int] = set()  # slots of columns with many distinct values

    def row(self, values: Sequence[str]) -> str:
        """One row as `csv.writer` writes it, line end included."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue()

    def column(self, values: list[str], slot: int) -> list[str]:
        """The cells of the values of column number `slot` (columns are told apart to
        remember, block after block, which hold few distinct values and their cells)."""
        if slot not in self._varied:
            distinct = set(values)
            if len(distinct) * 4 <= len(values):
                cells = self._cells.setdefault(slot, {})
                for value in distinct.difference(cells):
                    cells[value] = self.cell(value)
                return list(map(cells.__getitem__, values))
            self._varied.add(slot)  # names, notes, ids: not worth counting again
        if self.single and "" in values:
            return [self.cell(value) for value in values]
        if self.neutralise and any(map(str.startswith, values, itertools.repeat(FORMULA_STARTS))):
            values = [_neutralised(value) for value in values]
        # Whether any value needs quoting, from a few searches in C over the joined
        # column (NUL is never a special character, so it adds no false hits).
        joined = "\x00".join(values)
        if "\n" in joined or "\r" in joined:
            return [self.cell(value, neutralised=True) for value in values]
        delimiter = self.delimiter
        if delimiter in joined or '"' in joined:
            return [_quoted(value) if delimiter in value or '"' in value else value
                    for value in values]  # fmt: skip
        return values

    def cell(self, value: str, *, neutralised: bool = False) -> str:
        """One value as a cell (`neutralised`: formulas were taken care of already)."""
        if self.neutralise and not neutralised:
            value = _neutralised(value)
        if "\n" in value or "\r" in value or (self.single and not value):
            return self.row([value])[:-1]
        if self.delimiter in value or '"' in value:
            return _quoted(value)
        return value


def _neutralised(value: str) -> str:
    """A leading apostrophe on a value a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


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
    """The provenance record of an export of `target`, written on its own."""
    text = provenance_text(catalog, target, rows, columns, options, query)
    write_atomically(provenance_path(target), lambda handle: handle.write(text))


def provenance_text(
    catalog: Catalog,
    target: Path,
    rows: int,
    columns: list[str],
    options: ExportOptions,
    query: Query | None,
) -> str:
    record = {
        "app": "defectors-catalog",
        "version": __version__,
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": readable(target.name),
        "rows": rows,
        "columns": columns,
        "options": asdict(options),
        "query": _query_dict(query),
        "sources": [
            {
                "id": spec.id,
                "title": readable(spec.title),
                "reliability": spec.reliability.value,
                "file": readable(spec.path.name),
                "sha256": _sha256(spec.path),
            }
            for spec in catalog.sources
        ],
    }
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def readable(name: str) -> str:
    """A file name as text that can be written anywhere: bytes that are not UTF-8 (a
    Linux name in Latin-1, held as surrogates) shown as `\\xe9`, never a crash."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _query_dict(query: Query | None) -> dict[str, object]:
    if query is None:
        return {}
    plain = asdict(query)
    plain["selections"] = {key: sorted(values) for key, values in query.selections.items()}
    return {
        key: sorted(value) if isinstance(value, frozenset) else value
        for key, value in plain.items()
    }


def _sha256(path: Path) -> str:
    import hashlib  # only for the provenance record; not on the window's start-up

    from defectors_catalog.domain.errors import SourceReadError
    from defectors_catalog.domain.sources.reading import open_regular_file

    digest = hashlib.sha256()
    try:
        # A regular file only: a FIFO swapped in for a source must not hang the export.
        with open_regular_file(path) as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except (OSError, SourceReadError):
        return "unreadable"
    return digest.hexdigest()
