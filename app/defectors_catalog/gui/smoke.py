"""`--smoke-test`: prove the real window works, frozen or from source, then exit.

Waits for the table's first paint, types a search, checks the row counts and the
detail panel, and prints one JSON line. Exit status 0 only if every check held.
"""

from __future__ import annotations

import json
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.session import Session

SEARCH = "koszegi"
TIMEOUT_MS = 20_000


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted: float | None = None  # time.perf_counter() at the first paint
        self.cpu = 0.0  # the process's CPU time then (time.process_time())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.painted is None:
            self.painted = time.perf_counter()
            self.cpu = time.process_time()
        return False


def run_smoke_test(
    app: QApplication, session: Session, started: float, window_started: float | None = None
) -> int:
    """Checks the session's window, or the one it opens after loading big sources in
    the background (`--add-source` with a big file).

    `first_paint_ms` is counted from `started` (when the command started);
    `window_first_paint_ms` from `window_started` (when opening the window began, after
    the command line was read), to tell the two parts of a start apart;
    `first_paint_cpu_ms` is the CPU time the process had used by then, its interpreter's
    start included (on a busy machine it varies far less than the wall time)."""
    watcher = _FirstPaint()
    report: dict[str, object] = {"ok": False, "loaded_in_background": session.window is None}

    def watch(window: MainWindow) -> None:
        window.records.view.viewport().installEventFilter(watcher)
        report["records"] = len(window.catalog.records)

    if session.window is not None:
        watch(session.window)
    else:
        session.opened.connect(watch)

    def check() -> None:
        window = session.window
        if watcher.painted is None or window is None:
            return  # not painted yet; the timer comes back
        poll.stop()
        report["first_paint_ms"] = round((watcher.painted - started) * 1000, 1)
        report["first_paint_cpu_ms"] = round(watcher.cpu * 1000, 1)
        if window_started is not None:
            report["window_first_paint_ms"] = round((watcher.painted - window_started) * 1000, 1)
        report["platform"] = app.platformName()
        try:
            report.update(_exercise(window))
            report["ok"] = True
        except AssertionError as exc:
            report["error"] = str(exc)
        app.quit()

    def give_up() -> None:
        report["error"] = f"the window did not paint within {TIMEOUT_MS} ms"
        app.quit()

    poll = QTimer(interval=5)
    poll.timeout.connect(check)
    poll.start()
    QTimer.singleShot(TIMEOUT_MS, give_up)
    app.exec()
    print(json.dumps(report), flush=True)
    return 0 if report["ok"] else 1


def _exercise(window: MainWindow) -> dict[str, object]:
    total = len(window.catalog.records)
    shown = window.records.model.rowCount()
    assert shown == total, f"table shows {shown} rows, catalog has {total}"
    window.search.setText(SEARCH)
    found = window.records.model.rowCount()
    assert found >= 1, f"searching {SEARCH!r} found nothing"
    window.records.view.selectRow(0)
    record = window.detail.record
    assert record is not None, "the detail panel shows no record after selecting a row"
    window.clear_filters()
    assert window.records.model.rowCount() == total, (
        "clearing the filters did not show every record"
    )
    return {"search": SEARCH, "search_rows": found, "detail": record.name}
