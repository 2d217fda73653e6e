"""The added-sources manifest: only files inside its own folder, any character in a
name, nothing dropped by the next change, and two windows adding at once."""

from __future__ import annotations

import os
import threading
import time

import pytest
from defectors_catalog.domain.sources.user_sources import UserSourceError, UserSourceStore

ROWS = "Defector Profession/\nCountry Year Notes\nAnna Kovács dancer Hungary 1956 Fled\n"
# Every control character, DEL and the C1 ones included.
CONTROL = "".join(map(chr, range(0x20))) + "\x7f" + "".join(map(chr, range(0x80, 0xA0)))


@pytest.fixture
def store(tmp_path):
    return UserSourceStore(tmp_path / "data")


@pytest.fixture
def rumours(tmp_path):
    path = tmp_path / "Rumours list.txt"
    path.write_text(ROWS, encoding="utf-8")
    return path


def entry(file: str, source_id: str = "planted") -> str:
    return (
        f'[[source]]\nid = "{source_id}"\ntitle = "Planted"\nfile = "{file}"\n'
        'layout = "auto"\nreliability = "reliable"\n'
    )


def test_control_characters_in_titles_and_file_names_round_trip(store, tmp_path):
    name = "list" + "".join(c for c in CONTROL if c not in "\x00/") + ".txt"
    source = tmp_path / name
    source.write_text(ROWS, encoding="utf-8")
    title = f"Title {CONTROL} end"
    spec = store.add(source, title, True, "auto", [])
    loaded = store.load()
    assert loaded.problems == ()
    [again] = loaded.specs
    assert again.title == title == spec.title
    assert again.origin == f"added from {name}"
    # A second add still reads the list (a DEL used to make it unreadable: adds refused);
    # another file, since the same bytes twice are refused as already listed.
    second = tmp_path / "second.txt"
    second.write_text(ROWS + "\n", encoding="utf-8")
    store.add(second, "Second", True, "auto", [])
    assert [s.title for s in store.load().specs] == [title, "Second"]


@pytest.mark.parametrize("file", ["/etc/passwd", "../../outside.txt", "../sources.toml"])
def test_a_path_outside_the_sources_folder_is_refused_and_never_deleted(store, tmp_path, file):
    outside = tmp_path / "outside.txt"
    outside.write_text(ROWS, encoding="utf-8")
    store.files.mkdir(parents=True)
    store.manifest.write_text(entry(file), encoding="utf-8")
    loaded = store.load()
    assert loaded.specs == ()
    assert "outside the sources folder" in loaded.problems[0]
    with pytest.raises(UserSourceError):
        store.remove("planted")
    assert outside.exists() and store.manifest.exists()


def test_a_link_in_the_sources_folder_to_a_file_outside_is_refused(store, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(ROWS, encoding="utf-8")
    store.files.mkdir(parents=True)
    (store.files / "linked.txt").symlink_to(outside)
    store.manifest.write_text(entry("linked.txt"), encoding="utf-8")
    assert store.load().specs == ()
    assert "outside the sources folder" in store.load().problems[0]


def test_an_entry_that_cannot_be_used_survives_the_next_add(store, rumours):
    store.files.mkdir(parents=True)
    store.manifest.write_text(
        entry("gone.txt", "missing-copy") + "\n" + entry("x.txt", "Bad Id"), encoding="utf-8"
    )
    assert len(store.load().problems) == 2
    store.add(rumours, "Rumours list", False, "auto", [])
    loaded = store.load()
    assert [s.id for s in loaded.specs] == ["rumours-list"]
    assert len(loaded.problems) == 2  # both still there to mend, not erased
    text = store.manifest.read_text(encoding="utf-8")
    assert '"missing-copy"' in text and '"Bad Id"' in text


def test_two_windows_adding_at_once_keep_all_sixty(store, tmp_path):
    folder = tmp_path / "originals"
    folder.mkdir()

    def add_thirty(who: str) -> None:
        own = UserSourceStore(store.folder)  # each window has its own store
        for n in range(30):
            path = folder / f"{who}-{n}.txt"
            path.write_text(ROWS.replace("Anna", f"Anna {who}{n}"), encoding="utf-8")
            own.add(path, "Same title", True, "auto", [])

    threads = [threading.Thread(target=add_thirty, args=(who,)) for who in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loaded = store.load()
    assert loaded.problems == ()
    ids = [s.id for s in loaded.specs]
    assert len(ids) == len(set(ids)) == 60
    contents = {s.path.read_text(encoding="utf-8") for s in loaded.specs}
    assert len(contents) == 60  # no copy overwrote another


def test_a_copy_left_half_written_by_a_killed_add_is_cleared_at_the_next_start(store):
    store.files.mkdir(parents=True)
    old = store.files / "memoir.txt.part"
    new = store.files / "other.txt.part"
    mine = store.files / "notes.txt"
    for path in (old, new, mine):
        path.write_text("partial", encoding="utf-8")
    hour_ago = time.time() - 7200
    os.utime(old, (hour_ago, hour_ago))
    os.utime(mine, (hour_ago, hour_ago))
    store.load()
    assert not old.exists()
    assert new.exists()  # another window may be writing it now
    assert mine.exists()  # not the app's temporary pattern


def test_adding_a_fifo_is_refused_without_waiting(store, tmp_path):
    fifo = tmp_path / "list.txt"
    os.mkfifo(fifo)
    with pytest.raises(UserSourceError, match="not a regular file"):
        store.add(fifo, "Fifo", True, "auto", [])
