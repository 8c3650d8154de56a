"""Count cache hits and misses of a stream of byte addresses: a set-associative LRU cache model.

A cache of ``capacity_bytes`` is cut into lines of ``line_bytes``; a line with number
``address // line_bytes`` may live only in set ``line % n_sets``, which holds ``ways`` lines and,
when full, evicts the one used least recently. Reads and writes are treated alike (a write
allocates its line, as in a write-back, write-allocate cache), and nothing is prefetched.

``Hierarchy`` chains such caches: an access that misses in one level is looked up in the next,
so each level counts the hits and misses of the stream that reaches it.

The model is deterministic: the same addresses give the same counts on every machine, which is
what makes a miss count gradable where a timing is not.

Importing this module has no side effects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np


class CacheStats(NamedTuple):
    """Counts of one cache level.

    Attributes:
        hits: accesses whose line was present.
        misses: accesses whose line had to be brought in.
    """

    hits: int
    misses: int

    @property
    def accesses(self) -> int:
        return self.hits + self.misses

    @property
    def miss_rate(self) -> float:
        """Misses per access (0.0 when nothing was accessed)."""
        return self.misses / self.accesses if self.accesses else 0.0


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _line_numbers(addresses: Iterable[int] | np.ndarray, line_bytes: int) -> np.ndarray:
    """The line number of each address, as int64; negative addresses are refused."""
    arr = np.asarray(addresses if isinstance(addresses, np.ndarray) else list(addresses))
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"addresses must be a flat sequence of integers, got dtype {arr.dtype} and shape {arr.shape}")
    if arr.min() < 0:
        raise ValueError(f"addresses must be non-negative, got {int(arr.min())}")
    return arr.astype(np.int64) // line_bytes


class Cache:
    """One set-associative cache with least-recently-used replacement.

    Args:
        capacity_bytes: total size; a multiple of ``line_bytes * ways``.
        line_bytes: bytes per line (64 on most CPUs).
        ways: lines per set (associativity); ``capacity_bytes // line_bytes`` is fully associative.

    Raises:
        ValueError: a size is not a positive integer, or the capacity is not a whole number of sets.

    Example:
        >>> cache = Cache(capacity_bytes=256, line_bytes=64, ways=2)
        >>> cache.feed([0, 4, 64, 0, 256, 512, 0]).misses
        5
    """

    def __init__(self, capacity_bytes: int, line_bytes: int = 64, ways: int = 8) -> None:
        self.capacity_bytes = _positive_int("capacity_bytes", capacity_bytes)
        self.line_bytes = _positive_int("line_bytes", line_bytes)
        self.ways = _positive_int("ways", ways)
        if self.capacity_bytes % (self.line_bytes * self.ways):
            raise ValueError(
                f"capacity_bytes={capacity_bytes} is not a multiple of line_bytes * ways = "
                f"{line_bytes} * {ways}"
            )
        self.n_sets = self.capacity_bytes // (self.line_bytes * self.ways)
        self.reset()

    def reset(self) -> None:
        """Empty every set and zero the counts."""
        self._sets: list[list[int]] = [[] for _ in range(self.n_sets)]  # least recent first
        self.hits = 0
        self.misses = 0

    @property
    def stats(self) -> CacheStats:
        return CacheStats(self.hits, self.misses)

    def _touch(self, line: int) -> bool:
        """Look ``line`` up, make it the most recent of its set; True on a hit."""
        lines = self._sets[line % self.n_sets]
        if line in lines:
            if lines[-1] != line:
                lines.remove(line)
                lines.append(line)
            return True
        if len(lines) == self.ways:
            del lines[0]
        lines.append(line)
        return False

    def access(self, address: int) -> bool:
        """Access one byte address; return True on a hit. Counts it."""
        if isinstance(address, bool) or not isinstance(address, (int, np.integer)) or address < 0:
            raise ValueError(f"address must be a non-negative integer, got {address!r}")
        hit = self._touch(int(address) // self.line_bytes)
        self.hits += hit
        self.misses += not hit
        return hit

    def feed(self, addresses: Iterable[int] | np.ndarray) -> CacheStats:
        """Access every address in order; return the counts of this call alone.

        Runs of accesses to the same line are all hits after the first (the line is already the
        most recent of its set), so they are counted without a lookup each.
        """
        lines = _line_numbers(addresses, self.line_bytes)
        if lines.size == 0:
            return CacheStats(0, 0)
        starts = np.flatnonzero(np.r_[True, lines[1:] != lines[:-1]])
        misses = 0
        touch = self._touch
        for line in lines[starts].tolist():
            if not touch(line):
                misses += 1
        hits = int(lines.size) - misses
        self.hits += hits
        self.misses += misses
        return CacheStats(hits, misses)

    def lines_missed(self, addresses: Iterable[int] | np.ndarray) -> np.ndarray:
        """Access every address in order; return the byte address of each miss, in order.

        What the next level of a hierarchy sees. Counts as ``feed`` does.
        """
        lines = _line_numbers(addresses, self.line_bytes)
        if lines.size == 0:
            return np.zeros(0, dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, lines[1:] != lines[:-1]])
        touch = self._touch
        missed = [line for line in lines[starts].tolist() if not touch(line)]
        self.misses += len(missed)
        self.hits += int(lines.size) - len(missed)
        addresses_out = np.asarray(missed, dtype=np.int64) * self.line_bytes
        return addresses_out


class Hierarchy:
    """Caches chained level by level: what misses in ``levels[0]`` is looked up in ``levels[1]``...

    Each level sees only the misses of the level above (by line address) and keeps its own
    counts; the hierarchy is neither inclusive nor exclusive, and writes-back are not modelled.

    Args:
        levels: the caches, nearest the processor first.

    Raises:
        ValueError: no level given.
    """

    def __init__(self, levels: Sequence[Cache]) -> None:
        if not levels:
            raise ValueError("a hierarchy needs at least one cache level")
        self.levels = list(levels)

    def reset(self) -> None:
        for level in self.levels:
            level.reset()

    def feed(self, addresses: Iterable[int] | np.ndarray) -> list[CacheStats]:
        """Access every address in order; return each level's counts for this call."""
        stream = addresses
        out = []
        for level in self.levels:
            before = level.stats
            stream = level.lines_missed(stream)
            after = level.stats
            out.append(CacheStats(after.hits - before.hits, after.misses - before.misses))
        return out


def count_misses(addresses: Iterable[int] | np.ndarray, capacity_bytes: int, line_bytes: int = 64, ways: int = 8) -> int:
    """Misses of ``addresses`` in a fresh, empty ``Cache(capacity_bytes, line_bytes, ways)``."""
    return Cache(capacity_bytes, line_bytes, ways).feed(addresses).misses
