"""Export from the window: exactly what is on screen, through the headless export's writer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from app.domain.errors import ExportError
from app.domain.export import DELIMITERS, ExportOptions, export_csv

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


class ExportController:
    """Asks where to write, then writes the shown rows (or the selection) and columns."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_folder: Path | None = None
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
        try:
            count = export_csv(
                window.catalog, positions, target, columns, self.options(), window.query
            )
        except ExportError as exc:
            QMessageBox.critical(window, "Export failed", f"{exc}\n\nNo file was written.")
            return
        self.last_folder = target.parent
        window.statusBar().showMessage(f"Exported {count} rows to {target}", 15000)


def _setting(window: MainWindow, key: str, default: bool) -> bool:
    value = window.settings.value(f"export/{key}", default)
    return value in (True, "true", "1", 1) if not isinstance(value, bool) else value
