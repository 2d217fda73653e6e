"""Markup in a source is shown as the characters it is, in every tooltip, label and box.

A source's notes, title and file name holding `<img src=file:///etc/passwd>`, twenty
nested tables and a 20,000-pixel image are put through every view of the window; no
tooltip, label or message box may hand them to Qt as markup.
"""

from __future__ import annotations

import pytest
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.add_source_dialog import AddSourceDialog
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.plain_text import (
    TOOLTIP_CHARACTERS,
    is_plain_tooltip,
    plain_tooltip,
)
from defectors_catalog.gui.session import Session
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication, QLabel, QToolTip, QWidget

FILE_IMAGE = "<img src=file:///etc/passwd>"
TABLES = "<table><tr><td>" * 20
HUGE_IMAGE = "<img width=20000 height=20000 src=x.png>"
MARKUP = FILE_IMAGE + TABLES + HUGE_IMAGE
# A second listing of a person the seeds list, so the conflicts comparison shows it.
ROWS = (
    "| Name | Profession | Country | Year | Notes |\n|---|---|---|---|---|\n"
    f"| George Balanchine | {FILE_IMAGE} | Russia | 1924 | {MARKUP} and a long note after it |\n"
    f"| Anna Kovacs | Dancer | Hungary | 1956 | {HUGE_IMAGE} {TABLES} Fled to Vienna in a lorry |\n"
)  # fmt: skip
TITLE = f"{FILE_IMAGE}{TABLES} list"


@pytest.fixture
def hostile(tmp_path) -> tuple[Catalog, UserSourceStore]:
    path = tmp_path / f"{HUGE_IMAGE}.md"
    path.write_text(ROWS, encoding="utf-8")
    store = UserSourceStore(tmp_path / "data" / "sources")
    store.add(path, TITLE, False, "pipe-table", [])
    return load_catalog(added=store.load().specs), store


def every_tooltip(model: QAbstractItemModel) -> list[str]:
    tips = []
    rows = model.rowCount(QModelIndex())
    # A list model's columnCount is private in PySide6: it has the one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for row in range(rows):
        for column in range(columns):
            tips.append(model.index(row, column).data(Qt.ItemDataRole.ToolTipRole))
    for orientation, count in ((Qt.Orientation.Horizontal, columns),
                               (Qt.Orientation.Vertical, rows)):  # fmt: skip
        tips += [
            model.headerData(s, orientation, Qt.ItemDataRole.ToolTipRole) for s in range(count)
        ]
    return [tip for tip in tips if tip]


def assert_labels_plain(top: QWidget) -> None:
    for label in top.findChildren(QLabel):
        text = label.text()
        if label.textFormat() != Qt.TextFormat.PlainText:
            # Only the app's own words may go without PlainText, and never as markup.
            assert not GuiQt.mightBeRichText(text) and "<" not in text, text


def assert_widget_tooltips_plain(top: QWidget) -> None:
    for widget in [top, *top.findChildren(QWidget)]:
        assert is_plain_tooltip(widget.toolTip()) or not widget.toolTip(), widget.toolTip()


def test_every_tooltip_and_label_shows_source_markup_as_text(qtbot, hostile, settings):
    catalog, _store = hostile
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    balanchine = next(
        p for p, r in enumerate(catalog.records)
        if r.name == "George Balanchine" and len(r.entries) > 2
    )  # fmt: skip
    window.cross_checking.open(2)
    conflicts = window.cross_checking.conflicts
    conflicts.comparison.set_record(catalog.records[balanchine])
    window.detail.show_record(balanchine)
    overview = window.cross_checking.overview
    models = [
        window.records.model,
        *window.filters.models.values(),
        overview.sources_model,
        overview.overlap_model,
        overview.pairwise_model,
        conflicts.conflicts,
        conflicts.comparison,
        conflicts.candidates,
    ]
    tips = [tip for model in models for tip in every_tooltip(model)]
    tree = window.filters.tree_model  # the sidebar: every value of every section
    sections = [tree.index(row, 0) for row in range(tree.rowCount())]
    tree_tips = [
        tree.index(row, column, section).data(Qt.ItemDataRole.ToolTipRole)
        for section in sections for row in range(tree.rowCount(section)) for column in (0, 1)
    ]  # fmt: skip
    assert any("&lt;img" in (tip or "") for tip in tree_tips), tree_tips
    tips += [tip for tip in tree_tips if tip]
    hostile_tips = [tip for tip in tips if "&lt;img" in tip]
    # The markup reached the table, the sources facet, the overview (title, origin) and
    # the comparison: each shown escaped.
    assert len(hostile_tips) >= 5, tips
    for tip in tips:
        assert is_plain_tooltip(tip), tip
        assert "<img" not in tip and "<table" not in tip
    assert_widget_tooltips_plain(window)
    assert_labels_plain(window)
    badges = [w for w in window.detail.findChildren(QLabel) if "&lt;img" in w.toolTip()]
    assert badges, "the added source's badge carries its title as a tooltip"


