"""Big exports are written on a worker thread, with progress; Cancel leaves no file."""

from __future__ import annotations

import csv

import pytest
from defectors_catalog.gui import exporting
from defectors_catalog.gui.background import BackgroundTask, StatusProgress
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from benchmarks.scale import synthetic_app_catalog


@pytest.fixture(scope="module")
def big_catalog():
    return synthetic_app_catalog(60_000, 1956, {})


def save_to(monkeypatch, target) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))


def test_a_big_export_runs_in_the_background_and_writes_every_shown_row(
    qtbot, tmp_path, big_catalog, monkeypatch
):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(big_catalog, settings)
    qtbot.addWidget(window)
    window.show()
    window.search.setText("an")
    qtbot.waitUntil(lambda: not window.runner.busy)
    shown = window.records.model.rowCount()
    assert exporting.BACKGROUND_ABOVE < shown < 60_000
    target = tmp_path / "an.csv"
    save_to(monkeypatch, target)

    window.export_action.trigger()
    assert window.exporter.running is not None  # writing on the worker thread
    assert not window.export_action.isEnabled()  # one export at a time
    assert window.statusBar().findChild(StatusProgress) is not None
    # Waiting on the state, not on the next status message: another message (the
    # search's note going away) can come first.
    qtbot.waitUntil(lambda: window.exporter.running is None, timeout=60_000)
    assert window.statusBar().currentMessage() == f"Exported {shown:,} rows to {target}"
    assert window.export_action.isEnabled()
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == shown
    first = window.records.model.index(0, 1).data()
    assert rows[0]["name"] == first


def test_cancelling_a_big_export_leaves_no_file(qtbot, tmp_path, big_catalog, monkeypatch):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(big_catalog, settings)
    qtbot.addWidget(window)
    window.show()
    target = tmp_path / "all.csv"
    save_to(monkeypatch, target)
    start = BackgroundTask.start

    def start_then_cancel(task: BackgroundTask) -> None:
        # Cancel on the worker thread at its first report, as a click on Cancel does a
        # moment later: whatever the machine's speed, the export stops part-way.
        task.progressed.connect(task.cancel, Qt.ConnectionType.DirectConnection)
        start(task)

    monkeypatch.setattr(BackgroundTask, "start", start_then_cancel)
    window.export_action.trigger()
    task = window.exporter.running
    assert task is not None
    with qtbot.waitSignal(task.cancelled, timeout=60_000):
        pass
    assert window.statusBar().currentMessage() == "Export cancelled: no file was written"
    assert list(tmp_path.glob("all*")) == []  # neither the file nor a temporary one
    assert window.export_action.isEnabled()
