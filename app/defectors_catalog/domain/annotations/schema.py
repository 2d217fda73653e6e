"""The annotations database's tables, one migration per schema version.

`PRAGMA user_version` holds the version a file is at. Version 1 kept the verdicts; version
2 added the saved searches. A file is brought up to `LATEST` one step at a time, each step
in its own transaction with the version it reaches, so a step that fails (a full disk, a
crash) leaves the file at the version before it, never half-migrated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# Verdicts: tags and anchors are JSON arrays of strings (a record's tags are few and
# always read together); `anchors` are the entry keys of the record when it was last
# changed (`record_ids.entry_keys`), by which a rebuilt catalog finds it again.
_V1 = (
    """CREATE TABLE annotation (
        record_id TEXT PRIMARY KEY NOT NULL,
        status TEXT NOT NULL DEFAULT 'unchecked'
            CHECK (status IN ('unchecked', 'verified', 'disputed', 'rejected')),
        tags TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        anchors TEXT NOT NULL DEFAULT '[]',
        changed TEXT NOT NULL
    )""",
)
# Saved searches: `folded` (the name case-folded) keeps two names that differ only in
# case from both being saved; the query parts are JSON.
_V2 = (
    """CREATE TABLE saved_view (
        name TEXT PRIMARY KEY NOT NULL,
        folded TEXT UNIQUE NOT NULL,
        search TEXT NOT NULL DEFAULT '',
        selections TEXT NOT NULL DEFAULT '{}',
        year_from INTEGER,
        year_to INTEGER,
        in_all TEXT NOT NULL DEFAULT '[]',
        in_none TEXT NOT NULL DEFAULT '[]',
        sort_column TEXT NOT NULL DEFAULT 'year',
        descending INTEGER NOT NULL DEFAULT 0,
        columns TEXT NOT NULL DEFAULT '[]',
        changed TEXT NOT NULL
    )""",
)
MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2)  # MIGRATIONS[i] makes version i + 1
LATEST = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The file was made by a newer version of the app: read what we know, write nothing."""


def version_of(connection: sqlite3.Connection) -> int:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    return int(version)


def migrate(
    connection: sqlite3.Connection,
    upto: int = LATEST,
    *,
    before_step: Callable[[int], None] | None = None,
) -> int:
    """Bring the database up to version `upto`; returns the version it was at.

    `connection` is in autocommit mode (`isolation_level=None`): each step runs in a
    `BEGIN IMMEDIATE` transaction, which also waits for (and then shuts out) another
    process migrating the same file at the same moment. `before_step(version)` is called
    before each step (the tests use it to fail one).
    """
    start = version_of(connection)
    if start > LATEST:
        raise NewerSchemaError(
            f"the database is at schema version {start}, newer than this app's {LATEST}"
        )
    current = start
    while current < upto:
        connection.execute("BEGIN IMMEDIATE")
        try:
            current = version_of(connection)  # another process may have migrated it
            if current >= upto:
                connection.execute("COMMIT")
                break
            if before_step is not None:
                before_step(current + 1)
            for statement in MIGRATIONS[current]:
                connection.execute(statement)
            # PRAGMA takes no parameters; the value is our own integer.
            connection.execute(f"PRAGMA user_version = {current + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        current += 1
    return start
