"""Export from the window: exactly what is on screen, through the headless export's writer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output.csv_export import DELIMITERS, ExportOptions, export_csv
from defectors_catalog.gui.host import Host
from defectors_catalog.gui.last_folder import EXPORT, remember, start_folder
from defectors_catalog.gui.plain_text import plain_message_box, tell

if TYPE_CHECKING:
    from defectors_catalog.gui.background import BackgroundTask, StatusProgress


# Exports of more rows than this run on a worker thread with a progress bar: a million
# rows take seconds to write.
BACKGROUND_ABOVE = 20_000

logger = logging.getLogger(__name__)


class ExportController:
    """Holds the Export action and the export options; asks where to write, then writes
    the shown rows (or the selection) and columns."""

    def __init__(self, host: Host) -> None:
        self.host = host
        window = host.dialog_parent()
        # Where the next export is offered: the folder of the last one, kept between runs.
        self.last_folder: Path | None = None
        self.running: BackgroundTask | None = None  # an export writing in the background
        self.action = QAction("&Export to CSV\u2026", window)
        self.action.setShortcut(QKeySequence("Ctrl+E"))
        self.action.triggered.connect(self.export)
        self.neutralise = QAction("Neutralise spreadsheet formulas (=, +, -, @)", window)
        self.excel_bom = QAction("UTF-8 with BOM, for Excel", window)
        self.provenance = QAction("Write a provenance record beside the file", window)
        self.delimiters = QActionGroup(window)
        for action, default in ((self.neutralise, True), (self.excel_bom, False),
                                (self.provenance, False)):  # fmt: skip
            action.setCheckable(True)
            action.setChecked(_setting(host.settings, action.text(), default))
            action.toggled.connect(self._save)
        for name, symbol in DELIMITERS.items():
            action = QAction(f"Delimiter: {name}", window)
            action.setCheckable(True)
            action.setData(symbol)
            self.delimiters.addAction(action)
            action.toggled.connect(self._save)
        chosen = str(host.settings.value("export/delimiter", ","))
        if chosen not in DELIMITERS.values():
            logger.warning("ignored the saved setting export/delimiter = %r", chosen)
        for action in self.delimiters.actions():
            action.setChecked(action.data() == chosen)
        if self.delimiters.checkedAction() is None:
            self.delimiters.actions()[0].setChecked(True)

    def fill_options_menu(self, menu: QMenu) -> None:
        for action in (self.neutralise, self.excel_bom, self.provenance):
            menu.addAction(action)
        menu.addSeparator()
        for action in self.delimiters.actions():
            menu.addAction(action)

    def options(self) -> ExportOptions:
        checked = self.delimiters.checkedAction()
        return ExportOptions(
            neutralise_formulas=self.neutralise.isChecked(),
            excel_bom=self.excel_bom.isChecked(),
            delimiter=str(checked.data()) if checked is not None else ",",
            provenance=self.provenance.isChecked(),
        )

    def _save(self) -> None:
        settings = self.host.settings
        for action in (self.neutralise, self.excel_bom, self.provenance):
            settings.setValue(f"export/{action.text()}", action.isChecked())
        checked = self.delimiters.checkedAction()
        if checked is not None:
            settings.setValue("export/delimiter", checked.data())

    def plan(self) -> tuple[np.ndarray, list[str], str]:
        """(positions in display order, columns in display order, what the dialog says)."""
        selected = self.host.selected_positions()
        if len(selected) > 1:
            positions = selected
            what = f"the {len(selected)} selected rows"
        else:
            positions = self.host.shown_positions()
            what = f"all {len(positions)} rows shown"
        # Visible columns in display order; the warnings column always comes along
        # because the warning signs and tints are on screen too.
        columns = self.host.visible_columns()
        if "warnings" not in columns:
            columns.append("warnings")
        return positions, columns, what

    def export(self) -> None:
        host = self.host
        positions, columns, what = self.plan()
        if not len(positions):
            host.statusBar().showMessage("Nothing to export: no rows are shown", 5000)
            return
        start = self.last_folder or start_folder(host.settings, EXPORT)
        chosen, _ = QFileDialog.getSaveFileName(
            host.dialog_parent(),
            f"Export {what} to CSV",
            str(start / "defectors.csv"),
            "CSV files (*.csv);;All files (*)",
        )
        if not chosen:
            return
        target = Path(chosen)
        if not target.suffix:
            target = target.with_suffix(".csv")
            # The dialog asked about the name as typed ("report"); the file written is
            # report.csv, which it never asked about.
            if target.exists() and not self._may_replace(target):
                return
        logger.info("exporting %d rows, columns %s, to %s", len(positions), columns, target)
        if len(positions) > BACKGROUND_ABOVE:
            self._export_in_background(positions, target, columns)
            return
        try:
            count = export_csv(host.catalog, positions, target, columns, self.options(), host.query)
        except ExportError as exc:
            self._failed(None, str(exc))
            return
        self._done(None, count, target)

    def _may_replace(self, target: Path) -> bool:
        box = plain_message_box(
            self.host.dialog_parent(),
            QMessageBox.Icon.Question,
            "Export to CSV",
            f"{target.name} already exists in {target.parent}.\n\nReplace it?",
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return bool(box.exec() == QMessageBox.StandardButton.Yes.value)

    def _export_in_background(
        self, positions: np.ndarray, target: Path, columns: list[str]
    ) -> None:
        """Write on a worker thread with a progress bar and Cancel in the status bar; the
        window stays usable. The file only appears, complete, when the export succeeds."""
        from defectors_catalog.gui.background import BackgroundTask, StatusProgress

        host = self.host
        # The worker gets snapshots taken here, on the GUI thread: a read-only copy of
        # the positions and columns, and the (frozen) catalog, options and query.
        positions = positions.copy()
        positions.flags.writeable = False
        chosen = tuple(columns)
        catalog, options, query = host.catalog, self.options(), host.query
        task = BackgroundTask(
            lambda progress: export_csv(
                catalog, positions, target, list(chosen), options, query, progress=progress
            ),
            host.dialog_parent(),
            name="export",
        )
        bar = StatusProgress(task)
        host.statusBar().addPermanentWidget(bar)
        self.action.setEnabled(False)  # one export at a time
        queued = Qt.ConnectionType.QueuedConnection
        # One slot per outcome, which ends with the status message: whoever waits for
        # that message finds the action enabled and the progress bar on its way out.
        task.succeeded.connect(lambda count: self._done(bar, count, target), queued)
        task.failed.connect(lambda message: self._failed(bar, message), queued)
        task.cancelled.connect(lambda: self._cancelled(bar), queued)
        self.running = task
        task.start()

    def _finish(self, bar: StatusProgress | None) -> None:
        if self.running is not None:
            self.running.release()  # with it go the positions its work was given
        self.running = None
        self.action.setEnabled(True)
        if bar is not None:
            bar.deleteLater()

    def _done(self, bar: StatusProgress | None, count: int, target: Path) -> None:
        logger.info("exported %d rows to %s", count, target)
        self._finish(bar)
        self.last_folder = target.parent
        remember(self.host.settings, EXPORT, target)
        self.host.statusBar().showMessage(f"Exported {count:,} rows to {target}", 15000)

    def _failed(self, bar: StatusProgress | None, message: str) -> None:
        logger.warning("export failed: %s", message)
        self._finish(bar)
        tell(
            self.host.dialog_parent(),
            QMessageBox.Icon.Critical,
            "Export failed",
            f"{message}\n\nNo file was written.",
        )

    def _cancelled(self, bar: StatusProgress) -> None:
        logger.info("export cancelled")
        self._finish(bar)
        self.host.statusBar().showMessage("Export cancelled: no file was written", 8000)


_ON = frozenset({"true", "1", "yes", "on"})
_OFF = frozenset({"false", "0", "no", "off"})


def _setting(settings: QSettings, key: str, default: bool) -> bool:
    """A saved tick: only an explicit on or off counts; anything else is the default
    (logged). So a neutralise setting of `yes`, `TRUE` or garbage keeps it on."""
    value = settings.value(f"export/{key}", default)
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _ON or word in _OFF:
        return word in _ON
    logger.warning("ignored the saved setting export/%s = %r: not on or off", key, value)
    return default
