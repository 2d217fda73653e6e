"""Place names in other languages: CLDR and ISO 3166 names compiled into the gazetteer's
twin, and the historical states' names that only places.toml gives."""

from __future__ import annotations

import pytest
from defectors_catalog import paths
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.codes import WarningCode
from defectors_catalog.domain.reference import place_names
from defectors_catalog.domain.reference.gazetteer import _read_places

from tests.conftest import write

PLACES = paths.resources_dir() / "places.toml"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Russland", "Russia"),  # German, CLDR
        ("Węgry", "Hungary"),  # Polish, CLDR
        ("Россия", "Russia"),  # Russian, CLDR
        ("Maďarsko", "Hungary"),  # Czech
        ("Magyarország", "Hungary"),  # Hungarian
        ("Niemcy", "Germany"),
        ("Allemagne", "Germany"),
        ("Ukraina", "Ukraine"),
        ("Tschechoslowakei", "Czechoslovakia"),  # ISO 3166-3 (pycountry), translated
        ("Чехословакия", "Czechoslovakia"),
        ("Deutsche Demokratische Republik", "East Germany"),
        ("\u0421\u0421\u0421\u0420", "Soviet Union"),  # Cyrillic SSSR: pycountry, translated
        ("Allemagne de l'Est", "East Germany"),  # hand-written: neither knows it
        ("Russisches Kaiserreich", "Russian Empire"),
        ("Österreich-Ungarn", "Austria-Hungary"),
        ("Jugoslawien", "Yugoslavia"),
    ],
)
def test_names_in_other_languages_are_the_same_place(gazetteer, text, place):
    found = gazetteer.lookup(text)
    assert found is not None and found.name == place


def test_hand_written_names_win_and_short_or_shared_names_are_left_out(gazetteer):
    # 'Federal Republic of Germany' is West Germany in these lists (places.toml says
    # why), though ISO 3166 gives it to today's Germany.
    assert gazetteer.lookup("Federal Republic of Germany").name == "West Germany"
    foreign = gazetteer.foreign_names()
    assert all(len(key) >= place_names.MIN_KEY_LENGTH for key in foreign)
    assert "rus" not in foreign and "duc" not in foreign  # Vietnamese 'Đức' (Germany)
    assert not set(foreign) & set(gazetteer._by_key)
    # The cities and regions keep to what places.toml says.
    assert gazetteer.lookup("Wien").name == "Vienna"


def test_the_table_knows_thousands_of_names_in_a_hundred_languages(gazetteer):
    places = _read_places(PLACES)
    found = place_names.foreign_names(places, set(), gazetteer.longest_name_words)
    assert len(gazetteer.foreign_names()) > 20_000
    assert len(found.languages) > 100
    assert {"de", "pl", "ru", "hu", "cs", "fr"} <= found.languages


def test_historic_forms_keep_inverted_names_whole():
    forms = place_names._historic_forms
    assert forms("USSR, Union of Soviet Socialist Republics", "URSS, Union des RSS") == [
        "URSS",
        "Union des RSS",
    ]
    # The first part alone would be today's Vietnam.
    assert forms("Viet-Nam, Democratic Republic of", "Viet-Nam, Democratic Republic of") == [
        "Democratic Republic of Viet-Nam"
    ]
    assert forms("Zaire, Republic of", "Zaïre, République du") == []


def test_only_alphabets_that_fold_letter_by_letter():
    assert place_names._alphabetic("Węgry") and place_names._alphabetic("Россия")
    assert not place_names._alphabetic("روسيا") and not place_names._alphabetic("俄罗斯")


TRANSLATED = """\
Defector Profession/
Country Year Notes
George Balanchine Choreograph Russland 1924 Defekt während einer Tournee durch Deutschland
Tünde Fejér balett Magyarország 1955 Franciaországba disszidált
Rudolf Nureyev Ballet dancer Россия 1961 Defected while on tour in Paris
Ignace Reiss NKVD Österreich-Ungarn 1937 Ehemaliger Spion des sowjetischen Geheimdienstes
"""


def test_a_translated_mirror_reads_and_merges(tmp_path):
    path = write(tmp_path, "mirror.txt", TRANSLATED)
    catalog = load_catalog(extra=[(path, False)])
    parse = catalog.parses[catalog.sources[-1].id]
    assert [e.name for e in parse.entries] == [
        "George Balanchine",
        "Tünde Fejér",
        "Rudolf Nureyev",
        "Ignace Reiss",
    ]
    assert len(catalog.records) == 185  # each row joined its record
    for record_id, country in [
        ("george-balanchine-1924", "Russia"),
        ("tunde-fejer-1955", "Hungary"),
        ("rudolf-nureyev-1961", "Russia"),
        ("ignace-reiss-1937", "Austria-Hungary"),
    ]:
        record = catalog.records[catalog.row_of[record_id]]
        assert catalog.sources[-1].id in record.sources
        birthplaces = [d for d in record.diagnostics if d.field == "birthplace"]
        assert birthplaces == [], record_id  # Russland is Russia: no conflict
        assert record.country == country
    # Ballet dancer, said in the same words: no conflict at all.
    nureyev = catalog.records[catalog.row_of["rudolf-nureyev-1961"]]
    assert WarningCode.CONFLICT not in nureyev.warning_codes
