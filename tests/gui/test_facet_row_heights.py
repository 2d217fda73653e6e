"""The sidebar's rows are as high as their labels laid out, though most of them are not
laid out: a value label that fits on one line takes the height its kind of row already
has (`facet_tree._WrappingDelegate`). Checked on every row of the seeds' sidebar with
every section open and every value shown, at the widths a person gives the pane."""

from __future__ import annotations

import pytest
from defectors_catalog.gui.facet_tree import LABEL, RowKindRole, _WrappingDelegate
from defectors_catalog.gui.filter_panel import FilterPanel
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QStyleOptionViewItem


def every_row(model, parent: QModelIndex | None = None) -> list[QModelIndex]:
    parent = parent if parent is not None else QModelIndex()
    rows = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, LABEL, parent)
        rows.append(index)
        rows.extend(every_row(model, index))
    return rows


@pytest.mark.parametrize("width", [200, 280, 420])
def test_every_row_is_as_high_as_its_label_laid_out(qtbot, catalog, width):
    panel = FilterPanel(catalog)
    qtbot.addWidget(panel)
    panel.resize(width, 900)
    panel.show()
    qtbot.waitExposed(panel)
    tree, model = panel.tree, panel.tree_model
    for key in model.section_keys():
        model.set_show_all(key, True)
        tree.setExpanded(model.section_index(key), True)
    delegate = tree.itemDelegate()
    assert isinstance(delegate, _WrappingDelegate)
    option = QStyleOptionViewItem()
    tree.initViewItemOption(option)
    rows = every_row(model)
    values = [i for i in rows if model.data(i, RowKindRole) == "value"]
    assert len(values) > 50  # the seeds' countries, professions, sources, ...
    header = tree.header().sectionSize(LABEL)
    for index in rows:
        depth = 1 if index.parent().isValid() else 0
        wrap = max(header - tree.indentation() * depth, 40)
        # Asked twice: the first row of a kind is laid out, later ones may not be.
        delegate.sizeHint(option, index)
        quick = delegate.sizeHint(option, index)
        laid_out = delegate._laid_out(option, index, wrap)
        label = model.data(index)
        assert quick.height() == laid_out.height(), (label, width)
        assert quick.width() >= laid_out.width() - 2, (label, width)
