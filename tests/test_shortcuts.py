"""The guards that make grade cells grade the technique: no BLAS in the graded call, pool threads seen.

``utils.shortcuts.no_blas`` traces opcodes only in notebook code (code outside Python, its packages
and the course package), so these tests define their functions here, in the tests folder, which is
notebook code in that sense.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from numba import njit

from utils.shortcuts import ShortcutError, blas_in_kernel, no_blas, pool_threads

pytestmark = pytest.mark.ch03

A = np.arange(6.0).reshape(2, 3)
B = np.arange(12.0).reshape(3, 4)
product = np.matmul  # an alias bound before the guard starts


def with_operator(a, b):
    return a @ b


def with_np_dot(a, b):
    return np.dot(a, b)


def with_method(a, b):
    return a.dot(b)


def with_alias(a, b):
    return product(a, b)


def with_einsum(a, b):
    return np.einsum("ik,kj->ij", a, b)


@njit
def _blas_kernel(a, b, c):
    c[:] = np.dot(a, b)


def with_blas_kernel(a, b):
    c = np.zeros((a.shape[0], b.shape[1]))
    _blas_kernel(a, b, c)
    return c


def with_loops(a, b):
    c = np.zeros((a.shape[0], b.shape[1]))
    for i in range(a.shape[0]):
        for p in range(a.shape[1]):
            for j in range(b.shape[1]):
                c[i, j] += a[i, p] * b[p, j]
    return c


@pytest.mark.parametrize("func", [with_operator, with_np_dot, with_method, with_alias, with_einsum, with_blas_kernel])
def test_every_library_product_is_refused_inside_the_guard(func):
    """Does each way of reaching BLAS raise ShortcutError while the guard is on?"""
    with pytest.raises(ShortcutError), no_blas():
        func(A, B)


def test_loops_pass_and_everything_is_restored_afterwards():
    """Do plain loops run under the guard, and do np.matmul and @ work again after it?"""
    with no_blas():
        C = with_loops(A, B)
    np.testing.assert_allclose(C, A @ B)
    assert np.matmul is product and np.array_equal(np.dot(A, B), A @ B)


def test_counting_mode_records_every_product_and_its_shapes():
    """With count_products, are @ and np.matmul allowed and each product recorded?"""
    with no_blas(count_products=True) as products:
        with_operator(A, B)
        np.matmul(A, B)
    assert products == [None, ((2, 3), (3, 4))]


def test_blas_in_kernel_reads_the_kernel_source():
    """Does blas_in_kernel find np.dot in a Numba kernel, and nothing in a loop kernel?"""
    @njit
    def loops(a, b, c):
        for i in range(a.shape[0]):
            c[i, 0] = a[i, 0] * b[0, 0]

    assert blas_in_kernel(_blas_kernel) == "dot in _blas_kernel"
    assert blas_in_kernel(loops) is None


def test_pool_threads_sees_the_workers_that_ran_items():
    """Does pool_threads record one entry per work item, spread over the pool's threads?"""
    with pool_threads() as used:
        with ThreadPoolExecutor(max_workers=3) as pool:
            list(pool.map(abs, range(6)))
    assert len(used) == 6 and 2 <= len(set(used)) <= 3
    with pool_threads() as used:
        np.maximum(A, 0)
    assert used == []
