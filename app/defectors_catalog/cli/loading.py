"""What `export` and `report` share: the reading options for added files, and a catalog
built with them whose added files each gave rows."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from defectors_catalog import paths
from defectors_catalog.domain.catalog.build import Catalog, load_catalog
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.progress import NO_PROGRESS, Progress
from defectors_catalog.domain.sources.options import ReadOptions


def read_options(encoding: str, sheet: str, columns: str) -> ReadOptions:
    """`--encoding`, `--sheet` and `--columns "Full name=name,Year of defection=year"`."""
    from defectors_catalog.domain.sources.encodings import check_encoding
    from defectors_catalog.domain.sources.layouts.headers import FIELDS, IGNORE

    pairs = []
    for part in (p for p in columns.split(",") if p.strip()):
        column, equals, field = part.rpartition("=")
        field = field.strip().lower()
        if not equals or not column.strip():
            raise CatalogError(f"--columns: {part.strip()!r} is not COLUMN=FIELD")
        if field not in (*FIELDS, IGNORE):
            raise CatalogError(
                f"--columns: {field!r} is not a field; fields: {', '.join((*FIELDS, IGNORE))}"
            )
        pairs.append((column.strip(), field))
    return ReadOptions(
        encoding=check_encoding(encoding) if encoding else "",
        sheet=sheet.strip(),
        columns=tuple(pairs),
    )


def _check_added(catalog: Catalog, added: int) -> None:
    """The files given for this run each gave rows, and none is a listed file again."""
    from defectors_catalog.domain.sources.user_sources import listed_copy

    extras = catalog.sources[len(catalog.sources) - added :] if added else ()
    for spec in extras:
        parse = catalog.parses[spec.id]
        if not parse.entries:
            raise CatalogError(f"{spec.path.name}: no row could be read: {parse.summary}")
        earlier = catalog.sources[: catalog.sources.index(spec)]
        same = listed_copy(spec.path.read_bytes(), earlier)
        if same is not None:
            raise CatalogError(f"{spec.path.name}: already listed as '{same.title}'")


def load(
    extra: Sequence[tuple[Path, bool]], options: ReadOptions, progress: Progress = NO_PROGRESS
) -> Catalog:
    catalog = load_catalog(
        extra=extra, cache=paths.catalog_cache_dir(), extra_options=options, progress=progress
    )
    _check_added(catalog, len(extra))
    from defectors_catalog.cli.keeping import keep_until_the_end

    keep_until_the_end(catalog)
    return catalog
