"""The `defectors-catalog` command: the window by default, `export` and `report` headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO, cast

from defectors_catalog import __version__

EXIT_USAGE = 2


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
    _add_source_options(parser, prefix="global_")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    export = commands.add_parser("export", help="write the (filtered) catalog to a CSV file")
    export.add_argument("output", type=Path, metavar="OUT.csv")
    export.add_argument(
        "--search", default="", metavar="TEXT", help="case- and diacritic-insensitive text search"
    )
    from defectors_catalog.domain.facets import COUNTED

    for facet in COUNTED:  # one repeatable option per facet, as the window's filters
        if facet.option:
            export.add_argument(
                f"--{facet.option}", action="append", default=[], metavar="VALUE",
                dest=facet.option_dest,
                help=f"{facet.title}: a value or its label (repeat to allow several)",
            )  # fmt: skip
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
    """Run the command; output that cannot be written (a closed pipe, a full disk) ends
    it with one line on stderr and a non-zero status, never a traceback."""
    stdout = sys.stdout
    sys.stdout = cast(TextIO, _Guarded(stdout))
    try:
        status = _run(argv)
        sys.stdout.flush()  # a full stdout is found out now, not at exit
    except _OutputError as exc:
        _drop_stdout(stdout)
        if isinstance(exc.__cause__, BrokenPipeError):
            reason = "the reader closed it before everything was written"
        else:
            reason = str(exc)
        print(f"defectors-catalog: error: cannot write the output: {reason}", file=sys.stderr)
        return EXIT_OUTPUT
    finally:
        sys.stdout = stdout
    return status


# Standard output failed: a reader that stopped early (`| head -1`) or a full device.
EXIT_OUTPUT = 1


class _OutputError(Exception):
    """Standard output could not be written."""


class _Guarded:
    """Standard output, with a failed write or flush raised as `_OutputError` (told apart
    from every other OSError, such as an export target that cannot be written)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _OutputError(exc.strerror or str(exc)) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _OutputError(exc.strerror or str(exc)) from exc

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _drop_stdout(stream: TextIO) -> None:
    """Point standard output at /dev/null, so the interpreter's own flush at exit does
    not fail again with a traceback."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
