"""Sources a person added: a copy of each file plus a manifest in their data folder.

The folder is given by the caller (the window uses QStandardPaths' app data folder).
Every write is atomic. A damaged manifest or a missing copy is reported, never fatal:
the catalog still opens with everything else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from defectors_catalog.domain.atomic import write_atomically
from defectors_catalog.domain.errors import CatalogError, ManifestError, SourceReadError
from defectors_catalog.domain.keeping import BusyError, locked, sweep_parts
from defectors_catalog.domain.model import Reliability, SourceSpec
from defectors_catalog.domain.sources.manifest import spec_from_mapping
from defectors_catalog.domain.sources.reading import read_source_bytes
from defectors_catalog.domain.text import badge_label, slug

COLOURS = ("#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#1f618d", "#a93226")
MANIFEST = "sources.toml"


# The longest id made from a title (an id is also the copy's file name).
ID_CHARACTERS = 60


class UserSourceError(CatalogError):
    """An added source could not be stored, changed or removed."""


@dataclass(frozen=True)
class UserSources:
    specs: tuple[SourceSpec, ...]
    problems: tuple[str, ...] = ()


class UserSourceStore:
    """Holds the folder; `load`, `add`, `update` and `remove` keep its manifest in step.

    Every change is a read-modify-write under the manifest's lock, on the manifest as
    it is on disk then: two windows adding at once keep both sources, and a new id is
    unique against what is there. An entry that cannot be used (invalid, its copy
    missing, its file outside `files/`) is reported and written back as it was, never
    dropped by the next change.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = folder / MANIFEST
        self.files = folder / "files"

    def load(self) -> UserSources:
        # A start is when a copy that a killed add left half-written is cleared away.
        sweep_parts(self.files, ["*.part"])
        read = self._read()
        return UserSources(tuple(s for s in read.entries if isinstance(s, SourceSpec)),
                           read.problems)  # fmt: skip

    def _read(self) -> _Manifest:
        if not self.manifest.exists():
            return _Manifest([], ())
        import tomllib  # only when there is a list to read: most starts have none

        try:
            data = tomllib.loads(self.manifest.read_text(encoding="utf-8"))
            raw = data.get("source", [])
            if not isinstance(raw, list):
                raise ValueError("'source' is not a list of tables")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return _Manifest([], (
                f"The list of sources you added ({self.manifest}) is damaged and was not "
                f"read: {exc}. The bundled sources are shown.",
            ), damaged=True)  # fmt: skip
        entries: list[SourceSpec | dict[str, Any]] = []
        problems: list[str] = []
        for number, entry in enumerate(raw, 1):
            problem = ""
            try:
                spec = spec_from_mapping(entry, self.files, number)
            except ManifestError as exc:
                problem = f"An added source was skipped: {exc}."
            else:
                if not _inside(spec.path, self.files):
                    problem = (
                        f"The added source '{spec.title}' names a file outside the sources "
                        f"folder ({entry.get('file')!r}); it was refused and is not read."
                    )
                elif not spec.path.is_file():
                    problem = (
                        f"The copy of the added source '{spec.title}' is missing "
                        f"({spec.path}); it was skipped. Add the file again to restore it."
                    )
            if problem:
                problems.append(problem)
                # Kept as written: the next change writes it back, a person can mend it.
                entries.append(dict(entry) if isinstance(entry, dict) else {"value": entry})
            else:
                entries.append(spec)
        return _Manifest(entries, tuple(problems))

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
        try:
            data = read_source_bytes(path)
        except SourceReadError as exc:
            raise UserSourceError(str(exc)) from None
        with self._changing() as current:
            usable = [e for e in current if isinstance(e, SourceSpec)]
            same = listed_copy(data, [*listed, *usable])
            if same is not None:
                raise UserSourceError(f"{path.name} is already listed as '{same.title}'")
            ids = set(taken) | {_entry_id(e) for e in current}
            suffix = path.suffix.lower() or ".txt"
            # Cut: the id names the copy's file, and a title of a few hundred
            # characters would make a name the file system refuses (ENAMETOOLONG).
            base = slug(title or path.stem)[:ID_CHARACTERS].strip("-") or "source"
            source_id, n = base, 2
            # Unique against the manifest on disk and the copies there (an entry left
            # unreadable still owns its copy).
            while source_id in ids or (self.files / f"{source_id}{suffix}").exists():
                source_id, n = f"{base}-{n}", n + 1
            copy = self.files / f"{source_id}{suffix}"
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
                label=badge_label(title.strip() or path.name, [e.label for e in usable]),
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
            current.append(spec)
        return spec

    def update(
        self, source_id: str, *, title: str | None = None, reliable: bool | None = None
    ) -> SourceSpec:
        with self._changing() as current:
            for i, spec in enumerate(current):
                if isinstance(spec, SourceSpec) and spec.id == source_id:
                    changed = replace(
                        spec,
                        title=spec.title if title is None else title.strip() or spec.title,
                        reliability=spec.reliability
                        if reliable is None
                        else (Reliability.RELIABLE if reliable else Reliability.UNRELIABLE),
                    )
                    current[i] = changed
                    return changed
        raise UserSourceError(f"no added source with id {source_id!r}")

    def remove(self, source_id: str) -> None:
        with self._changing() as current:
            gone = [s for s in current if isinstance(s, SourceSpec) and s.id == source_id]
            if not gone:
                raise UserSourceError(f"no added source with id {source_id!r}")
            current[:] = [s for s in current if s not in gone]
        for spec in gone:
            # Only the app's own copy is ever deleted (an entry naming another file
            # was refused when read and is never in `gone`).
            if _inside(spec.path, self.files):
                spec.path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _changing(self) -> Iterator[list[SourceSpec | dict[str, Any]]]:
        """The entries on disk, under the lock, written back when the body is done
        (not when it raises)."""
        try:
            with locked(self.manifest):
                read = self._read()
                if read.damaged:
                    raise UserSourceError(read.problems[0])
                entries = list(read.entries)
                before = list(entries)
                yield entries
                if entries != before:
                    self._write(entries)
        except BusyError as exc:
            raise UserSourceError(str(exc)) from None

    def _write(self, entries: Sequence[SourceSpec | dict[str, Any]]) -> None:
        import tomli_w  # only when the list changes

        tables = [_table(e) if isinstance(e, SourceSpec) else e for e in entries]
        # A real TOML writer: every control character (DEL too) is escaped, so any
        # title or file name reads back as it was written.
        text = "# Sources added in Defectors Catalog; edited by the app.\n\n" + tomli_w.dumps(
            {"source": tables}
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.manifest, lambda handle: handle.write(text), error=UserSourceError)


