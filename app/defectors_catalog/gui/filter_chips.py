"""The row of active filters above the table: one removable chip each, and Clear all.

The window says what is active (`Chip`s); this row only shows them. Chips are not Tab
stops (Tab moves between panes); every one of them is also undone by Ctrl+Z or by
unticking its value in the sidebar, and each has an accessible name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from defectors_catalog.gui.flow_layout import FlowLayout
from defectors_catalog.gui.plain_text import plain_tooltip

# A chip's text is cut to this many characters (the tooltip has all of it): a search
# of a pasted paragraph must not make one chip as wide as the window.
CHIP_CHARS = 40


@dataclass(frozen=True)
class Chip:
    """One active filter: what it says, and how to take it away."""

    kind: str  # "search", "facet", "years", "overlap": for tests and accessibility
    text: str
    remove: Callable[[], None]


class FilterChips(QWidget):
    """Holds one button per active filter and a Clear all button; hidden when none."""

    def __init__(self, clear_all: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("filterChips")
        self.setAccessibleName("Active filters")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._layout = FlowLayout(self)
        self._clear_all = clear_all
        self.chips: list[QToolButton] = []
        self.hide()

    def show_chips(self, chips: Sequence[Chip]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone now, not when the deletion comes round
                widget.deleteLater()
        self.chips = []
        for chip in chips:
            button = self._button(_cut(chip.text) + "  \u2715", chip.remove)
            button.setObjectName(f"chip-{chip.kind}")
            button.setToolTip(plain_tooltip(f"{chip.text}\nClick to remove this filter") or "")
            button.setAccessibleName(f"Remove filter {chip.text}")
            self.chips.append(button)
        if chips:
            clear = self._button("Clear all", self._clear_all)
            clear.setObjectName("chipsClearAll")
            clear.setToolTip("Clear the search and every filter (Esc); Ctrl+Z brings them back")
            clear.setAccessibleName("Clear all filters")
        self.setVisible(bool(chips))
        self.updateGeometry()

    def _button(self, text: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text.replace("&", "&&"))  # a mnemonic would eat "R&D"
        button.setAutoRaise(False)
        button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: slot())  # not `checked`, as an argument
        self._layout.addWidget(button)
        return button

    def texts(self) -> list[str]:
        """What the chips say, as a person reads them (for tests and screen readers)."""
        return [b.text().replace("&&", "&").removesuffix("  \u2715") for b in self.chips]


def _cut(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= CHIP_CHARS else one_line[: CHIP_CHARS - 1] + "\u2026"
