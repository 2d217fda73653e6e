"""File → Add source: title, reliability, and how the file is read, with a preview.

The layout, encoding, sheet and column mapping are detected by the domain
(`preview_source`, on a worker thread) and shown for the person to change; each change
computes a new preview, and only the newest one is shown. The dialog never reads the
file itself. Add stays disabled, with the reason beside it, while the file gives no row,
cannot be decoded for sure, or is already listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import SourceReadError
from defectors_catalog.domain.progress import Progress
from defectors_catalog.domain.sources.encodings import CHOICES, LABELS
from defectors_catalog.domain.sources.layouts import AUTO, BY_ID, LAYOUTS, make_context
from defectors_catalog.domain.sources.layouts.headers import FIELDS, IGNORE
from defectors_catalog.domain.sources.options import ReadOptions
from defectors_catalog.domain.sources.preview import Preview, preview_source
from defectors_catalog.domain.sources.reading import open_regular_file
from defectors_catalog.gui.background import BackgroundTask

PREVIEW_HEADERS = ("Line", "Name", "Profession", "Birthplace", "Year")
# What a readable list looks like, said when a file gives no row (a row of the seeds).
READABLE = (
    "To be read, a file needs one person a row with at least a name and a year: a table "
    "whose header names those columns (a pipe table, CSV or TSV, a spreadsheet, a saved "
    "web page, wikitext, JSON), or plain-text rows such as \u201cÁgnes Keleti Artistic "
    "gymnast Hungary 1956 Defected in Melbourne\u201d. If the file is one of these, pick "
    "its layout above."
)
# The score every text layout's sniff gives a file it finds no sign of itself in.
_NO_SIGN = 0.1
# Bytes looked at to tell a binary file (a picture, an archive) from text.
_HEAD = 8192


def _looks_binary(path: Path) -> bool:
    """Whether the file's start holds NUL bytes (never true of a text list in a code
    page or UTF-8; UTF-16 lists hold them too, but those are read and never asked)."""
    try:
        with open_regular_file(path) as file:
            return b"\x00" in file.read(_HEAD)
    except (OSError, SourceReadError):
        return False


@dataclass(frozen=True)
class _Outcome:
    """A preview and whether the file is binary that no layout read."""

    preview: Preview
    unreadable_binary: bool


MAPPING_HEADERS = ("Source column", "Read as", "Why")


def _plain(text: str) -> QTableWidgetItem:
    """A cell holding text from the file: shown as text, never as markup, not editable."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class AddSourceDialog(QDialog):
    """Holds the file, the person's choices (layout, encoding, sheet, columns), the newest
    preview the domain computed for them (`shown`), and the task computing the next."""

    previewed = Signal()  # a preview is shown

    def __init__(self, catalog: Catalog, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add source \u2014 {path.name}")
        self.catalog = catalog
        self.path = path
        self.context = make_context(catalog.gazetteer, catalog.classifier.split)
        self.shown: Preview | None = None
        self.unreadable = False  # a binary file no layout reads: nothing to fill in
        self.columns_changed = False
        self._offers_parts = False  # the file holds several sheets or tables to choose from
        self._ticket = 0
        self._tasks: list[BackgroundTask] = []

        self.title = QLineEdit(path.stem.replace("_", " ").replace("-", " ").strip() or path.name)
        self.title.setAccessibleName("Source title")
        self.reliable = QRadioButton("Reliable: a source I trust (a published list, a book)")
        self.unreliable = QRadioButton("Unreliable: its entries are warned about")
        self.title.setAccessibleDescription("How the source is named in the window and reports")
        self.unreliable.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.reliable)
        group.addButton(self.unreliable)

        self.layout_box = QComboBox()
        self.layout_box.setAccessibleName("Layout")
        self.layout_box.setAccessibleDescription("How the file's rows are laid out")
        self.layout_box.addItem("Detect", AUTO)
        for layout in LAYOUTS:
            self.layout_box.addItem(layout.label, layout.id)
        self.encoding_box = QComboBox()
        self.encoding_box.setAccessibleName("Encoding")
        self.encoding_box.addItem("Detect", "")
        for codec in CHOICES:
            self.encoding_box.addItem(LABELS[codec], codec)
        self.sheet_box = QComboBox()
        self.sheet_box.setAccessibleName("Sheet or table")
        self.sheet_label = QLabel("Sheet:")
        for box in (self.layout_box, self.encoding_box, self.sheet_box):
            box.activated.connect(self._choice_changed)

        self.summary = QLabel("Reading the file\u2026")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("parseSummary")
        self.summary.setAccessibleName("What was found in the file")
        self.preview = QTableWidget(0, len(PREVIEW_HEADERS))
        self.preview.setHorizontalHeaderLabels(list(PREVIEW_HEADERS))
        self.preview.setAccessibleName("Preview of the first parsed rows")
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setMinimumSize(520, 260)
        self.mapping = QTableWidget(0, len(MAPPING_HEADERS))
        self.mapping.setHorizontalHeaderLabels(list(MAPPING_HEADERS))
        self.mapping.setAccessibleName("How each column of the file is read")
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.mapping.setMinimumWidth(340)

        form = QFormLayout()
        file_label = QLabel(str(path))
        file_label.setTextFormat(Qt.TextFormat.PlainText)
        file_label.setAccessibleName("File")
        form.addRow("File:", file_label)
        form.addRow("Title:", self.title)
        form.addRow("Reliability:", self.reliable)
        form.addRow("", self.unreliable)
        form.addRow("Layout:", self.layout_box)
        form.addRow("Encoding:", self.encoding_box)
        form.addRow(self.sheet_label, self.sheet_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add source")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        tables = QHBoxLayout()
        tables.addWidget(self.preview, 3)
        tables.addWidget(self.mapping, 2)
        body = QVBoxLayout(self)
        body.addLayout(form)
        body.addWidget(self.summary)
        body.addLayout(tables)
        body.addWidget(self.buttons)
        self._show_sheets(())
        self._refresh()

    # What the person chose.

    @property
    def chosen_layout(self) -> str:
        """The layout picked, or the one detected while "Detect" is picked."""
        chosen = str(self.layout_box.currentData())
        if chosen == AUTO and self.shown is not None:
            return self.shown.layout
        return chosen

    @property
    def is_reliable(self) -> bool:
        return self.reliable.isChecked()

    @property
    def chosen_columns(self) -> tuple[tuple[str, str], ...]:
        """The mapping as shown, once the person changed any of it (else detection's)."""
        if not self.columns_changed:
            return ()
        pairs = []
        for row in range(self.mapping.rowCount()):
            header = self.mapping.item(row, 0)
            box = self.mapping.cellWidget(row, 1)
            if header is not None and isinstance(box, QComboBox):
                pairs.append((header.text(), str(box.currentData())))
        return tuple(pairs)

    @property
    def options(self) -> ReadOptions:
        """What the file is read with: the person's choices; "" where detection decides."""
        sheet = self.sheet_box.currentData() if self._offers_parts else ""
        return ReadOptions(
            encoding=str(self.encoding_box.currentData() or ""),
            sheet=str(sheet or ""),
            columns=self.chosen_columns,
        )

    @property
    def busy(self) -> bool:
        return any(not task.finished for task in self._tasks)

    # Previews.

    def _choice_changed(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        self._ticket += 1
        ticket = self._ticket
        self.ok.setEnabled(False)
        self.summary.setText("Reading the file\u2026")
        layout = str(self.layout_box.currentData())
        options = self.options
        listed = self.catalog.sources
        path, context = self.path, self.context

        def work(progress: Progress) -> _Outcome:
            preview = preview_source(path, context, layout, options, listed, progress)
            unread = preview.result is None and not preview.candidates
            text_layout = preview.layout in BY_ID and not BY_ID[preview.layout].binary
            binary = unread and text_layout and _looks_binary(path)
            return _Outcome(preview, binary)

        task = BackgroundTask(work, self)
        task.succeeded.connect(lambda outcome: self._show(outcome, ticket))
        task.failed.connect(lambda message: self._failed(message, ticket))
        self._tasks = [t for t in self._tasks if not t.finished] + [task]
        task.start()

    def _failed(self, message: str, ticket: int) -> None:
        if ticket == self._ticket:
            self.summary.setText(f"This file cannot be added: {message}")
            self.previewed.emit()

    def _show(self, outcome: _Outcome, ticket: int) -> None:
        if ticket != self._ticket:
            return  # the person changed a choice since: a newer preview is coming
        preview = outcome.preview
        self.shown = preview
        self.unreadable = outcome.unreadable_binary
        self._show_detected(preview)
        result = preview.result
        self._show_sheets(result.parts if result is not None else (), preview)
        self._show_rows(preview)
        self._show_mapping(preview)
        self.summary.setText(self._describe(preview))
        self._enable_form(preview)
        self.ok.setEnabled(preview.can_add and not self.unreadable)
        self.previewed.emit()

    def _enable_form(self, preview: Preview) -> None:
        """A file no layout can read leaves nothing to fill in: the form is disabled
        (the pickers stay usable if the person chose something, to go back)."""
        readable = not self.unreadable
        chose = bool(self.encoding_box.currentData()) or self.layout_box.currentData() != AUTO
        for widget in (self.title, self.reliable, self.unreliable, self.preview, self.mapping):
            widget.setEnabled(readable)
        self.layout_box.setEnabled(readable or chose)
        binary_layout = preview.layout in BY_ID and BY_ID[preview.layout].binary
        self.encoding_box.setEnabled((readable or chose) and not binary_layout)
        self.sheet_box.setEnabled(readable)

    def _describe(self, preview: Preview) -> str:
        result = preview.result
        if self.unreadable:
            # The domain's reason ("looks like a binary file (it contains NUL bytes)"),
            # without the file name it starts with.
            reason = preview.error.removeprefix(f"{self.path.name}: ")
            return (
                f"\u201c{self.path.name}\u201d is not a list the app can read: it {reason} "
                "\u2014 a picture, an archive, a PDF or a word-processor document, not text "
                "or a spreadsheet \u2014 so it cannot be added. The app reads lists saved as "
                "text (pipe tables, plain-text rows, CSV or TSV, wikitext, JSON), "
                "spreadsheets (.xlsx, .xls, .ods) and web pages saved from a browser."
            )
        if preview.candidates:
            return (
                f"This file cannot be added yet: {preview.error}. Pick an encoding above "
                "and check that the names in the preview read right."
            )
        if result is None:
            return f"This file cannot be added: {preview.error}."
        layout = BY_ID[preview.layout].label
        read = f"Read as {layout}" + (f", {preview.encoding}" if preview.encoding else "")
        if preview.total_lines > preview.read_lines:
            where = (
                f" (the first {preview.read_lines:,} of {preview.total_lines:,} lines; the "
                "rest is read when you add the file)"
            )
        else:
            where = ""
        if not result.entries:
            # Nothing read: say so, and what a readable file holds, without promising
            # a report of an addition that cannot happen.
            return f"No row could be read: {result.summary}{where}.\n{READABLE}"
        problems = len(result.diagnostics) + sum(len(e.diagnostics) for e in result.entries)
        if preview.error:
            return f"{read}: {result.summary}{where}.\nThis file cannot be added: {preview.error}."
        return (
            f"{read}: {result.summary}{where}. Parser notes: {problems:,} (listed in the "
            "report after adding)."
        )

    def _show_detected(self, preview: Preview) -> None:
        scores = dict(preview.scores)
        # "Detected" only for a layout that read a row: a PNG or random text is not
        # "Plain-text rows (detected)" because that layout's sniff scored lowest.
        if preview.layout == preview.detected:
            found = bool(preview.rows)
        else:  # read another way, as chosen: the sniff's word is all there is
            found = scores.get(preview.detected, 0) > _NO_SIGN
        for index in range(1, self.layout_box.count()):
            layout_id = str(self.layout_box.itemData(index))
            label = BY_ID[layout_id].label
            if layout_id == preview.detected and found:
                label += f" (detected, {scores.get(layout_id, 0):.0%} sure)"
            self.layout_box.setItemText(index, label)
        detected = preview.encoding if not self.encoding_box.currentData() else ""
        self.encoding_box.setItemText(0, f"Detect ({detected})" if detected else "Detect")
        for index in range(1, self.encoding_box.count()):
            codec = str(self.encoding_box.itemData(index))
            mark = " (one of the candidates)" if codec in preview.candidates else ""
            self.encoding_box.setItemText(index, LABELS[codec] + mark)

    def _show_sheets(self, parts: tuple[str, ...], preview: Preview | None = None) -> None:
        layout = BY_ID.get(preview.layout) if preview is not None else None
        visible = bool(parts) and layout is not None and len(parts) > 1
        current = str(self.sheet_box.currentData() or "")
        self.sheet_box.clear()
        if layout is not None and layout.parts_name == "table":
            self.sheet_box.addItem("Every table with a name and a year", "")
            self.sheet_label.setText("Table:")
        else:
            self.sheet_label.setText("Sheet:")
        for part in parts:
            self.sheet_box.addItem(part, part)
        chosen = current or (preview.result.part if preview and preview.result else "")
        index = self.sheet_box.findData(chosen)
        if index >= 0:
            self.sheet_box.setCurrentIndex(index)
        self._offers_parts = visible
        self.sheet_box.setVisible(visible)
        self.sheet_label.setVisible(visible)

    def _show_rows(self, preview: Preview) -> None:
        self.preview.setRowCount(len(preview.rows))
        for row, entry in enumerate(preview.rows):
            year = "" if entry.year is None else str(entry.year)
            values = (str(entry.line), entry.name, entry.profession, entry.birthplace, year)
            for column, value in enumerate(values):
                self.preview.setItem(row, column, _plain(value))
        self.preview.resizeColumnsToContents()

    def _show_mapping(self, preview: Preview) -> None:
        columns = preview.result.columns if preview.result is not None else ()
        self.mapping.setRowCount(len(columns))
        for row, column in enumerate(columns):
            self.mapping.setItem(row, 0, _plain(column.header))
            box = QComboBox()
            box.setAccessibleName(f"Read column {column.header} as")
            for field_name in (*FIELDS, IGNORE):
                box.addItem(field_name, field_name)
            box.setCurrentIndex(box.findData(column.field))
            box.activated.connect(self._mapping_changed)
            self.mapping.setCellWidget(row, 1, box)
            sure = f"{column.score:.0%}: " if column.reason != "your choice" else ""
            self.mapping.setItem(row, 2, _plain(sure + column.reason))
        self.mapping.resizeColumnsToContents()

    def _mapping_changed(self) -> None:
        self.columns_changed = True
        self._refresh()
