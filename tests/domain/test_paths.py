"""Where the saved catalog goes: the platform's cache folder, or DEFECTORS_CATALOG_CACHE."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from defectors_catalog import paths


def test_the_variable_names_a_folder_or_switches_the_cache_off(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path))
    assert paths.catalog_cache_dir() == tmp_path
    for off in ("off", "OFF", " off "):
        monkeypatch.setenv(paths.CACHE_ENV, off)
        assert paths.catalog_cache_dir() is None


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is the Linux convention")
def test_by_default_the_catalog_is_saved_in_the_xdg_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, "  ")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert paths.catalog_cache_dir() == tmp_path / "defectors-catalog" / "catalog"
    monkeypatch.delenv("XDG_CACHE_HOME")
    expected = Path.home() / ".cache" / "defectors-catalog" / "catalog"
    assert paths.catalog_cache_dir() == expected
