"""Saved searches: a name for the search text, the filters, the sort and the columns.

Kept in the annotations database (`saved_view`, schema version 2). The window saves the
current state under a name and opens it again; `export --view NAME` applies one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from defectors_catalog.domain.annotations.model import AnnotationError, now_utc
from defectors_catalog.domain.facets import FACET
from defectors_catalog.domain.fields import FIELD, SORTABLE
from defectors_catalog.domain.query.engine import Query

MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class SavedView:
    """A saved search: its name, the search text, the ticked values per facet key, the
    years, the overlap between sources, the sort column and direction, and the visible
    columns in order (field keys; empty: the window's defaults)."""

    name: str
    search: str = ""
    selections: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    in_all: tuple[str, ...] = ()
    in_none: tuple[str, ...] = ()
    sort_column: str = "year"
    descending: bool = False
    columns: tuple[str, ...] = ()
    changed: str = ""

    @classmethod
    def of(cls, name: str, query: Query, columns: Sequence[str] = ()) -> SavedView:
        """The view that saves `query` (and the visible `columns`) under `name`."""
        return cls(
            name=name,
            search=query.text,
            selections={k: tuple(sorted(v)) for k, v in sorted(query.selections.items())},
            year_from=query.year_from,
            year_to=query.year_to,
            in_all=tuple(sorted(query.in_all)),
            in_none=tuple(sorted(query.in_none)),
            sort_column=query.sort_column,
            descending=query.descending,
            columns=tuple(columns),
        )

    def query(self) -> Query:
        """The query this view asks; facets or sort columns this version does not have
        (a view saved by a newer one) are left out."""
        return Query(
            text=self.search,
            selections={k: frozenset(v) for k, v in self.selections.items() if k in FACET},
            in_all=frozenset(self.in_all),
            in_none=frozenset(self.in_none),
            year_from=self.year_from,
            year_to=self.year_to,
            sort_column=self.sort_column if self.sort_column in SORTABLE else "year",
            descending=self.descending,
        )

    def summary(self) -> str:
        """One line for a list: what the view asks, in words."""
        parts = [f"search {self.search!r}"] if self.search else []
        for key, values in self.selections.items():
            title = FACET[key].title if key in FACET else key
            parts.append(f"{title}: {', '.join(values)}")
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"years {self.year_from or '…'} to {self.year_to or '…'}")
        if self.in_all or self.in_none:
            parts.append("overlap between sources")
        title = FIELD[self.sort_column].title if self.sort_column in FIELD else self.sort_column
        parts.append(f"sorted by {title.lower()}{' (descending)' if self.descending else ''}")
        return "; ".join(parts)


def check_name(name: str) -> str:
    shown = " ".join(name.split())
    if not shown:
        raise AnnotationError("a saved search needs a name")
    if len(shown) > MAX_NAME_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in shown):
        raise AnnotationError(f"not a name for a saved search: {name!r}")
    return shown


def _folded(name: str) -> str:
    return name.casefold()


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of strings")
    return tuple(value)


def _year(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise ValueError("not a year")


def read_views(connection: sqlite3.Connection) -> tuple[list[SavedView], list[str]]:
    """Every saved view, by name; and one problem per row that could not be read (a
    file is untrusted: a row another program wrote badly is skipped, never run)."""
    views, problems = [], []
    rows = connection.execute(
        "SELECT name, search, selections, year_from, year_to, in_all, in_none, "
        "sort_column, descending, columns, changed FROM saved_view ORDER BY folded"
    ).fetchall()
    for row in rows:
        try:
            selections = json.loads(row[2])
            if not isinstance(selections, dict):
                raise ValueError("selections are not a mapping")
            views.append(
                SavedView(
                    name=str(row[0]),
                    search=str(row[1]),
                    selections={str(k): _strings(v) for k, v in selections.items()},
                    year_from=_year(row[3]),
                    year_to=_year(row[4]),
                    in_all=_strings(json.loads(row[5])),
                    in_none=_strings(json.loads(row[6])),
                    sort_column=str(row[7]),
                    descending=bool(row[8]),
                    columns=_strings(json.loads(row[9])),
                    changed=str(row[10]),
                )
            )
        except (ValueError, TypeError) as exc:
            problems.append(f"saved search {str(row[0])!r} cannot be read ({exc}); left out")
    return views, problems


def write_view(connection: sqlite3.Connection, view: SavedView, *, replace: bool) -> SavedView:
    """Save `view` (inside the caller's transaction); refuses a name already taken
    (ignoring case) unless `replace`, and an unknown name when replacing."""
    name = check_name(view.name)
    taken = connection.execute(
        "SELECT name FROM saved_view WHERE folded = ?", (_folded(name),)
    ).fetchone()
    if taken and not replace:
        raise AnnotationError(f"a saved search is already called {taken[0]!r}")
    if replace and not taken:
        raise AnnotationError(f"no saved search is called {name!r}")
    if taken:
        connection.execute("DELETE FROM saved_view WHERE folded = ?", (_folded(name),))
    saved = SavedView(**{**view.__dict__, "name": name, "changed": now_utc()})
    connection.execute(
        "INSERT INTO saved_view (name, folded, search, selections, year_from, year_to, "
        "in_all, in_none, sort_column, descending, columns, changed) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            _folded(name),
            saved.search,
            json.dumps({k: list(v) for k, v in saved.selections.items()}),
            saved.year_from,
            saved.year_to,
            json.dumps(list(saved.in_all)),
            json.dumps(list(saved.in_none)),
            saved.sort_column,
            int(saved.descending),
            json.dumps(list(saved.columns)),
            saved.changed,
        ),
    )
    return saved


def rename_view(connection: sqlite3.Connection, old: str, new: str) -> None:
    new = check_name(new)
    found = connection.execute(
        "SELECT name FROM saved_view WHERE folded = ?", (_folded(old),)
    ).fetchone()
    if not found:
        raise AnnotationError(f"no saved search is called {old!r}")
    clash = connection.execute(
        "SELECT name FROM saved_view WHERE folded = ? AND folded != ?",
        (_folded(new), _folded(old)),
    ).fetchone()
    if clash:
        raise AnnotationError(f"a saved search is already called {clash[0]!r}")
    connection.execute(
        "UPDATE saved_view SET name = ?, folded = ?, changed = ? WHERE folded = ?",
        (new, _folded(new), now_utc(), _folded(old)),
    )


def delete_view(connection: sqlite3.Connection, name: str) -> None:
    gone = connection.execute("DELETE FROM saved_view WHERE folded = ?", (_folded(name),))
    if not gone.rowcount:
        raise AnnotationError(f"no saved search is called {name!r}")
