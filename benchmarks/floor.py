"""The floor for launch -> first paint: Qt alone, an empty QTableView, nothing else.

Run as a process (`python -m benchmarks.floor`); prints one JSON line like the app's
`--smoke-test`. The clock starts where the app's does: before Qt is imported.
`--with-numpy` imports numpy first (with one OpenBLAS thread, as the app does): the
floor of any window whose table is driven by numpy arrays, as this app's is by design.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.elapsed_ms: float | None = None
        self.cpu_ms = 0.0  # the process's CPU time at the first paint, as the app reports

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.elapsed_ms is None:
            self.elapsed_ms = (time.perf_counter() - STARTED) * 1000
            self.cpu_ms = time.process_time() * 1000
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    if "--with-numpy" in sys.argv:
        import os

        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the app sets it
        import numpy  # noqa: F401

    app = QApplication(sys.argv[:1])
    view = QTableView()
    watcher = _FirstPaint()
    view.viewport().installEventFilter(watcher)
    view.resize(1500, 900)  # the app window's default size
    view.show()
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    painted = watcher.elapsed_ms
    print(json.dumps({"first_paint_ms": painted, "first_paint_cpu_ms": round(watcher.cpu_ms, 1),
                      "ok": painted is not None}))  # fmt: skip
    return 0 if watcher.elapsed_ms is not None else 1


if __name__ == "__main__":
    sys.exit(main())
