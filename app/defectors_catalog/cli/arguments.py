"""The command line's grammar: the window's options and the `export` and `report` commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

from defectors_catalog import __version__
from defectors_catalog.cli.common import EXIT_USAGE
from defectors_catalog.domain.facets import COUNTED


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
    parser.add_argument(
        "--encoding", metavar="NAME", dest=f"{prefix}encoding", default="",
        help="the encoding of the added files' text (cp1252, iso-8859-2, cp1251, utf-16, "
        "...); by default it is detected, and a file whose encoding is unsure is refused",
    )  # fmt: skip
    parser.add_argument(
        "--sheet", metavar="NAME", dest=f"{prefix}sheet", default="",
        help="the sheet of an added workbook to read (by default the first with a name "
        "and a year column), or 'table N' of a web page or wikitext",
    )  # fmt: skip
    parser.add_argument(
        "--columns", metavar="MAP", dest=f"{prefix}columns", default="",
        help='how to read the added files\' columns, e.g. "Full name=name,Year of '
        'defection=year,Photo=ignore" (a header, or a column number from 1); fields: '
        "name, profession, birthplace, year, notes, ignore",
    )  # fmt: skip


def _add_format_option(export: argparse.ArgumentParser) -> None:
    from defectors_catalog.domain.output.formats import FORMATS

    export.add_argument(
        "--format", choices=[f.id for f in FORMATS], default="",
        help="the file's format (by default from OUT's extension: .csv, .xlsx, .json, .md; "
        "else CSV)",
    )  # fmt: skip


def _add_cite_command(commands: Any) -> None:
    cite = commands.add_parser(
        "cite", help="print where records come from: each source that lists them, to cite"
    )
    cite.add_argument("ids", nargs="+", metavar="ID", help="a record's id (the export's id column)")
    cite.add_argument(
        "--format", choices=("text", "bibtex", "csl-json"), default="text",
        help="plain text (default), BibTeX, or CSL-JSON (what Zotero imports)",
    )  # fmt: skip
    _add_source_options(cite)


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

    export = commands.add_parser(
        "export", help="write the (filtered) catalog to a CSV, .xlsx, JSON or Markdown file"
    )
    export.add_argument("output", type=Path, metavar="OUT.csv")
    export.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help='search as the window\'s box does: words, "phrases", field:value, '
        "year:1950..1959, -word, OR (see README, Search syntax)",
    )
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
    _add_format_option(export)
    _add_source_options(export)
    _add_view_option(export)

    _add_cite_command(commands)

    report = commands.add_parser("report", help="print what was read from each source")
    _add_source_options(report)
    _add_desk_commands(commands)
    return parser


def _add_view_option(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--view", metavar="NAME", default="",
        help="apply a saved search (its search, filters and sort; see `views`); the "
        "other options narrow it further",
    )  # fmt: skip


def _add_desk_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    """`annotate` and `views`: the person's own verdicts and saved searches."""
    annotate = commands.add_parser(
        "annotate", help="show or change your verdict on a record (status, tags, note)"
    )
    annotate.add_argument("record_id", metavar="ID", help="the record's id (the export's `id`)")
    annotate.add_argument("--status", metavar="S", help="unchecked, verified, disputed or rejected")
    annotate.add_argument(
        "--tag", action="append", default=[], metavar="T", help="add a tag (repeatable)"
    )
    annotate.add_argument(
        "--untag", action="append", default=[], metavar="T", help="remove a tag (repeatable)"
    )
    annotate.add_argument(
        "--note", metavar="TEXT", help='replace the note (plain text; "" clears it)'
    )
    _add_source_options(annotate)
    commands.add_parser("views", help="list your saved searches")
