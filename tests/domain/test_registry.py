"""The field and facet registries: everything declared there works everywhere, on the seeds."""

from __future__ import annotations

import pytest
from defectors_catalog.cli.arguments import build_parser
from defectors_catalog.domain.facets import COUNTED, FACETS, FacetKind
from defectors_catalog.domain.fields import FIELDS, SORTABLE, Kind
from defectors_catalog.domain.output.csv_export import ALL_COLUMNS, export_csv
from defectors_catalog.domain.query.engine import Query
from defectors_catalog.domain.query.table import STRUCTURAL


def test_every_field_is_a_table_column_of_display_strings(catalog):
    for field in FIELDS:
        if field.key in STRUCTURAL:
            continue
        if field.kind is Kind.ANNOTATION:  # the person's own, beside the table
            shown = catalog.engine.annotations.text[field.key].tolist()
        else:
            shown = catalog.table.text[field.key]
        assert len(shown) == 185, field.key
        assert all(isinstance(value, str) for value in shown), field.key


def test_every_sortable_field_sorts_all_records(catalog):
    for key in SORTABLE:
        order = catalog.engine.order(key)
        assert sorted(order.tolist()) == list(range(185)), key


def test_the_inferred_destination_is_an_ordinary_column_and_facet(catalog):
    shown = catalog.table.text["destination"]
    inferred = [r.destination.country if r.destination else "" for r in catalog.records]
    assert list(shown) == inferred
    counts = {v.value: v.count for v in catalog.engine.run(Query()).facets["destination"]}
    assert counts[""] == inferred.count("")
    assert counts["Austria"] == inferred.count("Austria") > 0


def test_every_counted_facet_counts_every_record(catalog):
    facets = catalog.engine.run(Query()).facets
    assert set(facets) == {f.key for f in COUNTED}
    for facet in COUNTED:
        total = sum(v.count for v in facets[facet.key])
        if facet.kind is FacetKind.SOURCES:  # a record listed twice counts twice
            assert total == sum(len(r.sources) for r in catalog.records)
        elif facet.kind is FacetKind.TAGS:  # a record counts once per tag: none here
            assert total == 0
        else:
            assert total == 185, facet.key


def test_every_facet_with_an_option_is_on_the_command_line():
    export = build_parser().parse_args(["export", "out.csv"])
    for facet in FACETS:
        if facet.option:
            assert getattr(export, facet.option_dest) == [], facet.key


def test_a_query_names_only_known_facets():
    with pytest.raises(ValueError, match="unknown facet"):
        Query(selections={"countries": frozenset({"Hungary"})})
    assert Query(selections={"country": {"Hungary"}, "category": set()}) == Query(
        selections={"country": frozenset({"Hungary"})}
    )


def test_every_export_column_is_written(catalog, tmp_path):
    target = tmp_path / "all.csv"
    export_csv(catalog, catalog.engine.run(Query()).positions, target)
    header = target.read_text(encoding="utf-8").split("\n")[0].split(",")
    assert tuple(header) == ALL_COLUMNS
    assert "destination_inferred" in header
