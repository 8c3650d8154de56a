"""utils.cachesim: the set-associative LRU cache model, against cases worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
import strategies  # noqa: F401 - loads the course's hypothesis profile
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.cachesim import Cache, CacheStats, Hierarchy, count_misses

pytestmark = pytest.mark.ch05


def _naive_misses(addresses, capacity_bytes, line_bytes, ways):
    """A second, deliberately plain model: per set, a list in recency order, one lookup per access."""
    n_sets = capacity_bytes // (line_bytes * ways)
    sets = [[] for _ in range(n_sets)]
    misses = 0
    for a in addresses:
        line = a // line_bytes
        lines = sets[line % n_sets]
        if line in lines:
            lines.remove(line)
        else:
            misses += 1
            if len(lines) == ways:
                lines.pop(0)
        lines.append(line)
    return misses


def test_docstring_example_two_sets_of_two():
    """Do 0, 4, 64, 0, 256, 512, 0 in 2 sets of 2 lines give 2 hits and 5 misses (the last 0 evicted)?"""
    cache = Cache(capacity_bytes=256, line_bytes=64, ways=2)
    assert cache.n_sets == 2
    assert cache.feed([0, 4, 64, 0, 256, 512, 0]) == CacheStats(hits=2, misses=5)


def test_lru_evicts_the_least_recent_not_the_oldest():
    """In a 2-way set, does touching line A again save it when C arrives, so B is the one evicted?"""
    cache = Cache(capacity_bytes=128, line_bytes=64, ways=2)  # one set of two lines
    assert [cache.access(a) for a in (0, 64, 0, 128, 0, 64)] == [False, False, True, False, True, False]
    assert (cache.hits, cache.misses) == (2, 4)


def test_direct_mapped_conflict_misses():
    """Do two lines that map to the same set of a direct-mapped cache evict each other every time?"""
    cache = Cache(capacity_bytes=1024, line_bytes=64, ways=1)  # 16 sets
    assert cache.feed([0, 1024] * 5).misses == 10
    assert Cache(1024, 64, 2).feed([0, 1024] * 5).misses == 2  # two ways: both fit


def test_sequential_scan_misses_once_per_line():
    """Does a scan of 4096 float32 values miss once per 64-byte line, and a second scan of a
    4 KiB-too-big array miss all over again while a fitting one hits?"""
    addresses = np.arange(4096) * 4
    assert count_misses(addresses, 32 * 1024, 64, 8) == 4096 * 4 // 64
    cache = Cache(8192, 64, 4)
    cache.feed(np.arange(1024) * 4)  # 4 KiB: fits
    assert cache.feed(np.arange(1024) * 4).misses == 0
    cache = Cache(8192, 64, 4)
    cache.feed(np.arange(4096) * 4)  # 16 KiB: LRU keeps only the last half
    assert cache.feed(np.arange(4096) * 4).misses == 256


def test_counts_accumulate_and_reset():
    """Do the counters add up over calls, and does reset empty the cache and zero them?"""
    cache = Cache(256, 64, 2)
    cache.feed([0, 64])
    cache.feed([0, 64, 128])
    assert (cache.hits, cache.misses) == (2, 3)
    assert cache.stats.miss_rate == pytest.approx(0.6)
    cache.reset()
    assert (cache.hits, cache.misses) == (0, 0)
    assert cache.feed([0]).misses == 1
    assert CacheStats(0, 0).miss_rate == 0.0


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"capacity_bytes": 0}, "capacity_bytes"),
        ({"capacity_bytes": 1000, "line_bytes": 64, "ways": 2}, "multiple"),
        ({"capacity_bytes": 1024, "line_bytes": 64, "ways": 0}, "ways"),
        ({"capacity_bytes": 1024, "line_bytes": True}, "line_bytes"),
    ],
)
def test_bad_shapes_are_refused_with_the_value_named(kwargs, word):
    """Is a cache that cannot be cut into whole sets refused with a one-line reason naming the value?"""
    with pytest.raises(ValueError, match=word):
        Cache(**kwargs)


def test_bad_addresses_are_refused():
    """Are negative, fractional and nested addresses refused?"""
    cache = Cache(256, 64, 2)
    with pytest.raises(ValueError, match="non-negative"):
        cache.feed([0, -4])
    with pytest.raises(ValueError, match="integers"):
        cache.feed(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="non-negative"):
        cache.access(-1)
    assert cache.feed([]) == CacheStats(0, 0)


def test_two_levels_see_the_misses_of_the_level_above():
    """Does L2 see only L1's misses, so a working set between the two sizes hits in L2 on a rescan?"""
    l1, l2 = Cache(1024, 64, 2), Cache(8192, 64, 4)
    levels = Hierarchy([l1, l2])
    scan = np.arange(1024) * 4  # 4 KiB: too big for L1, fits L2
    assert levels.feed(scan) == [CacheStats(1024 - 64, 64), CacheStats(0, 64)]
    assert levels.feed(scan) == [CacheStats(1024 - 64, 64), CacheStats(64, 0)]
    assert (l2.hits, l2.misses) == (64, 64)
    with pytest.raises(ValueError, match="at least one"):
        Hierarchy([])


@settings(max_examples=40, deadline=None)
@given(
    addresses=st.lists(st.integers(0, 4095), max_size=300),
    line_bytes=st.sampled_from([4, 16, 64]),
    ways=st.sampled_from([1, 2, 4]),
    n_sets=st.sampled_from([1, 2, 8]),
)
def test_matches_a_plain_model(addresses, line_bytes, ways, n_sets):
    """On random address streams, including runs of one line, do the counts equal a plain per-access model's?"""
    capacity = line_bytes * ways * n_sets
    stats = Cache(capacity, line_bytes, ways).feed(addresses)
    assert stats.misses == _naive_misses(addresses, capacity, line_bytes, ways)
    assert stats.hits + stats.misses == len(addresses)


def test_a_48_by_48_matmul_trace_is_counted_whole():
    """Are all 3 x 48^3 accesses of the i-p-j order counted, with the misses the chapter predicts from?"""
    n = 48
    i, p, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing="ij"))
    trace = np.stack([4 * (i * n + p), 4 * n * n + 4 * (p * n + j), 8 * n * n + 4 * (i * n + j)], axis=1).ravel()
    stats = Cache(4096, 64, 4).feed(trace)
    assert stats.accesses == 3 * n**3
    assert stats.misses == 7200  # the i-p-j order of the chapter's prediction
