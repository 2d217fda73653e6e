"""Export from the window: exactly what is on screen, through the headless export's writer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output.csv_export import DELIMITERS, ExportOptions, export_csv

if TYPE_CHECKING:
    from defectors_catalog.gui.background import BackgroundTask
    from defectors_catalog.gui.main_window import MainWindow


# Exports of more rows than this run on a worker thread with a progress bar: a million
# rows take seconds to write.
BACKGROUND_ABOVE = 20_000

logger = logging.getLogger(__name__)


class ExportController:
    """Asks where to write, then writes the shown rows (or the selection) and columns."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_folder: Path | None = None
        self.running: BackgroundTask | None = None  # an export writing in the background
        self.neutralise = QAction("Neutralise spreadsheet formulas (=, +, -, @)", window)
        self.excel_bom = QAction("UTF-8 with BOM, for Excel", window)
        self.provenance = QAction("Write a provenance record beside the file", window)
        self.delimiters = QActionGroup(window)
        for action, default in ((self.neutralise, True), (self.excel_bom, False),
                                (self.provenance, False)):  # fmt: skip
            action.setCheckable(True)
            action.setChecked(_setting(window, action.text(), default))
            action.toggled.connect(self._save)
        for name, symbol in DELIMITERS.items():
            action = QAction(f"Delimiter: {name}", window)
            action.setCheckable(True)
            action.setData(symbol)
            self.delimiters.addAction(action)
            action.toggled.connect(self._save)
        chosen = str(window.settings.value("export/delimiter", ","))
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
        settings = self.window.settings
        for action in (self.neutralise, self.excel_bom, self.provenance):
            settings.setValue(f"export/{action.text()}", action.isChecked())
        checked = self.delimiters.checkedAction()
        if checked is not None:
            settings.setValue("export/delimiter", checked.data())

    def plan(self) -> tuple[np.ndarray, list[str], str]:
        """(positions in display order, columns in display order, what the dialog says)."""
        window = self.window
        rows = window.selected_rows()
        positions = window.model.positions
        if len(rows) > 1:
            positions = positions[np.asarray(rows, dtype=np.int64)]
            what = f"the {len(rows)} selected rows"
        else:
            what = f"all {len(positions)} rows shown"
        # Visible columns in display order; the warnings column always comes along
        # because the warning signs and tints are on screen too.
        columns = window.visible_columns()
        if "warnings" not in columns:
            columns.append("warnings")
        return positions, columns, what

    def export(self) -> None:
        window = self.window
        positions, columns, what = self.plan()
        if not len(positions):
            window.statusBar().showMessage("Nothing to export: no rows are shown", 5000)
            return
        start = self.last_folder or window.export_default_path().parent
        chosen, _ = QFileDialog.getSaveFileName(
            window,
            f"Export {what} to CSV",
            str(start / "defectors.csv"),
            "CSV files (*.csv);;All files (*)",
        )
        if not chosen:
            return
        target = Path(chosen)
        if not target.suffix:
            target = target.with_suffix(".csv")
        logger.info("exporting %d rows, columns %s, to %s", len(positions), columns, target)
        if len(positions) > BACKGROUND_ABOVE:
            self._export_in_background(positions, target, columns)
            return
        try:
            count = export_csv(
                window.catalog, positions, target, columns, self.options(), window.query
            )
        except ExportError as exc:
            self._failed(str(exc))
            return
        self._done(count, target)

    def _export_in_background(
        self, positions: np.ndarray, target: Path, columns: list[str]
    ) -> None:
        """Write on a worker thread with a progress bar and Cancel in the status bar; the
        window stays usable. The file only appears, complete, when the export succeeds."""
        from defectors_catalog.gui.background import BackgroundTask, StatusProgress

        window = self.window
        catalog, options, query = window.catalog, self.options(), window.query
        task = BackgroundTask(
            lambda progress: export_csv(
                catalog, positions, target, columns, options, query, progress=progress
            ),
            window,
        )
        bar = StatusProgress(task)
        window.statusBar().addPermanentWidget(bar)
        window.export_action.setEnabled(False)  # one export at a time
        task.succeeded.connect(lambda count: self._done(count, target))
        task.failed.connect(self._failed)
        task.cancelled.connect(
            lambda: window.statusBar().showMessage("Export cancelled: no file was written", 8000)
        )
        for signal in (task.succeeded, task.failed, task.cancelled):
            signal.connect(bar.deleteLater)
            signal.connect(lambda *_: window.export_action.setEnabled(True))
        self.running = task
        task.start()

    def _done(self, count: int, target: Path) -> None:
        logger.info("exported %d rows to %s", count, target)
        self.running = None
        self.last_folder = target.parent
        self.window.statusBar().showMessage(f"Exported {count:,} rows to {target}", 15000)

    def _failed(self, message: str) -> None:
        logger.warning("export failed: %s", message)
        self.running = None
        QMessageBox.critical(self.window, "Export failed", f"{message}\n\nNo file was written.")


def _setting(window: MainWindow, key: str, default: bool) -> bool:
    value = window.settings.value(f"export/{key}", default)
    return value in (True, "true", "1", 1) if not isinstance(value, bool) else value
