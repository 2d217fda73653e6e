"""Timing helpers: medians of repeated runs, within a time budget."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def ms(action: Callable[[], object]) -> float:
    """Milliseconds one call of `action` takes."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def repeat_ms(
    action: Callable[[], object],
    repeat: int,
    budget_s: float | None = None,
    setup: Callable[[], object] | None = None,
) -> list[float]:
    """Times of up to `repeat` calls (at least one); stops early once `budget_s` is spent.

    `setup` runs before each call and is not timed.
    """
    samples: list[float] = []
    began = time.perf_counter()
    while len(samples) < max(repeat, 1):
        if setup is not None:
            setup()
        samples.append(ms(action))
        if budget_s is not None and time.perf_counter() - began > budget_s:
            break
    return samples


def median(samples: list[float]) -> float:
    return round(statistics.median(samples), 2)
