"""Every control of the dialogs and cross-checking panes has a name a screen reader says."""

from __future__ import annotations

from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.add_source_dialog import AddSourceDialog
from defectors_catalog.gui.conflicts_view import ConflictsView
from defectors_catalog.gui.detail_panel import DetailPanel
from defectors_catalog.gui.dialogs import AboutDialog, ReferencesDialog
from defectors_catalog.gui.sources_overview import SourcesOverview
from defectors_catalog.gui.sources_ui import ManageSourcesDialog, ReportDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

CONTROLS = (QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit)


def _owned(child: QWidget, top: QWidget) -> bool:
    parent = child.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QComboBox | QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(widget: QWidget) -> list[str]:
    """The controls in `widget` with no accessible name (a button's text is its name)."""
    missing = []
    for child in widget.findChildren(QWidget):
        # A combo box's own list, a view's corner button: named by their owner.
        if _owned(child, widget):
            continue
        if isinstance(child, QAbstractButton):
            if not (child.accessibleName() or child.text().strip()):
                missing.append(f"{type(child).__name__} {child.objectName()!r}")
        elif isinstance(child, CONTROLS) and not child.accessibleName():
            missing.append(f"{type(child).__name__} {child.objectName()!r}")
    return missing


def test_the_panes_and_dialogs_name_every_control(qtbot, catalog, tmp_path, memoir):
    tokaty = next(r for r in catalog.records if r.name == "Grigori Tokaty")
    detail = DetailPanel(catalog)
    detail.show_record(catalog.row_of[tokaty.id])
    add = AddSourceDialog(catalog, memoir)
    widgets: list[QWidget] = [
        ConflictsView(catalog),
        SourcesOverview(catalog),
        detail,
        add,
        ManageSourcesDialog(catalog, UserSourceStore(tmp_path / "data")),
        ReferencesDialog(catalog, "wikipedia-scrape", None, tokaty),
        ReportDialog("Added: memoir", "Rows read: 3"),
        AboutDialog(catalog),
    ]
    for widget in widgets:
        qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: add.shown is not None and not add.busy)
    for widget in widgets:
        assert unnamed(widget) == [], type(widget).__name__
