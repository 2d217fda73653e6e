"""Queries off the GUI thread: the newest answer wins, stale ones never reach the table."""

from __future__ import annotations

import threading

import pytest
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.gui import main_window as main_window_module
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.query_runner import QueryRunner
from PySide6.QtCore import Qt


def test_a_job_replaced_while_waiting_never_runs_and_a_stale_answer_is_dropped(qtbot):
    runner = QueryRunner(asynchronous=True)
    release = threading.Event()
    ran: list[str] = []
    shown: list[str] = []

    def job(name: str, block: bool = False):
        def run() -> str:
            if block:
                release.wait(timeout=10)
            ran.append(name)
            return name

        return run

    runner.submit("results", job("k", block=True), shown.append)
    qtbot.waitUntil(lambda: not runner._pending)  # the worker has taken "k"
    runner.submit("results", job("ko"), shown.append)
    runner.submit("results", job("kov"), shown.append)  # replaces "ko" before it starts
    assert runner.busy
    with qtbot.waitSignal(runner.busyChanged, timeout=5000) as idle:
        release.set()
    assert idle.args == [False]
    assert ran == ["k", "kov"]
    assert shown == ["kov"]  # "k" finished after "kov" was asked for: dropped
    runner.stop()


def test_channels_do_not_replace_each_other(qtbot):
    runner = QueryRunner(asynchronous=True)
    shown: dict[str, int] = {}
    runner.submit("results", lambda: 1, lambda value: shown.__setitem__("results", value))
    runner.submit("timeline", lambda: 2, lambda value: shown.__setitem__("timeline", value))
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert shown == {"results": 1, "timeline": 2}
    runner.stop()


@pytest.fixture
def async_window(qtbot, catalog, settings, monkeypatch) -> MainWindow:
    # The seeds are far below the threshold; lower it so this window queries on the
    # worker thread exactly as one with a million records does.
    monkeypatch.setattr(main_window_module, "ASYNC_ABOVE", 0)
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.runner.busy)
    return window


def test_typing_fast_on_a_big_catalog_ends_on_the_answer_to_the_last_text(
    qtbot, async_window, catalog
):
    window = async_window
    assert window.runner.asynchronous
    qtbot.keyClicks(window.search, "koszegi")
    qtbot.waitUntil(lambda: not window.runner.busy)
    expected = catalog.engine.run(window.filters.apply_to(Query(text="koszegi")))
    assert window.records.model.rowCount() == len(expected) >= 1
    assert list(window.records.model.positions) == list(expected.positions)
    assert window.status.text().startswith(f"{len(expected)} of 185 records")

    for _ in range(len("koszegi")):
        qtbot.keyClick(window.search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert window.records.model.rowCount() == 185


def test_the_searching_note_shows_while_a_query_runs(qtbot, async_window):
    window = async_window
    with qtbot.waitSignal(window.runner.busyChanged, timeout=5000) as started:
        window.search.setText("ko")
    assert started.args == [True]
    assert window.searching.isVisibleTo(window)
    qtbot.waitUntil(lambda: not window.runner.busy)
    assert not window.searching.isVisibleTo(window)
