"""Pausing Python's cyclic garbage collector around bulk work: reading and merging."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pause_lock = threading.Lock()
_pauses = 0
_collecting = False  # whether the collector was on when the first pause began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a big source is read or merged.

    Reading and merging a million rows makes millions of objects that all stay alive,
    and every full collection walks all of them again: a quarter of the time of reading
    a million rows and 40 % of merging them went there. Entries, groups and records hold
    no reference cycles, so nothing is left uncollected; the collector resumes when the
    last pause ends (pauses from several threads nest).

    When it resumes, the objects made during the pause are moved to the oldest
    generation at once (`gc.freeze` then `gc.unfreeze`, which move lists, not objects):
    left in the youngest, they were all walked by its next collection and again by the
    middle one's, to find nothing (4 to 7 s for a million-row list; at 100,000 rows 0.61
    s of collections during and after the load became 0.28 s). They stay collectable:
    freezing them for good would also keep every reference cycle alive then (a replaced
    window's catalog) until the app ends.
    """
    global _pauses, _collecting
    with _pause_lock:
        if _pauses == 0:
            _collecting = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collecting:
                gc.freeze()
                gc.unfreeze()
                gc.enable()


def collect_after_load() -> None:
    """One full collection now, just after a big catalog was built, while its progress
    is up, rather than later, whenever the collector decides to, with the window in use.

    The objects made while the collector was paused join the oldest generation (see
    `collector_paused`), which the collector walks in full only once the objects that
    joined it since its last full pass outnumber a quarter of what that pass found
    (CPython's `long_lived_pending` > `long_lived_total / 4`). Before a big load, that
    pass was at start-up, over a few hundred thousand objects, so the next one came soon
    after the load and walked all of them: 2.75 s for a million-row list (4.5 million
    objects), with the GIL held, so the window stopped painting for that long while the
    person typed or scrolled. After this one, the next full pass waits for another
    quarter of the whole catalog's objects, more than a session makes.
    """
    gc.collect()
