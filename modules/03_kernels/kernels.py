# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Chapter 03: Kernels, from a triple loop to within reach of BLAS
#
# A *kernel* is the small piece of code that does the arithmetic of an operation: the loops of a
# matrix multiplication, the element-wise pass of a ReLU. Almost all the time of a neural network
# is spent in a handful of them, so this is where performance work pays most.
#
# This chapter follows one operation, the matrix product `C = A @ B`, from a Python triple loop
# to a compiled, blocked, multi-threaded kernel that comes within reach of the machine's BLAS
# library (the tuned code behind `np.matmul`). On the way you will time code correctly, count the
# work and the bytes an operation needs, measure the machine's *roofline* (the speed limits set
# by its arithmetic and its memory), reorder loops for the cache, compile with Numba,
# run on several threads, and trade precision for speed with int8 arithmetic; at the end of
# Part 1 you place every kernel you wrote, at every size, on this machine's roofline. Part 2 takes
# the same ideas to a GPU: you transpose a matrix twice, graded by the 32-byte memory sectors each
# warp touches and by shared-memory bank conflicts, and sum a vector with warp shuffles. Part 3 profiles a small network end to end: you record a
# `torch.profiler` trace of its training step, open it in a trace viewer (Perfetto), and read off
# the operators that take the time and the memory; then you swap one of your kernels into a NumPy
# version of the network and see how much of its speedup survives.
#
# Every number you see is measured on the machine running this notebook, unless the text names the
# machine it came from. On a shared 2-core machine (such as Colab's free tier) a timing can move by
# a factor of ten or more from one run to the next when another program takes a core, so the
# notebook takes medians or best-of-several runs, and the tests never depend on absolute times.
#
# **What costs points.** A grade cell loses its points when your code raises an exception (other
# than an error the exercise asks for), returns a wrong value, type or shape, or uses what the
# exercise forbids. Each exercise that teaches a technique grades that technique: while the graded
# call runs, library matrix products (the `@` operator, `np.matmul`, `np.dot`, `np.einsum`,
# `np.tensordot`, `x.dot`, `torch`, SciPy's BLAS, and your own `matmul_vectorized`) raise an
# error, compiled kernels are called directly on test buffers, thread pools are checked by the
# threads that actually ran the work, and GPU kernels run in a tracer that counts their memory
# reads, the sectors each warp's loads and stores touch and the shared-memory bank conflicts, and
# reports races, barriers and shuffles that some threads never reach. Each "What the tests check"
# paragraph says what its cells forbid. The roofline exercise is graded on measurements the grade
# cell passes in, never on your timings; the profiling exercise on the trace file it writes, read
# back, and on the ranking it returns.
# A warning your code prints does not cost points by itself; a failing check does.
# Speed cells compare your kernel with another one in the same run (a ratio of medians), with
# threads pinned the same way for both, and never credit a wrong result.

# %% nbgrader={"grade": false, "grade_id": "kernels_setup_imports", "locked": true, "schema_version": 3, "solution": false}
import contextlib
import cProfile
import math
import os
import pstats
import statistics
import sys
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np
from numba import njit, prange

from threadpoolctl import threadpool_limits

from utils.plotting import new_figure
from utils.shortcuts import blas_in_kernel, no_blas, pool_threads
from utils.testing import assert_raises, quiet
from utils.timing import speedup

# Numba's parallel loops run on the threads of its threading layer: TBB if installed, else OpenMP,
# else its own workqueue. Under OpenMP, let idle threads sleep instead of spinning: on a machine
# shared with other programs, spinning threads take the cores the working ones need.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")


@contextlib.contextmanager
def pinned_threads(threads: int):
    """Run the block with ``threads`` Numba threads and ``threads`` BLAS/OpenMP threads."""
    before = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        with threadpool_limits(limits=threads):
            yield
    finally:
        numba.set_num_threads(before)


def without_blas(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` with every library matrix product unavailable (``utils.shortcuts``)."""
    with no_blas():
        return func(*args, **kwargs)


def check_kernel_direct(kernel: Callable, name: str, returns: bool = False, **extra: Any) -> None:
    """Call a compiled matmul kernel directly on fresh buffers (float32 and float64) and check C.

    ``returns``: the kernel returns C (``kernel(A, B, **extra)``) instead of adding into a zeroed C.
    """
    found = blas_in_kernel(kernel)
    assert found is None, f"{name} must do the arithmetic itself; its source uses {found}"
    rng = np.random.default_rng(3199)
    for m, k, n in [(1, 1, 1), (5, 3, 7), (17, 33, 9)]:
        for dtype in (np.float32, np.float64):
            A, B = random_operands(rng, m, k, n, dtype)
            with quiet():
                if returns:
                    C = kernel(A, B, *extra.values())
                else:
                    C = np.zeros((m, n), dtype)
                    kernel(A, B, C)
            assert_matmul_close(C, A, B, f"{name} called directly on ({m}, {k}) @ ({k}, {n}) {np.dtype(dtype).name}")


def graded_speedup(fast: Callable, slow: Callable, A: np.ndarray, B: np.ndarray, threads: int = 1,
                   repeats: int = 7) -> float:
    """How many times less CPU time ``fast(A, B)`` takes than ``slow(A, B)``: a ratio of medians.

    Both run on ``threads`` pinned Numba and BLAS threads, in alternation after one warm-up call
    each, and ``fast`` must return the right product first. The clock is the CPU time of this
    process (``time.process_time``): time another program holds the core is not counted, and work
    moved to extra threads is.
    """
    with pinned_threads(threads), quiet():
        assert_matmul_close(without_blas(fast, A, B), A, B, getattr(fast, "__name__", "fast"))
        slow(A, B)
        fast_s, slow_s = [], []
        for _ in range(repeats):
            start = time.process_time()
            slow(A, B)
            slow_s.append(time.process_time() - start)
            start = time.process_time()
            fast(A, B)
            fast_s.append(time.process_time() - start)
    return statistics.median(slow_s) / max(statistics.median(fast_s), 1e-9)


def matmul_shapes(A: np.ndarray, B: np.ndarray) -> tuple[int, int, int]:
    """Check that ``A @ B`` is defined for two 2-D arrays and return ``(m, k, n)``.

    Raises:
        ValueError: an operand is not 2-D, or the inner dimensions differ (both shapes named).
    """
    if np.ndim(A) != 2 or np.ndim(B) != 2:
        raise ValueError(f"expected two 2-D arrays, got shapes {np.shape(A)} and {np.shape(B)}")
    if A.shape[1] != B.shape[0]:
        raise ValueError(
            f"shapes {A.shape} and {B.shape}: inner dimensions {A.shape[1]} and {B.shape[0]} differ"
        )
    return A.shape[0], A.shape[1], B.shape[1]


def random_operands(rng: np.random.Generator, m: int, k: int, n: int, dtype=np.float64):
    """Two random matrices of shapes (m, k) and (k, n) in ``dtype``."""
    return (rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype))


def assert_matmul_close(C: Any, A: np.ndarray, B: np.ndarray, name: str) -> None:
    """Assert ``C`` equals ``A @ B`` up to rounding: 1e-4 (float32) or 1e-10, relative to |A| @ |B|."""
    assert isinstance(C, np.ndarray), f"{name}: expected a NumPy array, got {type(C).__name__}"
    expected = A.astype(np.float64) @ B.astype(np.float64)
    assert C.shape == expected.shape, f"{name}: expected shape {expected.shape}, got {C.shape}"
    rtol = 1e-4 if np.result_type(A, B) == np.float32 else 1e-10
    scale = np.abs(A).astype(np.float64) @ np.abs(B).astype(np.float64)
    bad = ~(np.abs(C.astype(np.float64) - expected) <= rtol * scale + 1e-300)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise AssertionError(
            f"{name}: {int(bad.sum())} of {C.size} entries differ from A @ B by more than {rtol:g} "
            f"(relative); first at {where}: got {C[where]!r}, expected {expected[where]!r}"
        )


def assert_shape_error(matmul: Callable[..., Any], name: str) -> None:
    """Assert that ``matmul`` rejects (3, 4) @ (5, 2) with a ValueError naming both shapes."""
    A, B = np.ones((3, 4)), np.ones((5, 2))
    exc = assert_raises(ValueError, matmul, A, B)
    assert "(3, 4)" in str(exc) and "(5, 2)" in str(exc), (
        f"{name}: the ValueError should name both shapes, (3, 4) and (5, 2); got {str(exc)!r}"
    )


@njit
def matmul_numba_ijk(A, B, C):
    """The textbook loop order, compiled: C[i, j] = sum over p of A[i, p] * B[p, j]."""
    m, k = A.shape
    n = B.shape[1]
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[p, j]
            C[i, j] = total


def matmul_ijk(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """A @ B with the compiled i, j, p loops above (a reference to beat, not an exercise)."""
    m, k, n = matmul_shapes(A, B)
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    matmul_numba_ijk(A, B, C)
    return C


# %% [markdown]
# ## Part 1: kernels on the CPU
#
# ## 1. Timing a kernel
#
# Before making anything faster, make sure you can tell whether it got faster.
#
# - `time.perf_counter()` is a wall clock with the finest resolution Python offers (well under a
#   microsecond). It measures elapsed time, including time the process spent waiting for the CPU
#   while another program ran. That is why a number is never a single run.
# - **Warm-up.** The first call of a function pays one-off costs: Numba compiles the function
#   (hundreds of milliseconds), memory pages are touched for the first time, caches are cold.
#   Compile time is real, but it is paid once; report it apart from the steady-state time.
# - **Repeats and the median.** Noise only ever adds time, and it comes in bursts (another process,
#   a page fault). The median of a few repeats ignores a burst; the mean absorbs it.
#
# **Exercise 1.** Write `time_kernel(func, *args, repeats=5, warmup=1, **kwargs)`. Call `func`
# `warmup` times without timing, then `repeats` times with `time.perf_counter()` around each call.
# Return the result of the last call and the median time in **microseconds**.

# %% nbgrader={"grade": false, "grade_id": "kernels_time_kernel", "locked": false, "schema_version": 3, "solution": true}
def time_kernel(
    func: Callable[..., Any], *args: Any, repeats: int = 5, warmup: int = 1, **kwargs: Any
) -> tuple[Any, float]:
    """Time ``func(*args, **kwargs)`` after ``warmup`` untimed calls.

    Args:
        func: the kernel to time.
        *args: positional arguments passed to ``func``.
        repeats: how many timed calls (at least 1).
        warmup: how many untimed calls first (0 or more).
        **kwargs: keyword arguments passed to ``func``.

    Returns:
        ``(result, median_us)``: what the last call returned, and the median of the timed calls
        in microseconds.

    Raises:
        ValueError: ``repeats`` < 1 or ``warmup`` < 0.
    """
    # about 12 lines
    ### BEGIN SOLUTION
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be an integer >= 1, got {repeats!r}")
    if isinstance(warmup, bool) or not isinstance(warmup, int) or warmup < 0:
        raise ValueError(f"warmup must be an integer >= 0, got {warmup!r}")
    for _ in range(warmup):
        func(*args, **kwargs)
    times_us = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times_us.append((time.perf_counter() - start) * 1e6)
    return result, float(statistics.median(times_us))
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** That the result is the function's own return value, that arguments and
# keyword arguments reach it, and that it runs exactly `warmup + repeats` times. Timing is checked
# with a function that sleeps for known durations: the warm-up call sleeps long and must not be
# counted, the answer must be in microseconds, and one very slow timed call among fast ones must
# not move the median. `ValueError` for `repeats=0` and `warmup=-1`.

# %% nbgrader={"grade": true, "grade_id": "kernels_time_kernel_calls", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""time_kernel returns the result, passes the arguments and calls warmup + repeats times."""
calls = []


def record(a, b=0):
    calls.append((a, b))
    return a + b


out = time_kernel(record, 2, b=3, repeats=4, warmup=2)
assert isinstance(out, tuple) and len(out) == 2, f"expected (result, median_us), got {out!r}"
result, median_us = out
assert result == 5, f"the result should be record(2, b=3) = 5, got {result!r}"
assert len(calls) == 6, f"warmup=2, repeats=4: expected 6 calls, got {len(calls)}"
assert all(c == (2, 3) for c in calls), f"every call should get (2, b=3), got {calls}"
assert isinstance(median_us, float) and median_us >= 0, f"median_us should be a float >= 0, got {median_us!r}"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(301)
for _ in range(3):
    reps, warm = int(rng.integers(1, 6)), int(rng.integers(0, 4))
    calls.clear()
    result, _ = time_kernel(record, 7, repeats=reps, warmup=warm)
    assert result == 7 and len(calls) == reps + warm, (
        f"repeats={reps}, warmup={warm}: expected {reps + warm} calls and result 7, "
        f"got {len(calls)} calls and {result!r}"
    )
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_time_kernel_median", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""The time is the median of the timed calls in microseconds, with the warm-up left out."""


def sleeper(delays_s):
    pending = iter(delays_s)

    def sleep_next():
        time.sleep(next(pending))

    return sleep_next


# The warm-up call sleeps 0.3 s, the timed call 2 ms.
_, us = time_kernel(sleeper([0.3, 0.002]), repeats=1, warmup=1)
assert 2_000 <= us < 100_000, (
    f"one timed call of time.sleep(0.002) should give about 2000 microseconds, got {us!r} "
    "(is the warm-up call timed too, or is the unit not microseconds?)"
)
# Timed calls of 1, 20, 20, 20 and 600 ms: the median is 20 ms, the mean 132 ms, the minimum 1 ms.
_, us = time_kernel(sleeper([0.0, 0.001, 0.02, 0.02, 0.02, 0.6]), repeats=5, warmup=1)
assert 15_000 <= us < 90_000, f"the median of 1, 20, 20, 20, 600 ms is 20 000 microseconds, got {us!r}"
### BEGIN HIDDEN TESTS
_, us = time_kernel(sleeper([0.2, 0.005, 0.4, 0.005]), repeats=3, warmup=1)
assert 5_000 <= us < 100_000, f"the median of 5, 400, 5 ms is 5 000 microseconds, got {us!r}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_time_kernel_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""repeats below 1 and negative warm-up counts raise ValueError."""
for bad in ({"repeats": 0}, {"repeats": -3}, {"warmup": -1}):
    assert_raises(ValueError, time_kernel, abs, -1, **bad)

# %% [markdown]
# Here is the warm-up rule at work on a Numba function: its first call compiles it.

# %%
@njit
def _sum_of_squares(x):
    total = 0.0
    for v in x:
        total += v * v
    return total


_x = np.random.default_rng(0).standard_normal(1_000_000)
_, _first_us = time_kernel(_sum_of_squares, _x, repeats=1, warmup=0)
_, _steady_us = time_kernel(_sum_of_squares, _x, repeats=5, warmup=0)
print(f"first call {_first_us / 1e3:.0f} ms (compiles), median of the next five {_steady_us / 1e3:.2f} ms")

# %% [markdown]
# ## 2. Counting work and bytes: arithmetic intensity and the roofline
#
# A kernel is limited either by how fast the cores can do arithmetic or by how fast memory can
# deliver operands. Which one depends on its **arithmetic intensity**: floating-point operations
# (FLOPs) per byte moved between memory and the cores.
#
# For `C = A @ B` with `A` of shape (m, k) and `B` of shape (k, n), each of the m x n outputs is a
# dot product of length k: k multiplies and k adds, so **2mkn FLOPs**. At the very least the
# kernel reads `A` and `B` once and writes `C` once: **(mk + kn + mn) x itemsize bytes**. For
# square float32 matrices that is 2n^3 FLOPs over 12n^2 bytes, an intensity of n/6: it grows with
# n, which is why a large matmul can keep the cores busy. A ReLU does 1 operation per element and
# moves 8 bytes (read 4, write 4): 1/8 FLOP per byte, whatever the size.
#
# The **roofline** turns that into a speed limit. With a peak compute rate P (GFLOP/s) and a
# memory bandwidth W (GB/s), a kernel of intensity I cannot beat
#
# `attainable(I) = min(P, I x W)` GFLOP/s.
#
# Below the ridge point I = P/W a kernel is memory-bound, above it compute-bound. The count is the
# *minimum* traffic; a kernel that reads the same data from memory many times (because it fell
# out of the cache) moves more bytes and has a lower real intensity. That is what blocking fixes.
#
# You will count these for your own kernels in section 9, once you have measured them. First,
# this machine's two ceilings.

# %% [markdown]
# ### This machine's ceilings
#
# Data sheets give peaks no program reaches, so we measure practical ones, both with the same
# threads (all the cores Numba sees, BLAS pinned to the same number), and keep the best of five
# runs: a ceiling is what the machine *can* do, and on a shared machine most runs lose some time
# to other programs. The compute ceiling is the rate of a large float32 BLAS matmul (n = 2048,
# intensity 341, far past any ridge point). The bandwidth is that of a parallel *triad*,
# `a[i] = b[i] + s * c[i]` over three float32 arrays split among the threads: it reads two bytes
# for every one it writes, 12 bytes per element. The cell prints the size of the arrays next to
# the last-level cache this machine reports: the arrays should be much larger, or the figure is
# partly cache bandwidth.

# %%
from utils.timing import measure


@njit(parallel=True)
def _triad(a, b, c, s):
    for i in prange(a.shape[0]):
        a[i] = b[i] + s * c[i]


def _best_s(func, *args, repeats=5):
    return min(measure(func, *args, repeats=repeats)[1])


cores = numba.config.NUMBA_NUM_THREADS
_rng = np.random.default_rng(1)
_n = 2048
_big = _rng.standard_normal((_n, _n), dtype=np.float32)
_a, _b, _c = (np.ones(16 * 2**20, dtype=np.float32) for _ in range(3))
with pinned_threads(cores):
    peak_gflops = 2 * _n**3 / _best_s(np.matmul, _big, _big) / 1e9  # 2n^3 FLOPs
    bandwidth_gbs = 3 * _a.nbytes / _best_s(_triad, _a, _b, _c, np.float32(2.0)) / 1e9
_l3_bytes = os.sysconf("SC_LEVEL3_CACHE_SIZE") if "SC_LEVEL3_CACHE_SIZE" in os.sysconf_names else 0
del _big, _a, _b, _c
print(f"{cores} threads, best of 5: compute ceiling {peak_gflops:.0f} GFLOP/s (float32 BLAS, n = {_n}), "
      f"bandwidth {bandwidth_gbs:.1f} GB/s (triad over 3 x {16 * 4} MiB; last-level cache reported: "
      f"{max(_l3_bytes, 0) / 2**20:.0f} MiB), ridge point {peak_gflops / bandwidth_gbs:.0f} FLOP/byte")

# %% [markdown]
# ## 3. The baseline: a Python triple loop
#
# The definition, written as it reads: for every row i of A and column j of B, sum
# `A[i, p] * B[p, j]` over p. Each of the 2mkn operations goes through the interpreter (fetch
# bytecode, box a Python float, dispatch on its type), so expect a few million FLOPs per second,
# tens of thousands of times below the ceiling you just measured.
#
# Every matrix product in this chapter must refuse operands whose inner dimensions differ with a
# `ValueError` that names both shapes. The set-up cell defines `matmul_shapes(A, B)`, which does
# that and returns `(m, k, n)`; call it first.
#
# **Exercise 3.** Write `matmul_naive(A, B)` with three nested Python loops. Return a new array of
# shape (m, n) with the dtype of `A @ B`.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_naive", "locked": false, "schema_version": 3, "solution": true}
def matmul_naive(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` with three nested Python loops.

    Raises:
        ValueError: the inner dimensions differ (the message names both shapes).
    """
    # about 9 lines
    ### BEGIN SOLUTION
    m, k, n = matmul_shapes(A, B)
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[p, j]
            C[i, j] = total
    return C
    ### END SOLUTION


# %% [markdown]
# **What the tests check** (here and for every matrix product below). Results against `A @ B` for
# square and non-square shapes, including 1 x 1, a single row, a single column and an inner
# dimension of 1, in float32 (within 1e-4 relative to `|A| @ |B|`) and float64 (within 1e-10),
# with the dtype of `A @ B`; strided views and an inner dimension of 0 (a result of zeros); and a
# `ValueError` naming both shapes for (3, 4) @ (5, 2). Hidden tests draw fresh random shapes.
# **Forbidden during the graded call:** every library matrix product (the `@` operator,
# `np.matmul`, `np.dot`, `np.einsum`, `np.tensordot`, `x.dot`, `torch`, `matmul_vectorized`):
# the loops must do the arithmetic.

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_naive_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_naive matches A @ B for square and non-square shapes in float32 and float64."""
rng = np.random.default_rng(310)
for m, k, n in [(1, 1, 1), (4, 4, 4), (2, 3, 5), (1, 6, 1), (6, 1, 3), (7, 9, 2)]:
    for dtype in (np.float32, np.float64):
        A, B = random_operands(rng, m, k, n, dtype)
        assert_matmul_close(without_blas(matmul_naive, A, B), A, B,
                            f"matmul_naive, ({m}, {k}) @ ({k}, {n}) {dtype.__name__}")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3100)
for _ in range(4):
    m, k, n = (int(v) for v in rng.integers(1, 14, size=3))
    A, B = random_operands(rng, m, k, n, np.float64)
    assert_matmul_close(without_blas(matmul_naive, A, B), A, B, f"matmul_naive, ({m}, {k}) @ ({k}, {n})")
