"""The sources overview: every source with its coverage, and how the sources overlap.

Each overlap count is a button-like cell: clicking it shows exactly those records (it
sets the overlap or 'listed in' filter in the filter panel). Bars in the count column
are the small picture of the overlap. Each source's citation is copied from the sources
table's context menu or the Copy citation button (plain text, BibTeX or CSL-JSON).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.output.citations import CITATION_FORMATS, cite_source
from defectors_catalog.domain.output.overview import (
    OverlapCount,
    SourceSummary,
    combinations,
    overlap_summary,
    pairwise,
    source_summaries,
)
from defectors_catalog.gui.citations_ui import MENU_TEXT, copy_to_clipboard, format_name
from defectors_catalog.gui.column_fit import fit_columns
from defectors_catalog.gui.plain_text import plain_label, plain_tooltip
from defectors_catalog.gui.table_models import FixedColumnsModel

_Index = QModelIndex | QPersistentModelIndex
OverlapRole = Qt.ItemDataRole.UserRole + 30
FractionRole = Qt.ItemDataRole.UserRole + 31

# What a person compares first comes first; license, origin and date (long, and the
# same for every bundled source) come last, cut with their full text in the tooltip.
SOURCE_COLUMNS = (
    "Source", "Reliability", "Entries", "Records", "Years covered", "Only here",
    "Coverage notes", "License", "Origin", "Retrieved",
)  # fmt: skip
NUMBER_COLUMNS = (2, 3, 5)


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
            str(s.entries),
            str(s.records),
            s.span,
            str(s.only_here),
            " ".join(s.coverage_notes) or "Covers the full span of the other sources.",
            s.spec.license,
            s.spec.origin,
            s.spec.retrieved or "(unknown)",
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(values[index.column()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMBER_COLUMNS:
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
    """Row A, column B: records in A but not in B; the diagonal: all records in A.

    Headers give the sources' short labels (the badges' "WP", "Fan"), so a column is as
    wide as its count, and their tooltips the full titles."""

    def __init__(
        self, titles: list[str], cells: list[list[OverlapCount]], labels: list[str] | None = None
    ) -> None:
        super().__init__()
        self.titles = titles
        self.labels = labels if labels is not None else titles
        self.cells = cells

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not 0 <= section < len(self.titles):
            return None
        prefix = "in " if orientation == Qt.Orientation.Vertical else "not in "
        if role == Qt.ItemDataRole.DisplayRole:
            return prefix + self.labels[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(prefix + self.titles[section])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return prefix + self.titles[section]
        return None

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


def _table(model: QAbstractTableModel, name: str, description: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setAccessibleDescription(description)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    # One line a row, the rest in the tooltip: a wrapped coverage note made rows some
    # 150 px tall, and two of five sources showed in the dock.
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.setCursor(Qt.CursorShape.PointingHandCursor)
    return view


def _content_height(view: QTableView, rows: int) -> int:
    """The height that shows the header and `rows` rows without a scroll bar."""
    header = max(view.horizontalHeader().sizeHint().height(), view.horizontalHeader().height())
    scroll = view.horizontalScrollBar().sizeHint().height()
    rows_height = rows * view.verticalHeader().defaultSectionSize()
    # A few pixels to spare: the last row is not to end under the scroll bar's edge.
    return header + rows_height + scroll + 2 * view.frameWidth() + 4


class SourcesOverview(QWidget):
    """Sources with coverage notes, overlap counts and the pairwise table.

    `overlapChosen(OverlapCount)` when a count is clicked; `citationCopied(message)`
    when a source's citation went to the clipboard (`citation_format` is the format
    the button copies in: the one chosen last, plain text at first).
    """

    overlapChosen = Signal(object)
    citationCopied = Signal(str)

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.setAccessibleName("Sources overview")
        self.catalog = catalog
        self.citation_format = "text"
        self._sized = False
        self.summaries = source_summaries(catalog)
        self.sources_model = SourcesModel(self.summaries)
        self.sources_view = _table(
            self.sources_model,
            "Sources",
            "Every source with its reliability, license, coverage and records only it lists.",
        )
        self.sources_view.setCursor(Qt.CursorShape.ArrowCursor)
        self.sources_view.verticalHeader().setVisible(False)
        fit_columns(self.sources_view, maximum=170)
        notes = SOURCE_COLUMNS.index("Coverage notes")
        self.sources_view.setColumnWidth(notes, max(self.sources_view.columnWidth(notes), 260))

        counts = [*overlap_summary(catalog), *combinations(catalog)]
        self.overlap_model = OverlapModel(counts, len(catalog.records))
        self.overlap_view = _table(
            self.overlap_model,
            "Overlap between sources",
            "How many records each set of sources lists; activate a count to show them.",
        )
        self.overlap_view.setItemDelegateForColumn(1, BarDelegate(self.overlap_view))
        self.overlap_view.verticalHeader().setVisible(False)
        fit_columns(self.overlap_view, maximum=280)

        titles = [s.title for s in catalog.sources]
        labels = [s.label for s in catalog.sources]
        self.pairwise_model = PairwiseModel(titles, pairwise(catalog), labels)
        self.pairwise_view = _table(
            self.pairwise_model,
            "Records in one source but not another",
            "Row: the source that lists them; column: the source that does not; "
            "activate a count to show them.",
        )
        fit_columns(self.pairwise_view, maximum=160, stretch_last=False)

        for view in (self.overlap_view, self.pairwise_view):
            view.clicked.connect(self._clicked)
            view.activated.connect(self._clicked)  # Enter on a count, from the keyboard
        # The sources table is as tall as its rows (up to eight), the overlap tables get
        # the rest; a splitter lets the person move the line between them.
        shown = min(max(self.sources_model.rowCount(), 1), 8)
        self.sources_view.setMinimumHeight(_content_height(self.sources_view, min(shown, 3)))
        hint = plain_label(
            "Click a count (or press Enter on it) to show those records; Esc clears the filter."
        )
        hint.setEnabled(False)
        self.cite_button = self._build_cite_button()
        below = QHBoxLayout()
        below.addWidget(hint, 1)
        below.addWidget(self.cite_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.sources_view, 1)
        top_layout.addLayout(below)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.setChildrenCollapsible(False)
        bottom.addWidget(self.overlap_view)
        bottom.addWidget(self.pairwise_view)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 1)
        self.parts = QSplitter(Qt.Orientation.Vertical)
        self.parts.setChildrenCollapsible(False)
        self.parts.addWidget(top)
        self.parts.addWidget(bottom)
        self.parts.setStretchFactor(0, 0)
        self.parts.setStretchFactor(1, 1)
        self.hint = hint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.parts)

    # -- citations ------------------------------------------------------------------------

    def _build_cite_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setText(f"Copy citation ({format_name(self.citation_format)})")
        button.setAccessibleName("Copy citation of the chosen source")
        button.setToolTip("Copy the chosen source's citation; the arrow picks the format")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(button)
        for format in CITATION_FORMATS:
            action = menu.addAction(f"Copy citation as {MENU_TEXT[format].replace('&', '')}")
            action.triggered.connect(lambda _on=False, f=format: self.copy_citation(f))
        button.setMenu(menu)
        button.clicked.connect(lambda: self.copy_citation())
        self.sources_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sources_view.customContextMenuRequested.connect(self._show_source_menu)
        return button

    def chosen_source(self) -> str | None:
        """The id of the source whose row is current, or None."""
        row = self.sources_view.currentIndex().row()
        if not 0 <= row < len(self.summaries):
            return None
        return self.summaries[row].spec.id

    def source_menu(self, point: QPoint) -> QMenu | None:
        """The sources table's context menu at `point` (viewport coordinates): the
        source there becomes current, and each format copies its citation."""
        index = self.sources_view.indexAt(point)
        if index.isValid():
            self.sources_view.setCurrentIndex(index)
        if self.chosen_source() is None:
            return None
        menu = QMenu(self.sources_view)
        for format in CITATION_FORMATS:
            action = menu.addAction(f"Copy citation as {MENU_TEXT[format].replace('&', '')}")
            action.triggered.connect(lambda _on=False, f=format: self.copy_citation(f))
        return menu

    def _show_source_menu(self, point: QPoint) -> None:
        menu = self.source_menu(point)
        if menu is not None:
            menu.exec(self.sources_view.viewport().mapToGlobal(point))
            menu.deleteLater()

    def copy_citation(self, format: str | None = None) -> None:
        """Copy the current source's citation in `format` (which becomes the button's), or
        in the button's format."""
        if format is not None:
            self.citation_format = format
        format = self.citation_format
        self.cite_button.setText(f"Copy citation ({format_name(format)})")
        source = self.chosen_source()
        if source is None:
            self.citationCopied.emit("Choose a source in the table to copy its citation")
            return
        try:
            text = cite_source(self.catalog, source, format)
        except CatalogError as exc:
            self.citationCopied.emit(f"Could not cite: {exc}")
            return
        copy_to_clipboard(text)
        title = next(s.spec.title for s in self.summaries if s.spec.id == source)
        self.citationCopied.emit(f"Copied the citation of {title} ({format_name(format)})")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Every source row shows; the overlap tables take what is left.
        if not self._sized:
            self._sized = True
            QTimer.singleShot(0, self._share_height)  # once the layout gave the real height

    def _share_height(self) -> None:
        shown = min(max(self.sources_model.rowCount(), 1), 8)
        below = max(self.hint.sizeHint().height(), self.cite_button.sizeHint().height())
        top = _content_height(self.sources_view, shown) + below
        top += self.parts.handleWidth()
        self.parts.setSizes([top, max(self.parts.height() - top, 60)])

    def _clicked(self, index: QModelIndex) -> None:
        count = index.data(OverlapRole)
        if isinstance(count, OverlapCount):
            self.overlapChosen.emit(count)
