"""Loading the whole catalog: manifest -> parsed sources -> merged records -> columns.

With a cache folder, a catalog built before from the same inputs is opened instead
(`catalog_cache`). That path must stay light, since it is how the window starts: the
parsers, the merge (rapidfuzz), the manifest and resource readers (tomllib) and the
destination rules are imported inside `_build`, only when a catalog is really built.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from defectors_catalog import paths
from defectors_catalog.domain.model import (
    CatalogRecord,
    MatchCandidate,
    ParseResult,
    Reliability,
    SourceSpec,
)
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.query.engine import QueryEngine
from defectors_catalog.domain.query.table import CatalogTable
from defectors_catalog.domain.reference.gazetteer import Gazetteer
from defectors_catalog.domain.reference.professions import ProfessionClassifier
from defectors_catalog.domain.sources.options import DEFAULT_OPTIONS, ReadOptions
from defectors_catalog.domain.text import badge_label

if TYPE_CHECKING:
    from defectors_catalog.domain.catalog.cache import Entry

# Badge colours for sources added at run time, which the manifest does not colour.
EXTRA_COLOURS = ("#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#1f618d")
RESOURCE_FILES = (
    "places.toml",
    "professions.toml",
    "destinations.toml",
    "name_variants.toml",
    "headers.toml",
    "places.compiled.json",
    "professions.compiled.json",
    "destinations.compiled.json",
    "name_variants.compiled.json",
)
OPENING_SAVED = "Opening the saved catalog"


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
    from_cache: bool = False  # opened from the cache folder rather than built
    # How the cache went, for a status line or a log: opened from, or why not saved.
    cache_note: str = ""

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Record id -> position, for O(1) selection and detail lookups."""
        return {record.id: i for i, record in enumerate(self.records)}

    @cached_property
    def engine(self) -> QueryEngine:
        return QueryEngine(self.table, {s.id: (s.title, s.label) for s in self.sources})

    def source(self, source_id: str) -> SourceSpec:
        return next(s for s in self.sources if s.id == source_id)


def extra_source(
    path: Path,
    reliable: bool,
    index: int,
    taken: Sequence[str],
    options: ReadOptions = DEFAULT_OPTIONS,
    labels: Sequence[str] = (),
) -> SourceSpec:
    """A source given on the command line: id from the file name, layout detected,
    read with `options` (`--encoding`, `--sheet`, `--columns`); its badge unlike
    `labels`."""
    base = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "source"
    source_id, n = base, 2
    while source_id in taken:
        source_id, n = f"{base}-{n}", n + 1
    return SourceSpec(
        id=source_id,
        title=path.name,
        label=badge_label(path.name, labels),
        path=path,
        layout="auto",
        reliability=Reliability.RELIABLE if reliable else Reliability.UNRELIABLE,
        license="unknown",
        origin=f"added for this run from {path.name}",
        retrieved="",
        colour=EXTRA_COLOURS[index % len(EXTRA_COLOURS)],
        encoding=options.encoding,
        sheet=options.sheet,
        columns=options.columns,
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
    cache: Path | None = None,
    extra_options: ReadOptions = DEFAULT_OPTIONS,
) -> Catalog:
    """Build the catalog from the manifest's sources, the person's `added` sources, and
    `extra` (path, reliable) files given for one run, read with `extra_options`.

    Raises CatalogError (with a message for people) when a source cannot be read,
    unless `skip_unreadable`: then that source is left out and named in `problems`.
    `progress` is told each stage and raises `CancelledError` if the person cancels.

    `cache`: a folder to open a catalog saved from the same inputs, unchanged, instead
    of building it, and to save a built one in (plain data, never code: `codec.py`).
    Saving never fails the load; `cache_note` says why not.
    """
    from defectors_catalog.domain.gc_pause import collector_paused

    # Building makes millions of objects for a big source that all stay alive (entries,
    # records, columns, the saved document): the collector's full passes over them cost
    # more than a tenth of the build, and find nothing to free (no cycles are made).
    with collector_paused():
        return _load(manifest, extra, resources, added, skip_unreadable, decisions, progress,
                     cache, extra_options)  # fmt: skip


def _load(
    manifest: Path | None,
    extra: Sequence[tuple[Path, bool]],
    resources: Path | None,
    added: Sequence[SourceSpec],
    skip_unreadable: bool,
    decisions: Mapping[str, str] | None,
    progress: Progress,
    cache: Path | None,
    extra_options: ReadOptions,
) -> Catalog:
    resources = resources or paths.resources_dir()
    manifest = manifest or paths.manifest_path()
    if cache is None:
        sources = _sources(manifest, added, extra, extra_options)
        return _build(sources, resources, skip_unreadable, decisions, progress)

    from defectors_catalog.domain.catalog import cache as catalog_cache

    key = catalog_cache.make_key(
        (
            *_key_parts(manifest, extra, resources, added, skip_unreadable, decisions),
            repr(extra_options),
        )
    )
    saved = catalog_cache.read(cache, key, opening=lambda: progress.stage(OPENING_SAVED))
    if saved is not None:
        catalog = _from_parts(*saved)
        if catalog is not None:
            return catalog
    # Every file's state is taken before it is read: a file edited meanwhile then no
    # longer matches, and the next start builds again rather than trust this catalog.
    files = [manifest, *(resources / name for name in RESOURCE_FILES)]
    entry = catalog_cache.make_entry(key, files)
    sources = _sources(manifest, added, extra, extra_options)
    entry = entry.adding([spec.path for spec in sources])
    catalog = _build(sources, resources, skip_unreadable, decisions, progress)
    progress.stage("Saving the catalog for the next start")
    note = _save(cache, entry, catalog)
    return dataclasses.replace(catalog, cache_note=note)


