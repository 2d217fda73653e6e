"""End to end under a real X server: the xcb platform, real key presses (xdotool).

Skipped where Xvfb or xdotool are not installed (`apt-get install xvfb xdotool`);
`tests/gui/xcb_drive.py` says what each step does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("xcb_drive.py")

pytestmark = pytest.mark.skipif(
    not (shutil.which("xvfb-run") and shutil.which("xdotool")),
    reason="needs Xvfb (xvfb-run) and xdotool",
)


def test_a_keyboard_user_searches_exports_undoes_and_moves_between_panes(tmp_path):
    result = tmp_path / "result.json"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, str(DRIVER),
         str(result)],
        env=env, check=True, timeout=240, capture_output=True,
    )  # fmt: skip
    steps = json.loads(result.read_text())
    failed = [name for name, ok in steps.items() if ok is False]
    assert not failed, steps
    assert steps["tab_order"][0] != "Records", steps  # the filters come between
