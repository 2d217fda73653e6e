"""What the Add dialog shows before a file is added, computed here rather than in Qt.

`preview_source` reads the file once (the start of a big text file), says which layout
and encoding it detected and how sure, reads it with the person's choices, and says why
it cannot be added when it cannot (no row, not decodable, already listed). The dialog
runs it on a worker thread and only shows the answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.model import ParseResult, SourceEntry, SourceSpec
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.encodings import EncodingUnsureError
from defectors_catalog.domain.sources.layouts import (
    AUTO,
    BY_ID,
    ReadOptions,
    SourceFile,
    read_source,
    sniff,
)
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.reading import read_source_bytes
from defectors_catalog.domain.sources.user_sources import listed_copy

PREVIEW_ROWS = 12
# The preview reads only the start of a big text file: reading all of a 200,000-row
# file would keep the dialog waiting for seconds. The whole file is read when added,
# off the GUI thread and with a progress bar. A workbook is read whole (it has no lines).
PREVIEW_LINES = 5_000


@dataclass(frozen=True)
class Preview:
    """What was found in a file: layout and encoding (detected and used), the first rows
    read, the whole parse of what was read, and why it cannot be added ("" if it can)."""

    layout: str  # the layout read in
    detected: str  # the layout sniffed as surest
    scores: tuple[tuple[str, float], ...]  # (layout id, how sure), surest first
    encoding: str = ""  # how the text was decoded, for people; "" for a workbook
    candidates: tuple[str, ...] = ()  # encodings to choose from when detection is unsure
    rows: tuple[SourceEntry, ...] = ()
    result: ParseResult | None = None
    total_lines: int = 0  # lines in the whole file (0 for a workbook)
    read_lines: int = 0  # lines the preview read
    error: str = ""

    @property
    def can_add(self) -> bool:
        return not self.error and bool(self.rows)


def preview_source(
    path: Path,
    context: ParseContext,
    layout: str = AUTO,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, never mutated
    listed: Sequence[SourceSpec] = (),
    progress: Progress = NO_PROGRESS,
) -> Preview:
    """Read the start of `path` as the dialog shows it; never raises for a bad file."""
    try:
        data = read_source_bytes(path)
    except SourceReadError as exc:
        return Preview(layout, AUTO, (), error=str(exc))
    file = SourceFile(path.name, data, options.encoding)
    scored = sniff(file)
    scores = tuple((found.id, round(score, 2)) for score, found in scored)
    detected = scored[0][1].id
    chosen = BY_ID[detected] if layout == AUTO else BY_ID[layout]
    same = listed_copy(data, listed)
    base = Preview(chosen.id, detected, scores)
    encoding = ""
    total = 0
    if not chosen.binary:
        try:
            encoding = file.decoded.label
            total = len(file.lines)
        except EncodingUnsureError as exc:
            return dataclasses.replace(base, error=str(exc), candidates=exc.candidates)
        except SourceReadError as exc:
            return dataclasses.replace(base, error=str(exc))
    limited = dataclasses.replace(options, line_limit=PREVIEW_LINES)
    try:
        result = read_source(file, chosen.id, "preview", context, limited, progress)
    except SourceReadError as exc:
        return dataclasses.replace(base, encoding=encoding, error=str(exc))
    error = ""
    if same is not None:
        error = f"this file is already listed as '{same.title}' (the same bytes)"
    elif not result.entries:
        error = f"no row could be read: {result.summary}"
    return dataclasses.replace(
        base,
        encoding=encoding,
        rows=result.entries[:PREVIEW_ROWS],
        result=result,
        total_lines=total,
        read_lines=min(total, PREVIEW_LINES),
        error=error,
    )
