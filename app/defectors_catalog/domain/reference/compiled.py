"""The resource files (`resources/*.toml`) read through compiled JSON twins.

Parsing places.toml and professions.toml with the pure-Python `tomllib`, then folding
every spelling into its key, took 20-40 ms of every catalog load: more than parsing
the three seed files. So `python -m defectors_catalog.domain.reference.compiled` writes, beside each
`NAME.toml`, a `NAME.compiled.json` holding what its loader derives from it (keys
included), with the TOML's length and CRC-32.

A loader uses a twin only while that length and CRC-32 match the TOML as it is now: an
edited TOML takes effect at once (read the slow way) even before the twin is rebuilt,
and `tests/domain/test_compiled_resources.py` fails while a committed twin is stale.
The check is against mistakes, not tampering (whoever can edit the twin can edit the
TOML), so CRC-32 is enough; `zlib` is loaded already (anyascii uses it) where
`hashlib` would add its own import to every start.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")

FORMAT = 1
SUFFIX = ".compiled.json"
# The resource files that have a twin: loaders in gazetteer, professions, destinations.
COMPILED_FILES = ("places.toml", "professions.toml", "destinations.toml", "name_variants.toml")


def twin_path(toml: Path) -> Path:
    """`places.toml` -> `places.compiled.json` in the same folder."""
    return toml.with_name(toml.stem + SUFFIX)


def _fingerprint(data: bytes) -> dict[str, int]:
    return {"bytes": len(data), "crc32": zlib.crc32(data)}


def read_compiled(toml: Path) -> Any | None:
    """What the twin of `toml` holds, or None when there is no usable twin: missing,
    unreadable, not JSON, another format, or made from other TOML content."""
    try:
        source = toml.read_bytes()
        twin = json.loads(twin_path(toml).read_bytes())
    except (OSError, ValueError):
        return None
    if (
        not isinstance(twin, dict)
        or twin.get("format") != FORMAT
        or twin.get("source") != _fingerprint(source)
    ):
        return None
    return twin.get("data")


def through_twin(toml: Path, from_data: Callable[[Any], _T], from_toml: Callable[[Path], _T]) -> _T:
    """`from_data` of the current twin of `toml`; `from_toml(toml)` when there is none or
    it is damaged (the TOML decides)."""
    data = read_compiled(toml)
    if data is not None:
        try:
            return from_data(data)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            pass
    return from_toml(toml)


def compiled_text(toml: Path, data: Any) -> str:
    """The twin's text for `data` derived from `toml` as it is now."""
    twin = {"format": FORMAT, "source": _fingerprint(toml.read_bytes()), "data": data}
    return json.dumps(twin, ensure_ascii=False, separators=(",", ":")) + "\n"


def compilers() -> dict[str, Callable[[Path], Any]]:
    """Each resource file's compiler: its loader's derived values, as JSON data."""
    # Imported here: those modules import this one to read their twins.
    from defectors_catalog.domain.reference.destinations import compile_rules
    from defectors_catalog.domain.reference.gazetteer import compile_gazetteer
    from defectors_catalog.domain.reference.name_variants import compile_name_variants
    from defectors_catalog.domain.reference.professions import compile_professions

    return {
        "places.toml": compile_gazetteer,
        "professions.toml": compile_professions,
        "destinations.toml": compile_rules,
        "name_variants.toml": compile_name_variants,
    }


def compile_folder(folder: Path) -> dict[Path, str]:
    """Every twin's path and text for the TOML files in `folder` (nothing written)."""
    return {
        twin_path(folder / name): compiled_text(folder / name, compile_(folder / name))
        for name, compile_ in compilers().items()
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite the twins: `python -m defectors_catalog.domain.reference.compiled [FOLDER]`."""
    from defectors_catalog import paths

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else paths.resources_dir()
    for path, text in compile_folder(folder).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
