"""Chapter 01 (complexity): the reference answers, and the grade cells that can flake if anything can.

The reference answers are loaded with ``utils.instructor.harness.solution_namespace`` (set-up and exercise
cells run in this process). Grade cells are taken from the chapter source and run against that
namespace, so these tests see exactly the checks a student's notebook meets.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import float_arrays, float_lists, shapes

from utils.instructor import course, harness
from utils.instructor import notebooks as nbs

pytestmark = pytest.mark.ch01

CHAPTER = "01_complexity"


@pytest.fixture(scope="module")
def ns() -> dict:
    return harness.solution_namespace(CHAPTER)


@pytest.fixture(scope="module")
def grade_cells() -> dict[str, str]:
    """grade_id -> source of every code grade cell in the chapter source."""
    nb = nbs.read_source(course.resolve([CHAPTER])[0])
    return {nbs.grade_id(c): c.source for c in nb.cells if c.cell_type == "code" and nbs.is_grade(c)}


def run_grade_cell(ns: dict, source: str, name: str) -> None:
    """Run one grade cell (hidden tests included) in a copy of the solution namespace."""
    exec(compile(source, f"<{name}>", "exec"), dict(ns))


@given(float_lists(max_size=60))
def test_prefix_sum_of_a_list_matches_cumsum(ns, values):
    """Does the reference prefix sum agree with np.cumsum on any list of floats?"""
    data = list(values)
    assert ns["prefix_sum_inplace"](data) is None
    np.testing.assert_allclose(data, np.cumsum(values) if values else [], rtol=1e-9, atol=1e-3)


@given(float_arrays(shapes(min_dims=1, max_dims=1, max_side=40)))
def test_prefix_sum_of_an_array_matches_cumsum(ns, arr):
    """Does the reference prefix sum agree with np.cumsum on any 1-D float array, in place?"""
    expected = np.cumsum(arr)
    ns["prefix_sum_inplace"](arr)
    np.testing.assert_allclose(arr, expected, rtol=1e-9, atol=1e-6)


def test_prefix_sum_rejects_a_2d_array_with_valueerror(ns):
    """Is a 2-D array refused with a ValueError that names its shape, rather than summed wrongly?"""
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        ns["prefix_sum_inplace"](np.ones((2, 3)))


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=3_000))
def test_dynamic_array_copies_stay_within_three_per_append(ns, initial_capacity, n):
    """From any starting capacity, do n appends cost at most 3n copies and keep every value?"""
    darr = ns["DynamicArray"](initial_capacity)
    for i in range(n):
        darr.append(i)
        assert darr.copies <= 3 * len(darr)
        assert darr.capacity >= len(darr)
    assert len(darr) == n
    if n:
        assert darr[0] == 0 and darr[-1] == n - 1 and darr[n // 2] == n // 2
    with pytest.raises(IndexError):
        darr[n]
    with pytest.raises(IndexError):
        darr[-n - 1]


def test_dynamic_array_rejects_a_non_positive_capacity(ns):
    """Is an initial capacity of 0 refused with a ValueError?"""
    with pytest.raises(ValueError, match="0"):
        ns["DynamicArray"](0)


@given(float_arrays(shapes(min_dims=1, max_dims=1, max_side=30)))
def test_both_multiplies_agree_with_numpy(ns, a):
    """Do the loop and the vectorized multiply both return a * b, as new arrays?"""
    b = a[::-1].copy()
    for name in ("elementwise_multiply_loop", "elementwise_multiply_vectorized"):
        out = ns[name](a, b)
        assert isinstance(out, np.ndarray)
        np.testing.assert_allclose(out, a * b, rtol=1e-12)


@given(float_arrays(shapes(min_dims=2, max_dims=2, max_side=12)))
def test_row_and_column_sums_agree_with_numpy(ns, a):
    """Do both traversals give the array's sum for any 2-D shape, empty ones included?"""
    a = np.ascontiguousarray(a)
    for name in ("row_major_sum", "column_major_sum"):
        np.testing.assert_allclose(ns[name](a), a.sum(), rtol=1e-9, atol=1e-6)


def test_benchmark_and_plot_work_together_on_small_sizes(ns):
    """Does the reference benchmark feed the reference plot: three labelled panels, one per quantity?"""
    results = ns["benchmark_operations"]((100, 1_000))
    fig = ns["plot_performance"](results)
    axes = [ax for ax in fig.get_axes() if ax.get_lines()]
    assert len(axes) == 3
    assert all(ax.get_ylabel() for ax in axes)


