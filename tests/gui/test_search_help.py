"""Help → Search syntax: the language's own help, and examples that search when chosen."""

from __future__ import annotations

from defectors_catalog.domain.query.search_language import SEARCH_HELP, find_error
from defectors_catalog.gui.search_help import ExampleRole, SearchHelpDialog, examples
from PySide6.QtCore import Qt


def test_examples_come_from_the_help_and_each_reads(window):
    found = [example for example, _ in examples()]
    assert "country:hungary" in found and "ballet OR dancer" in found
    assert "(ballet OR dancer) -hungary" in found
    assert all(example in SEARCH_HELP and find_error(example) is None for example in found)
    assert dict(examples())["(ballet OR dancer) -hungary"] == "parentheses group"


def test_help_search_syntax_opens_and_an_example_applies(qtbot, window):
    assert window.search_help_action in window.menuBar().actions()[-1].menu().actions()
    window.search_help_action.trigger()
    dialog = window.findChild(SearchHelpDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.text.toPlainText() == SEARCH_HELP
    assert dialog.text.isReadOnly()
    items = dialog.examples
    row = next(
        i for i in range(items.count()) if items.item(i).data(ExampleRole) == "country:hungary"
    )
    item = items.item(row)
    qtbot.mouseClick(
        items.viewport(), Qt.MouseButton.LeftButton, pos=items.visualItemRect(item).center()
    )
    assert window.search.text() == "country:hungary"
    qtbot.waitUntil(lambda: window.records.model.rowCount() == 22)
    assert window.search.error is None
    # One undo step takes the example back.
    window.undo_action.trigger()
    assert window.search.text() == ""
    # Enter on another example, from the keyboard.
    minus = next(i for i in range(items.count()) if items.item(i).data(ExampleRole) == "-ballet")
    items.setCurrentRow(minus)
    items.setFocus()
    qtbot.keyClick(items, Qt.Key.Key_Return)
    assert window.search.text() == "-ballet"
    # Opening it again shows the same dialog, not a second one.
    window.search_help_action.trigger()
    assert len(window.findChildren(SearchHelpDialog)) == 1
