"""Guards the PySide6 pin: 6.12.0 aborts with `Fatal Python error: none_dealloc` after a few
thousand QStandardItemModel.appendRow calls on Python 3.11. Run in a child process so an
abort fails this test instead of killing the whole run."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication
app = QApplication([])
model = QStandardItemModel()
for i in range(20_000):
    model.appendRow([QStandardItem(f"row {i}"), QStandardItem(str(i))])
print(model.rowCount())
"""


def test_twenty_thousand_append_row_calls_do_not_abort():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert "none_dealloc" not in done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "20000"
