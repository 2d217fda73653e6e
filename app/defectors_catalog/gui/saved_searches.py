"""Saved searches at the top of the sidebar: a compact list of the names the person gave
to a search (its text, filters, sort and columns), kept in the verdicts' database.

Enter (or a double click) opens one, F2 renames it, Delete deletes it (after asking,
with an Undo button until the next act); the context menu also updates one with the
search shown now. Ctrl+S in the window asks a name and saves (`save_current`). Names
come from a database, so they are shown as plain text, tooltips included. A mistake (a
name taken, a database that refuses writes) is one line in a message box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.annotations.model import AnnotationError
from defectors_catalog.domain.annotations.store import AnnotationStore
from defectors_catalog.domain.annotations.views import SavedView
from defectors_catalog.gui.plain_text import plain_label, plain_tooltip, tell

logger = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
ROWS_SHOWN = 5  # the list's height, in rows, before it scrolls: the facets stay in sight
TITLE = "Saved searches"


def ask_name(parent: QWidget, title: str, label: str, text: str) -> str | None:
    """A name typed by the person (None when they cancel)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    return dialog.textValue() if dialog.exec() else None


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Whether the person agrees (a Yes/No box, No the default), shown as plain text."""
    box = QMessageBox(QMessageBox.Icon.Question, title, "", QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes.value


class SavedSearchModel(QAbstractListModel):
    """Holds the saved searches as the store last read them, by name."""

    def __init__(self) -> None:
        super().__init__()
        self.views: tuple[SavedView, ...] = ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.views)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.views):
            return None
        view = self.views[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return view.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{view.name}\n{view.summary()}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Saved search {view.name}: {view.summary()}"
        if role == Qt.ItemDataRole.UserRole:
            return view.name
        return None

    def set_views(self, views: Sequence[SavedView]) -> None:
        views = tuple(views)
        if views == self.views:
            return
        self.beginResetModel()
        self.views = views
        self.endResetModel()

    def row_of(self, name: str) -> int | None:
        folded = name.casefold()
        return next((i for i, v in enumerate(self.views) if v.name.casefold() == folded), None)


class SavedSearchList(QListView):
    """The list's keys: Enter opens, F2 renames, Delete deletes."""

    openPressed = Signal()
    renamePressed = Signal()
    deletePressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.openPressed.emit()
        elif key == Qt.Key.Key_F2:
            self.renamePressed.emit()
        elif key == Qt.Key.Key_Delete:
            self.deletePressed.emit()
        else:
            super().keyPressEvent(event)