def test_estimate_rejects_a_single_size(ns):
    """Is a single size refused, since no slope can be fitted through one point?"""
    with pytest.raises(ValueError):
        ns["estimate_complexity_exponent"](len, [10, 10], lambda n: [0] * n)


@pytest.fixture
def busy_core():
    """Another process spinning on a core for the duration of the test."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_exponent_grade_cell_never_fails_the_reference_on_a_busy_machine(ns, grade_cells, busy_core):
    """Does the timing-based exponent check pass the reference 25 times in a row with a core busy?"""
    source = grade_cells["complexity_exponent_orders"]
    failures = []
    for attempt in range(25):
        try:
            run_grade_cell(ns, source, "complexity_exponent_orders")
        except AssertionError as err:
            failures.append(f"run {attempt}: {err}")
    assert failures == []


def test_vectorized_speed_grade_cell_never_fails_the_reference_on_a_busy_machine(ns, grade_cells, busy_core):
    """Does the one ratio-of-medians check pass the reference 10 times in a row with a core busy?"""
    source = grade_cells["complexity_multiply_vectorized_speed"]
    for _ in range(10):
        run_grade_cell(ns, source, "complexity_multiply_vectorized_speed")


@pytest.mark.parametrize(
    "grade_id",
    [
        "complexity_prefix_sum_inplace",
        "complexity_dynamic_array_copies",
        "complexity_benchmark_structure",
        "complexity_benchmark_memory",
        "complexity_plot_content",
        "complexity_row_major_order",
        "complexity_column_major_order",
    ],
)
def test_grade_cell_passes_the_reference_in_process(ns, grade_cells, grade_id):
    """Does this grade cell pass the reference answer when run directly (quick feedback for authors)?"""
    run_grade_cell(ns, grade_cells[grade_id], grade_id)


def test_no_grade_cell_ends_with_a_bare_expression(grade_cells):
    """Does every grade cell open with a docstring and end with a statement, never a printable value?"""
    for grade_id, source in grade_cells.items():
        body = ast.parse(source).body
        first = body[0]
        assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant), f"{grade_id}: no docstring"
        assert not isinstance(body[-1], ast.Expr) or isinstance(body[-1].value, ast.Call) and _returns_none(
            body[-1].value
        ), f"{grade_id}: last line is an expression whose value would be displayed"


def _returns_none(call: ast.Call) -> bool:
    """Checking helpers (``_check...``, ``assert_...``) return None, so a call to one as the last line shows nothing."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr.startswith("assert_")
    return isinstance(call.func, ast.Name) and call.func.id.startswith(("_check", "assert_"))


def _with(ns: dict, **replacements) -> dict:
    """A copy of the solution namespace with some names replaced (functions keep their globals)."""
    namespace = dict(ns)
    for name, source in replacements.items():
        exec(compile(source, f"<{name}>", "exec"), namespace)
    return namespace


def test_speed_cell_never_credits_a_function_that_returns_nothing(ns, grade_cells):
    """Does a vectorized multiply that returns None at once score nothing in the speed cell?"""
    fake = _with(ns, elementwise_multiply_vectorized="def elementwise_multiply_vectorized(a, b):\n    return None\n")
    with pytest.raises(AssertionError, match="ndarray of products"):
        exec(compile(grade_cells["complexity_multiply_vectorized_speed"], "<speed>", "exec"), fake)
    wrong = _with(ns, elementwise_multiply_vectorized="def elementwise_multiply_vectorized(a, b):\n    return a + b\n")
    with pytest.raises(AssertionError, match="right products"):
        exec(compile(grade_cells["complexity_multiply_vectorized_speed"], "<speed>", "exec"), wrong)


@pytest.mark.parametrize(
    "grade_id, replacement",
    [
        ("complexity_multiply_loop_correct", "def elementwise_multiply_loop(a, b):\n    return np.asarray(a) * np.asarray(b)\n"),
        ("complexity_row_major_correct", "@numba.njit\ndef row_major_sum(a):\n    return a.sum()\n"),
        ("complexity_row_major_order", "@numba.njit\ndef row_major_sum(a):\n    return a.sum()\n"),
        ("complexity_column_major_correct", "@numba.njit\ndef column_major_sum(a):\n    return a.T.copy().sum()\n"),
    ],
)
def test_loop_cells_refuse_one_numpy_call(ns, grade_cells, grade_id, replacement):
    """Does a loop exercise answered with one NumPy call fail its grade cell on the line count?"""
    name = replacement.split("def ")[1].split("(")[0]
    fake = _with(ns, **{name: replacement})
    with pytest.raises(AssertionError, match="Python lines"):
        exec(compile(grade_cells[grade_id], f"<{grade_id}>", "exec"), fake)
