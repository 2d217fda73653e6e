"""What was read from one source and what became of it: rows read, merged into which
records, new, skipped (with lines and reasons). One text for the window's report dialog
and the command line's `report`."""

from __future__ import annotations

from collections.abc import Sequence

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.model import CatalogRecord, LineKind

# Records named in "Merged into …" before the rest are only counted.
NAMED_MERGES = 10


def parse_report(catalog: Catalog, source_id: str) -> str:
    """A plain-text report of one source's parse and merge."""
    spec = catalog.source(source_id)
    parse = catalog.parses[source_id]
    merged, new = merge_counts(catalog, source_id)
    skipped = [d for d in parse.diagnostics if d.line is not None]
    row_notes = [d for e in parse.entries for d in e.diagnostics]
    warned = " (each warned: only an unreliable source lists it)"
    read_as = ", ".join(x for x in (parse.layout, parse.encoding) if x)
    lines = [
        f"{spec.title} ({spec.reliability.value}, read as {read_as})",
        *([parse.summary] if parse.summary else []),
        "",
        f"Rows read: {len(parse.entries)} from {parse.line_count} lines",
        f"Merged into existing records: {len(merged)}" + _named(merged),
        f"New records: {new}" + (warned if not spec.reliable and new else ""),
        f"Lines skipped: {parse.line_kinds.count(LineKind.SKIPPED)}",
    ]
    if skipped or row_notes:
        lines += ["", "Line by line:"]
        for d in sorted([*skipped, *row_notes], key=lambda d: d.line or 0):
            lines.append(f"  line {d.line}: {d.code}: {d.message}")
    for d in parse.diagnostics:
        if d.line is None:
            lines.append(f"  {d.code}: {d.message}")
    return "\n".join(lines)


def merge_counts(catalog: Catalog, source_id: str) -> tuple[list[CatalogRecord], int]:
    """The records this source shares with another, and how many only it lists."""
    listed = [r for r in catalog.records if source_id in r.sources]
    merged = [r for r in listed if len(r.sources) > 1]
    return merged, len(listed) - len(merged)


def _named(records: Sequence[CatalogRecord]) -> str:
    """' (Name (year); …; and N more)' of the records merged into."""
    names = [f"{r.name} ({r.year})" if r.year is not None else r.name
             for r in records[:NAMED_MERGES]]  # fmt: skip
    if not names:
        return ""
    more = len(records) - len(names)
    return " (" + "; ".join(names) + (f"; and {more:,} more" if more else "") + ")"