A, B = random_operands(rng, 9, 7, 5, np.float64)
C = without_blas(matmul_naive, A[::2], np.asfortranarray(B))
assert C.dtype == np.float64, f"matmul_naive of float64 views: expected float64, got {C.dtype}"
assert_matmul_close(C, A[::2], B, "matmul_naive on a strided view and a Fortran-ordered array")
for dtype in (np.float32, np.float64):
    C = without_blas(matmul_naive, np.ones((3, 0), dtype), np.ones((0, 4), dtype))
    assert isinstance(C, np.ndarray) and C.shape == (3, 4) and C.dtype == dtype and not C.any(), (
        f"(3, 0) @ (0, 4) in {np.dtype(dtype).name}: expected zeros of shape (3, 4), got {C!r}"
    )
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_naive_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_naive rejects mismatched inner dimensions, naming both shapes."""
assert_shape_error(matmul_naive, "matmul_naive")

# %%
_A, _B = random_operands(np.random.default_rng(2), 64, 64, 64, np.float32)
_, _naive_us = time_kernel(matmul_naive, _A, _B, repeats=1)
print(f"matmul_naive, n = 64: {_naive_us / 1e3:.0f} ms, {2 * 64**3 / (_naive_us * 1e3):.4f} GFLOP/s "
      f"({2 * 64**3 / (_naive_us * 1e3) / peak_gflops:.1e} of the ceiling)")

# %% [markdown]
# ## 4. Vectorized: hand the whole product to BLAS
#
# `A @ B` (or `np.matmul`) hands the product to a BLAS library, here OpenBLAS or MKL: hand-written
# assembly for each CPU family, blocked for every cache level, using the SIMD units (8 or 16
# float32 multiply-adds per instruction) and all cores. It is the ceiling for the rest of Part 1.
#
# **Exercise 4.** Write `matmul_vectorized(A, B)`: check the shapes, then let NumPy do the work.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_vectorized", "locked": false, "schema_version": 3, "solution": true}
def matmul_vectorized(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` through NumPy's BLAS.

    Raises:
        ValueError: the inner dimensions differ (the message names both shapes).
    """
    # about 2 lines
    ### BEGIN SOLUTION
    matmul_shapes(A, B)
    return A @ B
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_vectorized_correct", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_vectorized matches A @ B for square and non-square shapes."""
rng = np.random.default_rng(311)
for m, k, n in [(1, 1, 1), (2, 3, 5), (1, 6, 1), (6, 1, 3), (40, 30, 20)]:
    for dtype in (np.float32, np.float64):
        A, B = random_operands(rng, m, k, n, dtype)
        assert_matmul_close(matmul_vectorized(A, B), A, B, f"matmul_vectorized, ({m}, {k}) @ ({k}, {n})")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3110)
m, k, n = (int(v) for v in rng.integers(1, 200, size=3))
A, B = random_operands(rng, m, k, n, np.float32)
assert_matmul_close(matmul_vectorized(A, B), A, B, f"matmul_vectorized, ({m}, {k}) @ ({k}, {n})")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_vectorized_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_vectorized rejects mismatched inner dimensions with its own message naming both shapes."""
assert_shape_error(matmul_vectorized, "matmul_vectorized")

# %% [markdown]
# ## 5. Loop order, cache reuse and blocking
#
# Memory moves in 64-byte *cache lines*, and a line that is still in the cache costs a few cycles
# to read instead of a hundred. Two habits decide how much of each line a kernel uses.
#
# - **Loop order.** NumPy arrays are row-major: `B[p, j]` and `B[p, j + 1]` are neighbours. The
#   textbook order i, j, p walks down a column of B in the inner loop, one new line per
#   multiply-add. The order i, p, j instead adds `A[i, p] * B[p, :]` into the row `C[i, :]`: both
#   inner accesses walk along rows, every line is used in full, and the compiler can put 8 or 16
#   consecutive j into one SIMD instruction. The same multiply-adds in another order, several
#   times faster; not quite the same result, though: `matmul_ijk` sums each dot product in a
#   float64 scalar and rounds once, while i, p, j adds into float32 `C` at every step, so the two
#   differ by float32 rounding (the analysis cell below prints by how much), and part of the time
#   gap is that precision.
# - **Blocking (tiling).** Even in a good order, a large B is streamed from memory once for every
#   row of A. Splitting the matrices into tiles small enough to stay in cache, and finishing all
#   the work on a tile before moving on, reads each tile from memory once per *tile row* instead
#   of once per row. Three tiles of 64 x 64 float32 take 48 KB, about the size of a core's L1 and
#   well inside L2.
#
# Blocking in NumPy means: loop over tiles of C, and for each, accumulate
# `A[i0:i1, p0:p1] @ B[p0:p1, j0:j1]` over the tiles of the inner dimension. Slicing clips at the
# end of an axis, so `A[i0:i0 + b]` is simply shorter when fewer than `b` rows remain; the last,
# partial tile must not be forgotten.
#
# **Exercise 5.** Write `matmul_blocked(A, B, block_size=64)`. It must work for any positive block
# size, including ones that do not divide the shapes and ones larger than the matrices, and raise
# `ValueError` for a block size below 1.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_blocked", "locked": false, "schema_version": 3, "solution": true}
def matmul_blocked(A: np.ndarray, B: np.ndarray, block_size: int = 64) -> np.ndarray:
    """``A @ B`` accumulated tile by tile, with square tiles of side ``block_size``.

    Raises:
        ValueError: the inner dimensions differ (both shapes named), or ``block_size`` < 1.
    """
    # about 10 lines
    ### BEGIN SOLUTION
    m, k, n = matmul_shapes(A, B)
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"block_size must be an integer >= 1, got {block_size!r}")
    b = int(block_size)
    C = np.zeros((m, n), dtype=np.result_type(A, B))
    for i0 in range(0, m, b):
        for j0 in range(0, n, b):
            tile = C[i0:i0 + b, j0:j0 + b]
            for p0 in range(0, k, b):
                tile += A[i0:i0 + b, p0:p0 + b] @ B[p0:p0 + b, j0:j0 + b]
    return C
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Results against `A @ B` for block sizes that divide the shapes, that do
# not (7 on shapes of 20, 13 and 17, so every axis ends in a partial tile), of 1, and larger than
# every dimension; float32 and float64 (the result in the operands' dtype); strided views;
# `ValueError` for mismatched shapes and for `block_size=0`.
# **Tiles only:** the products are counted while `matmul_blocked` runs: there must be at least one
# per triple of (row, inner, column) tiles, and a product called through `np.matmul` or `np.dot`
# must not take an operand larger than a tile. `np.einsum`, `np.tensordot`, `torch` and
# `matmul_vectorized` are unavailable.

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_blocked_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_blocked matches A @ B tile by tile, for block sizes that do and do not divide the shapes."""


def blocked_products(A, B, bs):
    """matmul_blocked(A, B, bs) with its products counted: one per (row, column, inner) tile triple."""
    with no_blas(count_products=True) as products:
        C = matmul_blocked(A, B) if bs is None else matmul_blocked(A, B, block_size=bs)
    b = 64 if bs is None else bs
    tiles = math.ceil(A.shape[0] / b) * math.ceil(A.shape[1] / b) * math.ceil(B.shape[1] / b)
    assert len(products) >= tiles, (
        f"matmul_blocked, {A.shape} @ {B.shape}, block_size={b}: {len(products)} matrix products for "
        f"{tiles} tile triples; multiply tile by tile, not whole matrices"
    )
    too_big = [shapes for shapes in products if shapes and max(max(s, default=0) for s in shapes) > b]
    assert not too_big, f"block_size={b}: products of operands larger than a tile: {too_big[:3]}"
    return C


rng = np.random.default_rng(312)
for (m, k, n), bs in [((16, 16, 16), 4), ((20, 13, 17), 7), ((5, 3, 4), 1), ((9, 11, 6), 64), ((64, 64, 64), 64)]:
    for dtype in (np.float32, np.float64):
        A, B = random_operands(rng, m, k, n, dtype)
        assert_matmul_close(blocked_products(A, B, bs), A, B,
                            f"matmul_blocked, ({m}, {k}) @ ({k}, {n}), block_size={bs}")
A, B = random_operands(rng, 70, 70, 70, np.float64)
assert_matmul_close(blocked_products(A, B, None), A, B, "matmul_blocked with the default block size on 70 x 70")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3120)
for _ in range(5):
    m, k, n = (int(v) for v in rng.integers(1, 90, size=3))
    bs = int(rng.integers(2, 40))
    A, B = random_operands(rng, m, k, n, np.float64)
    assert_matmul_close(blocked_products(A, B, bs), A, B, f"matmul_blocked, ({m}, {k}) @ ({k}, {n}), block_size={bs}")