class SavedSearches(QWidget):
    """The sidebar's saved-searches section: the store, its list, the name of the search
    opened or saved last (`open_name`, prefilled by Ctrl+S), the search deleted last
    (until Undo or the next act), and `current(name)`, the window's search as a view.

    `openRequested(view)` asks the window to apply a saved search; `told(text)` is a
    line for the status bar."""

    openRequested = Signal(object)
    told = Signal(str)

    def __init__(self, store: AnnotationStore, current: Callable[[str], SavedView]) -> None:
        super().__init__()
        self.setObjectName("savedSearches")
        self.setAccessibleName(TITLE)
        self.store = store
        self.current = current
        self.open_name = ""
        self.deleted: SavedView | None = None

        self.title = plain_label(TITLE)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.model = SavedSearchModel()
        self.list = SavedSearchList()
        self.list.setObjectName("savedSearchList")
        self.list.setModel(self.model)
        self.list.setAccessibleName(TITLE)
        self.list.setAccessibleDescription(
            "Enter opens a saved search, F2 renames it, Delete deletes it; Ctrl+S saves "
            "the search shown now"
        )
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.activated.connect(lambda _index: self.open_current())
        self.list.openPressed.connect(self.open_current)
        self.list.renamePressed.connect(self.rename_current)
        self.list.deletePressed.connect(self.delete_current)
        self.hint = plain_label(
            "Ctrl+S saves the search and filters shown, under a name.", wrap=True
        )
        self.hint.setObjectName("savedSearchHint")
        self.hint.setEnabled(False)  # drawn muted, in any palette
        self.undo_button = QPushButton("Undo delete")
        self.undo_button.setObjectName("undoDeleteSearch")
        self.undo_button.setAccessibleName("Undo deleting the saved search")
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_button.hide()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title, 1)
        top.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.reload()

    # -- showing -------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the saved searches as the store holds them now (after a refresh)."""
        name = self.selected_name()
        self.model.set_views(self.store.views)
        count = self.model.rowCount()
        self.list.setVisible(count > 0)
        self.hint.setVisible(count == 0)
        rows = min(max(count, 1), ROWS_SHOWN)
        frame = 2 * self.list.frameWidth()
        self.list.setFixedHeight(rows * self.list.sizeHintForRow(0) + frame if count else 0)
        self.title.setText(f"{TITLE} ({count})" if count else TITLE)
        if name:
            self.select(name)

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))

    def selected_name(self) -> str:
        index = self.list.currentIndex()
        return str(index.data(Qt.ItemDataRole.UserRole)) if index.isValid() else ""

    # -- acts ----------------------------------------------------------------------------

    def save_current(self) -> bool:
        """Ctrl+S: ask a name (the open search's, if one is) and save the search shown
        under it; the open search's own name updates it. True when saved."""
        name = ask_name(
            self, "Save search", "Save the search and filters shown as:", self.open_name
        )
        if name is None:
            return False
        same = bool(self.open_name) and name.strip().casefold() == self.open_name.casefold()
        try:
            saved = self.store.save_view(self.current(name), replace=same)
        except AnnotationError as exc:
            self._refused(exc)
            return False
        self._forget_deleted()
        self.open_name = saved.name
        self.reload()
        self.select(saved.name)
        self.told.emit(f"Saved the search \u201c{saved.name}\u201d")
        return True

    def open_current(self) -> None:
        name = self.selected_name()
        if name:
            self.open(name)

    def open(self, name: str) -> None:
        try:
            view = self.store.view(name)
        except AnnotationError as exc:
            self._refused(exc)
            return
        self._forget_deleted()
        self.open_name = view.name
        self.openRequested.emit(view)
        self.told.emit(f"Opened the saved search \u201c{view.name}\u201d")

    def update_current(self) -> None:
        """Overwrite the selected saved search with the search shown now."""
        name = self.selected_name()
        if not name:
            return
        try:
            saved = self.store.save_view(self.current(name), replace=True)
        except AnnotationError as exc:
            self._refused(exc)
            return
        self._forget_deleted()
        self.open_name = saved.name
        self.reload()
        self.told.emit(f"Updated the saved search \u201c{saved.name}\u201d")

    def rename_current(self) -> None:
        old = self.selected_name()
        if not old:
            return
        new = ask_name(self, "Rename saved search", f"New name for \u201c{old}\u201d:", old)
        if new is None or new == old:
            return
        try:
            self.store.rename_view(old, new)
        except AnnotationError as exc:
            self._refused(exc)
            return
        self._forget_deleted()
        renamed = self.store.view(new).name
        if self.open_name.casefold() == old.casefold():
            self.open_name = renamed
        self.reload()
        self.select(renamed)
        self.told.emit(f"Renamed \u201c{old}\u201d to \u201c{renamed}\u201d")

    def delete_current(self) -> None:
        name = self.selected_name()
        if not name:
            return
        if not confirm(self, "Delete saved search", f"Delete the saved search \u201c{name}\u201d?"):
            return
        try:
            view = self.store.view(name)
            self.store.delete_view(name)
        except AnnotationError as exc:
            self._refused(exc)
            return
        self.deleted = view
        if self.open_name.casefold() == name.casefold():
            self.open_name = ""
        self.reload()
        self.undo_button.setToolTip(plain_tooltip(f"Bring back \u201c{view.name}\u201d") or "")
        self.undo_button.setAccessibleName(f"Undo deleting the saved search {view.name}")
        self.undo_button.show()
        self.told.emit(
            f"Deleted the saved search \u201c{view.name}\u201d \u00b7 Undo delete brings it back"
        )

    def undo_delete(self) -> None:
        view, self.deleted = self.deleted, None
        self.undo_button.hide()
        if view is None:
            return
        try:
            saved = self.store.save_view(view)
        except AnnotationError as exc:
            self._refused(exc)
            return
        self.reload()
        self.select(saved.name)
        self.told.emit(f"Brought back the saved search \u201c{saved.name}\u201d")

    def _forget_deleted(self) -> None:
        self.deleted = None
        self.undo_button.hide()

    def _refused(self, exc: AnnotationError) -> None:
        logger.warning("saved search: %s", exc)
        tell(self, QMessageBox.Icon.Warning, TITLE, _sentence(str(exc)))

    def _menu(self, point: QPoint) -> None:
        index = self.list.indexAt(point)
        menu = QMenu(self.list)
        if index.isValid():
            self.list.setCurrentIndex(index)
            menu.addAction("&Open", self.open_current)
            menu.addAction("&Update with the search shown", self.update_current)
            menu.addAction("&Rename\u2026", self.rename_current)
            menu.addAction("&Delete\u2026", self.delete_current)
            menu.addSeparator()
        menu.addAction("&Save the search shown\u2026", self.save_current)
        menu.exec(self.list.viewport().mapToGlobal(point))
        menu.deleteLater()


def _sentence(text: str) -> str:
    """A message from the domain ("a saved search is already called 'x'") as a sentence."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
