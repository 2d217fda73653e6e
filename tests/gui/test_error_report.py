"""An exception nobody caught is logged, and shown once, with the log file named."""

from __future__ import annotations

import pytest
from defectors_catalog import logs
from defectors_catalog.gui import error_report
from defectors_catalog.gui.error_report import ErrorReport
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton


@pytest.fixture
def report(qtbot, log_folder):
    logs.install_excepthooks()
    report = ErrorReport(logs.current_log_file())
    yield report
    if report.box is not None:
        report.box.close()


def boom() -> None:
    raise ValueError("the <b>year</b> column is missing")


@pytest.mark.qt_no_exception_capture  # the app's own hook is what is tested
def test_an_exception_in_a_slot_is_logged_and_a_box_names_the_log_file(qtbot, report, log_folder):
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(boom)
    button.click()  # PySide6 hands the slot's exception to sys.excepthook
    text = (log_folder / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "ERROR   MainThread defectors_catalog.logs: uncaught exception" in text
    assert "ValueError: the <b>year</b> column is missing" in text
    assert "in boom" in text  # the traceback
    qtbot.waitUntil(lambda: report.box is not None and report.box.isVisible())
    box = report.box
    assert isinstance(box, QMessageBox)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "ValueError: the <b>year</b> column is missing" in box.text()
    assert str(log_folder / logs.FILE_NAME) in box.text()


@pytest.mark.qt_no_exception_capture
def test_repeated_errors_show_one_box_at_a_time(qtbot, report):
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(boom)
    for _ in range(30):
        button.click()
    qtbot.waitUntil(lambda: report.more == 29)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [b for b in boxes if b.isVisible()] == [report.box]
    assert report.box is not None
    assert report.box.informativeText().startswith("29 more error(s)")
    report.box.close()
    qtbot.waitUntil(lambda: report.box is None)
    button.click()  # after it is closed, the next error shows again
    qtbot.waitUntil(lambda: report.box is not None and report.box.isVisible())


def test_help_opens_the_log_folder(qtbot, catalog, settings, log_folder, monkeypatch):
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    assert window.log_folder_action.isEnabled()
    window.log_folder_action.trigger()
    assert [url.toLocalFile() for url in opened] == [str(log_folder)]
    assert log_folder.is_dir()


def test_with_logging_off_the_box_says_so_and_help_cannot_open_a_folder(qtbot, catalog, settings):
    assert logs.log_dir() is None  # the tests' default
    assert "switched off" in error_report.describe("ValueError: x", None)
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    assert not window.log_folder_action.isEnabled()
