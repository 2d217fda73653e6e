"""A built catalog saved in a cache folder, so the next start opens it without
parsing and merging again (minutes for a source of a million rows).

One file per set of inputs, `catalog-XXXXXXXX.cache` (a CRC-32 of the key), laid out as

    MAGIC (names the format) | header length (8 bytes) | header | payload | trailer

- the *key* names everything that shapes the catalog besides file contents: the app,
  Python, numpy and anyascii versions, the manifest, resources folder and the added
  and extra sources as given (absolute paths too), `skip_unreadable` and the decisions;
- the header holds the key and every file the build read, with its size, mtime and
  a CRC-32 of its content from before the build: the manifest,
  the resource files and every source; the key holds a stamp of the app's own code
  (`code_stamp.py`), so editing a parser in a checkout does not open a stale catalog;
- the header is JSON, the payload the catalog's parts as `codec.py` turns them into
  plain data: the length of a JSON document, the document, then the numeric arrays it
  refers to (dtype and shape listed in it), each at an 8-byte boundary; the trailer
  holds the payload's length and CRC-32.

An entry is used only when its magic, key, every file's state and the payload's
length and checksum all match; anything else (another version, a truncated or damaged file, an
edited source, a document of another shape) is passed over and the catalog rebuilt. Writing
goes through a temporary file renamed into place and never fails the load: a full disk or a
read-only folder only means no entry (the reason is returned for a note).

Nothing in an entry can run code: it is read with `json` and `numpy.frombuffer` for a
fixed set of numeric dtypes (never pickle, which runs whatever a file tells it to: a
file planted in the cache folder must not be a way to run code at the next start).
The checks are against damage and staleness; a crafted entry can at worst show a wrong
catalog until a source changes, as an edited source file could.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from defectors_catalog.domain.errors import CatalogError

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

# Bump when the layout or the payload's shape changes: older entries are then ignored.
FORMAT = 6
MAGIC = b"defectors-catalog cache %d\n" % FORMAT
PREFIX, SUFFIX = "catalog-", ".cache"
# Entries kept in a folder (the window's own, a few command-line runs with extra files).
KEEP = 4
# Data files are read in blocks of this size for their CRC-32.
_BLOCK = 1 << 20
_LENGTH = 8  # bytes of the header's and the payload's length
_TRAILER = _LENGTH + 4  # after the payload: its length and CRC-32
_ALIGN = 8  # arrays start at a multiple of this, so every dtype reads aligned
# The only array dtypes a saved catalog holds: numbers (an object array would need
# pickle), little-endian as written.
DTYPES = frozenset({"|b1", "|i1", "|u1", "<i2", "<i4", "<i8", "<u8"})
_STALE_PART_SECONDS = 3600  # a temporary file older than this was left by a crash

Buffer = bytes | bytearray | memoryview
FileState = tuple[int, int, int] | None  # (size, mtime_ns, crc32 or -1); None: missing


def file_state(path: Path, content: bool = True) -> FileState:
    """What `path` is now: size, mtime and (unless not `content`) a CRC-32 of its bytes.

    Only a regular file is read (a FIFO would wait forever, /dev/zero never end);
    anything else counts as missing, as the source readers refuse it too.
    """
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return None
        crc = _crc32(path) if content else -1
    except (OSError, CatalogError):
        return None
    return status.st_size, status.st_mtime_ns, crc


def unchanged(path: Path, content: bool, state: FileState) -> bool:
    """Whether `path` is still as `state` says: size and mtime first, then (when those
    match) its content. A big source edited in place without changing its size or
    mtime (a tool that restores the mtime, a file system of coarse times) is caught by
    its CRC-32, at the cost of reading it at each start (about 10 ms for 16 MB)."""
    try:
        status = path.stat()
    except OSError:
        return state is None
    if state is None or not stat.S_ISREG(status.st_mode):
        return state is None and not stat.S_ISREG(status.st_mode)
    if (status.st_size, status.st_mtime_ns) != state[:2]:
        return False
    return not content or file_state(path, content) == state


def _crc32(path: Path) -> int:
    from defectors_catalog.domain.sources.reading import open_regular_file

    crc = 0
    with open_regular_file(path) as handle:
        # A block at a time: a small file is one read of its size, a big one never
        # held whole.
        while block := handle.read(_BLOCK):
            crc = zlib.crc32(block, crc)
    return crc


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
) -> tuple[Any, list[Array], str] | None:
    """The document and arrays saved for `key`, if its entry is there and every file it
    was built from is unchanged; with a note for people. None when there is no usable
    entry.

    `opening` is called when an entry is found, before it is read (a progress stage:
    reading a big catalog takes a moment).
    """
    path = folder / Entry(key, ()).file_name()
    if not path.is_file():
        return None
    opening()
    try:
        with path.open("rb") as handle:
            saved = _payload(handle, key)
    except Exception:  # any damage at all (truncated, garbage, too deep): build afresh
        return None
    if saved is None:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # the entries used last are the ones kept
    return saved[0], saved[1], f"Opened the saved catalog ({path})"


def _payload(handle: BufferedReader, key: str) -> tuple[Any, list[Array]] | None:
    if handle.read(len(MAGIC)) != MAGIC:
        return None
    header_length = int.from_bytes(handle.read(_LENGTH), "little")
    header = handle.read(header_length)
    if len(header) != header_length:
        return None
    # The header is checked before the payload is even read: a stale entry of a big
    # catalog costs a few stat calls, not reading hundreds of megabytes.
    saved = json.loads(header)
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    files = saved.get("files")
    if not isinstance(files, list):
        return None
    for path, content, state in files:
        if not isinstance(path, str) or not unchanged(Path(path), content is True, _state(state)):
            return None
    rest = os.fstat(handle.fileno()).st_size - handle.tell() - _TRAILER
    if rest < _LENGTH:
        return None
    head = handle.read(_LENGTH)
    doc_length = int.from_bytes(head, "little")
    if doc_length > rest - _LENGTH:
        return None
    # The arrays come first (written as they are made) and get a buffer of their own
    # (writeable, as numpy's own arrays are), so the document's bytes are not kept
    # alive by them.
    data = bytearray(rest - _LENGTH - doc_length)
    if handle.readinto(data) != len(data):
        return None
    text = handle.read(doc_length)
    trailer = handle.read(_TRAILER)
    length, crc = int.from_bytes(trailer[:_LENGTH], "little"), trailer[_LENGTH:]
    check = zlib.crc32(head, zlib.crc32(text, zlib.crc32(data)))
    if length != rest or check.to_bytes(4, "little") != crc:
        return None  # truncated or damaged
    listing = json.loads(text)
    if not isinstance(listing, dict) or not isinstance(listing.get("arrays"), list):
        return None
    return listing.get("doc"), _arrays(listing["arrays"], data)


def _state(saved: object) -> FileState:
    """A file state as the header gives it (JSON has lists, not tuples)."""
    if saved is None:
        return None
    if not (isinstance(saved, list) and len(saved) == 3 and all(type(v) is int for v in saved)):
        raise ValueError("not a file state")
    return saved[0], saved[1], saved[2]


def _arrays(listing: list[Any], data: bytearray) -> list[Array]:
    """The arrays `listing` describes ([dtype, shape] each), laid out one after another
    in `data` at 8-byte boundaries. Only plain numeric dtypes are accepted."""
    import numpy as np

    arrays: list[Array] = []
    offset = 0
    for dtype, shape in listing:
        if dtype not in DTYPES or not isinstance(shape, list) or not 1 <= len(shape) <= 2:
            raise ValueError("not a numeric array")
        if not all(type(n) is int and n >= 0 for n in shape):
            raise ValueError("not an array shape")
        kind = np.dtype(dtype)
        count = 1
        for n in shape:
            count *= n
        size = count * kind.itemsize
        if offset + size > len(data):
            raise ValueError("array past the end")
        arrays.append(np.frombuffer(data, dtype=kind, count=count, offset=offset).reshape(shape))
        offset += _aligned(size)
    return arrays


def _aligned(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN


class _Counted:
    """A binary file that keeps the length and CRC-32 of what is written to it.

    The checksum and the writing itself are done by a thread of its own while the
    caller makes the next part: both release the GIL (zlib.crc32 and the write system
    call), and for a big catalog they were a quarter of the save (600 MB checksummed,
    then copied into the page cache) spent waiting. Small pieces (the document's JSON
    keys, padding) are gathered into larger writes first. At most `_IN_FLIGHT` bytes
    are queued, so a save never holds much more than one part's bytes twice.
    """

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.length = 0
        self._crc = 0
        self._small = bytearray()
        self._queue: deque[memoryview | None] = deque()
        self._queued = 0  # bytes waiting in `_queue`
        self._changed = threading.Condition()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="catalog-save", daemon=True)
        self._thread.start()

    def write(self, data: Buffer) -> int:
        view = memoryview(data).cast("B")
        self.length += view.nbytes
        if view.nbytes < _GATHER:
            self._small += view
            if len(self._small) >= _GATHER:
                self._hand_over(memoryview(self._small))
                self._small = bytearray()
        else:
            if self._small:
                self._hand_over(memoryview(self._small))
                self._small = bytearray()
            self._hand_over(view)
        return view.nbytes

    def _hand_over(self, view: memoryview | None) -> None:
        size = 0 if view is None else view.nbytes
        with self._changed:
            # One piece bigger than the limit still goes, alone.
            while self._error is None and self._queued and self._queued + size > _IN_FLIGHT:
                self._changed.wait()
            if self._error is not None:
                raise self._error
            self._queue.append(view)
            self._queued += size
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._queue:
                    self._changed.wait()
                view = self._queue.popleft()
            if view is None:
                return
            try:
                if self._error is None:
                    self._store(view)
            except BaseException as exc:  # handed to the caller at its next write
                self._error = exc
            with self._changed:
                self._queued -= view.nbytes
                self._changed.notify_all()

    def _store(self, view: memoryview) -> None:
        self._crc = zlib.crc32(view, self._crc)
        self.handle.write(view)

    def finish(self) -> int:
        """Wait for every byte to be written; their CRC-32. Raises what writing raised."""
        if self._small:
            self._hand_over(memoryview(self._small))
            self._small = bytearray()
        self.stop()
        if self._error is not None:
            raise self._error
        return self._crc

    def stop(self) -> None:
        """End the writing thread (once all queued is written or writing failed)."""
        if self._thread.is_alive():
            with self._changed:
                self._queue.append(None)
                self._changed.notify_all()
            self._thread.join()


# Pieces smaller than this are gathered into one write; at most this many bytes wait.
_GATHER = 1 << 16
_IN_FLIGHT = 32 << 20


# Writes one array (or texts) into the file at once and returns its number.
Sink = Callable[["Array | Texts"], int]


def write(folder: Path, entry: Entry, doc: Any, arrays: Sequence[Array | Texts]) -> str:
    """Save `doc` (JSON data) and the numeric `arrays` it refers to by position, for
    `entry`; returns "" or, when it could not be saved, why.

    Never raises for a failed save: a cache is a convenience, the catalog is built.
    """

    def given(sink: Sink) -> Any:
        for array in arrays:
            sink(array)
        return doc

    return write_made(folder, entry, given)


def write_made(folder: Path, entry: Entry, make: Callable[[Sink], Any]) -> str:
    """Save the document `make` returns, for `entry`, as `write` does; `make` is given a
    sink that writes each array into the file as it is made (numbered in that order), so
    a big catalog's arrays are never all held at once. "" or why it was not saved (an
    exception from `make` too)."""
    import tempfile  # only when writing: opening a saved catalog never needs it

    temporary: Path | None = None
    try:
        header = _json({"key": entry.key, "files": entry.files})
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f".{PREFIX}", suffix=".part", delete=False
        ) as handle:
            temporary = Path(handle.name)
            # The file itself: the wrapper's attribute lookup per write was 2 % of a save.
            out = handle.file
            out.write(MAGIC)
            out.write(len(header).to_bytes(_LENGTH, "little"))
            out.write(header)
            # The document's length is known once it is written: a place kept for it,
            # filled in at the end (the checksum takes it last for that reason).
            at_length = out.tell()
            out.write(bytes(_LENGTH))
            body = _Counted(out)
            listing: list[list[Any]] = []

            def sink(array: Array | Texts) -> int:
                if not isinstance(array, Texts) and array.dtype.str not in DTYPES:
                    raise ValueError(f"cannot save arrays of {array.dtype.str}")
                listing.append(_write_array(body, array))
                return len(listing) - 1

            try:
                doc = make(sink)
                arrays_length = body.length
                _write_json({"arrays": listing, "doc": doc}, body.write)
                crc = body.finish()
            finally:
                body.stop()
            doc_length = body.length - arrays_length
            head = doc_length.to_bytes(_LENGTH, "little")
            out.write((body.length + _LENGTH).to_bytes(_LENGTH, "little"))
            out.write(zlib.crc32(head, crc).to_bytes(4, "little"))
            out.seek(at_length)
            out.write(head)
        # No fsync: a file torn by a crash fails its checksum and is rebuilt; waiting
        # for the disk would only slow every rebuild down.
        target = folder / entry.file_name()
        temporary.replace(target)
        temporary = None
        _prune(folder, keep=target)
    except Exception as exc:  # disk full, read-only, anything that is not plain data
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"The catalog could not be saved in {folder} for the next start: {reason}"
    return ""


@dataclass(frozen=True)
class Texts:
    """Texts saved as one UTF-8 array (dtype |u1), each after a NUL, encoded as they are
    written: a big catalog's raw lines, notes and messages are never all held encoded
    at once.

    When no text holds a NUL itself, `column` (the document's entry, written after the
    arrays) is told so as they are written ("split"): the texts are read back by one
    split at the NULs, twice as fast as cutting them at their lengths. Otherwise each
    text's length in characters is put in `lengths`, which must then be written after
    the texts (a pass of its own over a million scattered strings takes a second)."""

    values: Sequence[str]
    lengths: Array
    column: dict[str, Any]


TEXT_END = "\x00"
_END_BYTES = TEXT_END.encode("ascii")
# Texts encoded at a time: few enough that the texts just read, their UTF-8 and (in the
# writing thread) its checksum are still in the CPU's cache; 64k at a time was 40 %
# slower for the million scattered messages of a big list's records.
_TEXT_SLICE = 1 << 12


def _write_array(body: _Counted, array: Array | Texts) -> list[Any]:
    """Write one array (or texts as UTF-8) at an 8-byte boundary; its [dtype, shape]."""
    if isinstance(array, Texts):
        import numpy as np

        values, size, split = array.values, 0, True
        for at in range(0, len(values), _TEXT_SLICE):
            texts = values[at : at + _TEXT_SLICE]
            # surrogatepass: a lone surrogate (a file's undecodable byte) stays as it was.
            piece = TEXT_END.join(texts).encode("utf-8", "surrogatepass")
            # Counted in the UTF-8 (a NUL is byte 0 there and nothing else is): faster
            # than in the joined text, often of two or four bytes a character.
            split = split and piece.count(_END_BYTES) == len(texts) - 1
            body.write(piece)
            body.write(_END_BYTES)
            size += len(piece) + len(_END_BYTES)
        if split:
            array.column["split"] = True
        else:  # a text holds a NUL: read back by the lengths (a pass over them all)
            array.lengths[:] = np.fromiter(map(len, values), np.int64, count=len(values))
        body.write(bytes(_aligned(size) - size))
        return ["|u1", [size]]
    # Straight from its memory: a catalog of a million records is never held a second
    # time as one big bytes object.
    body.write(array.reshape(-1).data if array.size else b"")
    body.write(bytes(_aligned(array.nbytes) - array.nbytes))
    return [array.dtype.str, list(array.shape)]


def _json(value: Any) -> bytes:
    # allow_nan=False: NaN is not JSON, and a value that cannot be written must fail
    # the save, not the next start.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


_JSON_SLICE = 1 << 16  # values of a long list encoded at a time


def _write_json(value: Any, write: Callable[[bytes], object]) -> None:
    """Write `_json(value)` a part at a time: objects key by key, a long list a slice of
    values at a time, each slice through the C encoder and out as UTF-8 at once.

    A big catalog's document is hundreds of MB of JSON: as one string (2 to 4 bytes a
    character as soon as one name is in Cyrillic) plus its UTF-8 copy it was the peak
    memory of a 1M-row build, and even as the encoder's list of pieces it was held
    whole. Written so, no more than a slice of one column is held at a time.
    """
    if isinstance(value, dict):
        write(b"{")
        for i, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise ValueError("a document's keys are text")
            write(b"," if i else b"")
            write(_json(key) + b":")
            _write_json(item, write)
        write(b"}")
    elif isinstance(value, list) and len(value) > _JSON_SLICE:
        write(b"[")
        for start in range(0, len(value), _JSON_SLICE):
            part = _json(value[start : start + _JSON_SLICE])
            write(part[1:-1] if start == 0 else b"," + part[1:-1])
        write(b"]")
    else:
        write(_json(value))


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
