"""A real main window on the real catalog, with its settings in a throw-away file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from app.gui.main_window import MainWindow


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


def row_of(window: MainWindow, name: str) -> int:
    position = next(i for i, r in enumerate(window.catalog.records) if r.name == name)
    row = window.model.row_of_position(position)
    assert row is not None, f"{name} is not shown"
    return row
