"""Chapter 03, GPU part: the reference kernels, and the tracer that makes their grading deterministic.

Without a GPU everything runs on Numba's CUDA simulator (``utils.gpu`` chooses before numba is
imported); the tracer defined in the chapter's set-up cell runs the threads of a block one at a time
in a fixed order, so a missing ``syncthreads`` must give the same wrong answer on every run.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import numpy as np
import pytest
import strategies  # noqa: F401 - registers and loads the course hypothesis profile
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.ch03

MUTANTS = Path(__file__).resolve().parent / "mutants" / "03_kernels"


@pytest.fixture(scope="module")
def ns() -> dict:
    """The chapter's set-up cells and reference answers, run in this process."""
    from utils import gpu
    from utils.instructor import harness

    if "numba" in sys.modules and not gpu.is_simulator() and gpu.choose() == "sim":
        pytest.skip("numba was imported before the GPU choice was made; run this file on its own")
    return harness.solution_namespace("03_kernels")


def with_mutant(ns: dict, filename: str) -> dict:
    """A copy of the namespace where one exercise cell is replaced by a mutant file."""
    env = dict(ns)
    path = MUTANTS / filename
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), env)
    return env


def traced_matmul(env: dict, kernel_name: str, m: int, k: int, n: int, order: str = "forward") -> np.ndarray:
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    C = np.zeros((m, n))
    tile = env["TILE"]
    side = -(-max(m, n) // tile)
    with env["quiet"]():
        env["trace_kernel"](env[kernel_name], (side, side), (tile, tile), A, B, C, order=order)
    return C


@pytest.mark.parametrize(
    "mutant", ["gpu_matmul_shared_no_sync_after_load.py", "gpu_matmul_shared_no_sync_after_compute.py"]
)
def test_a_missing_barrier_gives_the_same_wrong_answer_every_time(ns, mutant):
    """Does a tile kernel without one of its two barriers fail identically on every traced run?"""
    env = with_mutant(ns, mutant)
    tile = env["TILE"]
    runs = [traced_matmul(env, "matmul_kernel_shared", 5, 2 * tile + 3, 7) for _ in range(3)]
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((5, 2 * tile + 3)), rng.standard_normal((2 * tile + 3, 7))
    assert not np.allclose(runs[0], A @ B, equal_nan=False)
    for other in runs[1:]:
        np.testing.assert_array_equal(other, runs[0])


def test_a_reduction_without_barriers_between_rounds_fails_every_time(ns):
    """Does the tree reduction without syncthreads between rounds give the same wrong sums each run?"""
    env = with_mutant(ns, "gpu_reduce_no_sync_in_tree.py")
    threads = env["THREADS_PER_BLOCK"]
    x = np.arange(threads + 37, dtype=np.int64)
    results = []
    for _ in range(3):
        partial = np.zeros(2, dtype=np.int64)
        with env["quiet"]():
            env["trace_kernel"](env["reduce_sum_kernel"], 2, threads, x, partial)
        results.append(partial)
    assert results[0].tolist() != [int(x[:threads].sum()), int(x[threads:].sum())]
    assert all(r.tolist() == results[0].tolist() for r in results)


@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_the_reference_tile_kernel_is_right_in_either_thread_order(ns, order):
    """Is the reference shared-memory kernel correct whichever order the tracer runs threads in?"""
    tile = ns["TILE"]
    C = traced_matmul(ns, "matmul_kernel_shared", tile + 2, 2 * tile + 1, 3, order=order)
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((tile + 2, 2 * tile + 1)), rng.standard_normal((2 * tile + 1, 3))
    np.testing.assert_allclose(C, A @ B, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n", [1, 5, 16, 17, 33])
def test_read_counts_match_what_the_tracer_measures(ns, n):
    """Do the derived reads per thread equal the most reads any traced thread makes?"""
    tile = ns["TILE"]
    for name, kernel in [("naive", "matmul_kernel_naive"), ("shared", "matmul_kernel_shared")]:
        trace = ns["check_matmul_kernel"](ns[kernel], n, n, n, seed=n)
        assert trace.max_reads() == ns["global_reads_per_thread"](name, n, tile), (name, n)


def test_tiling_reads_tile_times_fewer_values(ns):
    """For n a multiple of the tile, does the shared kernel read exactly tile times fewer values?"""
    reads = ns["global_reads_per_thread"]
    for n, tile in [(1024, 16), (4096, 32), (96, 8)]:
        assert reads("naive", n, tile) == tile * reads("shared", n, tile)


def test_the_tracer_names_the_thread_that_goes_out_of_bounds(ns):
    """Does a kernel without a bounds check fail with the thread and the index named?"""
    env = with_mutant(ns, "gpu_vector_add_no_bounds_check.py")
    a = np.ones(37)
    with pytest.raises(IndexError, match=r"thread \(5, 0, 0\) of block \(1, 0, 0\) indexed a\[37\]"):
        env["trace_kernel"](env["vector_add_kernel"], 2, 32, a, a, np.zeros(37))


def test_the_tracer_puts_the_cuda_module_back_after_a_failure(ns):
    """After a traced kernel raises, does the name `cuda` mean numba.cuda again?"""
    import numba.cuda

    env = with_mutant(ns, "gpu_vector_add_no_bounds_check.py")
    with pytest.raises(IndexError):
        env["trace_kernel"](env["vector_add_kernel"], 1, 8, np.ones(3), np.ones(3), np.zeros(3))
    assert env["cuda"] is numba.cuda


def test_traced_launches_record_the_configuration_and_restore_the_kernel(ns):
    """Does traced_launches record each launch and put the real kernel back afterwards?"""
    kernel = ns["vector_add_kernel"]
    with ns["traced_launches"](ns, "vector_add_kernel") as launches:
        got = ns["gpu_vector_add"](np.arange(300.0), np.ones(300))
    np.testing.assert_array_equal(got, np.arange(300.0) + 1)
    assert [(tuple(g), tuple(b)) for g, b in launches] == [((3, 1, 1), (ns["THREADS_PER_BLOCK"], 1, 1))]
    assert ns["vector_add_kernel"] is kernel


@settings(max_examples=6)
@given(m=st.integers(1, 18), k=st.integers(1, 40), n=st.integers(1, 18), kernel=st.sampled_from(["naive", "shared"]),
       single=st.booleans())
def test_gpu_matmul_matches_numpy_for_any_shape(ns, m, k, n, kernel, single):
    """Does gpu_matmul match A @ B on the simulator (or GPU) for shapes that are not multiples of the tile?"""
    dtype = np.float32 if single else np.float64
    rng = np.random.default_rng(m * 10_000 + k * 100 + n)
    A, B = rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)
    with ns["quiet"]():
        got = ns["gpu_matmul"](A, B, kernel=kernel)
    assert got.dtype == dtype
    tol = 1e-4 if single else 1e-10
    np.testing.assert_allclose(got, A.astype(np.float64) @ B, rtol=tol, atol=tol * np.sqrt(k))


def test_gpu_matmul_names_both_shapes_when_inner_dimensions_differ(ns):
    """Does a mismatched product raise ValueError naming both shapes?"""
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        ns["gpu_matmul"](np.ones((2, 3)), np.ones((4, 5)))


def traced_reduction(ns: dict):
    """The reduction kernel uses warp shuffles, which Numba's simulator lacks: there it runs in the tracer."""
    if ns["is_simulator"]():
        return ns["traced_launches"](ns, "reduce_sum_kernel")
    return contextlib.nullcontext()


@settings(max_examples=15)
@given(values=st.lists(st.integers(-(2**40), 2**40), max_size=300))
def test_gpu_sum_is_exact_for_integers(ns, values):
    """Is gpu_sum exactly np.sum for integer vectors of any length, including powers of two and zero?"""
    x = np.array(values, dtype=np.int64)
    with ns["quiet"](), traced_reduction(ns):
        got = ns["gpu_sum"](x)
    assert isinstance(got, np.integer) and got == x.sum()


def test_gpu_sum_past_float_precision(ns):
    """Does gpu_sum stay exact where float64 would round (totals past 2**53)?"""
    x = np.array([2**53 + 1, 3, -(2**52)] * 100, dtype=np.int64)
    with ns["quiet"](), traced_reduction(ns):
        assert ns["gpu_sum"](x) == x.sum()


def test_the_tracer_reports_a_race_on_global_memory(ns):
    """Does a non-atomic += into one global slot by many threads fail, though turns give the right sum?"""
    env = with_mutant(ns, "gpu_reduce_global_race.py")
    x = np.arange(40, dtype=np.int64)
    with pytest.raises(AssertionError, match=r"race on global memory: partial\[0\]"):
        with env["quiet"]():
            env["trace_kernel"](env["reduce_sum_kernel"], 1, env["THREADS_PER_BLOCK"], x, np.zeros(1, np.int64))


def test_the_tracer_accepts_atomic_updates_and_ordered_accesses(ns):
    """Do cuda.atomic.add from many threads, and a write and read split by a barrier, pass?"""
    env = dict(ns)
    exec(
        "@cuda.jit\n"
        "def atomic_total(x, out):\n"
        "    i = cuda.grid(1)\n"
        "    if i < x.shape[0]:\n"
        "        cuda.atomic.add(out, 0, x[i])\n"
        "\n"
        "@cuda.jit\n"
        "def write_then_read(x, out):\n"
        "    t = cuda.threadIdx.x\n"
        "    x[t] = t\n"
        "    cuda.syncthreads()\n"
        "    out[t] = x[(t + 1) % x.shape[0]]\n",
        env,
    )
    trace_kernel, atomic_total, write_then_read = env["trace_kernel"], env["atomic_total"], env["write_then_read"]
    out = np.zeros(1)
    trace_kernel(atomic_total, 2, 8, np.arange(10.0), out)
    assert out[0] == 45
    out = np.zeros(8)
    trace_kernel(write_then_read, 1, 8, np.zeros(8), out)
    np.testing.assert_array_equal(out, (np.arange(8) + 1) % 8)


def test_the_tracer_reports_a_barrier_some_threads_skip(ns):
    """Does a tile kernel whose threads outside C return early fail on the divergent barrier?"""
    env = with_mutant(ns, "gpu_matmul_shared_early_return.py")
    with pytest.raises(AssertionError, match="must reach every barrier"):
        env["check_matmul_kernel"](env["matmul_kernel_shared"], 5, 2 * env["TILE"] + 3, 7)


def test_a_double_buffered_tile_kernel_passes_with_one_barrier_per_tile_plus_one(ns):
    """Is the double-buffered alternative right in both orders, with tiles + 1 barriers per thread?"""
    env = dict(ns)
    path = Path(__file__).resolve().parent / "alternatives" / "03_kernels" / "gpu_matmul_shared_double_buffered.py"
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), env)
    tile = env["TILE"]
    for order in ("forward", "reverse"):
        trace = env["check_matmul_kernel"](env["matmul_kernel_shared"], 6, 2 * tile + 3, 5, order=order)
        assert trace.syncs_per_thread() == {3 + 1}
        assert trace.max_reads() == 2 * 3


def test_a_tile_kernel_that_reads_global_memory_in_its_inner_loop_is_counted(ns):
    """Does the tracer count k reads per operand for a kernel that only pretends to tile?"""
    env = with_mutant(ns, "gpu_matmul_shared_global_reads.py")
    k = 2 * env["TILE"] + 3
    trace = env["check_matmul_kernel"](env["matmul_kernel_shared"], 6, k, 5)
    assert trace.max_reads() == 2 * k
