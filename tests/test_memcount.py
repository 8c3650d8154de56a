"""utils.memcount: counted loads and stores of array elements, against counts worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from numpy import zeros as np_zeros

from utils.memcount import CountedArray, count_memory_ops, plain_python

pytestmark = pytest.mark.ch03

_TABLE = np.arange(6.0)


def _ops(func, *args):
    result, count = count_memory_ops(func, *args)
    return result, (count.loads, count.stores)


def test_element_reads_and_writes_count_one_each():
    """Is reading an element one load, and writing one one store?"""
    def f(a):
        a[2] = a[0] + a[1]
        return a
    out, ops = _ops(f, np.arange(4.0))
    assert ops == (2, 1)
    assert out.tolist() == [0.0, 1.0, 1.0, 3.0]


def test_slices_and_views_count_their_elements_not_their_creation():
    """Is a view free, while assigning a slice counts an element per store and per value read?"""
    def view_only(a):
        return a[1:3].T.shape

    def assign(a, b):
        a[1:3] = 5.0
        a[0:2] = b[2:4]

    assert _ops(view_only, np.zeros(4))[1] == (0, 0)
    assert _ops(assign, np.zeros(4), np.ones(4))[1] == (2, 4)


def test_an_augmented_slice_is_counted_once():
    """Does ``a[0:3] += 1`` count 3 loads and 3 stores, not the final write-back again?"""
    def f(a):
        a[0:3] += 1.0
    assert _ops(f, np.zeros(4))[1] == (3, 3)


def test_ufuncs_load_each_operand_per_output_and_reductions_every_element():
    """Does ``a * b`` load both per output element, and does ``a.sum()`` load every element?"""
    def product(a, b):
        return a * b

    def broadcast(a):
        return a * 2.0

    def total(a):
        return a.sum()

    assert _ops(product, np.ones(5), np.ones(5))[1] == (10, 5)
    assert _ops(broadcast, np.ones((2, 3)))[1] == (6, 6)
    result, ops = _ops(total, np.ones(7))
    assert result == 7.0 and ops == (7, 1)


def test_advanced_indexing_copies_and_iteration_are_counted():
    """Is a fancy-indexed copy counted as read and written, and is iterating over a row counted?"""
    def fancy(a):
        return a[[0, 2]]

    def walk(a):
        total = 0.0
        for x in a:
            total += x
        return total

    assert _ops(fancy, np.arange(4.0))[1] == (2, 2)
    assert _ops(walk, np.arange(4.0)) == (6.0, (4, 0))


def test_arrays_the_kernel_allocates_or_reads_from_globals_are_counted():
    """Are buffers from ``np.zeros``, ``from numpy import zeros``, ``.copy()`` and global arrays counted?"""
    def f(a):
        buf = np.zeros(3)
        other = np_zeros(2)
        copy = a.copy()
        buf[0] = copy[1]
        other[1] = _TABLE[5]
        return buf[0] + other[1]

    out, ops = _ops(f, np.arange(3.0))
    assert out == 6.0
    assert ops == (4, 2)


@njit
def _inner(row):
    total = 0.0
    for p in range(row.shape[0]):
        total += row[p]
    return total


@njit
def _outer(a):
    out = np.zeros(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = _inner(a[i])
    return out


def test_numba_kernels_run_as_plain_python_through_the_whole_call_tree():
    """Does the count follow a Numba kernel into the Numba kernels it calls?"""
    out, ops = _ops(_outer, np.ones((3, 4)))
    assert out.tolist() == [4.0, 4.0, 4.0]
    assert ops == (12, 3)
    assert plain_python(_outer) is not _outer.py_func  # a rebuilt copy: the notebook is not changed
    assert _outer.py_func.__globals__["np"] is np


@njit
def _ipj(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    for i in range(m):
        for p in range(k):
            a = A[i, p]
            for j in range(n):
                C[i, j] += a * B[p, j]
    return C


@njit
def _dots(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    for i in range(m):
        for j in range(n):
            total = 0.0
            for p in range(k):
                total += A[i, p] * B[p, j]
            C[i, j] = total
    return C


@njit
def _blocked_2x2(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    for i in range(0, m, 2):
        for j in range(0, n, 2):
            c00 = c01 = c10 = c11 = 0.0
            for p in range(k):
                x0, x1, y0, y1 = A[i, p], A[i + 1, p], B[p, j], B[p, j + 1]
                c00 += x0 * y0
                c01 += x0 * y1
                c10 += x1 * y0
                c11 += x1 * y1
            C[i, j], C[i, j + 1], C[i + 1, j], C[i + 1, j + 1] = c00, c01, c10, c11
    return C


@pytest.mark.parametrize(("kernel", "expected"), [
    (_ipj, lambda m, k, n: (m * k + 2 * m * k * n, m * k * n)),
    (_dots, lambda m, k, n: (2 * m * k * n, m * n)),
    (_blocked_2x2, lambda m, k, n: (m * k * n, m * n)),
])
def test_matrix_kernels_give_the_counts_worked_out_by_hand(kernel, expected):
    """Do i-p-j (3 per multiply-add), dot products (2) and 2 x 2 register blocks (1) count exactly?"""
    rng = np.random.default_rng(5)
    m, k, n = 4, 6, 8
    A, B = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    A_before = A.copy()
    C, ops = _ops(kernel, A, B)
    np.testing.assert_allclose(C, A @ B, rtol=1e-12)
    assert ops == expected(m, k, n)
    assert type(C) is np.ndarray and np.array_equal(A, A_before)


def test_a_library_matrix_product_inside_the_kernel_is_refused():
    """Is ``A @ B`` inside a counted kernel an error rather than an uncounted product?"""
    def f(a, b):
        return a @ b
    with pytest.raises(AssertionError, match="matrix product"):
        count_memory_ops(f, np.ones((2, 2)), np.ones((2, 2)))


def test_nothing_is_counted_outside_a_run():
    """Does a counted array used after the run leave the last count alone?"""
    out, count = count_memory_ops(lambda a: a, np.ones(3))
    assert count.total == 0 and type(out) is np.ndarray
    loose = np.ones(3).view(CountedArray)
    assert loose[0] == 1.0 and count.total == 0


def _make_kernel():
    @njit
    def helper(row):
        total = 0.0
        for p in range(row.shape[0]):
            total += row[p]
        return total

    kernels = {"helper": helper}

    @njit
    def outer(a):
        return helper(a[0]) + kernels_holder[0](a[1])

    kernels_holder = [kernels["helper"]]
    return outer.py_func, helper


def test_a_numba_kernel_reached_through_a_closure_or_a_list_is_counted_too():
    """Does a Numba kernel called from a closure cell or a list run as counted Python, not compiled?"""
    outer, helper = _make_kernel()
    helper(np.ones(2))  # compiled already, so a call that slipped through would go uncounted
    total, count = count_memory_ops(outer, np.ones((2, 5)))
    assert total == 10.0 and (count.loads, count.stores) == (10, 0)
    assert helper(np.ones(3)) == 3.0 and "__call__" not in type(helper).__mro__[1].__dict__


@njit
def _ipj_flat(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    a, b, c = A.flat, B.flat, C.flat
    for i in range(m):
        for p in range(k):
            x = a[i * k + p]
            for j in range(n):
                c[i * n + j] += x * b[p * n + j]
    return C


@njit
def _ipj_strided(A, B):
    m, k = A.shape
    n = B.shape[1]
    C = np.zeros((m, n), A.dtype)
    view = np.lib.stride_tricks.as_strided
    a, b, c = view(A, A.shape, A.strides), view(B, B.shape, B.strides), view(C, C.shape, C.strides)
    for i in range(m):
        for p in range(k):
            x = a[i, p]
            for j in range(n):
                c[i, j] += x * b[p, j]
    return C


def _ipj_on_plain_views(A, B):
    C = np.zeros((A.shape[0], B.shape[1]), A.dtype).view(np.ndarray)
    return _ipj_into(A.view(np.ndarray), B.view(np.ndarray), C)


@njit
def _ipj_into(A, B, C):
    m, k = A.shape
    n = B.shape[1]
    for i in range(m):
        for p in range(k):
            x = A[i, p]
            for j in range(n):
                C[i, j] += x * B[p, j]
    return C


@pytest.mark.parametrize("kernel", [_ipj_flat, _ipj_strided, _ipj_on_plain_views])
def test_aliases_of_the_buffer_count_like_the_array(kernel):
    """Do ``.flat``, ``np.lib.stride_tricks.as_strided`` and ``.view(np.ndarray)`` count like indexing?"""
    rng = np.random.default_rng(6)
    m, k, n = 4, 6, 8
    A, B = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    C, ops = _ops(kernel, A, B)
    np.testing.assert_allclose(C, A @ B, rtol=1e-12)
    assert ops == (m * k + 2 * m * k * n, m * k * n)


def _aliases(a):
    return [type(x).__name__ for x in (
        a.ravel(), a.reshape(-1), a.T, a.transpose(), a.swapaxes(0, 1), a.base, np.asarray(a),
        np.array(a, copy=False), a.view(np.ndarray), a.view(np.float64), np.frombuffer(a),
        np.lib.stride_tricks.as_strided(a, a.shape, a.strides), *np.broadcast_arrays(a, a))]


def test_every_view_of_a_counted_array_is_counted():
    """Are ravel, reshape, transposes, base, asarray, views and stride tricks all counted arrays?"""
    found, _ = count_memory_ops(_aliases, np.zeros((3, 4)))
    assert found == ["CountedArray"] * 14


@pytest.mark.parametrize("reach", [lambda a: a.ctypes.data, lambda a: a.data, lambda a: a.dot(a)])
def test_raw_pointers_buffers_and_dot_are_refused(reach):
    """Is a raw pointer, a raw buffer or ``.dot`` inside a counted kernel an error, not a blind spot?"""
    with pytest.raises(AssertionError):
        count_memory_ops(reach, np.ones((2, 2)))


def _library_reads(a):
    total = np.convolve(a, a)[3]
    row = np.take(a, [0, 1]) + a.take([2, 3])
    np.copyto(a, row.repeat(2))
    return total


def test_numpy_functions_that_read_data_count_every_element_they_are_given():
    """Do ``np.convolve``, ``take`` and ``np.copyto`` count their operands, not nothing?"""
    total, count = count_memory_ops(_library_reads, np.arange(4.0))
    assert total == 4.0
    # at least: convolve reads both operands (8) and writes 7, each take reads what it takes (2 + 2),
    # np.copyto reads its source (4) and writes the whole destination (4)
    assert count.loads >= 8 + 2 + 2 + 4 and count.stores >= 7 + 4
