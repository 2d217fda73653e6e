"""Edit → Copy citation: the sources of the chosen records, on the clipboard, as plain
text, BibTeX or CSL-JSON (`domain/output/citations.py` writes them).

Copy citation (`Ctrl+Shift+C`) uses the format chosen last under Copy citation as ▸,
which is remembered between runs; plain text until one is chosen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.query.table import IntArray

logger = logging.getLogger(__name__)

# What the menus and the status line call each format of the domain's CITATION_FORMATS.
FORMAT_NAMES = {"text": "plain text", "bibtex": "BibTeX", "csl-json": "CSL-JSON"}
MENU_TEXT = {"text": "&Plain text", "bibtex": "&BibTeX", "csl-json": "&CSL-JSON"}
# The formats the menus offer, in CITATION_FORMATS' order (a test holds the two equal):
# named here so the window's menus are built without the citation writers, which are
# loaded on the first Copy citation.
FORMATS = tuple(MENU_TEXT)
SETTING = "citations/format"
SHORTCUT = "Ctrl+Shift+C"


class CitationHost(Protocol):
    """What Copy citation needs of the window: the catalog, its settings, the status
    line, the selected records and the one whose details show."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def settings(self) -> QSettings: ...

    def statusBar(self) -> QStatusBar: ...

    def dialog_parent(self) -> QWidget: ...

    def selected_positions(self) -> IntArray: ...

    def current_position(self) -> int | None: ...


def format_name(format: str) -> str:
    return FORMAT_NAMES.get(format, format)


def format_actions(parent: QObject, chosen: str, triggered: Callable[[str], None]) -> QActionGroup:
    """One checkable action per citation format (`chosen` ticked), calling
    `triggered(format)`; the group keeps one ticked."""
    group = QActionGroup(parent)
    for format in FORMATS:
        action = QAction(MENU_TEXT.get(format, format), parent)
        action.setCheckable(True)
        action.setChecked(format == chosen)
        action.setData(format)
        action.triggered.connect(lambda _on=False, f=format: triggered(f))
        group.addAction(action)
    return group


def copy_to_clipboard(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class CitationController:
    """Holds the Copy citation action, the Copy citation as ▸ formats and the chosen
    format; copies the citations of the selected records (or the shown one)."""

    def __init__(self, host: CitationHost) -> None:
        self.host = host
        window = host.dialog_parent()
        saved = str(host.settings.value(SETTING, "text"))
        if saved not in FORMATS:
            logger.warning("ignored the saved setting %s = %r", SETTING, saved)
            saved = "text"
        self.format = saved
        self.action = QAction("Copy c&itation", window)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(lambda: self.copy())
        self.formats = format_actions(window, saved, self.copy_as)
        self._describe()

    def fill_menu(self, menu: QMenu) -> QMenu:
        """Add Copy citation and Copy citation as ▸ to `menu`; returns the submenu."""
        menu.addAction(self.action)
        submenu = menu.addMenu("Copy citation &as")
        for action in self.formats.actions():
            submenu.addAction(action)
        return submenu

    def copy_as(self, format: str) -> None:
        """Copy in `format` and make it the format of Copy citation from now on."""
        self.format = format
        self.host.settings.setValue(SETTING, format)
        for action in self.formats.actions():
            action.setChecked(action.data() == format)
        self._describe()
        self.copy(format)

    def _describe(self) -> None:
        self.action.setStatusTip(
            f"Copy the sources of the selected records as {format_name(self.format)}"
        )

    def chosen_ids(self) -> list[str]:
        """The selected records' ids, in display order; else the shown record's."""
        host = self.host
        records = host.catalog.records
        positions = [int(p) for p in host.selected_positions()]
        if not positions:
            current = host.current_position()
            positions = [current] if current is not None else []
        return [records[p].id for p in positions]

    def copy(self, format: str | None = None) -> None:
        format = format or self.format
        ids = self.chosen_ids()
        status = self.host.statusBar()
        if not ids:
            status.showMessage("Nothing to cite: choose a record first", 5000)
            return
        from defectors_catalog.domain.output.citations import cite

        try:
            text = cite(self.host.catalog, ids, format)
        except CatalogError as exc:
            status.showMessage(f"Could not cite: {exc}", 8000)
            return
        copy_to_clipboard(text)
        records = "record" if len(ids) == 1 else "records"
        status.showMessage(
            f"Copied citations of {len(ids)} {records} ({format_name(format)})", 6000
        )
