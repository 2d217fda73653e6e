"""The window's parts come from the field and facet registries."""

from __future__ import annotations

from defectors_catalog.domain.facets import COUNTED
from defectors_catalog.domain.fields import ANNOTATION_FIELDS, DETAIL_FIELDS, TABLE_COLUMNS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def test_a_filter_section_per_facet_in_registry_order(window):
    tree = window.filters.tree_model
    titles = [tree.index(row, 0).data() for row in range(tree.rowCount())]
    assert titles == [facet.title for facet in COUNTED]
    assert list(window.filters.models) == [facet.key for facet in COUNTED]


def test_table_headers_are_the_declared_columns(window):
    model = window.records.model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    # The person's verdict columns come after the record's (issue 13).
    assert headers == [column.title for column in (*TABLE_COLUMNS, *ANNOTATION_FIELDS)]
    assert "Destination" in headers


def test_ticking_the_destination_facet_filters_like_the_engine(qtbot, window):
    destination = window.filters.models["destination"]
    destination.set_checked({"Austria"})
    expected = sum(
        1 for r in window.catalog.records if r.destination and r.destination.country == "Austria"
    )
    qtbot.waitUntil(lambda: window.records.model.rowCount() == expected)
    assert expected > 0


def test_detail_rows_are_the_declared_fields(qtbot, window):
    window.records.view.selectRow(0)
    qtbot.waitUntil(lambda: window.detail.findChild(QLabel, "field_notes") is not None)
    for field in DETAIL_FIELDS:
        assert window.detail.findChild(QLabel, f"field_{field.key}") is not None, field.key
