"""Sources a person adds are kept across restarts; damage is reported, never fatal."""

from __future__ import annotations

import pytest
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.model import Reliability
from defectors_catalog.domain.sources.user_sources import UserSourceError, UserSourceStore

ROWS = "Defector Profession/\nCountry Year Notes\nAnna Kovács dancer Hungary 1956 Fled\n"


@pytest.fixture
def store(tmp_path):
    return UserSourceStore(tmp_path / "data")


@pytest.fixture
def rumours(tmp_path):
    path = tmp_path / "Rumours list.txt"
    path.write_text(ROWS, encoding="utf-8")
    return path


def test_an_added_source_is_copied_kept_and_merged(store, rumours):
    spec = store.add(rumours, "Rumours list", False, "auto", ["wikipedia"])
    assert spec.id == "rumours-list"
    rumours.unlink()  # the catalog no longer needs the original
    loaded = store.load()
    assert loaded.problems == ()
    assert [s.id for s in loaded.specs] == ["rumours-list"]
    catalog = load_catalog(added=loaded.specs)
    anna = next(r for r in catalog.records if r.name == "Anna Kovács")
    assert anna.sources == ("rumours-list",)
    assert anna.warning_codes == ("only-unreliable",)


def test_rename_change_reliability_and_remove(store, rumours):
    store.add(rumours, "Rumours list", False, "auto", [])
    store.update("rumours-list", title="Émigré memoir", reliable=True)
    spec = store.load().specs[0]
    assert (spec.title, spec.reliability) == ("Émigré memoir", Reliability.RELIABLE)
    catalog = load_catalog(added=store.load().specs)
    anna = next(r for r in catalog.records if r.name == "Anna Kovács")
    assert anna.warnings == ()
    store.remove("rumours-list")
    assert store.load().specs == ()
    assert not any(store.files.iterdir())
    with pytest.raises(UserSourceError):
        store.remove("rumours-list")


def test_a_damaged_manifest_is_reported_and_the_bundled_sources_still_load(store):
    store.folder.mkdir(parents=True)
    store.manifest.write_text("[[source]\nid = 'broken", encoding="utf-8")
    loaded = store.load()
    assert loaded.specs == ()
    assert "is damaged and was not read" in loaded.problems[0]
    assert len(load_catalog(added=loaded.specs).records) == 185


def test_a_missing_copy_is_reported_and_skipped(store, rumours, tmp_path):
    store.add(rumours, "Rumours list", False, "auto", [])
    other = tmp_path / "second.txt"
    other.write_text(ROWS.replace("Anna Kovács", "Jan Nowak"), encoding="utf-8")
    store.add(other, "Second", True, "auto", [])
    next(store.files.glob("rumours-list*")).unlink()
    loaded = store.load()
    assert [s.id for s in loaded.specs] == ["second"]
    assert "'Rumours list' is missing" in loaded.problems[0]


def test_titles_with_quotes_and_newlines_survive_the_manifest(store, rumours):
    store.add(rumours, 'The "Black Book"\nof names', True, "auto", [])
    assert store.load().specs[0].title == 'The "Black Book"\nof names'


def test_how_a_source_is_read_is_kept_with_it(store, tmp_path):
    path = tmp_path / "Liste.csv"
    data = "Wer;Jahr;Foto\nGéza Füster;1945;fuster.jpg\n".encode("cp1252")
    path.write_bytes(data)
    spec = store.add(
        path, "Liste", True, "delimited", [], encoding="cp1252", sheet="",
        columns=[("Wer", "name"), ("Foto", "ignore")],
    )  # fmt: skip
    (loaded,) = store.load().specs
    assert loaded == spec
    assert (loaded.encoding, loaded.columns) == ("cp1252", (("Wer", "name"), ("Foto", "ignore")))
    import tomllib

    written = tomllib.loads(store.manifest.read_text("utf-8"))["source"][0]
    assert (written["encoding"], written["columns"]) == (
        "cp1252",
        {"Wer": "name", "Foto": "ignore"},
    )
    catalog = load_catalog(added=[loaded])
    assert [e.name for e in catalog.parses["liste"].entries] == ["Géza Füster"]


def test_the_same_file_cannot_be_added_twice(store, rumours, catalog):
    store.add(rumours, "Rumours list", False, "auto", [])
    with pytest.raises(UserSourceError, match="already listed as 'Rumours list'"):
        store.add(rumours, "Again", False, "auto", [])
    seed = catalog.sources[0].path
    with pytest.raises(UserSourceError, match=r"wikipedia\.md is already listed as 'Wikipedia"):
        store.add(seed, "Copy", True, "auto", [], listed=catalog.sources)
    assert [s.title for s in store.load().specs] == ["Rumours list"]
