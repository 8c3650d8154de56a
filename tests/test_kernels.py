"""Chapter 03 (kernels), CPU part and end to end: the reference solutions behave as the chapter says.

The grade cells themselves, the mutants and the alternatives are exercised by ``test_mutants.py``
and the pipeline tests; here the reference solutions are called directly (through
``utils.instructor.harness.solution_namespace``) on inputs drawn by hypothesis, so that a regression in a
reference answer shows up with a small failing example rather than as a lost grade point.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import strategies  # noqa: F401 - registers and loads the "course" hypothesis profile
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.instructor import harness

pytestmark = pytest.mark.ch03

MATMULS = ("matmul_naive", "matmul_vectorized", "matmul_blocked", "matmul_numba",
           "matmul_numba_parallel", "matmul_fast")


@pytest.fixture(scope="module")
def ns():
    return harness.solution_namespace("03_kernels")


def _operands(seed: int, m: int, k: int, n: int, dtype):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)


@pytest.mark.parametrize("name", MATMULS)
@settings(max_examples=15)
@given(m=st.integers(1, 24), k=st.integers(1, 24), n=st.integers(1, 24),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**16))
def test_every_matmul_matches_numpy_for_any_shape(ns, name, m, k, n, dtype, seed):
    """Does each matrix product equal A @ B for square and non-square shapes, in both dtypes?"""
    A, B = _operands(seed, m, k, n, dtype)
    ns["assert_matmul_close"](ns[name](A, B), A, B, name)


@pytest.mark.parametrize("name", MATMULS)
def test_every_matmul_names_both_shapes_when_inner_dimensions_differ(ns, name):
    """Does each matrix product raise ValueError naming (3, 4) and (5, 2)?"""
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(5, 2\)"):
        ns[name](np.ones((3, 4)), np.ones((5, 2)))


@pytest.mark.parametrize("name", ("matmul_numba", "matmul_numba_parallel", "matmul_fast"))
def test_compiled_matmuls_handle_large_inner_dimensions_and_views(ns, name):
    """Do the compiled kernels get long inner dimensions (several k-slices) and strided views right?"""
    A, B = _operands(3, 37, 2100, 29, np.float32)
    ns["assert_matmul_close"](ns[name](A, B), A, B, f"{name}, k = 2100")
    A, B = _operands(4, 40, 30, 50, np.float64)
    ns["assert_matmul_close"](ns[name](A[::2, 1:], B[1:, ::3]), A[::2, 1:], B[1:, ::3], f"{name}, views")


@pytest.mark.parametrize("shape", [(0, 3, 4), (3, 0, 4), (3, 4, 0)])
def test_matmul_fast_accepts_empty_dimensions(ns, shape):
    """Does matmul_fast return the right empty or zero result when a dimension is 0?"""
    m, k, n = shape
    C = ns["matmul_fast"](np.ones((m, k), np.float32), np.ones((k, n), np.float32))
    assert C.shape == (m, n) and C.dtype == np.float32 and not np.any(C)


@settings(max_examples=25)
@given(m=st.integers(1, 40), k=st.integers(1, 40), n=st.integers(1, 40), bs=st.integers(1, 50))
def test_blocked_matmul_is_right_for_any_block_size(ns, m, k, n, bs):
    """Does matmul_blocked keep the last partial tile, whatever the block size?"""
    A, B = _operands(m * 1000 + k, m, k, n, np.float64)
    ns["assert_matmul_close"](ns["matmul_blocked"](A, B, block_size=bs), A, B, f"block_size={bs}")


@given(m=st.integers(1, 10**4), k=st.integers(1, 10**4), n=st.integers(1, 10**4), itemsize=st.sampled_from([1, 2, 4, 8]),
       seconds=st.floats(1e-6, 10.0), peak=st.floats(1.0, 1e4), bandwidth=st.floats(1.0, 1e3))
def test_roofline_points_match_the_closed_forms(ns, m, k, n, itemsize, seconds, peak, bandwidth):
    """Are FLOPs 2mkn, bytes (mk + kn + mn) x itemsize, the roof the smaller limit, the bound its side of the ridge?"""
    (row,) = ns["roofline_points"]([("k", (m, k, n), seconds)], peak, bandwidth, itemsize)
    flops, nbytes = 2 * m * k * n, (m * k + k * n + m * n) * itemsize
    assert row["flops"] == flops and row["bytes"] == nbytes
    assert row["intensity"] == pytest.approx(flops / nbytes, rel=1e-12)
    assert row["gflops"] == pytest.approx(flops / seconds / 1e9, rel=1e-12)
    assert row["roof_gflops"] == pytest.approx(min(peak, flops / nbytes * bandwidth), rel=1e-12)
    if abs(flops / nbytes * bandwidth / peak - 1) > 1e-9:
        assert row["bound"] == ("memory" if flops / nbytes * bandwidth < peak else "compute")


def test_time_kernel_reports_microseconds_and_the_result(ns):
    """Does time_kernel return the function's value and a median of about 5 ms for a 5 ms sleep?"""
    import time

    result, us = ns["time_kernel"](lambda: (time.sleep(0.005), 42)[1], repeats=3)
    assert result == 42 and 5_000 <= us < 200_000


