"""The resource files' compiled twins: current, equal to the TOML, and never trusted
when they do not match it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from unittest.mock import ANY

import pytest
from defectors_catalog import paths
from defectors_catalog.domain.reference.compiled import read_compiled, twin_path
from defectors_catalog.domain.reference.destinations import _read_rules, load_rules
from defectors_catalog.domain.reference.gazetteer import (
    gazetteer_from_toml,
    load_gazetteer,
)
from defectors_catalog.domain.reference.professions import _read_professions, load_professions
from defectors_catalog.domain.reference.recompile import compile_folder, main

RESOURCES = paths.resources_dir()


@pytest.fixture
def resources(tmp_path: Path) -> Path:
    """A copy of the resources folder, twins included, to edit."""
    folder = tmp_path / "resources"
    shutil.copytree(RESOURCES, folder)
    return folder


def test_the_committed_twins_are_current():
    for path, text in compile_folder(RESOURCES).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run `python -m defectors_catalog.domain.reference.recompile`"
        )


def test_every_twin_matches_its_toml():
    for name in ("places.toml", "professions.toml", "destinations.toml", "name_variants.toml"):
        assert read_compiled(RESOURCES / name) is not None, name


def test_the_twins_give_what_the_toml_gives():
    fast = load_gazetteer(RESOURCES / "places.toml")
    slow = gazetteer_from_toml(RESOURCES / "places.toml")
    assert fast.places == slow.places
    assert list(fast._by_key.items()) == list(slow._by_key.items())
    assert fast.foreign_names() == slow.foreign_names()
    assert fast.lookup("Russland") == slow.lookup("Russland") is not None
    assert fast.demonym_index == slow.demonym_index
    assert fast.longest_name_words == slow.longest_name_words
    assert fast.demonyms == slow.demonyms
    assert fast.lookup("Wien") == slow.lookup("Wien") is not None

    classifier = load_professions(RESOURCES / "professions.toml")
    reference = _read_professions(RESOURCES / "professions.toml")
    assert classifier.categories == reference.categories
    assert classifier.split == reference.split
    assert classifier.labels == reference.labels
    assert classifier.classify("ballet dancer") == reference.classify("ballet dancer")

    assert load_rules(RESOURCES / "destinations.toml") == _read_rules(
        RESOURCES / "destinations.toml"
    )


def test_an_edited_toml_takes_effect_before_its_twin_is_rebuilt(resources):
    places = resources / "places.toml"
    places.write_text(
        places.read_text(encoding="utf-8")
        + '\n[[place]]\nname = "Atlantis"\nkind = "country"\naliases = ["Atlantida"]\n',
        encoding="utf-8",
    )
    assert read_compiled(places) is None
    gazetteer = load_gazetteer(places)
    found = gazetteer.lookup("atlantida")
    assert found is not None and found.name == "Atlantis"
    rules = resources / "destinations.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('"fled", ', ""), encoding="utf-8")
    assert ("fled",) not in load_rules(rules).movement_verbs
    assert ("fled",) in load_rules(RESOURCES / "destinations.toml").movement_verbs


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff garbage",
        b'{"format": 1, "source": {"bytes": 0, "crc32": 0}, "data": {}}',
        b"[1, 2, 3]",
    ],
)
def test_a_damaged_twin_is_passed_over(resources, damage):
    for name in ("places.toml", "professions.toml", "destinations.toml", "name_variants.toml"):
        twin_path(resources / name).write_bytes(damage)
    assert load_gazetteer(resources / "places.toml").lookup("Wien") is not None
    assert load_professions(resources / "professions.toml").classify("ballet dancer") != "other"
    assert load_rules(resources / "destinations.toml") == _read_rules(
        RESOURCES / "destinations.toml"
    )


def test_a_twin_of_the_right_content_but_the_wrong_shape_is_passed_over(resources):
    """A twin whose fingerprint matches but whose data is not what the loader needs
    (say, written by a later version) falls back to the TOML."""
    for name in ("places.toml", "professions.toml", "destinations.toml", "name_variants.toml"):
        twin = twin_path(resources / name)
        content = json.loads(twin.read_text(encoding="utf-8"))
        content["data"] = {"renamed": content["data"]}
        twin.write_text(json.dumps(content), encoding="utf-8")
        assert read_compiled(resources / name) == {"renamed": ANY}
    assert load_gazetteer(resources / "places.toml").lookup("Wien") is not None
    assert load_professions(resources / "professions.toml").categories
    assert load_rules(resources / "destinations.toml").verbs


def test_the_command_rewrites_stale_twins(resources, capsys):
    places = resources / "places.toml"
    places.write_text(
        places.read_text(encoding="utf-8") + '\n[[place]]\nname = "Atlantis"\nkind = "country"\n',
        encoding="utf-8",
    )
    assert main([str(resources)]) == 0
    assert "places.compiled.json" in capsys.readouterr().out
    assert read_compiled(places) is not None
    found = load_gazetteer(places).lookup("Atlantis")
    assert found is not None and found.kind == "country"
