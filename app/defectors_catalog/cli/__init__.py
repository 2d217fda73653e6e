"""The `defectors-catalog` command: the window by default; `export`, `report`, `cite`,
`annotate` and `views` headless.

One module per command (`export_command`, `report_command`, `cite_command`,
`annotate_command`, `views_command`), the grammar in
`arguments`; each command is imported only when it runs, so opening the window loads
no command's code (the grammar does load the export formats' registry, for the names
`--format` accepts, and with it the writers and numpy, which the window needs anyway).
"""

from __future__ import annotations

import time

# When the command started, before anything of the app is imported: `--smoke-test`
# reports its first paint from here, as the bare-Qt floor (`benchmarks/floor.py`)
# reports from its own start, so the grammar, the log and numpy count as they do for
# a person waiting for the window.
STARTED = time.perf_counter()

import argparse  # noqa: E402
import logging  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

from defectors_catalog import __version__, logs  # noqa: E402
from defectors_catalog.cli.arguments import build_parser  # noqa: E402

logger = logging.getLogger(__name__)

# The commands that end with everything written: `__main__` may end their process at
# once, without freeing the catalog object by object (seconds at a million records).
WRITE_AND_END = frozenset({"export", "report", "cite"})


class _Ran:
    """The command the last `main` ran (None: the window, or it never got that far)."""

    command: str | None = None


def main(argv: Sequence[str] | None = None) -> int:
    from defectors_catalog.cli.keeping import let_go
    from defectors_catalog.cli.stdout import guarded

    _Ran.command = None
    let_go()
    return guarded(lambda: _run(argv), "defectors-catalog")


def ran_write_and_end() -> bool:
    """Whether the last `main` ran `export`, `report` or `cite` (see `WRITE_AND_END`)."""
    return _Ran.command in WRITE_AND_END


def console_main() -> NoReturn:
    """The `defectors-catalog` command and `python -m defectors_catalog`: `main`, then
    the end of the process with its status.

    After `export`, `report` or `cite` everything is written and only freeing the
    catalog is left: at a million records that is seconds of reference counting for
    memory the system takes back at once anyway, so the process ends there
    (`os._exit`), once the log and the standard streams are flushed. The window, and
    tests that call `main()`, end as usual."""
    import sys

    from defectors_catalog.cli.keeping import hold_until_the_end, let_go

    hold_until_the_end()  # the catalog is not freed object by object before `os._exit`
    code = main()
    if ran_write_and_end():
        import contextlib
        import os

        logging.shutdown()  # the log file's last lines
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # told already (`guarded`)
                stream.flush()
        os._exit(code)
    let_go()
    sys.exit(code)


def _run(argv: Sequence[str] | None) -> int:
    import sys

    from defectors_catalog.cli.qt_options import split_qt_options

    parser = build_parser()
    own, qt_options = split_qt_options(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(own)
    logs.configure(verbose=args.verbose)
    logs.install_excepthooks()
    logger.info("defectors-catalog %s: %s", __version__, args.command or "window")
    _Ran.command = args.command
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

    # A command run in-process (the tests) started when it was called, not at import.
    started = STARTED if argv is None else None
    return run_gui(extra, smoke_test=args.smoke_test, qt_options=qt_options, started=started)


def _run_desk(args: argparse.Namespace, extra: list[tuple[Path, bool]], prog: str) -> int:
    """`annotate` and `views`: the person's verdicts and saved searches."""
    if args.command == "views":
        from defectors_catalog.cli.views_command import run_views

        return run_views(prog)
    from defectors_catalog.cli.annotate_command import run_annotate

    return run_annotate(args, extra, prog)
