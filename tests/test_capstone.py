"""Chapter 05 (capstone): the reference solutions pushed beyond the cases the grade cells draw."""

from __future__ import annotations

import json

import numpy as np
import pytest
import strategies  # noqa: F401 - loads the course's hypothesis profile
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.cachesim import Cache
from utils.instructor.harness import solution_namespace

pytestmark = pytest.mark.ch05


@pytest.fixture(scope="module")
def ns():
    return solution_namespace("05_capstone")


def _loops(n, order, block):
    """The trace by the loops the chapter describes, one step at a time."""
    out = []
    if order == "blocked":
        steps = ((i, p, j) for i0 in range(0, n, block) for j0 in range(0, n, block) for p0 in range(0, n, block)
                 for i in range(i0, min(i0 + block, n)) for p in range(p0, min(p0 + block, n))
                 for j in range(j0, min(j0 + block, n)))
    elif order == "ijk":
        steps = ((i, p, j) for i in range(n) for j in range(n) for p in range(n))
    else:
        steps = ((i, p, j) for i in range(n) for p in range(n) for j in range(n))
    for i, p, j in steps:
        out += [4 * (i * n + p), 4 * n * n + 4 * (p * n + j), 8 * n * n + 4 * (i * n + j)]
    return out


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 11), order=st.sampled_from(["ijk", "ipj", "blocked"]), block=st.integers(1, 12))
def test_trace_matches_the_loops(ns, n, order, block):
    """Is the reference trace, for any size and block, the loops' address sequence exactly?"""
    assert ns["matmul_trace"](n, order, block).tolist() == _loops(n, order, block)


def test_every_order_touches_each_element_n_times(ns):
    """Does every order access each element of A, B and C exactly n times (a permutation of steps)?"""
    n = 9
    for order in ("ijk", "ipj", "blocked"):
        counts = np.bincount(ns["matmul_trace"](n, order, 4) // 4)
        assert counts.tolist() == [n] * (3 * n * n)


def test_blocking_wins_where_the_chapter_says(ns):
    """At n = 48 with a 4 KiB cache, is blocked < i-p-j < i-j-k in misses, and the reference ranking that?"""
    counts = ns["miss_counts"](48, 4096, 64, 4, 8)
    assert counts["blocked"] < counts["ipj"] < counts["ijk"]
    assert ns["PREDICTED_RANKING"] == sorted(counts, key=counts.get)


def test_miss_counts_start_each_order_cold(ns):
    """Is each order counted from an empty cache (same as a separate Cache per trace)?"""
    counts = ns["miss_counts"](20, 2048, 64, 2, 5)
    for order in ("ijk", "ipj", "blocked"):
        assert counts[order] == Cache(2048, 64, 2).feed(ns["matmul_trace"](20, order, 5)).misses


def _ops_and_memory(path):
    events = json.loads(path.read_text())["traceEvents"]
    ops = [e for e in events if e.get("ph") == "X" and e.get("cat") == "cpu_op"]
    allocs = [e for e in events if e.get("name") == "[memory]" and e["args"]["Bytes"] > 0]
    return ops, allocs


def test_real_trace_self_times_add_up_to_the_top_level_operators(ns, tmp_path):
    """On a real step's trace, do all self times add up to the time of the outermost operators, and
    are the allocations inside operators all attributed?"""
    torch.manual_seed(0)
    model = ns["BaselineMLP"](seed=1)
    x, y = ns["make_batch"](8, seed=1)
    path = ns["record_trace"](lambda: ns["train_step"](model, x, y), tmp_path / "t.json")
    ops, allocs = _ops_and_memory(path)
    top = ns["top_operators"](path, k=10_000)
    total_self = sum(v for _, v in top["self_time_us"])
    roots = 0.0
    for o in ops:
        inside = any(p is not o and p["tid"] == o["tid"] and (p["ts"], -p["dur"]) < (o["ts"], -o["dur"])
                     and p["ts"] <= o["ts"] < p["ts"] + p["dur"] for p in ops)
        roots += 0.0 if inside else o["dur"]
    assert total_self == pytest.approx(roots, rel=1e-6)
    owned = sum(e["args"]["Bytes"] for e in allocs
                if any(o["tid"] == e["tid"] and o["ts"] <= e["ts"] < o["ts"] + o["dur"] for o in ops))
    assert sum(v for _, v in top["alloc_bytes"]) == owned > 0


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 1000), batch=st.integers(1, 40))
def test_fast_model_reproduces_the_baseline(ns, seed, batch):
    """For any seed and batch, does the reference FastMLP give the baseline's loss and gradients?"""
    base, fast = ns["BaselineMLP"](seed=seed), ns["FastMLP"](seed=seed)
    x, y = ns["make_batch"](batch, seed=seed)
    torch.testing.assert_close(ns["train_step"](fast, x, y), ns["train_step"](base, x, y), rtol=1e-5, atol=1e-6)
    for (name, p), q in zip(base.named_parameters(), fast.parameters()):
        torch.testing.assert_close(q.grad, p.grad, rtol=1e-4, atol=1e-5, msg=name)


def test_step_peak_is_a_count_that_repeats(ns):
    """Is the profiled peak the same number on every run, and is the reference well under 70% of the baseline's?"""
    x, y = ns["make_batch"](256, seed=6)
    base = [ns["step_peak_bytes"](ns["BaselineMLP"](seed=6), x, y) for _ in range(2)]
    fast = [ns["step_peak_bytes"](ns["FastMLP"](seed=6), x, y) for _ in range(2)]
    assert base[0] == base[1] and fast[0] == fast[1]
    assert fast[0] <= 0.6 * base[0]
