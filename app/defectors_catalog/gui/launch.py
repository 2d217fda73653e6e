"""Starting the window, and the `--smoke-test` check used by CI and the bundle."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from defectors_catalog import APP_NAME, __version__, logs, paths

logger = logging.getLogger(__name__)


def user_data_dir() -> Path:
    """Where the person's added sources, verdicts and saved searches live: the one data
    folder the command line uses too (`paths.user_data_dir()`, QStandardPaths'
    AppDataLocation found without Qt), so `defectors-catalog views` lists what the
    window saved."""
    return paths.user_data_dir()


def run_gui(
    extra: Sequence[tuple[Path, bool]] = (),
    *,
    smoke_test: bool = False,
    qt_options: Sequence[str] = (),
    started: float | None = None,
) -> int:
    """Open the window; `qt_options` are Qt's own (`-platform`, `-style`, `-reverse`).
    `started` is when the command started (`time.perf_counter()`), for the smoke test's
    first paint; by default, now."""
    window_started = time.perf_counter()
    started = window_started if started is None else started
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from defectors_catalog.domain.errors import CatalogError
    from defectors_catalog.domain.sources.user_sources import UserSourceStore
    from defectors_catalog.gui.error_report import ErrorReport
    from defectors_catalog.gui.icons import app_icon
    from defectors_catalog.gui.plain_text import tell
    from defectors_catalog.gui.session import Session

    QCoreApplication.setOrganizationName("DefectorsCatalog")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    from defectors_catalog.gui.theme import apply_theme, saved_theme

    app = QApplication.instance() or QApplication([*sys.argv[:1], *qt_options])
    assert isinstance(app, QApplication)
    style_chosen = "-style" in qt_options
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("defectors-catalog")
    logs.install_excepthooks()  # already, from the command line; here for other callers
    ErrorReport(logs.current_log_file(), app)
    settings = QSettings()
    store = UserSourceStore(user_data_dir() / "sources")
    annotations = None  # the session opens the person's own
    if smoke_test:
        # A smoke test must neither read nor write the person's layout, sources or verdicts.
        scratch = Path(tempfile.mkdtemp(prefix="defectors-smoke-"))
        settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
        store = UserSourceStore(scratch / "sources")
        annotations = scratch / "annotations.sqlite3"
    if not style_chosen:  # `-style` given on the command line wins over View → Theme
        apply_theme(saved_theme(settings))
    cache = paths.catalog_cache_dir()
    if smoke_test and paths.CACHE_ENV not in os.environ:
        cache = None  # neither read nor write the person's saved catalog
    # Staged: the window shows every record first, and reads the verdicts once painted.
    session = Session(
        store, extra, settings, cache=cache, annotations_path=annotations, staged=True
    )
    try:
        # Returns None while big sources load in the background, with a progress window.
        session.open()
    except CatalogError as exc:  # the bundled manifest or resources are broken
        logger.error("the catalog could not be loaded", exc_info=True)
        if smoke_test:
            print(json.dumps({"ok": False, "error": str(exc)}))
            return 1
        tell(
            None, QMessageBox.Icon.Critical, APP_NAME, f"The catalog could not be loaded:\n\n{exc}"
        )
        return 2
    if smoke_test:
        from defectors_catalog.gui.smoke import run_smoke_test

        return run_smoke_test(app, session, started, window_started)
    return app.exec()
