"""The annotations database: migrations, a damaged or locked file, two writers at once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from defectors_catalog import paths
from defectors_catalog.domain.annotations.model import (
    AnnotationError,
    Change,
    Status,
    combine,
    parse_status,
)
from defectors_catalog.domain.annotations.schema import LATEST, MIGRATIONS, migrate, version_of
from defectors_catalog.domain.annotations.store import AnnotationStore
from defectors_catalog.domain.annotations.views import SavedView
from defectors_catalog.domain.facets import STATUSES
from defectors_catalog.domain.query.engine import Query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BALANCHINE = "george-balanchine-1924"  # real records of the seeds
BAZHANOV = "boris-bazhanov-1928"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "annotations.sqlite3"


def test_the_statuses_are_the_facet_registrys():
    assert tuple(s.value for s in Status) == tuple(value for value, _ in STATUSES)


def test_an_empty_file_is_made_at_the_latest_version_in_wal_mode(db):
    db.touch()  # an empty file is a database with nothing in it
    store = AnnotationStore(db)
    assert store.problem == "" and not store.read_only
    connection = sqlite3.connect(db)
    assert version_of(connection) == LATEST == 2
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert {"annotation", "saved_view"} <= tables


def test_a_version_1_file_is_migrated_and_keeps_its_verdicts(db):
    connection = sqlite3.connect(db, isolation_level=None)
    migrate(connection, upto=1)
    connection.execute(
        "INSERT INTO annotation (record_id, status, tags, note, anchors, changed) "
        "VALUES (?, 'verified', '[\"Ballet\"]', 'Checked in the 1983 obituary', '[]', ?)",
        (BALANCHINE, "2026-01-02T03:04:05+00:00"),
    )
    connection.close()
    store = AnnotationStore(db)
    assert version_of(sqlite3.connect(db)) == 2
    kept = store.verdict(BALANCHINE)
    assert (kept.status, kept.tags, kept.note) == (
        Status.VERIFIED, ("Ballet",), "Checked in the 1983 obituary"
    )  # fmt: skip
    store.save_view(SavedView("Ballet dancers", search="ballet"))  # the new table works
    assert [v.name for v in store.views] == ["Ballet dancers"]


def test_a_migration_step_that_fails_leaves_the_version_before_it(db):
    connection = sqlite3.connect(db, isolation_level=None)

    def fail_at_2(version: int) -> None:
        if version == 2:
            raise OSError("disk full")

    with pytest.raises(OSError):
        migrate(connection, before_step=fail_at_2)
    assert version_of(connection) == 1
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert "saved_view" not in tables
    assert migrate(connection) == 1 and version_of(connection) == len(MIGRATIONS)


def test_a_damaged_file_is_reported_kept_as_it_is_and_refuses_writes(db):
    damaged = b"SQLite format 3\x00" + bytes(range(256)) * 8
    db.write_bytes(damaged)
    store = AnnotationStore(db)
    assert store.read_only
    assert "read-only" in store.problem and "damaged" in store.problem
    assert "\n" not in store.problem
    assert store.verdict(BALANCHINE).status is Status.UNCHECKED
    with pytest.raises(AnnotationError, match="damaged"):
        store.change([BALANCHINE], Change(status=Status.VERIFIED))
    with pytest.raises(AnnotationError, match="read-only"):
        store.save_view(SavedView("mine"))
    assert db.read_bytes() == damaged  # nothing of it was lost or "repaired"


def test_a_file_that_is_not_a_database_at_all_is_reported(db):
    db.write_text("name,year\nGeorge Balanchine,1924\n", encoding="utf-8")
    store = AnnotationStore(db)
    assert store.read_only and "damaged" in store.problem


def test_a_locked_file_opens_read_only_and_says_so(db):
    writable = AnnotationStore(db)
    writable.change([BALANCHINE], Change(status=Status.DISPUTED))
    writable.close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE annotation SET note = 'held'")
    holder.execute("COMMIT")  # an exclusive-mode connection keeps its lock
    try:
        store = AnnotationStore(db, busy_timeout=0.05)
        assert store.read_only and "locked by another program" in store.problem
        with pytest.raises(AnnotationError, match="locked"):
            store.change([BALANCHINE], Change(add_tags=("Ballet",)))
    finally:
        holder.close()
    again = AnnotationStore(db)
    assert not again.read_only
    assert again.verdict(BALANCHINE).note == "held"


def test_a_file_from_a_newer_version_is_read_but_not_written(db):
    AnnotationStore(db).change([BALANCHINE], Change(status=Status.VERIFIED))
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    store = AnnotationStore(db)
    assert store.read_only and "newer version" in store.problem
    assert store.verdict(BALANCHINE).status is Status.VERIFIED
    with pytest.raises(AnnotationError):
        store.change([BALANCHINE], Change(status=Status.REJECTED))


def test_status_tags_and_note_are_kept_as_typed_with_the_time(db):
    store = AnnotationStore(db)
    before = datetime.now(UTC).replace(microsecond=0)
    verdict = store.change(
        [BALANCHINE],
        Change(
            status=parse_status(" Verified "),
            add_tags=("  Olympics  ", "olympics", "New  York City"),
            note="First line\r\nsecond line\n\n",
        ),
    )
    assert verdict.status is Status.VERIFIED
    assert verdict.tags == ("Olympics", "New York City")  # one tag per folded spelling
    assert verdict.note == "First line\nsecond line"
    assert datetime.fromisoformat(verdict.changed) >= before
    assert datetime.fromisoformat(verdict.changed).utcoffset() == timedelta(0)
    after = store.change([BALANCHINE], Change(remove_tags=("OLYMPICS",)))
    assert after.tags == ("New York City",)
    assert after.note == "First line\nsecond line" and after.status is Status.VERIFIED
    assert AnnotationStore(db).verdict(BALANCHINE) == after


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda: Change(add_tags=("a;b",)), "may not hold"),
        (lambda: Change(add_tags=("   ",)), "needs a letter"),
        (lambda: Change(add_tags=("x" * 101,)), "at most"),
        (lambda: Change(note="x" * 100_001), "at most"),
        (lambda: parse_status("maybe"), "unknown status 'maybe'"),
    ],
)
def test_bad_values_are_refused_with_one_line(change, message):
    with pytest.raises(AnnotationError, match=message) as caught:
        change()
    assert "\n" not in str(caught.value)


def test_two_stores_see_each_others_changes_on_refresh(db):
    window_a, window_b = AnnotationStore(db), AnnotationStore(db)
    window_a.change([BALANCHINE], Change(status=Status.VERIFIED, add_tags=("Ballet",)))
    assert window_b.verdict(BALANCHINE).status is Status.UNCHECKED  # until it refreshes
    assert window_b.refresh() is True
    assert window_b.verdict(BALANCHINE).tags == ("Ballet",)
    assert window_b.refresh() is False  # nothing new
    # B changes what A wrote, not what B last saw: A's tag stays.
    window_b.change([BALANCHINE], Change(add_tags=("Choreographer",)))
    window_a.refresh()
    assert window_a.verdict(BALANCHINE).tags == ("Ballet", "Choreographer")
    assert window_a.verdict(BALANCHINE).status is Status.VERIFIED


_WRITER = """
import sys
from pathlib import Path
from defectors_catalog.domain.annotations.model import Change
from defectors_catalog.domain.annotations.store import AnnotationStore
store = AnnotationStore(Path(sys.argv[1]), busy_timeout=30)
for n in range(40):
    store.change([sys.argv[2]], Change(add_tags=(f"{sys.argv[3]}-{n}",)))
