"""Drives the real window on a real X server (Xvfb) through xcb with real key presses
(xdotool, XTEST), as a person at a keyboard would, and writes what happened as JSON.

    xvfb-run -a python tests/gui/xcb_drive.py RESULT.json

Run by `test_xcb_keyboard.py`. Each step presses keys, then waits (polling, with a
deadline) until the window shows the expected state or the deadline passes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def main() -> int:
    out = Path(sys.argv[1])
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["DEFECTORS_CATALOG_LOG_DIR"] = "off"
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from defectors_catalog.domain.catalog.build import load_catalog
    from defectors_catalog.gui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="xcb-drive-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(load_catalog(), settings)
    exported: list[bool] = []
    window.export_action.triggered.disconnect()
    window.export_action.triggered.connect(lambda: exported.append(True))
    window.show()
    window.activateWindow()
    results: dict[str, object] = {}

    def wait(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            if condition():
                return True
            time.sleep(0.02)
        return condition()

    def keys(*args: str) -> None:
        subprocess.run(["xdotool", *args], check=True, timeout=30)

    def focus_name() -> str:
        focus = app.focusWidget()
        return focus.accessibleName() if focus is not None else ""

    wait(lambda: window.isActiveWindow(), 10)
    keys("windowfocus", "--sync", str(int(window.winId())))
    results["active"] = wait(lambda: window.isActiveWindow(), 10)

    keys("key", "ctrl+f")
    results["ctrl_f_focuses_search"] = wait(lambda: app.focusWidget() is window.search)
    keys("type", "--delay", "30", "suvorov")
    results["typed"] = wait(lambda: window.records.model.rowCount() == 1)
    results["single_result_selected"] = wait(
        lambda: window.detail.record is not None and window.detail.record.name == "Vladimir Rezun"
    )
    keys("key", "ctrl+e")
    results["ctrl_e_from_search_exports"] = wait(lambda: exported == [True])
    results["search_kept_its_text"] = window.search.text() == "suvorov"

    keys("key", "Escape")
    results["escape_clears"] = wait(lambda: window.records.model.rowCount() == 185)
    keys("key", "ctrl+z")
    results["ctrl_z_restores"] = wait(lambda: window.search.text() == "suvorov")

    keys("key", "Escape")
    wait(lambda: window.records.model.rowCount() == 185)
    order = []
    for _ in range(8):  # Tab from the search box through the sidebar's stops to the table
        keys("key", "Tab")
        wait(lambda: app.focusWidget() is not window.search, 2)
        order.append(focus_name())
        if app.focusWidget() is window.records.view:
            break
    results["tab_order"] = order
    results["tab_reaches_table"] = app.focusWidget() is window.records.view
    keys("key", "Down")
    results["down_selects_a_record"] = wait(lambda: window.detail.record is not None)
    chosen = window.detail.record
    keys("key", "Tab")
    results["tab_leaves_the_table"] = wait(lambda: app.focusWidget() is not window.records.view)
    results["tab_kept_the_record"] = window.detail.record is chosen
    keys("key", "ctrl+shift+d")
    results["ctrl_shift_d_hides_details"] = wait(lambda: window.detail.isHidden())
    keys("key", "ctrl+shift+d")
    results["ctrl_shift_d_shows_details"] = wait(lambda: not window.detail.isHidden())

    out.write_text(json.dumps(results, indent=1))
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
