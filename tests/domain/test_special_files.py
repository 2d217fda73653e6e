"""Only regular files are read: a FIFO, a device or a folder given as a source is
refused at once (never waited on, never read until memory runs out), and the size limit
counts the bytes read, not the size a file reports."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.sources.reading import read_source_bytes, read_source_text

ROW = "| Defector | Year |\n| Anna Kowalska | 1956 |\n"


def within(work, seconds: float = 20):
    """`work()`'s result or exception, from a daemon thread: a read that hangs (as on a
    FIFO before the fix) fails the test instead of stopping the whole run."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "hung"
    return outcome[0]


def refused_within(path: Path) -> str:
    result = within(lambda: read_source_bytes(path, max_bytes=1 << 20))
    assert isinstance(result, SourceReadError), result
    return str(result)


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "list.md"
    os.mkfifo(fifo)
    # Before the fix the open itself waited for a writer.
    assert "not a regular file (a FIFO)" in refused_within(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused(device):
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    assert "not a regular file (a device)" in refused_within(Path(device))


def test_a_fifo_as_a_source_leaves_the_catalog_intact(tmp_path):
    fifo = tmp_path / "list.md"
    os.mkfifo(fifo)
    catalog = within(lambda: load_catalog(extra=[(fifo, True)], skip_unreadable=True))
    assert len(catalog.records) == 185
    assert "not a regular file" in catalog.problems[0]


def test_a_link_to_a_regular_file_is_read(tmp_path):
    target = tmp_path / "real.md"
    target.write_text(ROW, encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert read_source_text(link) == ROW


def test_the_limit_counts_bytes_read_not_the_size_reported():
    # /proc files are regular files that report size 0 whatever they hold.
    reported_zero = Path("/proc/self/maps")
    if not reported_zero.exists() or reported_zero.stat().st_size != 0:
        pytest.skip("no regular file that reports size 0 here")
    with pytest.raises(SourceReadError, match="limited to"):
        read_source_bytes(reported_zero, max_bytes=64)


def test_a_file_at_the_limit_is_read_and_one_byte_over_is_not(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 1000)
    assert len(read_source_bytes(path, max_bytes=1000)) == 1000
    with pytest.raises(SourceReadError, match="limited to"):
        read_source_bytes(path, max_bytes=999)
