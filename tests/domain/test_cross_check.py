"""Cross-checking that tells the truth: a conflict only where two sources that both give
a value say different things.

The lists a person brings are the seeds' own rows (real people, never invented) written
the way other copies write them: another case (`choreographer`, `Politburo Secretary`),
cells left empty, reference markers (`…Weimar Republic[11]`, `[citation needed]`), other
spacing and punctuation, notes worded a little differently. None of that is a conflict;
a different birthplace is, and so is a different year once a person says the two rows
are one person.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from defectors_catalog import paths
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.codes import DiagnosticCode, WarningCode
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.merge.comparing import (
    ValueComparer,
    WordChange,
    comparable,
    without_references,
    word_diff,
)
from defectors_catalog.domain.merge.decisions import Decision, pair_key
from defectors_catalog.domain.model import CatalogRecord, SourceEntry
from defectors_catalog.domain.reference.name_variants import load_name_variants
from defectors_catalog.domain.sources.layouts import parse_file

from tests.conftest import SEEDS

RESOURCES = paths.resources_dir() / "name_variants.toml"
ROWS = 31  # as many merged rows as the measurement
HEADER = "| Defector | Profession | Birthplace | Year | Notes |\n|---|---|---|---|---|\n"


def seed_entries(context) -> list[SourceEntry]:
    return list(parse_file(SEEDS / "wikipedia.md", "wikipedia", "pipe-table", context).entries)


def variant(entry: SourceEntry, i: int) -> tuple[str, str, str, str]:
    """(profession, birthplace, year, notes) as another copy of the list writes them."""
    profession, birthplace, notes = entry.profession, entry.birthplace, entry.notes
    match i % 7:
        case 0:
            profession = profession.lower()
        case 1:
            profession = profession.title()  # 'Politburo Secretary'
        case 2:
            profession, birthplace = "", ""  # not given
        case 3:
            notes = f"{notes}[11]"
        case 4:
            notes = f"{notes.rstrip('.')}.[citation needed]"
            birthplace = birthplace.upper()
        case 5:
            profession = f" {profession.replace('/', ' / ')} "
            notes = f"According to this copy, {notes[:1].lower()}{notes[1:]}"  # reworded
        case _:
            notes = ""  # not given
    return profession, birthplace, str(entry.year), notes


def write_variants(entries: list[SourceEntry], path: Path) -> Path:
    lines = []
    for i, entry in enumerate(entries[:ROWS]):
        lines.append("| " + " | ".join((entry.name, *variant(entry, i))) + " |")
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def variants(tmp_path_factory, context) -> tuple[Catalog, list[SourceEntry]]:
    entries = seed_entries(context)
    path = write_variants(entries, tmp_path_factory.mktemp("variants") / "copy.md")
    return load_catalog(extra=[(path, True)]), entries[:ROWS]


def from_the_copy(catalog: Catalog) -> list[CatalogRecord]:
    copy = catalog.sources[-1].id
    return [r for r in catalog.records if copy in r.sources]


def old_rule_conflicts(record: CatalogRecord) -> list[str]:
    """The rule before: any two different strings, empty and marked ones included."""
    fields = ("alias", "profession", "birthplace", "year", "notes")
    return [f for f in fields if len({e.value(f) for e in record.entries}) > 1]


def test_case_spacing_markers_and_empty_cells_raise_no_conflict(variants):
    catalog, _ = variants
    merged = from_the_copy(catalog)
    assert len(merged) == ROWS  # every row merged with its seed record
    assert all(len(r.entries) >= 2 for r in merged)
    conflicted = [r.name for r in merged if WarningCode.CONFLICT in r.warning_codes]
    assert conflicted == []
    # The old rule would have called most of them conflicts.
    assert sum(1 for r in merged if old_rule_conflicts(r)) >= 20


def test_notes_worded_differently_are_noted_not_conflicts(variants):
    catalog, _ = variants
    reworded = [
        r
        for r in from_the_copy(catalog)
        if any(d.code == DiagnosticCode.NOTES_DIFFER for d in r.diagnostics)
    ]
    assert len(reworded) == 4  # rows 5, 12, 19 and 26
    for record in reworded:
        note = next(d for d in record.diagnostics if d.code == DiagnosticCode.NOTES_DIFFER)
        assert note.field == "notes" and note.severity == "info"
        assert WarningCode.CONFLICT not in record.warning_codes


def test_a_different_birthplace_still_conflicts(tmp_path, context):
    entries = seed_entries(context)
    balanchine = entries[0]
    assert (balanchine.name, balanchine.birthplace) == ("George Balanchine", "Russia")
    path = tmp_path / "other.md"
    path.write_text(
        HEADER
        + f"| George Balanchine | choreographer | Georgia | 1924 | {balanchine.notes}[3] |\n",
        encoding="utf-8",
    )
    catalog = load_catalog(extra=[(path, True)])
    record = catalog.records[catalog.row_of["george-balanchine-1924"]]
    conflicts = [d for d in record.diagnostics if d.code == DiagnosticCode.CONFLICT]
    assert [d.field for d in conflicts] == ["birthplace"]
    assert "'Russia'" in conflicts[0].message and "'Georgia'" in conflicts[0].message
    assert any(w.text == "Sources disagree on: birthplace" for w in record.warnings)


def test_a_different_year_is_a_candidate_and_a_conflict_once_merged(tmp_path):
    path = tmp_path / "year.md"
    path.write_text(
        HEADER + "| George Balanchine | Choreographer | Russia | 1925 | |\n", encoding="utf-8"
    )
    catalog = load_catalog(extra=[(path, True)])
    (candidate,) = [c for c in catalog.candidates if c.record_a == "george-balanchine-1924"]
    assert candidate.reasons == ("names 100/100 alike, years 1924 and 1925",)
    merged = load_catalog(
        extra=[(path, True)],
        decisions={pair_key(candidate.record_a, candidate.record_b): Decision.SAME},
    )
    record = merged.records[merged.row_of["george-balanchine-1924"]]
    conflicts = [d.field for d in record.diagnostics if d.code == DiagnosticCode.CONFLICT]
    assert conflicts == ["year"]


def test_the_seeds_still_have_no_conflicts(catalog):
    assert not any(WarningCode.CONFLICT in r.warning_codes for r in catalog.records)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Choreographer", "choreographer"),
        ("Politburo secretary", "Politburo Secretary"),
        ("Defected during a tour of Germany to the Weimar Republic[11]",
         "Defected during a tour of Germany to the Weimar Republic"),
        ("Architect/engineer", "Architect / engineer"),
        ("Chess player, medical doctor", "chess player;  medical doctor."),
        ("Defected to France[citation needed]", "Defected to France"),
        ("Defected to France[a][note 2]", "Defected to France"),
        ("Kőszegi", "Koszegi"),
    ],
)  # fmt: skip
def test_comparable_sets_aside_case_spacing_punctuation_and_markers(a, b):
    assert comparable(a) == comparable(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Russia", "Georgia"), ("Author", "Writer"), ("1924", "1925"), ("NKVD", "KGB")],
)
def test_comparable_keeps_real_differences(a, b):
    assert comparable(a) != comparable(b)


def test_reference_markers_only_in_brackets():
    assert without_references("Defected in 1961[12] [citation needed]") == "Defected in 1961 "
    # Text in brackets that is not a marker stays.
    assert without_references("Defected [with his wife]") == "Defected [with his wife]"


def test_birthplaces_compare_as_places(gazetteer):
    comparer = ValueComparer(gazetteer)
    assert comparer.form("birthplace", "Ukraine, Russian Empire") == comparer.form(
        "birthplace", "ukraine,  russian empire[4]"
    )
    assert comparer.form("birthplace", "Russia") != comparer.form("birthplace", "Georgia")
    assert comparer.form("birthplace", "") == ""
    # Unknown places are compared as text.
    assert comparer.form("birthplace", "Novostran") == comparer.form("birthplace", "NOVOSTRAN")


def test_word_diff_marks_the_changed_words_only():
    left, right = word_diff("Defected while on tour in Paris[3]", "defected in Paris, France")
    assert [(c.kind, c.text) for c in left] == [
        ("same", "Defected"),
        ("removed", "while on tour"),
        ("same", "in Paris[3]"),
    ]
    assert [(c.kind, c.text) for c in right] == [
        ("same", "defected in Paris,"),
        ("added", "France"),
    ]
    assert word_diff("", "") == ([], [])
    assert word_diff("Same words", "same  WORDS") == (
        [WordChange("same", "Same words")],
        [WordChange("same", "same WORDS")],
    )


# ---- transliteration variants of a first name -----------------------------------------

# The seeds' people, with the first name romanised another way (and, in two rows, the
# family name too: rapidfuzz takes care of the rest).
VARIANT_ROWS = """\
| Aleksandr Orlov | NKVD | Belarus | 1938 | |
| Youri Nosenko | KGB agent | Ukraine | 1964 | |
| Mikhail Goleniewski | SB MSW | Poland | 1961 | |
| Michail Baryshnikov | Ballet dancer | Latvia | 1974 | |
| Nikolay Khokhlov | KGB | Russia | 1953 | |
| Natalya Makarova | Ballet dancer | Russia | 1970 | |
| Sergey Fedorov | Hockey player | Russia | 1990 | |
| Vasiliy Matuzok | Diplomatic translator | Russia | 1984 | |
| Lyudmila Belousova | Figure skater | Russia | 1979 | |
| Georgy Markov | Playwright | Bulgaria | 1969 | |
| Jurij Krotkov | KGB agent | Georgia | 1963 | |
| Wiktor Korchnoi | Chess player | Russia | 1976 | |
| Tatyana Tchernavina | Writer | Russia | 1932 | |
"""


@pytest.fixture(scope="module")
def transliterated(tmp_path_factory) -> Catalog:
    path = tmp_path_factory.mktemp("names") / "names.md"
    path.write_text(HEADER + VARIANT_ROWS, encoding="utf-8")
    return load_catalog(extra=[(path, True)])


def test_transliterated_first_names_merge_with_the_reason_recorded(transliterated):
    catalog = transliterated
    assert len(catalog.records) == 185  # every row joined its seed record
    copy = catalog.sources[-1].id
    notes = {
        r.name: [d.message for d in r.diagnostics if d.code == DiagnosticCode.NAME_VARIANT]
        for r in catalog.records
        if copy in r.sources
    }
    assert len(notes) == len(VARIANT_ROWS.splitlines())
    assert notes["Alexander Orlov"] == [
        "'Aleksandr Orlov' merged with 'Alexander Orlov': the first names 'Aleksandr' and "
        "'Alexander' are transliterations of one name"
    ]
    assert all(len(messages) == 1 for messages in notes.values()), notes
    # 'Tatyana Tchernavina' also differs in the family name: a close match on the rest.
    tchernavin = catalog.records[catalog.row_of["tatiana-tchernavin-1932"]]
    codes = [d.code for d in tchernavin.diagnostics]
    assert DiagnosticCode.FUZZY_MERGED in codes and DiagnosticCode.NAME_VARIANT in codes
    assert not any(WarningCode.CONFLICT in r.warning_codes for r in catalog.records)


def test_a_variant_first_name_with_another_family_name_is_another_person(tmp_path):
    path = tmp_path / "other.md"
    path.write_text(HEADER + "| Aleksandr Orlovsky | NKVD | Belarus | 1938 | |\n", "utf-8")
    catalog = load_catalog(extra=[(path, True)])
    assert len(catalog.records) == 186


def test_without_variants_the_merge_is_as_before(context, gazetteer, classifier, tmp_path):
    from defectors_catalog.domain.merge.merging import merge_sources
    from defectors_catalog.domain.sources.manifest import load_manifest

    sources = load_manifest(paths.manifest_path())
    parses = {s.id: parse_file(s.path, s.id, s.layout, context) for s in sources}
    plain = merge_sources(sources, parses, gazetteer, classifier)
    with_variants = merge_sources(
        sources, parses, gazetteer, classifier, variants=load_name_variants(RESOURCES)
    )
    # The seeds hold no two spellings of one person's first name.
    assert plain == with_variants


def test_variant_groups_and_their_keys():
    variants = load_name_variants(RESOURCES)
    assert variants.match_key("aleksandr orlov") == "alexander orlov"
    assert variants.match_key("yury nosenko") == variants.match_key("jurij nosenko")
    assert variants.match_key("orlov") == "orlov"  # a single word is a family name
    assert variants.same_name("Mikhail", "Michael")
    assert not variants.same_name("Mikhail", "Mikhail")
    assert not variants.same_name("Mihai", "Mikhail")  # Romanian Mihai is not listed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[group]]\nnames = ["Ivan"]\n', "needs two or more one-word first names"),
        ('[[group]]\nnames = ["Ivan", "Ivan Ivanovich"]\n', "one-word"),
        ('[[group]]\nnames = ["Ivan", "Iwan"]\n[[group]]\nnames = ["Iwan", "Jan"]\n',
         "'iwan' is in two groups"),
        ("[[group]\n", "cannot load the name variants"),
    ],
)  # fmt: skip
def test_bad_variant_files_are_refused(tmp_path, text, message):
    path = tmp_path / "name_variants.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_name_variants(path)
