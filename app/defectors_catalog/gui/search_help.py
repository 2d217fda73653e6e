"""Help → Search syntax: the search language's help, and its examples to try.

The help text is `SEARCH_HELP` from the domain, shown as plain text; the examples are
its indented lines' first column (`name:nureyev`, `-ballet`, ...), so the dialog cannot
drift from the language. Activating one puts it in the search box.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from defectors_catalog.domain.query.search_language import SEARCH_HELP, find_error
from defectors_catalog.gui.plain_text import plain_label, plain_tooltip

# "  name:nureyev           a word in one field": an example, two or more spaces, what
# it does. A line indented further only continues the one above.
_EXAMPLE = re.compile(r"^  (\S.*?)(?:\s{2,}(\S.*))?$")
ExampleRole = Qt.ItemDataRole.UserRole + 1


def examples(help_text: str = SEARCH_HELP) -> list[tuple[str, str]]:
    """(example, what it does) for each example line of the help that the language reads."""
    found: list[tuple[str, str]] = []
    lines = help_text.splitlines()
    for number, line in enumerate(lines):
        match = _EXAMPLE.match(line)
        if match is None or find_error(match[1]) is not None:
            continue
        what = match[2] or ""
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if not what and following.startswith("    "):
            what = following.strip()  # a long example's words stand on the next line
        found.append((match[1], what))
    return found


class SearchHelpDialog(QDialog):
    """The help text (read-only, plain) and the list of examples; `exampleChosen(text)`
    when one is activated (a click, or Enter on it)."""

    exampleChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search syntax")
        self.setAccessibleName("Search syntax")
        self.text = QPlainTextEdit(SEARCH_HELP, self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        # The help is laid out in columns with spaces.
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text.setFont(fixed)
        self.text.setAccessibleName("Search syntax help")
        self.text.setTabChangesFocus(True)
        self.examples = QListWidget(self)
        self.examples.setAccessibleName("Examples")
        self.examples.setAccessibleDescription("Activate an example to search with it")
        self.examples.setFont(fixed)  # the examples line up as in the help above
        found = examples()
        widest = max((len(example) for example, _ in found), default=0)
        for example, what in found:
            item = QListWidgetItem(f"{example:<{widest}}   {what}".rstrip())
            item.setData(ExampleRole, example)
            item.setToolTip(plain_tooltip(f"Search for {example}") or "")
            self.examples.addItem(item)
        self.examples.itemClicked.connect(self._chosen)
        self.examples.itemActivated.connect(self._chosen)
        hint = plain_label("Click an example (or press Enter on it) to put it in the search box.")
        rows = self.examples.sizeHintForRow(0) * max(self.examples.count(), 1)
        self.examples.setMaximumHeight(rows + 2 * self.examples.frameWidth() + 6)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 3)
        layout.addWidget(hint)
        layout.addWidget(self.examples)
        layout.addWidget(buttons)
        longest = max(len(line) for line in SEARCH_HELP.splitlines())
        width = QFontMetrics(fixed).horizontalAdvance("x" * (longest + 4)) + 60
        self.resize(width, 680)

    def _chosen(self, item: QListWidgetItem) -> None:
        example = item.data(ExampleRole)
        if isinstance(example, str):
            self.exampleChosen.emit(example)
