"""The columnar table: the same table as the record-by-record build, at any size."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pytest
from defectors_catalog.domain.fields import FIELD, SEARCH_FIELDS
from defectors_catalog.domain.model import CatalogRecord, SourceSpec
from defectors_catalog.domain.query.table import (
    FIELD_GAP,
    NO_YEAR,
    CatalogTable,
    Coded,
    build_search_blob,
    build_table,
    columns_of,
    read_attributes,
    search_field_bounds,
)
from defectors_catalog.domain.reference.professions import ProfessionClassifier
from defectors_catalog.domain.sources.layouts import parse_file
from defectors_catalog.domain.text import fold, surname_first, surnames_first

from benchmarks.synthetic import (
    NOTE_LENGTH,
    SOURCES,
    YEARS,
    SyntheticRecords,
    synthetic_catalog,
    synthetic_columns,
    write_source,
)


def reference_facet(
    raw: Sequence[str], labels: dict[str, str] | None = None, empty: str = "(unknown)"
) -> Coded:
    """A facet column the plain way: values sorted as people read them, empty last."""
    values = tuple(sorted(set(raw), key=lambda v: (v == "", fold(v))))
    index = {v: i for i, v in enumerate(values)}
    shown = tuple((labels or {}).get(v, v) or empty for v in values)
    return Coded(values, shown, np.array([index[v] for v in raw], dtype=np.int32))


def reference_table(
    records: Sequence[CatalogRecord],
    sources: Sequence[SourceSpec],
    classifier: ProfessionClassifier,
) -> CatalogTable:
    """The table as it was first built: every value folded and converted one by one."""
    source_ids = tuple(s.id for s in sources)
    bit = {sid: 1 << i for i, sid in enumerate(source_ids)}
    reliable = {s.id for s in sources if s.reliable}
    n = len(records)
    text = {
        "name": tuple(r.name for r in records),
        "alias": tuple(r.alias for r in records),
        "profession": tuple(r.profession for r in records),
        "category": tuple(classifier.label(r.category) for r in records),
        "birthplace": tuple(r.birthplace for r in records),
        "country": tuple(r.country for r in records),
        "year": tuple("" if r.year is None else str(r.year) for r in records),
        "notes": tuple(r.notes for r in records),
        "sources": tuple(";".join(r.sources) for r in records),
        "destination": tuple(r.destination.country if r.destination else "" for r in records),
        "warning_text": tuple(" | ".join(w.text for w in r.warnings) for r in records),
        "destination_evidence": tuple(
            r.destination.evidence if r.destination else "" for r in records
        ),
        "surname": tuple(surname_first(r.name) for r in records),
    }
    counts = [len(r.sources) for r in records]
    listed = sorted(set(counts))
    listed_in = Coded(
        tuple(str(c) for c in listed),
        tuple(f"Listed in {c} source{'s' if c != 1 else ''}" for c in listed),
        np.array([listed.index(c) for c in counts], dtype=np.int32),
    )
    rows = [FIELD_GAP.join(fold(getattr(r, f)) for f in SEARCH_FIELDS) for r in records]
    blob, starts = build_search_blob(rows)
    return CatalogTable(
        ids=tuple(r.id for r in records),
        text=text,
        year=np.fromiter(
            (NO_YEAR if r.year is None else r.year for r in records), dtype=np.int32, count=n
        ),
        facets={
            "country": reference_facet([r.country for r in records]),
            "category": reference_facet([r.category for r in records], dict(classifier.labels)),
            "listed_in": listed_in,
            "destination": reference_facet(text["destination"], empty="(none inferred)"),
        },
        source_ids=source_ids,
        source_bits=np.fromiter(
            (sum(bit[s] for s in r.sources) for r in records), dtype=np.uint64, count=n
        ).reshape(n, 1),
        source_count=np.fromiter((len(r.sources) for r in records), dtype=np.int16, count=n),
        only_unreliable=np.fromiter(
            (not any(s in reliable for s in r.sources) for r in records), dtype=bool, count=n
        ),
        has_warnings=np.fromiter((bool(r.warnings) for r in records), dtype=bool, count=n),
        warning_codes=tuple(";".join(r.warning_codes) for r in records),
        search_blob=blob,
        search_starts=starts,
    )


def assert_same_table(built: CatalogTable, expected: CatalogTable) -> None:
    for f in dataclasses.fields(CatalogTable):
        # Not in the first table: tested below.
        if f.name in ("factors", "sort_keys", "from_records"):
            continue
        got, want = getattr(built, f.name), getattr(expected, f.name)
        if isinstance(want, np.ndarray):
            assert got.dtype == want.dtype, f.name
            assert np.array_equal(got, want), f.name
        elif f.name == "facets":
            assert got.keys() == want.keys()
            for column, facet in want.items():
                mine = got[column]
                assert (mine.values, mine.labels) == (facet.values, facet.labels), column
                assert mine.codes.dtype == facet.codes.dtype, column
                assert np.array_equal(mine.codes, facet.codes), column
        else:
            assert got == want, f.name


def test_real_catalog_table_is_the_record_by_record_table(catalog):
    expected = reference_table(catalog.records, catalog.sources, catalog.classifier)
    assert_same_table(catalog.table, expected)


def test_columnar_build_is_the_record_build_on_synthetic_records(classifier):
    made = synthetic_catalog(3000, classifier, seed=7)
    records = list(SyntheticRecords(made.table, made.warning_text))
    assert_same_table(made.table, reference_table(records, SOURCES, classifier))
    assert_same_table(build_table(records, SOURCES, classifier), made.table)
    assert columns_of(records)["name"] == made.columns["name"]


def test_the_table_holds_what_it_says_it_has_from_the_records(catalog, classifier):
    """What a saved catalog then stores once: every column the table says holds the
    records' values does, on the seeds and on thousands of synthetic records."""
    synthetic = list(SyntheticRecords(*_made(classifier)))
    for records, table in (
        (catalog.records, catalog.table),
        (synthetic, build_table(synthetic, SOURCES, classifier)),
    ):
        held = table.from_records
        assert {"id", "year", "name", "notes", "profession", "surname"} <= held
        assert "category" not in held  # shown by its label, not the record's id
        assert list(table.ids) == [r.id for r in records]
        assert [None if y == NO_YEAR else y for y in table.year.tolist()] == [
            r.year for r in records
        ]
        for key in held - {"id", "year"}:
            assert list(table.text[key]) == [FIELD[key].value(r) for r in records], key


