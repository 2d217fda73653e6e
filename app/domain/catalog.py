"""Loading the whole catalog: manifest -> parsed sources -> merged records -> columns."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from app import paths
from app.domain.destinations import DestinationFinder, attach_destinations, load_rules
from app.domain.errors import CatalogError
from app.domain.gazetteer import Gazetteer, load_gazetteer
from app.domain.manifest import load_manifest
from app.domain.merge import merge_sources
from app.domain.model import (
    CatalogRecord,
    MatchCandidate,
    ParseResult,
    Reliability,
    SourceSpec,
)
from app.domain.parsers import make_context, parse_file
from app.domain.professions import ProfessionClassifier, load_professions
from app.domain.progress import NO_PROGRESS, Progress
from app.domain.query import DESTINATION, QueryEngine
from app.domain.table import CatalogTable, Facet, build_table, make_facet

# Badge colours for sources added at run time, which the manifest does not colour.
EXTRA_COLOURS = ("#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#1f618d")


@dataclass(frozen=True)
class Catalog:
    """The merged catalog: sources, what each parse found, records, and their columns."""

    sources: tuple[SourceSpec, ...]
    parses: dict[str, ParseResult]
    records: tuple[CatalogRecord, ...]
    candidates: tuple[MatchCandidate, ...]
    table: CatalogTable
    classifier: ProfessionClassifier
    gazetteer: Gazetteer
    problems: tuple[str, ...] = ()  # sources left out because they could not be read

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Record id -> position, for O(1) selection and detail lookups."""
        return {record.id: i for i, record in enumerate(self.records)}

    @cached_property
    def engine(self) -> QueryEngine:
        return QueryEngine(self.table, {DESTINATION: destination_facet(self.records)})

    def source(self, source_id: str) -> SourceSpec:
        return next(s for s in self.sources if s.id == source_id)


def destination_facet(records: Sequence[CatalogRecord]) -> Facet:
    """The inferred destination country per record, as a facet ('' when unclear)."""
    countries = [r.destination.country if r.destination else "" for r in records]
    return make_facet(countries, {"": "(none inferred)"})


def extra_source(path: Path, reliable: bool, index: int, taken: Sequence[str]) -> SourceSpec:
    """A source given on the command line: id from the file name, layout detected."""
    base = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "source"
    source_id, n = base, 2
    while source_id in taken:
        source_id, n = f"{base}-{n}", n + 1
    return SourceSpec(
        id=source_id,
        title=path.name,
        label=source_id[:8],
        path=path,
        layout="auto",
        reliability=Reliability.RELIABLE if reliable else Reliability.UNRELIABLE,
        license="unknown",
        origin=f"added for this run from {path.name}",
        retrieved="",
        colour=EXTRA_COLOURS[index % len(EXTRA_COLOURS)],
    )


def load_catalog(
    manifest: Path | None = None,
    extra: Sequence[tuple[Path, bool]] = (),
    resources: Path | None = None,
    *,
    added: Sequence[SourceSpec] = (),
    skip_unreadable: bool = False,
    decisions: Mapping[str, str] | None = None,
    progress: Progress = NO_PROGRESS,
) -> Catalog:
    """Build the catalog from the manifest's sources, the person's `added` sources, and
    `extra` (path, reliable) files given for one run.

    Raises CatalogError (with a message for people) when a source cannot be read,
    unless `skip_unreadable`: then that source is left out and named in `problems`.
    `progress` is told each stage and raises `CancelledError` if the person cancels.
    """
    resources = resources or paths.resources_dir()
    sources = list(load_manifest(manifest or paths.manifest_path()))
    for spec in added:
        if spec.id not in {s.id for s in sources}:
            sources.append(spec)
    for index, (path, reliable) in enumerate(extra):
        sources.append(extra_source(path, reliable, index, [s.id for s in sources]))
    gazetteer = load_gazetteer(resources / "places.toml")
    classifier = load_professions(resources / "professions.toml")
    context = make_context(gazetteer, classifier.split)
    parses: dict[str, ParseResult] = {}
    problems: list[str] = []
    for spec in list(sources):
        progress.stage(f"Reading {spec.title}")
        try:
            parses[spec.id] = parse_file(spec.path, spec.id, spec.layout, context, progress)
        except CatalogError as exc:
            if not skip_unreadable:
                raise CatalogError(f"source '{spec.id}': {exc}") from None
            problems.append(f"{spec.title}: {exc}")
            sources.remove(spec)
    merged = merge_sources(sources, parses, gazetteer, classifier, decisions, progress)
    progress.stage("Finding destinations in the notes")
    finder = DestinationFinder(gazetteer, load_rules(resources / "destinations.toml"))
    records = attach_destinations(merged.records, finder)
    progress.stage("Building the search columns")
    table = build_table(records, sources, classifier)
    return Catalog(
        sources=tuple(sources),
        parses=parses,
        records=records,
        candidates=merged.candidates,
        table=table,
        classifier=classifier,
        gazetteer=gazetteer,
        problems=tuple(problems),
    )
