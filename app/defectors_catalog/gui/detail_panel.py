"""The detail panel: every field of the current record, its badges, warnings, the
person's own verdict on it (`verdict_editor.VerdictEditor`, when the window has a desk
of verdicts) and its provenance.

All source text goes through plain-text labels: a note containing `<b>` or `<img src=…>`
is shown literally, never rendered or fetched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPalette,
    QResizeEvent,
    QTextLayout,
    QTextOption,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.codes import MERGE_NOTES, WarningCode
from defectors_catalog.domain.fields import DETAIL_FIELDS, FIELD, SAID_FIELDS
from defectors_catalog.domain.model import CatalogRecord, Diagnostic, SourceEntry
from defectors_catalog.gui import plain_text
from defectors_catalog.gui.delegates import readable_text_colour
from defectors_catalog.gui.verdict_editor import VerdictEditor

if TYPE_CHECKING:
    from defectors_catalog.domain.annotations.overlay import Desk
    from defectors_catalog.domain.output.overview import SourceSummary

# What an empty value reads as where the field registry gives no wording of its own.
NOT_GIVEN = "(none given)"
# The raw-line box grows with its line up to this many lines, then scrolls.
RAW_LINES_SHOWN = 8


def missing_text(key: str) -> str:
    """How an empty `key` reads, the same in every pane: the registry's `detail` text
    ("(none given)" for a profession), or NOT_GIVEN."""
    field = FIELD.get(key)
    return (field.detail if field is not None else None) or NOT_GIVEN


def plain_label(text: str, *, wrap: bool = True, selectable: bool = True) -> QLabel:
    """A field of the record: wrapped and selectable, shown as plain text."""
    return plain_text.plain_label(text, wrap=wrap, selectable=selectable)


def badge(text: str, colour: str, tooltip: str) -> QLabel:
    from PySide6.QtGui import QColor

    label = plain_label(text, wrap=False, selectable=False)
    foreground = readable_text_colour(QColor(colour)).name()
    label.setStyleSheet(
        f"QLabel {{ background: {colour}; color: {foreground}; border-radius: 8px;"
        " padding: 1px 8px; font-weight: 600; }"
    )
    label.setToolTip(plain_text.plain_tooltip(tooltip) or "")
    label.setAccessibleName(f"Source: {tooltip}")
    return label


class RawLineBox(QPlainTextEdit):
    """A raw line from a file, read-only in a fixed-width font: as tall as its text
    (up to RAW_LINES_SHOWN lines, then it scrolls); the mouse wheel scrolls the panel
    around it unless the box itself has more to show."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._fit(300)

    def lines_needed(self, width: int) -> int:
        """How many lines the text takes in a box `width` pixels wide, wrapped as the
        box wraps it (counted up to the limit: a 20,000-character line is not laid out
        whole)."""
        margin = 2 * (self.frameWidth() + self.document().documentMargin()) + 2
        usable = max(width - margin, 40.0)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        lines = 0
        for paragraph in self.toPlainText()[: 200 * RAW_LINES_SHOWN].split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while lines <= RAW_LINES_SHOWN:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(usable)
                lines += 1
            layout.endLayout()
        return max(lines, 1)

    def _fit(self, width: int) -> None:
        lines = min(self.lines_needed(width), RAW_LINES_SHOWN)
        margin = 2 * (self.frameWidth() + int(self.document().documentMargin()))
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + margin + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit(event.size().width())

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.verticalScrollBar().maximum() > 0:
            super().wheelEvent(event)
            return
        # All shown: the wheel scrolls the panel around the box, handed to it directly
        # (not left to propagate, which a trackpad's phased scroll does not always do).
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        QApplication.sendEvent(area.viewport(), event.clone())
        event.accept()


