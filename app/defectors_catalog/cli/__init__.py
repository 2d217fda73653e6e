"""The `defectors-catalog` command: the window by default, `export` and `report` headless."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from defectors_catalog import __version__, logs

EXIT_USAGE = 2
logger = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """Errors as one line on stderr and exit status 2, never a usage dump or traceback."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _add_source_options(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    # Separate destinations before and after the command: argparse lets a
    # sub-command's defaults overwrite what was given before it.
    parser.add_argument(
        "--add-source", action="append", default=[], type=Path, metavar="PATH",
        dest=f"{prefix}add_source",
        help="merge this file as a reliable source for this run (layout detected)",
    )  # fmt: skip
    parser.add_argument(
        "--add-unreliable-source", action="append", default=[], type=Path, metavar="PATH",
        dest=f"{prefix}add_unreliable_source",
        help="merge this file as an unreliable source for this run",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="defectors-catalog",
        description="Browse, cross-check and export the lists of Soviet and Eastern Bloc "
        "defectors. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="open the window offscreen or on screen, check it, print one JSON line, exit",
    )  # fmt: skip
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help="also print what the app does (log lines) on stderr",
    )  # fmt: skip
    _add_source_options(parser, prefix="global_")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    export = commands.add_parser("export", help="write the (filtered) catalog to a CSV file")
    export.add_argument("output", type=Path, metavar="OUT.csv")
    export.add_argument(
        "--search", default="", metavar="TEXT", help="case- and diacritic-insensitive text search"
    )
    export.add_argument("--country", action="append", default=[], metavar="C")
    export.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="K",
        help="profession category id or label",
    )
    export.add_argument("--source", action="append", default=[], metavar="ID")
    export.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    export.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    export.add_argument(
        "--only-unreliable", action="store_true", help="only entries that no reliable source lists"
    )
    export.add_argument(
        "--raw", action="store_true",
        help="keep cells starting with = + - @ as they are (by default they get a leading "
        "apostrophe so spreadsheets do not run them as formulas)",
    )  # fmt: skip
    export.add_argument("--excel", action="store_true", help="UTF-8 with BOM, for Excel")
    export.add_argument("--delimiter", choices=("comma", "semicolon", "tab"), default="comma")
    export.add_argument(
        "--provenance", action="store_true",
        help="also write OUT.csv.provenance.json: version, time, filter, source hashes, rows",
    )  # fmt: skip
    _add_source_options(export)

    report = commands.add_parser("report", help="print what was read from each source")
    _add_source_options(report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logs.configure(verbose=args.verbose)
    logs.install_excepthooks()
    logger.info("defectors-catalog %s: %s", __version__, args.command or "window")
    reliable = [*args.global_add_source, *getattr(args, "add_source", [])]
    unreliable = [*args.global_add_unreliable_source, *getattr(args, "add_unreliable_source", [])]
    extra = [(p, True) for p in reliable] + [(p, False) for p in unreliable]
    if args.command == "export":
        from defectors_catalog.cli.commands import run_export

        return run_export(args, extra, parser.prog)
    if args.command == "report":
        from defectors_catalog.cli.commands import run_report

        return run_report(extra, parser.prog)
    from defectors_catalog.gui.launch import run_gui

    return run_gui(extra, smoke_test=args.smoke_test)


def fail(prog: str, message: str) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr)
    return EXIT_USAGE