A, B = random_operands(rng, 20, 18, 16, np.float32)
C = blocked_products(A[::2], B[:, ::2], 4)
assert C.dtype == np.float32, f"float32 operands should give a float32 result, got {C.dtype}"
assert_matmul_close(C, A[::2], B[:, ::2], "matmul_blocked on strided views")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_blocked_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_blocked rejects mismatched shapes and block sizes below 1."""
for bad in (0, -8):
    assert_raises(ValueError, matmul_blocked, np.ones((4, 4)), np.ones((4, 4)), block_size=bad)
assert_shape_error(matmul_blocked, "matmul_blocked")

# %% [markdown]
# How much does Python-level blocking cost? Each tile product is a separate BLAS call with its own
# overhead of a microsecond or two, so tiny tiles drown in calls while large ones approach the
# single call.

# %%
_A, _B = random_operands(np.random.default_rng(3), 512, 512, 512, np.float32)
_, _whole_us = time_kernel(matmul_vectorized, _A, _B, repeats=3)
_parts = []
for _bs in (16, 64, 256):
    _, _us = time_kernel(matmul_blocked, _A, _B, block_size=_bs, repeats=3)
    _parts.append(f"{_bs}: {_us / _whole_us:.1f}x")
print("n = 512, time of matmul_blocked relative to one BLAS call, by block size:  " + ",  ".join(_parts))

# %% [markdown]
# ## 6. Compiling loops with Numba
#
# Numba compiles a Python function to machine code through LLVM the first time it is called with
# a given combination of argument types (its *signature*). `@njit` ("no Python") compiles the
# whole function or refuses: inside it, arrays are raw memory, loops are machine loops, and LLVM
# vectorizes inner loops over contiguous data. The price is compile time on the first call of each
# signature (float32 and float64 compile separately) and a subset of Python: no f-strings, no
# arbitrary objects. So keep checks and error messages in a plain Python wrapper and give the
# compiled kernel plain arrays.
#
# The set-up cell compiled the textbook order as `matmul_ijk`. You write the cache-friendly one.
#
# **Exercise 6.** Write the kernel `_matmul_ipj(A, B, C)`, which adds `A @ B` into a zeroed `C`
# with loops in the order i, p, j, and the wrapper `matmul_numba(A, B)` that checks the shapes,
# picks the result dtype (`np.result_type(A, B, np.float32)`: float32 stays float32, anything else
# becomes float64), makes contiguous operands of that dtype, allocates `C` and calls the kernel.
# Write the j loop out as a scalar loop (`for j in range(n): C[i, j] += a * B[p, j]`): inside
# `@njit`, the slice form `C[i, :] += a * B[p, :]` builds a temporary array on every iteration and
# loses most of the gain.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_numba", "locked": false, "schema_version": 3, "solution": true}
@njit
def _matmul_ipj(A, B, C):
    """Add ``A @ B`` into ``C`` with the loop order i, p, j (Numba-compiled)."""
    # about 7 lines
    ### BEGIN SOLUTION
    m, k = A.shape
    n = B.shape[1]
    for i in range(m):
        for p in range(k):
            a = A[i, p]
            for j in range(n):
                C[i, j] += a * B[p, j]
    ### END SOLUTION


def matmul_numba(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` with a compiled, cache-friendly loop order.

    Raises:
        ValueError: the inner dimensions differ (the message names both shapes).
    """
    # about 6 lines
    ### BEGIN SOLUTION
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_ipj(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Correctness and the shape error as before (the first call compiles
# your kernel, so it takes a second), strided views, and the result dtype (float32 with float64
# gives float64). Your kernel `_matmul_ipj` is also called directly on fresh zeroed buffers, so the
# kernel itself must compute the product; its source and the wrapper may not use a library matrix
# product (the rule of exercise 3). Speed, by a ratio taken in one cell: on one thread (Numba and
# BLAS both pinned), with compile time excluded, `matmul_numba` must return the right product and
# take at most a third of the CPU time of `matmul_ijk` on 192 x 192 float32 matrices (ratio of
# medians of alternating runs; CPU time of this process, so another program holding the core does
# not count). The cell after the tests prints the ratio the right loop order gives on this machine.

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_numba_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_numba matches A @ B for square and non-square shapes in float32 and float64."""
rng = np.random.default_rng(313)
with quiet():
    for m, k, n in [(1, 1, 1), (2, 3, 5), (1, 6, 1), (6, 1, 3), (33, 65, 31), (64, 64, 64)]:
        for dtype in (np.float32, np.float64):
            A, B = random_operands(rng, m, k, n, dtype)
            assert_matmul_close(without_blas(matmul_numba, A, B), A, B,
                                f"matmul_numba, ({m}, {k}) @ ({k}, {n}) {dtype.__name__}")
    A, B = random_operands(rng, 12, 8, 10, np.float64)
    assert_matmul_close(without_blas(matmul_numba, A[::2], B[:, ::2]), A[::2], B[:, ::2], "matmul_numba on strided views")
    C = without_blas(matmul_numba, A.astype(np.float32), B)
    assert C.dtype == np.float64, f"float32 @ float64 should give float64, got {C.dtype}"
check_kernel_direct(_matmul_ipj, "_matmul_ipj")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3130)
with quiet():
    for _ in range(4):
        m, k, n = (int(v) for v in rng.integers(1, 120, size=3))
        A, B = random_operands(rng, m, k, n, np.float32)
        assert_matmul_close(without_blas(matmul_numba, A, B), A, B, f"matmul_numba, ({m}, {k}) @ ({k}, {n})")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_numba_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_numba rejects mismatched inner dimensions, naming both shapes."""
assert_shape_error(matmul_numba, "matmul_numba")

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_numba_speed", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_numba is at least 3 times faster than the i, j, p order (one thread, n = 192, float32)."""
A, B = random_operands(np.random.default_rng(314), 192, 192, 192, np.float32)
gain = graded_speedup(matmul_numba, matmul_ijk, A, B, threads=1, repeats=5)
assert gain >= 3.0, (
    f"matmul_numba is only {gain:.1f}x faster than matmul_ijk; expected at least 3x. "
    "Is the innermost loop walking along rows of B and C?"
)

# %% [markdown]
# The two loop orders side by side, at a size where B (1 MiB) no longer fits in L1, with how far
# their results are apart:

# %%
_A, _B = random_operands(np.random.default_rng(4), 512, 512, 512, np.float32)
_flops = 2 * 512**3
_C_ijk, _ijk_us = time_kernel(matmul_ijk, _A, _B, repeats=2)
_C_ipj, _ipj_us = time_kernel(matmul_numba, _A, _B, repeats=3)
_gap = float(np.max(np.abs(_C_ijk - _C_ipj) / (np.abs(_A) @ np.abs(_B))))
print(f"n = 512 float32: i, j, p order {_flops / (_ijk_us * 1e3):.1f} GFLOP/s; "
      f"i, p, j order {_flops / (_ipj_us * 1e3):.1f} GFLOP/s ({_ijk_us / _ipj_us:.0f}x); "
      f"results differ by up to {_gap:.1e} relative to |A| @ |B| (float32 rounding)")

# %% [markdown]
# ## 7. Threads, the GIL, and data parallelism over rows
#
# Python's *global interpreter lock* (GIL) lets only one thread run Python bytecode at a time, so
# threads do not speed up pure-Python loops. But the GIL only guards the interpreter: compiled code
# that does not touch Python objects can release it. NumPy releases it inside its array loops and
# BLAS calls; a plain `@njit` function keeps it unless compiled with `@njit(nogil=True)`; and
# Numba's parallel loops run on their own native threads, from its *threading layer*: TBB if it
# is installed, else OpenMP, else Numba's own "workqueue" (the analysis cell below prints which
# one this machine uses). So threads do help with array work.
#
# The rows of C are independent: row i only reads row i of A and all of B, and only writes row i
# of C. That makes the row loop *data parallel*: split it across cores and no two threads ever
# write the same element. In Numba, `@njit(parallel=True)` plus `numba.prange` in place of `range`
# does exactly that: the iterations of the `prange` loop are divided among
# `numba.get_num_threads()` threads. Loops inside stay sequential on each thread. (The set-up
# cell set `OMP_WAIT_POLICY=passive`, which tells OpenMP threads to sleep, not spin, while they
# wait for work: on a machine shared with other programs, spinning threads take the cores the
# working ones need. The setting only matters under the OpenMP layer; TBB and workqueue ignore it.)
#
# **Exercise 7.** Write `_matmul_rows(A, B, C)` (parallel over i with `prange`, the i, p, j order
# inside) and the wrapper `matmul_numba_parallel(A, B)`, which works like `matmul_numba`'s.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_numba_parallel", "locked": false, "schema_version": 3, "solution": true}
@njit(parallel=True)
def _matmul_rows(A, B, C):
    """Add ``A @ B`` into ``C``, rows of C spread over threads (Numba-compiled, parallel)."""
    # about 7 lines
    ### BEGIN SOLUTION
    m, k = A.shape
    n = B.shape[1]
    for i in prange(m):
        for p in range(k):
            a = A[i, p]
            for j in range(n):
                C[i, j] += a * B[p, j]
    ### END SOLUTION


def matmul_numba_parallel(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` with the rows of the result computed in parallel.

    Raises:
        ValueError: the inner dimensions differ (the message names both shapes).
    """
    # about 6 lines
    ### BEGIN SOLUTION
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    C = np.zeros((m, n), dtype=dtype)
    _matmul_rows(np.ascontiguousarray(A, dtype=dtype), np.ascontiguousarray(B, dtype=dtype), C)
    return C
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Correctness and the shape error, as for `matmul_numba`, including row
# counts that do not divide among the threads (1, 3, 33) and strided views; no library matrix
# product in the wrapper
# or the kernel; `_matmul_rows` compiled with `parallel=True`, its row loop a `prange`, and called
# directly on fresh zeroed buffers. Parallel speedup is not graded: on a shared 2-core machine it
# depends on what else is running. The cell after the tests measures it.

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_numba_parallel_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_numba_parallel matches A @ B, including row counts that do not divide among threads."""
rng = np.random.default_rng(315)
with quiet():
    for m, k, n in [(1, 1, 1), (3, 5, 2), (1, 6, 7), (6, 1, 3), (33, 65, 31), (64, 64, 64)]:
        for dtype in (np.float32, np.float64):
            A, B = random_operands(rng, m, k, n, dtype)
            assert_matmul_close(without_blas(matmul_numba_parallel, A, B), A, B,
                                f"matmul_numba_parallel, ({m}, {k}) @ ({k}, {n}) {dtype.__name__}")
assert _matmul_rows.targetoptions.get("parallel"), "_matmul_rows must be compiled with @njit(parallel=True)"
assert "prange" in _matmul_rows.py_func.__code__.co_names, "_matmul_rows must spread its rows with prange"
check_kernel_direct(_matmul_rows, "_matmul_rows")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3150)
with quiet():
    for _ in range(4):
        m, k, n = (int(v) for v in rng.integers(1, 120, size=3))
        A, B = random_operands(rng, m, k, n, np.float32)
        assert_matmul_close(without_blas(matmul_numba_parallel, A, B), A, B,
                            f"matmul_numba_parallel, ({m}, {k}) @ ({k}, {n})")
    A, B = random_operands(rng, 30, 12, 20, np.float32)
    C = without_blas(matmul_numba_parallel, A[::3], B[:, 1::2])
    assert C.dtype == np.float32, f"float32 operands should give a float32 result, got {C.dtype}"
    assert_matmul_close(C, A[::3], B[:, 1::2], "matmul_numba_parallel on strided views")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_numba_parallel_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_numba_parallel rejects mismatched inner dimensions, naming both shapes."""
assert_shape_error(matmul_numba_parallel, "matmul_numba_parallel")

# %%
_A, _B = random_operands(np.random.default_rng(5), 512, 512, 512, np.float32)
_threads = numba.get_num_threads()
_row = []
for _t in range(1, _threads + 1):
    numba.set_num_threads(_t)
    _, _us = time_kernel(matmul_numba_parallel, _A, _B, repeats=3)
    _row.append(f"{_t} thread{'s' if _t > 1 else ''}: {_flops / (_us * 1e3):.1f} GFLOP/s")
numba.set_num_threads(_threads)
print(f"matmul_numba_parallel, n = 512 float32, threading layer {numba.threading_layer()!r}:  " + ",  ".join(_row))

# %% [markdown]
# ## 8. A fast CPU kernel
#
# `matmul_numba_parallel` does two memory operations (load and store `C[i, j]`) and one load of B
# for every multiply-add, and streams all of B once per row of A. BLAS does better by keeping
# results in *registers* and reusing every value it loads many times. The recipe that works in
# Numba:
#
# 1. **Pack.** Copy A and the transpose of B into zero-padded buffers, so that row i of A and
#    column j of B are both contiguous rows and the row counts are multiples of 4. Padding costs
#    O(n^2) copies for O(n^3) work, and zero rows and columns change nothing in the products.
# 2. **Register blocks.** Compute C four rows by four columns at a time: load 4 values of A and 4 of
#    B, do 16 multiply-adds into 16 local accumulators that live in registers. Eight loads now
#    feed sixteen multiply-adds, where the simple kernel needed three memory operations for each.
#    With `fastmath=True` LLVM may reorder the sums, so it vectorizes the loop over p (8 or 16
#    float32 lanes at once) and adds the lanes together at the end. Then each accumulator is a
#    vector register, and 16 accumulators plus 8 vector loads need 24 registers: that fits in the
#    32 vector registers of a CPU with AVX-512, but spills to memory on one with AVX2 only (16
#    registers), where a 4 x 2 or 2 x 4 block fits better. The next cell says which this CPU has.
# 3. **k-slices.** Split the inner dimension into slices of a few hundred so that the 4 rows of A
#    and the rows of B being reused stay in L1 and L2.
# 4. **Threads** over the 4-row blocks of C with `prange`. Waking the threads for a parallel loop
#    costs tens of microseconds or more (on a 2-vCPU cloud machine), so on small products (below
#    about 128^3 multiply-adds there) one thread wins: `numba.set_num_threads(1)` around the call,
#    restored afterwards.
#
# One trap is worth knowing before you start. Numba, like Python, accepts negative indices, so
# `x[p]` compiles to "if p < 0, use p + len(x)". When the loop is `for p in range(p0, p1)` LLVM
# cannot prove that p is never negative, the address is no longer a simple stride, and the loop
# is vectorized with slow *gather* instructions, or not at all. Slice first (`a = x[p0:p1]`) and
# loop `for p in range(len(a))`: p starts at 0, the check disappears, the loop vectorizes.
# The cell below shows the difference on a dot product.

# %%
@njit(fastmath=True)
def _dot_range(x, y, p0, p1):
    total = x.dtype.type(0)
    for p in range(p0, p1):
        total += x[p] * y[p]
    return total


@njit(fastmath=True)
def _dot_slice(x, y, p0, p1):
    a, b = x[p0:p1], y[p0:p1]
    total = x.dtype.type(0)
    for p in range(a.shape[0]):
        total += a[p] * b[p]
    return total


_x = np.ones(4096, dtype=np.float32)
_calls = 200
_gf = {}
for _f in (_dot_range, _dot_slice):
    _, _us = time_kernel(lambda f=_f: [f(_x, _x, 0, 4096) for _ in range(_calls)], repeats=5)
    _gf[_f.__name__] = 2 * 4096 * _calls / (_us * 1e3)
_flags = set()
if os.path.exists("/proc/cpuinfo"):
    with open("/proc/cpuinfo") as _f:
        _flags = {w for line in _f if line.startswith("flags") for w in line.split()}
_isa = ("AVX-512: 32 vector registers" if "avx512f" in _flags else "AVX2: 16 vector registers"
        if "avx2" in _flags else "vector width unknown (no /proc/cpuinfo flags)")
print(f"dot product of 4096 float32: range(p0, p1) loop {_gf['_dot_range']:.1f} GFLOP/s, "
      f"sliced loop {_gf['_dot_slice']:.1f} GFLOP/s. This CPU: {_isa}")

# %% [markdown]
# **Exercise 8.** Write `matmul_fast(A, B)`, your fastest CPU kernel, as a compiled kernel and a
# wrapper (both yours to design; the recipe above is one way, about 45 lines). Keep the same
# contract as before: shape checks, float32 results for float32 inputs (float64 otherwise), any
# shape. Aim for half the speed of BLAS at n = 1024; the analysis cell after the tests tells you
# where you are. Numba compiles the kernel once per signature, in a few seconds.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_fast", "locked": false, "schema_version": 3, "solution": true}
_K_SLICE = 1024  # inner-dimension slice length; the 4 + 4 rows being reused stay in L1 and L2


@njit(parallel=True, fastmath=True)
def _matmul_fast_kernel(A, B, k_slice):
    """``A @ B`` for C-contiguous A and B of the same float dtype (Numba-compiled, parallel)."""
    # about 40 lines
    ### BEGIN SOLUTION
    m, k = A.shape
    n = B.shape[1]
    m4 = (m + 3) // 4 * 4
    n4 = (n + 3) // 4 * 4
    k16 = (k + 15) // 16 * 16
    # Padded copies: rows of Ap are rows of A, rows of Bt are columns of B. The extra 16 columns
    # keep row starts off power-of-two strides, which would map them to the same cache sets.
    Ap = np.zeros((m4, k16 + 16), A.dtype)
    Bt = np.zeros((n4, k16 + 16), A.dtype)
    for i in prange(m):
        for p in range(k):
            Ap[i, p] = A[i, p]
    for jb in prange((n + 31) // 32):
        for p in range(k):
            for j in range(jb * 32, min(jb * 32 + 32, n)):
                Bt[j, p] = B[p, j]
    C = np.zeros((m4, n4), A.dtype)
    slices = (k16 + k_slice - 1) // k_slice
    step = (k16 // 16 + slices - 1) // slices * 16
    for ib in prange(m4 // 4):
        i = ib * 4
        for p0 in range(0, k16, step):
            p1 = min(p0 + step, k16)
            a0, a1, a2, a3 = Ap[i, p0:p1], Ap[i + 1, p0:p1], Ap[i + 2, p0:p1], Ap[i + 3, p0:p1]
            for j in range(0, n4, 4):
                b0, b1, b2, b3 = Bt[j, p0:p1], Bt[j + 1, p0:p1], Bt[j + 2, p0:p1], Bt[j + 3, p0:p1]
                c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = A.dtype.type(0)
                c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = A.dtype.type(0)
                for p in range(p1 - p0):
                    x0, x1, x2, x3 = a0[p], a1[p], a2[p], a3[p]
                    y0, y1, y2, y3 = b0[p], b1[p], b2[p], b3[p]
                    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3  # noqa: E702
                    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3  # noqa: E702
                    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3  # noqa: E702
                    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3  # noqa: E702
                C[i, j] += c00; C[i, j + 1] += c01; C[i, j + 2] += c02; C[i, j + 3] += c03  # noqa: E702
                C[i + 1, j] += c10; C[i + 1, j + 1] += c11; C[i + 1, j + 2] += c12; C[i + 1, j + 3] += c13  # noqa: E702
                C[i + 2, j] += c20; C[i + 2, j + 1] += c21; C[i + 2, j + 2] += c22; C[i + 2, j + 3] += c23  # noqa: E702
                C[i + 3, j] += c30; C[i + 3, j + 1] += c31; C[i + 3, j + 2] += c32; C[i + 3, j + 3] += c33  # noqa: E702
    return C[:m, :n]
    ### END SOLUTION


def matmul_fast(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` with a blocked, register-tiled, multi-threaded kernel.

    Raises:
        ValueError: the inner dimensions differ (the message names both shapes).
    """
    # about 12 lines
    ### BEGIN SOLUTION
    m, k, n = matmul_shapes(A, B)
    dtype = np.result_type(A, B, np.float32)
    if m == 0 or k == 0 or n == 0:
        return np.zeros((m, n), dtype=dtype)
    A = np.ascontiguousarray(A, dtype=dtype)
    B = np.ascontiguousarray(B, dtype=dtype)
    if m * k * n >= 128**3:
        return _matmul_fast_kernel(A, B, _K_SLICE)
    threads = numba.get_num_threads()  # too little work to pay for waking the other threads
    numba.set_num_threads(1)
    try:
        return _matmul_fast_kernel(A, B, _K_SLICE)
    finally:
        numba.set_num_threads(threads)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Correctness and the shape error as before, on shapes chosen to leave
# partial blocks everywhere (1 x 1, 5 x 3 @ 3 x 7, 33 x 65 @ 65 x 31, an inner dimension of 1100
# that does not fill its last slice), strided views and zero-size dimensions (float32 zeros). No
# library matrix product in the wrapper or in any kernel it calls; `_matmul_fast_kernel(A, B,
# k_slice)` is also called directly on C-contiguous float32 and float64 operands and must return
# their product, so keep that signature, and keep it a Numba kernel (`@njit`). Register blocking
# is graded by a count, not a clock: your kernel (and any Numba kernel it calls) runs once more as
# plain Python (`_matmul_fast_kernel.py_func`) on 48 x 64 @ 64 x 48 float32 operands, with arrays
# that count every element loaded or stored, its own buffers, copies and views included (`.flat`,
# reshapes, stride tricks), while local scalar variables count nothing (they are the registers);
# raw pointers and buffers (`.ctypes`, `.data`) fail the cell. It must return the product, load
# at least every element of A and B and store every element of C, with at most 1.5 loads and
# stores per multiply-add (48 * 64 * 48 of them). The plain i, p, j loop does 3 (load
# and store `C[i, j]`, load `B[p, j]`), one dot product per element of C does 2, the recipe's
# 4 x 4 block with packing about 0.6 and a 4 x 2 block about 0.9; partial sums kept in a small
# array instead of local variables count as memory. Speed: on one thread (Numba and BLAS pinned
# for both), on 512 x 512 float32, after a check that it returns the right product, `matmul_fast`
# must take at most 1/1.2 of the CPU time of *your own* `matmul_numba` (ratio of medians of seven
# alternating runs in one cell, best of up to three such attempts; CPU time, so another program
# holding the core does not count, though one that competes for the caches still slows it).
# On a shared 2-vCPU Xeon with AVX-512 and a busy loop competing for a core, 30 rounds of these
# cells measured 2.5 to 3.2 times for this notebook's reference kernel, and 0.9 to 2.1 times
# (about 1.5 in most rounds) for the plain i, p, j loop under this name, though it is the same
# loop as `matmul_numba`. A clock cannot tell that loop from a blocked kernel on a busy machine;
# the count (3.02 against 0.61 per multiply-add) grades the technique instead, so the speed cell
# first repeats the count on other operands: a speedup without register blocking earns nothing.
# How close you get to BLAS is shown after the tests, not graded.

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_fast_correct", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""matmul_fast matches A @ B for shapes that leave partial blocks, in float32 and float64."""
rng = np.random.default_rng(316)
with quiet():
    for m, k, n in [(1, 1, 1), (5, 3, 7), (1, 9, 1), (6, 1, 3), (33, 65, 31), (64, 64, 64), (17, 1100, 9)]:
        for dtype in (np.float32, np.float64):
            A, B = random_operands(rng, m, k, n, dtype)
            assert_matmul_close(without_blas(matmul_fast, A, B), A, B,
                                f"matmul_fast, ({m}, {k}) @ ({k}, {n}) {dtype.__name__}")
    A, B = random_operands(rng, 30, 20, 40, np.float32)
    assert_matmul_close(without_blas(matmul_fast, A[::3], B[:, 1::2]), A[::3], B[:, 1::2], "matmul_fast on strided views")
    for m, k, n in [(0, 3, 4), (3, 0, 4), (3, 4, 0)]:
        C = without_blas(matmul_fast, np.ones((m, k), np.float32), np.ones((k, n), np.float32))
        assert C.shape == (m, n) and C.dtype == np.float32 and not C.any(), (
            f"({m}, {k}) @ ({k}, {n}): expected float32 zeros of shape {(m, n)}, got {C!r}"
        )
check_kernel_direct(_matmul_fast_kernel, "_matmul_fast_kernel", returns=True, k_slice=_K_SLICE)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3160)
with quiet():
    for _ in range(5):
        m, k, n = (int(v) for v in rng.integers(1, 300, size=3))
        A, B = random_operands(rng, m, k, n, np.float32)
        assert_matmul_close(without_blas(matmul_fast, A, B), A, B, f"matmul_fast, ({m}, {k}) @ ({k}, {n})")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_fast_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_fast rejects mismatched inner dimensions, naming both shapes."""
assert_shape_error(matmul_fast, "matmul_fast")

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_fast_registers", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""_matmul_fast_kernel keeps partial sums in registers: at most 1.5 loads and stores per multiply-add."""
from utils.memcount import count_memory_ops as _count_memory_ops
from utils.testing import quiet as _quiet

from numba.core.dispatcher import Dispatcher as _Dispatcher

assert isinstance(_matmul_fast_kernel, _Dispatcher), (
    f"_matmul_fast_kernel must be a Numba kernel (@njit), not a {type(_matmul_fast_kernel).__name__}"
)
A, B = random_operands(np.random.default_rng(318), 48, 64, 48, np.float32)
try:
    with _quiet():
        C, ops = _count_memory_ops(_matmul_fast_kernel, A, B, _K_SLICE)
except Exception as exc:  # noqa: BLE001 - reported as one line
    raise AssertionError(
        f"_matmul_fast_kernel, run as plain Python to count its memory operations, raised "
        f"{type(exc).__name__}: {exc}"
    ) from None
assert_matmul_close(C, A, B, "_matmul_fast_kernel run as plain Python (its .py_func)")
assert ops.loads >= A.size + B.size and ops.stores >= C.size, (
    f"_matmul_fast_kernel counted {ops.loads} loads and {ops.stores} stores, fewer than reading A and B "
    f"({A.size + B.size}) and writing C ({C.size}) once: read and write arrays by indexing them"
)
per_fma = ops.total / (48 * 64 * 48)
assert per_fma <= 1.5, (
    f"_matmul_fast_kernel did {ops.loads} loads and {ops.stores} stores of array elements for "
    f"{48 * 64 * 48} multiply-adds: {per_fma:.2f} per multiply-add, expected at most 1.5 "
    "(the i, p, j loop does 3, a dot product per element 2). Keep a block of partial sums of C "
    "in local variables and reuse every value you load for several of them."
)

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_fast_speed", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""matmul_fast is at least 1.2 times faster than your matmul_numba (one thread, n = 512, float32),
with the register-blocked kernel of the cell above: a speedup from anything else earns nothing."""
from utils.memcount import count_memory_ops as _count_memory_ops
from utils.testing import quiet as _quiet

from numba.core.dispatcher import Dispatcher as _Dispatcher

assert isinstance(_matmul_fast_kernel, _Dispatcher), (
    f"_matmul_fast_kernel must be a Numba kernel (@njit), not a {type(_matmul_fast_kernel).__name__}"
)
A, B = random_operands(np.random.default_rng(319), 48, 64, 48, np.float32)
try:
    with _quiet():
        C, ops = _count_memory_ops(_matmul_fast_kernel, A, B, _K_SLICE)
except Exception as exc:  # noqa: BLE001 - reported as one line
    raise AssertionError(f"_matmul_fast_kernel could not be counted ({type(exc).__name__}: {exc})") from None
assert_matmul_close(C, A, B, "_matmul_fast_kernel run as plain Python (its .py_func)")
assert ops.loads >= A.size + B.size and ops.stores >= C.size, (
    f"_matmul_fast_kernel counted {ops.loads} loads and {ops.stores} stores, fewer than reading A and B "
    f"({A.size + B.size}) and writing C ({C.size}) once: read and write arrays by indexing them"
)
assert ops.total <= 1.5 * 48 * 64 * 48, (
    "the speed point needs the register-blocked kernel the cell above checks; "
    f"_matmul_fast_kernel did {ops.total / (48 * 64 * 48):.2f} loads and stores per multiply-add"
)
A, B = random_operands(np.random.default_rng(317), 512, 512, 512, np.float32)
gains = []
for attempt in range(3):  # noise only slows a kernel down, so the best of three attempts counts
    gains.append(graded_speedup(matmul_fast, matmul_numba, A, B, threads=1, repeats=7))
    if gains[-1] >= 1.2:
        break
gain = max(gains)
assert gain >= 1.2, (
    f"matmul_fast is only {gain:.2f}x as fast as your matmul_numba on one thread; expected at least "
    "1.2x. Register blocks (several rows and columns of C per pass) over packed, contiguous "
    "operands, with the loop over p vectorized, give that."
)

# %% [markdown]
# ### Every CPU version against size
#
# GFLOP/s of each version (the median of a few runs, float32, Numba and BLAS pinned to the same
# number of threads, all the cores), with BLAS as the
# line to reach. The Python loop only runs at small sizes: at n = 1024 it would take hours. On a
# machine shared with other programs, a multi-threaded point can fall far below its neighbours
# when another program holds a core during the run; run the cell again to tell noise from a trend.

# %%
def _seconds(func, n, repeats=3):
    A, B = random_operands(np.random.default_rng(n), n, n, n, np.float32)
    _, us = time_kernel(func, A, B, repeats=repeats)
    return us / 1e6


sizes = [64, 128, 256, 512, 1024]
kernels = {
    "matmul_naive": matmul_naive,
    "matmul_blocked": matmul_blocked,
    "matmul_numba": matmul_numba,
    "matmul_numba_parallel": matmul_numba_parallel,
    "matmul_fast": matmul_fast,
    "BLAS (matmul_vectorized)": matmul_vectorized,
}
times_s = {}  # kernel name: {n: median seconds per call}; section 9 places these on the roofline
with pinned_threads(cores):  # every version, BLAS included, on the same number of threads
    times_s["matmul_naive"] = {n: _seconds(matmul_naive, n, repeats=1) for n in (32, 64)}
    for name, func in kernels.items():
        if name != "matmul_naive":
            times_s[name] = {n: _seconds(func, n, repeats=2 if n == 1024 else 3) for n in sizes}
gflops = {name: {n: 2 * n**3 / s / 1e9 for n, s in by_n.items()} for name, by_n in times_s.items()}

fig, ax = new_figure(width_in=6.5, height_in=4.0)
for name, by_n in gflops.items():
    style = {"color": "black", "linewidth": 2.5} if name.startswith("BLAS") else {"marker": "o"}
    ax.plot(list(by_n), list(by_n.values()), label=name, **style)
ax.set(xscale="log", yscale="log", xlabel="n (square float32 matrices)", ylabel="GFLOP/s",
       title="Matrix multiplication on this machine")
ax.set_xticks([32, *sizes], [str(n) for n in (32, *sizes)])
ax.legend(fontsize=8)
_fraction = gflops["matmul_fast"][1024] / gflops["BLAS (matmul_vectorized)"][1024]
print(f"n = 1024: matmul_fast {gflops['matmul_fast'][1024]:.0f} GFLOP/s, "
      f"BLAS {gflops['BLAS (matmul_vectorized)'][1024]:.0f} GFLOP/s: {_fraction:.2f} of BLAS")
fig

# %% [markdown]
# ## 9. Element-wise kernels are memory-bound
#
# Not every kernel is a matmul. A ReLU, an addition or a squared difference does one or two
# operations per element and moves 8 to 12 bytes per element: an intensity around 0.1 FLOP/byte,
# far left of the ridge point. No amount of compiling helps such a kernel beyond the bandwidth
# line; what helps is moving fewer bytes (fusing several element-wise steps into one pass, using
# smaller dtypes). NumPy's element-wise functions (*ufuncs*) already run at close to that limit
# on large arrays, so write them as whole-array expressions, never Python loops.
#
# **Exercise 9a.** `vectorized_relu(x)`: `max(x, 0)` element-wise, as a new array of the same
# shape and dtype; `x` itself must not change.

# %% nbgrader={"grade": false, "grade_id": "kernels_vectorized_relu", "locked": false, "schema_version": 3, "solution": true}
def vectorized_relu(x: np.ndarray) -> np.ndarray:
    """ReLU of every element, as a new array with the shape and dtype of ``x``."""
    # about 1 line
    ### BEGIN SOLUTION
    return np.maximum(x, 0)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Values against `np.maximum(x, 0)` for 1-D to 3-D float and integer
# arrays, an empty array and a non-contiguous view, the dtype and shape kept, and the input left
# unchanged.

# %% nbgrader={"grade": true, "grade_id": "kernels_vectorized_relu_values", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""vectorized_relu returns a new array of max(x, 0), with the input's shape and dtype."""
rng = np.random.default_rng(320)
for shape, dtype in [((7,), np.float64), ((3, 4), np.float32), ((2, 3, 4), np.float64), ((10,), np.int32),
                     ((0,), np.float32)]:
    x = (rng.standard_normal(shape) * 10).astype(dtype)
    before = x.copy()
    got = vectorized_relu(x)
    assert isinstance(got, np.ndarray) and got.shape == x.shape and got.dtype == x.dtype, (
        f"expected an array of shape {x.shape} and dtype {x.dtype}, got {type(got).__name__} "
        f"{getattr(got, 'shape', None)} {getattr(got, 'dtype', None)}"
    )
    assert np.array_equal(got, np.maximum(x, 0)), f"ReLU values wrong for shape {shape}, {dtype.__name__}"
    assert np.array_equal(x, before), "vectorized_relu changed its input; return a new array"
x = rng.standard_normal((8, 6))[::2, ::3]
assert np.array_equal(vectorized_relu(x), np.maximum(x, 0)), "vectorized_relu of a non-contiguous (4, 2) view"

# %% [markdown]
# **Exercise 9b.** `vectorized_operations(x, y)` returns a dict of six results for two arrays of
# the same shape: `element_wise_add` (x + y), `element_wise_multiply` (x * y),
# `squared_difference` ((x - y) squared, element-wise, an array), `euclidean_distance` (the square
# root of the sum of squared differences, a float), `dot_product` (the sum of x * y over all
# elements, a float) and `cosine_similarity` (the dot product over the product of the two norms, a
# float; 0.0 when either array is all zeros). Raise `ValueError` naming both shapes when the
# shapes differ: no broadcasting.

# %% nbgrader={"grade": false, "grade_id": "kernels_vectorized_operations", "locked": false, "schema_version": 3, "solution": true}
def vectorized_operations(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Six element-wise and reduction results for two arrays of the same shape.

    Returns:
        ``element_wise_add``, ``element_wise_multiply``, ``squared_difference`` (arrays) and
        ``euclidean_distance``, ``dot_product``, ``cosine_similarity`` (floats).

    Raises:
        ValueError: the shapes differ (the message names both).
    """
    # about 12 lines
    ### BEGIN SOLUTION
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape:
        raise ValueError(f"shapes {x.shape} and {y.shape} differ; expected equal shapes")
    diff = x - y
    squared = diff * diff
    dot = float(np.sum(x * y, dtype=np.float64))
    norms = float(np.linalg.norm(x.ravel())) * float(np.linalg.norm(y.ravel()))
    return {
        "element_wise_add": x + y,
        "element_wise_multiply": x * y,
        "squared_difference": squared,
        "euclidean_distance": float(np.sqrt(np.sum(squared, dtype=np.float64))),
        "dot_product": dot,
        "cosine_similarity": dot / norms if norms > 0 else 0.0,
    }
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Every key against NumPy on vectors, matrices and a hand-worked example
# (x = [1, 2, 3], y = [4, 5, 6]: distance sqrt(27), dot 32); cosine 1 for parallel vectors, -1 for
# opposite ones, 0 for orthogonal ones and for an all-zero vector; `ValueError` for (3,) and (4,)
# and for (2, 3) and (3, 2).

# %% nbgrader={"grade": true, "grade_id": "kernels_vectorized_operations_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""vectorized_operations returns the six results, matching NumPy."""
keys = {"element_wise_add", "element_wise_multiply", "squared_difference", "euclidean_distance",
        "dot_product", "cosine_similarity"}
out = vectorized_operations(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]))
assert isinstance(out, dict) and set(out) == keys, f"expected the keys {sorted(keys)}, got {sorted(out) if isinstance(out, dict) else out!r}"
np.testing.assert_allclose(out["element_wise_add"], [5, 7, 9], err_msg="element_wise_add")
np.testing.assert_allclose(out["element_wise_multiply"], [4, 10, 18], err_msg="element_wise_multiply")
np.testing.assert_allclose(out["squared_difference"], [9, 9, 9], err_msg="squared_difference (element-wise)")
np.testing.assert_allclose(out["euclidean_distance"], np.sqrt(27), rtol=1e-12, err_msg="euclidean_distance")
np.testing.assert_allclose(out["dot_product"], 32.0, rtol=1e-12, err_msg="dot_product")
np.testing.assert_allclose(out["cosine_similarity"], 32 / np.sqrt(14 * 77), rtol=1e-12, err_msg="cosine_similarity")
for y, expected in [(np.array([2.0, 4.0]), 1.0), (np.array([-1.0, -2.0]), -1.0), (np.array([-2.0, 1.0]), 0.0),
                    (np.zeros(2), 0.0)]:
    got = vectorized_operations(np.array([1.0, 2.0]), y)["cosine_similarity"]
    assert abs(got - expected) < 1e-12, f"cosine_similarity([1, 2], {y.tolist()}): expected {expected}, got {got!r}"
rng = np.random.default_rng(321)
x, y = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
out = vectorized_operations(x, y)
np.testing.assert_allclose(out["squared_difference"], (x - y) ** 2, rtol=1e-12, err_msg="squared_difference, 4 x 5")
np.testing.assert_allclose(out["euclidean_distance"], np.linalg.norm(x - y), rtol=1e-12, err_msg="euclidean_distance, 4 x 5")
np.testing.assert_allclose(out["dot_product"], np.sum(x * y), rtol=1e-12, err_msg="dot_product, 4 x 5")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3210)
for n in (1, 17, 1000):
    x, y = rng.standard_normal(n), rng.standard_normal(n)
    out = vectorized_operations(x, y)
    np.testing.assert_allclose(out["element_wise_add"], x + y, rtol=1e-12)
    np.testing.assert_allclose(out["element_wise_multiply"], x * y, rtol=1e-12)
    np.testing.assert_allclose(out["euclidean_distance"], np.linalg.norm(x - y), rtol=1e-10)
    np.testing.assert_allclose(out["dot_product"], x @ y, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out["cosine_similarity"], x @ y / np.linalg.norm(x) / np.linalg.norm(y), rtol=1e-10, atol=1e-12)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_vectorized_operations_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""vectorized_operations refuses arrays of different shapes instead of broadcasting."""
for a, b in [(np.ones(3), np.ones(4)), (np.ones((2, 3)), np.ones((3, 2))), (np.ones((3, 1)), np.ones(3))]:
    exc = assert_raises(ValueError, vectorized_operations, a, b)
    assert str(a.shape) in str(exc) and str(b.shape) in str(exc), (
        f"the ValueError should name both shapes {a.shape} and {b.shape}; got {str(exc)!r}"
    )

# %% [markdown]
# ### Your kernels on the roofline
#
# Section 2 gave the counts; the timing cell after exercise 8 kept the seconds each of your
# kernels took at each size (`times_s[name][n]`). Together they place every kernel on the roofline:
# the minimum-traffic counts give its intensity, its time gives the GFLOP/s it reached, and the
# roof at that intensity says which limit it runs into, the bandwidth slope left of the ridge
# point (*memory-bound*) or the flat peak right of it (*compute-bound*). At one shape all the
# matmul versions share one intensity; what separates them is how far below the roof they stay.
#
# **Exercise 9c.** Write `roofline_points(measurements, peak_gflops, bandwidth_gbs, itemsize=4)`.
# Each measurement `(kernel, (m, k, n), seconds)` says that one (m, k) @ (k, n) product by that
# kernel took that many seconds. Return one dict per measurement, in the same order, with the keys
#
# - `kernel` and `shape`, as given;
# - `flops`: 2mkn (a multiply and an add for every (i, p, j));
# - `bytes`: (mk + kn + mn) x `itemsize` (A and B read once, C written once);
# - `intensity`: `flops / bytes`, in FLOP/byte;
# - `gflops`: the rate reached, `flops / seconds / 1e9`;
# - `roof_gflops`: the roof at that intensity, `min(peak_gflops, intensity x bandwidth_gbs)`;
# - `bound`: `"memory"` where `intensity x bandwidth_gbs < peak_gflops` (left of the ridge
#   point), else `"compute"`.
#
# Raise `ValueError` for a dimension below 1 and for an `itemsize`, time, peak or bandwidth that
# is not positive.

# %% nbgrader={"grade": false, "grade_id": "kernels_roofline_points", "locked": false, "schema_version": 3, "solution": true}
def roofline_points(
    measurements: Sequence[tuple[str, tuple[int, int, int], float]],
    peak_gflops: float,
    bandwidth_gbs: float,
    itemsize: int = 4,
) -> list[dict[str, Any]]:
    """Place timed matrix products on a machine's roofline.

    Args:
        measurements: ``(kernel, (m, k, n), seconds)`` for each timed (m, k) @ (k, n) product.
        peak_gflops: the compute ceiling in GFLOP/s.
        bandwidth_gbs: the memory bandwidth in GB/s.
        itemsize: bytes per element (4 for float32).

    Returns:
        One dict per measurement, in order, with the keys ``kernel``, ``shape``, ``flops``,
        ``bytes``, ``intensity`` (FLOP/byte), ``gflops`` (reached), ``roof_gflops`` (the roofline
        at that intensity) and ``bound`` (``"memory"`` or ``"compute"``).

    Raises:
        ValueError: a dimension is below 1, or ``itemsize``, a time, the peak or the bandwidth is
            not positive.
    """
    # about 18 lines
    ### BEGIN SOLUTION
    if itemsize <= 0 or peak_gflops <= 0 or bandwidth_gbs <= 0:
        raise ValueError(f"itemsize, peak and bandwidth must be positive, got {itemsize}, "
                         f"{peak_gflops}, {bandwidth_gbs}")
    points = []
    for kernel, (m, k, n), seconds in measurements:
        if min(m, k, n) < 1:
            raise ValueError(f"{kernel}: dimensions must be >= 1, got m={m}, k={k}, n={n}")
        if seconds <= 0:
            raise ValueError(f"{kernel}: the time must be positive, got {seconds} s")
        flops = 2 * int(m) * int(k) * int(n)
        nbytes = (int(m) * int(k) + int(k) * int(n) + int(m) * int(n)) * int(itemsize)
        intensity = flops / nbytes
        points.append({
            "kernel": kernel, "shape": (m, k, n), "flops": flops, "bytes": nbytes,
            "intensity": intensity, "gflops": flops / seconds / 1e9,
            "roof_gflops": min(float(peak_gflops), intensity * bandwidth_gbs),
            "bound": "memory" if intensity * bandwidth_gbs < peak_gflops else "compute",
        })
    return points
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The counts on worked values (48 FLOPs and 104 bytes for a (2, 3) @
# (3, 4) float32 product, the intensity n/6 of a square float32 product, float64 with an
# itemsize of 8); then, for fixed times on a made-up machine of 200 GFLOP/s and 20 GB/s (ridge
# point 10 FLOP/byte), the GFLOP/s reached, the roof and the bound of small and large square
# products and of a thin (1000, 1) @ (1, 1000) one; the order and keys of the rows; the
# `ValueError`s. Hidden tests draw random shapes, times and machines. Nothing is timed.

# %% nbgrader={"grade": true, "grade_id": "kernels_roofline_points_counts", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""roofline_points counts 2mkn FLOPs and (mk + kn + mn) x itemsize bytes, and divides them."""
ROOFLINE_KEYS = {"kernel", "shape", "flops", "bytes", "intensity", "gflops", "roof_gflops", "bound"}


