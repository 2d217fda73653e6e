"""Sources a person added: a copy of each file plus a manifest in their data folder.

The folder is given by the caller (the window uses QStandardPaths' app data folder).
Every write is atomic. A damaged manifest or a missing copy is reported, never fatal:
the catalog still opens with everything else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from defectors_catalog.domain.atomic import write_atomically
from defectors_catalog.domain.errors import CatalogError, ManifestError
from defectors_catalog.domain.model import Reliability, SourceSpec
from defectors_catalog.domain.sources.manifest import spec_from_mapping
from defectors_catalog.domain.text import slug

COLOURS = ("#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#1f618d", "#a93226")
MANIFEST = "sources.toml"


class UserSourceError(CatalogError):
    """An added source could not be stored, changed or removed."""


@dataclass(frozen=True)
class UserSources:
    specs: tuple[SourceSpec, ...]
    problems: tuple[str, ...] = ()


class UserSourceStore:
    """Holds the folder; `load`, `add`, `update` and `remove` keep its manifest in step."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = folder / MANIFEST
        self.files = folder / "files"

    def load(self) -> UserSources:
        if not self.manifest.exists():
            return UserSources(())
        import tomllib  # only when there is a list to read: most starts have none

        try:
            data = tomllib.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return UserSources((), (
                f"The list of sources you added ({self.manifest}) is damaged and was not "
                f"read: {exc}. The bundled sources are shown.",
            ))  # fmt: skip
        specs: list[SourceSpec] = []
        problems: list[str] = []
        for number, entry in enumerate(data.get("source", []), 1):
            try:
                spec = spec_from_mapping(entry, self.files, number)
            except ManifestError as exc:
                problems.append(f"An added source was skipped: {exc}.")
                continue
            if not spec.path.is_file():
                problems.append(
                    f"The copy of the added source '{spec.title}' is missing "
                    f"({spec.path}); it was skipped. Add the file again to restore it."
                )
                continue
            specs.append(spec)
        return UserSources(tuple(specs), tuple(problems))

    def add(
        self,
        path: Path,
        title: str,
        reliable: bool,
        layout: str,
        taken: Sequence[str],
        *,
        listed: Sequence[SourceSpec] = (),
        encoding: str = "",
        sheet: str = "",
        columns: Sequence[tuple[str, str]] = (),
    ) -> SourceSpec:
        """Copy `path` into the folder and record it with how to read it; returns its
        new spec. Refused when its bytes are those of a source already `listed`."""
        current = self._entries()
        ids = set(taken) | {s.id for s in current}
        base = slug(title or path.stem) or "source"
        source_id, n = base, 2
        while source_id in ids:
            source_id, n = f"{base}-{n}", n + 1
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserSourceError(f"cannot read {path}: {exc.strerror or exc}") from None
        same = listed_copy(data, [*listed, *current])
        if same is not None:
            raise UserSourceError(f"{path.name} is already listed as '{same.title}'")
        copy = self.files / f"{source_id}{path.suffix.lower() or '.txt'}"
        try:
            self.files.mkdir(parents=True, exist_ok=True)
            temporary = copy.with_name(copy.name + ".part")
            temporary.write_bytes(data)
            temporary.replace(copy)
        except OSError as exc:
            raise UserSourceError(f"cannot store a copy in {self.files}: {exc}") from None
        spec = SourceSpec(
            id=source_id,
            title=title.strip() or path.name,
            label=(title.strip() or path.stem)[:10],
            path=copy,
            layout=layout,
            reliability=Reliability.RELIABLE if reliable else Reliability.UNRELIABLE,
            license="unknown",
            origin=f"added from {path.name}",
            retrieved="",
            colour=COLOURS[len(current) % len(COLOURS)],
            encoding=encoding,
            sheet=sheet,
            columns=tuple(columns),
        )
        self._write([*current, spec])
        return spec

    def update(
        self, source_id: str, *, title: str | None = None, reliable: bool | None = None
    ) -> SourceSpec:
        current = self._entries()
        for i, spec in enumerate(current):
            if spec.id == source_id:
                changed = replace(
                    spec,
                    title=spec.title if title is None else title.strip() or spec.title,
                    reliability=spec.reliability
                    if reliable is None
                    else (Reliability.RELIABLE if reliable else Reliability.UNRELIABLE),
                )
                current[i] = changed
                self._write(current)
                return changed
        raise UserSourceError(f"no added source with id {source_id!r}")

    def remove(self, source_id: str) -> None:
        current = self._entries()
        kept = [s for s in current if s.id != source_id]
        if len(kept) == len(current):
            raise UserSourceError(f"no added source with id {source_id!r}")
        self._write(kept)
        for spec in current:
            if spec.id == source_id:
                spec.path.unlink(missing_ok=True)

    def _entries(self) -> list[SourceSpec]:
        loaded = self.load()
        if loaded.problems and not loaded.specs and self.manifest.exists():
            raise UserSourceError(loaded.problems[0])
        return list(loaded.specs)

    def _write(self, specs: Sequence[SourceSpec]) -> None:
        blocks = ["# Sources added in Defectors Catalog; edited by the app.\n"]
        for spec in specs:
            fields = {
                "id": spec.id,
                "title": spec.title,
                "label": spec.label,
                "file": spec.path.name,
                "layout": spec.layout,
                "reliability": spec.reliability.value,
                "license": spec.license,
                "origin": spec.origin,
                "retrieved": spec.retrieved,
                "colour": spec.colour,
            }
            for key, value in (("encoding", spec.encoding), ("sheet", spec.sheet)):
                if value:
                    fields[key] = value
            # JSON string escapes are valid TOML basic-string escapes.
            lines = [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in
                     fields.items()]  # fmt: skip
            if spec.columns:
                pairs = ", ".join(
                    f"{json.dumps(column, ensure_ascii=False)} = {json.dumps(field)}"
                    for column, field in spec.columns
                )
                lines.append(f"columns = {{ {pairs} }}")
            blocks.append("[[source]]\n" + "\n".join(lines) + "\n")
        self.folder.mkdir(parents=True, exist_ok=True)
        text = "\n".join(blocks)
        write_atomically(self.manifest, lambda handle: handle.write(text), error=UserSourceError)


def listed_copy(data: bytes, specs: Sequence[SourceSpec]) -> SourceSpec | None:
    """The source among `specs` whose file has exactly these bytes (SHA-256), if any:
    the same file added twice would double every "listed in" count."""
    import hashlib  # only when a file is added: no start needs it

    digest = hashlib.sha256(data).digest()
    for spec in specs:
        try:
            if spec.path.stat().st_size == len(data) and (
                hashlib.sha256(spec.path.read_bytes()).digest() == digest
            ):
                return spec
        except OSError:
            continue
    return None
