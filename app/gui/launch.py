"""Starting the window, and the `--smoke-test` check used by CI and the bundle."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from app import APP_NAME, __version__


def run_gui(extra: Sequence[tuple[Path, bool]] = (), *, smoke_test: bool = False) -> int:
    started = time.perf_counter()
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.domain.catalog import load_catalog
    from app.domain.errors import CatalogError
    from app.gui.icons import app_icon
    from app.gui.main_window import MainWindow

    QCoreApplication.setOrganizationName("DefectorsCatalog")
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("defectors-catalog")
    try:
        catalog = load_catalog(extra=extra)
    except CatalogError as exc:
        if smoke_test:
            print(json.dumps({"ok": False, "error": str(exc)}))
            return 1
        QMessageBox.critical(None, APP_NAME, f"The catalog could not be loaded:\n\n{exc}")
        return 2
    settings = None
    if smoke_test:
        # A smoke test must neither read nor write the person's saved layout.
        settings = QSettings(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            "DefectorsCatalog-smoke-test",
            APP_NAME,
        )
        settings.clear()
    window = MainWindow(catalog, settings)
    window.show()
    if smoke_test:
        from app.gui.smoke import run_smoke_test

        return run_smoke_test(app, window, started)
    return app.exec()
