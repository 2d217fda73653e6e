"""Opens the real window on a screen of a given size and scale and prints, as JSON, how
the panes share it. Run in its own process by `test_screen_sizes.py`: the offscreen
platform's screen is fixed once a QApplication exists.

    python tests/gui/screen_probe.py WIDTH HEIGHT   (QT_SCALE_FACTOR may be set)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    width, height = int(sys.argv[1]), int(sys.argv[2])
    folder = Path(tempfile.mkdtemp(prefix="screen-probe-"))
    config = folder / "screen.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}  # fmt: skip
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["DEFECTORS_CATALOG_LOG_DIR"] = "off"

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from defectors_catalog.domain.catalog.build import load_catalog
    from defectors_catalog.gui.main_window import MainWindow

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(load_catalog(), settings)
    window.show()
    for _ in range(5):
        app.processEvents()
    view = window.records.view
    header = view.horizontalHeader()
    viewport = view.viewport().width()
    whole = [
        header.logicalIndex(v)
        for v in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(v))
        and header.sectionViewportPosition(header.logicalIndex(v))
        + header.sectionSize(header.logicalIndex(v))
        <= viewport
    ]
    available = app.primaryScreen().availableGeometry()
    frame = window.frameGeometry()
    table = window.centre.geometry()
    detail = window.detail
    print(
        json.dumps(
            {
                "screen": [available.width(), available.height()],
                "window": [window.width(), window.height()],
                "fits": available.contains(frame),
                "table": [table.width(), table.height()],
                "table_share": round(window.centre.width() / window.width(), 3),
                "columns_whole": len(whole),
                "narrow": window.panes.narrow,
                "detail_below": detail.mapTo(window, detail.rect().topLeft()).y()
                > window.centre.mapTo(window, window.centre.rect().topLeft()).y(),
                "status_bar_on_screen": window.statusBar().isVisible()
                and available.contains(
                    window.statusBar().mapToGlobal(window.statusBar().rect().bottomRight())
                ),
            }
        )
    )
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
