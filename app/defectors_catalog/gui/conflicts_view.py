"""Conflicts and near-duplicates: where sources disagree, and pairs that may be one person.

Conflicts: a list of records whose sources disagree (or word their notes differently),
and for the chosen one a table of fields by source with the disputed fields highlighted
and, in notes, the words that differ from the other source marked (painted with
character formats over plain text: source text is never rendered as rich text).
Candidates: pairs the merge did not join (close names, years at most one apart), with
"same person" / "different people" decisions that are saved at once and can be undone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPalette,
    QShowEvent,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.fields import ENTRY_FIELDS, FIELD
from defectors_catalog.domain.merge.comparing import word_diff
from defectors_catalog.domain.merge.decisions import FILE_NAME, Decision, DecisionStore
from defectors_catalog.domain.model import CatalogRecord, MatchCandidate
from defectors_catalog.domain.output.overview import (
    CONFLICT_FIELDS,
    conflicting_records,
    disputed_fields,
    reworded_fields,
)
from defectors_catalog.gui.column_fit import column_width, fit_columns
from defectors_catalog.gui.detail_panel import missing_text
from defectors_catalog.gui.plain_text import plain_tooltip, tell
from defectors_catalog.gui.table_models import FixedColumnsModel

logger = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
# (start, end) offsets into a cell's text of the words the other source does not have.
ChangedWordsRole = Qt.ItemDataRole.UserRole + 1
DECISION_TEXT = {
    None: "undecided",
    Decision.SAME: "same person",
    Decision.DIFFERENT: "different people",
}


def default_decisions_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / FILE_NAME


def _spoken(keys: Sequence[str]) -> str:
    """'a, b and c' of the fields' titles, as a sentence says them."""
    titles = [FIELD[key].title.lower() for key in keys]
    return ", ".join(titles[:-1]) + f" and {titles[-1]}" if len(titles) > 1 else "".join(titles)


def _in_range(index: _Index, rows: int, columns: int) -> bool:
    return index.isValid() and 0 <= index.row() < rows and 0 <= index.column() < columns