def test_a_hovered_tooltip_is_a_small_text_not_a_huge_image(qtbot, hostile, settings):
    catalog, _store = hostile
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    model = window.records.model
    position = next(p for p, r in enumerate(catalog.records) if r.name == "Anna Kovacs")
    row = model.row_of_position(position)
    assert row is not None
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    tip = model.index(row, column.index("Notes")).data(Qt.ItemDataRole.ToolTipRole)
    QToolTip.showText(window.mapToGlobal(QPoint(50, 50)), tip, window)
    qtbot.waitUntil(QToolTip.isVisible)
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label"]
    assert shown and shown[0].isVisible()
    label = shown[0]
    assert isinstance(label, QLabel)
    assert label.width() < 2000 and label.height() < 2000, label.size()
    assert "<img width=20000" in label.text() or "&lt;img width=20000" in label.text()
    QToolTip.hideText()


def test_plain_tooltip_escapes_breaks_lines_and_cuts_long_text():
    assert plain_tooltip("") is None and plain_tooltip(None) is None
    tip = plain_tooltip("a <b>bold</b> & co\nsecond line")
    assert tip == "<qt>a &lt;b&gt;bold&lt;/b&gt; &amp; co<br>second line</qt>"
    assert GuiQt.mightBeRichText(tip)  # shown as the markup made here, and only that
    long = plain_tooltip("x" * 10_000_000)
    assert (
        long is not None and len(long) < TOOLTIP_CHARACTERS * 1.1 and long.endswith("\u2026</qt>")
    )
    many = plain_tooltip("line\n" * 1000)
    assert many is not None and many.count("<br>") < 30
    assert not is_plain_tooltip(FILE_IMAGE) and is_plain_tooltip("Sort by name")


def test_the_add_dialog_shows_a_hostile_file_name_as_text(qtbot, hostile, tmp_path):
    catalog, _store = hostile
    # A file name holds no "/" (no file:///) and at most 255 bytes.
    name = f"{HUGE_IMAGE}{TABLES[:150]}.md"
    path = tmp_path / name
    path.write_text(ROWS, encoding="utf-8")
    dialog = AddSourceDialog(catalog, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.shown is not None and not dialog.busy, timeout=20_000)
    names = [label for label in dialog.findChildren(QLabel) if name in label.text()]
    assert names, "the file's name is shown"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in names)
    assert_labels_plain(dialog)
    assert_widget_tooltips_plain(dialog)


def test_a_problem_naming_markup_is_a_plain_text_message(qtbot, tmp_path, settings, message_boxes):
    store = UserSourceStore(tmp_path / "data" / "sources")
    source = tmp_path / "list.md"
    source.write_text(ROWS, encoding="utf-8")
    spec = store.add(source, TITLE, False, "pipe-table", [])
    spec.path.unlink()  # the copy goes missing: the start reports the source by title
    session = Session(store, (), settings)
    window = session.open()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(message_boxes))
    assert FILE_IMAGE in message_boxes[0].text()  # the fixture checked it is plain text


def test_a_progress_stage_naming_a_source_title_is_plain_text(qtbot):
    from defectors_catalog.domain.progress import Progress
    from defectors_catalog.gui.background import BackgroundTask, ProgressPanel

    def work(progress: Progress) -> None:
        progress.stage(f"Reading {TITLE}")

    task = BackgroundTask(work, None, name="hostile stage")
    panel = ProgressPanel(task)
    qtbot.addWidget(panel)
    task.start()
    qtbot.waitUntil(lambda: FILE_IMAGE in panel.label.text())
    assert panel.label.textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: task.finished)