def roofline_row(kernel, shape, seconds, peak=200.0, bandwidth=20.0, itemsize=4):
    rows = roofline_points([(kernel, shape, seconds)], peak, bandwidth, itemsize)
    assert isinstance(rows, list) and len(rows) == 1, f"one measurement should give a list of one dict, got {rows!r}"
    row = rows[0]
    assert isinstance(row, dict) and set(row) == ROOFLINE_KEYS, (
        f"expected a dict with the keys {sorted(ROOFLINE_KEYS)}, got {sorted(row) if isinstance(row, dict) else row!r}"
    )
    return row


row = roofline_row("toy", (2, 3, 4), 1e-6)
assert row["kernel"] == "toy" and tuple(row["shape"]) == (2, 3, 4), f"kernel and shape should be passed through, got {row!r}"
assert row["flops"] == 48, f"(2, 3) @ (3, 4): expected 2 x 2 x 3 x 4 = 48 FLOPs, got {row['flops']!r}"
assert row["bytes"] == (6 + 12 + 8) * 4, f"(2, 3) @ (3, 4) in float32: expected (6 + 12 + 8) x 4 = 104 bytes, got {row['bytes']!r}"
assert abs(row["intensity"] - 48 / 104) < 1e-12, f"48 FLOPs over 104 bytes: expected {48 / 104}, got {row['intensity']!r}"
row = roofline_row("square", (600, 600, 600), 0.01)
assert abs(row["intensity"] - 100.0) < 1e-9, f"square float32, n = 600: expected n / 6 = 100 FLOP/byte, got {row['intensity']!r}"
row = roofline_row("double", (1024, 1024, 1024), 0.1, itemsize=8)
assert row["bytes"] == 3 * 1024**2 * 8, f"1024^3 in float64: expected {3 * 1024**2 * 8} bytes, got {row['bytes']!r}"
assert row["flops"] == 2 * 1024**3, f"1024^3: expected {2 * 1024**3} FLOPs, got {row['flops']!r}"
rows = roofline_points([("a", (5, 6, 7), 1.0), ("b", (7, 6, 5), 2.0), ("a", (1, 1, 1), 3.0)], 200.0, 20.0)
assert [(r["kernel"], tuple(r["shape"])) for r in rows] == [("a", (5, 6, 7)), ("b", (7, 6, 5)), ("a", (1, 1, 1))], (
    f"one row per measurement, in the order given; got {[(r['kernel'], r['shape']) for r in rows]}"
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3050)
for _ in range(6):
    m, k, n = (int(v) for v in rng.integers(1, 5000, size=3))
    itemsize = int(rng.choice([1, 2, 4, 8]))
    row = roofline_row("r", (m, k, n), float(rng.uniform(1e-4, 1.0)), itemsize=itemsize)
    nbytes = (m * k + k * n + m * n) * itemsize
    assert row["flops"] == 2 * m * k * n and row["bytes"] == nbytes, (
        f"({m}, {k}) @ ({k}, {n}), itemsize {itemsize}: expected {2 * m * k * n} FLOPs and {nbytes} bytes, "
        f"got {row['flops']!r} and {row['bytes']!r}"
    )
    assert abs(row["intensity"] - 2 * m * k * n / nbytes) <= 1e-9 * row["intensity"], (m, k, n, itemsize, row)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_roofline_points_bound", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""roofline_points: the GFLOP/s reached, the roof at each intensity, and which roof bounds each kernel."""
# A made-up machine: 200 GFLOP/s and 20 GB/s, so the ridge point is at 10 FLOP/byte.
# Square float32 products have intensity n / 6: 2 at n = 12, 100 at n = 600.
cases = [  # kernel, shape, seconds, expected GFLOP/s reached, roof, bound
    ("small", (12, 12, 12), 2 * 12**3 / 0.5e9, 0.5, 40.0, "memory"),
    ("large", (600, 600, 600), 2 * 600**3 / 150e9, 150.0, 200.0, "compute"),
    ("thin", (1000, 1, 1000), 2e6 / 2e9, 2.0, 2e6 / 4.008e6 * 20.0, "memory"),
    ("just past the ridge", (66, 66, 66), 2 * 66**3 / 90e9, 90.0, 200.0, "compute"),
]
rows = roofline_points([(name, shape, s) for name, shape, s, *_ in cases], 200.0, 20.0)
assert isinstance(rows, list) and len(rows) == len(cases), f"expected {len(cases)} rows, got {rows!r}"
for (name, shape, _, reached, roof, bound), row in zip(cases, rows):
    assert abs(row["gflops"] - reached) <= 1e-9 * reached, (
        f"{name} {shape}: expected {reached} GFLOP/s reached (flops / seconds / 1e9), got {row['gflops']!r}"
    )
    assert abs(row["roof_gflops"] - roof) <= 1e-9 * roof, (
        f"{name} {shape}: intensity {row['intensity']:.3g} on a 200 GFLOP/s, 20 GB/s machine: expected the roof "
        f"min(200, intensity x 20) = {roof:.4g}, got {row['roof_gflops']!r}"
    )
    assert row["bound"] == bound, (
        f"{name} {shape}: intensity {row['intensity']:.3g} FLOP/byte, ridge point 10: expected {bound!r}, got {row['bound']!r}"
    )
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3051)
for _ in range(8):
    m, k, n = (int(v) for v in rng.integers(1, 3000, size=3))
    peak, bandwidth = float(rng.uniform(10, 5000)), float(rng.uniform(5, 500))
    duration_s = float(rng.uniform(1e-5, 1.0))
    flops, nbytes = 2 * m * k * n, (m * k + k * n + m * n) * 4
    intensity = flops / nbytes
    if abs(intensity * bandwidth / peak - 1) < 1e-6:
        continue  # too close to the ridge point to call
    row = roofline_points([("r", (m, k, n), duration_s)], peak, bandwidth)[0]
    want = ("memory" if intensity * bandwidth < peak else "compute", min(peak, intensity * bandwidth), flops / duration_s / 1e9)
    assert row["bound"] == want[0] and abs(row["roof_gflops"] - want[1]) <= 1e-9 * want[1] and (
        abs(row["gflops"] - want[2]) <= 1e-9 * want[2]
    ), f"({m}, {k}) @ ({k}, {n}) in {duration_s:.3g} s, peak {peak:.4g}, bandwidth {bandwidth:.4g}: expected {want}, got {row}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_roofline_points_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""roofline_points refuses empty or negative dimensions and non-positive sizes, times and ceilings."""
for bad_shape in ((0, 3, 4), (3, -1, 4), (3, 4, 0)):
    assert_raises(ValueError, roofline_points, [("k", bad_shape, 1.0)], 200.0, 20.0)
assert_raises(ValueError, roofline_points, [("k", (2, 3, 4), 0.0)], 200.0, 20.0)
assert_raises(ValueError, roofline_points, [("k", (2, 3, 4), 1.0)], 0.0, 20.0)
assert_raises(ValueError, roofline_points, [("k", (2, 3, 4), 1.0)], 200.0, -5.0)
exc = assert_raises(ValueError, roofline_points, [("k", (2, 3, 4), 1.0)], 200.0, 20.0, itemsize=0)

# %% [markdown]
# Your kernels on this machine's roof, from the times measured after exercise 8 and the ceilings
# of section 2 (both on all threads). Each line is one kernel, its points the sizes n; the two
# element-wise kernels of this section sit far to the left, at 1/8 and 1/12 FLOP/byte.

# %%
my_points = roofline_points([(name, (n, n, n), s) for name, by_n in times_s.items() for n, s in by_n.items()],
                            peak_gflops, bandwidth_gbs)
_x, _y = np.random.default_rng(6).standard_normal((2, 8 * 2**20)).astype(np.float32)
_, _relu_us = time_kernel(vectorized_relu, _x, repeats=5)
_, _add_us = time_kernel(np.add, _x, _y, repeats=5)  # two arrays read, one written: 12 bytes per add
_elementwise = {"vectorized_relu": (1 / 8, _x.size / (_relu_us * 1e3)), "x + y": (1 / 12, _x.size / (_add_us * 1e3))}

fig, ax = new_figure(width_in=6.5, height_in=4.2)
_grid = np.logspace(-2, 3, 200)
ax.plot(_grid, np.minimum(peak_gflops, _grid * bandwidth_gbs), color="black",
        label=f"roof: {peak_gflops:.0f} GFLOP/s, {bandwidth_gbs:.0f} GB/s")
for _name in times_s:
    _mine = [p for p in my_points if p["kernel"] == _name]
    ax.plot([p["intensity"] for p in _mine], [p["gflops"] for p in _mine], marker="o", label=_name)
for _name, (_i, _g) in _elementwise.items():
    ax.plot([_i], [_g], marker="s", linestyle="none", label=_name)
for _n in (32, *sizes):  # a square float32 product of side n sits at intensity n / 6
    ax.annotate(f"n = {_n}", xy=(_n / 6, 0), xycoords=("data", "axes fraction"), xytext=(2, 4),
                textcoords="offset points", rotation=90, fontsize=7, color="gray")
ax.set(xscale="log", yscale="log", xlabel="arithmetic intensity (FLOP/byte)", ylabel="GFLOP/s",
       title=f"Roofline: float32 BLAS peak and triad bandwidth, {cores} threads, best of 5")
ax.legend(fontsize=7, loc="upper left")  # above the roof nothing can sit
_memory_bound = ", ".join(str(n) for n in sorted({p["shape"][0] for p in my_points if p["bound"] == "memory"}))
_at_1024 = ", ".join(f"{p['kernel']} {p['gflops'] / p['roof_gflops']:.2f}" for p in my_points if p["shape"][0] == 1024)
print(f"ridge point {peak_gflops / bandwidth_gbs:.0f} FLOP/byte; memory-bound by the minimum-traffic count: "
      f"n = {_memory_bound or 'none'}. Share of the roof at n = 1024: {_at_1024}")
_relu_share = _elementwise["vectorized_relu"][1] / min(peak_gflops, bandwidth_gbs / 8)
print(f"vectorized_relu (NumPy, one thread) reaches {_relu_share:.0%} of the roof at its intensity, "
      f"a roof set by the bandwidth of all {cores} threads")
fig

# %% [markdown]
# **Reflection 1 (2 points).** Look at the roofline and the GFLOP/s plot. (a) `matmul_numba` and
# BLAS have the same minimum-traffic intensity at n = 1024, far right of the ridge point, yet
# `matmul_numba` runs many times slower. Give two reasons, in terms of bytes really moved and
# instructions per FLOP. (b) Your `matmul_fast` reached some fraction of BLAS: name one further
# change that would close part of the remaining gap, and what it saves. (c) Why does compiling
# `vectorized_relu` with Numba, or running it on more threads, barely help on large arrays?
# Three to six sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "kernels_reflection_1", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# ### BEGIN SOLUTION
# (a) The intensity n/6 assumes each operand crosses the memory bus once. `matmul_numba` streams
# all of B (4 MiB at n = 1024, more than a core's L2 on most CPUs) once per row of A: n x n^2
# element reads of B where the minimum is 3n^2 for all three matrices, so about n/3 times the
# minimum traffic from L3 or memory; and each multiply-add costs a load of B, a load and
# a store of C, so it is limited by load/store bandwidth of the L1 cache rather than the FMA units.
# BLAS keeps a block of C in registers and tiles of A and B in L1/L2, so each loaded value feeds
# many multiply-adds. (b) Larger register blocks (for instance 6 x 16 with the vectors along the
# rows of C, as BLAS micro-kernels do) raise the multiply-adds per load and avoid the horizontal
# sums at the end of each dot product; packing B once per thread into panels that match the L2
# size and prefetching would cut cache misses further. (c) A ReLU does one operation per 8 bytes,
# so its roof is bandwidth / 8 whatever the code: NumPy's ufunc is already vectorized, so
# compiling it changes nothing, and the cores mostly wait on memory. More threads help only up to
# the all-core bandwidth line of the chart: the single-thread ufunc already reaches the share of
# that line printed under the chart, and no thread count can go past the line.
# ### END SOLUTION

# %% [markdown]
# ## 10. Data parallelism with a thread pool
#
# Many jobs split into independent pieces: the chunks of a long array, the examples of a batch.
# `concurrent.futures.ThreadPoolExecutor(max_workers=w)` runs functions on `w` threads; its `map`
# returns results in the order of the inputs, whichever thread finished first. Because NumPy
# releases the GIL inside its loops, NumPy work on separate chunks runs truly in parallel.
#
# Splitting n items into w chunks: chunk sizes must add up to n even when w does not divide n
# (10 items on 4 workers: 3, 3, 2, 2, not 2, 2, 2, 2) and when w is larger than n (some chunks are
# empty). `np.array_split` or the edges `np.linspace(0, n, w + 1).astype(int)` get it right.
#
# **Exercise 10a.** `parallel_relu(x, num_workers=4)`: the ReLU of `x` (any shape) computed in
# `num_workers` chunks on a thread pool, each thread writing its own part of one output array.
# Raise `ValueError` for `num_workers` below 1.

# %% nbgrader={"grade": false, "grade_id": "kernels_parallel_relu", "locked": false, "schema_version": 3, "solution": true}
def parallel_relu(x: np.ndarray, num_workers: int = 4) -> np.ndarray:
    """ReLU of ``x`` computed chunk by chunk on ``num_workers`` threads; equals the sequential one.

    Raises:
        ValueError: ``num_workers`` < 1.
    """
    # about 12 lines
    ### BEGIN SOLUTION
    if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) or num_workers < 1:
        raise ValueError(f"num_workers must be an integer >= 1, got {num_workers!r}")
    x = np.asarray(x)
    out = np.empty(x.shape, dtype=x.dtype)
    flat_in, flat_out = x.reshape(-1), out.reshape(-1)
    edges = np.linspace(0, flat_in.size, int(num_workers) + 1).astype(int)

    def relu_chunk(c):
        lo, hi = edges[c], edges[c + 1]
        np.maximum(flat_in[lo:hi], 0, out=flat_out[lo:hi])

    with ThreadPoolExecutor(max_workers=int(num_workers)) as pool:
        list(pool.map(relu_chunk, range(int(num_workers))))
    return out
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Results equal to `np.maximum(x, 0)` (shape and dtype too) for sizes
# 0, 1, 3, 10, 1000, 2-D and non-contiguous arrays, with 1, 2, 3, 4 and 16 workers, including more
# workers than elements; the input left unchanged; `ValueError` for 0 workers. The threads are
# checked by the work they ran: while `parallel_relu` runs, the tests record which threads of a
# `ThreadPoolExecutor` run work items (each item is held 5 ms, so a pool really starts its
# workers). With 4 workers on 100 000 elements at least 2 and at most 4 pool threads must run
# chunks; a sequential ReLU runs on no pool thread and loses that cell.

# %% nbgrader={"grade": true, "grade_id": "kernels_parallel_relu_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""parallel_relu equals the sequential ReLU for any size and worker count."""
rng = np.random.default_rng(330)
for shape in [(0,), (1,), (3,), (10,), (1000,), (7, 9)]:
    for workers in (1, 2, 3, 4, 16):
        x = rng.standard_normal(shape).astype(np.float32) + 0.3
        before = x.copy()
        got = parallel_relu(x, num_workers=workers)
        assert isinstance(got, np.ndarray) and got.shape == x.shape and got.dtype == x.dtype, (
            f"shape {shape}, {workers} workers: expected an array of shape {x.shape} and dtype "
            f"{x.dtype}, got {type(got).__name__} {getattr(got, 'shape', None)} {getattr(got, 'dtype', None)}"
        )
        assert np.array_equal(got, np.maximum(x, 0)), (
            f"shape {shape}, {workers} workers: differs from np.maximum(x, 0) at "
            f"{np.flatnonzero(got.ravel() != np.maximum(x, 0).ravel())[:5].tolist()} (flat indices)"
        )
        assert np.array_equal(x, before), "parallel_relu changed its input"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3300)
for _ in range(4):
    n, workers = int(rng.integers(1, 5000)), int(rng.integers(1, 9))
    x = rng.standard_normal(n)
    assert np.array_equal(parallel_relu(x, num_workers=workers), np.maximum(x, 0)), (n, workers)
