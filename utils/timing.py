"""Honest timing: warm-up first, several repeats, report the median.

``time.perf_counter`` measures wall-clock time at the highest available resolution; the median of
a few repeats resists the odd slow run (a page fault, another process, a JIT compile).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def _check_counts(repeats: int, warmup: int) -> None:
    if not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    if not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup must be a non-negative integer, got {warmup!r}")


def measure(
    func: Callable[..., Any], *args: Any, repeats: int = 5, warmup: int = 1, **kwargs: Any
) -> tuple[Any, list[float]]:
    """Run ``func(*args, **kwargs)`` ``warmup`` times untimed, then ``repeats`` times timed.

    Returns:
        The result of the last call and the list of timed durations in seconds.

    Raises:
        ValueError: ``repeats`` < 1 or ``warmup`` < 0.
    """
    _check_counts(repeats, warmup)
    for _ in range(warmup):
        func(*args, **kwargs)
    times_s = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times_s.append(time.perf_counter() - start)
    return result, times_s


def median_time(
    func: Callable[..., Any], *args: Any, repeats: int = 5, warmup: int = 1, **kwargs: Any
) -> float:
    """Median wall-clock seconds of ``func(*args, **kwargs)`` after ``warmup`` untimed calls."""
    return statistics.median(measure(func, *args, repeats=repeats, warmup=warmup, **kwargs)[1])


def speedup(
    fast: Callable[..., Any], slow: Callable[..., Any], *args: Any, repeats: int = 5, warmup: int = 1
) -> float:
    """How many times faster ``fast`` runs than ``slow`` on the same arguments (ratio of medians).

    The two are timed in alternation so that a change in machine load hits both alike.
    """
    _check_counts(repeats, warmup)
    for _ in range(warmup):
        fast(*args)
        slow(*args)
    fast_s, slow_s = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        slow(*args)
        slow_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        fast(*args)
        fast_s.append(time.perf_counter() - start)
    return statistics.median(slow_s) / max(statistics.median(fast_s), 1e-12)
