"""`python -m tests`: the project's whole check, as CI and the README run it.

ruff (lint and format), mypy, the import-linter contracts in pyproject.toml, then
pytest; stops at the first failure and exits with its status, so no tool can drift out
of the gate.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def installed_script(name: str) -> str:
    """A console script of this interpreter's environment (import-linter has no
    `python -m` entry point); `Scripts/NAME.exe` on Windows, `bin/NAME` elsewhere."""
    return shutil.which(name, path=str(Path(sys.executable).parent)) or name


STEPS = (
    ("ruff lint", [sys.executable, "-m", "ruff", "check", "."]),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "."]),
    ("mypy", [sys.executable, "-m", "mypy"]),
    # --no-cache: the import graph takes well under a second to build, and the cache
    # would be one more folder in the checkout.
    ("import-linter", [installed_script("lint-imports"), "--no-cache"]),
    ("pytest", [sys.executable, "-m", "pytest", *sys.argv[1:]]),
)


def main() -> int:
    for name, command in STEPS:
        shown = command[2:] if command[1:2] == ["-m"] else [Path(command[0]).name, *command[1:]]
        print(f"== {name}: {' '.join(shown)}", flush=True)
        status = subprocess.call(command)
        if status != 0:
            print(f"== {name} failed (exit {status})", flush=True)
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
