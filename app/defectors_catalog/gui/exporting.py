"""Export from the window: exactly what is on screen, through the headless export's writers.

The save dialog offers every format of `domain/output/formats.FORMATS`; the typed
extension decides (`format_for`), else the chosen file type, whose extension is added.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from defectors_catalog.domain.errors import ExportError
from defectors_catalog.domain.output.csv_export import DELIMITERS, ExportOptions
from defectors_catalog.domain.output.formats import (
    DEFAULT_FORMAT,
    FORMAT,
    FORMATS,
    ExportFormat,
    export_records,
)
from defectors_catalog.gui.host import Host
from defectors_catalog.gui.last_folder import EXPORT, remember, start_folder
from defectors_catalog.gui.plain_text import plain_message_box, tell

if TYPE_CHECKING:
    from defectors_catalog.gui.background import BackgroundTask, StatusProgress


# Exports of more rows than this run on a worker thread with a progress bar: a million
# rows take seconds to write.
BACKGROUND_ABOVE = 20_000
# A workbook is always written in the background: its writer (pandas, XlsxWriter) takes
# a second to load the first time, and its rows are several times slower than CSV's.
ALWAYS_IN_BACKGROUND = frozenset({"xlsx"})
ALL_FILES = "All files (*)"

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
        self.action = QAction("&Export\u2026", window)
        self.action.setStatusTip("Export the rows shown: CSV, Excel workbook, JSON or Markdown")
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
        last = FORMAT.get(str(host.settings.value("export/format", DEFAULT_FORMAT.id)))
        last = last or DEFAULT_FORMAT
        filters = [f.file_filter for f in FORMATS]
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            host.dialog_parent(),
            f"Export {what}",
            str(start / f"defectors{last.extensions[0]}"),
            ";;".join([*filters, ALL_FILES]),
            last.file_filter,
        )
        if not chosen:
            return
        typed = Path(chosen)
        target, format = target_and_format(typed, chosen_filter)
        # The dialog asked about the name as typed ("report"); the file written may be
        # report.csv, which it never asked about.
        if target != typed and target.exists() and not self._may_replace(target):
            return
        logger.info(
            "exporting %d rows, columns %s, as %s to %s", len(positions), columns, format.id, target
        )
        if len(positions) > BACKGROUND_ABOVE or format.id in ALWAYS_IN_BACKGROUND:
            self._export_in_background(positions, target, columns, format)
            return
        try:
            count = export_records(host.catalog, positions, target, columns, self.options(),
                                   host.query, format=format.id)  # fmt: skip
        except ExportError as exc:
            self._failed(None, str(exc))
            return
        self._done(None, count, target, format)

    def _may_replace(self, target: Path) -> bool:
        box = plain_message_box(
            self.host.dialog_parent(),
            QMessageBox.Icon.Question,
            "Export",
            f"{target.name} already exists in {target.parent}.\n\nReplace it?",
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return bool(box.exec() == QMessageBox.StandardButton.Yes.value)

    def _export_in_background(
        self, positions: np.ndarray, target: Path, columns: list[str], format: ExportFormat
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
            lambda progress: export_records(
                catalog,
                positions,
                target,
                list(chosen),
                options,
                query,
                format=format.id,
                progress=progress,
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
        task.succeeded.connect(lambda count: self._done(bar, count, target, format), queued)
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

    def _done(
        self, bar: StatusProgress | None, count: int, target: Path, format: ExportFormat
    ) -> None:
        logger.info("exported %d rows to %s", count, target)
        self._finish(bar)
        self.last_folder = target.parent
        remember(self.host.settings, EXPORT, target)
        self.host.settings.setValue("export/format", format.id)
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


def target_and_format(typed: Path, chosen_filter: str = "") -> tuple[Path, ExportFormat]:
    """The file to write and its format, from the name typed and the file type chosen.

    A known extension decides (`hungary.xlsx` is a workbook whatever the type says). A
    name without one, or with one no format knows (`list.2026`), gets the chosen type's
    first extension; with no type chosen (or All files) it stays CSV, as before.
    """
    by_filter = next((f for f in FORMATS if f.file_filter == chosen_filter), None)
    suffix = typed.suffix.lower()
    known = next((f for f in FORMATS if suffix in f.extensions), None)
    if known is not None:
        return typed, known
    format = by_filter or DEFAULT_FORMAT
    if not suffix or (by_filter is not None and by_filter is not DEFAULT_FORMAT):
        return typed.with_name(typed.name + format.extensions[0]), format
    return typed, format  # `report.dat` with CSV or All files: CSV, under that name


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
