"""Where the app's log goes, and the hooks that log every uncaught exception.

The windowed Windows build has no stderr, so a file in the platform's log folder is the
only trace a person can send when something goes wrong. It rotates (about 1 MB, three
old files kept) so it never grows without bound. `DEFECTORS_CATALOG_LOG_DIR` points it
elsewhere (the tests use throw-away folders) or, set to "off", writes no file at all.

No Qt here: the headless commands log the same way. The window adds a listener that
shows a message box naming the file (`gui/error_report.py`).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs

LOG_ENV = "DEFECTORS_CATALOG_LOG_DIR"
FILE_NAME = "defectors-catalog.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

PACKAGE = "defectors_catalog"
logger = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
# Told about each uncaught exception after it is logged, on the thread it was raised on.
Listener = Callable[[ExcInfo, str], None]

_listeners: list[Listener] = []
_handlers: list[logging.Handler] = []  # the ones `configure` installed, replaced on a rerun
_current: list[Path] = []  # the file `configure` opened, if it opened one


def log_dir() -> Path | None:
    """The folder the log file goes in; None when logging to a file is switched off."""
    chosen = os.environ.get(LOG_ENV, "").strip()
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    return Path(platformdirs.user_log_dir("defectors-catalog", appauthor=False))


def log_file() -> Path | None:
    folder = log_dir()
    return None if folder is None else folder / FILE_NAME


def current_log_file() -> Path | None:
    """The file the log is being written to (None before `configure`, or when off)."""
    return _current[0] if _current else None


def configure(*, verbose: bool = False) -> Path | None:
    """Send the package's log records to the rotating file, and with `verbose` to stderr
    too (DEBUG and up; the file keeps INFO and up). Returns the file, if there is one.

    Calling it again replaces what an earlier call installed (the tests run the command
    line in-process many times)."""
    package = logging.getLogger(PACKAGE)
    for handler in _handlers:
        package.removeHandler(handler)
        handler.close()
    _handlers.clear()
    _current.clear()
    formatter = logging.Formatter(FORMAT)
    path = log_file()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            to_file: logging.Handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
        except OSError as exc:  # a read-only home must not stop the app
            print(f"defectors-catalog: not logging to {path}: {exc}", file=sys.stderr)
            path = None
        else:
            to_file.setLevel(logging.INFO)
            to_file.setFormatter(formatter)
            _handlers.append(to_file)
            _current.append(path)
    if verbose:
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.setLevel(logging.DEBUG)
        to_stderr.setFormatter(formatter)
        _handlers.append(to_stderr)
    for handler in _handlers:
        package.addHandler(handler)
    package.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.info("log file %s", path or "switched off")
    return path


def add_listener(listener: Listener) -> Callable[[], None]:
    """Call `listener` after each uncaught exception is logged; returns its removal."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def log_uncaught(exc_info: ExcInfo, where: str) -> None:
    """Log an exception nobody caught, with its traceback, then tell the listeners."""
    logger.error("uncaught exception in %s", where, exc_info=exc_info)
    for listener in list(_listeners):
        try:
            listener(exc_info, where)
        except Exception:  # a listener failing must not hide the first error
            logger.exception("the uncaught-exception listener %r failed", listener)


def install_excepthooks() -> None:
    """Log uncaught exceptions of the main thread, of other threads, and of Qt slots
    (PySide6 hands those to `sys.excepthook`), then do what Python did before.

    Installing twice changes nothing: each exception is logged once."""
    if getattr(sys.excepthook, "_logs_uncaught", False):
        return
    previous = sys.excepthook
    previous_thread = threading.excepthook

    def main_hook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if not issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a terminal is no bug
            log_uncaught((kind, value, tb), "the main thread")
        previous(kind, value, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            name = args.thread.name if args.thread is not None else "a thread"
            log_uncaught((args.exc_type, args.exc_value, args.exc_traceback), name)
        previous_thread(args)

    main_hook._logs_uncaught = True  # type: ignore[attr-defined]
    sys.excepthook = main_hook
    threading.excepthook = thread_hook
