"""CSV export: one writer and one column contract for the window and the command line.

The first columns are always, in this order, name, profession, birthplace, year,
notes, sources, warnings. The file is written next to its target and renamed into
place, so a failed export never leaves a partial file or clobbers an earlier one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from app.domain.errors import ExportError

if TYPE_CHECKING:
    from app.domain.catalog import Catalog
    from app.domain.table import IntArray

CONTRACT_COLUMNS = ("name", "profession", "birthplace", "year", "notes", "sources", "warnings")
EXTRA_COLUMNS = ("country", "category", "alias", "warning_text", "id")
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
    if column in table.text:
        values = table.text[column]
        return [values[i] for i in index]
    raise ExportError(f"unknown export column {column!r}; known: {', '.join(ALL_COLUMNS)}")


def export_csv(
    catalog: Catalog,
    positions: IntArray,
    target: Path,
    columns: Sequence[str] = ALL_COLUMNS,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the records at `positions`, in that order, to `target`; returns the row count."""
    import pandas as pd  # only exporting needs pandas; keep it off the start-up path

    frame = pd.DataFrame(
        {column: column_values(catalog, column, positions) for column in columns},
        columns=list(columns),
        dtype=object,
    )
    if progress is not None:
        progress(0, len(frame))
    write_atomically(target, lambda handle: frame.to_csv(handle, index=False, lineterminator="\n"))
    if progress is not None:
        progress(len(frame), len(frame))
    return len(frame)


def write_atomically(target: Path, write: Callable[[IO[str]], object]) -> None:
    """Write through a temporary file in the target's folder, then rename it into place."""
    folder = target.parent if str(target.parent) else Path()
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: folder {folder} does not exist")
    try:
        # Closed by the `with handle:` below; created first so its errors read clearly.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w", encoding="utf-8", newline="", dir=folder, prefix=f".{target.name}.",
            suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as exc:
        raise ExportError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600 files; an export should get the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
