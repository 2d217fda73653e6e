"""Trim the ICU data library that the PySide6 wheel's Qt links (`libicudata.so.NN`).

Qt links ICU (libQt6Core needs libicui18n, libicuuc and libicudata), and the data
library is ~31 MiB: every locale's names of languages, currencies, units and time zones,
the CJK/Thai/Khmer/Lao/Burmese word-break dictionaries, 200 legacy code pages,
transliterators and spelled-out number rules. Qt calls only four groups of ICU
functions (`nm -D --undefined-only libQt6Core.so.6 | grep _73`; QtGui, QtWidgets and
the plugins call none):

- `ucol_*`: QCollator (the file dialog sorts file names with it) -> `coll/`, kept whole,
  so every language's sort order (Hungarian cs/dz/gy, Vietnamese tone marks, Swedish
  å ä ö after z...) is exactly as before;
- `u_strToUpper`/`u_strToLower`: QLocale's case mapping -> the case tables are compiled
  into libicuuc, no data item needed;
- `ucal_*`: QTimeZone's canonical ids and display names -> the time-zone tables
  (`zoneinfo64`, `metaZones`, `timezoneTypes`, `windowsZones`), the root and English
  locale bundles and the root and English zone names are kept (other languages get
  English names, as for any locale ICU lacks);
- `ucnv_*`: QStringConverter's legacy encodings -> the alias table stays, the
  table-driven code pages go: UTF-8/16/32, Latin-1 and ASCII are Qt's own, and the app
  decodes every file in Python. The algorithmic converters (ISO-2022, HZ, SCSU,
  BOCU-1...) are code in libicuuc and keep working.

Everything else (word/line break rules and dictionaries: Qt uses its own Unicode
tables and HarfBuzz for text layout; language, region, currency and unit names;
transliteration; number spell-out; character names) is never reached from Qt.

The data is an ICU "common data" package (CmnD) exported as the symbol `icudtNN_dat`;
this module reads its table of contents, writes a package of the kept items, and links
it into a new `libicudata.so.NN` with the same symbol and soname, using the C compiler
(only the assembler and linker: one `.incbin`). Without a C compiler the build keeps
the original library.

    python packaging/trim_icu.py SRC.so DEST.so   # prints what is kept and dropped
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
_DATA_SYMBOL = re.compile(rb"^icudt(\d+)_dat$")
_LOCALE_BUNDLE = re.compile(r"^[a-z]{2,3}(?:_\w+)?\.res$")
# Folders (ICU "trees") inside the package, and whether any of it is kept.
_DROPPED_TREES = frozenset({"brkitr", "curr", "lang", "region", "rbnf", "translit", "unit"})
_KEPT_LOCALES = frozenset({"root.res", "en.res", "pool.res", "res_index.res"})
_DROPPED_FILES = frozenset({"unames.icu"})  # u_charName's character names


@dataclass(frozen=True)
class Item:
    name: str  # e.g. "icudt73l/coll/root.res"
    data: bytes

    @property
    def relative(self) -> str:
        return self.name.split("/", 1)[1] if "/" in self.name else self.name

    @property
    def tree(self) -> str:
        parts = self.relative.split("/")
        return parts[0] if len(parts) > 1 else ""


@dataclass(frozen=True)
class Package:
    symbol: str  # icudt73_dat
    header: bytes  # the package's own data header (magic, "CmnD", versions, copyright)
    items: tuple[Item, ...]


def keep(item: Item) -> bool:
    """Whether the trimmed package keeps this item (see the module docstring)."""
    leaf = item.relative.rsplit("/", 1)[-1]
    if item.tree in _DROPPED_TREES:
        return False
    if item.tree == "coll":
        return True
    if item.tree == "zone":
        return leaf in _KEPT_LOCALES
    if item.tree:
        return True  # a tree this ICU version added: keep it rather than guess
    if leaf in _DROPPED_FILES or leaf.endswith(".cnv"):
        return False
    if _LOCALE_BUNDLE.match(leaf):
        return leaf in _KEPT_LOCALES
    return True  # supplemental data, time zones, normalisation, converter aliases...


# --- reading ------------------------------------------------------------------------


def _sections(elf: bytes) -> list[tuple[str, int, int, int, int, int]]:
    """(name, type, address, offset, size, link) of every section of a 64-bit LE ELF."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF file")
    shoff = struct.unpack_from("<Q", elf, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    raw = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    names_at = raw[shstrndx][4]

    def name(offset: int) -> str:
        start = names_at + offset
        return elf[start : elf.index(b"\0", start)].decode("ascii")

    return [(name(s[0]), s[1], s[3], s[4], s[5], s[6]) for s in raw]


def _data_symbol(elf: bytes) -> tuple[str, int, int]:
    """The name, file offset and size of the exported `icudtNN_dat` symbol."""
    sections = _sections(elf)
    dynsym = next(s for s in sections if s[0] == ".dynsym")
    strtab = sections[dynsym[5]][3]
    for start in range(dynsym[3], dynsym[3] + dynsym[4], 24):
        st_name, _, _, _, st_value, st_size = struct.unpack_from("<IBBHQQ", elf, start)
        name = elf[strtab + st_name : elf.index(b"\0", strtab + st_name)]
        if _DATA_SYMBOL.match(name):
            holder = next(s for s in sections if s[2] <= st_value < s[2] + s[4] and s[2])
            return name.decode("ascii"), st_value - holder[2] + holder[3], st_size
    raise ValueError("no icudtNN_dat symbol: not an ICU data library")


def read_package(library: Path) -> Package:
    """The ICU data package inside a `libicudata.so.NN`."""
    elf = library.read_bytes()
    symbol, start, size = _data_symbol(elf)
    return read_package_bytes(elf[start : start + size], symbol)


def read_package_bytes(blob: bytes, symbol: str) -> Package:
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError(f"{symbol} is not an ICU common data package")
    if blob[8] != 0:  # UDataInfo.isBigEndian
        raise ValueError(f"{symbol}: big-endian ICU data is not handled")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [offset for _, offset in entries[1:]] + [len(toc)]
    items = tuple(
        Item(toc[name_at : toc.index(b"\0", name_at)].decode("ascii"), toc[data_at:end])
        for (name_at, data_at), end in zip(entries, ends, strict=True)
    )
    return Package(symbol, blob[:header_size], items)


# --- writing ------------------------------------------------------------------------


def _pad(size: int, to: int = 16) -> int:
    return -size % to


def package_bytes(package: Package) -> bytes:
    """The CmnD package: header, table of contents (sorted names, as ICU's binary
    search expects), names, then the items, each 16-byte aligned."""
    items = sorted(package.items, key=lambda item: item.name.encode("ascii"))
    names = b"".join(item.name.encode("ascii") + b"\0" for item in items)
    table = 4 + 8 * len(items)
    data_at = table + len(names)
    data_at += _pad(len(package.header) + data_at)
    entries, blobs, name_at = [], [], table
    for item in items:
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(item.name) + 1
        padding = _pad(len(item.data))
        blobs.append(item.data + b"\0" * padding)
        data_at += len(item.data) + padding
    head = struct.pack("<I", len(items)) + b"".join(entries) + names
    head += b"\0" * _pad(len(package.header) + len(head))
    return package.header + head + b"".join(blobs)


def link_library(data: bytes, symbol: str, soname: str, dest: Path) -> None:
    """A shared library exporting `symbol` (read-only, 16-byte aligned) holding `data`."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        raise FileNotFoundError("no C compiler (cc or gcc) to link the trimmed ICU data")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "icudata.bin").write_bytes(data)
        (folder / "icudata.S").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n"
            f'{symbol}:\n\t.incbin "icudata.bin"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        subprocess.run(
            [
                compiler, "-shared", "-nostdlib", "-Wl,--build-id", "-Wl,-z,noexecstack",
                f"-Wl,-soname,{soname}", "-o", str(dest), "icudata.S",
            ],
            cwd=folder, check=True,
        )  # fmt: skip


def trimmed(package: Package) -> Package:
    return Package(package.symbol, package.header, tuple(i for i in package.items if keep(i)))


def trim(source: Path, dest: Path) -> tuple[Package, Package]:
    """Write the trimmed copy of the ICU data library `source` to `dest`."""
    original = read_package(source)
    smaller = trimmed(original)
    link_library(package_bytes(smaller), original.symbol, source.name, dest)
    return original, smaller


def summary(original: Package, smaller: Package) -> Iterable[str]:
    kept_names = {item.name for item in smaller.items}
    kept: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for item in original.items:
        group = item.tree or ("code pages" if item.name.endswith(".cnv") else "top level")
        (kept if item.name in kept_names else dropped)[group] += len(item.data)
    for title, counts in (("kept", kept), ("dropped", dropped)):
        total = sum(counts.values()) / MIB
        parts = ", ".join(f"{group} {size / MIB:.1f}" for group, size in counts.most_common())
        yield f"{title} {total:.1f} MiB: {parts}"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print(__doc__.rstrip().rsplit("\n", 1)[-1].strip(), file=sys.stderr)
        return 2
    original, smaller = trim(Path(args[0]), Path(args[1]))
    for line in summary(original, smaller):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
