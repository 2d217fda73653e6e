"""The facets as one tree: a section per facet (a top-level row that opens and closes),
its values as checkable children with their live counts in a right-aligned column.

One `QTreeView` over one model, like calibre's tag browser, rather than a list box per
facet inside a scroll area: the tree is one Tab stop and one scrolling column (the mouse
wheel scrolls the sidebar, never a list under the pointer), and Up/Down, Left/Right
(close/open a section) and Space (tick) are the view's own keys.

A long facet (more values than its spec's `rows`) shows its values with the most records
in the whole catalog, then a "Show all N values" row; the choice is made on the whole
catalog's counts, not the live ones, so rows do not jump under the pointer while other
filters change. A ticked value is always shown. Text typed in the filter box shows, in
every section, only the values whose label contains it (case, accents and script set
aside, as the search does), ticked values included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

from defectors_catalog.domain.text import fold
from defectors_catalog.gui.delegates import readable_text_colour
from defectors_catalog.gui.facets import FacetCountRole, FacetModel, FacetValueRole
from defectors_catalog.gui.plain_text import plain_tooltip

_Index = QModelIndex | QPersistentModelIndex
SectionRole = Qt.ItemDataRole.UserRole + 20  # the facet key of a section or of its value
RowKindRole = Qt.ItemDataRole.UserRole + 21  # "section", "value" or "more"
BadgeRole = Qt.ItemDataRole.UserRole + 22  # a source's badge label ("WP"), else None
LABEL, COUNT = 0, 1


@dataclass
class Badge:
    """A source's badge as the table shows it: its short label and its colour."""

    label: str
    colour: str


@dataclass
class _Section:
    """One facet's section: its values' state (`facet`), which of them are shown (indices
    into `facet.values`, in the facet's own order) and how many more "Show all" reveals."""

    key: str
    title: str
    facet: FacetModel
    limit: int
    top: np.ndarray[Any, np.dtype[np.bool_]]  # the `limit` values with most records overall
    values: np.ndarray[Any, np.dtype[np.str_]]
    folded: np.ndarray[Any, np.dtype[np.str_]]
    tooltips: dict[str, str]
    badges: dict[str, Badge]
    show_all: bool = False
    visible: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # what the model answers: visible + "more"
    hidden: int = 0  # values a "Show all" row would reveal (0: no such row)
    expandable: bool = False  # the section is long enough for a "Show all"/"Show fewer" row


