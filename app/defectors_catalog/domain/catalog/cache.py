"""A built catalog saved in a cache folder, so the next start opens it without
parsing and merging again (minutes for a source of a million rows).

One file per set of inputs, `catalog-XXXXXXXX.cache` (a CRC-32 of the key), laid out as

    MAGIC (names the format) | header length (8 bytes) | header | payload | trailer

- the *key* names everything that shapes the catalog besides file contents: the app,
  Python, numpy and anyascii versions, the manifest, resources folder and the added
  and extra sources as given (absolute paths too), `skip_unreadable` and the decisions;
- the header holds the key and every file the build read, with its size and mtime
  (and a CRC-32 of its content when it is small) from before the build: the manifest,
  the resource files and every source; the key holds a stamp of the app's own code
  (`code_stamp.py`), so editing a parser in a checkout does not open a stale catalog;
- the payload is the catalog's parts, pickled; the trailer its length and CRC-32.

An entry is used only when its magic, key, every file's state and the payload's
length and checksum all match; anything else (another version, a truncated or damaged file, an
edited source) is passed over and the catalog rebuilt. Writing goes through a temporary
file renamed into place and never fails the load: a full disk or a read-only folder
only means no entry (the reason is returned for a note).

Pickle runs whatever a file tells it to, so it is only ever read from the cache folder
the caller gives: the person's own cache folder (QStandardPaths' CacheLocation), which
only they and their programs can write, just like the Python files that run the app.
Never point `folder` at a shared or downloaded location.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

# Bump when the layout or the payload's shape changes: older entries are then ignored.
FORMAT = 1
MAGIC = b"defectors-catalog cache %d\n" % FORMAT
PREFIX, SUFFIX = "catalog-", ".cache"
# Entries kept in a folder (the window's own, a few command-line runs with extra files).
KEEP = 4
# Files up to this size are also checked by content; bigger ones by size and mtime only
# (reading a 100 MB source at every start would cost more than it protects).
CHECKSUM_LIMIT = 1 << 20
_LENGTH = 8  # bytes of the header's and the payload's length
_TRAILER = _LENGTH + 4  # after the payload: its length and CRC-32
_STALE_PART_SECONDS = 3600  # a temporary file older than this was left by a crash

Buffer = bytes | bytearray | memoryview | pickle.PickleBuffer
FileState = tuple[int, int, int] | None  # (size, mtime_ns, crc32 or -1); None: missing


def file_state(path: Path, content: bool = True) -> FileState:
    """What `path` is now: size, mtime and (for a small file, unless not `content`) a
    CRC-32 of its bytes."""
    try:
        status = path.stat()
        crc = -1
        if content and status.st_size <= CHECKSUM_LIMIT:
            crc = zlib.crc32(path.read_bytes())
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, crc


@dataclass(frozen=True)
class Entry:
    """A key and the files (with their state before the build) it was built from:
    (path, checked by content too, state)."""

    key: str
    files: tuple[tuple[str, bool, FileState], ...]

    def adding(self, data: Iterable[Path]) -> Entry:
        """This entry with more data files (their state now), those already in left out."""
        known = {path for path, _, _ in self.files}
        more = make_entry(self.key, data).files
        return Entry(self.key, (*self.files, *(f for f in more if f[0] not in known)))

    def file_name(self) -> str:
        return f"{PREFIX}{zlib.crc32(self.key.encode('utf-8')):08x}{SUFFIX}"


def make_key(parts: Sequence[object]) -> str:
    """The key: the catalog's non-file inputs as one line of text (repr of plain data)."""
    import numpy

    from defectors_catalog import __version__
    from defectors_catalog.domain.catalog.code_stamp import code_stamp

    anyascii = sys.modules.get("anyascii")
    versions = (
        __version__,
        code_stamp(),
        FORMAT,
        sys.version_info[:3],
        numpy.__version__,
        getattr(anyascii, "__version__", ""),
    )
    return repr((versions, *parts))


def make_entry(key: str, data: Iterable[Path]) -> Entry:
    """The entry for `key`, with each file's state now (take it before building).

    `data` files (manifest, resources, sources) are checked by content too when small.
    The app's own code is in the key, as its stamp.
    """
    unique = dict.fromkeys(str(Path(f).resolve()) for f in data)
    files = [(path, True, file_state(Path(path))) for path in unique]
    return Entry(key, tuple(files))


