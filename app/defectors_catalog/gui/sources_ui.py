"""Adding, renaming, re-rating and removing the person's own sources from the window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError, SourceReadError
from defectors_catalog.domain.model import SourceSpec
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.reading import open_regular_file
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.host import Host
from defectors_catalog.gui.last_folder import ADD_SOURCE, remember, start_folder
from defectors_catalog.gui.plain_text import plain_label, plain_message_box, tell

if TYPE_CHECKING:
    from defectors_catalog.gui.background import BackgroundTask

logger = logging.getLogger(__name__)
_SOURCE_ID = Qt.ItemDataRole.UserRole


def _not_a_file(path: Path) -> str:
    """Why `path` cannot be added before anything is read ("" if it may be): a FIFO,
    a device or a socket is refused at once; the open never waits (O_NONBLOCK)."""
    try:
        open_regular_file(path).close()
    except SourceReadError as exc:
        return str(exc)
    except OSError as exc:
        return f"{path}: cannot read ({exc.strerror or exc})"
    return ""


class ReportDialog(QDialog):
    """A report (what adding a source read, merged and skipped) as read-only text."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        body = QPlainTextEdit(text)
        body.setReadOnly(True)
        body.setObjectName("reportText")
        body.setAccessibleName(title)
        body.setMinimumSize(640, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(body)
        layout.addWidget(buttons)


class ManageSourcesDialog(QDialog):
    """Lists every source; added ones can be renamed, re-rated or removed.

    Holds the catalog's sources, the store of added ones, and the removals asked for
    (`pending`): a removal is confirmed, then held until the dialog closes, so Undo
    takes it back with nothing lost (removing deletes the app's copy of the file).
    `changed` says whether the store changed (the window then rebuilds the catalog).
    """

    def __init__(self, catalog: Catalog, store: UserSourceStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Manage sources")
        self.catalog, self.store = catalog, store
        self.changed = False
        self.pending: list[SourceSpec] = []
        self.added = {spec.id for spec in store.load().specs}
        # The catalog also holds the added sources; only the others are bundled.
        self.bundled = [s for s in catalog.sources if s.id not in self.added]
        self.list = QListWidget()
        self.list.setAccessibleName("Sources")
        self.list.setAccessibleDescription(
            "Every source with its reliability; the ones you added can be changed"
        )
        self.rename_button = QPushButton("&Rename\u2026")
        self.rate_button = QPushButton("Toggle &reliability")
        self.remove_button = QPushButton("Re&move\u2026")
        self.undo_button = QPushButton("&Undo remove")
        for button, description in (
            (self.rename_button, "Give the chosen source another title"),
            (self.rate_button, "Mark the chosen source reliable or unreliable"),
            (self.remove_button, "Remove the chosen source from the catalog, after asking"),
            (self.undo_button, "Keep the source last removed"),
        ):
            button.setAccessibleDescription(description)
        for button, slot in ((self.rename_button, self.rename), (self.rate_button, self.rerate),
                             (self.remove_button, self.remove),
                             (self.undo_button, self.undo_remove)):  # fmt: skip
            button.clicked.connect(slot)
        self.list.currentRowChanged.connect(self._update_buttons)
        row = QHBoxLayout()
        for button in (self.rename_button, self.rate_button, self.remove_button, self.undo_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.explanation = plain_label(
            f"The {len(self.bundled)} bundled sources come with the app: every catalog is "
            "built on them and checked against them, so they cannot be renamed, re-rated or "
            "removed. The sources you added can be; removing one deletes the app's copy of "
            "it (the file you added it from is not touched).",
            wrap=True,
        )
        self.explanation.setObjectName("manageExplanation")
        self.state = plain_label(wrap=True)
        self.state.setObjectName("manageState")
        self.state.setAccessibleName("About the chosen source")
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.list)
        layout.addWidget(self.state)
        layout.addLayout(row)
        layout.addWidget(close)
        self.setMinimumWidth(600)
        self._fill()

    def _fill(self) -> None:
        current = self._current()
        self.list.clear()
        specs = {s.id: s for s in self.bundled}
        for spec in self.store.load().specs:
            specs[spec.id] = spec
        removed = {spec.id for spec in self.pending}
        for spec in specs.values():
            kind = "added" if spec.id in self.added else "bundled"
            text = f"{spec.title} \u2014 {spec.reliability.value}, {kind}"
            if spec.id in removed:
                text += " \u2014 to be removed"
            item = QListWidgetItem(text)
            item.setData(_SOURCE_ID, spec.id)
            if spec.id in removed:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
            self.list.addItem(item)
            if spec.id == current:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def _current(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(_SOURCE_ID))

    def _current_title(self) -> str:
        item = self.list.currentItem()
        source_id = self._current()
        specs = {s.id: s for s in (*self.bundled, *self.store.load().specs)}
        if item is None or source_id not in specs:
            return ""
        return specs[source_id].title

    def _update_buttons(self) -> None:
        source_id = self._current()
        removed = source_id in {spec.id for spec in self.pending}
        editable = source_id in self.added and not removed
        for button in (self.rename_button, self.rate_button, self.remove_button):
            button.setEnabled(editable)
        self.undo_button.setEnabled(bool(self.pending))
        if source_id is None:
            self.state.setText("Choose a source to rename, re-rate or remove it.")
        elif removed:
            self.state.setText("Removed when this dialog closes; Undo remove keeps it.")
        elif source_id in self.added:
            self.state.setText("Added by you: it can be renamed, re-rated or removed.")
        else:
            self.state.setText("Bundled with the app: it cannot be renamed, re-rated or removed.")

    def _apply(self, change: Callable[[str], object]) -> None:
        source_id = self._current()
        if source_id is None or source_id not in self.added:
            return
        try:
            change(source_id)
        except CatalogError as exc:
            tell(self, QMessageBox.Icon.Warning, "Manage sources", str(exc))
            return
        self.changed = True
        self.added = {spec.id for spec in self.store.load().specs}
        self._fill()

    def ask_title(self, current: str) -> str | None:
        """The new title the person types (the current one to start from), or None."""
        ask = QInputDialog(self)
        ask.setWindowTitle("Rename source")
        ask.setInputMode(QInputDialog.InputMode.TextInput)
        ask.setLabelText(f"New title for \u201c{current}\u201d:")
        # The label quotes a title from a file: shown as the characters it is.
        for label in ask.findChildren(QLabel):
            label.setTextFormat(Qt.TextFormat.PlainText)
        ask.setTextValue(current)
        ask.setOkButtonText("Rename")
        ask.setMinimumWidth(460)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return None
        title = ask.textValue().strip()
        return title if title and title != current else None

    def rename(self) -> None:
        if self._current() not in self.added:
            return
        title = self.ask_title(self._current_title())
        if title is not None:
            self._apply(lambda sid: self.store.update(sid, title=title))

    def rerate(self) -> None:
        specs = {s.id: s for s in self.store.load().specs}
        self._apply(lambda sid: self.store.update(sid, reliable=not specs[sid].reliable))

    def confirm_removal(self, title: str) -> bool:
        box = plain_message_box(
            self,
            QMessageBox.Icon.Question,
            "Remove source",
            f"Remove \u201c{title}\u201d from the catalog?\n\nIts records and provenance "
            "go with it, and the app's copy of the file is deleted when this dialog closes "
            "(the file you added it from is not touched). Until then, Undo remove keeps it.",
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        if yes is not None:
            yes.setText("Remove")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return bool(box.exec() == QMessageBox.StandardButton.Yes.value)

    def remove(self) -> None:
        source_id = self._current()
        if source_id is None or source_id not in self.added:
            return
        spec = next((s for s in self.store.load().specs if s.id == source_id), None)
        if spec is None or spec in self.pending or not self.confirm_removal(spec.title):
            return
        self.pending.append(spec)
        self._fill()

    def undo_remove(self) -> None:
        """Keep the source removed last (nothing was deleted yet)."""
        if self.pending:
            self.pending.pop()
            self._fill()

    def done(self, result: int) -> None:
        # The removals confirmed and not taken back happen now, once.
        for spec in self.pending:
            self.list.setCurrentRow(-1)
            try:
                self.store.remove(spec.id)
            except CatalogError as exc:
                tell(self, QMessageBox.Icon.Warning, "Manage sources", str(exc))
                continue
            self.changed = True
        self.pending = []
        super().done(result)


class SourcesController:
    """Connects the window's Add/Manage/drop to the store, then asks for a rebuild."""

    def __init__(self, host: Host, store: UserSourceStore) -> None:
        self.host, self.store = host, store
        self.adding: BackgroundTask | None = None  # the copy into the store, under way

    def choose_and_add(self) -> None:
        # The registry names every layout's extensions; imported on first use, as the
        # dialog is.
        from defectors_catalog.domain.sources.layouts import file_filters

        settings = self.host.settings
        chosen, _ = QFileDialog.getOpenFileName(
            self.host.dialog_parent(), "Add a source",
            str(start_folder(settings, ADD_SOURCE)), ";;".join(file_filters()),
        )  # fmt: skip
        if chosen:
            remember(settings, ADD_SOURCE, Path(chosen))
            self.add(Path(chosen))

    def add(self, path: Path) -> None:
        # Imported on first use: the dialog brings in every parser, which the window
        # does not need to open.
        from defectors_catalog.gui.add_source_dialog import AddSourceDialog
        from defectors_catalog.gui.background import BackgroundTask

        host, store = self.host, self.store
        refused = _not_a_file(path)
        if refused:
            self._not_added(refused)
            return
        if self.adding is not None:
            host.statusBar().showMessage("A source is being added; try again in a moment", 5000)
            return
        dialog = AddSourceDialog(host.catalog, path, host.dialog_parent())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options
        title, reliable, layout = dialog.title.text(), dialog.is_reliable, dialog.chosen_layout
        taken = tuple(s.id for s in host.catalog.sources)
        listed = host.catalog.sources

        # The copy reads the whole file (up to the 64 MB limit) and hashes it against
        # every listed source: on a worker thread, so a big or slow file never stops
        # the window.
        def copy(_progress: Progress) -> SourceSpec:
            return store.add(
                path, title, reliable, layout, taken, listed=listed,
                encoding=options.encoding, sheet=options.sheet, columns=options.columns,
            )  # fmt: skip

        task = BackgroundTask(copy, host.dialog_parent(), name="add source")
        queued = Qt.ConnectionType.QueuedConnection
        task.succeeded.connect(lambda spec: self._added(spec, path), queued)
        task.failed.connect(lambda message: self._not_added(message), queued)
        task.cancelled.connect(lambda: self._finish_adding(), queued)
        self.adding = task
        host.statusBar().showMessage(f"Adding {path.name}\u2026", 0)
        task.start()

    def _finish_adding(self) -> None:
        if self.adding is not None:
            self.adding.release()
        self.adding = None

    def _not_added(self, message: str) -> None:
        self._finish_adding()
        self.host.statusBar().clearMessage()
        tell(
            self.host.dialog_parent(),
            QMessageBox.Icon.Critical,
            "Add source",
            f"The source was not added: {message}",
        )

    def _added(self, spec: SourceSpec, path: Path) -> None:
        from defectors_catalog.domain.output.parse_report import parse_report

        self._finish_adding()
        host, store = self.host, self.store
        logger.info("added source %s (%s) from %s", spec.id, spec.title, path)

        # Neither closure holds this controller or its window: they outlive both.
        def report(new: Host) -> None:
            if spec.id in new.catalog.parses:
                ReportDialog(f"Added: {spec.title}", parse_report(new.catalog, spec.id),
                             new.dialog_parent()).exec()  # fmt: skip

        host.request_rebuild(report, lambda: store.remove(spec.id))

    def manage(self) -> None:
        dialog = ManageSourcesDialog(self.host.catalog, self.store, self.host.dialog_parent())
        dialog.exec()
        if dialog.changed:
            logger.info("sources changed in Manage sources")
            self.host.request_rebuild()
