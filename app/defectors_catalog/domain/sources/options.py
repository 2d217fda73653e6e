"""How to read one source file, where its detection is not to be left to.

Kept apart from the layouts so that the manifest, the store and the command line can
speak of it without importing every reader.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """How to read one file where detection is not to be left to: "" detects.

    `columns` maps a source column (its header, or `column N` counted from 1) to a
    field or "ignore"; columns it does not name are mapped as detected.
    """

    encoding: str = ""
    sheet: str = ""  # a workbook's sheet name, or "table N" of a page or wikitext
    columns: tuple[tuple[str, str], ...] = ()
    line_limit: int | None = None  # read only this many lines (the Add dialog's preview)

    @property
    def column_map(self) -> dict[str, str]:
        return dict(self.columns)


DEFAULT_OPTIONS = ReadOptions()