def read(
    folder: Path, key: str, opening: Callable[[], object] = lambda: None
) -> tuple[Any, str] | None:
    """The payload saved for `key`, if its entry is there and every file it was built
    from is unchanged; with a note for people. None when there is no usable entry.

    `opening` is called when an entry is found, before it is read (a progress stage:
    reading a big catalog takes a moment).
    """
    path = folder / Entry(key, ()).file_name()
    if not path.is_file():
        return None
    opening()
    try:
        with path.open("rb") as handle:
            payload = _payload(handle, key)
    except Exception:  # any damage at all (truncated, garbage, old classes): build afresh
        return None
    if payload is None:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # the entries used last are the ones kept
    return payload, f"Opened the saved catalog ({path})"


def _payload(handle: BinaryIO, key: str) -> Any | None:
    if handle.read(len(MAGIC)) != MAGIC:
        return None
    header_length = int.from_bytes(handle.read(_LENGTH), "little")
    header = handle.read(header_length)
    if len(header) != header_length:
        return None
    # The header is checked before the payload is even read: a stale entry of a big
    # catalog costs a few stat calls, not reading hundreds of megabytes.
    saved_key, files = pickle.loads(header)
    if saved_key != key:
        return None
    for path, content, state in files:
        if file_state(Path(path), content) != state:
            return None
    rest = memoryview(handle.read())
    body, trailer = rest[:-_TRAILER], rest[-_TRAILER:]
    length, crc = int.from_bytes(trailer[:_LENGTH], "little"), bytes(trailer[_LENGTH:])
    if len(rest) < _TRAILER or len(body) != length or zlib.crc32(body).to_bytes(4, "little") != crc:
        return None  # truncated or damaged
    # Unpickling makes millions of objects for a big catalog, none of them garbage;
    # left on, the cycle collector would walk the growing heap again and again (half
    # the time of opening 100,000 records).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(body)
    finally:
        if collecting:
            gc.enable()


class _Counted:
    """A binary file that keeps the length and CRC-32 of what is written to it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.length = 0
        self.crc = 0

    def write(self, data: Buffer) -> int:
        # Protocol 5 hands big buffers (numpy arrays) over as PickleBuffers, not bytes.
        view = memoryview(data)
        self.length += view.nbytes
        self.crc = zlib.crc32(view, self.crc)
        return self.handle.write(view)


def write(folder: Path, entry: Entry, payload: Any) -> str:
    """Save `payload` for `entry`; returns "" or, when it could not be saved, why.

    Never raises for a failed save: a cache is a convenience, the catalog is built.
    """
    import tempfile  # only when writing: opening a saved catalog never needs it

    temporary: Path | None = None
    try:
        header = pickle.dumps((entry.key, entry.files), protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{PREFIX}", suffix=".part", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(MAGIC)
            handle.write(len(header).to_bytes(_LENGTH, "little"))
            handle.write(header)
            # Pickled straight into the file: a catalog of a million records is never
            # held a second time as one big bytes object.
            body = _Counted(handle)
            pickle.dump(payload, body, protocol=pickle.HIGHEST_PROTOCOL)
            handle.write(body.length.to_bytes(_LENGTH, "little"))
            handle.write(body.crc.to_bytes(4, "little"))
        # No fsync: a file torn by a crash fails its checksum and is rebuilt; waiting
        # for the disk would only slow every rebuild down.
        target = folder / entry.file_name()
        temporary.replace(target)
        temporary = None
        _prune(folder, keep=target)
    except Exception as exc:  # disk full, read-only, anything unpicklable: not saved
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"The catalog could not be saved in {folder} for the next start: {reason}"
    return ""


def _prune(folder: Path, keep: Path) -> None:
    """Keep the KEEP entries used last, and drop temporary files a crash left behind."""
    entries: list[tuple[float, Path]] = []
    now = time.time()
    for path in folder.iterdir():
        try:
            if path.name.startswith(PREFIX) and path.name.endswith(SUFFIX) and path != keep:
                entries.append((path.stat().st_mtime, path))
            elif (
                path.name.startswith(f".{PREFIX}")
                and path.name.endswith(".part")
                and now - path.stat().st_mtime > _STALE_PART_SECONDS
            ):
                path.unlink()
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[KEEP - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()
