"""One running app: the person's source store, this run's extra files, and the window.

Adding or changing a source rebuilds the catalog and opens a fresh window in the old
one's place, with the same layout and filters (they go through QSettings), so every
pane is built from the new catalog and nothing can show stale rows.

A small catalog is built at once. A big one (see `QUICK_BYTES`) is built on a worker
thread with a progress bar and Cancel: in the old window's status bar when it is a
rebuild (that window stays usable), in a small loading window at start-up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from defectors_catalog import APP_NAME
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.merge.decisions import FILE_NAME as DECISIONS_FILE
from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.model import SourceSpec
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.main_window import MainWindow

if TYPE_CHECKING:
    from defectors_catalog.gui.background import BackgroundTask, LoadingWindow

Then = Callable[[MainWindow], None]
Undo = Callable[[], None]

# Sources up to this many bytes in all (the seeds are about 0.1 MB) are read on the GUI
# thread: a fraction of a second, not worth a progress bar. Above it, a worker thread.
QUICK_BYTES = 1_000_000

logger = logging.getLogger(__name__)


class Session(QObject):
    """Holds the store, the extra (path, reliable) files, the settings and the window."""

    opened = Signal(object)  # the MainWindow just shown
    loadFinished = Signal()  # a background load ended: shown, failed or cancelled

    def __init__(
        self,
        store: UserSourceStore,
        extra: Sequence[tuple[Path, bool]] = (),
        settings: QSettings | None = None,
        decisions: DecisionStore | None = None,
        cache: Path | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.cache = cache  # where the built catalog is saved for a faster next start
        # "Same person" / "different people" decisions live beside the added sources and
        # outlast each window, so Undo still works after the catalog is rebuilt.
        self.decisions = decisions or DecisionStore(store.folder.parent / DECISIONS_FILE)
        self.extra = tuple(extra)
        self.settings = settings or QSettings()
        self.window: MainWindow | None = None
        self.problems: list[str] = []
        self.loading: BackgroundTask | None = None
        self.loading_window: LoadingWindow | None = None
        self._thens: list[Then] = []
        self._undos: list[Undo] = []
        # Replaced windows are kept (hidden) until the session ends: dropping the last
        # Python reference to a window while another is being built has crashed PySide6.
        self._retired: list[MainWindow] = []

    # -- building ------------------------------------------------------------------------

    def build(
        self, progress: Progress = NO_PROGRESS, *, with_added: bool = True
    ) -> tuple[Catalog, list[str]]:
        """The catalog with the person's sources, and what could not be read (unreadable
        sources are left out). Safe to run on a worker thread: it touches no widget."""
        started = time.perf_counter()
        added = self.store.load()
        logger.info(
            "building the catalog: %d added source(s), %d file(s) for this run, %d decision(s)",
            len(added.specs) if with_added else 0,
            len(self.extra) if with_added else 0,
            len(self.decisions.decisions),
        )
        catalog = load_catalog(
            extra=self.extra if with_added else (),
            added=added.specs if with_added else (),
            skip_unreadable=True,
            decisions={key: value.value for key, value in self.decisions.decisions.items()},
            progress=progress,
            cache=self.cache,
        )
        # Made here, on the worker thread for a big catalog, rather than by the new
        # window on the GUI thread: the engine (a walk over every record for the
        # destination facet) and the order by year the window opens on.
        progress.stage("Preparing the table")
        catalog.engine.order("year")
        problems = [*added.problems, *catalog.problems]
        if self.decisions.load_problem:
            problems.append(f"Your duplicate decisions: {self.decisions.load_problem}")
        _log_built(catalog, problems, time.perf_counter() - started)
        return catalog, problems

    def load(self) -> Catalog:
        catalog, self.problems = self.build()
        return catalog

    def is_quick(self) -> bool:
        """Whether the sources are small enough to read without a progress bar."""
        specs: list[SourceSpec] = list(self.store.load().specs)
        paths = [spec.path for spec in specs] + [path for path, _ in self.extra]
        total = 0
        for path in paths:
            try:
                total += path.stat().st_size
            except OSError:
                continue  # reported when it is read
        return total <= QUICK_BYTES

    # -- opening -------------------------------------------------------------------------

    def open(self, then: Then | None = None, undo: Undo | None = None) -> MainWindow | None:
        """Build the catalog and show it, replacing the current window if there is one.

        Returns the window when it was built at once; None when a big catalog is being
        built in the background (`opened` is emitted when it shows, then `then(window)`
        runs). If the person cancels that build, `undo` runs, to take back the change
        that asked for it.
        """
        if then is not None:
            self._thens.append(then)
        if undo is not None:
            self._undos.append(undo)
        if self.loading is not None:
            # A newer change supersedes the build under way; its `then`s still run.
            self.loading.cancel()
            self._forget_load()
        if self.is_quick():
            return self._show(*self.build())
        self._start_load()
        return None

    def _start_load(self) -> None:
        logger.info("the sources are big: building on a worker thread")
        from defectors_catalog.gui.background import BackgroundTask, LoadingWindow, StatusProgress

        load = BackgroundTask(self.build, self, name="catalog build")
        self.loading = load
        load.succeeded.connect(lambda built: self._loaded(load, built))
        load.failed.connect(lambda message: self._failed(load, message))
        load.cancelled.connect(lambda: self._cancelled(load))
        if self.window is not None:
            bar = StatusProgress(load)
            self.window.statusBar().addPermanentWidget(bar)
            for signal in (load.succeeded, load.failed, load.cancelled):
                signal.connect(bar.deleteLater)
        else:
            self.loading_window = LoadingWindow(load, "Opening the catalog and your sources")
            self.loading_window.closed.connect(self._quit_while_loading)
            self.loading_window.show()
        load.start()

    def _forget_load(self) -> None:
        self.loading = None
        if self.loading_window is not None:
            self.loading_window.hide()
            self.loading_window.deleteLater()
            self.loading_window = None

    def _loaded(self, load: BackgroundTask, built: tuple[Catalog, list[str]]) -> None:
        if load is not self.loading:
            return  # superseded
        self._forget_load()
        self._undos.clear()
        self._show(*built)
        self.loadFinished.emit()

    def _failed(self, load: BackgroundTask, message: str) -> None:
        if load is not self.loading:
            return
        self._forget_load()
        logger.warning("the catalog could not be loaded: %s", message)
        self._run_undos()
        self._thens.clear()
        parent = self.window
        QMessageBox.critical(parent, APP_NAME, f"The catalog could not be loaded:\n\n{message}")
        if self.window is None:
            self._open_bundled_only("Your sources could not be loaded.")
        self.loadFinished.emit()

    def _cancelled(self, load: BackgroundTask) -> None:
        if load is not self.loading:
            return
        self._forget_load()
        had_undo = bool(self._undos)
        self._run_undos()
        self._thens.clear()
        if self.window is None:
            self._open_bundled_only("Loading your sources was cancelled.")
        elif had_undo:
            self.window.statusBar().showMessage("Cancelled: nothing was changed", 8000)
        else:
            self.window.statusBar().showMessage(
                "Loading cancelled: the catalog shown is from before your change, "
                "which is saved and applies when the app next opens",
                0,
            )
        self.loadFinished.emit()

    def _quit_while_loading(self) -> None:
        if self.loading is not None:
            self.loading.progressed.disconnect()
            self.loading.cancelled.disconnect()
            self.loading = None
        self.loading_window = None
        QApplication.quit()

    def _run_undos(self) -> None:
        undos, self._undos = self._undos, []
        for undo in reversed(undos):
            undo()

    def _open_bundled_only(self, why: str) -> None:
        """At start-up, after a cancelled or failed load: the bundled lists, and why."""
        catalog, problems = self.build(with_added=False)
        window = self._show(catalog, problems)
        window.statusBar().showMessage(
            f"{why} Showing the bundled lists only; your sources are kept "
            "(File \u2192 Manage sources).",
            0,
        )

    def _show(self, catalog: Catalog, problems: list[str]) -> MainWindow:
        self.problems = problems
        old = self.window
        logger.info("showing %d records%s", len(catalog.records), " (a rebuild)" if old else "")
        if old is not None:
            old.save_settings()
        window = MainWindow(catalog, self.settings, session=self)
        if old is not None:
            window.setGeometry(old.geometry())
        window.show()
        if old is not None:
            old.hide()
            old.runner.stop()
            self._retired.append(old)
        self.window = window
        thens, self._thens = self._thens, []
        if problems or thens:
            QTimer.singleShot(0, lambda: self._after_open(window, list(problems), thens))
        if catalog.cache_note:
            window.statusBar().showMessage(
                f"The catalog was not saved for a faster next start: {catalog.cache_note}", 15000
            )
        self.opened.emit(window)
        return window

    @staticmethod
    def _after_open(window: MainWindow, problems: list[str], thens: list[Then]) -> None:
        if problems:
            window.statusBar().showMessage(f"{len(problems)} source(s) could not be read", 0)
            QMessageBox.warning(
                window,
                APP_NAME,
                "Some sources could not be read; everything else is shown.\n\n"
                + "\n\n".join(problems),
            )
        for then in thens:
            then(window)


def _log_built(catalog: Catalog, problems: Sequence[str], seconds: float) -> None:
    how = "opened the saved catalog" if catalog.from_cache else "built the catalog"
    logger.info("%s (%d records) in %.2f s", how, len(catalog.records), seconds)
    if catalog.cache_note:
        logger.warning("the catalog was not saved: %s", catalog.cache_note)
    for problem in problems:
        logger.warning("source problem: %s", problem)
