"""One running app: the person's source store, this run's extra files, the database of
their verdicts and saved searches, and the window.

Adding or changing a source rebuilds the catalog and opens a fresh window in the old
one's place, with the same layout and filters (they go through QSettings), so every
pane is built from the new catalog and nothing can show stale rows.

A small catalog is built at once. A big one (see `QUICK_BYTES`) is built on a worker
thread with a progress bar and Cancel: in the old window's status bar when it is a
rebuild (that window stays usable), in a small loading window at start-up. The worker
gets `BuildInputs`, a snapshot taken on the GUI thread, never the session's live state.

A replaced window is released (`deleteLater`) once its successor has painted, so each
rebuild frees the catalog it replaced.

With `staged` (the app's own start), the first window shows every record before the
person's verdicts are read: their database is opened, laid over the catalog and handed
to the window (`MainWindow.finish_building`) once it has painted, so neither SQLite nor
the saved searches are on the way to the first frame.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from defectors_catalog import APP_NAME, logs
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.keeping import summarise
from defectors_catalog.domain.merge.decisions import FILE_NAME as DECISIONS_FILE
from defectors_catalog.domain.merge.decisions import DecisionStore
from defectors_catalog.domain.model import SourceSpec
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.user_sources import UserSourceStore
from defectors_catalog.gui.host import Host, Then, Undo
from defectors_catalog.gui.main_window import MainWindow
from defectors_catalog.gui.plain_text import tell

if TYPE_CHECKING:
    from defectors_catalog.domain.annotations.overlay import Desk
    from defectors_catalog.domain.annotations.store import AnnotationStore
    from defectors_catalog.gui.background import BackgroundTask, LoadingWindow, ProgressPanel

# Sources up to this many bytes in all (the seeds are about 0.1 MB) are read on the GUI
# thread: a fraction of a second, not worth a progress bar. Above it, a worker thread.
QUICK_BYTES = 1_000_000
# Problems named in the message box after opening; the rest are counted, and logged.
PROBLEMS_SHOWN = 5

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildInputs:
    """Everything a build reads, copied on the GUI thread: the person's added sources
    (and what was wrong with their list), this run's extra files, the duplicate
    decisions as they stand, and the cache folder. A decision made while a big build
    runs changes the session, not this snapshot; it asks for a build of its own."""

    added: tuple[SourceSpec, ...]
    added_problems: tuple[str, ...]
    extra: tuple[tuple[Path, bool], ...]
    decisions: Mapping[str, str]
    decisions_problem: str
    cache: Path | None


def build(inputs: BuildInputs, progress: Progress = NO_PROGRESS) -> tuple[Catalog, list[str]]:
    """The catalog, and what could not be read (unreadable sources are left out). Safe
    to run on a worker thread: it reads only `inputs` and touches no widget."""
    started = time.perf_counter()
    logger.info(
        "building the catalog: %d added source(s), %d file(s) for this run, %d decision(s)",
        len(inputs.added), len(inputs.extra), len(inputs.decisions),
    )  # fmt: skip
    catalog = load_catalog(
        extra=inputs.extra,
        added=inputs.added,
        skip_unreadable=True,
        decisions=inputs.decisions,
        progress=progress,
        cache=inputs.cache,
    )
    # Made here, on the worker thread for a big catalog, rather than by the new
    # window on the GUI thread: the engine (a walk over every record for the
    # destination facet) and the order by year the window opens on.
    progress.stage("Preparing the table")
    catalog.engine.order("year")
    # The decisions first: one line about them must not drown below thousands of
    # missing files (the message box names the first few problems only).
    problems = [f"Your duplicate decisions: {inputs.decisions_problem}"]
    problems = problems if inputs.decisions_problem else []
    problems += [*inputs.added_problems, *catalog.problems]
    _log_built(catalog, problems, time.perf_counter() - started)
    return catalog, problems


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
        annotations: AnnotationStore | None = None,
        *,
        annotations_path: Path | None = None,
        staged: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        # The person's verdicts and saved searches: one database, opened once for the
        # session (`annotations`: on first use, from `annotations_path` or the person's
        # own); each catalog built gets a Desk over it (`_show`).
        self._annotations = annotations
        self._annotations_path = annotations_path
        self.staged = staged  # the first window gets its verdicts after its first paint
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
        self._progress: ProgressPanel | None = None  # the loading window's or the status bar's
        self._thens: list[Then] = []
        self._undos: list[Undo] = []
        # Replaced windows, hidden, until their successor has painted. Then they go by
        # deleteLater, in the event loop: dropping the last Python reference to a window
        # while another is being built has crashed PySide6.
        self._retired: list[MainWindow] = []
        self._painted: _FirstPaint | None = None
        self._first_painted: _FirstPaint | None = None  # the staged window's first paint

    @property
    def annotations(self) -> AnnotationStore:
        """The person's verdicts and saved searches (opened on first use)."""
        if self._annotations is None:
            from defectors_catalog.domain.annotations.store import open_store

            self._annotations = open_store(self._annotations_path)
        return self._annotations

    # -- building ------------------------------------------------------------------------

    def snapshot(self, *, with_added: bool = True) -> BuildInputs:
        """What the next build reads, taken now (on the GUI thread)."""
        added = self.store.load()
        return BuildInputs(
            added=tuple(added.specs) if with_added else (),
            added_problems=tuple(added.problems),
            extra=self.extra if with_added else (),
            decisions=MappingProxyType(
                {key: value.value for key, value in self.decisions.decisions.items()}
            ),
            decisions_problem=self.decisions.load_problem,
            cache=self.cache,
        )

    def build(
        self, progress: Progress = NO_PROGRESS, *, with_added: bool = True
    ) -> tuple[Catalog, list[str]]:
        """Build from the session's inputs as they are now, on this thread."""
        return build(self.snapshot(with_added=with_added), progress)

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

        load = BackgroundTask(partial(build, self.snapshot()), self, name="catalog build")
        self.loading = load
        queued = Qt.ConnectionType.QueuedConnection
        # Methods, not closures over this session: the task is its child, and a closure
        # on the child holding the last reference to the parent would delete the parent
        # from inside the child's destructor. The handlers ask `sender()` which task.
        load.succeeded.connect(self._loaded, queued)
        load.failed.connect(self._failed, queued)
        load.cancelled.connect(self._cancelled, queued)
        if self.window is not None:
            bar = StatusProgress(load)
            self._progress = bar
            self.window.statusBar().addPermanentWidget(bar)
            for signal in (load.succeeded, load.failed, load.cancelled):
                signal.connect(bar.deleteLater, queued)
        else:
            self.loading_window = LoadingWindow(load, "Opening the catalog and your sources")
            self.loading_window.closed.connect(self._quit_while_loading)
            self.loading_window.show()
            self._progress = self.loading_window
        load.start()

    def _forget_load(self) -> None:
        if self.loading is not None:
            self.loading.release()
        self.loading = None
        self._progress = None
        if self.loading_window is not None:
            self.loading_window.hide()
            self.loading_window.deleteLater()
            self.loading_window = None

    def _loaded(self, built: tuple[Catalog, list[str]]) -> None:
        if self.sender() is not self.loading or self.loading is None:
            return  # superseded
        self._tidy_up_memory()
        self._forget_load()
        self._undos.clear()
        self._show(*built)
        self.loadFinished.emit()

    def _tidy_up_memory(self) -> None:
        """The collector's full pass over the catalog just loaded, while its progress
        still shows, rather than later, whenever the collector decides, while the
        person types or scrolls (`gc_pause.collect_after_load`).

        On this thread: the pass holds the GIL, so the progress cannot repaint while it
        runs, and it is painted at once with what it is doing, before it begins (from
        the worker thread, the last stage's name stayed up instead)."""
        from defectors_catalog.domain.gc_pause import collect_after_load

        panel = self._progress
        if panel is not None and panel.isVisible():
            panel.show_progress("Tidying up memory", 0, 0)
            panel.cancel_button.setEnabled(False)  # nothing is left to cancel
            panel.repaint()
        collect_after_load()

    def _failed(self, message: str) -> None:
        if self.sender() is not self.loading or self.loading is None:
            return
        self._forget_load()
        logger.warning("the catalog could not be loaded: %s", message)
        self._run_undos()
        self._thens.clear()
        parent = self.window
        tell(
            parent,
            QMessageBox.Icon.Critical,
            APP_NAME,
            f"The catalog could not be loaded:\n\n{message}",
        )
        if self.window is None:
            self._open_bundled_only("Your sources could not be loaded.")
        self.loadFinished.emit()

    def _cancelled(self) -> None:
        if self.sender() is not self.loading or self.loading is None:
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
        self._progress = None
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
        self._undos.clear()  # the change is in: there is nothing left to take back
        old = self.window
        logger.info("showing %d records%s", len(catalog.records), " (a rebuild)" if old else "")
        if old is not None:
            old.stop_desk()  # the verdict being typed is saved before the new desk reads
            old.save_settings()
        staged = self.staged and old is None
        desk = None if staged else self._desk(catalog)
        window = MainWindow(
            catalog,
            self.settings,
            store=self.store,
            decisions=self.decisions,
            desk=desk,
            staged=staged,
        )
        window.rebuildRequested.connect(self._rebuild_requested)
        if old is not None:
            window.setGeometry(old.geometry())
        window.show()
        if staged:
            self._finish_after_paint(window, catalog)
        if old is not None:
            window.carry_over(old)
        if old is not None:
            old.hide()
            old.runner.stop()
            self._retire(old, window)
        self.window = window
        thens, self._thens = self._thens, []
        if problems or thens:
            QTimer.singleShot(0, lambda: self._after_open(window, list(problems), thens))
        # `cache_note` also says where a saved catalog was opened from; only a failure
        # to save is news to the person.
        if catalog.cache_note and not catalog.from_cache:
            window.statusBar().showMessage(
                f"The catalog was not saved for a faster next start: {catalog.cache_note}", 15000
            )
        self.opened.emit(window)
        return window

    def _finish_after_paint(self, window: MainWindow, catalog: Catalog) -> None:
        """Once `window` has painted (its status bar, shown whatever the filters), lay
        the verdicts over its catalog and let it build the rest."""
        painted = self._first_painted = _FirstPaint(window.statusBar())

        def finish() -> None:
            self._first_painted = None
            painted.deleteLater()
            if self.window is window:  # not replaced in the meantime
                window.finish_building(self._desk(catalog))

        painted.painted.connect(finish)

    def _desk(self, catalog: Catalog) -> Desk:
        """The verdicts laid over `catalog`; what is wrong with them logged (the window
        shows it: the editor says why it is read-only, the status bar the rest)."""
        from defectors_catalog.domain.annotations.overlay import Desk

        self.annotations.refresh()  # another window may have changed them since
        desk = Desk(catalog, self.annotations)
        for problem in desk.problems:
            logger.warning("your verdicts: %s", problem)
        return desk

    def _rebuild_requested(self, then: Then | None, undo: Undo | None) -> None:
        logger.info("the window asked for a rebuild")
        self.open(then, undo)

    def _retire(self, old: MainWindow, successor: MainWindow) -> None:
        """Keep `old` until `successor` has painted, then release it; one replaced
        before its successor painted goes with it."""
        self._retired.append(old)
        if self._painted is not None:
            self._painted.deleteLater()
        self._painted = _FirstPaint(successor.statusBar())
        self._painted.painted.connect(self.release_retired)

    def release_retired(self) -> None:
        """Delete the replaced windows (in the event loop) and drop every reference."""
        retired, self._retired = self._retired, []
        for window in retired:
            logger.debug("releasing a replaced window (%d records)", len(window.catalog.records))
            window.deleteLater()
        self._painted = None

    @staticmethod
    def _after_open(window: Host, problems: list[str], thens: list[Then]) -> None:
        if problems:
            # However many there are (a manifest with 20,000 missing files), the box
            # shows the first few; `_log_built` has put every one in the log.
            window.statusBar().showMessage(f"{len(problems):,} problem(s) with your sources", 0)
            tell(
                window.dialog_parent(),
                QMessageBox.Icon.Warning,
                APP_NAME,
                "Some sources could not be read; everything else is shown.\n\n"
                + summarise(problems, PROBLEMS_SHOWN)
                + _see_log(len(problems) > PROBLEMS_SHOWN),
            )
        for then in thens:
            then(window)


def _see_log(cut: bool) -> str:
    if not cut:
        return ""
    folder = logs.log_dir()
    where = f" ({folder})" if folder is not None else ""
    return f"\n\nThe full list is in the log{where}: Help \u2192 Open log folder."


def _log_built(catalog: Catalog, problems: Sequence[str], seconds: float) -> None:
    how = "opened the saved catalog" if catalog.from_cache else "built the catalog"
    logger.info("%s (%d records) in %.2f s", how, len(catalog.records), seconds)
    if catalog.from_cache:
        logger.info("%s", catalog.cache_note)
    elif catalog.cache_note:
        logger.warning("the catalog was not saved: %s", catalog.cache_note)
    for problem in problems:
        logger.warning("source problem: %s", problem)


class _FirstPaint(QObject):
    """Emits `painted` once, from the event loop, after `widget` first paints."""

    painted = Signal()

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Not from inside the paint event: the old window goes in the next round.
            QTimer.singleShot(0, self.painted.emit)
        return False
