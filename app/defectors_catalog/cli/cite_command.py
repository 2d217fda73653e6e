"""`defectors-catalog cite ID...`: each source that lists the records, as plain text,
BibTeX or CSL-JSON, on standard output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from defectors_catalog.cli.common import fail
from defectors_catalog.cli.loading import load
from defectors_catalog.domain.errors import CatalogError
from defectors_catalog.domain.output.citations import cite
from defectors_catalog.domain.sources.options import DEFAULT_OPTIONS, ReadOptions


def run_cite(
    args: argparse.Namespace,
    extra: Sequence[tuple[Path, bool]],
    prog: str,
    reading: ReadOptions = DEFAULT_OPTIONS,
) -> int:
    from defectors_catalog.cli.progress import CommandProgress

    shown = CommandProgress()
    try:
        catalog = load(extra, reading, shown.progress)
        text = cite(catalog, args.ids, args.format)
    except CatalogError as exc:
        return fail(prog, str(exc))
    finally:
        shown.close()
    sys.stdout.write(text)
    sys.stdout.flush()
    return 0
