"""A big list added through the window, as a person adds it: load, then typing.

`python -m benchmarks.window_file LIST.csv` opens the real window offscreen (a `Session`
with the list as this run's extra file, a scratch settings file, source store and
cache folder) and reports:

- load: from `Session.open()` to the window shown, with the progress window's longest
  freeze while the list loads (the event loop's longest time without a 16 ms frame);
- the collector: every collection of the oldest generation from the load's start to the
  end, and the longest (with the GIL held, the window cannot paint while one runs);
- typing "kovacs" in the search box afterwards, `--rounds` times into a cleared box
  (`benchmarks.typing`'s measure), then
  two seconds of idling, each with its longest freeze;
- how long a full collection takes at the end: the stall the collector's next full
  pass will cause, whenever it comes.

It complements `benchmarks.typing`, whose catalog is built in memory, outside the
loading path and its collector pauses.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import gc
import itertools
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.session import Session
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.scale import peak_mb
from benchmarks.typing import HEARTBEAT_MS, _clear, _type, _wait

IDLE_S = 2.0
ROUNDS = 5  # typing "kovacs" into a cleared box, each time over cold words


class _Collections:
    """Each full collection's duration, from `gc.callbacks`."""

    def __init__(self) -> None:
        self.full_ms: list[float] = []
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.full_ms.append(round((time.perf_counter() - self._began) * 1000, 1))


def _longest_gap(beats: Sequence[float]) -> float:
    return round(max((b - a for a, b in itertools.pairwise(beats)), default=0.0) * 1000, 1)


def measure(path: Path, rounds: int = ROUNDS) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    scratch = Path(tempfile.mkdtemp(prefix="defectors-bench-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    store = UserSourceStore(scratch / "sources")
    collections = _Collections()
    gc.callbacks.append(collections)
    beats: list[float] = []
    heartbeat = QTimer(interval=HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start()
    session = Session(
        store, [(path, True)], settings, cache=scratch / "cache",
        annotations_path=scratch / "annotations.sqlite3", staged=True,
    )  # fmt: skip
    started = time.perf_counter()
    shown = session.open()
    _wait_long(app, lambda: session.window is not None and session.window.isVisible())
    window = session.window
    assert window is not None and shown is None, "a big list loads in the background"
    _wait(app, lambda: not window.runner.busy)
    app.processEvents()
    load_s = time.perf_counter() - started
    results: dict[str, Any] = {
        "list_mb": round(path.stat().st_size / 1e6, 1),
        "records": len(window.catalog.records),
        "load_s": round(load_s, 2),
        "load_longest_freeze_ms": _longest_gap(beats),
        "full_collections_during_load_ms": list(collections.full_ms),
    }
    heartbeat.stop()
    collections.full_ms.clear()
    window.search.setFocus(Qt.FocusReason.OtherFocusReason)
    runs = []
    for _ in range(max(rounds, 1)):
        _clear(app, window)
        runs.append(_type(app, window))
    for key in runs[0]:
        # The slowest and the longest freeze: the worst round; the medians: the median.
        pick = max if key.endswith(("max_ms", "freeze_ms")) else statistics.median
        results[f"typing_{key}"] = round(pick(run[key] for run in runs), 1)
    beats.clear()
    heartbeat.start()
    idle_until = time.perf_counter() + IDLE_S
    _wait(app, lambda: time.perf_counter() > idle_until)
    heartbeat.stop()
    results["idle_longest_freeze_ms"] = _longest_gap(beats)
    results["full_collections_after_load_ms"] = list(collections.full_ms)
    results["peak_mb"] = round(peak_mb())
    gc.callbacks.remove(collections)
    # What the collector's next full pass will cost when it comes (with the GIL held).
    began = time.perf_counter()
    gc.collect()
    results["a_full_collection_now_ms"] = round((time.perf_counter() - began) * 1000, 1)
    results["objects_tracked"] = len(gc.get_objects())
    return results


def _wait_long(app: QApplication, done: Any) -> None:
    """Wait for a load of minutes: `_wait` gives up after a minute."""
    deadline = time.perf_counter() + 1800
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the list did not load")
        app.processEvents()
        time.sleep(0.005)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.window_file")
    parser.add_argument("list", type=Path, help="a list file, e.g. from benchmarks.file_path")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="times to type the word")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.list, args.rounds), indent=1))
    os._exit(0)  # the catalog need not be freed object by object


if __name__ == "__main__":
    raise SystemExit(main())
