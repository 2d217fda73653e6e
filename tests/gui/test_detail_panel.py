"""The detail panel: an empty state, one wording for a missing value, a raw-line box
sized to its line that leaves the mouse wheel to the panel."""

from __future__ import annotations

from defectors_catalog.gui.conflicts_view import ComparisonModel
from defectors_catalog.gui.detail_panel import RAW_LINES_SHOWN, DetailPanel, RawLineBox
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.test_main_window import select


def labels(panel: DetailPanel) -> dict[str, str]:
    return {label.objectName(): label.text() for label in panel.findChildren(QLabel)}


def test_clear_shows_that_no_record_is_selected(qtbot, catalog):
    panel = DetailPanel(catalog)
    qtbot.addWidget(panel)
    assert panel.record is None
    assert labels(panel)["emptyTitle"] == "No record selected"
    assert "Select a record in the table" in labels(panel)["emptyHint"]
    panel.show_record(0)
    first = catalog.records[0]
    assert labels(panel)["recordName"] == first.name
    assert "emptyTitle" not in labels(panel)
    assert panel.accessibleDescription() == f"Details of {first.name}"
    panel.clear()
    assert panel.record is None and labels(panel)["emptyTitle"] == "No record selected"
    panel.show_record(0)
    panel.show_record(None)
    assert panel.record is None and panel.accessibleDescription() == "No record selected"
    panel.show_record(len(catalog.records))  # a position the catalog does not hold
    assert panel.record is None


def test_a_missing_profession_reads_the_same_everywhere(qtbot, window):
    # The scrape's shifted row of Minakov was repaired; neither source gives a profession.
    select(qtbot, window, "Valeri Tihonovitch Minakov")
    found = window.detail.findChildren(QLabel)
    field = next(label for label in found if label.objectName() == "field_profession")
    said = [label.text() for label in found if label.objectName() == "said_profession"]
    assert field.text() == "(none given)"
    assert said == ["(none given)", "(none given)"]
    record = window.detail.record
    comparison = ComparisonModel(window.catalog, window.palette())
    comparison.set_record(record)
    rows = [comparison.headerData(r, Qt.Orientation.Vertical) for r in range(comparison.rowCount())]
    assert comparison.index(rows.index("Profession"), 0).data() == "(none given)"


def raw_boxes(panel: DetailPanel) -> list[RawLineBox]:
    return [box for box in panel.findChildren(RawLineBox) if box.isVisible()]


def shown(qtbot, catalog, name: str, width: int, height: int) -> DetailPanel:
    """A detail panel of this size showing the record called `name`."""
    panel = DetailPanel(catalog)
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    position = next(i for i, r in enumerate(catalog.records) if r.name == name)
    panel.show_record(position)
    qtbot.waitUntil(lambda: bool(raw_boxes(panel)))
    return panel


def test_the_raw_line_box_is_as_tall_as_its_line(qtbot, catalog):
    # A 334-character raw line in both reliable sources.
    panel = shown(qtbot, catalog, "Valeri Tihonovitch Minakov", 700, 900)
    boxes = raw_boxes(panel)
    assert len(boxes) == 2
    box = boxes[0]
    spacing = box.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: box.verticalScrollBar().maximum() == 0)
    needed = box.lines_needed(box.width())
    assert 1 < needed <= RAW_LINES_SHOWN
    assert box.height() >= needed * spacing
    # A short raw line takes a line or two, not four.
    short_panel = shown(qtbot, catalog, "Eva Carol Raupach", 700, 900)  # 68 characters
    (short,) = raw_boxes(short_panel)
    qtbot.waitUntil(lambda: short.height() < 3 * spacing + 20)
    assert short.verticalScrollBar().maximum() == 0


def wheel(widget, down: bool = True) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 if down else 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget.viewport(), event)


def test_the_wheel_over_a_raw_line_scrolls_the_panel(qtbot, catalog):
    panel = shown(qtbot, catalog, "Valeri Tihonovitch Minakov", 600, 360)
    scroll = panel.verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)
    box = raw_boxes(panel)[0]
    qtbot.waitUntil(lambda: box.verticalScrollBar().maximum() == 0)
    before = scroll.value()
    wheel(box)
    assert scroll.value() > before

    # A line longer than the box shows scrolls in the box itself.
    long_box = RawLineBox(" ".join(["word"] * 2000))
    qtbot.addWidget(long_box)
    long_box.resize(300, 100)
    long_box.show()
    qtbot.waitUntil(lambda: long_box.verticalScrollBar().maximum() > 0)
    assert long_box.lines_needed(300) > RAW_LINES_SHOWN
    start = long_box.verticalScrollBar().value()
    wheel(long_box)
    assert long_box.verticalScrollBar().value() > start
