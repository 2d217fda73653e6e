"""The annotations database: the person's verdicts and saved searches, in SQLite.

One file in the app's data folder (`paths.annotations_path()`), in WAL mode so a window
reading never waits for another window writing. Every write is one `BEGIN IMMEDIATE`
transaction that reads the rows it changes and writes them back, so two windows (or a
window and the command line) changing the same record at once both keep their change:
the second waits (`busy_timeout`) and then changes what the first wrote.

A file that cannot be used (damaged, locked by another program past the timeout, made
by a newer version of the app) is reported in `problem`, one line for the window or the
command line to show; the store then reads what it can and refuses every write with
that line. The file itself is never replaced or "repaired": nothing of it is lost.
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from defectors_catalog.domain.annotations import views as saved
from defectors_catalog.domain.annotations.model import (
    Annotation,
    AnnotationError,
    Change,
    Status,
    StoredVerdict,
    combine,
    now_utc,
)
from defectors_catalog.domain.annotations.schema import LATEST, NewerSchemaError, migrate
from defectors_catalog.domain.annotations.views import SavedView

logger = logging.getLogger(__name__)

BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's write to finish
# Seconds opening waits for a lock: a database held by another program delays the
# window's start by this much at most before it opens with the verdicts read-only.
OPEN_TIMEOUT = 1.0
_T = TypeVar("_T")


def _problem(path: Path, exc: BaseException) -> str:
    """One line saying why the file cannot be written, for people."""
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, NewerSchemaError):
        why = f"it was made by a newer version of the app ({text})"
    elif "locked" in lowered or "busy" in lowered:
        why = "it is locked by another program"
    elif isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered
    ):
        why = f"it is damaged ({text})"
    else:
        why = f"it cannot be opened ({text})"
    return f"your verdicts in {path} are read-only: {why}"


class AnnotationStore:
    """The open database: its path, the verdicts read at the last `refresh()` (record id
    -> `StoredVerdict`), the saved searches, and `problem` ("" when writable)."""

    def __init__(
        self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT, create: bool = True
    ) -> None:
        """Open (with `create`, make) the database at `path`. Without `create` a missing
        file stays missing until the first write: an export makes no database."""
        self.path = path
        self.busy_timeout = busy_timeout
        self.problem = ""
        self.rows: dict[str, StoredVerdict] = {}
        self.views: tuple[SavedView, ...] = ()
        self.row_problems: tuple[str, ...] = ()  # rows skipped as unreadable
        self._lock = threading.RLock()  # one connection, shared by the window's threads
        self._data_version: int | None = None
        self._connection = self._open() if create or path.exists() else None
        self.refresh()

    # -- opening -------------------------------------------------------------------------

    def _connect(self, uri: str | None = None, timeout: float | None = None) -> sqlite3.Connection:
        wait = self.busy_timeout if timeout is None else timeout
        connection = sqlite3.connect(
            uri or self.path,
            timeout=wait,
            isolation_level=None,  # autocommit: transactions are begun explicitly
            check_same_thread=False,
            uri=uri is not None,
        )
        connection.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        return connection

    def _open(self) -> sqlite3.Connection | None:
        connection = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = self._connect(timeout=min(self.busy_timeout, OPEN_TIMEOUT))
            connection.execute("PRAGMA journal_mode = WAL").fetchone()
            migrate(connection)
            connection.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            return connection
        except (sqlite3.Error, NewerSchemaError, OSError) as exc:
            if connection is not None:
                connection.close()
            self.problem = _problem(self.path, exc)
            logger.warning("%s", self.problem, exc_info=True)
        # Read-only: what can still be read is shown (a newer schema's known tables).
        try:
            reader = self._connect(
                self.path.resolve().as_uri() + "?mode=ro", min(self.busy_timeout, OPEN_TIMEOUT)
            )
            reader.execute("SELECT count(*) FROM annotation").fetchone()
            return reader
        except sqlite3.Error:
            return None

    @property
    def read_only(self) -> bool:
        return bool(self.problem)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # -- reading -------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Read again what another window or process changed; True when anything did."""
        with self._lock:
            connection = self._connection
            if connection is None:
                return False
            try:
                version = int(connection.execute("PRAGMA data_version").fetchone()[0])
                if version == self._data_version:
                    return False
                rows, problems = _read_rows(connection)
                views, view_problems = _read_views(connection)
            except sqlite3.Error as exc:
                logger.warning("the annotations database could not be read", exc_info=True)
                if not self.problem:
                    self.problem = _problem(self.path, exc)
                return False
            self._data_version = version
            self.rows, self.views = rows, tuple(views)
            self.row_problems = (*problems, *view_problems)
            return True

    def verdict(self, record_id: str) -> Annotation:
        """What is stored under `record_id` (unchecked when nothing is)."""
        found = self.rows.get(record_id)
        return found.verdict if found else Annotation(record_id)

    def view(self, name: str) -> SavedView:
        folded = name.strip().casefold()
        for view in self.views:
            if view.name.casefold() == folded:
                return view
        known = ", ".join(repr(v.name) for v in self.views) or "none saved"
        raise AnnotationError(f"no saved search is called {name!r}; saved: {known}")

    # -- writing -------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self._connection is None and not self.problem:
            self._connection = self._open()  # the first write makes the file
            self._data_version = None
        if self.read_only or self._connection is None:
            raise AnnotationError(self.problem or f"{self.path} cannot be opened")
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise AnnotationError(
                f"nothing was saved: {self.path} is busy ({exc}); try again"
            ) from exc
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        with self._lock:
            try:
                with self._transaction() as connection:
                    result = work(connection)
            except sqlite3.Error as exc:
                raise AnnotationError(f"nothing was saved to {self.path}: {exc}") from exc
            self._data_version = None  # our own commit does not move `data_version`
            self.refresh()
            return result

    def change(
        self, record_ids: Sequence[str], change: Change, anchors: Sequence[str] = ()
    ) -> Annotation:
        """Make `change` to the record whose verdicts are stored under `record_ids` (its
        own id first, then those of the records it merged) and return its verdict.

        The verdict they make together, with the change, is written under every one of
        those ids: the record's conflicts are settled by the change, and if the records
        are parted again each keeps all that was decided. `anchors` are the record's
        entry keys (`record_ids.entry_keys`), kept under its own id.
        """
        if not record_ids:
            raise AnnotationError("no record to annotate")

        def work(connection: sqlite3.Connection) -> Annotation:
            found = _read_rows(connection, record_ids)[0]
            base = combine(record_ids[0], [found[i].verdict for i in record_ids if i in found])
            after = change.applied(base, now_utc())
            for number, record_id in enumerate(record_ids):
                kept = found.get(record_id)
                if number and kept is None:
                    continue  # a merged record with nothing stored: nothing to settle
                mine = kept.anchors if kept else ()
                keep = list(dict.fromkeys([*mine, *anchors])) if number == 0 else list(mine)
                connection.execute(
                    "INSERT OR REPLACE INTO annotation "
                    "(record_id, status, tags, note, anchors, changed) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        record_id,
                        after.status.value,
                        json.dumps(list(after.tags), ensure_ascii=False),
                        after.note,
                        json.dumps(keep, ensure_ascii=False),
                        after.changed,
                    ),
                )
            return after

        result = self._write(work)
        return Annotation(
            record_ids[0], result.status, result.tags, result.note, result.changed,
            merged_from=tuple(record_ids) if len(record_ids) > 1 else (),
        )  # fmt: skip

    def save_view(self, view: SavedView, *, replace: bool = False) -> SavedView:
        """Create a saved search, or with `replace` update the one of that name."""
        return self._write(lambda c: saved.write_view(c, view, replace=replace))

    def rename_view(self, old: str, new: str) -> None:
        self._write(lambda c: saved.rename_view(c, old, new))

    def delete_view(self, name: str) -> None:
        self._write(lambda c: saved.delete_view(c, name))


