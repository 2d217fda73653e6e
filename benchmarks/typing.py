"""Typing in the real window over a big catalog: what the person sees, frame by frame.

Runs in a child process per size (`python -m benchmarks --typing-child SIZE`). The
engine figures in `scale.py` say how fast a query is; this says whether the window
stays smooth while one runs. A `MainWindow` over a generated catalog is shown
(offscreen), then "kovacs" is typed a key every `KEY_INTERVAL_MS`, as a fast typist
does, with the real key events. For every key it records:

- key -> search box repainted: from the key press to the next paint of the search box,
  i.e. how long the typed letter takes to appear;
- key -> table shows the answer: until the table model holds the answer to that text
  or to a later one (an answer to a text already typed past is never shown);

and, over the whole typing, the longest time the event loop went without running a
16 ms (60 Hz) frame timer (the longest freeze). It types twice: with queries on the worker
thread (what the window does above `ASYNC_ABOVE` records) and with every query on the
GUI thread (what it did before), for comparison.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.query_runner import QueryRunner
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.scale import replace_numpy, synthetic_app_catalog

TYPED = "kovacs"
KEY_INTERVAL_MS = 90  # about 11 keys a second
HEARTBEAT_MS = 16  # a 60 Hz frame
SETTLE_TIMEOUT_S = 60


class _Paints(QObject):
    """Times of the paints of one widget."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.times.append(time.perf_counter())
        return False


def _wait(app: QApplication, done: Any) -> None:
    deadline = time.perf_counter() + SETTLE_TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the window did not settle")
        app.processEvents()
        time.sleep(0.001)


def _type(app: QApplication, window: MainWindow) -> dict[str, float]:
    """Type TYPED into an empty search box; times in ms."""
    search = window.search
    paints = _Paints()
    search.installEventFilter(paints)
    answers: list[tuple[float, str]] = []
    window.resultChanged.connect(lambda: answers.append((time.perf_counter(), window.query.text)))
    beats: list[float] = []
    heartbeat = QTimer(interval=HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    pressed: list[float] = []

    def press(index: int) -> None:
        pressed.append(time.perf_counter())
        QTest.keyClicks(search, TYPED[index])
        if index + 1 < len(TYPED):
            QTimer.singleShot(KEY_INTERVAL_MS, lambda: press(index + 1))

    heartbeat.start()
    QTimer.singleShot(KEY_INTERVAL_MS, lambda: press(0))
    _wait(app, lambda: len(pressed) == len(TYPED) and bool(answers)
          and answers[-1][1] == TYPED and not window.runner.busy)  # fmt: skip
    app.processEvents()
    heartbeat.stop()
    search.removeEventFilter(paints)

    echo, shown = [], []
    for index, at in enumerate(pressed):
        echo.append(next(t for t in paints.times if t > at) - at)
        typed = TYPED[: index + 1]
        shown.append(next(t for t, text in answers if t > at and text.startswith(typed)) - at)
    span = [b for b in beats if pressed[0] <= b]
    gaps = [later - earlier for earlier, later in itertools.pairwise(span)]
    return {
        "echo_median_ms": round(statistics.median(echo) * 1000, 1),
        "echo_max_ms": round(max(echo) * 1000, 1),
        "answer_median_ms": round(statistics.median(shown) * 1000, 1),
        "answer_max_ms": round(max(shown) * 1000, 1),
        "longest_freeze_ms": round(max(gaps, default=0.0) * 1000, 1),
    }


def _clear(app: QApplication, window: MainWindow) -> None:
    window.search.clear()
    _wait(app, lambda: not window.runner.busy and window.query.text == "")
    # A fresh search cache, so each run types over cold words as a person does.
    window.catalog.engine.search._found.clear()


def run_typing(size: int, seed: int, repeat: int) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    results: dict[str, Any] = {"records": size}
    catalog = synthetic_app_catalog(size, seed, results)
    scratch = Path(tempfile.mkdtemp(prefix="defectors-bench-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    started = time.perf_counter()
    window = MainWindow(catalog, settings)
    window.show()
    _wait(app, lambda: window.isVisible() and not window.runner.busy)
    app.processEvents()
    results["window_open_ms"] = round((time.perf_counter() - started) * 1000, 1)
    window.search.setFocus(Qt.FocusReason.OtherFocusReason)

    own = window.runner
    results["window_queries_on_worker"] = own.asynchronous
    worker = QueryRunner(asynchronous=True, parent=window)
    on_gui_thread = QueryRunner(asynchronous=False, parent=window)
    for mode, runner in (("worker", worker), ("gui_thread", on_gui_thread)):
        window.runner = runner
        runs = []
        for _ in range(max(repeat, 1)):
            _clear(app, window)
            runs.append(_type(app, window))
        for key in runs[0]:
            values = [run[key] for run in runs]
            # The slowest and the longest freeze: the worst run; the medians: the median.
            pick = max if key.endswith(("max_ms", "freeze_ms")) else statistics.median
            results[f"{mode}_{key}"] = round(pick(values), 1)
    window.runner = own
    window.close()
    worker.stop()
    return replace_numpy(results)