class ConflictListModel(FixedColumnsModel):
    """Records whose sources disagree: name, year, and the disputed fields."""

    HEADERS = ("Name", "Year", "Disagree on")

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.positions = conflicting_records(catalog.records)

    def rows(self) -> int:
        return len(self.positions)

    def record(self, row: int) -> CatalogRecord:
        return self.catalog.records[self.positions[row]]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.in_range(index):
            return None
        record = self.record(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return record.name
            if index.column() == 1:
                return "" if record.year is None else str(record.year)
            return self._disputed_text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 2:
                return plain_tooltip(f"{record.name}: {self._disputed_text(record)}")
            return plain_tooltip(record.name if index.column() == 0 else None)
        return None

    @staticmethod
    def _disputed_text(record: CatalogRecord) -> str:
        said = [FIELD[f].title.lower() for f in sorted(disputed_fields(record))]
        said += [
            f"{FIELD[f].title.lower()} (worded differently)"
            for f in sorted(reworded_fields(record))
        ]
        return ", ".join(said)


class ComparisonModel(QAbstractTableModel):
    """One record's fields (rows) as each source gave them (columns): the disputed
    fields, and for fields worded differently (notes) the words that differ from the
    other source (the first source's column is compared with the second, every other
    with the first)."""

    def __init__(self, catalog: Catalog, palette: QPalette) -> None:
        super().__init__()
        self.catalog = catalog
        self.record: CatalogRecord | None = None
        self.disputed: frozenset[str] = frozenset()
        self.reworded: frozenset[str] = frozenset()
        # (row, column) -> (text shown, spans of the words that differ)
        self._changed: dict[tuple[int, int], tuple[str, tuple[tuple[int, int], ...]]] = {}
        self._highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        self._highlight.setAlpha(70)

    def set_record(self, record: CatalogRecord | None) -> None:
        self.beginResetModel()
        self.record = record
        self.disputed = disputed_fields(record) if record is not None else frozenset()
        self.reworded = reworded_fields(record) if record is not None else frozenset()
        self._changed = self._changed_words(record) if record is not None else {}
        self.endResetModel()

    def _changed_words(
        self, record: CatalogRecord
    ) -> dict[tuple[int, int], tuple[str, tuple[tuple[int, int], ...]]]:
        changed = {}
        entries = record.entries
        for row, field in enumerate(CONFLICT_FIELDS):
            if field not in self.reworded or len(entries) < 2:
                continue
            for column, entry in enumerate(entries):
                other = entries[1 if column == 0 else 0]
                mine, _ = word_diff(entry.value(field), other.value(field))
                spans: list[tuple[int, int]] = []
                pieces: list[str] = []
                offset = 0
                for run in mine:
                    start = offset + (1 if pieces else 0)
                    pieces.append(run.text)
                    offset = start + len(run.text)
                    if run.kind != "same":
                        spans.append((start, offset))
                changed[row, column] = (" ".join(pieces), tuple(spans))
        return changed

    def marked_text(self, row: int, column: int) -> str:
        """The cell's text with the differing words in [brackets]: for screen readers
        and tests, as plain text."""
        text, spans = self._changed.get((row, column), ("", ()))
        if not spans:
            return text
        pieces, last = [], 0
        for start, end in spans:
            pieces += [text[last:start], "[", text[start:end], "]"]
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.record is None else len(CONFLICT_FIELDS)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.record is None else len(self.record.entries)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.record is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(CONFLICT_FIELDS):
                return None
            return FIELD[CONFLICT_FIELDS[section]].title
        if not 0 <= section < len(self.record.entries):
            return None
        entry = self.record.entries[section]
        spec = self.catalog.source(entry.source_id)
        # The badge label keeps two or three source columns whole in a narrow dock; the
        # tooltip and screen readers get the source's full title.
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{spec.label}, line {entry.line}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{spec.title}, line {entry.line} of {spec.path.name}")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{spec.title}, line {entry.line}"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.record is None:
            return None
        if not _in_range(index, len(CONFLICT_FIELDS), len(self.record.entries)):
            return None
        field = CONFLICT_FIELDS[index.row()]
        value = self.record.entries[index.column()].value(field)
        changed = self._changed.get((index.row(), index.column()))
        if changed is not None:
            value = changed[0]
            if role == ChangedWordsRole:
                return changed[1]
            if role == Qt.ItemDataRole.AccessibleTextRole and changed[1]:
                return self.marked_text(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return value or missing_text(field)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(value)
        if field in self.disputed:
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._highlight
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{value}, disputed"
        return None


class ChangedWordsDelegate(QStyledItemDelegate):
    """Wrapped cell text with the words of `ChangedWordsRole` marked (underlined, on a
    tint): plain text laid out with `QTextLayout` formats, never parsed as markup."""

    PADDING = 3

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        spans = index.data(ChangedWordsRole)
        if not spans:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        widget: QWidget | None = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        rect = rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, 0)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        colour = item.palette.color(
            QPalette.ColorGroup.Normal,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
        )
        layout = self._layout(text, spans, item.font, rect.width())
        painter.save()
        painter.setClipRect(option.rect)
        painter.setPen(colour)
        layout.draw(painter, QPointF(rect.left(), rect.top()))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        spans = index.data(ChangedWordsRole)
        if not spans:
            return super().sizeHint(option, index)
        parent = self.parent()
        width = option.rect.width()
        if isinstance(parent, QTableView):
            width = parent.columnWidth(index.column())
        width = max(width - 4 * self.PADDING, 40)
        layout = self._layout(str(index.data()), spans, option.font, width)
        height = layout.boundingRect().height()
        return QSize(width, int(height) + 3 * self.PADDING)

    @staticmethod
    def _layout(
        text: str, spans: Sequence[tuple[int, int]], font: QFont, width: float
    ) -> QTextLayout:
        mark = QTextCharFormat()
        mark.setBackground(QColor(255, 170, 0, 110))
        mark.setFontUnderline(True)
        formats = []
        for start, end in spans:
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = start, end - start, mark
            formats.append(span)
        layout = QTextLayout(text, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.setFormats(formats)
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += line.height()
        layout.endLayout()
        return layout


class CandidatesModel(FixedColumnsModel):
    """Candidate pairs with their score, why, and the person's decision."""

    HEADERS = ("Record", "Might be the same as", "Score", "Why", "Decision")

    def __init__(self, catalog: Catalog, decision_of: Callable[[MatchCandidate], Decision | None]):
        super().__init__()
        self.catalog = catalog
        self.candidates = list(catalog.candidates)
        self.decision_of = decision_of

    def rows(self) -> int:
        return len(self.candidates)

    def _describe(self, record_id: str, label: str) -> str:
        if record_id not in self.catalog.row_of:
            return f"{label} (merged)"  # a "same person" decision merged it away
        record = self.catalog.records[self.catalog.row_of[record_id]]
        return f"{record.name} ({record.year})" if record.year is not None else record.name

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.in_range(index):
            return None
        candidate = self.candidates[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (
                self._describe(candidate.record_a, candidate.label_a),
                self._describe(candidate.record_b, candidate.label_b),
                f"{candidate.score:.0f}",
                "; ".join(candidate.reasons),
                DECISION_TEXT[self.decision_of(candidate)],
            )[index.column()]
            return text if role == Qt.ItemDataRole.DisplayRole else plain_tooltip(text)
        return None

    def refresh_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))


def _view(model: QAbstractTableModel, name: str, description: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _empty(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName(name)
    return label


class ConflictsView(QWidget):
    """Both halves; `recordChosen(position)` when a conflict or candidate is picked."""

    decisionsChanged = Signal()  # the catalog should be rebuilt with the new decisions

    recordChosen = Signal(int)

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.setAccessibleName("Conflicts and near-duplicates")
        self._store: DecisionStore | None = None

        self.conflicts = ConflictListModel(catalog)
        self.conflict_view = _view(
            self.conflicts,
            "Records whose sources disagree",
            "Pick a record to compare what each source gives for it.",
        )
        self.conflict_view.setWordWrap(False)  # one line a record; the rest in the tooltip
        fit_columns(self.conflict_view, maximum=150)
        self.comparison = ComparisonModel(catalog, self.palette())
        self.comparison_view = _view(
            self.comparison,
            "Values by source",
            "One row per field, one column per source; disputed fields are in bold, "
            "differing words are marked.",
        )
        self.comparison_view.setWordWrap(True)
        self.comparison_view.setItemDelegate(ChangedWordsDelegate(self.comparison_view))
        self.comparison_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        # The sources compare the same fields: their columns share the width equally.
        comparison_header = self.comparison_view.horizontalHeader()
        comparison_header.setMinimumSectionSize(120)
        comparison_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.conflict_view.selectionModel().currentRowChanged.connect(self._conflict_changed)
        multi = sum(1 for r in catalog.records if len(r.sources) > 1)
        self.conflict_pages = QStackedWidget()
        conflicts_page = QSplitter(Qt.Orientation.Horizontal)
        conflicts_page.addWidget(self.conflict_view)
        conflicts_page.addWidget(self.comparison_view)
        conflicts_page.setChildrenCollapsible(False)
        self.conflicts_page = conflicts_page
        self._sized = False
        self.conflicts_empty = _empty(
            f"No conflicts: the {multi} records listed by more than one source get the same "
            f"{_spoken(ENTRY_FIELDS)} from each of them.",
            "conflictsEmpty",
        )
        self.conflict_pages.addWidget(conflicts_page)
        self.conflict_pages.addWidget(self.conflicts_empty)
        self.conflict_pages.setCurrentIndex(0 if self.conflicts.rowCount() else 1)

        self.candidates = CandidatesModel(catalog, self._decision_of)
        self.candidate_view = _view(
            self.candidates,
            "Possible duplicates",
            "Pairs of records that may be one person; pick one and decide, "
            "or double-click to show the record.",
        )
        self.candidate_view.setWordWrap(False)
        fit_columns(self.candidate_view, maximum=130)
        # The decision is read beside the names; the long "why" takes the rest of the
        # width, last (a move of the header only: the model's columns stay as they are).
        candidate_header = self.candidate_view.horizontalHeader()
        candidate_header.moveSection(CandidatesModel.HEADERS.index("Decision"), 2)
        candidate_header.setStretchLastSection(True)
        self.candidate_view.setColumnWidth(
            CandidatesModel.HEADERS.index("Decision"),
            column_width(self.candidate_view, CandidatesModel.HEADERS.index("Decision"), 180),
        )
        self.same_button = QPushButton("Same person")
        self.different_button = QPushButton("Different people")
        self.undo_button = QPushButton("Undo")
        for button, description in (
            (self.same_button, "Merge the chosen pair into one record"),
            (self.different_button, "Keep the chosen pair apart and stop suggesting it"),
            (self.undo_button, "Take back the last decision"),
        ):
            button.setAccessibleDescription(description)
        self.same_button.clicked.connect(lambda: self.decide(Decision.SAME))
        self.different_button.clicked.connect(lambda: self.decide(Decision.DIFFERENT))
        self.undo_button.clicked.connect(self.undo)
        self.candidate_view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.candidate_view.doubleClicked.connect(self._choose_candidate)
        self.candidates_summary = QLabel()
        self.candidates_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.candidates_summary.setObjectName("candidatesSummary")
        self.candidates_summary.setWordWrap(True)
        # The count above the buttons, not beside them: that row set the half's minimum
        # width at some 500 px and starved the conflicts beside it.
        buttons = QHBoxLayout()
        for button in (self.same_button, self.different_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.candidate_pages = QStackedWidget()
        candidates_page = QWidget()
        page_layout = QVBoxLayout(candidates_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.candidate_view)
        page_layout.addWidget(self.candidates_summary)
        page_layout.addLayout(buttons)
        self.candidates_empty = _empty(
            "No near-duplicate candidates: no two unmerged records have names this alike "
            "(88/100 or more) with years at most one apart.",
            "candidatesEmpty",
        )
        self.candidate_pages.addWidget(candidates_page)
        self.candidate_pages.addWidget(self.candidates_empty)
        self.candidate_pages.setCurrentIndex(0 if self.candidates.rowCount() else 1)

        # A splitter, not a fixed half each: in a 1024 px window the person decides which
        # half gets the room.
        self.halves = QSplitter(Qt.Orientation.Horizontal)
        self.halves.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.halves)
        for title, page in (
            ("Sources disagree", self.conflict_pages),
            ("Might be the same person", self.candidate_pages),
        ):
            half = QWidget()
            column = QVBoxLayout(half)
            column.setContentsMargins(0, 0, 0, 0)
            heading = QLabel(title)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            column.addWidget(heading)
            column.addWidget(page, 1)
            self.halves.addWidget(half)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The first time it shows, at its real width: the conflicts (a list and a
        # comparison side by side) get three fifths, the list two fifths of those.
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._share_width)  # once the layout gave the real width

    def _share_width(self) -> None:
        width = self.halves.width()
        left = width * 3 // 5
        self.halves.setSizes([left, width - left])
        self.conflicts_page.setSizes([left * 2 // 5, left - left * 2 // 5])

    # -- decisions -------------------------------------------------------------------------

    @property
    def store(self) -> DecisionStore:
        """Opened on first use, so merely showing the window touches no file."""
        if self._store is None:
            self._store = DecisionStore(default_decisions_path())
        return self._store

    def set_store(self, store: DecisionStore) -> None:
        self._store = store
        self.candidates.refresh_row(0) if self.candidates.rowCount() else None
        self._update_buttons()

    def _decision_of(self, candidate: MatchCandidate) -> Decision | None:
        if self._store is None and not self.catalog.candidates:
            return None
        return self.store.get(candidate)

    def _current_candidate(self) -> int | None:
        index = self.candidate_view.currentIndex()
        return index.row() if index.isValid() else None

    def _choose_candidate(self, index: QModelIndex) -> None:
        candidate = self.candidates.candidates[index.row()]
        for record_id in (candidate.record_a, candidate.record_b):
            if record_id in self.catalog.row_of:  # one side may have been merged away
                self.recordChosen.emit(self.catalog.row_of[record_id])
                return

    def decide(self, decision: Decision) -> None:
        row = self._current_candidate()
        if row is None:
            return
        try:
            self.store.decide(self.candidates.candidates[row], decision)
        except CatalogError as exc:
            self._not_saved(exc)
        self.candidates.refresh_row(row)
        self._update_buttons()
        self.decisionsChanged.emit()

    def undo(self) -> None:
        try:
            changed = self.store.undo() is not None
        except CatalogError as exc:
            self._not_saved(exc)
            changed = True  # taken back in memory all the same
        if changed:
            for row in range(self.candidates.rowCount()):
                self.candidates.refresh_row(row)
            self.decisionsChanged.emit()
        self._update_buttons()

    def _not_saved(self, exc: CatalogError) -> None:
        """Say that a decision holds for now only (the store kept it in memory)."""
        logger.warning("%s", exc)
        tell(
            self,
            QMessageBox.Icon.Warning,
            "Decision not saved",
            f"{str(exc)[:1].upper()}{str(exc)[1:]}.\n\nIt applies until the app closes; "
            f"to keep it, make {self.store.path.parent} writable and decide again.",
        )

    def _update_buttons(self, *_: object) -> None:
        chosen = self._current_candidate() is not None
        self.same_button.setEnabled(chosen)
        self.different_button.setEnabled(chosen)
        self.undo_button.setEnabled(self._store is not None and self._store.can_undo)
        total = len(self.candidates.candidates)
        if total:
            pending = sum(1 for c in self.candidates.candidates if self._decision_of(c) is None)
            self.candidates_summary.setText(f"{total} candidate pairs, {pending} undecided")

    # -- conflicts -------------------------------------------------------------------------

    def _conflict_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.comparison.set_record(None)
            return
        record = self.conflicts.record(current.row())
        self.comparison.set_record(record)
        self.recordChosen.emit(self.conflicts.positions[current.row()])
