"""Every model passes Qt's model tester, through filtering and sorting."""

from __future__ import annotations

from defectors_catalog.domain.query.engine import Query
from defectors_catalog.gui.catalog_model import (
    CatalogTableModel,
    HighlightRole,
    OnlyUnreliableRole,
    RecordIdRole,
    SourcesRole,
)
from defectors_catalog.gui.columns import COLUMN_INDEX
from defectors_catalog.gui.facets import FacetModel
from PySide6.QtCore import Qt


def test_catalog_model_passes_the_model_tester_through_filter_and_sort(qtmodeltester, catalog):
    model = CatalogTableModel(catalog)
    qtmodeltester.check(model)
    model.set_result(catalog.engine.run(Query(text="kgb")))
    qtmodeltester.check(model)
    model.sort(COLUMN_INDEX["name"], Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_result(catalog.engine.run(Query(text="no such text anywhere")))
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_catalog_model_serves_display_badges_and_warning_roles(catalog):
    model = CatalogTableModel(catalog)
    model.set_result(catalog.engine.run(Query(text="fejer")))
    name = model.index(0, COLUMN_INDEX["name"])
    assert name.data() == "Tünde Fejér"
    assert name.data(SourcesRole) == ("fandom",)
    assert name.data(OnlyUnreliableRole) is True
    assert name.data(RecordIdRole) == "tunde-fejer-1955"
    assert name.data(HighlightRole) == ("fejer",)
    assert "Found only in" in name.data(Qt.ItemDataRole.ToolTipRole)
    assert name.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, COLUMN_INDEX["sources"]).data() == "Fan"


def test_sort_is_a_layout_change_that_keeps_persistent_indexes(catalog, qtbot):
    model = CatalogTableModel(catalog)
    model.set_result(catalog.engine.run(Query()))
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(model.index(5, COLUMN_INDEX["name"]))
    name = kept.data()
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.layoutChanged):
        model.sort(COLUMN_INDEX["name"], Qt.SortOrder.AscendingOrder)
    assert kept.isValid() and kept.data() == name
    assert kept.row() != 5


def test_facet_model_passes_the_model_tester_and_counts_follow(qtmodeltester, catalog):
    result = catalog.engine.run(Query())
    model = FacetModel(result.facets["country"])
    qtmodeltester.check(model)
    hungary = model.values.index("Hungary")
    model.toggle(hungary)
    assert model.checked == {"Hungary"}
    assert model.index(hungary).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.set_counts(catalog.engine.run(Query(text="politburo")).facets["country"])
    qtmodeltester.check(model)
    assert model.index(hungary).data() == "Hungary  (0)"
    assert model.index(hungary).data(Qt.ItemDataRole.ForegroundRole) is not None  # dimmed
