"""The bundled seeds are the shared files, byte for byte, and the manifest describes them."""

from __future__ import annotations

import hashlib

from defectors_catalog import paths
from defectors_catalog.domain.model import Reliability
from defectors_catalog.domain.sources.manifest import load_manifest

# sha256 (first 16 hex digits) of the three files as published in the shared seeds folder.
EXPECTED = {
    "wikipedia.md": "f64820230e3a8408",
    "wikipedia-scrape-2025.txt": "d339679621c26d77",
    "fandom.txt": "07eb348fc69c32eb",
}


def test_manifest_declares_the_three_sources_with_reliability():
    specs = load_manifest(paths.manifest_path())
    assert [s.id for s in specs] == ["wikipedia", "wikipedia-scrape", "fandom"]
    assert {s.id: s.reliability for s in specs} == {
        "wikipedia": Reliability.RELIABLE,
        "wikipedia-scrape": Reliability.RELIABLE,
        "fandom": Reliability.UNRELIABLE,
    }
    for spec in specs:
        assert spec.path.is_file(), spec.path
        assert spec.license and spec.origin and spec.title


def test_seed_files_are_unchanged_copies():
    digests = {
        name: hashlib.sha256((paths.seeds_dir() / name).read_bytes()).hexdigest()[:16]
        for name in EXPECTED
    }
    assert digests == EXPECTED
