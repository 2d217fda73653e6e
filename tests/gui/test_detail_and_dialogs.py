"""Source text is shown literally; About and References show what they promise."""

from __future__ import annotations

from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPlainTextEdit, QPushButton

from tests.gui.test_main_window import select

MARKUP = '<b>bold</b> and <img src="http://example.invalid/x.png"> &amp; <a href="x">link</a>'


def test_markup_in_a_source_is_shown_literally(qtbot, tmp_path, settings):
    source = tmp_path / "markup.md"
    source.write_text(
        "| Defector | Profession | Birthplace | Year | Notes |\n"
        f"| Ann <i>Smith</i> | Poet | Poland | 1950 | {MARKUP} |\n",
        encoding="utf-8",
    )
    catalog = load_catalog(extra=[(source, False)])
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    select(qtbot, window, "Ann <i>Smith</i>")
    labels = window.detail.findChildren(QLabel)
    notes = next(label for label in labels if label.objectName() == "field_notes")
    assert notes.text() == MARKUP
    assert notes.textFormat() == Qt.TextFormat.PlainText
    title = next(label for label in labels if label.objectName() == "recordName")
    assert title.text() == "Ann <i>Smith</i>"
    with_markup = [label for label in labels if "<" in label.text()]
    assert len(with_markup) == 3  # the name, the notes and the name as the source gave it
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in with_markup)


def answer_dialog(qtbot, check) -> QTimer:
    """Inspect the modal dialog once it is up, then close it."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            return
        timer.stop()
        check(dialog)
        dialog.reject()

    timer = QTimer(interval=20)
    timer.timeout.connect(look)
    timer.start()
    return timer


def test_about_lists_version_and_every_source_license(qtbot, window):
    found: dict[str, str] = {}

    def check(dialog):
        text = dialog.findChild(QPlainTextEdit, "aboutSources").toPlainText()
        found["text"] = text

    timer = answer_dialog(qtbot, check)
    window.show_about()
    timer.stop()
    text = found["text"]
    assert "Fan-wiki copy" in text and "CC BY-SA (community content)" in text
    assert text.count("license:") == 3
    assert "reliability: unreliable" in text


def test_the_scrapes_references_are_reachable_from_the_detail_panel(qtbot, window):
    select(qtbot, window, "George Gamow")
    button = next(
        b for b in window.detail.findChildren(QPushButton) if b.text().startswith("References (29)")
    )
    found: dict[str, str] = {}

    def check(dialog):
        found["text"] = dialog.findChild(QPlainTextEdit, "referencesText").toPlainText()

    timer = answer_dialog(qtbot, check)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    timer.stop()
    lines = found["text"].splitlines()
    assert len(lines) == 29
    assert lines[0] == "1. Dowty 1989, p. 69"
