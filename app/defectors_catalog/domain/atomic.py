"""Writing a file so that a failure never leaves a partial file or clobbers the old one."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from defectors_catalog.domain.errors import CatalogError, ExportError
from defectors_catalog.domain.keeping import sweep_parts

Writer = Callable[[IO[str]], object]


def write_atomically(
    target: Path,
    write: Writer,
    encoding: str = "utf-8",
    error: type[CatalogError] = ExportError,
) -> None:
    """Write through a temporary file in the target's folder, then rename it into place."""
    write_together([(target, write, encoding)], error)


def write_together(
    files: Sequence[tuple[Path, Writer, str]], error: type[CatalogError] = ExportError
) -> None:
    """Write each (target, write, encoding) to a temporary file beside its target, and
    only when every one is written rename them all into place: a failure in any (a
    provenance record that cannot be written) leaves every target as it was.

    A target that exists and is not a regular file (a device such as /dev/null, a FIFO,
    a socket) is refused: renaming over it would replace the device with a file. A
    link to a regular file is replaced by the file, as any editor's save does.
    """
    for target, _, _ in files:
        _check_target(target, error)
    written: list[tuple[Path, Path]] = []
    try:
        for target, write, encoding in files:
            written.append((_written(target, write, encoding, error), target))
        for temporary, target in written:
            temporary.replace(target)
    except OSError as exc:
        raise error(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        for temporary, _ in written:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _check_target(target: Path, error: type[CatalogError]) -> None:
    folder = target.parent if str(target.parent) else Path()
    try:
        status = target.stat()  # links followed: a link to /dev/null is /dev/null
    except FileNotFoundError:
        status = None
    except NotADirectoryError:
        raise error(f"cannot write {target}: {_file_in(target)} is a file, not a folder") from None
    except OSError as exc:
        raise error(f"cannot write {target}: {exc.strerror or exc}") from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise error(f"cannot write {target}: it is a folder")
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise error(f"cannot write {target}: it is not a regular file (a device or a FIFO)")
    if not folder.is_dir():
        part = _file_in(target)
        if part is not None:
            raise error(f"cannot write {target}: {part} is a file, not a folder")
        raise error(f"cannot write {target}: folder {folder} does not exist")
    # A kill -9 mid-export leaves this target's temporary file; the next write of it
    # clears those (only its own pattern, only old ones) from the folder.
    sweep_parts(folder, [f".{glob.escape(target.name)}.*.part"])


def _file_in(target: Path) -> Path | None:
    """The part of `target`'s path that is a file where a folder should be, if any."""
    for parent in reversed(target.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _written(target: Path, write: Writer, encoding: str, error: type[CatalogError]) -> Path:
    folder = target.parent if str(target.parent) else Path()
    try:
        # Closed by the `with handle:` below; created first so its errors read clearly.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w", encoding=encoding, newline="", dir=folder, prefix=f".{target.name}.",
            suffix=".part", delete=False,
        )  # fmt: skip
    except OSError as exc:
        raise error(f"cannot write to {folder}: {exc.strerror or exc}") from None
    temporary = Path(handle.name)
    try:
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile creates 0600 files; an export should get the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise error(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary
