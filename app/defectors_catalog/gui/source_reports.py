"""After adding a source: what was read, merged, new, and skipped (with lines and reasons)."""

from __future__ import annotations

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.model import LineKind


def parse_report(catalog: Catalog, source_id: str) -> str:
    """A plain-text report of one source's parse and merge, for the report dialog."""
    spec = catalog.source(source_id)
    parse = catalog.parses[source_id]
    listed = [r for r in catalog.records if source_id in r.sources]
    merged = sum(1 for r in listed if len(r.sources) > 1)
    new = len(listed) - merged
    skipped = [d for d in parse.diagnostics if d.line is not None]
    row_notes = [d for e in parse.entries for d in e.diagnostics]
    warned = " (each warned: only an unreliable source lists it)"
    lines = [
        f"{spec.title} ({spec.reliability.value}, read as {parse.layout})",
        "",
        f"Rows read: {len(parse.entries)} from {parse.line_count} lines",
        f"Merged into existing records: {merged}",
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
