"""The `defectors-catalog` command: the window by default; `export`, `report`, `cite`,
`annotate` and `views` headless.

One module per command (`export_command`, `report_command`, `cite_command`,
`annotate_command`, `views_command`), the grammar in
`arguments`; each command is imported only when it runs, so opening the window loads
neither the CSV writer nor the parse report.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

from defectors_catalog import __version__, logs
from defectors_catalog.cli.arguments import build_parser

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    from defectors_catalog.cli.stdout import guarded

    return guarded(lambda: _run(argv), "defectors-catalog")


def _run(argv: Sequence[str] | None) -> int:
    import sys

    from defectors_catalog.cli.qt_options import split_qt_options

    parser = build_parser()
    own, qt_options = split_qt_options(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(own)
    logs.configure(verbose=args.verbose)
    logs.install_excepthooks()
    logger.info("defectors-catalog %s: %s", __version__, args.command or "window")
    reliable = [*args.global_add_source, *getattr(args, "add_source", [])]
    unreliable = [*args.global_add_unreliable_source, *getattr(args, "add_unreliable_source", [])]
    extra = [(p, True) for p in reliable] + [(p, False) for p in unreliable]
    if args.command in {"annotate", "views"}:
        return _run_desk(args, extra, parser.prog)
    if args.command in {"export", "report", "cite"}:
        from defectors_catalog.cli.common import fail
        from defectors_catalog.cli.loading import read_options
        from defectors_catalog.domain.errors import CatalogError

        try:
            options = read_options(
                getattr(args, "encoding", "") or args.global_encoding,
                getattr(args, "sheet", "") or args.global_sheet,
                getattr(args, "columns", "") or args.global_columns,
            )
        except CatalogError as exc:
            return fail(parser.prog, str(exc))
        if args.command == "export":
            from defectors_catalog.cli.export_command import run_export

            return run_export(args, extra, parser.prog, options)
        if args.command == "cite":
            from defectors_catalog.cli.cite_command import run_cite

            return run_cite(args, extra, parser.prog, options)
        from defectors_catalog.cli.report_command import run_report

        return run_report(extra, parser.prog, options)
    from defectors_catalog.gui.launch import run_gui

    return run_gui(extra, smoke_test=args.smoke_test, qt_options=qt_options)


def _run_desk(args: argparse.Namespace, extra: list[tuple[Path, bool]], prog: str) -> int:
    """`annotate` and `views`: the person's verdicts and saved searches."""
    if args.command == "views":
        from defectors_catalog.cli.views_command import run_views

        return run_views(prog)
    from defectors_catalog.cli.annotate_command import run_annotate

    return run_annotate(args, extra, prog)
