"""A real main window on the real catalog, with its settings in a throw-away file."""

from __future__ import annotations

import pytest
from defectors_catalog.gui.main_window import MainWindow
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QTreeView

# A small plain-rows list to add as one's own source: two new people, one already in
# the fan wiki, and a line with no year.
ROWS = ("Defector Profession/\nCountry Year Notes\n"
        "Anna Kovács dancer Hungary 1956 Fled to Vienna\n"
        "Tünde Fejér ballet Hungary 1955 Defected to France\n"
        "garbled line without a year\n"
        "Jan Nowak pilot Poland 1953 Flew to Bornholm\n")  # fmt: skip


@pytest.fixture
def message_boxes(monkeypatch) -> list[QMessageBox]:
    """Every message box the app shows, answered at once with Close instead of waiting.

    Each one must show its text as plain text: it may quote a file's name or words."""
    shown: list[QMessageBox] = []

    def answer(box: QMessageBox) -> int:
        assert box.textFormat() == Qt.TextFormat.PlainText, box.text()
        shown.append(box)
        return QMessageBox.StandardButton.Close.value

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return shown


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, catalog, settings) -> MainWindow:
    window = MainWindow(catalog, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def tick(qtbot, window: MainWindow, facet: str, value: str) -> None:
    """Click the facet value in the sidebar as a person would: open its section and
    "Show all" first when the value is not in sight."""
    tree, model = window.filters.tree, window.filters.tree_model
    section = model.section_index(facet)
    if not tree.isExpanded(section):
        click_row(qtbot, tree, section)
    if not model.value_index(facet, value).isValid():
        click_row(qtbot, tree, model.more_index(facet))
    click_row(qtbot, tree, model.value_index(facet, value))


def click_row(qtbot, tree: QTreeView, index: QModelIndex) -> None:
    assert index.isValid()
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )


def row_of(window: MainWindow, name: str) -> int:
    position = next(i for i, r in enumerate(window.catalog.records) if r.name == name)
    row = window.records.model.row_of_position(position)
    assert row is not None, f"{name} is not shown"
    return row


@pytest.fixture
def memoir(tmp_path):
    path = tmp_path / "emigre-memoir.txt"
    path.write_text(ROWS, encoding="utf-8")
    return path