@dataclass(frozen=True)
class _Manifest:
    """The manifest's entries in order (a spec, or the table as written when it cannot
    be used), what is wrong with them, and whether the file itself could not be read."""

    entries: list[SourceSpec | dict[str, Any]]
    problems: tuple[str, ...]
    damaged: bool = False


def _table(spec: SourceSpec) -> dict[str, Any]:
    table: dict[str, Any] = {
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
    # How to read it, when the person chose (or the detection settled) something.
    for key, value in (("encoding", spec.encoding), ("sheet", spec.sheet)):
        if value:
            table[key] = value
    if spec.columns:
        table["columns"] = dict(spec.columns)
    return table


def _entry_id(entry: SourceSpec | dict[str, Any]) -> str:
    return entry.id if isinstance(entry, SourceSpec) else str(entry.get("id", ""))


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links followed, is a file directly in `folder` (not the folder,
    not above it: an absolute path or `../../etc/passwd` in the manifest is not)."""
    try:
        return path.resolve().parent == folder.resolve()
    except (OSError, RuntimeError):
        return False


def listed_copy(data: bytes, specs: Sequence[SourceSpec]) -> SourceSpec | None:
    """The source among `specs` whose file has exactly these bytes (SHA-256), if any:
    the same file added twice would double every "listed in" count."""
    import hashlib  # only when a file is added: no start needs it

    digest = hashlib.sha256(data).digest()
    for spec in specs:
        try:
            if spec.path.stat().st_size == len(data) and (
                hashlib.sha256(read_source_bytes(spec.path)).digest() == digest
            ):
                return spec
        except (OSError, SourceReadError):
            continue
    return None