"""


def test_two_processes_writing_at_once_lose_nothing(db):
    AnnotationStore(db).close()
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(db), record, prefix])
        for record, prefix in ((BALANCHINE, "a"), (BALANCHINE, "b"), (BAZHANOV, "c"))
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    store = AnnotationStore(db)
    tags = set(store.verdict(BALANCHINE).tags)
    assert tags == {f"a-{n}" for n in range(40)} | {f"b-{n}" for n in range(40)}
    assert len(store.verdict(BAZHANOV).tags) == 40


def test_a_row_another_program_wrote_badly_is_skipped_and_named(db):
    store = AnnotationStore(db)
    store.change([BAZHANOV], Change(status=Status.REJECTED))
    connection = sqlite3.connect(db)
    connection.execute(
        "INSERT INTO annotation (record_id, status, tags, note, anchors, changed) "
        "VALUES (?, 'verified', '{\"not\": \"a list\"}', '', '[]', '')",
        (BALANCHINE,),
    )
    connection.commit()
    connection.close()
    assert store.refresh()
    assert store.verdict(BAZHANOV).status is Status.REJECTED
    assert store.verdict(BALANCHINE).status is Status.UNCHECKED
    assert any(BALANCHINE in line for line in store.row_problems)


def test_saved_searches_are_created_renamed_updated_and_deleted(db):
    store = AnnotationStore(db)
    query = Query(
        text="ballet",
        selections={"country": {"Russia"}, "status": {"verified"}},
        year_from=1950,
        year_to=1979,
        in_all=frozenset({"wikipedia"}),
        sort_column="name",
        descending=True,
    )
    store.save_view(SavedView.of("Russian dancers", query, columns=("name", "year", "status")))
    with pytest.raises(AnnotationError, match="already called 'Russian dancers'"):
        store.save_view(SavedView.of("russian DANCERS", Query()))
    other = AnnotationStore(db)
    view = other.view("russian dancers")
    assert view.query() == query
    assert view.columns == ("name", "year", "status")
    store.rename_view("Russian dancers", "Dancers")
    store.save_view(SavedView.of("Dancers", Query(text="dancer")), replace=True)
    other.refresh()
    assert [(v.name, v.search) for v in other.views] == [("Dancers", "dancer")]
    with pytest.raises(AnnotationError, match="no saved search is called 'Russian dancers'"):
        other.view("Russian dancers")
    other.delete_view("dancers")
    store.refresh()
    assert store.views == ()
    with pytest.raises(AnnotationError, match="no saved search"):
        store.delete_view("Dancers")


def test_a_saved_search_from_a_newer_version_drops_what_this_one_lacks(db):
    store = AnnotationStore(db)
    store.save_view(SavedView("later", selections={"mood": ("calm",), "country": ("Hungary",)}))
    assert store.view("later").query() == Query(selections={"country": {"Hungary"}})


def test_a_merged_records_verdicts_combine_with_their_conflict():
    from defectors_catalog.domain.annotations.model import Annotation

    mine = Annotation("ferenc-puskas-1956", Status.VERIFIED, ("Football",), "", "2026-01-01")
    theirs = Annotation("ferenc-puskas-1957", Status.REJECTED, ("Madrid",), "Year?", "2026-02-01")
    merged = combine("ferenc-puskas-1956", [mine, theirs])
    assert merged.tags == ("Football", "Madrid") and merged.note == "Year?"
    assert merged.status is Status.REJECTED  # the later verdict, with the conflict shown
    assert merged.conflicts == (
        "status: verified (ferenc-puskas-1956) / rejected (ferenc-puskas-1957)",
    )
    assert merged.merged_from == ("ferenc-puskas-1956", "ferenc-puskas-1957")


def test_the_data_folder_moves_with_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path / "mine"))
    assert paths.annotations_path() == tmp_path / "mine" / "annotations.sqlite3"
    monkeypatch.delenv(paths.DATA_ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    if sys.platform.startswith("linux"):
        assert (
            paths.user_data_dir() == tmp_path / "share" / "DefectorsCatalog" / "Defectors Catalog"
        )


def test_json_in_the_file_is_only_read_never_run(db):
    store = AnnotationStore(db)
    store.change([BALANCHINE], Change(note='{"__class__": "os.system"}'))
    row = sqlite3.connect(db).execute("SELECT note, tags FROM annotation").fetchone()
    assert row == ('{"__class__": "os.system"}', json.dumps([]))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tags=st.text(max_size=60), anchors=st.binary(max_size=40), status=st.text(max_size=12))
def test_rows_of_garbage_are_skipped_never_a_crash(tmp_path, tags, anchors, status):
    db = tmp_path / f"garbage-{uuid.uuid4().hex}.sqlite3"  # one per example, replays too
    AnnotationStore(db).close()
    connection = sqlite3.connect(db)
    # No CHECK holds a row another program writes with its own schema: dropped here.
    connection.execute("PRAGMA ignore_check_constraints = ON")
    connection.execute(
        "INSERT INTO annotation (record_id, status, tags, note, anchors, changed) "
        "VALUES ('x', ?, ?, 'n', ?, '')",
        (status, tags, anchors),
    )
    connection.execute(
        "INSERT INTO annotation (record_id, status, tags, note, anchors, changed) "
        "VALUES (?, 'verified', '[\"Ballet\"]', '', '[]', '')",
        (BALANCHINE,),
    )
    connection.commit()
    connection.close()
    store = AnnotationStore(db)
    assert store.verdict(BALANCHINE).tags == ("Ballet",)  # the good row is always read
    if "x" not in store.rows:
        assert any("'x'" in line for line in store.row_problems)