@settings(max_examples=30)
@given(n=st.integers(0, 200), workers=st.integers(1, 9), seed=st.integers(0, 2**16))
def test_parallel_relu_equals_the_sequential_relu(ns, n, workers, seed):
    """Does parallel_relu give np.maximum(x, 0) for any size, including fewer elements than workers?"""
    x = np.random.default_rng(seed).standard_normal(n)
    assert np.array_equal(ns["parallel_relu"](x, num_workers=workers), np.maximum(x, 0))


@settings(max_examples=20)
@given(size=st.integers(0, 20), workers=st.integers(1, 6))
def test_parallel_batch_keeps_the_batch_order(ns, size, workers):
    """Does parallel_batch_processing return results in the batch's order?"""
    batch = [np.full(2, float(i)) - 5 for i in range(size)]
    got = ns["parallel_batch_processing"](batch, num_workers=workers)
    assert len(got) == size
    assert all(np.array_equal(g, np.maximum(b, 0)) for g, b in zip(got, batch))


@settings(max_examples=40)
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60),
       bits=st.sampled_from([8, 16]))
def test_quantization_error_is_at_most_half_a_scale(ns, values, bits):
    """Does every quantized value lie within scale / 2 of its input, inside the symmetric range?"""
    x = np.array(values)
    q, scale = ns["quantize_symmetric"](x, bits=bits)
    qmax = 2 ** (bits - 1) - 1
    assert q.dtype == (np.int8 if bits == 8 else np.int16)
    assert -qmax <= int(q.min()) and int(q.max()) <= qmax
    assert np.all(np.abs(q * scale - x) <= scale * (0.5 + 1e-9))


@pytest.mark.parametrize("bits", [3, 4, 32, 64])
def test_quantization_refuses_other_bit_widths(ns, bits):
    """Do all three quantized functions raise ValueError for widths other than 8 and 16?"""
    for name, args in (("quantize_symmetric", (np.ones(3),)), ("quantized_relu", (np.ones(3),)),
                       ("quantized_matmul", (np.ones((2, 2)), np.ones((2, 2))))):
        with pytest.raises(ValueError, match=str(bits)):
            ns[name](*args, bits=bits)


def test_quantized_matmul_does_not_overflow_with_long_sums(ns):
    """Do int8 products summed over k = 4000 stay exact in the int32 accumulator?"""
    A = np.full((2, 4000), 1.0, np.float32)
    B = np.full((4000, 3), 1.0, np.float32)
    np.testing.assert_allclose(ns["quantized_matmul"](A, B), 4000.0, rtol=1e-6)


