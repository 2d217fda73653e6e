"""The search box: a line edit that reads the search language as it is typed.

A term the language cannot read (`colour:red`, `year:19x5`, an open quote) is underlined
with a wavy line under its span, and the reason is the box's tooltip and part of its
accessible description. Completion offers the names a term may start with and, after
`name:`, that name's values with how many records each gives.

The text is parsed once per change (`find_error` is a small tokeniser), never per paint:
a paint only measures the two ends of the stored span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QCompleter, QLineEdit, QListView, QStyle, QStyleOptionFrame, QWidget

from defectors_catalog.domain.query.engine import FacetValue
from defectors_catalog.domain.query.search_language import (
    NAMES,
    SearchError,
    find_error,
    quoted,
    search_names,
)
from defectors_catalog.domain.text import fold

# What the box is for, before any error is added to it.
DESCRIPTION = (
    "Type words to find records; every word must match. Terms like country:hungary, "
    '"a phrase", -word, year:1950..1959 and OR are understood (Help, Search syntax). '
    "Ctrl+Space lists what may be typed here. Ctrl+Z undoes a filter change"
)
# A popup of thousands of birthplaces helps nobody: the best matches, most records first.
MOST_SHOWN = 60
NAME_FROM = 2  # letters typed before the names a term may start with are offered
# A red that reads on a light and on a dark base (chosen by the base's lightness).
_RED_ON_LIGHT = QColor(0xD0, 0x1F, 0x1F)
_RED_ON_DARK = QColor(0xFF, 0x6B, 0x6B)
# Where a term starts: after a space, a parenthesis, or the leading `-` of a negation.
_TERM_START = re.compile(r"[^\s()]*$")

_ACCEPT_KEYS = frozenset({Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter})
_POPUP_KEYS = _ACCEPT_KEYS | {Qt.Key.Key_Escape}

Completions = Callable[[str], tuple[FacetValue, ...]]


@dataclass(frozen=True)
class _Term:
    """The term under the cursor: where it starts and ends in the text, its leading `-`
    (kept when a completion replaces it), the name before `:` (or None) and the typed
    rest (the name so far, or the value so far, without an opening quote)."""

    start: int
    end: int
    sign: str
    name: str | None
    typed: str


def term_at(text: str, cursor: int) -> _Term:
    """The term the cursor is in or just after (`-country:hun|` → name `country`)."""
    before = text[:cursor]
    quote = before.rfind('"')
    if before.count('"') % 2 and quote > 0 and before[quote - 1] == ":":
        # Inside an open quote after `name:` (country:"east ger|): the term starts at
        # the name and runs to the closing quote, spaces included.
        start = quote - len(_TERM_START.search(before[:quote])[0])  # type: ignore[index]
        close = text.find('"', cursor)
        end = len(text) if close < 0 else close + 1
    else:
        start = cursor - len(_TERM_START.search(before)[0])  # type: ignore[index]
        end = cursor
        while end < len(text) and not text[end].isspace() and text[end] not in "()":
            end += 1
    term = text[start:cursor]
    sign = "-" if term.startswith("-") else ""
    term = term[len(sign) :]
    if ":" in term:
        name, typed = term.split(":", 1)
        return _Term(start, end, sign, name, typed.lstrip('"'))
    return _Term(start, end, sign, None, term)


class SearchBox(QLineEdit):
    """A QLineEdit with the search language's error underline and completion.

    Holds `error` (the `SearchError` of the current text, or None), the completer and its
    model, and `completions` (name → its values with counts, from the query engine),
    whose answers it keeps per name for the catalog it was made for.
    """

    errorChanged = Signal(str)  # the error's message, "" once the text reads again

    def __init__(self, completions: Completions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.completions = completions
        self.error: SearchError | None = None
        self._folded: dict[str, str] = {}  # each value's label, folded once
        self._field_values: dict[str, tuple[FacetValue, ...]] = {}
        self._names = [n for n in search_names() if "_" not in n.name]
        self.completion_model = QStandardItemModel(self)
        self._inserts: dict[str, str] = {}  # each shown row's text → what it puts in
        self.term_completer = QCompleter(self.completion_model, self)
        self.term_completer.setWidget(self)
        self.term_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.term_completer.setMaxVisibleItems(12)
        self.popup = QListView()
        self.term_completer.setPopup(self.popup)
        popup = self.popup
        popup.setAccessibleName("Search completions")
        popup.setAccessibleDescription("Enter or Tab puts the value in the search; Esc closes")
        self.term_completer.activated.connect(self._accept)
        self._popup_keys = _PopupKeys(self)
        self.claim_popup_keys()
        self.setAccessibleName("Search")
        self.setAccessibleDescription(DESCRIPTION)
        self.textEdited.connect(self._offer)
        self.textChanged.connect(self._check)

    # -- the error underline --------------------------------------------------------------

    def _check(self, text: str) -> None:
        error = find_error(text) if text.strip() else None
        if error == self.error:
            return
        self.error = error
        if error is None:
            self.setToolTip("")
            self.setAccessibleDescription(DESCRIPTION)
        else:
            # The message quotes what was typed (`unknown field 'colour'`), which may
            # have been pasted from a file: shown as plain text.
            from defectors_catalog.gui.plain_text import plain_tooltip

            self.setToolTip(plain_tooltip(error.message) or "")
            self.setAccessibleDescription(f"Cannot read this search: {error.message}")
        self.errorChanged.emit(error.message if error else "")
        self.update()

    def error_span(self) -> tuple[int, int] | None:
        """The characters underlined, as (start, end), or None."""
        if self.error is None:
            return None
        return self.error.start, min(self.error.end, len(self.text()))

    def _x_of(self, position: int) -> float:
        """Where, in widget pixels, the gap before character `position` is drawn.

        Measured from the cursor's rectangle, which the line edit places with its own
        horizontal scroll, so the line follows the text when it is scrolled.
        """
        text = self.text()
        cursor = self.cursorPosition()
        metrics = self.fontMetrics()
        at_cursor = self.cursorRect().center().x() + 0.5
        shift = metrics.horizontalAdvance(text[:position]) - metrics.horizontalAdvance(
            text[:cursor]
        )
        return at_cursor + shift

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        span = self.error_span()
        if span is None or self.echoMode() != QLineEdit.EchoMode.Normal:
            return
        start, end = span
        left, right = sorted((self._x_of(start), self._x_of(end)))
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        contents = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        right = max(right, left + 4)  # a span at the end of the text still shows
        left, right = max(left, contents.left()), min(right, contents.right())
        if right <= left:
            return  # scrolled out of sight
        metrics = self.fontMetrics()
        middle = contents.center().y()
        baseline = middle + (metrics.ascent() - metrics.descent()) / 2 + 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(QRect(contents))
        base = self.palette().color(QPalette.ColorRole.Base)
        colour = _RED_ON_DARK if base.lightness() < 128 else _RED_ON_LIGHT
        painter.setPen(QPen(colour, 1.3))
        painter.drawPath(_wave(left, right, baseline))
        painter.end()

    # -- completion -----------------------------------------------------------------------

    def _offer(self, _text: str = "") -> None:
        """Show what may complete the term under the cursor, or close the popup."""
        term = term_at(self.text(), self.cursorPosition())
        rows = self._name_rows(term) if term.name is None else self._value_rows(term)
        self._show(rows)

    def offer_everything(self) -> None:
        """Ctrl+Space: every name (or, after `name:`, every value) whatever is typed."""
        term = term_at(self.text(), self.cursorPosition())
        rows = (self._name_rows(term, every=True) if term.name is None
                else self._value_rows(term, every=True))  # fmt: skip
        self._show(rows)

    def _name_rows(self, term: _Term, every: bool = False) -> list[tuple[str, str]]:
        typed = term.typed.lower()
        # One letter is the start of many plain words ("s" for soviet): names are
        # offered from two letters on, or on Ctrl+Space.
        if len(typed) < NAME_FROM and not every:
            return []
        rows = [
            (f"{n.name}:  {n.title}", f"{term.sign}{n.name}:")
            for n in self._names
            if n.name.startswith(typed) and n.name != typed
        ]
        return rows

    def _value_rows(self, term: _Term, every: bool = False) -> list[tuple[str, str]]:
        name = term.name or ""
        # A facet's values are asked each time: the engine keeps their counts and knows
        # when verdicts change them. A field's distinct values (birthplaces: tens of
        # thousands in a big list) are counted once; no verdict changes them.
        target = NAMES.get(name.lower())
        values = self._field_values.get(name.lower())
        if values is None:
            values = self.completions(name)
            if target is not None and not target.facet and not target.years:
                self._field_values[name.lower()] = values
        typed = "" if every else fold(term.typed.rstrip('"'))
        starts: list[FacetValue] = []
        holds: list[FacetValue] = []
        for value in values:
            folded = self._folded.get(value.label)
            if folded is None:
                folded = self._folded[value.label] = fold(value.label)
            if folded.startswith(typed) or f" {typed}" in folded:
                starts.append(value)
                if len(starts) >= MOST_SHOWN:
                    break
            elif typed in folded and len(holds) < MOST_SHOWN:
                holds.append(value)
        chosen = [*starts, *holds][:MOST_SHOWN]
        if len(chosen) == 1 and quoted(chosen[0].label) == term.typed:
            return []  # already typed in full
        return [
            (f"{v.label}  ({v.count:,})", f"{term.sign}{name}:{quoted(v.label)}") for v in chosen
        ]

    def _show(self, rows: list[tuple[str, str]]) -> None:
        popup = self.popup
        if not rows:
            popup.hide()
            return
        self.completion_model.clear()
        self._inserts = dict(rows)
        for shown in self._inserts:
            # The labels are values from the sources' files: an item's display text is
            # drawn as plain text by the list view, and it has no tooltip.
            item = QStandardItem(shown)
            item.setEditable(False)
            self.completion_model.appendRow(item)
        self.term_completer.setCompletionPrefix("")
        # Under the term being completed, as wide as its longest row.
        term = term_at(self.text(), self.cursorPosition())
        left = int(max(self._x_of(term.start), 0))
        width = max(self.popup.sizeHintForColumn(0), 160) + 40
        cursor = self.cursorRect()
        self.term_completer.complete(QRect(left, cursor.top(), width, cursor.height()))
        # The first row is current, so Enter or Tab takes it without an arrow key.
        popup.setCurrentIndex(self.term_completer.completionModel().index(0, 0))

    def _accept(self, shown: str) -> None:
        insert = self._inserts.get(shown)
        if insert is None:
            return
        text, cursor = self.text(), self.cursorPosition()
        term = term_at(text, cursor)
        after = text[term.end :]
        value_done = not insert.endswith(":")
        if value_done and not after.startswith(" "):
            insert += " "  # ready for the next term
        self.setText(text[: term.start] + insert + after)
        self.setCursorPosition(term.start + len(insert) + (1 if value_done and after else 0))
        if not value_done:
            self._offer()  # after `country:` come the countries

    def completion_open(self) -> bool:
        return self.popup.isVisible()

    def event(self, event: QEvent) -> bool:
        # With the popup open the completer first offers each key to the box, and only
        # what the box leaves it picks the row: Tab would move the focus to the filters
        # and Enter would be the box's, so both are left to the completer.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ACCEPT_KEYS
            and self.completion_open()
        ):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Cancel) and self.completion_open():
            self.popup.hide()
            event.accept()
            return
        if (
            event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            self.offer_everything()
            event.accept()
            return
        super().keyPressEvent(event)

    def claim_popup_keys(self) -> None:
        """While the popup is open, Esc, Tab and Enter are the popup's, not the window's
        shortcuts (Esc clears the filters, from this box too). Call after any shortcut
        guard is installed: the filter installed last sees the key first."""
        self.removeEventFilter(self._popup_keys)
        self.installEventFilter(self._popup_keys)


class _PopupKeys(QObject):
    """Event filter: with the box's popup open, its keys are claimed from the shortcuts."""

    def __init__(self, box: SearchBox) -> None:
        super().__init__(box)
        self.box = box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in _POPUP_KEYS
            and self.box.completion_open()
        ):
            event.accept()  # the key goes to the box (and so to the popup)
            return True
        return False


def _wave(left: float, right: float, y: float) -> QPainterPath:
    """A wavy line from `left` to `right` at height `y`, as spell checkers draw."""
    path = QPainterPath(QPointF(left, y))
    x, up, step = left, True, 2.0
    while x < right:
        x = min(x + step, right)
        path.lineTo(QPointF(x, y - 1.5 if up else y + 0.5))
        up = not up
    return path
