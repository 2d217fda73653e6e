"""The sources overview: every source with its coverage, and how the sources overlap.

Each overlap count is a button-like cell: clicking it shows exactly those records (it
sets the overlap or 'listed in' filter in the filter panel). Bars in the count column
are the small picture of the overlap.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.output.overview import (
    OverlapCount,
    SourceSummary,
    combinations,
    overlap_summary,
    pairwise,
    source_summaries,
)
from defectors_catalog.gui.plain_text import plain_label, plain_tooltip
from defectors_catalog.gui.table_models import FixedColumnsModel

_Index = QModelIndex | QPersistentModelIndex
OverlapRole = Qt.ItemDataRole.UserRole + 30
FractionRole = Qt.ItemDataRole.UserRole + 31

SOURCE_COLUMNS = (
    "Source", "Reliability", "License", "Origin", "Retrieved", "Entries", "Records",
    "Years covered", "Only here", "Coverage notes",
)  # fmt: skip


class SourcesModel(FixedColumnsModel):
    """One row per source: what it is and what it covers."""

    HEADERS = SOURCE_COLUMNS

    def __init__(self, summaries: tuple[SourceSummary, ...]) -> None:
        super().__init__()
        self.summaries = summaries

    def rows(self) -> int:
        return len(self.summaries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.summaries):
            return None
        if not 0 <= index.column() < len(SOURCE_COLUMNS):
            return None
        s = self.summaries[index.row()]
        values = (
            s.spec.title,
            s.spec.reliability.value,
            s.spec.license,
            s.spec.origin,
            s.spec.retrieved or "(unknown)",
            str(s.entries),
            str(s.records),
            s.span,
            str(s.only_here),
            " ".join(s.coverage_notes) or "Covers the full span of the other sources.",
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(values[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (5, 6, 8):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class OverlapModel(FixedColumnsModel):
    """Overlap counts: a label, the count (with a bar), and the filter it stands for."""

    HEADERS = ("Overlap", "Records")

    def __init__(self, counts: list[OverlapCount], total: int) -> None:
        super().__init__()
        self.counts = counts
        self.total = max(total, 1)

    def rows(self) -> int:
        return len(self.counts)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.counts):
            return None
        if not 0 <= index.column() < 2:
            return None
        count = self.counts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return count.label if index.column() == 0 else str(count.count)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{count.label}: {count.count} records \u2014 click to show them")
        if role == OverlapRole:
            return count
        if role == FractionRole:
            return count.count / self.total
        return None


class PairwiseModel(QAbstractTableModel):
    """Row A, column B: records in A but not in B; the diagonal: all records in A."""

    def __init__(self, titles: list[str], cells: list[list[OverlapCount]]) -> None:
        super().__init__()
        self.titles = titles
        self.cells = cells

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(self.titles):
            return None
        prefix = "in " if orientation == Qt.Orientation.Vertical else "not in "
        return prefix + self.titles[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.titles) and 0 <= column < len(self.titles)):
            return None
        cell = self.cells[row][column]
        # The diagonal would read "in A, not in A": it holds all of A's records instead,
        # and says so.
        diagonal = row == column
        if role == Qt.ItemDataRole.DisplayRole:
            return f"all {cell.count}" if diagonal else str(cell.count)
        if role == Qt.ItemDataRole.ToolTipRole:
            if diagonal:
                text = f"Every record in {self.titles[row]}: {cell.count} \u2014 click to show them"
            else:
                text = f"{cell.label}: {cell.count} records \u2014 click to show them"
            return plain_tooltip(text)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == OverlapRole:
            return cell
        return None


class BarDelegate(QStyledItemDelegate):
    """Paints the count over a bar as long as its share of all records (palette colours)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        fraction = index.data(FractionRole)
        if isinstance(fraction, float) and fraction > 0:
            rect = QRectF(option.rect).adjusted(2, 4, -2, -4)
            bar = QRectF(rect.left(), rect.top(), rect.width() * fraction, rect.height())
            colour = option.palette.color(QPalette.ColorRole.Highlight)
            colour.setAlpha(110)
            painter.fillRect(bar, colour)
        super().paint(painter, option, index)


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setCursor(Qt.CursorShape.PointingHandCursor)
    return view


class SourcesOverview(QWidget):
    """Sources with coverage notes, overlap counts and the pairwise table.

    `overlapChosen(OverlapCount)` when a count is clicked.
    """

    overlapChosen = Signal(object)

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.setAccessibleName("Sources overview")
        self.summaries = source_summaries(catalog)
        self.sources_model = SourcesModel(self.summaries)
        self.sources_view = _table(self.sources_model, "Sources")
        self.sources_view.setCursor(Qt.CursorShape.ArrowCursor)
        header = self.sources_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(SOURCE_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.sources_view.setColumnWidth(3, 220)
        self.sources_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )

        counts = [*overlap_summary(catalog), *combinations(catalog)]
        self.overlap_model = OverlapModel(counts, len(catalog.records))
        self.overlap_view = _table(self.overlap_model, "Overlap between sources")
        self.overlap_view.setItemDelegateForColumn(1, BarDelegate(self.overlap_view))
        self.overlap_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.overlap_view.horizontalHeader().setStretchLastSection(True)
        self.overlap_view.verticalHeader().setVisible(False)

        titles = [s.title for s in catalog.sources]
        self.pairwise_model = PairwiseModel(titles, pairwise(catalog))
        self.pairwise_view = _table(self.pairwise_model, "Records in one source but not another")
        self.pairwise_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )

        for view in (self.overlap_view, self.pairwise_view):
            view.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sources_view, 3)
        hint = plain_label("Click a count to show those records; Esc clears the filter.")
        hint.setEnabled(False)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(self.overlap_view, 3)
        row.addWidget(self.pairwise_view, 2)
        layout.addLayout(row, 2)

    def _clicked(self, index: QModelIndex) -> None:
        count = index.data(OverlapRole)
        if isinstance(count, OverlapCount):
            self.overlapChosen.emit(count)