def test_profile_step_finds_the_matrix_products_of_the_training_step(ns, tmp_path):
    """Does profiling the chapter's training step rank a matrix product first by memory, rank by
    time largest first, and write a readable trace of exactly one step?"""
    path = tmp_path / "step.json"
    top = ns["profile_step"](ns["make_training_step"](batch=64), path, k=4)
    # Memory, not time: which operator allocates most is the same on every run, while a step this
    # short can lose a matrix product from the top 4 by time when the machine is busy (seen in CI).
    assert top["self_cpu_bytes"][0][0] in ("aten::addmm", "aten::mm"), top
    assert len(top["self_cpu_us"]) == 4
    assert [v for _, v in top["self_cpu_us"]] == sorted((v for _, v in top["self_cpu_us"]), reverse=True)
    assert [v for _, v in top["self_cpu_bytes"]] == sorted((v for _, v in top["self_cpu_bytes"]), reverse=True)
    events = json.loads(path.read_text())["traceEvents"]
    assert sum(e.get("name") == "aten::addmm" for e in events) == 3


def test_mlp_outputs_agree_between_naive_and_fast_matmul(ns):
    """Does swapping matmul_fast into the MLP leave its outputs unchanged (within float32 rounding)?"""
    model = ns["MLP"]([16, 32, 8], matmul=ns["matmul_naive"])
    x = np.random.default_rng(0).standard_normal((5, 16)).astype(np.float32)
    slow = model(x)
    model.use(ns["matmul_fast"])
    np.testing.assert_allclose(model(x), slow, rtol=1e-4, atol=1e-5)


def test_bench_writes_fractions_of_blas(tmp_path):
    """Does `python -m utils bench` write GFLOP/s and fractions of BLAS for each kernel and size?"""
    from utils.instructor import bench

    out = tmp_path / "bench.json"
    assert bench.main(["--sizes", "32", "48", "--repeats", "1", "--no-gpu", "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    assert [row["n"] for row in data["cpu"]["sizes"]] == [32, 48]
    for row in data["cpu"]["sizes"]:
        assert row["blas_gflops"] > 0 and row["blas_1thread_gflops"] > 0
        assert set(row["kernels"]) == {"matmul_numba", "matmul_numba_parallel", "matmul_fast"}
        for k in row["kernels"].values():
            assert k["gflops"] > 0 and k["fraction_of_blas"] > 0 and k["fraction_of_blas_1thread"] > 0
    assert data["gpu"] is None


def test_bench_help_lists_the_options(capsys):
    """Does `python -m utils bench --help` show examples and the --sizes, --repeats, --output options?"""
    from utils.instructor import bench

    with pytest.raises(SystemExit) as stop:
        bench.main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for word in ("--sizes", "--repeats", "--output", "examples:"):
        assert word in text


@pytest.mark.parametrize("answer", [lambda A, B: None, lambda A, B: np.zeros((A.shape[0], B.shape[1]), A.dtype)])
def test_a_speed_cell_never_credits_a_missing_or_wrong_result(ns, answer):
    """Does graded_speedup fail a function that returns nothing, or zeros, however fast it is?"""
    A, B = _operands(5, 32, 32, 32, np.float32)
    with pytest.raises(AssertionError):
        ns["graded_speedup"](answer, ns["matmul_numba"], A, B, repeats=1)


def test_the_reference_kernels_pass_the_direct_calls_and_use_no_blas(ns):
    """Do the reference kernels compute the product when called directly, with no BLAS in their source?"""
    ns["check_kernel_direct"](ns["_matmul_ipj"], "_matmul_ipj")
    ns["check_kernel_direct"](ns["_matmul_rows"], "_matmul_rows")
    ns["check_kernel_direct"](ns["_matmul_fast_kernel"], "_matmul_fast_kernel", returns=True, k_slice=ns["_K_SLICE"])