x = rng.standard_normal((40, 30))[::2, ::3]
assert np.array_equal(parallel_relu(x, num_workers=3), np.maximum(x, 0)), "a non-contiguous (20, 10) view"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_parallel_relu_threads", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""parallel_relu spreads its chunks over the threads of a pool: at least 2, at most num_workers."""
x = np.random.default_rng(332).standard_normal(100_000).astype(np.float32)
for workers in (4, 2):
    with pool_threads() as used:
        got = parallel_relu(x, num_workers=workers)
    assert isinstance(got, np.ndarray) and np.array_equal(got, np.maximum(x, 0)), (
        f"{workers} workers: the result differs from np.maximum(x, 0)"
    )
    assert 2 <= len(set(used)) <= workers, (
        f"num_workers={workers} on 100 000 elements: the chunks ran on {len(set(used))} pool threads "
        f"({len(used)} work items); expected between 2 and {workers}. Submit one chunk per worker "
        "to a ThreadPoolExecutor(max_workers=num_workers)."
    )

# %% nbgrader={"grade": true, "grade_id": "kernels_parallel_relu_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""parallel_relu refuses fewer than one worker."""
for bad in (0, -2):
    assert_raises(ValueError, parallel_relu, np.ones(4), num_workers=bad)
assert np.array_equal(parallel_relu(np.array([-1.0, 2.0]), num_workers=2), [0.0, 2.0]), "ReLU of [-1, 2]"

# %% [markdown]
# **Exercise 10b.** `parallel_batch_processing(batch, operation=None, num_workers=4)`: apply
# `operation` (default: `vectorized_relu`) to every item of `batch` (a list of arrays, or an array
# whose first axis is the batch) on a pool of `num_workers` threads. Return the results as a list,
# in the batch's order, exactly as `[operation(item) for item in batch]` would. Raise
# `ValueError` for `num_workers` below 1.

# %% nbgrader={"grade": false, "grade_id": "kernels_parallel_batch", "locked": false, "schema_version": 3, "solution": true}
def parallel_batch_processing(
    batch: Sequence[np.ndarray] | np.ndarray,
    operation: Callable[[np.ndarray], Any] | None = None,
    num_workers: int = 4,
) -> list[Any]:
    """``[operation(item) for item in batch]``, computed on a pool of ``num_workers`` threads.

    Raises:
        ValueError: ``num_workers`` < 1.
    """
    # about 6 lines
    ### BEGIN SOLUTION
    if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) or num_workers < 1:
        raise ValueError(f"num_workers must be an integer >= 1, got {num_workers!r}")
    op = vectorized_relu if operation is None else operation
    with ThreadPoolExecutor(max_workers=int(num_workers)) as pool:
        return list(pool.map(op, batch))
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Results equal to the sequential list for batches of 0, 1, 3 and 10
# items with 1 to 8 workers, for a list of arrays and for a 3-D array; the default operation is
# the ReLU; the order is kept even when later items finish first; the work really runs on more
# than one thread, and on no more than `num_workers`; `ValueError` for 0 workers.

# %% nbgrader={"grade": true, "grade_id": "kernels_parallel_batch_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""parallel_batch_processing returns the sequential results, in order, for any batch size."""
rng = np.random.default_rng(331)
for size in (0, 1, 3, 10):
    for workers in (1, 4, 8):
        batch = [rng.standard_normal(int(rng.integers(1, 6))) for _ in range(size)]
        got = parallel_batch_processing(batch, operation=np.cumsum, num_workers=workers)
        assert len(got) == size, f"{size} items, {workers} workers: expected {size} results, got {len(got)}"
        for i, item in enumerate(batch):
            assert np.array_equal(got[i], np.cumsum(item)), f"{size} items, {workers} workers: result {i} is wrong"
array_batch = rng.standard_normal((5, 3, 2))
got = parallel_batch_processing(array_batch, num_workers=2)
assert len(got) == 5 and all(np.array_equal(got[i], np.maximum(array_batch[i], 0)) for i in range(5)), (
    "a (5, 3, 2) array batch with the default operation should give the ReLU of each (3, 2) item"
)


def slow_first(item):
    time.sleep(0.05 if item[0] == 0 else 0.0)
    return item[0] * 10


got = parallel_batch_processing([np.array([i]) for i in range(6)], operation=slow_first, num_workers=3)
assert list(got) == [0, 10, 20, 30, 40, 50], f"results must follow the batch order, got {list(got)}"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3310)
for _ in range(3):
    size, workers = int(rng.integers(1, 30)), int(rng.integers(1, 7))
    batch = rng.standard_normal((size, 4))
    got = parallel_batch_processing(batch, operation=np.sort, num_workers=workers)
    assert len(got) == size and all(np.array_equal(got[i], np.sort(batch[i])) for i in range(size)), (size, workers)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_parallel_batch_threads", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""The work runs on several threads, never more than num_workers, and 0 workers is refused."""
seen = set()
lock = threading.Lock()


def note_thread(item):
    with lock:
        seen.add(threading.get_ident())
    time.sleep(0.02)
    return item


for bad in (0, -1):
    assert_raises(ValueError, parallel_batch_processing, [np.ones(2)], num_workers=bad)
parallel_batch_processing([np.zeros(1)] * 12, operation=note_thread, num_workers=3)
assert 2 <= len(seen) <= 3, f"12 items of 20 ms on 3 workers should use 2 or 3 threads, used {len(seen)}"

# %% [markdown]
# What the GIL does and does not block: the same batch processed by one thread and by all the
# cores, once with a NumPy operation (which releases the GIL) and once with a pure-Python loop
# (which holds it).

# %%
def _python_sum_of_squares(item):
    total = 0.0
    for v in item.tolist():
        total += v * v
    return total


def _numpy_exp_sum(item):
    return float(np.exp(item).sum())


_batch = list(np.random.default_rng(7).standard_normal((8, 200_000)))
_cores = max(2, numba.get_num_threads())
for _label, _op in (("NumPy np.exp", _numpy_exp_sum), ("pure Python loop", _python_sum_of_squares)):
    _, _one_us = time_kernel(parallel_batch_processing, _batch, _op, 1, repeats=3)
    _, _many_us = time_kernel(parallel_batch_processing, _batch, _op, _cores, repeats=3)
    print(f"{_label:17s}: {_cores} threads are {_one_us / _many_us:.2f}x as fast as 1")

# %% [markdown]
# ## 11. int8 quantization
#
# A float32 weight takes 4 bytes; an int8 takes 1. Storing and computing in 8-bit integers moves
# four times fewer bytes and, on hardware with int8 dot-product instructions, does several times
# more operations per cycle. The price is precision.
#
# **Symmetric quantization** with b bits maps a tensor x to integers q in [-qmax, qmax], with
# `qmax = 2**(b-1) - 1` (127 for int8, 32767 for int16), through one scale:
#
# `scale = max|x| / qmax`,  `q = round(x / scale)`,  `x ~ q * scale`.
#
# The range is symmetric on purpose: -128 is left unused, so one scale serves both signs and
# negating a value never overflows. (Zero maps to exactly 0 because symmetric quantization has no
# zero-point offset.) Rounding to the nearest integer makes every element's
# error at most `scale / 2`. An all-zero tensor has max|x| = 0; use a scale of 1.0 instead of
# dividing by zero.
#
# A quantized matmul multiplies the integer matrices and rescales once:
# `A @ B ~ (qA @ qB) * scaleA * scaleB`. Each int8 product is at most 127^2 = 16129, and a sum of
# k of them needs more than 16 bits, so the products are accumulated in **int32** (safe up to
# k of about 133 000). With 16-bit operands a single product already needs 31 bits, so int16
# operands accumulate in int64. The error of the result follows from the scales: with
# `eA <= scaleA / 2` per element of A and `eB <= scaleB / 2` per element of B,
#
# `|C_q - A @ B| <= (scaleA / 2) * (|B| summed over p) + (scaleB / 2) * (|A| summed over p) + k * scaleA * scaleB / 4`
#
# entry by entry (plus float32 rounding). That is the bound the tests use.
#
# **Exercise 11a.** `quantize_symmetric(x, bits=8)`: return `(q, scale)` with `q` an int8 array
# (bits=8) or int16 array (bits=16) of the shape of `x` and `scale` a positive float. Raise
# `ValueError` for any other bit width and for NaN or infinite values.

# %% nbgrader={"grade": false, "grade_id": "kernels_quantize_symmetric", "locked": false, "schema_version": 3, "solution": true}
def quantize_symmetric(x: np.ndarray, bits: int = 8) -> tuple[np.ndarray, float]:
    """Symmetric per-tensor quantization of ``x`` to ``bits``-bit integers.

    Returns:
        ``(q, scale)``: ``q`` in [-qmax, qmax] (int8 or int16) and ``scale`` > 0, with
        ``q * scale`` within ``scale / 2`` of ``x``.

    Raises:
        ValueError: ``bits`` is not 8 or 16, or ``x`` has NaN or infinite values.
    """
    # about 12 lines
    ### BEGIN SOLUTION
    if bits not in (8, 16) or isinstance(bits, bool):
        raise ValueError(f"bits must be 8 or 16, got {bits!r}")
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    qmax = 2 ** (bits - 1) - 1
    max_abs = float(np.max(np.abs(x))) if x.size else 0.0
    scale = max_abs / qmax if max_abs > 0 else 1.0
    q = np.clip(np.rint(x / scale), -qmax, qmax)
    return q.astype(np.int8 if bits == 8 else np.int16), scale
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** For random float32 and float64 tensors of several shapes and scales,
# with the largest magnitude on the positive side and on the negative side: the dtype, the shape,
# every `q` inside [-qmax, qmax], the rounding error at most `scale / 2`, and a scale no larger
# than `max|x| / qmax` (no range wasted). All-zero input gives zeros without a division warning.
# `ValueError` for bits of 4, 7 and 32 and for NaN or infinity.

# %% nbgrader={"grade": true, "grade_id": "kernels_quantize_symmetric_bounds", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""quantize_symmetric stays in [-qmax, qmax], uses the full range and rounds within scale / 2."""


def check_quantized(x, bits):
    q, scale = quantize_symmetric(x, bits=bits)
    qmax = 2 ** (bits - 1) - 1
    want = np.int8 if bits == 8 else np.int16
    assert isinstance(q, np.ndarray) and q.dtype == want and q.shape == x.shape, (
        f"bits={bits}: expected a {np.dtype(want).name} array of shape {x.shape}, "
        f"got {type(q).__name__} {getattr(q, 'dtype', None)} {getattr(q, 'shape', None)}"
    )
    scale = float(scale)
    assert scale > 0 and np.isfinite(scale), f"the scale must be a positive number, got {scale!r}"
    assert int(q.min()) >= -qmax and int(q.max()) <= qmax, (
        f"bits={bits}: q must stay in [-{qmax}, {qmax}] (symmetric), got [{int(q.min())}, {int(q.max())}]"
    )
    max_abs = float(np.max(np.abs(x.astype(np.float64))))
    assert scale <= max_abs / qmax * (1 + 1e-6), (
        f"bits={bits}: scale {scale!r} is larger than max|x| / qmax = {max_abs / qmax!r}: range is wasted"
    )
    err = float(np.max(np.abs(q.astype(np.float64) * scale - x.astype(np.float64))))
    # x / scale is up to qmax in size; computed in x's own precision it may be off by a few ulps
    slack = scale * qmax * 4 * float(np.finfo(x.dtype).eps)
    assert err <= scale * 0.5 + slack, (
        f"bits={bits}: an element is off by {err!r}, more than scale / 2 = {scale / 2!r}"
    )


rng = np.random.default_rng(340)
for shape, dtype, spread in [((100,), np.float32, 1.0), ((20, 30), np.float64, 1e-3), ((4, 5, 6), np.float32, 50.0)]:
    for bits in (8, 16):
        x = (rng.standard_normal(shape) * spread).astype(dtype)
        check_quantized(x, bits)
        x.flat[0] = 3 * spread  # largest magnitude positive
        check_quantized(x, bits)
        x.flat[0] = -3 * spread  # largest magnitude negative
        check_quantized(x, bits)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3400)
for _ in range(5):
    x = rng.uniform(-1, 1, size=int(rng.integers(1, 500))) * 10 ** rng.uniform(-3, 3)
    check_quantized(x, 8)
    check_quantized(x.astype(np.float32), 16)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_quantize_symmetric_edge", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""All-zero input gives zeros without dividing by zero; bad bit widths and NaN raise ValueError."""
with warnings.catch_warnings():
    warnings.simplefilter("error")
    for bits in (8, 16):
        q, scale = quantize_symmetric(np.zeros((3, 4), dtype=np.float32), bits=bits)
        assert q.shape == (3, 4) and not np.any(q), f"bits={bits}: all-zero input should give all-zero q, got {q!r}"
        assert float(scale) > 0 and np.isfinite(float(scale)), f"bits={bits}: the scale must stay positive, got {scale!r}"
for bits in (4, 7, 32):
    assert_raises(ValueError, quantize_symmetric, np.ones(3), bits=bits)
for bad in (np.array([1.0, np.nan]), np.array([-np.inf, 1.0])):
    assert_raises(ValueError, quantize_symmetric, bad)

# %% [markdown]
# **Exercise 11b.** `quantized_matmul(A, B, bits=8)`: quantize both operands with
# `quantize_symmetric`, check the shapes with `matmul_shapes`, multiply the integers with int32
# accumulation (int64 for bits=16), and return the rescaled product as **float32**.

# %% nbgrader={"grade": false, "grade_id": "kernels_quantized_matmul", "locked": false, "schema_version": 3, "solution": true}
def quantized_matmul(A: np.ndarray, B: np.ndarray, bits: int = 8) -> np.ndarray:
    """``A @ B`` computed on ``bits``-bit integers with a wide integer accumulator, as float32.

    Raises:
        ValueError: inner dimensions differ (both shapes named), or ``bits`` is not 8 or 16.
    """
    # about 6 lines
    ### BEGIN SOLUTION
    matmul_shapes(A, B)
    qa, scale_a = quantize_symmetric(A, bits)
    qb, scale_b = quantize_symmetric(B, bits)
    acc = np.int32 if bits == 8 else np.int64
    product = qa.astype(acc) @ qb.astype(acc)
    return (product * (scale_a * scale_b)).astype(np.float32)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The result is float32 of shape (m, n), within the bound above of the
# exact product, for bits 8 and 16, for shapes up to an inner dimension of 300 (where int16
# accumulation of int8 products would overflow); zero operands give zeros; `ValueError` for a bad
# bit width and for mismatched shapes.

# %% nbgrader={"grade": true, "grade_id": "kernels_quantized_matmul_bounds", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""quantized_matmul is float32 and within the error bound derived from the two scales."""


def check_quantized_matmul(A, B, bits):
    C = quantized_matmul(A, B, bits=bits)
    m, k = A.shape
    n = B.shape[1]
    assert isinstance(C, np.ndarray) and C.dtype == np.float32 and C.shape == (m, n), (
        f"expected a float32 array of shape {(m, n)}, got {type(C).__name__} "
        f"{getattr(C, 'dtype', None)} {getattr(C, 'shape', None)}"
    )
    qmax = 2 ** (bits - 1) - 1
    A64, B64 = A.astype(np.float64), B.astype(np.float64)
    sa, sb = np.abs(A64).max() / qmax, np.abs(B64).max() / qmax
    bound = (sa / 2) * np.abs(B64).sum(axis=0)[None, :] + (sb / 2) * np.abs(A64).sum(axis=1)[:, None] + k * sa * sb / 4
    exact = A64 @ B64
    bound = bound * (1 + 1e-3) + 1e-6 * (np.abs(A64) @ np.abs(B64))
    excess = np.abs(C.astype(np.float64) - exact) - bound
    assert np.all(excess <= 0), (
        f"bits={bits}, ({m}, {k}) @ ({k}, {n}): {int((excess > 0).sum())} entries are further from A @ B "
        f"than the quantization bound (worst by {float(excess.max()):.3g})"
    )


rng = np.random.default_rng(341)
for (m, k, n) in [(1, 1, 1), (4, 6, 5), (16, 300, 8), (30, 40, 20)]:
    for bits in (8, 16):
        A, B = random_operands(rng, m, k, n, np.float32)
        A = np.abs(A) + 0.5  # all positive: int8 products cannot cancel, so an overflow shows
        check_quantized_matmul(A, B, bits)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    zero = quantized_matmul(np.zeros((2, 3), np.float32), np.ones((3, 4), np.float32))
assert zero.shape == (2, 4) and not np.any(zero), f"a zero operand should give a zero product, got {zero!r}"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(3410)
for _ in range(4):
    m, k, n = (int(v) for v in rng.integers(1, 80, size=3))
    A, B = random_operands(rng, m, k, n, np.float32)
    check_quantized_matmul(A * 10 ** rng.uniform(-2, 2), B, int(rng.choice([8, 16])))
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_quantized_matmul_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""quantized_matmul rejects bad bit widths and mismatched shapes."""
assert_raises(ValueError, quantized_matmul, np.ones((2, 2)), np.ones((2, 2)), bits=4)
assert_shape_error(quantized_matmul, "quantized_matmul")

# %% [markdown]
# **Exercise 11c.** `quantized_relu(x, bits=8)`: quantize `x`, apply the ReLU to the integers
# (`max(q, 0)`, exact in integer arithmetic), and return the dequantized result as **float32**.

# %% nbgrader={"grade": false, "grade_id": "kernels_quantized_relu", "locked": false, "schema_version": 3, "solution": true}
def quantized_relu(x: np.ndarray, bits: int = 8) -> np.ndarray:
    """ReLU on the quantized integers of ``x``, returned dequantized as float32.

    Raises:
        ValueError: ``bits`` is not 8 or 16.
    """
    # about 2 lines
    ### BEGIN SOLUTION
    q, scale = quantize_symmetric(x, bits)
    return (np.maximum(q, 0).astype(np.float64) * scale).astype(np.float32)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** A float32 array of the input's shape, exactly 0 wherever x <= 0, and
# within `max|x| / qmax / 2` of `max(x, 0)` elsewhere, for bits 8 and 16; `ValueError` for bits=4.

# %% nbgrader={"grade": true, "grade_id": "kernels_quantized_relu_bounds", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""quantized_relu is float32, exactly zero for x <= 0, and within scale / 2 of the ReLU."""
rng = np.random.default_rng(342)
for shape in [(50,), (6, 7)]:
    for bits in (8, 16):
        x = rng.standard_normal(shape).astype(np.float32)
        y = quantized_relu(x, bits=bits)
        assert isinstance(y, np.ndarray) and y.dtype == np.float32 and y.shape == x.shape, (
            f"expected float32 of shape {x.shape}, got {type(y).__name__} {getattr(y, 'dtype', None)} {getattr(y, 'shape', None)}"
        )
        assert np.all(y[x <= 0] == 0), f"bits={bits}: the ReLU must be exactly 0 where x <= 0"
        scale = float(np.abs(x).max()) / (2 ** (bits - 1) - 1)
        err = float(np.max(np.abs(y.astype(np.float64) - np.maximum(x, 0))))
        assert err <= scale * (0.5 + 1e-3), f"bits={bits}: off by {err!r}, more than scale / 2 = {scale / 2!r}"
for bits in (4, 32):
    assert_raises(ValueError, quantized_relu, np.ones(3), bits=bits)

# %% [markdown]
# What int8 costs and saves here, on 256 x 256 float32 matrices. NumPy has no int8 BLAS, so its
# integer matmul is a plain loop: on this CPU the int8 version is *slower*, even though it moves
# a quarter of the bytes. Libraries with int8 kernels (oneDNN, FBGEMM, cuBLASLt) turn the saving
# into speed.

# %%
_A, _B = random_operands(np.random.default_rng(8), 256, 256, 256, np.float32)
_exact = _A.astype(np.float64) @ _B.astype(np.float64)
for _bits in (8, 16):
    _C = quantized_matmul(_A, _B, bits=_bits)
    _rel = np.linalg.norm(_C - _exact) / np.linalg.norm(_exact)
    print(f"int{_bits}: relative error {_rel:.1e}, operands {_A.nbytes * _bits // 32 // 1024} KB each "
          f"instead of {_A.nbytes // 1024} KB")
_, _f32_us = time_kernel(matmul_vectorized, _A, _B, repeats=3)
_, _i8_us = time_kernel(quantized_matmul, _A, _B, repeats=3)
print(f"time: float32 BLAS {_f32_us / 1e3:.2f} ms, quantized int8 in NumPy {_i8_us / 1e3:.1f} ms")

# %% [markdown]
# ## Part 2: the same ideas on a GPU
#
# A GPU trades the few fast cores of a CPU for thousands of simple threads. You write one
# function, the kernel, and launch it on a grid of blocks of threads; every thread runs it with
# its own indices. The threads of a block run together on one multiprocessor, share a small fast
# memory and can wait for each other; different blocks cannot. Numba compiles Python kernels with
# `@cuda.jit`. Without a GPU, Numba's CUDA simulator runs the same kernels with one Python thread
# per CUDA thread: right answers, slowly, so the checks here use tiny inputs (and real sizes when
# a GPU is present). This part writes a vector add, two matrix multiplications (direct, then
# tiled in shared memory), counts the global-memory reads that tiling saves, transposes a matrix
# twice to see what the memory transactions of a warp and the banks of shared memory cost, and
# sums a vector with warp shuffles.

# %% nbgrader={"grade": false, "grade_id": "kernels_setup_gpu", "locked": true, "schema_version": 3, "solution": false}
import contextlib
import math
import sys
import threading
from collections import Counter, namedtuple

import numba
import numpy as np
from numba import cuda

from utils.gpu import describe, is_simulator
from utils.testing import assert_raises, quiet

TILE = 16  # side of a shared-memory tile: blocks of TILE x TILE threads
THREADS_PER_BLOCK = 128  # block size of the 1-D kernels, a multiple of the warp size
WARP = 32  # threads per warp
WARPS_PER_BLOCK = THREADS_PER_BLOCK // WARP
FULL_MASK = 0xFFFFFFFF  # a shuffle mask naming all 32 lanes of a warp
TRANSPOSE_TILE = 32  # the transposes work on TRANSPOSE_TILE x TRANSPOSE_TILE tiles
TRANSPOSE_ROWS = 8  # with blocks of (TRANSPOSE_TILE, TRANSPOSE_ROWS) threads
PADDED_TILE = TRANSPOSE_TILE + 1  # a tile row with one spare column (Numba wants plain constants as shapes)

