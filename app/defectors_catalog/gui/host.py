"""What the window's controllers (export, sources, cross-checking) may ask of it.

They depend on this protocol, never on `MainWindow`: nothing reaches back up into the
window, and the window module imports them without a circle. `MainWindow` satisfies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QStatusBar, QWidget

from defectors_catalog.domain.catalog.build import Catalog
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.domain.query.table import IntArray

# After a rebuild, run with the window that shows the new catalog.
Then = Callable[["Host"], None]
# If the person cancels a long rebuild, takes back the change that asked for it.
Undo = Callable[[], None]


class Host(Protocol):
    """The catalog shown, the current query, the rows and columns on screen, the status
    line, a widget for dialogs to sit over, and a way to ask for a rebuild."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def query(self) -> Query: ...

    @property
    def settings(self) -> QSettings: ...

    def shown_positions(self) -> IntArray:
        """The shown records' catalog positions, in display order."""
        ...

    def selected_positions(self) -> IntArray:
        """The selected records' catalog positions, in display order."""
        ...

    def visible_columns(self) -> list[str]:
        """The keys of the shown columns, in display order."""
        ...

    def statusBar(self) -> QStatusBar: ...

    def dialog_parent(self) -> QWidget:
        """The widget dialogs, message boxes and actions belong to."""
        ...

    def request_rebuild(self, then: Then | None = None, undo: Undo | None = None) -> None:
        """Build the catalog again (the sources or the decisions changed) and show it in
        a new window; `then(new_window)` runs once it shows."""
        ...

    def open_cross_checking(self, tab: int) -> None:
        """Show the cross-checking dock on `tab` (after a rebuild a decision asked for)."""
        ...
