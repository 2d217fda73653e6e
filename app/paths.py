"""Where the bundled data lives, from a source checkout and from a PyInstaller bundle."""

from __future__ import annotations

import os
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


# Set to a folder to keep the saved catalog there, or to "off" to never save one (the
# benchmarks and tests point it at throw-away folders).
CACHE_ENV = "DEFECTORS_CATALOG_CACHE"


def catalog_cache_dir() -> Path | None:
    """Where the built catalog is saved between runs, per the platform's convention for
    caches (safe to delete: it is rebuilt); None when switched off."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "DefectorsCatalog" / "cache" / "catalog"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "DefectorsCatalog" / "catalog"
    base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "defectors-catalog" / "catalog"
