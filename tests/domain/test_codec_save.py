"""Saving a big catalog: objects held in several places stored once, in the order first
met, and the file written (by a thread of its own) exactly as made, or not at all."""

from __future__ import annotations

import errno
import random
import threading

import numpy as np
import pytest
from defectors_catalog.domain.catalog import cache as catalog_cache
from defectors_catalog.domain.catalog import codec
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.model import Diagnostic, Severity


def diagnostic(n: int) -> Diagnostic:
    return Diagnostic(code="c", message=f"m{n}", line=n, severity=Severity.INFO, field="")


def reference(pool: list[object], objects: list[object]) -> list[int]:
    """Each object's index in `pool`, new ones appended in first-seen order."""
    index = {id(o): i for i, o in enumerate(pool)}
    codes = []
    for o in objects:
        if id(o) not in index:
            index[id(o)] = len(pool)
            pool.append(o)
        codes.append(index[id(o)])
    return codes


@pytest.mark.parametrize("seed", range(6))
def test_pooled_objects_are_stored_once_in_first_seen_order(seed):
    """Objects met again (an entry in its parse and in its record) get the index they
    got first; new ones are numbered in the order met, across several columns."""
    rng = random.Random(seed)
    made = [diagnostic(n) for n in range(rng.randint(1, 400))]
    writer = codec._Writer()
    expected: list[object] = []
    for _ in range(4):
        objects: list[object] = [rng.choice(made) for _ in range(rng.randint(0, 300))]
        codes = writer.indexes(Diagnostic, objects)
        assert codes.tolist() == reference(expected, objects)
    assert writer.pools[Diagnostic].objects == expected
    assert all(a is b for a, b in zip(writer.pools[Diagnostic].objects, expected, strict=True))


def test_pieces_of_every_size_are_written_in_order(tmp_path, monkeypatch):
    """Small pieces gathered, big ones queued while the writer is behind: the file holds
    every array as made, in order (its checksum passes and each comes back equal)."""
    monkeypatch.setattr(catalog_cache, "_GATHER", 8)
    monkeypatch.setattr(catalog_cache, "_IN_FLIGHT", 64)
    rng = np.random.default_rng(3)
    arrays = [rng.integers(0, 255, size=int(n), dtype=np.uint8) for n in rng.integers(0, 200, 300)]
    entry = catalog_cache.make_entry("pieces", [])
    assert catalog_cache.write(tmp_path, entry, {"n": len(arrays)}, arrays) == ""
    saved = catalog_cache.read(tmp_path, "pieces")
    assert saved is not None
    assert saved[0] == {"n": len(arrays)}
    assert [a.tolist() for a in saved[1]] == [a.tolist() for a in arrays]


def test_a_disk_full_while_writing_in_the_background_only_fails_the_save(tmp_path, monkeypatch):
    """The file is written by another thread: its failure still ends the save (with the
    reason, no partial file) and leaves no thread behind; the catalog is built."""
    written = []

    def full(self, view):
        written.append(view.nbytes)
        if len(written) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(catalog_cache._Counted, "_store", full)
    cache = tmp_path / "cache"
    catalog = load_catalog(cache=cache)
    assert len(catalog.records) == 185 and not catalog.from_cache
    assert catalog.cache_note.endswith("No space left on device")
    assert list(cache.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "catalog-save"]


@pytest.mark.parametrize(
    "ids",
    [
        [],
        [7],
        [48, 16, 48, 32, 16, 16],  # aligned addresses, repeated
        [5, 3, 5, 4, 3],  # no alignment to drop
        [2**63 + 16, 16, 2**64 - 16, 16, 2**63 + 16],  # too wide to pack: sorted plainly
    ],
)
def test_objects_met_again_keep_the_place_first_met(ids):
    """The order objects are looked up in puts equal ids first met first, as a stable
    sort does, whether the ids are packed with their positions or not."""
    values = np.array(ids, dtype=np.uint64)
    expected = np.argsort(values, kind="stable")
    assert codec._stable_order(values).tolist() == expected.tolist()


def test_many_scattered_ids_keep_the_place_first_met():
    rng = np.random.default_rng(5)
    values = rng.integers(0, 2**36, size=50_000, dtype=np.uint64) * np.uint64(16)
    values[::7] = values[3]  # one object met many times
    expected = np.argsort(values, kind="stable")
    assert codec._stable_order(values).tolist() == expected.tolist()


def test_repeated_values_are_numbered_as_first_met():
    """A column of repeating values (years with gaps, places) is saved as its distinct
    values in the order met and a number each, as the catalog's table numbers them."""
    from defectors_catalog.domain.query.table import factorise

    values = [None, 1950, "Kraków", 1950, None, "", "Kraków", 1961]
    distinct, codes = codec._factorise(values)
    assert distinct == [None, 1950, "Kraków", "", 1961]
    assert [distinct[c] for c in codes] == values
    expected = factorise(values)
    assert distinct == expected[0] and codes.tolist() == expected[1].tolist()


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        ([1950, None, 1961] * 1000, "|i1"),  # a few distinct years: a byte each
        ([f"place {n % 300}" for n in range(3000)], "<i2"),
        (list(range(3000)), "<i2"),  # line numbers
        ([*range(2999), 2**40], "<i8"),  # one too big for int32: all kept whole
        ([*range(2999), -(2**31) - 1], "<i8"),
    ],
)
def test_whole_numbers_are_saved_small_and_come_back_the_same(tmp_path, values, dtype):
    """Codes and numbers take the fewest bytes that hold them (a smaller file to write
    and read), and every value comes back as it was."""
    entry = catalog_cache.make_entry("numbers", [])
    made = catalog_cache.write_made(
        tmp_path, entry, lambda sink: codec._plain(codec._Writer(sink), values)
    )
    assert made == ""
    saved = catalog_cache.read(tmp_path, "numbers")
    assert saved is not None
    doc, arrays, _ = saved
    [array] = arrays
    assert array.dtype.str == dtype
    decoded = codec._decode_plain(codec._Reader(arrays), doc, len(values), lambda v: v)
    assert decoded == values


# The seeds' catalog saved by a process of its own, under a given string hashing.
SAVE_SEEDS = """
import sys
from pathlib import Path
from defectors_catalog.domain.catalog.build import load_catalog
load_catalog(cache=Path(sys.argv[1]))
"""


def test_the_same_catalog_is_saved_as_the_same_bytes_whatever_the_hashing(tmp_path):
    """Columns are written in one order, not a set's (which changes with each process's
    string hashing): the same catalog gives the same file, so two saves can be compared."""
    import os
    import subprocess
    import sys

    saved = []
    for seed in ("1", "2", "3"):
        folder = tmp_path / seed
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-c", SAVE_SEEDS, str(folder)],
            env=env, capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        (file,) = folder.glob("*.cache")
        saved.append(file.read_bytes())
    assert saved[0] == saved[1] == saved[2]
