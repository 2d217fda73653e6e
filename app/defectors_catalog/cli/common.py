"""What every command shares: the usage-error exit status and its one-line message."""

from __future__ import annotations

import sys

EXIT_USAGE = 2


def fail(prog: str, message: str) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return EXIT_USAGE
