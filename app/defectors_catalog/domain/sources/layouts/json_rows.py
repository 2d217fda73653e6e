"""JSON: an array of objects, an object holding one, or JSON Lines (one object a line).

    [{"name": "George Balanchine", "profession": "Choreographer", "year": 1924}, ...]
    {"defectors": [...]}
    {"Name": "Boris Bazhanov", "Jahr": 1928}        <- one object per line

Keys are header words like any table's (`read_table`); an object's line is the line it
starts on, and its raw text is the object as written (re-serialised when it spans lines).
Nested objects are flattened one level (`born.place`); lists are joined with "; ".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from defectors_catalog.domain.codes import DiagnosticCode
from defectors_catalog.domain.model import Diagnostic, LineKind, ParseResult, Severity
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.layouts.base import (
    ReadOptions,
    SourceFile,
    text_layout,
    with_options,
)
from defectors_catalog.domain.sources.layouts.common import ParseContext
from defectors_catalog.domain.sources.layouts.tables import Row, read_table

LAYOUT = "json"
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"\s*")


class _Item:
    """A value of the array, where it starts and ends in the text."""

    def __init__(self, value: Any, start: int, end: int) -> None:
        self.value, self.start, self.end = value, start, end


def sniff(file: SourceFile) -> float:
    """An opening `[` or `{` followed by JSON (not wikitext's `{|`)."""
    text = "\n".join(file.head_lines[:50]).lstrip("\ufeff \t\r\n")
    if not text or text[0] not in "[{":
        return 0.0
    following = text[1:].lstrip()[:1]
    if following and following not in '{["]}':
        return 0.0
    return 0.95 if file.suffix in {"json", "jsonl", "ndjson"} else 0.9


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "; ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _flat(obj: dict[str, Any]) -> dict[str, str]:
    """{'born': {'place': 'Russia'}} -> {'born.place': 'Russia'}."""
    flat: dict[str, str] = {}
    for key, value in obj.items():
        if isinstance(value, dict) and value:
            for inner, inner_value in value.items():
                flat[f"{key}.{inner}"] = _text(inner_value)
        else:
            flat[str(key)] = _text(value)
    return flat


def _array_items(text: str, at: int) -> list[_Item]:
    """The values of the array starting at `text[at] == '['`, with their offsets."""
    items: list[_Item] = []
    i = _SPACE.match(text, at + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", i):
        return items
    while True:
        value, end = _DECODER.raw_decode(text, i)
        items.append(_Item(value, i, end))
        i = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", i):
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", i):
            return items
        raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


def _list_in_object(text: str, start: int, obj: dict[str, Any]) -> tuple[str, int] | None:
    """The key and offset of the first list of objects inside a top-level object."""
    for key, value in obj.items():
        if isinstance(value, list) and any(isinstance(v, dict) for v in value):
            found = re.compile(re.escape(json.dumps(key)) + r"\s*:\s*\[").search(text, start)
            if found is not None:
                return key, found.end() - 1
    return None


def _parse(
    lines: list[str],
    source_id: str,
    context: ParseContext,
    progress: Progress,
    options: ReadOptions,
) -> ParseResult:
    text = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    kinds = [LineKind.BLANK if not line.strip() else LineKind.MARKUP for line in lines]
    diagnostics: list[Diagnostic] = []

    def line_of(offset: int) -> int:
        lo, hi = 0, len(lines) - 1
        while lo < hi:  # the last line starting at or before `offset`
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    items: list[_Item] = []
    what = ""
    begin = _SPACE.match(text.lstrip("\ufeff")).end() + (1 if text.startswith("\ufeff") else 0)  # type: ignore[union-attr]
    try:
        if text.startswith("[", begin):
            items = _array_items(text, begin)
            what = f"a JSON array of {len(items):,} items"
        else:
            value, end = _DECODER.raw_decode(text, begin)
            rest = _SPACE.match(text, end).end()  # type: ignore[union-attr]
            if rest < len(text):
                items, what = _json_lines(lines, starts, kinds, diagnostics)
            elif isinstance(value, dict):
                inner = _list_in_object(text, begin, value)
                if inner is None:
                    items, what = [_Item(value, begin, end)], "a JSON object"
                else:
                    items = _array_items(text, inner[1])
                    what = f"a JSON object whose {inner[0]!r} holds {len(items):,} items"
            else:
                what = f"a JSON {type(value).__name__}"
    except json.JSONDecodeError as exc:
        if not items and text.lstrip().startswith("{") and "\n" in text.strip():
            items, what = _json_lines(lines, starts, kinds, diagnostics)
        else:
            diagnostics.append(
                Diagnostic(DiagnosticCode.BAD_JSON,
                           f"not valid JSON here: {exc.msg} (column {exc.colno})",
                           exc.lineno, Severity.WARNING)
            )  # fmt: skip
            what = f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    progress.step(len(lines))

    rows: list[Row] = []
    flats: list[dict[str, str] | None] = []  # an object's cells by key, None for an array
    keys: dict[str, None] = {}
    arrays = [item for item in items if isinstance(item.value, list)]
    for item in items:
        first, last = line_of(item.start), line_of(max(item.start, item.end - 1))
        written = text[item.start : item.end]
        raw = written if "\n" not in written else json.dumps(item.value, ensure_ascii=False)
        if isinstance(item.value, dict):
            flat = _flat(item.value)
            keys.update(dict.fromkeys(flat))
            rows.append(Row(first, (), raw, last))
            flats.append(flat)
        elif isinstance(item.value, list) and len(arrays) >= 2:  # rows of cells
            rows.append(Row(first, tuple(_text(v) for v in item.value), raw, last))
            flats.append(None)
        else:
            for n in range(first, last + 1):
                kinds[n - 1] = LineKind.SKIPPED
            shown = _text(item.value)
            diagnostics.append(
                Diagnostic(DiagnosticCode.NOT_READ,
                           f"an item that is not an object ({shown[:60]!r}); not read",
                           first, Severity.WARNING)
            )  # fmt: skip
    header: Sequence[str] | None = None
    if keys:
        header = list(keys)
        rows = [
            row if flat is None else Row(row.line, tuple(flat.get(k, "") for k in header),
                                         row.raw, row.end)
            for row, flat in zip(rows, flats, strict=True)
        ]  # fmt: skip
    table = read_table(rows, source_id, context, options.column_map, header=header)
    for number, kind in table.kinds.items():
        kinds[number - 1] = kind
    diagnostics.extend(table.diagnostics)
    if table.mapped:
        summary = f"{what}: {len(table.entries):,} read"
    elif rows:
        summary = f"{what}; none has a name and a year (keys: {', '.join(list(keys)[:8])})"
    else:
        summary = f"{what or 'an empty file'}; no objects to read"
    return ParseResult(
        source_id, LAYOUT, tuple(table.entries), tuple(kinds), tuple(diagnostics),
        summary=summary, columns=table.columns,
    )  # fmt: skip


def _json_lines(
    lines: list[str], starts: list[int], kinds: list[LineKind], diagnostics: list[Diagnostic]
) -> tuple[list[_Item], str]:
    """JSON Lines: each non-blank line one value; a line that is not JSON is skipped."""
    items: list[_Item] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            kinds[number - 1] = LineKind.SKIPPED
            diagnostics.append(
                Diagnostic(DiagnosticCode.BAD_JSON,
                           f"not a JSON value: {exc.msg} (column {exc.colno}); not read",
                           number, Severity.WARNING)
            )  # fmt: skip
            continue
        offset = starts[number - 1]
        items.append(_Item(value, offset, offset + len(line)))
    return items, f"JSON Lines with {len(items):,} values"


# The reader with no options given (the layout's `read`).
parse_json = with_options(_parse)(ReadOptions())

JSON_ROWS = text_layout(
    LAYOUT,
    "JSON (an array of objects, or JSON Lines)",
    ("json", "jsonl", "ndjson"),
    sniff,
    parse_json,
    takes_columns=True,
    options_parser=with_options(_parse),
)
