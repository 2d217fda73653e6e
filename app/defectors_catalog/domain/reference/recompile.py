"""`python -m defectors_catalog.domain.reference.recompile [FOLDER]`: rewrite the
resource files' compiled twins (`NAME.compiled.json` beside each `NAME.toml`).

Kept apart from `compiled`, which the loaders import to read their twins: this module
imports the loaders to run their compilers, and so sits above them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from defectors_catalog import paths
from defectors_catalog.domain.reference.compiled import compiled_text, twin_path
from defectors_catalog.domain.reference.destinations import compile_rules
from defectors_catalog.domain.reference.gazetteer import compile_gazetteer
from defectors_catalog.domain.reference.name_variants import compile_name_variants
from defectors_catalog.domain.reference.professions import compile_professions

# Each resource file that has a twin, and the compiler that derives its loader's values
# as JSON data.
COMPILERS: dict[str, Callable[[Path], Any]] = {
    "places.toml": compile_gazetteer,
    "professions.toml": compile_professions,
    "destinations.toml": compile_rules,
    "name_variants.toml": compile_name_variants,
}


def compile_folder(folder: Path) -> dict[Path, str]:
    """Every twin's path and text for the TOML files in `folder` (nothing written)."""
    return {
        twin_path(folder / name): compiled_text(folder / name, compile_(folder / name))
        for name, compile_ in COMPILERS.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite the twins in FOLDER, by default the app's resources folder."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else paths.resources_dir()
    for path, text in compile_folder(folder).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