class DetailPanel(QScrollArea):
    """Shows one record (`record`, None when nobody selected one); `showReferences`
    asks the window to list a source's references."""

    showReferences = Signal(str)

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.record: CatalogRecord | None = None
        self.setWidgetResizable(True)
        self.setAccessibleName("Record details")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.banner: QLabel | None = None
        self._summaries: tuple[SourceSummary, ...] | None = None  # see `summaries`
        # One editor for the panel's life, moved into each record's page: what is being
        # typed is saved before another record is shown (`show_record` flushes it).
        self.verdict = VerdictEditor(self)
        self.verdict.hide()
        self.clear()

    @property
    def summaries(self) -> tuple[SourceSummary, ...]:
        """Each source's coverage, for a record's coverage notes: made when the first
        record is shown (after the window's first paint), not on the way to it."""
        if self._summaries is None:
            from defectors_catalog.domain.output.overview import source_summaries

            self._summaries = source_summaries(self.catalog)
        return self._summaries

    def set_desk(self, desk: Desk | None) -> None:
        """The person's verdicts over this panel's catalog (None: no verdict section)."""
        self.verdict.set_desk(desk)
        self.show_record(self.catalog.row_of[self.record.id] if self.record else None)

    def clear(self) -> None:
        """Show no record: "No record selected" and how to pick one."""
        self.show_record(None)

    def show_record(self, position: int | None) -> None:
        """Show the record at catalog `position`; None (or a position not in the
        catalog) shows the empty state."""
        valid = position is not None and 0 <= position < len(self.catalog.records)
        self.record = self.catalog.records[position] if valid and position is not None else None
        self.verdict.show_record(self.record.id if self.record is not None else None)
        self.verdict.setParent(self)  # out of the page about to go (its deletion takes children)
        self.verdict.hide()
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.banner = None
        if self.record is None:
            self._fill_empty(layout)
        else:
            self._fill(layout, self.record)
        layout.addStretch(1)  # extra height goes below the content, not into its rows
        self.setWidget(body)
        self.setAccessibleDescription(
            "No record selected" if self.record is None else f"Details of {self.record.name}"
        )

    # -- building ------------------------------------------------------------------------

    def _fill_empty(self, layout: QVBoxLayout) -> None:
        layout.addSpacing(24)
        title = plain_label("No record selected", wrap=True, selectable=False)
        title.setObjectName("emptyTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        hint = plain_label(
            "Select a record in the table to see every field, its warnings and where each "
            "source lists it.",
            selectable=False,
        )
        hint.setObjectName("emptyHint")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(title)
        layout.addWidget(hint)

    def _fill(self, layout: QVBoxLayout, record: CatalogRecord) -> None:
        for warning in record.warnings:
            banner = plain_label(f"\u26a0  {warning.text}")
            serious = warning.code == WarningCode.ONLY_UNRELIABLE
            banner.setObjectName("warningBanner" if serious else "cautionBanner")
            banner.setStyleSheet(
                "QLabel { background: %s; color: white; padding: 8px; border-radius: 4px;"
                " font-weight: 600; }" % ("#b03a2e" if serious else "#9a6700")
            )
            banner.setAccessibleName("Warning")
            layout.addWidget(banner)
            if serious:
                self.banner = banner
        title = plain_label(record.name)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        title.setObjectName("recordName")
        layout.addWidget(title)
        if record.alias:
            layout.addWidget(plain_label(f"also known as {record.alias}"))
        chips = QHBoxLayout()
        for source_id in record.sources:
            spec = self.catalog.source(source_id)
            chips.addWidget(
                badge(spec.label, spec.colour, f"{spec.title} ({spec.reliability.value})")
            )
        chips.addStretch(1)
        layout.addLayout(chips)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        shown = self.catalog.table.text
        position = self.catalog.row_of[record.id]
        for shown_field in DETAIL_FIELDS:
            key = shown_field.key
            field = plain_label(shown[key][position] or shown_field.detail or "")
            field.setAccessibleName(shown_field.title)
            field.setObjectName(f"field_{key}")
            form.addRow(f"{shown_field.title}:", field)
        destination = record.destination
        inferred = plain_label(
            f"{destination.country} — inferred from the notes: “{destination.evidence}”"
            if destination is not None
            else "(none inferred: the notes name no clear destination)"
        )
        inferred.setObjectName("field_destination")
        inferred.setAccessibleName("Destination, inferred from the notes")
        form.addRow("Destination (inferred):", inferred)
        layout.addLayout(form)
        if self.verdict.desk is not None:
            layout.addSpacing(6)
            layout.addWidget(self.verdict)
            self.verdict.show()

        heading = plain_label("Provenance", selectable=False)
        heading_font = QFont(heading.font())
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.15)
        heading.setFont(heading_font)
        layout.addSpacing(6)
        layout.addWidget(heading)
        for entry in record.entries:
            layout.addWidget(self._entry_box(entry))
        from defectors_catalog.domain.output.overview import record_coverage

        coverage = record_coverage(record, self.summaries)
        if coverage:
            box = QGroupBox("Coverage")
            box.setObjectName("coverageNotes")
            notes_layout = QVBoxLayout(box)
            for note in coverage:
                notes_layout.addWidget(plain_label(note))
            layout.addWidget(box)
        merge_notes = [d for d in record.diagnostics if d.code in MERGE_NOTES]
        if merge_notes:
            box = QGroupBox("Merge notes")
            notes = QVBoxLayout(box)
            for diagnostic in merge_notes:
                notes.addWidget(plain_label(_describe(diagnostic)))
            layout.addWidget(box)

    def _entry_box(self, entry: SourceEntry) -> QGroupBox:
        spec = self.catalog.source(entry.source_id)
        box = QGroupBox(f"{spec.title}")
        box.setObjectName(f"provenance_{entry.source_id}")
        form = QFormLayout(box)
        form.addRow("File:", plain_label(f"{spec.path.name}, line {entry.line}"))
        form.addRow("Reliability:", plain_label(spec.reliability.value))
        for key in SAID_FIELDS:
            value = entry.value(key)
            if key == "name" and entry.alias:
                value += f" ({entry.alias})"
            said = plain_label(value or missing_text(key))
            said.setObjectName(f"said_{key}")
            said.setAccessibleName(f"{FIELD[key].title}, as {spec.title} gives it")
            form.addRow(f"{FIELD[key].title}:", said)
        raw = RawLineBox(entry.raw)
        raw.setObjectName("rawLine")
        raw.setAccessibleName(f"Raw line {entry.line} of {spec.path.name}")
        # Under its label across the box's width: a pipe-table row needs the room.
        caption = plain_label("Raw line:", wrap=False, selectable=False)
        caption.setBuddy(raw)
        form.addRow(caption)
        form.addRow(raw)
        for diagnostic in entry.diagnostics:
            form.addRow("Note:", plain_label(_describe(diagnostic)))
        references = self.catalog.parses[entry.source_id].references
        if references:
            button = QPushButton(f"References ({len(references)})\u2026")
            button.setAccessibleName(f"Show the {len(references)} references of {spec.title}")
            button.setAccessibleDescription(
                "The references this record's row cites come first, then the rest"
            )
            button.clicked.connect(lambda: self.showReferences.emit(entry.source_id))
            form.addRow("", button)
        return box


def _describe(diagnostic: Diagnostic) -> str:
    return f"{diagnostic.code}: {diagnostic.message}"
