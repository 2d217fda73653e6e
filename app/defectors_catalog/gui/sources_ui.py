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
from defectors_catalog.gui.plain_text import plain_label, tell

if TYPE_CHECKING:
    from defectors_catalog.gui.background import BackgroundTask

logger = logging.getLogger(__name__)


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
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        body = QPlainTextEdit(text)
        body.setReadOnly(True)
        body.setObjectName("reportText")
        body.setMinimumSize(640, 320)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(body)
        layout.addWidget(buttons)


class ManageSourcesDialog(QDialog):
    """Lists every source; added ones can be renamed, re-rated or removed."""

    def __init__(self, catalog: Catalog, store: UserSourceStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Sources")
        self.catalog, self.store = catalog, store
        self.changed = False
        self.added = {spec.id for spec in store.load().specs}
        # The catalog also holds the added sources; only the others are bundled.
        self.bundled = [s for s in catalog.sources if s.id not in self.added]
        self.list = QListWidget()
        self.list.setAccessibleName("Sources")
        self.rename_button = QPushButton("Rename\u2026")
        self.rate_button = QPushButton("Toggle reliability")
        self.remove_button = QPushButton("Remove")
        for button, slot in ((self.rename_button, self.rename), (self.rate_button, self.rerate),
                             (self.remove_button, self.remove)):  # fmt: skip
            button.clicked.connect(slot)
        self.list.currentRowChanged.connect(self._update_buttons)
        row = QHBoxLayout()
        for button in (self.rename_button, self.rate_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Bundled sources cannot be removed; the ones you added can."))
        layout.addWidget(self.list)
        layout.addLayout(row)
        layout.addWidget(close)
        self.setMinimumWidth(560)
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        specs = {s.id: s for s in self.bundled}
        for spec in self.store.load().specs:
            specs[spec.id] = spec
        for spec in specs.values():
            kind = "added" if spec.id in self.added else "bundled"
            item = QListWidgetItem(f"{spec.title} \u2014 {spec.reliability.value}, {kind}")
            item.setData(256, spec.id)
            self.list.addItem(item)
        self._update_buttons()

    def _current(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(256))

    def _update_buttons(self) -> None:
        editable = self._current() in self.added
        for button in (self.rename_button, self.rate_button, self.remove_button):
            button.setEnabled(editable)

    def _apply(self, change: Callable[[str], object]) -> None:
        source_id = self._current()
        if source_id is None or source_id not in self.added:
            return
        try:
            change(source_id)
        except CatalogError as exc:
            tell(self, QMessageBox.Icon.Warning, "Sources", str(exc))
            return
        self.changed = True
        self.added = {spec.id for spec in self.store.load().specs}
        self._fill()

    def rename(self) -> None:
        source_id = self._current()
        if source_id is None:
            return
        title, ok = QInputDialog.getText(self, "Rename source", "Title:")
        if ok and title.strip():
            self._apply(lambda sid: self.store.update(sid, title=title))

    def rerate(self) -> None:
        specs = {s.id: s for s in self.store.load().specs}
        self._apply(lambda sid: self.store.update(sid, reliable=not specs[sid].reliable))

    def remove(self) -> None:
        self._apply(self.store.remove)


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