class FacetTreeModel(QAbstractItemModel):
    """Sections (one per facet, in registry order) and their shown values, over the
    `FacetModel`s that hold each facet's values, counts and ticks."""

    def __init__(self) -> None:
        super().__init__()
        self._sections: list[_Section] = []
        self._needle = ""
        self._badge_icons: dict[tuple[str, str], QIcon] = {}
        self._title_font, self._more_font = QFont(), QFont()
        self._title_font.setBold(True)
        self._more_font.setItalic(True)

    # -- building ------------------------------------------------------------------------

    def add_section(
        self,
        key: str,
        title: str,
        facet: FacetModel,
        rows: int,
        tooltips: dict[str, str] | None = None,
        badges: dict[str, Badge] | None = None,
    ) -> None:
        counts = np.asarray(facet.counts, dtype=np.int64)
        top = np.zeros(len(counts), dtype=bool)
        # The most records first; a stable sort keeps the facet's order among equals.
        top[np.argsort(-counts, kind="stable")[:rows]] = True
        section = _Section(
            key, title, facet, rows, top,
            np.array(facet.values, dtype=np.str_),
            np.array([fold(label) for label in facet.labels], dtype=np.str_),
            tooltips or {}, badges or {},
        )  # fmt: skip
        section.expandable = len(facet.values) > section.limit
        self._compute(section)
        section.rows = self._rows_of(section)
        number = len(self._sections)
        self.beginInsertRows(QModelIndex(), number, number)
        self._sections.append(section)
        self.endInsertRows()
        facet.dataChanged.connect(
            lambda _first, _last, roles=(): self._values_changed(number, roles)
        )

    def grow_section(self, key: str) -> None:
        """The section's facet gained values at its end (`FacetModel.add_values`): shown
        at once while the section has room for them, else behind "Show all"."""
        number = self.section_number(key)
        section = self._sections[number]
        facet = section.facet
        added = facet.values[len(section.values) :]
        if not added:
            return
        top = section.top.tolist()
        for _ in added:
            top.append(sum(top) < section.limit)
        section.top = np.array(top, dtype=bool)
        section.values = np.array(facet.values, dtype=np.str_)
        section.folded = np.array([fold(label) for label in facet.labels], dtype=np.str_)
        section.expandable = len(facet.values) > section.limit
        self._relayout([number])

    def _values_changed(self, number: int, roles: Sequence[int]) -> None:
        # Ticks change which values are shown (a ticked value always is); counts do not.
        if Qt.ItemDataRole.CheckStateRole in roles:
            self._relayout([number])
        else:
            self._facet_changed(number)

    def _compute(self, section: _Section) -> None:
        """Which values the section shows, and whether it ends with a "Show all" row."""
        n = len(section.facet.values)
        checked = list(section.facet.checked)
        ticked = np.isin(section.values, checked) if checked else np.zeros(n, dtype=bool)
        if self._needle:
            shown = (np.char.find(section.folded, self._needle) >= 0) | ticked
            section.hidden = 0
        elif section.show_all or not section.expandable:
            shown = np.ones(n, dtype=bool)
            section.hidden = 0
        else:
            shown = section.top | ticked
            section.hidden = n - int(np.count_nonzero(shown))
        section.visible = np.flatnonzero(shown).tolist()

    def _has_more_row(self, section: _Section) -> bool:
        return not self._needle and section.expandable and (section.show_all or section.hidden > 0)

    # -- changes -------------------------------------------------------------------------

    def set_filter_text(self, text: str) -> None:
        needle = fold(text)
        if needle != self._needle:
            self._needle = needle
            self._relayout(range(len(self._sections)))

    def set_show_all(self, key: str, show_all: bool) -> None:
        number = self.section_number(key)
        section = self._sections[number]
        if section.show_all != show_all:
            section.show_all = show_all
            self._relayout([number])

    def shows_all(self, key: str) -> bool:
        return self._sections[self.section_number(key)].show_all

    def _facet_changed(self, number: int) -> None:
        section = self.index(number, 0)
        self.dataChanged.emit(section, section.siblingAtColumn(COUNT))
        rows = self.rowCount(section)
        if rows:
            self.dataChanged.emit(self.index(0, 0, section), self.index(rows - 1, COUNT, section))

    def _relayout(self, numbers: Sequence[int] | range) -> None:
        """Recompute the shown values of these sections. Rows that go or come are removed
        and inserted as such, so a view keeps its current value and open sections."""
        for n in numbers:
            self._compute(self._sections[n])
            self._apply(n, self._rows_of(self._sections[n]))
            self._facet_changed(n)

    def _apply(self, number: int, after: list[int]) -> None:
        """Turn the section's rows into `after`: both keep the facet's order, so removing
        what goes (from the bottom) and inserting what comes (from the top) is exact."""
        section = self._sections[number]
        parent = self.index(number, 0)
        rows = section.rows
        keep = set(after)
        i = len(rows) - 1
        while i >= 0:
            if rows[i] in keep:
                i -= 1
                continue
            j = i
            while j > 0 and rows[j - 1] not in keep:
                j -= 1
            self.beginRemoveRows(parent, j, i)
            del rows[j : i + 1]
            self.endRemoveRows()
            i = j - 1
        have = set(rows)
        i = 0
        while i < len(after):
            if after[i] in have:
                i += 1
                continue
            j = i
            while j + 1 < len(after) and after[j + 1] not in have:
                j += 1
            self.beginInsertRows(parent, i, j)
            rows[i:i] = after[i : j + 1]
            self.endInsertRows()
            i = j + 1

    def _rows_of(self, section: _Section) -> list[int]:
        """The section's rows as value indices, -1 for its "Show all"/"Show fewer" row."""
        return section.visible + ([-1] if self._has_more_row(section) else [])

    def _rows(self, number: int) -> list[int]:
        return self._sections[number].rows

    # -- looking up ----------------------------------------------------------------------

    def section_number(self, key: str) -> int:
        return next(n for n, s in enumerate(self._sections) if s.key == key)

    def section_keys(self) -> list[str]:
        return [s.key for s in self._sections]

    def section_index(self, key: str) -> QModelIndex:
        return self.index(self.section_number(key), 0)

    def value_index(self, key: str, value: str) -> QModelIndex:
        """The row of `value` in its section, or an invalid index when it is not shown."""
        number = self.section_number(key)
        section = self._sections[number]
        item = section.facet.values.index(value)
        rows = self._rows(number)
        if item not in rows:
            return QModelIndex()
        return self.index(rows.index(item), 0, self.index(number, 0))

    def more_index(self, key: str) -> QModelIndex:
        """The section's "Show all"/"Show fewer" row, or an invalid index."""
        number = self.section_number(key)
        rows = self._rows(number)
        if -1 not in rows:
            return QModelIndex()
        return self.index(rows.index(-1), 0, self.index(number, 0))

    def shown_values(self, key: str) -> list[str]:
        section = self._sections[self.section_number(key)]
        return [section.facet.values[i] for i in self._rows(self.section_number(key)) if i >= 0]

    def activate(self, index: _Index) -> bool:
        """Tick or untick a value, or show all/fewer; False for a section row."""
        if not index.isValid() or not index.internalId():
            return False
        number = int(index.internalId()) - 1
        item = self._rows(number)[index.row()]
        section = self._sections[number]
        if item < 0:
            self.set_show_all(section.key, not section.show_all)
        else:
            section.facet.toggle(item)
        return True

    # -- the model -----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column not in (LABEL, COUNT) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._sections) else QModelIndex()
        if parent.internalId() or parent.column() != LABEL:
            return QModelIndex()
        number = parent.row()
        if row >= len(self._rows(number)):
            return QModelIndex()
        return self.createIndex(row, column, number + 1)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or not child.internalId():
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._sections)
        if parent.internalId() or parent.column() != LABEL:
            return 0
        return len(self._rows(parent.row()))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Not ItemIsUserCheckable: the view ticks on a click anywhere on the row and on
        # Space, and the delegate must not tick a second time.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Filter", "Records")[section] if section in (LABEL, COUNT) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if not index.internalId():
            return self._section_data(self._sections[index.row()], index.column(), role)
        number = int(index.internalId()) - 1
        section = self._sections[number]
        rows = self._rows(number)
        if index.row() >= len(rows):
            return None
        item = rows[index.row()]
        if item < 0:
            return self._more_data(section, index.column(), role)
        return self._value_data(section, item, index.column(), role)

    def _section_data(self, section: _Section, column: int, role: int) -> Any:
        ticked = len(section.facet.checked)
        if role == Qt.ItemDataRole.DisplayRole:
            # The ticks show on a closed section too; in the title, which has the width.
            if column == LABEL:
                return f"{section.title} \u00b7 {ticked} ticked" if ticked else section.title
            return ""
        if role == Qt.ItemDataRole.FontRole:
            return self._title_font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{section.title} section, {ticked} ticked" if ticked else section.title
        if role == Qt.ItemDataRole.ToolTipRole and column == LABEL:
            return plain_tooltip(f"{section.title}: tick values to show only matching records")
        if role == SectionRole:
            return section.key
        if role == RowKindRole:
            return "section"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COUNT:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _more_data(self, section: _Section, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == COUNT:
                return ""
            if section.show_all:
                return "Show fewer"
            return f"Show all {len(section.facet.values)} values ({section.hidden} more)\u2026"
        if role == Qt.ItemDataRole.FontRole:
            return self._more_font
        if role == Qt.ItemDataRole.ToolTipRole and column == LABEL:
            what = "only the values with most records" if section.show_all else "every value"
            return plain_tooltip(f"Show {what} of {section.title} (Space or click)")
        if role == SectionRole:
            return section.key
        if role == RowKindRole:
            return "more"
        return None

    def _value_data(self, section: _Section, item: int, column: int, role: int) -> Any:
        facet = section.facet
        value, label, count = facet.values[item], facet.labels[item], facet.counts[item]
        if role == Qt.ItemDataRole.DisplayRole:
            return label if column == LABEL else str(count)
        if role == Qt.ItemDataRole.CheckStateRole and column == LABEL:
            return Qt.CheckState.Checked if value in facet.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL and value in section.badges:
            return self._badge_icon(section.badges[value])
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(section.tooltips.get(value, f"{label}: {count} records"))
        if role == Qt.ItemDataRole.ForegroundRole and count == 0:
            return facet.data(facet.index(item), role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COUNT:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = "ticked" if value in facet.checked else "not ticked"
            badge = section.badges.get(value)
            shown = f"{label}, badge {badge.label}" if badge else label
            return f"{shown}, {count} records, {state}"
        if role == FacetValueRole:
            return value
        if role == FacetCountRole:
            return count
        if role == SectionRole:
            return section.key
        if role == RowKindRole:
            return "value"
        if role == BadgeRole:
            badge = section.badges.get(value)
            return badge.label if badge else None
        return None

    def _badge_icon(self, badge: Badge) -> QIcon:
        key = (badge.label, badge.colour)
        if key not in self._badge_icons:
            self._badge_icons[key] = badge_icon(badge)
        return self._badge_icons[key]


def badge_size(labels: Sequence[str]) -> QSize:
    """The size every badge is drawn at: the widest label's, so titles line up."""
    metrics = QFontMetrics(_badge_font())
    width = max((metrics.horizontalAdvance(label) for label in labels), default=0) + 10
    return QSize(width, metrics.height() + 2)


def _badge_font() -> QFont:
    font = QFont()
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
    return font


def badge_icon(badge: Badge, size: QSize | None = None) -> QIcon:
    """A source's chip as the table draws it: its label on its colour, with black or
    white text, whichever reads on the colour (so on light and dark palettes alike)."""
    size = size or badge_size([badge.label])
    icon = QIcon()
    for ratio in (1.0, 2.0):  # crisp at 1x and 2x
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(badge.colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRect(0, 0, size.width(), size.height()), 4, 4)
        painter.setPen(readable_text_colour(colour))
        painter.setFont(_badge_font())
        painter.drawText(
            QRect(0, 0, size.width(), size.height()), Qt.AlignmentFlag.AlignCenter, badge.label
        )
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class _WrappingDelegate(QStyledItemDelegate):
    """Wraps a label over as many lines as the label column's width needs: a label is
    never cut, and its count keeps its own column."""

    def __init__(self, view: FacetTreeView) -> None:
        super().__init__(view)
        self._view = view
        # Per (wrap width, font, style): a one-line value row's height, and what its
        # check box, badge and margins add to the text's width. The tree asks every
        # row's height on each layout (the pane scrolls per pixel); a value label that
        # fits on one line is as high as every other one, without laying it out.
        self._one_line: dict[tuple[object, ...], tuple[int, int]] = {}

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        if index.column() != LABEL or index.parent().isValid():
            return
        # A section's own open/closed arrow, instead of the tree's branch column: the
        # values then sit one step in rather than two, which a 200 px pane needs.
        view = self._view
        if view.isExpanded(index):
            arrow = QStyle.StandardPixmap.SP_ArrowDown
        elif view.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            arrow = QStyle.StandardPixmap.SP_ArrowLeft
        else:
            arrow = QStyle.StandardPixmap.SP_ArrowRight
        option.icon = view.style().standardIcon(arrow)
        side = max(8, option.fontMetrics.height() * 3 // 4)
        option.decorationSize = QSize(side, side)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        if index.column() != LABEL:
            return super().sizeHint(option, index)
        view = self._view
        depth = 1 if index.parent().isValid() else 0
        width = max(view.header().sectionSize(LABEL) - view.indentation() * depth, 40)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if depth and isinstance(text, str) and index.data(RowKindRole) == "value":
            decoration = index.data(Qt.ItemDataRole.DecorationRole)
            kind = (width, option.font.key(), view.style().name(),
                    decoration.cacheKey() if isinstance(decoration, QIcon) else 0)  # fmt: skip
            known = self._one_line.get(kind)
            if known is not None and _one_line_text(text):
                height, extra = known
                advance = option.fontMetrics.horizontalAdvance(text)
                # A few pixels to spare: the layout's own width of the text may round
                # otherwise than the font's advance; a label near the edge is laid out.
                if advance + extra + ONE_LINE_SLACK <= width:
                    return QSize(advance + extra, height)
            hint = self._laid_out(option, index, width)
            if known is None and _one_line_text(text):
                advance = option.fontMetrics.horizontalAdvance(text)
                if 2 * (advance + ONE_LINE_SLACK) <= width:  # surely one line
                    self._one_line[kind] = (hint.height(), hint.width() - advance)
            return hint
        return self._laid_out(option, index, width)

    def _laid_out(self, option: QStyleOptionViewItem, index: _Index, width: int) -> QSize:
        """The row's size with its label wrapped to `width`, as the style lays it out."""
        wrapped = QStyleOptionViewItem(option)
        wrapped.rect = QRect(0, 0, width, 10_000)
        return super().sizeHint(wrapped, index)


# Pixels a one-line label must leave free for its height to be taken as known.
ONE_LINE_SLACK = 4


def _one_line_text(text: str) -> bool:
    """Whether `text` is one line in the font's own letters (Latin, with diacritics):
    a letter from a fallback font (Cyrillic, Greek, CJK) could make the line higher."""
    return "\n" not in text and (not text or max(map(ord, text)) < 0x250)


class FacetTreeView(QTreeView):
    """The tree of facet sections. Space, Enter or a click on a value ticks it; on a
    section they open or close it; on "Show all" they show all."""

    def __init__(self, model: FacetTreeModel) -> None:
        super().__init__()
        self.facets = model
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(_WrappingDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setExpandsOnDoubleClick(False)
        # The focus rectangle spans the row (label and count), so focus is visible.
        self.setAllColumnsShowFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.header()
        # Narrow steps: at 200 px every pixel of indent is taken from the labels.
        self.setRootIsDecorated(False)
        self.setIndentation(max(10, self.fontMetrics().height() * 3 // 4))
        header.setMinimumSectionSize(8)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.Fixed)
        self.fit_counts(0)
        # A new width of the label column rewraps the labels.
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())
        self.setAccessibleName("Filters by facet")
        self.setAccessibleDescription(
            "Sections of values with their record counts. Up and Down move, Left and Right "
            "close and open a section, Space ticks a value; ticked values within a section "
            "are combined with or, sections with and"
        )
        self.clicked.connect(self._clicked)

    def fit_counts(self, largest: int) -> None:
        """Make the count column just wide enough for `largest` (the catalog's size):
        what it does not take, the labels get."""
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        digits = self.fontMetrics().horizontalAdvance("0" * len(str(max(largest, 999))))
        self.header().resizeSection(COUNT, digits + 4 * margin)

    def _clicked(self, index: QModelIndex) -> None:
        index = index.siblingAtColumn(LABEL)
        if not self.facets.activate(index):
            self.setExpanded(index, not self.isExpanded(index))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        toggles = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select)
        current = self.currentIndex().siblingAtColumn(LABEL)
        if event.key() in toggles and current.isValid():
            if not self.facets.activate(current):
                self.setExpanded(current, not self.isExpanded(current))
            event.accept()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(260, 400)
