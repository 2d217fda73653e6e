"""Export from the window: exactly what is on screen, through the headless export's writer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.domain.errors import ExportError
from app.domain.export import export_csv

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


class ExportController:
    """Asks where to write, then writes the shown rows (or the selection) and columns."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_folder: Path | None = None

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
            count = export_csv(window.catalog, positions, target, columns)
        except ExportError as exc:
            QMessageBox.critical(window, "Export failed", f"{exc}\n\nNo file was written.")
            return
        self.last_folder = target.parent
        window.statusBar().showMessage(f"Exported {count} rows to {target}", 15000)
