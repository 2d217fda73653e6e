"""`python -m defectors_catalog` does what the `defectors-catalog` command does."""

import sys

from defectors_catalog.cli import main, ran_write_and_end


def _end(code: int) -> None:
    """End the process with `code`. After `export`, `report` or `cite` everything is
    written and only freeing the catalog is left: at a million records that is seconds
    of reference counting and garbage collection for memory the system takes back at
    once anyway, so the process ends there (`os._exit`), once the log and the standard
    streams are flushed. The window, and tests that call `main()`, end as usual."""
    if ran_write_and_end():
        import logging
        import os

        logging.shutdown()  # the log file's last lines
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    _end(main())
