"""Merging the three real lists: the figures, the warnings and the provenance."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from defectors_catalog.domain.catalog.build import load_catalog

from tests.conftest import SEEDS


def by_name(catalog, name):
    return next(r for r in catalog.records if r.name == name)


def test_185_records_49_in_both_wikipedia_lists_116_wikipedia_only_20_fan_wiki_only(catalog):
    counts = Counter(record.sources for record in catalog.records)
    assert len(catalog.records) == 185
    assert counts == {
        ("wikipedia", "wikipedia-scrape"): 49,
        ("wikipedia",): 116,
        ("fandom",): 20,
    }


def test_no_conflicts_once_the_shifted_row_is_repaired(catalog):
    assert [r.name for r in catalog.records if "conflict" in r.warning_codes] == []
    assert catalog.candidates == ()


def test_only_unreliable_warning_is_on_exactly_the_fan_wiki_entries(catalog):
    warned = [r for r in catalog.records if "only-unreliable" in r.warning_codes]
    assert len(warned) == 20
    assert all(r.sources == ("fandom",) for r in warned)
    text = warned[0].warnings[0].text
    assert text.startswith("Found only in \u201cFan-wiki copy\u201d;")
    assert text.endswith("no reliable source lists this entry")
    assert {code for r in catalog.records for code in r.warning_codes} == {"only-unreliable"}


def test_provenance_keeps_file_line_and_raw_line_per_source(catalog):
    record = by_name(catalog, "Valeri Tihonovitch Minakov")
    lines = {e.source_id: e for e in record.entries}
    wiki = (SEEDS / "wikipedia.md").read_text(encoding="utf-8").split("\n")
    scrape = (SEEDS / "wikipedia-scrape-2025.txt").read_text(encoding="utf-8").split("\n")
    assert lines["wikipedia"].line == 34
    assert wiki[lines["wikipedia"].line - 1] == lines["wikipedia"].raw
    assert scrape[lines["wikipedia-scrape"].line - 1] == lines["wikipedia-scrape"].raw
    assert lines["wikipedia-scrape"].raw.endswith("| |")  # the shifted row, as published
    assert "repaired" in [d.code for d in record.diagnostics]


def test_every_entry_of_every_source_is_in_exactly_one_record(catalog):
    placed = Counter((e.source_id, e.line) for r in catalog.records for e in r.entries)
    parsed = Counter((e.source_id, e.line) for p in catalog.parses.values() for e in p.entries)
    assert placed == parsed
    assert max(placed.values()) == 1


def test_shown_values_come_from_the_most_reliable_source(catalog):
    record = by_name(catalog, "George Balanchine")
    assert record.entries[0].source_id == "wikipedia"
    assert (record.profession, record.country, record.year) == ("Choreographer", "Russia", 1924)


def test_alias_and_countries_from_two_place_birthplaces(catalog):
    rezun = by_name(catalog, "Vladimir Rezun")
    assert rezun.alias == "Viktor Suvorov"
    bazhanov = by_name(catalog, "Boris Bazhanov")
    assert (bazhanov.birthplace, bazhanov.country) == ("Ukraine, Russian Empire", "Ukraine")


def test_every_seed_profession_has_a_real_category(catalog):
    uncategorised = sorted(
        {r.profession for r in catalog.records if r.profession and r.category == "other"}
    )
    # Deliberately 'other' (resources/professions.toml says why): a family tie and an age
    # are not professions.
    assert uncategorised == ["Joseph Stalin's daughter", "Underage defector"]


def write_list(tmp_path: Path, name: str, rows: list[str]) -> Path:
    header = "| Defector | Profession | Birthplace | Year | Notes |"
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_disagreeing_source_produces_a_conflict_not_a_silent_overwrite(tmp_path):
    extra = write_list(
        tmp_path,
        "book.md",
        [
            "| George Balanchine | Dancer | Georgia | 1924 | Defected during a tour of Germany "
            "to the Weimar Republic |",
        ],
    )
    catalog = load_catalog(extra=[(extra, True)])
    record = by_name(catalog, "George Balanchine")
    assert record.sources == ("wikipedia", "wikipedia-scrape", "book")
    assert record.profession == "Choreographer"  # the manifest's first reliable source wins
    assert "conflict" in record.warning_codes
    messages = [d.message for d in record.diagnostics if d.code == "conflict"]
    assert any(m.startswith("profession:") and "'Dancer'" in m for m in messages)


def test_names_match_across_case_diacritics_and_punctuation(tmp_path):
    extra = write_list(
        tmp_path,
        "other.md",
        [
            "| TUNDE FEJER | ballet | Hungary | 1955 | Defected to France |",
            "| G.M. Dimitrov | Politician | Bulgaria | 1945 | Saved from execution by the U.S. "
            "ambassador; later founded anti-communist organisations |",
            "| Viktor Suvorov | GRU | Russia | 1978 | GRU military intelligence officer who "
            "defected to the UK while working under UN cover in Switzerland |",
        ],
    )
    catalog = load_catalog(extra=[(extra, True)])
    assert len(catalog.records) == 185
    # The reliable newcomer now gives the shown name; the fan wiki's entry joins it.
    fejer = by_name(catalog, "TUNDE FEJER")
    assert fejer.sources == ("fandom", "other")
    assert "only-unreliable" not in fejer.warning_codes
    assert by_name(catalog, "G. M. Dimitrov").sources == ("wikipedia", "wikipedia-scrape", "other")
    assert by_name(catalog, "Vladimir Rezun").sources == ("wikipedia", "other")


def test_close_names_one_year_apart_are_candidates_not_merged(tmp_path):
    extra = write_list(
        tmp_path, "typo.md", ["| Ferenc Puskas Jr | Footballer | Hungary | 1957 | x |"]
    )
    catalog = load_catalog(extra=[(extra, True)])
    assert len(catalog.records) == 186
    assert len(catalog.candidates) == 1
    candidate = catalog.candidates[0]
    assert {candidate.record_a, candidate.record_b} == {
        "ferenc-puskas-1956",
        "ferenc-puskas-jr-1957",
    }
    assert "possible-duplicate" in by_name(catalog, "Ferenc Puskás").warning_codes


def test_decisions_merge_the_same_person_and_quiet_different_people(tmp_path):
    extra = write_list(
        tmp_path, "typo.md", ["| Ferenc Puskas Jr | Footballer | Hungary | 1957 | x |"]
    )
    key = "ferenc-puskas-1956|ferenc-puskas-jr-1957"
    same = load_catalog(extra=[(extra, True)], decisions={key: "same-person"})
    assert len(same.records) == 185
    puskas = by_name(same, "Ferenc Puskás")
    assert puskas.sources == ("wikipedia", "wikipedia-scrape", "typo")
    assert "possible-duplicate" not in puskas.warning_codes
    assert "merged-by-decision" in [d.code for d in puskas.diagnostics]
    assert [c.label_b for c in same.candidates] == ["Ferenc Puskas Jr (1957)"]

    different = load_catalog(extra=[(extra, True)], decisions={key: "different-people"})
    assert len(different.records) == 186
    assert "possible-duplicate" not in by_name(different, "Ferenc Puskás").warning_codes
