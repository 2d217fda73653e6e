"""Source text is shown literally; About and References show what they promise."""

from __future__ import annotations

from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.gui.dialogs import ReferencesDialog, safe_link
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
)

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


def open_references(qtbot, window, name: str) -> list[list[list[str]]]:
    """Select `name`, press its References button; the dialog's groups of rows (number,
    words, link), as the tree shows them."""
    select(qtbot, window, name)
    button = next(
        b for b in window.detail.findChildren(QPushButton) if b.text().startswith("References (29)")
    )
    found: list[list[list[str]]] = []

    def check(dialog):
        tree = dialog.findChild(QTreeWidget, "referencesList")
        root = tree.invisibleRootItem()
        tops = [root.child(i) for i in range(root.childCount())]
        if all(top.childCount() for top in tops):  # grouped: cited, then the rest
            found.extend(
                [[top.child(j).text(c) for c in range(3)] for j in range(top.childCount())]
                for top in tops
            )
        else:
            found.append([[top.text(c) for c in range(3)] for top in tops])

    timer = answer_dialog(qtbot, check)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    timer.stop()
    return found


def test_the_scrapes_references_are_reachable_from_the_detail_panel(qtbot, window):
    # George Gamow's row cites none of them: the whole list, in its order.
    (rows,) = open_references(qtbot, window, "George Gamow")
    assert len(rows) == 29
    assert rows[0] == ["1", "Dowty 1989, p. 69", ""]


def test_the_references_a_row_cites_come_first_with_their_link_apart(qtbot, window):
    # The scrape lists "The Independenthttp://www.independent.co.uk/.../professor-grigori-
    # tokaty-37520.html": the obituary of Grigori Tokaty, whose row is in the scrape.
    cited, rest = open_references(qtbot, window, "Grigori Tokaty")
    assert cited == [
        [
            "12",
            "The Independent",
            "http://www.independent.co.uk/news/obituaries/professor-grigori-tokaty-37520.html",
        ]
    ]
    assert len(rest) == 28 and [r[0] for r in rest][:3] == ["1", "2", "3"]
    glued = [r for r in rest if r[2].startswith("http")]
    assert glued and all("http" not in words for _n, words, _url in glued)


def test_only_http_links_open(qtbot, catalog, monkeypatch):
    dialog = ReferencesDialog(catalog, "wikipedia-scrape")
    qtbot.addWidget(dialog)
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    tree = dialog.tree
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    listed = [item for item in items if item is not None]
    with_link = next(item for item in listed if item.text(2).startswith("http"))
    tree.setCurrentItem(with_link)
    assert dialog.open_button.isEnabled()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert [u.toString() for u in opened] == [with_link.text(2)]
    # A reference whose "link" is a local file or a script opens nothing.
    for text in ("file:///etc/passwd", "javascript:alert(1)", "http://"):
        with_link.setData(0, Qt.ItemDataRole.UserRole, text)
        assert safe_link(with_link) is None
        assert not dialog.open_link(with_link)
    without = listed[0]
    assert without.text(2) == ""
    tree.setCurrentItem(without)
    assert not dialog.open_button.isEnabled()
    assert len(opened) == 1
