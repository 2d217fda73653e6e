"""Where the bundled data lives, from a source checkout and from a PyInstaller bundle."""

from __future__ import annotations

import os
from functools import cache
from importlib.resources import files
from pathlib import Path

import platformdirs

from defectors_catalog import APP_NAME


@cache
def project_root() -> Path:
    """The folder holding `seeds/` and `resources/`.

    Installed from a wheel, and in the frozen bundle, they are package data inside
    `defectors_catalog`; from a checkout (or an editable install) they are the top-level
    folders, two levels above the package (`app/defectors_catalog`).
    """
    package = Path(str(files(__package__ or "defectors_catalog")))
    if (package / "seeds" / "sources.toml").is_file():
        return package
    return package.parent.parent


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
    caches (safe to delete: it is rebuilt); None when switched off.

    `~/.cache/defectors-catalog/catalog` on Linux (or under `$XDG_CACHE_HOME`),
    `~/Library/Caches/defectors-catalog/catalog` on macOS,
    `%LOCALAPPDATA%\\defectors-catalog\\Cache\\catalog` on Windows.
    """
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    return Path(platformdirs.user_cache_dir("defectors-catalog", appauthor=False)) / "catalog"


# Set to a folder to keep the person's own data (the annotations database) there; the
# tests point it at throw-away folders so they never touch the real one.
DATA_ENV = "DEFECTORS_CATALOG_DATA"
# The organisation and application names the window gives Qt: its data folder is the
# platform's data folder, then these two (QStandardPaths' AppDataLocation).
ORGANISATION = "DefectorsCatalog"


def user_data_dir() -> Path:
    """The app's data folder: the person's verdicts, saved searches, added sources.

    The same folder as the window's `QStandardPaths.AppDataLocation`, found without Qt:
    `~/.local/share/DefectorsCatalog/Defectors Catalog` on Linux (or under
    `$XDG_DATA_HOME`), `~/Library/Application Support/DefectorsCatalog/Defectors Catalog`
    on macOS, `%APPDATA%\\DefectorsCatalog\\Defectors Catalog` on Windows.
    """
    chosen = os.environ.get(DATA_ENV, "").strip()
    if chosen:
        return Path(chosen)
    return Path(platformdirs.user_data_dir(roaming=True)) / ORGANISATION / APP_NAME


def annotations_path() -> Path:
    """The SQLite database of the person's verdicts and saved searches."""
    return user_data_dir() / "annotations.sqlite3"
