"""Where the bundled data lives, from a source checkout and from a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def project_root() -> Path:
    """The folder holding `seeds/` and `resources/`.

    Frozen, PyInstaller unpacks the data beside the code in `sys._MEIPASS`; from a
    checkout (or an editable install) it is the parent of the `app` package.
    """
    bundle_dir = getattr(sys, "_MEIPASS", None)
    if bundle_dir is not None:
        return Path(bundle_dir)
    return Path(__file__).resolve().parent.parent


def seeds_dir() -> Path:
    return project_root() / "seeds"


def resources_dir() -> Path:
    return project_root() / "resources"


def manifest_path() -> Path:
    return seeds_dir() / "sources.toml"
