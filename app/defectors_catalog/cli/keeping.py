"""What a command loaded, held until its process ends.

`export`, `report` and `cite` end their process at once when everything is written
(`cli.console_main`, `os._exit`). Dropped when the command returned, their catalog was
first freed object by object: 1.6 s at a million records, for memory the system takes
back at once anyway. So `console_main` asks for it to be held; a test calling `cli.main`
in-process does not, and keeps nothing from one run to the next.
"""

from __future__ import annotations


class _Held:
    loaded: object = None
    wanted = False


def hold_until_the_end() -> None:
    """From now on, what a command loads stays until the process ends."""
    _Held.wanted = True


def keep_until_the_end(loaded: object) -> None:
    """Hold `loaded` (the command's catalog) when the process is to end with the command."""
    if _Held.wanted:
        _Held.loaded = loaded


def let_go() -> None:
    """Hold nothing: a new command starts, or the process ends the usual way."""
    _Held.loaded = None


def held() -> object:
    """What is held (None: nothing)."""
    return _Held.loaded
