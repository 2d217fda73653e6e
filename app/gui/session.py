"""One running app: the person's source store, this run's extra files, and the window.

Adding or changing a source rebuilds the catalog and opens a fresh window in the old
one's place, with the same layout and filters (they go through QSettings), so every
pane is built from the new catalog and nothing can show stale rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMessageBox

from app import APP_NAME
from app.domain.catalog import Catalog, load_catalog
from app.domain.decisions import FILE_NAME as DECISIONS_FILE
from app.domain.decisions import DecisionStore
from app.domain.user_sources import UserSourceStore
from app.gui.main_window import MainWindow


class Session:
    """Holds the store, the extra (path, reliable) files, the settings and the window."""

    def __init__(
        self,
        store: UserSourceStore,
        extra: Sequence[tuple[Path, bool]] = (),
        settings: QSettings | None = None,
        decisions: DecisionStore | None = None,
    ) -> None:
        self.store = store
        # "Same person" / "different people" decisions live beside the added sources and
        # outlast each window, so Undo still works after the catalog is rebuilt.
        self.decisions = decisions or DecisionStore(store.folder.parent / DECISIONS_FILE)
        self.extra = tuple(extra)
        self.settings = settings or QSettings()
        self.window: MainWindow | None = None
        self.problems: list[str] = []
        # Replaced windows are kept (hidden) until the session ends: dropping the last
        # Python reference to a window while another is being built has crashed PySide6.
        self._retired: list[MainWindow] = []

    def load(self) -> Catalog:
        """The catalog with the person's sources; unreadable ones are left out and noted."""
        added = self.store.load()
        catalog = load_catalog(
            extra=self.extra,
            added=added.specs,
            skip_unreadable=True,
            decisions={key: value.value for key, value in self.decisions.decisions.items()},
        )
        self.problems = [*added.problems, *catalog.problems]
        if self.decisions.load_problem:
            self.problems.append(f"Your duplicate decisions: {self.decisions.load_problem}")
        return catalog

    def open(self, then: Callable[[MainWindow], None] | None = None) -> MainWindow:
        """Build the catalog and show it, replacing the current window if there is one."""
        old = self.window
        if old is not None:
            old.save_settings()
        window = MainWindow(self.load(), self.settings, session=self)
        if old is not None:
            window.setGeometry(old.geometry())
        window.show()
        if old is not None:
            old.hide()
            old.runner.stop()
            self._retired.append(old)
        self.window = window
        problems = list(self.problems)
        if problems or then is not None:
            QTimer.singleShot(0, lambda: self._after_open(window, problems, then))
        return window

    @staticmethod
    def _after_open(
        window: MainWindow, problems: list[str], then: Callable[[MainWindow], None] | None
    ) -> None:
        if problems:
            window.statusBar().showMessage(f"{len(problems)} source(s) could not be read", 0)
            QMessageBox.warning(
                window,
                APP_NAME,
                "Some sources could not be read; everything else is shown.\n\n"
                + "\n\n".join(problems),
            )
        if then is not None:
            then(window)