def _made(classifier):
    made = synthetic_catalog(3000, classifier, seed=11)
    return made.table, made.warning_text


def test_a_table_made_from_columns_claims_nothing(classifier):
    assert synthetic_catalog(50, classifier).table.from_records == frozenset()


def test_attributes_are_read_in_batches_as_one_by_one(classifier):
    records = list(SyntheticRecords(*_made(classifier)))  # several batches, one partial
    names = ["name", "year", "sources", "warning_codes"]
    read = read_attributes(records, names, {"surname": FIELD["surname"].value})
    assert list(read) == [*names, "surname"]
    for name in names:
        assert read[name] == [getattr(r, name) for r in records], name
    assert read["surname"] == [surname_first(r.name) for r in records]
    assert read_attributes(records[:3], ["id"]) == {"id": [r.id for r in records[:3]]}
    assert read_attributes([], ["id", "name"]) == {"id": [], "name": []}


def test_surnames_of_a_column_are_each_name_surname_first(catalog):
    # Odd spacing, one word, suffixes in any case ('\u017fr' folds to 'sr'), line breaks.
    odd = ["", " ", "Ada", " Ada  Nowak ", "Ada\tNowak", "Martin Luther King Jr.",
           "Anna Maria ii", "Anna\u00a0Nowak", "Ada\x1fNowak Kraków", "Jr", "Ada Nowak JR",
           "ada  b c", "x y\n", "Kőszegi Иван", "Ivan \u017fr", "Ivan I\u0130",
           "Ada Nowak Sr. III"]  # fmt: skip
    names = [r.name for r in catalog.records] + [e.name for p in catalog.parses.values()
                                                 for e in p.entries] + odd  # fmt: skip
    assert surnames_first(names) == [surname_first(n) for n in names]
    assert "Nureyev, Rudolf" in surnames_first(names)


