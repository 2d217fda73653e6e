"""Reading and validating the sources manifest (`seeds/sources.toml`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from defectors_catalog.domain.errors import ManifestError
from defectors_catalog.domain.model import Reliability, SourceSpec

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_REQUIRED = ("id", "title", "file", "reliability")


def load_manifest(path: Path) -> tuple[SourceSpec, ...]:
    """Parse the manifest; every problem is reported with the entry it is in."""
    # Imported here: the pure-Python TOML parser costs ~15 ms to import, and a catalog
    # opened from the cache reads no manifest.
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"sources manifest not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read sources manifest {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"sources manifest {path.name} is not valid TOML: {exc}") from None
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path.name}: no [[source]] entries")
    specs = [spec_from_mapping(entry, path.parent, n) for n, entry in enumerate(entries, 1)]
    ids = [spec.id for spec in specs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ManifestError(f"{path.name}: duplicate source id(s): {', '.join(duplicates)}")
    return tuple(specs)


def spec_from_mapping(entry: Any, folder: Path, number: int) -> SourceSpec:
    if not isinstance(entry, Mapping):
        raise ManifestError(f"source #{number}: expected a table")
    missing = [key for key in _REQUIRED if not str(entry.get(key, "")).strip()]
    if missing:
        raise ManifestError(f"source #{number}: missing {', '.join(missing)}")
    source_id = str(entry["id"])
    where = f"source '{source_id}'"
    if not _ID.match(source_id):
        raise ManifestError(f"{where}: id must be lower-case letters, digits and dashes")
    try:
        reliability = Reliability(str(entry["reliability"]))
    except ValueError:
        raise ManifestError(
            f"{where}: reliability must be 'reliable' or 'unreliable', not {entry['reliability']!r}"
        ) from None
    # The registry, imported only when a manifest is read: it brings in every layout.
    from defectors_catalog.domain.sources.layouts import LAYOUT_IDS

    layout = str(entry.get("layout", "auto"))
    if layout not in LAYOUT_IDS:
        raise ManifestError(f"{where}: layout must be one of {', '.join(LAYOUT_IDS)}")
    encoding, sheet, columns = _read_options(entry, where)
    colour = str(entry.get("colour", "#777777"))
    if not _COLOUR.match(colour):
        raise ManifestError(f"{where}: colour must look like #1a2b3c")
    return SourceSpec(
        id=source_id,
        title=str(entry["title"]),
        label=str(entry.get("label", source_id)),
        path=folder / str(entry["file"]),
        layout=layout,
        reliability=reliability,
        license=str(entry.get("license", "unknown")),
        origin=str(entry.get("origin", "")),
        retrieved=str(entry.get("retrieved", "")),
        colour=colour,
        description=str(entry.get("description", "")),
        encoding=encoding,
        sheet=sheet,
        columns=columns,
    )


def _read_options(
    entry: Mapping[str, Any], where: str
) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """`encoding`, `sheet` and `columns = { "Full name" = "name", ... }`, checked."""
    from defectors_catalog.domain.errors import SourceReadError
    from defectors_catalog.domain.sources.encodings import check_encoding
    from defectors_catalog.domain.sources.layouts.headers import FIELDS, IGNORE

    encoding = str(entry.get("encoding", ""))
    if encoding:
        try:
            encoding = check_encoding(encoding)
        except SourceReadError as exc:
            raise ManifestError(f"{where}: {exc}") from None
    columns = entry.get("columns", {})
    if not isinstance(columns, Mapping):
        raise ManifestError(f'{where}: columns must be a table like {{ "Full name" = "name" }}')
    pairs = []
    for column, field in columns.items():
        if field not in (*FIELDS, IGNORE):
            raise ManifestError(
                f"{where}: column {column!r} maps to {field!r}; fields are "
                f"{', '.join((*FIELDS, IGNORE))}"
            )
        pairs.append((str(column), str(field)))
    return encoding, str(entry.get("sheet", "")), tuple(pairs)
