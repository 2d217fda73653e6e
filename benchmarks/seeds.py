"""Parse + merge of the three real seed files: `load_catalog()`, and where its time goes."""

from __future__ import annotations

from typing import Any

from app import paths
from app.domain.catalog import load_catalog
from app.domain.gazetteer import load_gazetteer
from app.domain.manifest import load_manifest
from app.domain.merge import merge_sources
from app.domain.parsers import make_context, parse_file
from app.domain.professions import load_professions
from app.domain.query import Query, QueryEngine
from app.domain.table import build_table
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
