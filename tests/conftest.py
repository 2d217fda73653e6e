"""Shared fixtures. Qt runs offscreen: set before any QApplication can exist."""

from __future__ import annotations

import os
import sys
import tempfile
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No test reads or writes the person's saved catalog; the tests of the cache give it a
# folder of their own (command-line runs in subprocesses inherit this too).
os.environ.setdefault("DEFECTORS_CATALOG_CACHE", "off")
# Nor the person's log folder: the tests of logging point it at throw-away folders.
os.environ.setdefault("DEFECTORS_CATALOG_LOG_DIR", "off")
# Nor the person's verdicts and saved searches: a throw-away data folder for the session
# (each test of the annotations database gives itself a folder of its own).
os.environ.setdefault("DEFECTORS_CATALOG_DATA", tempfile.mkdtemp(prefix="defectors-data-"))

from collections.abc import Iterator
from pathlib import Path

import pytest
from defectors_catalog import logs, paths
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.reference.gazetteer import Gazetteer, load_gazetteer
from defectors_catalog.domain.reference.professions import ProfessionClassifier, load_professions
from defectors_catalog.domain.sources.layouts import make_context
from defectors_catalog.domain.sources.layouts.common import ParseContext

SEEDS = paths.seeds_dir()


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app logs to a file in this folder during the test, and nowhere after it."""
    folder = tmp_path / "logs"
    monkeypatch.setenv(logs.LOG_ENV, str(folder))
    # The hooks and listeners the test installs go when it ends.
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)
    monkeypatch.setattr(logs, "_listeners", [])
    logs.configure()
    yield folder
    monkeypatch.setenv(logs.LOG_ENV, "off")
    logs.configure()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The real catalog built from the three bundled seeds."""
    return load_catalog()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(paths.resources_dir() / "places.toml")


@pytest.fixture(scope="session")
def classifier() -> ProfessionClassifier:
    return load_professions(paths.resources_dir() / "professions.toml")


@pytest.fixture(scope="session")
def context(gazetteer: Gazetteer, classifier: ProfessionClassifier) -> ParseContext:
    return make_context(gazetteer, classifier.split)


@pytest.fixture
def seed_lines() -> Iterator[dict[str, list[str]]]:
    yield {
        name: (SEEDS / name).read_text(encoding="utf-8").split("\n")
        for name in ("wikipedia.md", "wikipedia-scrape-2025.txt", "fandom.txt")
    }


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
