"""Takes the cross-checking screenshots of the real window (run under Xvfb).

    xvfb-run -a -s "-screen 0 1600x1000x24" python docs/make_cross_checking_screenshots.py

Same approach as make_screenshots.py: build the window, prepare it, grab the screen.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.domain.catalog import load_catalog
from app.gui.icons import app_icon
from app.gui.main_window import MainWindow
from docs.make_screenshots import select

HERE = Path(__file__).resolve().parent


def timeline(window: MainWindow) -> None:
    window.cross_checking.open(0)
    window.filters.years.set_range(1950, 1959)
    window.resizeDocks([window.cross_checking.dock], [330], Qt.Orientation.Vertical)
    select(window, "Imre Lakatos")


def overview(window: MainWindow) -> None:
    window.cross_checking.open(1)
    window.resizeDocks([window.cross_checking.dock], [470], Qt.Orientation.Vertical)
    labels = [c.label for c in window.cross_checking.overview.overlap_model.counts]
    count = window.cross_checking.overview.overlap_model.counts[
        labels.index("In all 2 reliable sources")
    ]
    window.cross_checking.show_overlap(count)
    select(window, "Ferenc Puskás")


def destination(window: MainWindow) -> None:
    window.filters.models["destination"].set_checked({"Austria"})
    select(window, "Imre Lakatos")


SHOTS: dict[str, Callable[[MainWindow], None]] = {
    "cross-timeline.png": timeline,
    "cross-overview.png": overview,
    "cross-destination.png": destination,
}


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)
    catalog = load_catalog()
    pending = list(SHOTS.items())
    scratch = tempfile.mkdtemp()
    windows: list[MainWindow] = []

    def next_shot() -> None:
        if not pending:
            app.quit()
            return
        name, prepare = pending.pop(0)
        settings = QSettings(str(Path(scratch) / f"{name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(catalog, settings)
        windows.append(window)
        window.move(0, 0)
        window.resize(1600, 1000)
        window.show()
        prepare(window)

        def grab() -> None:
            window.screen().grabWindow(0).save(str(HERE / name))
            print(f"wrote docs/{name}")
            window.close()
            QTimer.singleShot(100, next_shot)

        QTimer.singleShot(1200, grab)

    QTimer.singleShot(0, next_shot)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
