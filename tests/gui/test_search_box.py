"""The search box reads the search language: a term it cannot read is underlined with
the reason, completion offers names and values, and the window's keys still work."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.query.search_language import find_error, quoted
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.plain_text import is_plain_tooltip
from defectors_catalog.gui.search_box import SearchBox, term_at
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage


def _type(qtbot, window: MainWindow, text: str) -> None:
    window.search.setFocus()
    qtbot.keyClicks(window.search, text)


def _red_pixels(box: SearchBox) -> int:
    """Pixels of the box that are the underline's red (and nothing else is red)."""
    image: QImage = box.grab().toImage()
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            colour = QColor(image.pixel(x, y))
            if colour.red() > 150 and colour.green() < 120 and colour.blue() < 120:
                count += 1
    return count


def test_an_unknown_field_is_underlined_with_its_reason_until_it_is_fixed(qtbot, window):
    box = window.search
    assert isinstance(box, SearchBox)
    _type(qtbot, window, "ballet colour:red")
    expected = find_error("ballet colour:red")
    assert expected is not None
    assert box.error_span() == (expected.start, expected.end) == (7, 13)
    assert "unknown field 'colour'" in expected.message
    assert is_plain_tooltip(box.toolTip()) and "colour" in box.toolTip()
    assert expected.message in box.accessibleDescription()
    # The status line says it too, without the list of known names the tooltip has.
    assert window.statusBar().currentMessage() == "Search: unknown field 'colour'"
    assert "known: alias, birthplace" in expected.message
    assert _red_pixels(box) > 5  # the line is drawn
    # Meanwhile the text is searched as plain words: no record has "colour".
    qtbot.waitUntil(lambda: window.result is not None and window.result.search_error is not None)

    for _ in range(len("colour:red")):
        qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, "country:hungary")
    assert box.error is None and box.error_span() is None
    assert box.toolTip() == ""
    assert "Cannot read" not in box.accessibleDescription()
    assert _red_pixels(box) == 0
    assert window.statusBar().currentMessage() == ""


@pytest.mark.parametrize(
    "text",
    ['"west berlin', "year:19x5", "(ballet", "ballet OR", "-", "source:"],
)
def test_each_malformed_term_has_the_span_find_error_gives(window, text):
    window.search.setText(text)
    error = find_error(text)
    assert error is not None
    start, end = window.search.error_span() or (-1, -1)
    assert (start, end) == (error.start, min(error.end, len(text)))


def test_the_underline_follows_the_text_when_it_is_scrolled(qtbot):
    box = SearchBox(lambda name: ())
    qtbot.addWidget(box)
    box.setFixedWidth(220)
    box.show()
    qtbot.waitExposed(box)
    text = "ballet " * 12 + "colour:red"
    box.setText(text)
    box.setCursorPosition(len(text))  # the end in view: the bad term is on screen
    assert _red_pixels(box) > 5
    box.setCursorPosition(0)  # scrolled back to the start: the term is out of view
    assert _red_pixels(box) == 0
    box.setText("colour:red " + "ballet " * 12)  # at the start, seen from the end
    box.setCursorPosition(len(box.text()))
    assert _red_pixels(box) == 0
    box.setCursorPosition(0)
    assert _red_pixels(box) > 5


def test_term_at_reads_the_term_under_the_cursor():
    term = term_at('ballet -country:"east ger', 25)
    assert (term.start, term.sign, term.name, term.typed) == (7, "-", "country", "east ger")
    assert term_at("(sou", 4).name is None and term_at("(sou", 4).typed == "sou"


def test_completion_of_a_name_then_its_values_inserts_a_quoted_value(qtbot, window):
    box = window.search
    _type(qtbot, window, "coun")
    qtbot.waitUntil(box.completion_open)
    assert box.completion_model.item(0).text().startswith("country:")
    qtbot.keyClick(box.popup, Qt.Key.Key_Tab)
    assert box.text() == "country:"
    # After the colon come the countries with their counts, most records first.
    qtbot.waitUntil(box.completion_open)
    values = window.catalog.engine.completions("country")
    shown = [box.completion_model.item(r).text() for r in range(box.completion_model.rowCount())]
    assert shown[0] == f"{values[0].label}  ({values[0].count:,})"
    qtbot.keyClicks(box, "east")
    qtbot.waitUntil(lambda: box.completion_model.item(0).text().startswith("East Germany"))
    qtbot.keyClick(box.popup, Qt.Key.Key_Return)
    assert box.text() == f"country:{quoted('East Germany')} " == 'country:"East Germany" '
    assert not box.completion_open()
    east = next(v for v in values if v.label == "East Germany")
    qtbot.waitUntil(lambda: window.records.model.rowCount() == east.count)
    assert box.error is None


def test_esc_closes_the_popup_only_and_then_clears_the_filters(qtbot, window):
    box = window.search
    window.filters.models["country"].set_checked({"Hungary"})
    _type(qtbot, window, "sou")
    qtbot.waitUntil(box.completion_open)
    qtbot.keyClick(box.popup, Qt.Key.Key_Escape)
    assert not box.completion_open()
    assert box.text() == "sou" and window.filters.models["country"].checked == {"Hungary"}
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # no popup now: the window's Esc
    assert box.text() == "" and not window.filters.models["country"].checked


def test_ctrl_space_lists_every_name_and_a_negated_term_keeps_its_sign(qtbot, window):
    box = window.search
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(box.completion_open)
    names = [box.completion_model.item(r).text() for r in range(box.completion_model.rowCount())]
    assert any(n.startswith("year:") for n in names) and any(n.startswith("tag:") for n in names)
    qtbot.keyClick(box.popup, Qt.Key.Key_Escape)
    _type(qtbot, window, "-source:fan")
    qtbot.waitUntil(box.completion_open)
    qtbot.keyClick(box.popup, Qt.Key.Key_Return)
    assert box.text().startswith("-source:") and box.error is None


def test_the_windows_keys_work_from_the_box(qtbot, window, monkeypatch):
    box = window.search
    _type(qtbot, window, "ballet")
    qtbot.waitUntil(lambda: window.history.stack.canUndo())
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.text() == ""
    exported: list[bool] = []
    monkeypatch.setattr(window.exporter, "export", lambda: exported.append(True))
    window.export_action.triggered.disconnect()
    window.export_action.triggered.connect(window.exporter.export)
    qtbot.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert exported == [True]
