"""Writing a file so that a failure never leaves a partial file or clobbers the old one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from defectors_catalog.domain.errors import CatalogError, ExportError


def write_atomically(
    target: Path,
    write: Callable[[IO[str]], object],
    encoding: str = "utf-8",
    error: type[CatalogError] = ExportError,
) -> None:
    """Write through a temporary file in the target's folder, then rename it into place."""
    folder = target.parent if str(target.parent) else Path()
    if target.is_dir():
        raise error(f"cannot write {target}: it is a folder")
    if not folder.is_dir():
        raise error(f"cannot write {target}: folder {folder} does not exist")
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
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise error(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
