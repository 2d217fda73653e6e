"""The window on real screen sizes and scales, each in its own process (the offscreen
screen is fixed per process): it fits, the table takes the room, and on a narrow
window the details sit under the table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = Path(__file__).with_name("screen_probe.py")


def _probe(width: int, height: int, scale: str = "1") -> dict[str, Any]:
    env = {**os.environ, "QT_SCALE_FACTOR": scale}
    done = subprocess.run(
        [sys.executable, str(PROBE), str(width), str(height)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize(
    ("width", "height", "scale", "narrow", "share"),
    [
        (1600, 1000, "1", False, 0.58),
        (1024, 700, "1", True, 0.72),
        (800, 560, "1", True, 0.65),
        (2400, 1600, "2", True, 0.72),  # 1200x800 logical: used to open at 3000x1800
    ],
)
def test_the_window_fits_and_gives_the_table_the_room(width, height, scale, narrow, share):
    shape = _probe(width, height, scale)
    assert shape["fits"], shape
    assert shape["status_bar_on_screen"], shape
    assert shape["narrow"] is narrow and shape["detail_below"] is narrow, shape
    assert shape["table_share"] >= share, shape
    # Name, profession, birthplace, year and the badges, whole, on every screen but
    # the smallest.
    assert shape["columns_whole"] >= (3 if width <= 800 else 5), shape
