"""File → Add source: title, reliability, detected layout with a preview of parsed rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.model import ParseResult
from defectors_catalog.domain.sources.layouts import (
    LAYOUT_NAMES,
    detect_layout,
    make_context,
    parse_lines,
)
from defectors_catalog.domain.sources.reading import read_source_text, split_lines

PREVIEW_ROWS = 12
# The preview parses only the start of a big file: parsing all of a 200,000-row file
# would keep the dialog from opening for seconds. The whole file is parsed when added,
# off the GUI thread and with a progress bar.
PREVIEW_LINES = 5_000


class AddSourceDialog(QDialog):
    """Holds the chosen file, its lines, and the parse shown in the preview."""

    def __init__(self, catalog: Catalog, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Add source \u2014 {path.name}")
        self.catalog = catalog
        self.path = path
        self.lines: list[str] = []
        self.parsed: ParseResult | None = None
        self.error = ""
        try:
            self.lines = split_lines(read_source_text(path))
        except CatalogError as exc:
            self.error = str(exc)

        self.title = QLineEdit(path.stem.replace("_", " ").replace("-", " ").strip() or path.name)
        self.title.setAccessibleName("Source title")
        self.reliable = QRadioButton("Reliable: a source I trust (a published list, a book)")
        self.unreliable = QRadioButton("Unreliable: its entries are warned about")
        self.unreliable.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.reliable)
        group.addButton(self.unreliable)
        self.layout_box = QComboBox()
        self.layout_box.setAccessibleName("Layout")
        detected = detect_layout(self.lines) if self.lines else "plain-rows"
        for layout, name in LAYOUT_NAMES.items():
            suffix = " (detected)" if layout == detected else ""
            self.layout_box.addItem(name + suffix, layout)
        self.layout_box.setCurrentIndex(list(LAYOUT_NAMES).index(detected))
        self.layout_box.currentIndexChanged.connect(self._preview)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("parseSummary")
        self.preview = QTableWidget(0, 4)
        self.preview.setHorizontalHeaderLabels(["Name", "Profession", "Birthplace", "Year"])
        self.preview.setAccessibleName("Preview of the first parsed rows")
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.preview.setMinimumSize(620, 260)

        form = QFormLayout()
        form.addRow("File:", QLabel(str(path)))
        form.addRow("Title:", self.title)
        form.addRow("Reliability:", self.reliable)
        form.addRow("", self.unreliable)
        form.addRow("Layout:", self.layout_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add source")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body = QVBoxLayout(self)
        body.addLayout(form)
        body.addWidget(self.summary)
        body.addWidget(self.preview)
        body.addWidget(self.buttons)
        self._preview()

    @property
    def chosen_layout(self) -> str:
        return str(self.layout_box.currentData())

    @property
    def is_reliable(self) -> bool:
        return self.reliable.isChecked()

    def _preview(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if self.error:
            self.summary.setText(f"This file cannot be added: {self.error}")
            ok.setEnabled(False)
            return
        context = make_context(self.catalog.gazetteer, self.catalog.classifier.split)
        sample = self.lines[:PREVIEW_LINES]
        self.parsed = parse_lines(sample, "preview", self.chosen_layout, context)
        entries = self.parsed.entries
        problems = len(self.parsed.diagnostics) + sum(len(e.diagnostics) for e in entries)
        where = (
            f"from {len(self.lines):,} lines"
            if len(sample) == len(self.lines)
            else f"from the first {len(sample):,} of {len(self.lines):,} lines (the rest is "
            "read when you add the file)"
        )
        self.summary.setText(
            f"{len(entries):,} rows read {where}; "
            f"parser notes: {problems:,} (listed in the report after adding)."
            + ("" if entries else " No rows were found: try another layout.")
        )
        ok.setEnabled(bool(entries))
        self.preview.setRowCount(min(PREVIEW_ROWS, len(entries)))
        for row, entry in enumerate(entries[:PREVIEW_ROWS]):
            values = (entry.name, entry.profession, entry.birthplace,
                      "" if entry.year is None else str(entry.year))  # fmt: skip
            for column, value in enumerate(values):
                self.preview.setItem(row, column, QTableWidgetItem(value))
        self.preview.resizeColumnsToContents()
