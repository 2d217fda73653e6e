"""`python -m tests`: the project's whole check, as CI and the README run it.

ruff (lint and format), mypy, then pytest; stops at the first failure and exits with
its status, so no tool can drift out of the gate.
"""

from __future__ import annotations

import subprocess
import sys

STEPS = (
    ("ruff lint", [sys.executable, "-m", "ruff", "check", "."]),
    ("ruff format", [sys.executable, "-m", "ruff", "format", "--check", "."]),
    ("mypy", [sys.executable, "-m", "mypy"]),
    ("pytest", [sys.executable, "-m", "pytest", *sys.argv[1:]]),
)


def main() -> int:
    for name, command in STEPS:
        print(f"== {name}: {' '.join(command[2:])}", flush=True)
        status = subprocess.call(command)
        if status != 0:
            print(f"== {name} failed (exit {status})", flush=True)
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