def _sources(
    manifest: Path,
    added: Sequence[SourceSpec],
    extra: Sequence[tuple[Path, bool]],
    options: ReadOptions = DEFAULT_OPTIONS,
) -> list[SourceSpec]:
    """The manifest's sources, then the person's added ones, then this run's extras."""
    from defectors_catalog.domain.sources.manifest import (
        load_manifest,
    )  # tomllib: only when building

    sources = list(load_manifest(manifest))
    for spec in added:
        if spec.id not in {s.id for s in sources}:
            sources.append(spec)
    for index, (path, reliable) in enumerate(extra):
        taken = [s.id for s in sources]
        labels = [s.label for s in sources]
        sources.append(extra_source(path, reliable, index, taken, options, labels))
    return sources


def _key_parts(
    manifest: Path,
    extra: Sequence[tuple[Path, bool]],
    resources: Path,
    added: Sequence[SourceSpec],
    skip_unreadable: bool,
    decisions: Mapping[str, str] | None,
) -> tuple[object, ...]:
    """Everything besides file contents that shapes the catalog, as plain data. Paths
    are given as written (the catalog keeps them so) and resolved (the file meant)."""

    def where(path: Path) -> tuple[str, str]:
        return str(path), str(path.resolve())

    return (
        where(manifest),
        where(resources),
        tuple((repr(spec), where(spec.path)) for spec in added),
        tuple((where(path), reliable) for path, reliable in extra),
        skip_unreadable,
        tuple(sorted((decisions or {}).items())),
    )


def _save(cache: Path, entry: Entry, catalog: Catalog) -> str:
    """Save the catalog's built parts (not its engine, made on demand); "" or why not."""
    from defectors_catalog.domain.catalog import cache as catalog_cache
    from defectors_catalog.domain.catalog import codec

    parts = _parts(catalog)
    # Each array is written as it is made, so they are never all held (a value the
    # format cannot hold only means no entry, with the reason).
    return catalog_cache.write_made(cache, entry, lambda sink: codec.encode_into(sink, *parts))


def _parts(catalog: Catalog) -> tuple[Any, ...]:
    """What is saved: the catalog's built parts, in `codec.encode`'s order."""
    return (
        catalog.sources,
        catalog.parses,
        catalog.records,
        catalog.candidates,
        catalog.table,
        catalog.classifier,
        catalog.gazetteer,
        catalog.problems,
    )


def _from_parts(doc: object, arrays: Sequence[Any], note: str) -> Catalog | None:
    """The catalog from a saved document and its arrays, or None when they do not have
    its shape (any error decoding them: the catalog is built again)."""
    from defectors_catalog.domain.catalog import codec

    try:
        parts = codec.decode(doc, arrays)
    except Exception:
        return None
    sources, parses, records, candidates, table, classifier, gazetteer, problems = parts
    if len(table) != len(records):
        return None
    return Catalog(
        sources=sources,
        parses=parses,
        records=records,
        candidates=candidates,
        table=table,
        classifier=classifier,
        gazetteer=gazetteer,
        problems=problems,
        from_cache=True,
        cache_note=note,
    )


def _build(
    sources: list[SourceSpec],
    resources: Path,
    skip_unreadable: bool,
    decisions: Mapping[str, str] | None,
    progress: Progress,
) -> Catalog:
    # Imported here, not at the top: opening a saved catalog needs none of them, and
    # together (rapidfuzz, tomllib, the parsers) they cost tens of ms at every start.
    from defectors_catalog.domain.errors import CatalogError
    from defectors_catalog.domain.merge.merging import merge_sources
    from defectors_catalog.domain.query.table import build_table
    from defectors_catalog.domain.reference.destinations import (
        DestinationFinder,
        attach_destinations,
        load_rules,
    )
    from defectors_catalog.domain.reference.gazetteer import load_gazetteer
    from defectors_catalog.domain.reference.name_variants import load_name_variants
    from defectors_catalog.domain.reference.professions import load_professions
    from defectors_catalog.domain.sources.layouts import make_context, parse_file
    from defectors_catalog.domain.sources.layouts.headers import load_header_words

    gazetteer = load_gazetteer(resources / "places.toml")
    classifier = load_professions(resources / "professions.toml")
    variants = load_name_variants(resources / "name_variants.toml")
    headers = load_header_words(resources / "headers.toml")
    context = make_context(gazetteer, classifier.split, headers)
    parses: dict[str, ParseResult] = {}
    problems: list[str] = []
    for spec in list(sources):
        progress.stage(f"Reading {spec.title}")
        try:
            options = ReadOptions(spec.encoding, spec.sheet, spec.columns)
            parses[spec.id] = parse_file(
                spec.path, spec.id, spec.layout, context, progress, options
            )
        except CatalogError as exc:
            if not skip_unreadable:
                raise CatalogError(f"source '{spec.id}': {exc}") from None
            problems.append(f"{spec.title}: {exc}")
            sources.remove(spec)
    merged = merge_sources(sources, parses, gazetteer, classifier, decisions, progress, variants)
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