def test_factors_give_back_the_text(catalog):
    table = catalog.table
    for column, factor in table.factors.items():
        shown = table.warning_codes if column == "warnings" else table.text[column]
        assert tuple(factor.values[c] for c in factor.codes) == shown


def test_name_sort_key_orders_like_the_folded_names(catalog):
    folded = [fold(name) for name in catalog.table.text["name"]]
    order = np.argsort(catalog.table.sort_keys["name"], kind="stable")
    assert [folded[i] for i in order] == sorted(folded)


def test_field_bounds_find_each_folded_field(catalog):
    table = catalog.table
    for field in SEARCH_FIELDS:
        begin, end = search_field_bounds(table, field)
        found = [table.search_blob[b:e].decode("ascii") for b, e in zip(begin, end, strict=True)]
        assert found == [fold(v) for v in table.text[field]]


def test_empty_table(classifier):
    made = synthetic_catalog(0, classifier)
    assert len(made.table) == 0
    assert made.table.search_blob == b""


def test_synthetic_catalog_is_deterministic_and_plausible(classifier):
    a = synthetic_columns(2000, classifier, seed=3)
    b = synthetic_columns(2000, classifier, seed=3)
    c = synthetic_columns(2000, classifier, seed=4)
    assert a == b
    assert a["name"] != c["name"]
    years = [y for y in a["year"] if y is not None]
    assert YEARS[0] <= min(years) and max(years) <= YEARS[1]
    assert all(NOTE_LENGTH[0] <= len(n) <= NOTE_LENGTH[1] for n in a["notes"])
    assert any(not name.isascii() for name in a["name"])  # diacritics and Cyrillic
    listed = {s for sources in a.sources for s in sources}
    assert listed == {s.id for s in SOURCES}
    assert sum(len(s) > 1 for s in a.sources) > 500  # sources overlap
    assert any(codes == ("only-unreliable",) for codes in a.warning_codes)
    assert len(set(a.ids)) == len(a.ids)


def test_synthetic_records_view(classifier):
    made = synthetic_catalog(50, classifier)
    records = SyntheticRecords(made.table, made.warning_text)
    assert len(records) == 50
    assert records[-1].id == made.columns.ids[49]
    assert [r.name for r in records[2:5]] == list(made.columns["name"][2:5])
    assert [r.year for r in records] == list(made.columns["year"])
    assert [r.sources for r in records] == list(made.columns.sources)
    assert [r.category for r in records] == list(made.columns["category"])
    assert [r.warning_codes for r in records] == list(made.columns.warning_codes)
    with pytest.raises(IndexError):
        records[50]


def test_written_sources_parse_back(classifier, tmp_path, context):
    columns = synthetic_columns(300, classifier, seed=5)
    for source in SOURCES:
        path = tmp_path / f"{source.id}.md"
        rows = write_source(columns, source.id, path)
        assert rows == sum(source.id in listed for listed in columns.sources)
        parsed = parse_file(path, source.id, "auto", context)
        assert len(parsed.entries) == rows
        listed = [i for i, ids in enumerate(columns.sources) if source.id in ids]
        assert [e.name for e in parsed.entries] == [columns["name"][i] for i in listed]
        assert [e.year for e in parsed.entries] == [columns["year"][i] for i in listed]
