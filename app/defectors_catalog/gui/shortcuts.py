"""Window shortcuts that work wherever the focus is, and the list Help shows of them.

A line edit claims some keys before any window shortcut sees them (on X11, Ctrl+E is
"end of line" and Ctrl+Z the line's own undo), so Ctrl+E from the search box did
nothing. `ShortcutGuard` tells such widgets not to claim the window's keys.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Keys that are not menu actions but that people should know (shown after the actions).
KEYS_WITHOUT_ACTIONS = (
    ("Tab / Shift+Tab", "Move between the search box, filters, table and details"),
    ("Up / Down, Page Up / Page Down", "Move through the records"),
    ("Space or Enter (in the filters)", "Tick or untick the value"),
    ("Left / Right (in the filters)", "Close or open a section"),
    ("Shift+click, Ctrl+click", "Select several records (export or copy only those)"),
)


class ShortcutGuard(QObject):
    """Event filter: `keys` pressed in the watched widget go to the window's actions."""

    def __init__(self, keys: Iterable[QKeySequence], parent: QObject) -> None:
        super().__init__(parent)
        self.keys = {key.toString() for key in keys if not key.isEmpty()}

    def watch(self, widget: QObject) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination()).toString()
            if pressed in self.keys:
                # Left unaccepted, the override lets the shortcut map fire the action.
                return True
        return False


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action with a shortcut, then the other keys."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in actions:
        keys = ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
        )
        what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        what = what.removesuffix("\u2026")
        if keys and (keys, what) and keys not in seen:
            seen.add(keys)
            rows.append((keys, what))
    return [*rows, *KEYS_WITHOUT_ACTIONS]


class ShortcutsDialog(QDialog):
    """Help → Keyboard shortcuts: a read-only table of every shortcut."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName("Shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, min(640, 80 + 26 * len(rows)))
