"""A stamp of the app's own code, so a saved catalog never outlives the code that built it.

From a checkout or a wheel it is a CRC-32 over every `.py` file of the package (found
recursively: a new subpackage is covered without a list to keep). The frozen bundle has
no `.py` files to read, so `packaging/defectors-catalog.spec` computes the stamp at build
time and ships it as `code-stamp.txt` beside the package.
"""

from __future__ import annotations

import zlib
from functools import cache
from pathlib import Path

STAMP_FILE = "code-stamp.txt"
PACKAGE = Path(__file__).resolve().parents[2]  # app/defectors_catalog


def compute_stamp(package: Path = PACKAGE) -> str:
    """The CRC-32 of every `.py` file's path and bytes under `package`, in path order."""
    crc = 0
    for path in sorted(package.rglob("*.py")):
        crc = zlib.crc32(path.relative_to(package).as_posix().encode("utf-8"), crc)
        crc = zlib.crc32(path.read_bytes(), crc)
    return f"{crc:08x}"


@cache
def code_stamp() -> str:
    written = PACKAGE / STAMP_FILE
    if written.is_file():
        return written.read_text(encoding="utf-8").strip()
    return compute_stamp()