def _strings(text: Any) -> tuple[str, ...]:
    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of strings")
    return tuple(value)


def _read_rows(
    connection: sqlite3.Connection, only: Sequence[str] | None = None
) -> tuple[dict[str, StoredVerdict], list[str]]:
    """The stored verdicts (all, or those under the ids `only`), and a problem per row
    that could not be read (left out, never run: the file is untrusted)."""
    sql = "SELECT record_id, status, tags, note, anchors, changed FROM annotation"
    if only is not None:
        marks = ", ".join("?" * len(only))
        cursor = connection.execute(f"{sql} WHERE record_id IN ({marks})", tuple(only))
    else:
        cursor = connection.execute(sql)
    found = cursor.fetchall()
    tags, anchors = _lists([r[2] for r in found]), _lists([r[4] for r in found])
    rows: dict[str, StoredVerdict] = {}
    problems = []
    for (record_id, status, _, note, _, changed), tag_list, anchor_list in zip(
        found, tags, anchors, strict=True
    ):
        try:
            if tag_list is None or anchor_list is None:
                raise ValueError("tags or anchors are not a list of strings")
            verdict = Annotation(str(record_id), Status(status), tag_list, str(note), str(changed))
            rows[verdict.record_id] = StoredVerdict(verdict, anchor_list)
        except (ValueError, TypeError) as exc:
            problems.append(f"the verdict on {record_id!r} cannot be read ({exc}); left out")
    return rows, problems


def _lists(texts: Sequence[Any]) -> list[tuple[str, ...] | None]:
    """JSON arrays of strings, parsed in one call (a row's own parse when one of them is
    not such an array: that one is None)."""
    try:
        if all(isinstance(t, str) for t in texts):
            parsed = json.loads("[" + ",".join(texts) + "]")
            # The types checked with `map` (in C): ten thousand rows in a millisecond.
            if (
                len(parsed) == len(texts)
                and set(map(type, parsed)) <= {list}
                and set(map(type, itertools.chain.from_iterable(parsed))) <= {str}
            ):
                return list(map(tuple, parsed))
    except ValueError:
        pass
    lists: list[tuple[str, ...] | None] = []
    for text in texts:
        try:
            lists.append(_strings(text))
        except (ValueError, TypeError):
            lists.append(None)
    return lists


def _read_views(connection: sqlite3.Connection) -> tuple[list[SavedView], list[str]]:
    try:
        return saved.read_views(connection)
    except sqlite3.OperationalError as exc:  # a version 1 file opened read-only
        if "no such table" in str(exc):
            return [], []
        raise


def open_store(
    path: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT, create: bool = True
) -> AnnotationStore:
    """The person's annotations database (`paths.annotations_path()` unless `path`)."""
    if path is None:
        from defectors_catalog import paths

        path = paths.annotations_path()
    return AnnotationStore(path, busy_timeout=busy_timeout, create=create)


__all__ = ["LATEST", "AnnotationStore", "open_store"]
