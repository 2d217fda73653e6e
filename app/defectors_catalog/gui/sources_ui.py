"""Adding, renaming, re-rating and removing the person's own sources from the window."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

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
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.host import Host

logger = logging.getLogger(__name__)


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
        layout.addWidget(QLabel("Bundled sources cannot be removed; the ones you added can."))
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
            QMessageBox.warning(self, "Sources", str(exc))
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

    def choose_and_add(self) -> None:
        # The registry names every layout's extensions; imported on first use, as the
        # dialog is.
        from defectors_catalog.domain.sources.layouts import file_filters

        chosen, _ = QFileDialog.getOpenFileName(
            self.host.dialog_parent(), "Add a source", str(Path.home()),
            ";;".join(file_filters()),
        )  # fmt: skip
        if chosen:
            self.add(Path(chosen))

    def add(self, path: Path) -> None:
        # Imported on first use: the dialog brings in every parser, which the window
        # does not need to open.
        from defectors_catalog.domain.output.parse_report import parse_report
        from defectors_catalog.gui.add_source_dialog import AddSourceDialog

        host, store = self.host, self.store
        dialog = AddSourceDialog(host.catalog, path, host.dialog_parent())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            options = dialog.options
            spec = store.add(
                path, dialog.title.text(), dialog.is_reliable, dialog.chosen_layout,
                [s.id for s in host.catalog.sources],
                listed=host.catalog.sources, encoding=options.encoding,
                sheet=options.sheet, columns=options.columns,
            )  # fmt: skip
        except CatalogError as exc:
            QMessageBox.critical(
                host.dialog_parent(), "Add source", f"The source was not added: {exc}"
            )
            return
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
