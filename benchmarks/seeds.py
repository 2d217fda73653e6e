"""Parse + merge of the three real seed files: `load_catalog()`, and where its time goes."""

from __future__ import annotations

from typing import Any

from defectors_catalog import paths
from defectors_catalog.domain.catalog.build import load_catalog
from defectors_catalog.domain.merge.merging import merge_sources
from defectors_catalog.domain.query.engine import Query, QueryEngine
from defectors_catalog.domain.query.table import build_table
from defectors_catalog.domain.reference.gazetteer import load_gazetteer
from defectors_catalog.domain.reference.professions import load_professions
from defectors_catalog.domain.sources.layouts import make_context, parse_file
from defectors_catalog.domain.sources.manifest import load_manifest

from benchmarks.timing import median, repeat_ms


def measure_seeds(repeat: int) -> dict[str, Any]:
    catalog = load_catalog()  # warm: imports, the transliteration tables
    resources = paths.resources_dir()
    sources = load_manifest(paths.manifest_path())
    gazetteer = load_gazetteer(resources / "places.toml")
    classifier = load_professions(resources / "professions.toml")
    context = make_context(gazetteer, classifier.split)
    parses = {s.id: parse_file(s.path, s.id, s.layout, context) for s in sources}
    merged = merge_sources(sources, parses, gazetteer, classifier)
    runs = max(repeat, 5)

    def resources_step() -> None:
        load_gazetteer(resources / "places.toml")
        load_professions(resources / "professions.toml")

    def parse_step() -> None:
        for s in sources:
            parse_file(s.path, s.id, s.layout, context)

    return {
        "records": len(catalog.records),
        "load_catalog_ms": median(repeat_ms(load_catalog, runs)),
        "resources_ms": median(repeat_ms(resources_step, runs)),
        "parse_ms": median(repeat_ms(parse_step, runs)),
        "merge_ms": median(
            repeat_ms(lambda: merge_sources(sources, parses, gazetteer, classifier), runs)
        ),
        "table_ms": median(
            repeat_ms(lambda: build_table(merged.records, sources, classifier), runs)
        ),
        "first_query_ms": median(repeat_ms(lambda: QueryEngine(catalog.table).run(Query()), runs)),
    }