# %% [markdown]
# The grade cells run your kernels in two ways. On a GPU they launch them for real, at real
# sizes. Everywhere, they also run them through the small tracer below, written in plain Python:
# it runs the threads of a block one at a time in a fixed order, each up to its next
# `cuda.syncthreads()` or its end, so a missing barrier gives the same wrong answer on every run;
# it fills shared memory with NaN before the block starts, so reading a slot nobody wrote shows;
# it stops at the first out-of-bounds index; it counts the global-memory reads of every
# thread; warp by warp, it counts the memory transactions and shared-memory bank conflicts that
# section 15 is about; and it runs the warp shuffles of section 16, which Numba's simulator lacks.
# You can call `trace_kernel` yourself; its code is in `utils/cudatrace.py`. The tracer stands in
# for the name `cuda` inside your kernel, so write `cuda.grid(...)`, `cuda.syncthreads()` and so
# on (not `numba.cuda....`), and stay with what it provides: thread, block and grid indices and sizes, `grid`, `gridsize`, `laneid`,
# `shared.array`, `local.array`, `atomic.add`, `syncthreads`, `syncwarp`, `threadfence` and the
# warp shuffles `shfl_sync`, `shfl_up_sync`, `shfl_down_sync`, `shfl_xor_sync`.

# %% nbgrader={"grade": false, "grade_id": "kernels_setup_tracer", "locked": true, "schema_version": 3, "solution": false}
from utils.cudatrace import check_matmul_kernel, check_transpose_kernel, trace_kernel, traced_launches

# %% [markdown]
# ## 12. Threads, blocks and a bounds check
#
# A kernel is a function that every thread of a launch runs. `kernel[blocks, threads](args)`
# starts a grid of `blocks` blocks of `threads` threads each; inside, `cuda.threadIdx.x` is the
# thread's index in its block, `cuda.blockIdx.x` the block's index in the grid, and
# `cuda.grid(1)` their combination, `blockIdx.x * blockDim.x + threadIdx.x`, a unique index per
# thread. The hardware runs a block's threads in warps of 32 that execute the same instruction
# together, so block sizes should be multiples of 32, or the last warp of every block runs partly
# empty.
#
# The grid is made of whole blocks, so for a length n that is not a multiple of the block size
# some threads have no element: each thread compares its index with the length before touching
# memory. Without that check, the last block reads and writes past the end of the arrays.
#
# Arrays passed to a kernel live in the GPU's global memory, large (gigabytes) and slow (hundreds
# of cycles per access). Numba copies NumPy arguments there and back; `cuda.to_device` and
# `copy_to_host` do it explicitly, so several launches can share one copy.

# %% nbgrader={"grade": false, "grade_id": "kernels_vector_add_kernel", "locked": false, "schema_version": 3, "solution": true}
@cuda.jit
def vector_add_kernel(a, b, out):
    """Each thread writes ``out[i] = a[i] + b[i]`` for its own index ``i``, if ``i`` is in range.

    Args:
        a, b: input vectors of equal length.
        out: output vector of the same length.
    """
    # about 3 lines
    ### BEGIN SOLUTION
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = a[i] + b[i]
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The kernel runs on a grid with more threads than elements: the sum is
# right, no thread indexes outside the arrays, and each thread reads two values.

# %% nbgrader={"grade": true, "grade_id": "kernels_vector_add_kernel_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""vector_add_kernel adds element by element and leaves the extra threads of the last block idle."""


def _check_vector_add_kernel(n, blocks, threads, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(n), rng.standard_normal(n)
    out = np.full(n, np.nan)
    try:
        with quiet():
            trace = trace_kernel(vector_add_kernel, blocks, threads, a, b, out)
    except IndexError as exc:
        raise AssertionError(f"a thread went out of bounds (missing bounds check?): {exc}") from None
    np.testing.assert_allclose(out, a + b, rtol=0, atol=1e-12, err_msg=f"n={n}: out != a + b")
    assert trace.max_reads() == 2, f"n={n}: a thread read {trace.max_reads()} values, expected 2"


_check_vector_add_kernel(37, 2, 32, seed=0)
_check_vector_add_kernel(5, 1, 32, seed=1)
### BEGIN HIDDEN TESTS
_n = int(np.random.default_rng(303).integers(65, 127))
_check_vector_add_kernel(_n, 2, 64, seed=304)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "kernels_gpu_vector_add", "locked": false, "schema_version": 3, "solution": true}
def gpu_vector_add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a + b`` for 1-D arrays of any length, computed by ``vector_add_kernel``.

    Use ``THREADS_PER_BLOCK`` threads per block and just enough blocks to cover every element.

    Raises:
        ValueError: ``a`` and ``b`` are not 1-D arrays of the same shape (both shapes named).
    """
    a, b = np.asarray(a), np.asarray(b)
    # about 8 lines (an empty input needs no launch: a grid has at least one block)
    ### BEGIN SOLUTION
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"shapes {a.shape} and {b.shape}: expected two 1-D arrays of equal length")
    out = np.empty(a.shape, dtype=np.result_type(a, b))
    if out.size == 0:
        return out
    blocks = math.ceil(a.size / THREADS_PER_BLOCK)
    vector_add_kernel[blocks, THREADS_PER_BLOCK](a, b, out)
    return out
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Lengths that are not multiples of the block size, including lengths
# below it, in float32 and float64; the launch uses `THREADS_PER_BLOCK` threads per block and
# no block without work; two vectors of different lengths, or 2-D arrays, raise `ValueError`;
# two empty vectors give an empty result.

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_vector_add_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""gpu_vector_add matches a + b for lengths that are not multiples of the block size."""


