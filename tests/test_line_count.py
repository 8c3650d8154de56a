"""utils.testing.count_python_lines: the line counter the loop exercises of chapters 01 and 02 use."""

from __future__ import annotations

import functools
import sys

import numpy as np
import pytest
from numba import njit

from utils.testing import count_python_lines

pytestmark = pytest.mark.pipeline


def _loop(a):
    total = 0.0
    for x in a:
        total += _half(x)
    return total


def _half(x):
    return x / 2


def _vectorized(a):
    return float(np.sum(a) / 2)


@njit
def _compiled_loop(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i]
    return total


def test_a_loop_runs_a_line_per_element_and_one_numpy_call_a_handful():
    """Does a loop over n elements count at least n lines, helpers included, and np.sum only a few?"""
    a = np.arange(100.0)
    total, lines = count_python_lines(_loop, a)
    assert total == a.sum() / 2
    assert lines >= 3 * 100  # the loop line, the addition and the helper's return, per element
    total, lines = count_python_lines(_vectorized, a)
    assert total == a.sum() / 2 and lines <= 2  # NumPy's own Python lines are not counted


def test_a_numba_kernels_plain_python_version_is_counted():
    """Does ``kernel.py_func`` count the lines of the loop it runs as Python?"""
    total, lines = count_python_lines(_compiled_loop.py_func, np.ones(50))
    assert total == 50.0 and lines >= 50


def test_a_callable_without_globals_counts_in_the_callers_module():
    """Does a functools.partial count the lines run in the module that calls the counter?"""
    _, lines = count_python_lines(functools.partial(_loop, np.ones(20)))
    assert lines >= 20


def test_the_previous_tracer_is_restored_also_when_the_call_raises():
    """Is ``sys.gettrace()`` the same after the count, whether the call returns or raises?"""
    before = sys.gettrace()
    count_python_lines(_loop, np.ones(3))
    assert sys.gettrace() is before
    with pytest.raises(ZeroDivisionError):
        count_python_lines(lambda: 1 / 0)
    assert sys.gettrace() is before


@njit
def _row_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            total += a[i, j]
    return total


@njit
def _one_call_sum(a):
    return a.sum()


def test_a_loop_kernel_passes_and_a_one_call_reduction_is_refused():
    """Does assert_loop_kernel accept loops over the elements and refuse ``a.sum()`` inside njit?"""
    from utils.testing import assert_loop_kernel, python_loop_result

    cases = [np.arange(12.0).reshape(3, 4), np.zeros((0, 4))]
    assert_loop_kernel(_row_sum, "row_sum", cases, np.sum)
    assert python_loop_result(_row_sum, "row_sum", cases[0]) == 66.0
    with pytest.raises(AssertionError, match="ran 1 Python lines for the 12 elements"):
        assert_loop_kernel(_one_call_sum, "one_call_sum", cases, np.sum)
    with pytest.raises(AssertionError, match="keep the @numba.njit decorator"):
        python_loop_result(_row_sum.py_func, "row_sum", cases[0])
