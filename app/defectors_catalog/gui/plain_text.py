"""Text from a file shown as text, never as markup: tooltips, labels and message boxes.

Qt renders a tooltip, a label in its default format and a message box as rich text
whenever `Qt.mightBeRichText` guesses so, and a source's notes or title holding
`<img src=file:///etc/passwd>` would open that file, twenty nested `<table>`s would
freeze the window, and `<img width=20000 height=20000>` would take 1.5 GB per hover.
So every text that can hold a source's words goes through one of these:

- `plain_tooltip(text)`: the text escaped and wrapped in markup of our own, so Qt
  treats it as rich text holding nothing but what this module made (line breaks), and
  cut to a length a tooltip can show;
- `plain_label(text)`: a QLabel in `Qt.TextFormat.PlainText`;
- `tell(parent, icon, title, text)`: a message box in `Qt.TextFormat.PlainText`.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

# What a tooltip shows at most: a note of a few paragraphs is read whole, a 10 MB
# "note" (a file with no line breaks) is not laid out on every hover.
TOOLTIP_CHARACTERS = 1500
TOOLTIP_LINES = 25
# `<qt>` is a tag Qt knows, so `mightBeRichText` says yes and the text is parsed as the
# markup made here, where every character of the source's text arrives escaped.
_OPEN, _CLOSE = "<qt>", "</qt>"
_LONG_RUN = re.compile(r"(\S{60})(?=\S)")


def plain_tooltip(text: str | None) -> str | None:
    """`text` as a tooltip Qt shows literally; None (no tooltip) for None or ""."""
    if not text:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines) > TOOLTIP_LINES
    shown = "\n".join(lines[:TOOLTIP_LINES])
    if len(shown) > TOOLTIP_CHARACTERS:
        shown, cut = shown[:TOOLTIP_CHARACTERS], True
    # A break allowed within a long run without spaces (twenty `<table>`s), so the
    # tooltip wraps instead of growing wider than the screen.
    shown = _LONG_RUN.sub("\\1\u200b", shown)
    escaped = html.escape(shown, quote=False).replace("\n", "<br>")
    return _OPEN + escaped + ("\u2026" if cut else "") + _CLOSE


def is_plain_tooltip(text: str) -> bool:
    """Whether `text` is shown literally: made by `plain_tooltip`, or not taken for
    markup by Qt at all (tests hold every tooltip of the window to this)."""
    if text.startswith(_OPEN) and text.endswith(_CLOSE):
        inner = text[len(_OPEN) : -len(_CLOSE)].replace("<br>", "")
        return "<" not in inner and ">" not in inner
    return not GuiQt.mightBeRichText(text) and "<" not in text


def plain_label(text: str = "", *, wrap: bool = False, selectable: bool = False) -> QLabel:
    """A label that shows `text` as it is, whatever it holds."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def plain_message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str
) -> QMessageBox:
    """A message box (with a Close button) that shows `text` as it is."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Close, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """Show `text` in a modal message box, as plain text, and wait for the person."""
    plain_message_box(parent, icon, title, text).exec()