def _check_gpu_vector_add(n, dtype, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(n).astype(dtype), rng.standard_normal(n).astype(dtype)
    with quiet():
        got = gpu_vector_add(a, b)
    assert isinstance(got, np.ndarray) and got.shape == (n,), f"n={n}: expected an array of shape ({n},)"
    np.testing.assert_allclose(got, a + b, rtol=1e-6, err_msg=f"n={n}, {np.dtype(dtype).name}")


for _n, _dtype in [(1, np.float64), (100, np.float32), (THREADS_PER_BLOCK + 1, np.float64)]:
    _check_gpu_vector_add(_n, _dtype, seed=_n)
if not is_simulator():
    _check_gpu_vector_add(10_000_019, np.float32, seed=5)
### BEGIN HIDDEN TESTS
_check_gpu_vector_add(int(np.random.default_rng(71).integers(130, 250)), np.float32, seed=72)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_vector_add_launch", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""gpu_vector_add launches THREADS_PER_BLOCK threads per block and just enough blocks."""
for _n in (1, 200, 2 * THREADS_PER_BLOCK):
    with quiet(), traced_launches(globals(), "vector_add_kernel") as _launches:
        gpu_vector_add(np.ones(_n), np.ones(_n))
    assert len(_launches) == 1, f"n={_n}: expected one launch of vector_add_kernel[blocks, threads], got {len(_launches)}"
    _grid, _block = _launches[0]
    assert _block == (THREADS_PER_BLOCK, 1, 1), f"n={_n}: block {tuple(_block)}, expected ({THREADS_PER_BLOCK},)"
    assert _grid == (math.ceil(_n / THREADS_PER_BLOCK), 1, 1), f"n={_n}: grid {tuple(_grid)} blocks is not the fewest that cover n"

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_vector_add_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""gpu_vector_add rejects vectors of different lengths, naming both shapes."""
assert_raises(ValueError, gpu_vector_add, np.ones(3), np.ones(4), match="(3,)")
_e = assert_raises(ValueError, gpu_vector_add, np.ones(3), np.ones(4), match="(4,)")
### BEGIN HIDDEN TESTS
assert_raises(ValueError, gpu_vector_add, np.ones((2, 2)), np.ones((2, 2)))  # the docstring promises 1-D only
with quiet():
    _empty = gpu_vector_add(np.ones(0), np.ones(0))
assert isinstance(_empty, np.ndarray) and _empty.shape == (0,), f"two empty vectors should give an empty one, got {_empty!r}"
### END HIDDEN TESTS

# %% [markdown]
# ## 13. Matrix multiplication, one thread per output
#
# The direct translation gives each thread one element of C: thread `(x, y)` of a 2-D grid
# computes `C[y, x]` as a dot product of row y of A with column x of B, accumulated in a local
# variable (a register) and written once. Letting x run along the columns matters: threads are
# grouped into warps x first, so with 16 x 16 blocks a warp is two rows of 16 threads with
# consecutive x. Each half reads 16 neighbouring elements of a row of B (both halves the same
# ones) and writes 16 neighbouring elements of C. Neighbouring addresses coalesce into a few wide
# memory transactions; scattered ones cost a transaction each.
#
# Every thread still issues a load from global memory for each element of a row of A and a column
# of B, 2k loads for 2k flops. Neighbouring threads read the same rows and columns, so most of
# those loads hit the L1 and L2 caches rather than DRAM: the kernel is limited by the number of
# load instructions and their latency, not by DRAM bandwidth, and stays far below the GPU's
# compute peak. Shared-memory tiling cuts the loads themselves.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_kernel_naive", "locked": false, "schema_version": 3, "solution": true}
@cuda.jit
def matmul_kernel_naive(A, B, C):
    """``C = A @ B``: thread ``(x, y)`` of the grid computes ``C[y, x]``, if it is inside C.

    Args:
        A: (m, k) matrix; B: (k, n) matrix; C: (m, n) output.
    """
    # about 6 lines
    ### BEGIN SOLUTION
    col, row = cuda.grid(2)
    if row < C.shape[0] and col < C.shape[1]:
        acc = C.dtype.type(0)  # a zero of C's type: float32 stays float32 on the GPU
        for j in range(A.shape[1]):
            acc += A[row, j] * B[j, col]
        C[row, col] = acc
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Non-square shapes on a grid larger than C, through the tracer:
# the product matches NumPy and no thread indexes outside the matrices.

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_kernel_naive_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_kernel_naive computes A @ B for non-square shapes on a grid larger than C."""
check_matmul_kernel(matmul_kernel_naive, 5, 7, 3, seed=0, block=4)
_trace = check_matmul_kernel(matmul_kernel_naive, 1, 1, 1, seed=1, block=4)
### BEGIN HIDDEN TESTS
_m, _k, _n = (int(v) for v in np.random.default_rng(808).integers(2, 9, size=3))
_trace = check_matmul_kernel(matmul_kernel_naive, _m, _k, _n, seed=809, block=4)
### END HIDDEN TESTS

# %% [markdown]
# ### Shared-memory tiling
#
# Each block also has a small shared memory (tens of kilobytes, a few tens of cycles per access
# against several hundred for global memory) that all its threads can read. A block of `TILE x TILE` threads computes a `TILE x TILE` tile of C
# by walking along k one tile at a time:
#
# 1. each thread copies one element of A and one of B into two shared `TILE x TILE` arrays
#    (0 where the tile sticks out of the matrix, so the last partial tile adds nothing);
# 2. `cuda.syncthreads()`: wait until the whole tile is loaded before anyone uses it;
# 3. each thread adds `TILE` products from shared memory to its running sum;
# 4. `cuda.syncthreads()` again: wait until everyone is done with the tile before the next
#    copy overwrites it.
#
# Every element a block loads is then used by TILE threads, so global reads drop by a factor of
# TILE. `syncthreads` is a barrier for the threads of one block: every thread of the block must
# reach it, so a thread outside C must not return early; it loads its zeros, waits with the
# others, and only skips the final write.

# %% nbgrader={"grade": false, "grade_id": "kernels_matmul_kernel_shared", "locked": false, "schema_version": 3, "solution": true}
@cuda.jit
def matmul_kernel_shared(A, B, C):
    """``C = A @ B`` with ``TILE x TILE`` tiles of A and B staged in shared memory.

    Launched with blocks of ``(TILE, TILE)`` threads; thread ``(x, y)`` of the grid computes
    ``C[y, x]`` when it is inside C. Any shapes, including ones that are not multiples of TILE.
    """
    sA = cuda.shared.array((TILE, TILE), dtype=A.dtype)
    sB = cuda.shared.array((TILE, TILE), dtype=B.dtype)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    col, row = cuda.grid(2)
    m, k, n = A.shape[0], A.shape[1], B.shape[1]
    # about 14 lines
    ### BEGIN SOLUTION
    acc = C.dtype.type(0)
    for t in range((k + TILE - 1) // TILE):
        a_col = t * TILE + tx
        b_row = t * TILE + ty
        sA[ty, tx] = A[row, a_col] if row < m and a_col < k else 0.0
        sB[ty, tx] = B[b_row, col] if b_row < k and col < n else 0.0
        cuda.syncthreads()
        for j in range(TILE):
            acc += sA[ty, j] * sB[j, tx]
        cuda.syncthreads()
    if row < m and col < n:
        C[row, col] = acc
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Shapes that are not multiples of TILE, with two or more tiles along k
# and a grid larger than C: the product matches NumPy. Then the same run with the threads in the
# opposite order, where a missing barrier shows, and what the tracer counts: the kernel keeps its
# tiles in `cuda.shared.array`, no thread reads more than one element of A and one of B from
# global memory per tile (so the products must come from shared memory), and every thread waits at
# a barrier at least once per tile. The tracer fails the cell on a race on global memory and on a
# barrier that not every thread of a block reaches (an early `return`). Any correct barrier scheme
# passes: two barriers per tile, or one per tile plus one with two buffers (double buffering).

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_kernel_shared_correct", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""matmul_kernel_shared computes A @ B for shapes that are not multiples of TILE."""
check_matmul_kernel(matmul_kernel_shared, 5, 2 * TILE + 3, 7, seed=0)
_trace = check_matmul_kernel(matmul_kernel_shared, TILE + 1, 3, 2, seed=1)
if not is_simulator():
    _rng = np.random.default_rng(2)
    _A, _B = _rng.standard_normal((1000, 777)), _rng.standard_normal((777, 513))
    _C = np.zeros((1000, 513))
    with quiet():
        matmul_kernel_shared[(math.ceil(513 / TILE), math.ceil(1000 / TILE)), (TILE, TILE)](_A, _B, _C)
    np.testing.assert_allclose(_C, _A @ _B, rtol=1e-10, atol=1e-10, err_msg="(1000, 777) @ (777, 513)")
### BEGIN HIDDEN TESTS
_m, _n = (int(v) for v in np.random.default_rng(909).integers(2, TILE, size=2))
_trace = check_matmul_kernel(matmul_kernel_shared, _m, TILE + _n, _n, seed=910)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_matmul_kernel_shared_sync", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""matmul_kernel_shared reads each element of A and B once per tile from global memory, with barriers."""
for _m, _k, _n in [(6, 2 * TILE + 3, 5), (TILE + 2, TILE, 3)]:
    _tiles = math.ceil(_k / TILE)
    _trace = check_matmul_kernel(matmul_kernel_shared, _m, _k, _n, seed=3, order="reverse")
    assert len(_trace.shared_sites) >= 2, "expected the tiles of A and B in cuda.shared.array"
    assert _trace.max_reads() <= 2 * _tiles, (
        f"({_m}, {_k}) @ ({_k}, {_n}) takes {_tiles} tiles along k, so a thread should read at most "
        f"{2 * _tiles} values from global memory (one of A and one of B per tile); the tracer counted "
        f"{_trace.max_reads()}. Read the products from the shared tiles, not from A and B."
    )
    _syncs = _trace.syncs_per_thread()
    assert min(_syncs) >= _tiles, (
        f"k={_k} takes {_tiles} tiles: every thread should wait at a barrier at least once per tile "
        f"before using it; counts seen: {sorted(_syncs)}"
    )

# %% [markdown]
# `gpu_matmul` is the host side: it checks the shapes, copies the operands to the device once,
# launches one of the two kernels on a grid that covers C, and copies C back.

# %% nbgrader={"grade": false, "grade_id": "kernels_gpu_matmul", "locked": false, "schema_version": 3, "solution": true}
def gpu_matmul(A: np.ndarray, B: np.ndarray, kernel: str = "shared") -> np.ndarray:
    """``A @ B`` on the GPU with ``matmul_kernel_shared`` (``kernel="shared"``) or ``matmul_kernel_naive``.

    Args:
        A: (m, k) matrix; B: (k, n) matrix. Float32 stays float32; anything else is computed in
            float64 (both operands are converted to the common type).
        kernel: ``"shared"`` or ``"naive"``.

    Returns:
        The (m, n) product.

    Raises:
        ValueError: an operand is not 2-D, the inner dimensions differ (both shapes named), or
            ``kernel`` is unknown.
    """
    # about 14 lines
    ### BEGIN SOLUTION
    if kernel not in ("shared", "naive"):
        raise ValueError(f"kernel={kernel!r}: expected 'shared' or 'naive'")
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"shapes {A.shape} and {B.shape}: expected (m, k) and (k, n) matrices")
    dtype = np.float32 if np.result_type(A, B) == np.float32 else np.float64
    (m, k), n = A.shape, B.shape[1]
    if m == 0 or n == 0 or k == 0:
        return np.zeros((m, n), dtype=dtype)
    dA = cuda.to_device(np.ascontiguousarray(A, dtype=dtype))
    dB = cuda.to_device(np.ascontiguousarray(B, dtype=dtype))
    dC = cuda.device_array((m, n), dtype=dtype)
    grid = (math.ceil(n / TILE), math.ceil(m / TILE))
    launch = matmul_kernel_shared if kernel == "shared" else matmul_kernel_naive
    launch[grid, (TILE, TILE)](dA, dB, dC)
    return dC.copy_to_host()
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Both kernels against `A @ B` for non-square shapes that are not
# multiples of TILE (float32 within 1e-4 relative, float64 within 1e-10), with the result in float32
# for float32 operands and float64 otherwise, an empty result for an empty operand, and a
# `ValueError` naming both shapes when the inner dimensions differ or an operand is not 2-D. On
# the simulator the kernels run through the tracer, so a kernel with a race fails every time.

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_matmul_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""gpu_matmul matches A @ B with both kernels, for shapes that are not multiples of TILE."""


def _check_gpu_matmul(m, k, n, dtype, kernel, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)
    names = ("matmul_kernel_naive", "matmul_kernel_shared")
    with quiet(), (traced_launches(globals(), *names) if is_simulator() else contextlib.nullcontext()):
        got = gpu_matmul(A, B, kernel=kernel)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert got.shape == (m, n), f"({m}, {k}) @ ({k}, {n}) gave shape {got.shape}"
    assert got.dtype == dtype, f"({m}, {k}) @ ({k}, {n}) in {np.dtype(dtype).name}: the result is {got.dtype}"
    np.testing.assert_allclose(got, A.astype(np.float64) @ B, rtol=tol, atol=tol * math.sqrt(k),
                               err_msg=f"({m}, {k}) @ ({k}, {n}), {np.dtype(dtype).name}, kernel={kernel!r}")


_check_gpu_matmul(7, TILE + 3, 5, np.float64, "shared", seed=0)
_check_gpu_matmul(TILE + 2, 4, 3, np.float32, "shared", seed=1)
_check_gpu_matmul(6, 9, TILE + 1, np.float64, "naive", seed=2)
if not is_simulator():
    _check_gpu_matmul(1023, 517, 769, np.float32, "shared", seed=3)
    _check_gpu_matmul(301, 517, 260, np.float64, "naive", seed=4)
### BEGIN HIDDEN TESTS
_m, _n = (int(v) for v in np.random.default_rng(606).integers(2, TILE, size=2))
_check_gpu_matmul(_m, TILE + _n, _n + 1, np.float32, "shared", seed=607)
with quiet():
    _C = gpu_matmul(np.ones((0, 3), np.float32), np.ones((3, 2), np.float32))
assert _C.shape == (0, 2), f"(0, 3) @ (3, 2) should give an empty (0, 2) result, got shape {_C.shape}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_matmul_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""gpu_matmul rejects mismatched inner dimensions, naming both shapes, and unknown kernels."""
_e = assert_raises(ValueError, gpu_matmul, np.ones((2, 3)), np.ones((4, 5)))
assert "(2, 3)" in str(_e) and "(4, 5)" in str(_e), f"the message should name both shapes: {_e}"
assert_raises(ValueError, gpu_matmul, np.ones((3, 2)), np.ones((3, 2)))
_e = assert_raises(ValueError, gpu_matmul, np.ones((2, 2)), np.ones((2, 2)), kernel="tiled", match="tiled")
### BEGIN HIDDEN TESTS
error = assert_raises(ValueError, gpu_matmul, np.ones(3), np.ones((3, 2)))  # the docstring promises 2-D only
### END HIDDEN TESTS

# %% [markdown]
# ## 14. Counting global reads
#
# Tiling's gain is a count, not a stopwatch reading: how many values each thread fetches from
# global memory. Take n x n matrices. In the naive kernel a thread reads a row of A and a column
# of B. In the shared kernel it reads one element of A and one of B per tile, and there are
# `ceil(n / tile)` tiles along k; the last, partial one still costs its two reads. Derive both
# counts; the tests compare them with what the tracer counts when your kernels run.

# %% nbgrader={"grade": false, "grade_id": "kernels_reads_per_thread", "locked": false, "schema_version": 3, "solution": true}
def global_reads_per_thread(kernel_name: str, n: int, tile: int) -> int:
    """The most reads of A and B from global memory that one thread makes for ``n x n`` inputs.

    Args:
        kernel_name: ``"naive"`` or ``"shared"``.
        n: side of the square matrices A, B and C.
        tile: side of the shared-memory tile (blocks of ``tile x tile`` threads).

    Raises:
        ValueError: unknown ``kernel_name``, or ``n`` or ``tile`` below 1 (the bad value named).
    """
    if n < 1 or tile < 1:
        raise ValueError(f"n={n}, tile={tile}: both must be at least 1")
    # about 5 lines
    ### BEGIN SOLUTION
    if kernel_name == "naive":
        return 2 * n
    if kernel_name == "shared":
        return 2 * math.ceil(n / tile)
    raise ValueError(f"kernel_name={kernel_name!r}: expected 'naive' or 'shared'")
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Your counts for several sizes and tiles, including sizes that are not
# multiples of the tile, and the same counts measured by running your two kernels in the tracer.

# %% nbgrader={"grade": true, "grade_id": "kernels_reads_per_thread_formula", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""global_reads_per_thread gives 2n for the naive kernel and two per tile for the shared one."""
for _name, _n, _tile, _want in [("naive", 64, 16, 128), ("shared", 64, 16, 8), ("shared", 100, 16, 14),
                                ("shared", 1, 32, 2), ("naive", 7, 4, 14), ("shared", 1024, 32, 64)]:
    _got = global_reads_per_thread(_name, _n, _tile)
    assert _got == _want, f"global_reads_per_thread({_name!r}, {_n}, {_tile}) returned {_got}, expected {_want}"
_e = assert_raises(ValueError, global_reads_per_thread, "tiled", 8, 4, match="tiled")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4242)
for _ in range(5):
    _n, _tile = int(_rng.integers(1, 2000)), int(_rng.choice([4, 8, 16, 32]))
    assert global_reads_per_thread("naive", _n, _tile) == 2 * _n, f"naive, n={_n}"
    assert global_reads_per_thread("shared", _n, _tile) == 2 * (-(-_n // _tile)), f"shared, n={_n}, tile={_tile}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_reads_per_thread_measured", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""global_reads_per_thread matches the reads counted while your kernels run in the tracer."""


def _check_reads_measured(n, seed):
    for name, kernel in [("naive", matmul_kernel_naive), ("shared", matmul_kernel_shared)]:
        trace = check_matmul_kernel(kernel, n, n, n, seed=seed)
        want = global_reads_per_thread(name, n, TILE)
        assert trace.max_reads() == want, (
            f"{name} kernel, n={n}, tile={TILE}: the tracer counted at most {trace.max_reads()} "
            f"reads per thread, global_reads_per_thread says {want}"
        )


_check_reads_measured(TILE + 3, seed=0)
### BEGIN HIDDEN TESTS
_check_reads_measured(int(np.random.default_rng(515).integers(TILE // 2, TILE)), seed=516)
### END HIDDEN TESTS

# %%
from IPython.display import Markdown

_rows = []
for _n in (TILE + 3, 1024, 4096):
    _naive, _shared = global_reads_per_thread("naive", _n, TILE), global_reads_per_thread("shared", _n, TILE)
    _rows.append(f"| {_n} | {_naive} | {_shared} | {_naive / _shared:.1f} |")
_measured = [check_matmul_kernel(k, TILE + 3, TILE + 3, TILE + 3, seed=0).max_reads()
             for k in (matmul_kernel_naive, matmul_kernel_shared)]
Markdown("\n".join(
    [f"Global reads per thread, tile {TILE} (measured by the tracer at n = {TILE + 3}: "
     f"naive {_measured[0]}, shared {_measured[1]})", "", "| n | naive | shared | ratio |",
     "| --- | --- | --- | --- |", *_rows]
))

# %% [markdown]
# ## 15. Memory transactions: a matrix transpose
#
# A warp does not fetch its 32 values one by one. Its load instruction is served in 32-byte
# *sectors*: 32 lanes reading 32 neighbouring float32 values (128 bytes, starting on a sector
# boundary) touch 4 sectors, while 32 lanes reading down a column of a row-major matrix touch 32,
# one per row, and move 8 times the bytes for the same useful data. Stores work the same way.
# Section 13's naive matmul already relied on this: x runs along the columns, so a warp reads
# along rows.
#
# A transpose, `out[j, i] = a[i, j]`, cannot have it both ways with one element per thread: if a
# warp reads along a row of `a`, it writes down a column of `out`. The kernels here use blocks of
# `(TRANSPOSE_TILE, TRANSPOSE_ROWS)` = (32, 8) threads, so each warp is one row of its block.
# First the direct version: thread `(x, y)` of the grid copies `a[y, x]` to `out[x, y]`.

# %% nbgrader={"grade": false, "grade_id": "kernels_transpose_naive", "locked": false, "schema_version": 3, "solution": true}
@cuda.jit
def transpose_naive_kernel(a, out):
    """``out = a.T``: thread ``(x, y)`` of the grid copies ``a[y, x]`` to ``out[x, y]``, if it is inside ``a``.

    Args:
        a: (m, n) matrix; out: (n, m) output.
    """
    # about 3 lines
    ### BEGIN SOLUTION
    x, y = cuda.grid(2)
    if y < a.shape[0] and x < a.shape[1]:
        out[x, y] = a[y, x]
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Shapes that are not multiples of the block, on a grid larger than `a`:
# `out` equals `a.T` and no thread indexes outside the matrices. Then what the tracer counts on a
# float32 matrix with rows of a whole number of sectors: every warp-level read of `a` (each one,
# not only on average) touches 4 sectors, so x must run along the columns of `a`, as the
# docstring says.

# %% nbgrader={"grade": true, "grade_id": "kernels_transpose_naive_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""transpose_naive_kernel writes a.T for shapes that are not multiples of the block."""
check_transpose_kernel(transpose_naive_kernel, 5, 37, rows_per_block=TRANSPOSE_ROWS, seed=0)
_trace = check_transpose_kernel(transpose_naive_kernel, 11, 3, rows_per_block=TRANSPOSE_ROWS, dtype=np.float64, seed=1)
if not is_simulator():
    _a = np.random.default_rng(7).standard_normal((1000, 777)).astype(np.float32)
    _out = np.zeros((777, 1000), dtype=np.float32)
    with quiet():
        transpose_naive_kernel[(math.ceil(777 / TRANSPOSE_TILE), math.ceil(1000 / TRANSPOSE_ROWS)),
                               (TRANSPOSE_TILE, TRANSPOSE_ROWS)](_a, _out)
    np.testing.assert_array_equal(_out, _a.T, err_msg="(1000, 777) float32 on the GPU")
### BEGIN HIDDEN TESTS
_m, _n = (int(v) for v in np.random.default_rng(1515).integers(2, 40, size=2))
_trace = check_transpose_kernel(transpose_naive_kernel, _m, _n, rows_per_block=TRANSPOSE_ROWS, seed=1516)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_transpose_naive_sectors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""transpose_naive_kernel reads a along its rows: 4 sectors per warp for 32 float32 values."""
_trace = check_transpose_kernel(transpose_naive_kernel, TRANSPOSE_ROWS, 2 * WARP, rows_per_block=TRANSPOSE_ROWS, seed=2)
_sectors = _trace.max_sectors_per_request("a", "load")
assert _sectors == 4, (
    f"a warp-level read of a touched {_sectors} sectors, expected 4 for every one: thread (x, y) "
    "should read a[y, x], so that the 32 lanes of a warp read 32 neighbours of one row"
)

# %%
# The tracer's counts for the naive transpose of a 32 x 64 float32 matrix, per warp-level access.
_trace_naive = check_transpose_kernel(transpose_naive_kernel, WARP, 2 * WARP, rows_per_block=TRANSPOSE_ROWS)
Markdown(
    f"Naive transpose, 32 x 64 float32: {_trace_naive.sectors_per_request('a', 'load'):g} sectors per warp "
    f"reading `a`, {_trace_naive.sectors_per_request('out', 'store'):g} per warp writing `out`; "
    f"{_trace_naive.global_transactions} sectors in all, where reading and writing the "
    f"{WARP * 2 * WARP * 4} bytes once each would take {2 * WARP * 2 * WARP * 4 // 32}."
)

# %% [markdown]
# ### Through shared memory, with padding
#
# The fix stages a tile in shared memory, where any thread can read what another wrote. A block
# of (32, 8) threads moves one `TRANSPOSE_TILE x TRANSPOSE_TILE` tile, each thread four elements,
# rows `ty`, `ty + 8`, `ty + 16` and `ty + 24` of the tile:
#
# 1. read the tile of `a` whose corner is `(blockIdx.y * 32, blockIdx.x * 32)` along its rows
#    (coalesced) into `tile[r, tx]`;
# 2. `cuda.syncthreads()`;
# 3. write it to the tile of `out` whose corner is `(blockIdx.x * 32, blockIdx.y * 32)`, again
#    along rows of `out` (coalesced), taking `tile[tx, r]`: the transpose happens in shared memory.
#
# Shared memory has its own rule. It is split into 32 *banks* of 4-byte words, word `w` in bank
# `w % 32`, and each bank serves one word per pass: a warp whose 32 lanes need 32 different words
# of one bank takes 32 passes (a 32-way *bank conflict*), while lanes reading the very same word
# share it. Step 3 reads a column of the tile. With 32 float32 values per row, every element of
# a column sits in the same bank. One spare column, a row of `PADDED_TILE` = 33 words, shifts each
# row by one bank, and the column spreads over all 32.

# %% nbgrader={"grade": false, "grade_id": "kernels_transpose_tiled", "locked": false, "schema_version": 3, "solution": true}
@cuda.jit
def transpose_tiled_kernel(a, out):
    """``out = a.T`` one ``TRANSPOSE_TILE x TRANSPOSE_TILE`` tile per block, through shared memory.

    Launched with blocks of ``(TRANSPOSE_TILE, TRANSPOSE_ROWS)`` threads and a grid of
    ``(ceil(n / TRANSPOSE_TILE), ceil(m / TRANSPOSE_TILE))`` blocks for an (m, n) ``a``. Reads of
    ``a`` and writes of ``out`` both go along rows; the shared tile is laid out so that reading one
    of its columns causes no bank conflict.
    """
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    x0, y0 = cuda.blockIdx.x * TRANSPOSE_TILE, cuda.blockIdx.y * TRANSPOSE_TILE  # corner of the tile in a
    # about 9 lines (declare the shared tile first)
    ### BEGIN SOLUTION
    tile = cuda.shared.array((TRANSPOSE_TILE, PADDED_TILE), dtype=a.dtype)
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        if y0 + r < a.shape[0] and x0 + tx < a.shape[1]:
            tile[r, tx] = a[y0 + r, x0 + tx]
    cuda.syncthreads()
    for r in range(ty, TRANSPOSE_TILE, TRANSPOSE_ROWS):
        if x0 + r < out.shape[0] and y0 + tx < out.shape[1]:
            out[x0 + r, y0 + tx] = tile[tx, r]
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Shapes that are not multiples of the tile, float32 and float64, with
# the threads run forward and in reverse (a missing barrier shows in one of the two): `out`
# equals `a.T`. Then the tracer's counts on a float32 matrix whose rows are whole sectors (one
# point each): every warp-level read of `a` and every write of `out` touches 4 sectors (each one,
# not an average), and each array is read or written once, one warp access per 32 elements, so
# the sectors add up to its size in bytes / 32; the shared tile is written once and read once per
# element, a warp access per 32 of them, without a bank conflict.

# %% nbgrader={"grade": true, "grade_id": "kernels_transpose_tiled_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""transpose_tiled_kernel writes a.T for shapes that are not multiples of the tile, in either thread order."""
for _order in ("forward", "reverse"):
    check_transpose_kernel(transpose_tiled_kernel, 9, TRANSPOSE_TILE + 5, rows_per_block=TRANSPOSE_TILE,
                           seed=3, order=_order)
_trace = check_transpose_kernel(transpose_tiled_kernel, TRANSPOSE_TILE + 3, 4, rows_per_block=TRANSPOSE_TILE,
                                dtype=np.float64, seed=4)
if not is_simulator():
    _a = np.random.default_rng(8).standard_normal((1000, 777)).astype(np.float32)
    _out = np.zeros((777, 1000), dtype=np.float32)
    with quiet():
        transpose_tiled_kernel[(math.ceil(777 / TRANSPOSE_TILE), math.ceil(1000 / TRANSPOSE_TILE)),
                               (TRANSPOSE_TILE, TRANSPOSE_ROWS)](_a, _out)
    np.testing.assert_array_equal(_out, _a.T, err_msg="(1000, 777) float32 on the GPU")
### BEGIN HIDDEN TESTS
_m, _n = (int(v) for v in np.random.default_rng(1616).integers(2, 40, size=2))
_trace = check_transpose_kernel(transpose_tiled_kernel, _m, _n, rows_per_block=TRANSPOSE_TILE, seed=1617, order="reverse")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_transpose_tiled_coalesced", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""transpose_tiled_kernel reads a and writes out along rows: 4 sectors per warp on both sides."""
_trace = check_transpose_kernel(transpose_tiled_kernel, WARP, 2 * WARP, rows_per_block=TRANSPOSE_TILE, seed=5)
_elements, _nbytes = WARP * 2 * WARP, WARP * 2 * WARP * 4  # a and out are float32
for _name, _kind in (("a", "load"), ("out", "store")):
    _sectors = _trace.max_sectors_per_request(_name, _kind)
    assert _sectors == 4, (
        f"a warp-level {_kind} of {_name} touched {_sectors} sectors, expected 4 for every one "
        "(32 neighbouring float32 values): read a and write out along their rows, and let the "
        "shared tile do the transposing"
    )
    _requests, _total = _trace.global_requests[_name, _kind], _trace.global_sectors[_name, _kind]
    assert (_requests, _total) == (_elements // WARP, _nbytes // 32), (
        f"{_name} took {_requests} warp-level {_kind}s and {_total} sectors for a 32 x 64 float32 "
        f"transpose, expected {_elements // WARP} and {_nbytes // 32}: each element once, by one thread"
    )

# %% nbgrader={"grade": true, "grade_id": "kernels_transpose_tiled_conflicts", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""transpose_tiled_kernel reads and writes its shared tile without bank conflicts."""
_trace = check_transpose_kernel(transpose_tiled_kernel, WARP, WARP, rows_per_block=TRANSPOSE_TILE, seed=6)
assert _trace.shared_requests, "expected the tile in a cuda.shared.array"
assert _trace.bank_conflicts == 0, (
    f"the shared tile took {_trace.bank_conflicts} passes through the banks beyond the fewest needed "
    f"(a warp access hit one bank up to {_trace.max_conflict_degree} times): pad each row of the tile"
)
_expected = TRANSPOSE_TILE * TRANSPOSE_TILE // WARP  # one warp access per 32 elements of the tile
for _kind in ("store", "load"):
    _requests = sum(n for (_, k), n in _trace.shared_requests.items() if k == _kind)
    assert _requests == _expected, (
        f"the shared tile took {_requests} warp-level {_kind}s for one 32 x 32 tile, expected "
        f"{_expected}: write each element of the tile once and read it back once"
    )

# %%
# Both transposes of a 32 x 64 float32 matrix, as the tracer counts them, and timed on the device
# with CUDA events (on the simulator the same code runs on one tile, and its times mean nothing).
def _time_transposes(n, repeats):
    d_a = cuda.to_device(np.random.default_rng(0).standard_normal((n, n)).astype(np.float32))
    d_out = cuda.device_array((n, n), dtype=np.float32)
    gb_per_s = {}
    for label, kernel, rows in (("naive", transpose_naive_kernel, TRANSPOSE_ROWS),
                                ("tiled, padded", transpose_tiled_kernel, TRANSPOSE_TILE)):
        grid = (math.ceil(n / TRANSPOSE_TILE), math.ceil(n / rows))
        kernel[grid, (TRANSPOSE_TILE, TRANSPOSE_ROWS)](d_a, d_out)  # compile and warm up
        times_ms = []
        for _ in range(repeats):
            begin, end = cuda.event(), cuda.event()
            begin.record()
            kernel[grid, (TRANSPOSE_TILE, TRANSPOSE_ROWS)](d_a, d_out)
            end.record()
            end.synchronize()
            times_ms.append(begin.elapsed_time(end))
        gb_per_s[label] = 2 * n * n * 4 / max(statistics.median(times_ms), 1e-6) / 1e6  # read a, write out
    return gb_per_s


_trace_tiled = check_transpose_kernel(transpose_tiled_kernel, WARP, 2 * WARP, rows_per_block=TRANSPOSE_TILE)
with quiet():
    _n = TRANSPOSE_TILE if is_simulator() else 8192
    _gb_per_s = _time_transposes(_n, repeats=1 if is_simulator() else 5)
_rows = []
for _label, _t in (("naive", _trace_naive), ("tiled, padded", _trace_tiled)):
    _speed = "" if is_simulator() else f"{_gb_per_s[_label]:.0f}"
    _rows.append(f"| {_label} | {_t.sectors_per_request('a', 'load'):g} | {_t.sectors_per_request('out', 'store'):g} "
                 f"| {_t.global_transactions} | {_t.bank_conflicts} | {_speed} |")
Markdown("\n".join([f"Device: {describe()}" + ("" if is_simulator() else f"; timed at {_n} x {_n} float32, median of 5."),
                    "", "| transpose | sectors per warp read | sectors per warp write | sectors in all | bank conflicts | GB/s |",
                    "| --- | --- | --- | --- | --- | --- |", *_rows]))

# %% [markdown]
# ## 16. A parallel reduction with warp shuffles
#
# Summing n numbers looks sequential, but addition is associative, so the sum can be built as a
# tree: n/2 additions of pairs, then n/4, and after log2(n) rounds one value is left. Inside a
# warp the tree needs no memory at all: `cuda.shfl_down_sync(FULL_MASK, v, d)` hands every lane
# the `v` of lane `laneid + d` (its own `v` past lane 31), so five rounds with `d` = 16, 8, 4, 2, 1
# leave the warp's sum in lane 0. All lanes named in the mask must reach the shuffle; it is their
# meeting point, so no barrier is needed. In `reduce_sum_kernel` each block of
# `THREADS_PER_BLOCK` threads sums its slice of x:
#
# 1. thread t takes its element (0 past the end of x) and its warp sums with five shuffles;
# 2. lane 0 of each warp writes the warp's sum to `warp_sums[warp]`, a shared array of
#    `WARPS_PER_BLOCK` slots, and everyone meets at `cuda.syncthreads()`;
# 3. warp 0 adds the `WARPS_PER_BLOCK` warp sums (shuffles again, or thread 0 alone, they are
#    four), and thread 0 writes the block's sum to `partial[blockIdx.x]`.
#
# A tree in shared memory needs a barrier after each of its log2(128) = 7 rounds; this needs one.
# Numba's simulator has no warp shuffles: without a GPU the tests run your kernel in the tracer,
# which has them. To try it yourself there, use `trace_kernel`, or call `gpu_sum` inside
# `with traced_launches(globals(), "reduce_sum_kernel"):`. `gpu_sum` launches the kernel again on
# the partial sums until one value is left (or adds the few partial sums on the host).

# %% nbgrader={"grade": false, "grade_id": "kernels_reduce_sum_kernel", "locked": false, "schema_version": 3, "solution": true}
@cuda.jit
def reduce_sum_kernel(x, partial):
    """``partial[b] = x[b * T : (b + 1) * T].sum()`` for block ``b``, where ``T = THREADS_PER_BLOCK``.

    Launched with ``THREADS_PER_BLOCK`` threads per block, one element per thread, summed with warp
    shuffles, then across the block's warps through shared memory. The sum is taken in ``partial.dtype``.
    """
    warp_sums = cuda.shared.array(WARPS_PER_BLOCK, dtype=partial.dtype)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    lane, warp = tid % WARP, tid // WARP
    v = partial.dtype.type(0)
    if i < x.shape[0]:
        v = partial.dtype.type(x[i])
    # about 14 lines
    ### BEGIN SOLUTION
    offset = WARP // 2
    while offset > 0:
        v += cuda.shfl_down_sync(FULL_MASK, v, offset)
        offset //= 2
    if lane == 0:
        warp_sums[warp] = v
    cuda.syncthreads()
    if warp == 0:
        v = warp_sums[lane] if lane < WARPS_PER_BLOCK else partial.dtype.type(0)
        offset = WARP // 2
        while offset > 0:
            v += cuda.shfl_down_sync(FULL_MASK, v, offset)
            offset //= 2
        if lane == 0:
            partial[cuda.blockIdx.x] = v
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Integer inputs of lengths that are not multiples of the block, summed
# exactly per block, with the threads run forward and in reverse (a missing barrier shows in one
# of the two orders); a float input within 1e-12 relative. The tracer stops a shuffle that a lane
# named in its mask never reaches. Then the technique: every thread takes part in at least five
# shuffles (log2 of 32), meets at most two barriers, reads at most one element of x and uses no
# atomics, and each block stores at most `WARPS_PER_BLOCK` values to shared memory (one per warp),
# so the values can only meet through the shuffles.

# %% nbgrader={"grade": true, "grade_id": "kernels_reduce_sum_kernel_correct", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""reduce_sum_kernel writes each block's exact sum, whatever the thread order."""


def _check_reduce_kernel(n, dtype, seed, order):
    rng = np.random.default_rng(seed)
    x = rng.integers(-1000, 1000, n).astype(dtype) if np.dtype(dtype).kind == "i" else rng.standard_normal(n)
    blocks = math.ceil(n / THREADS_PER_BLOCK)
    partial = np.zeros(blocks, dtype=np.int64 if np.dtype(dtype).kind == "i" else np.float64)
    try:
        with quiet():
            trace = trace_kernel(reduce_sum_kernel, blocks, THREADS_PER_BLOCK, x, partial, order=order)
    except IndexError as exc:
        raise AssertionError(f"n={n}: a thread went out of bounds: {exc}") from None
    want = np.add.reduceat(x.astype(partial.dtype), np.arange(0, n, THREADS_PER_BLOCK))
    if partial.dtype.kind == "i":
        assert np.array_equal(partial, want), f"n={n}, {order} order: block sums {partial}, expected {want}"
    else:
        np.testing.assert_allclose(partial, want, rtol=0, atol=1e-12 * np.abs(x).sum(), err_msg=f"n={n}, {order} order")
    return trace


for _order in ("forward", "reverse"):
    _check_reduce_kernel(THREADS_PER_BLOCK + 37, np.int64, seed=0, order=_order)
_check_reduce_kernel(5, np.int32, seed=1, order="forward")
_trace = _check_reduce_kernel(THREADS_PER_BLOCK - 1, np.float64, seed=2, order="forward")
### BEGIN HIDDEN TESTS
_trace = _check_reduce_kernel(int(np.random.default_rng(717).integers(3, THREADS_PER_BLOCK)), np.int64, seed=718, order="reverse")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_reduce_sum_kernel_shuffles", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""reduce_sum_kernel sums inside each warp with shuffles, and needs at most two barriers."""
_trace = _check_reduce_kernel(2 * THREADS_PER_BLOCK, np.int64, seed=3, order="forward")
_fewest = min(_trace.shuffles[_t] for _t in _trace.threads)
assert _fewest >= 5, (
    f"a thread took part in {_fewest} warp shuffles, expected at least 5: sum each warp's 32 values "
    "with cuda.shfl_down_sync (offsets 16, 8, 4, 2, 1), not through shared memory"
)
_most = max(_trace.syncs_per_thread())
assert _most <= 2, f"a thread met {_most} barriers; inside a warp the shuffles need none, so one or two are enough"
assert sum(_trace.atomics.values()) == 0, (
    f"the kernel made {sum(_trace.atomics.values())} atomic updates; add with shuffles, then "
    "through one shared slot per warp, and let one thread write the block's sum"
)
assert _trace.max_reads() <= 1, f"a thread read x {_trace.max_reads()} times, expected once: one element per thread"
_stored = max(_trace.per_block(_trace.shared_stores).values())
assert _stored <= WARPS_PER_BLOCK, (
    f"a block stored {_stored} values to shared memory, expected at most {WARPS_PER_BLOCK} (one sum "
    "per warp): the 32 values of a warp should meet through shuffles, not shared memory"
)

# %% nbgrader={"grade": false, "grade_id": "kernels_gpu_sum", "locked": false, "schema_version": 3, "solution": true}
def gpu_sum(x: np.ndarray):
    """The sum of all elements of ``x``, computed with ``reduce_sum_kernel``.

    Integers and booleans are summed exactly in int64, floats in float64.

    Returns:
        An ``np.int64`` or ``np.float64`` scalar; 0 for an empty array.

    Raises:
        TypeError: ``x`` is not an array of booleans, integers or floats (the dtype named).
    """
    x = np.asarray(x)
    # about 12 lines
    ### BEGIN SOLUTION
    if x.dtype.kind not in "biuf":
        raise TypeError(f"dtype {x.dtype}: expected booleans, integers or floats")
    acc = np.float64 if x.dtype.kind == "f" else np.int64
    if x.size == 0:
        return acc(0)
    values = cuda.to_device(np.ascontiguousarray(x.ravel(), dtype=acc))
    n = x.size
    while n > 1:
        blocks = math.ceil(n / THREADS_PER_BLOCK)
        partial = cuda.device_array(blocks, dtype=acc)
        reduce_sum_kernel[blocks, THREADS_PER_BLOCK](values, partial)
        values, n = partial, blocks
    return acc(values.copy_to_host()[0])
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Integers summed exactly (an integer result, right even past 2**53,
# where float64 rounds) and floats within 1e-12 relative, for lengths 1, 3 and a few that span
# more than one block without filling the last; an array of strings raises `TypeError` and an
# empty array sums to 0.

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_sum_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""gpu_sum is exact for integers and close for floats, for lengths that are not powers of two."""


def _check_gpu_sum(x):
    with quiet(), (traced_launches(globals(), "reduce_sum_kernel") if is_simulator() else contextlib.nullcontext()):
        got = gpu_sum(x)
    if x.dtype.kind in "biu":
        want = x.sum(dtype=np.int64)
        assert isinstance(got, np.integer), f"length {x.size}: an integer input should give an integer, got {got!r}"
        assert got == want, f"length {x.size}: gpu_sum returned {got}, expected {want}"
    else:
        want = x.sum(dtype=np.float64)
        assert abs(got - want) <= 1e-12 * np.abs(x).sum(), f"length {x.size}: gpu_sum returned {got}, expected {want}"


_rng = np.random.default_rng(0)
_check_gpu_sum(np.array([7], dtype=np.int32))
_check_gpu_sum(np.array([True, False, True]))
_check_gpu_sum(np.array([2**60 + 1, 3, -(2**59)], dtype=np.int64))  # past 2**53: float64 would round
_check_gpu_sum(_rng.integers(-10**9, 10**9, 2 * THREADS_PER_BLOCK + 3))
_check_gpu_sum(_rng.standard_normal(THREADS_PER_BLOCK + 5).astype(np.float32))
if not is_simulator():
    _check_gpu_sum(_rng.integers(-10**9, 10**9, 10**7 + 3))
    _check_gpu_sum(_rng.standard_normal(10**7 + 3))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1212)
_check_gpu_sum(_rng.integers(-10**6, 10**6, int(_rng.integers(THREADS_PER_BLOCK + 1, 3 * THREADS_PER_BLOCK))))
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "kernels_gpu_sum_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""gpu_sum rejects arrays it cannot add, and returns 0 for an empty one."""
_exc = assert_raises(TypeError, gpu_sum, np.array(["a", "b"]))
_dt = np.array(["a", "b"]).dtype
assert any(name in str(_exc) for name in (str(_dt), _dt.name, repr(_dt))), (
    f"the TypeError should name the dtype ({_dt}); got {_exc}"
)
with quiet():
    _empty = gpu_sum(np.array([], dtype=np.float32))
assert _empty == 0, f"gpu_sum of an empty array returned {_empty}, expected 0"

# %%
# Both matmul kernels timed on operands already on the device, with CUDA events around the launch
# alone; the copies to and from the device are timed apart. The simulator runs the same code on
# one tile, but its timings mean nothing.
def _time_gpu_kernels(n, repeats):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((n, n)).astype(np.float32)
    start_s = time.perf_counter()
    dA, dB = cuda.to_device(A), cuda.to_device(A)
    cuda.synchronize()
    copy_in_ms = (time.perf_counter() - start_s) * 1e3
    dC = cuda.device_array((n, n), dtype=np.float32)
    grid = (math.ceil(n / TILE), math.ceil(n / TILE))
    gflops = {}
    for name, kernel in (("naive", matmul_kernel_naive), ("shared", matmul_kernel_shared)):
        kernel[grid, (TILE, TILE)](dA, dB, dC)  # compile and warm up
        times_ms = []
        for _ in range(repeats):
            begin, end = cuda.event(), cuda.event()
            begin.record()
            kernel[grid, (TILE, TILE)](dA, dB, dC)
            end.record()
            end.synchronize()
            times_ms.append(begin.elapsed_time(end))
        gflops[name] = 2 * n**3 / max(statistics.median(times_ms), 1e-6) / 1e6
    start_s = time.perf_counter()
    dC.copy_to_host()
    copy_out_ms = (time.perf_counter() - start_s) * 1e3
    return gflops, copy_in_ms, copy_out_ms


with quiet():
    _n = TILE if is_simulator() else 2048
    _gpu_gflops, _in_ms, _out_ms = _time_gpu_kernels(_n, repeats=1 if is_simulator() else 5)
if is_simulator():
    _gpu_note = (f"Device: {describe()}; the timing code ran on one {TILE} x {TILE} tile, but simulated "
                 "timings mean nothing: run on a GPU for numbers.")
else:
    _gpu_note = (f"Device: {describe()}; n = {_n}, float32, kernel time only (CUDA events, median of 5): "
                 f"naive {_gpu_gflops['naive']:.0f} GFLOP/s, shared {_gpu_gflops['shared']:.0f} GFLOP/s. "
                 f"Copies, timed apart: A and B to the device {_in_ms:.1f} ms, C back {_out_ms:.1f} ms.")
Markdown(_gpu_note)

# %% [markdown]
# ## Part 3: profiling a network end to end
#
# A kernel's speedup matters only as much as the kernel's share of the total time (Amdahl's law):
# if a kernel takes a fraction f of the run and becomes s times faster, the whole run becomes
# `1 / ((1 - f) + f / s)` times faster. So before changing anything, measure where the time goes.
#
# A network runs as a sequence of *operators* (`aten::addmm`, `aten::relu`, ...), each a call
# into a kernel. `torch.profiler.profile` records every operator that runs inside its block (name,
# thread, start, duration) and, with `profile_memory=True`, every tensor allocation and free. The
# recording gives two views:
#
# - a **trace**: `prof.export_chrome_trace(path)` writes the events as Chrome trace JSON, an object
#   whose `"traceEvents"` list holds one `"ph": "X"` event per operator (start `ts` and duration
#   `dur` in microseconds) and one `"[memory]"` event per allocation or free. Drag the file onto
#   [ui.perfetto.dev](https://ui.perfetto.dev) (or open it in `chrome://tracing`) to see the step
#   as a timeline, each operator drawn under the one that called it;
# - a **summary**: `prof.key_averages()` adds the events up per operator name. Each entry has a
#   `key` (the name), `self_cpu_time_total` (microseconds in the operator itself, without the
#   operators it called) and `self_cpu_memory_usage` (bytes it allocated minus bytes it freed,
#   again without its callees). Ranking by *self* values puts the work where it happens; the
#   totals (`cpu_time_total`) put wrappers on top, such as `aten::linear`, which does little
#   besides calling `aten::addmm`.
#
# The set-up cell builds a training step of a small multi-layer perceptron (MLP) in PyTorch, with
# the layer sizes of the NumPy MLP at the end of this part: forward pass, cross-entropy loss,
# backward pass and an SGD step, on a fixed synthetic batch.

# %% nbgrader={"grade": false, "grade_id": "kernels_setup_step", "locked": true, "schema_version": 3, "solution": false}
# The profiler's back end prints notices straight to standard error unless told not to; it reads
# the setting once, at its first use, so it is set before torch is imported.
os.environ.setdefault("KINETO_LOG_LEVEL", "6")

import json
import tempfile
from pathlib import Path

import torch
from torch.profiler import ProfilerActivity, profile

from utils.profiling import native_stderr_silenced

MLP_SIZES = (64, 128, 128, 10)


def make_training_step(sizes: Sequence[int] = MLP_SIZES, batch: int = 256, seed: int = 0) -> Callable[[], float]:
    """One SGD training step of an MLP on a fixed synthetic batch, as a function of no arguments.

    Each call runs the forward pass, the cross-entropy loss, the backward pass and the optimizer
    step, and returns the loss.
    """
    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, sizes[0], generator=gen)
    y = torch.randint(0, sizes[-1], (batch,), generator=gen)

    def step() -> float:
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


# The profiler's first use in a process loads its back end; pay for it here, once.
with native_stderr_silenced(), profile(activities=[ProfilerActivity.CPU], profile_memory=True):
    torch.zeros(1)

# %% [markdown]
# **Exercise.** Write `profile_step(step, trace_path, k=5)`. Call `step()` once untimed (a
# warm-up: first calls allocate and initialise things later calls reuse), then once inside
# `profile(activities=[ProfilerActivity.CPU], profile_memory=True)`, and export that recording to
# `trace_path`. Return the `k` operators of `prof.key_averages()` with the most self CPU time and
# the `k` with the most self CPU memory, as `(name, value)` pairs, largest first. The profiler's
# C++ back end writes notices straight to the process's standard error, which nbgrader scores as
# a failure: record and export inside `native_stderr_silenced()` (imported by the set-up cell).
# Raise `ValueError` for `k` below 1.

# %% nbgrader={"grade": false, "grade_id": "kernels_profile_step", "locked": false, "schema_version": 3, "solution": true}
def profile_step(step: Callable[[], Any], trace_path: str | Path, k: int = 5) -> dict[str, list[tuple[str, float]]]:
    """Profile one call of ``step()``, export its Chrome trace, and rank its operators.

    Args:
        step: the code to profile, called with no arguments (twice: a warm-up, then profiled).
        trace_path: where to write the Chrome trace JSON of the profiled call.
        k: how many operators to list in each ranking.

    Returns:
        ``{"self_cpu_us": [(name, microseconds), ...], "self_cpu_bytes": [(name, bytes), ...]}``:
        the ``k`` operators with the most self CPU time and the most self CPU memory, largest first.

    Raises:
        ValueError: ``k`` < 1.
    """
    # about 12 lines
    ### BEGIN SOLUTION
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    step()
    with native_stderr_silenced():
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            step()
        prof.export_chrome_trace(str(trace_path))
    totals = prof.key_averages()
    by_time = sorted(((e.key, float(e.self_cpu_time_total)) for e in totals), key=lambda row: row[1], reverse=True)
    by_bytes = sorted(((e.key, float(e.self_cpu_memory_usage)) for e in totals), key=lambda row: row[1], reverse=True)
    return {"self_cpu_us": by_time[:k], "self_cpu_bytes": by_bytes[:k]}
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The trace, read back from the file: valid JSON with a `"traceEvents"`
# list, exactly one training step of a three-layer MLP in it (three `aten::addmm`, one per
# layer), memory events present, and `step` called twice in all (warm-up, then profiled). The
# rankings, on a step with a known hot spot (eight 384 x 384 matrix products and one untouched
# 16 MB `torch.empty`): both keys, at most `k` pairs each, largest first; `aten::mm` on top by self
# time, its microseconds matching the durations of the `aten::mm` events in your trace file;
# `aten::empty` on top by self memory with exactly its 16 000 000 bytes, `aten::mm` second with
# the bytes of its eight outputs. `ValueError` for `k=0`.

# %% nbgrader={"grade": true, "grade_id": "kernels_profile_step_trace", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""profile_step warms up once, then writes a Chrome trace of exactly one step, with memory events."""
calls = []
train = make_training_step(batch=32, seed=1)


def counted_step():
    calls.append(1)
    return train()


with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "step.json"
    with quiet(), native_stderr_silenced():
        profile_step(counted_step, path, k=3)
    assert path.is_file(), "profile_step should write the Chrome trace to trace_path"
    trace = json.loads(path.read_text())
assert isinstance(trace, dict) and isinstance(trace.get("traceEvents"), list), (
    "the file should hold a Chrome trace: a JSON object with a 'traceEvents' list"
)
assert len(calls) == 2, f"expected step() called twice (a warm-up, then the profiled call), got {len(calls)} calls"
ops = [e for e in trace["traceEvents"] if e.get("ph") == "X" and e.get("cat") == "cpu_op"]
addmm = sum(e.get("name") == "aten::addmm" for e in ops)
assert addmm == 3, (
    f"one step of a 3-layer MLP runs 3 aten::addmm (one per Linear layer); the trace has {addmm}: "
    "profile exactly one call, not the warm-up"
)
assert any(e.get("name") == "[memory]" for e in trace["traceEvents"]), (
    "the trace has no memory events: record with profile_memory=True"
)

# %% nbgrader={"grade": true, "grade_id": "kernels_profile_step_ranking", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""profile_step ranks operators by self time and self memory, as the trace file records them."""
a = torch.ones(384, 384)


def hot_step():
    big = torch.empty(4_000_000)  # 16 MB, never touched: memory but almost no time
    c = a
    for _ in range(8):
        c = a @ a  # aten::matmul calls aten::mm, which does the work and allocates the output
    return float(c[0, 0]) + big.shape[0]


with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "hot.json"
    with quiet(), native_stderr_silenced():
        top = profile_step(hot_step, path, k=3)
    events = json.loads(path.read_text())["traceEvents"]
assert isinstance(top, dict) and set(top) == {"self_cpu_us", "self_cpu_bytes"}, (
    f"expected a dict with the keys 'self_cpu_us' and 'self_cpu_bytes', got {top!r}"
)
for key in ("self_cpu_us", "self_cpu_bytes"):
    rows = top[key]
    assert isinstance(rows, list) and 1 <= len(rows) <= 3, f"{key}: expected a list of 1 to k=3 pairs, got {rows!r}"
    assert all(isinstance(n, str) and isinstance(v, (int, float)) for n, v in rows), f"{key}: expected (name, number) pairs, got {rows!r}"
    values = [v for _, v in rows]
    assert values == sorted(values, reverse=True), f"{key}: expected largest first, got {rows}"
name, us = top["self_cpu_us"][0]
assert name == "aten::mm", (
    f"eight 384 x 384 products take most of the time, in aten::mm itself; your top operator by time is {name!r} "
    "(ranked by total time, which puts the wrapper aten::matmul first?)"
)
mm_us = sum(float(e["dur"]) for e in events if e.get("ph") == "X" and e.get("name") == "aten::mm")
assert 0.9 * mm_us <= us <= mm_us + 1.0, (
    f"aten::mm: your ranking says {us!r} self microseconds, the trace file's aten::mm events last {mm_us:.1f} "
    "microseconds in all; report microseconds, from the same recording you exported"
)
mm_bytes = 8 * 384 * 384 * 4
got = [(n, int(v)) for n, v in top["self_cpu_bytes"][:2]]
assert got == [("aten::empty", 16_000_000), ("aten::mm", mm_bytes)], (
    f"by self memory: expected aten::empty with 16000000 bytes, then aten::mm with its eight outputs, {mm_bytes} "
    f"bytes; got {got} (was profile_memory=True set, and are the values self, not total, bytes?)"
)

# %% nbgrader={"grade": true, "grade_id": "kernels_profile_step_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""profile_step refuses k below 1."""
with tempfile.TemporaryDirectory() as tmp:
    for bad in (0, -2):
        assert_raises(ValueError, profile_step, lambda: None, Path(tmp) / "unused.json", k=bad)

# %% [markdown]
# The chapter's training step, profiled. The trace is written next to this notebook, as
# `kernels_training_step.json`: open it in Perfetto and find the forward pass, the backward pass
# (operators named after the autograd nodes, such as `AddmmBackward0`) and the optimizer step.

# %%
_top = profile_step(make_training_step(), "kernels_training_step.json", k=6)
fig, (ax_time, ax_bytes) = new_figure(ncols=2, width_in=4.5, height_in=3.2)
for _ax, _key, _scale, _unit in ((ax_time, "self_cpu_us", 1e-3, "self CPU time (ms)"),
                                 (ax_bytes, "self_cpu_bytes", 2**-10, "self CPU memory (KiB)")):
    _names = [n for n, _ in _top[_key]][::-1]
    _ax.barh(_names, [v * _scale for _, v in _top[_key]][::-1])
    _ax.set(xlabel=_unit)
    _ax.tick_params(axis="y", labelsize=7)
fig.suptitle(f"One training step, MLP {MLP_SIZES}, batch 256, on this machine", fontsize=9)
fig

# %% [markdown]
# `torch.profiler` sees operators; it cannot see into a NumPy function. For the NumPy version of
# the same network, whose matrix product is one of your kernels, Python's own profiler gives the
# function-level view: `cProfile` records every Python call, with the time in the function
# itself (`tottime`, self time again) and including what it called (`cumtime`). The set-up cell
# below defines the NumPy MLP; its `Dense` layer computes `x @ W + b` with whatever matrix product
# you give it. The cell after it profiles a forward pass on `matmul_naive`, swaps in
# `matmul_fast`, profiles again, and checks that both give the same outputs.

# %% nbgrader={"grade": false, "grade_id": "kernels_setup_mlp", "locked": true, "schema_version": 3, "solution": false}
class Dense:
    """A fully connected layer ``x @ W + b`` whose matrix product is a function you pass in."""

    def __init__(self, n_in: int, n_out: int, matmul: Callable, rng: np.random.Generator):
        self.W = (rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32)
        self.b = np.zeros(n_out, dtype=np.float32)
        self.matmul = matmul

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.matmul(x, self.W) + self.b


class MLP:
    """Dense layers of the given sizes with ReLU between them; ``use(matmul)`` swaps the kernel."""

    def __init__(self, sizes: Sequence[int], matmul: Callable, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.layers = [Dense(a, b, matmul, rng) for a, b in zip(sizes[:-1], sizes[1:])]

    def use(self, matmul: Callable) -> None:
        for layer in self.layers:
            layer.matmul = matmul

    def __call__(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers[:-1]:
            x = np.maximum(layer(x), 0)
        return self.layers[-1](x)


def cprofile_top(model: Callable[[np.ndarray], Any], x: np.ndarray, repeats: int, rows: int = 5) -> list[tuple[str, float]]:
    """The ``rows`` functions with the most cumulative time per call of ``model(x)``, after a warm-up."""
    model(x)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        for _ in range(repeats):
            model(x)
    finally:
        profiler.disable()
    ranked = sorted(pstats.Stats(profiler).stats.items(), key=lambda item: item[1][3], reverse=True)
    return [(name if file == "~" else f"{name} ({os.path.basename(file)}:{line})", cumulative_s / repeats)
            for (file, line, name), (_, _, _, cumulative_s, _) in ranked[:rows]]


# %%
_model = MLP(MLP_SIZES, matmul=matmul_naive)
_x = np.random.default_rng(9).standard_normal((16, MLP_SIZES[0])).astype(np.float32)
_naive_out = _model(_x)
_naive_top = cprofile_top(_model, _x, repeats=2)
_model.use(matmul_fast)
_fast_out = _model(_x)
_fast_top = cprofile_top(_model, _x, repeats=20)
np.testing.assert_allclose(_fast_out, _naive_out, rtol=1e-4, atol=1e-5)
_, _naive_us = time_kernel(MLP(MLP_SIZES, matmul=matmul_naive), _x, repeats=1, warmup=0)
_, _fast_us = time_kernel(_model, _x, repeats=20)
for _label, _rows in (("matmul_naive", _naive_top), ("matmul_fast", _fast_top)):
    print(f"Top 5 by cumulative time per forward pass, {_label}:")
    for _name, _s in _rows:
        print(f"  {_s * 1e3:9.3f} ms  {_name}")
print(f"forward pass: {_naive_us / 1e3:.0f} ms -> {_fast_us / 1e3:.3f} ms ({_naive_us / _fast_us:.0f}x); "
      "outputs agree within 1e-4")
print(f"kernel alone at n = 64 (GFLOP/s plot): matmul_fast is "
      f"{gflops['matmul_fast'][64] / gflops['matmul_naive'][64]:.0f}x as fast as matmul_naive")

# %% [markdown]
# **Reflection 2 (2 points).** (a) In the trace of the PyTorch training step, which operators take
# the most self time and which allocate the most memory? Explain why from what each layer computes
# in the forward and the backward pass. (b) In the NumPy MLP on `matmul_fast`, what now takes the
# largest share of a forward pass, and why is the end-to-end speedup smaller than the kernel
# speedup at n = 64 (both printed above)? (c) Both profilers stop where compiled code starts. What
# do they miss inside `matmul_fast`, and how would you find out which part of the kernel (packing,
# the 4 x 4 loop, the horizontal sums) costs the most? Three to six sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "kernels_reflection_2", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# ### BEGIN SOLUTION
# (a) The matrix products: `aten::addmm` in the forward pass (one per Linear layer) and `aten::mm`
# in the backward pass, which needs two products per layer (the gradient of the input and of the
# weights), so the backward pass costs about twice the forward. Memory goes to the outputs of the
# same operators: the activations the forward pass keeps for the backward (`aten::addmm`, and
# `aten::clamp_min` for the ReLUs) and the gradients (`aten::mm`, `aten::threshold_backward`), each
# batch x width floats. (b) With the kernel fast, the fixed costs dominate: the Python wrapper
# (shape checks, dtype conversion, switching to one thread), allocating and filling the padded
# buffers, the dispatch into compiled code, and the bias addition and ReLU as separate NumPy calls.
# They cost microseconds each whatever the size, while each layer has under 1 MFLOP of work, so
# Amdahl's law caps the gain below the kernel's speedup. A batch of 1024 rather than 16 would raise
# the work per call. (c) cProfile reports one line for the compiled kernel and the trace one
# operator; neither sees inside. Timing variants (packing only, the kernel on packed inputs),
# counting FLOPs per phase, or a sampling profiler that reads native stacks (`perf`,
# `py-spy --native`) would split the time among packing, the inner loop and the sums.
# ### END SOLUTION

# %% [markdown]
# ## Benchmark
#
# `python -m utils bench` times `matmul_numba`, `matmul_numba_parallel` and `matmul_fast` (the
# reference solutions of this chapter) at n = 256, 512 and 1024 in float32 against NumPy's BLAS
# with the same number of threads and with one thread, and writes the GFLOP/s and fractions to a
# JSON file (`--output`). On a machine with a GPU it also times `gpu_matmul` against
# `torch.matmul`. `python -m utils bench --help` lists the options.
