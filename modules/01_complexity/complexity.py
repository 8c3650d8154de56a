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
# # Chapter 01: Complexity meets the machine
#
# Big-O notation tells you how the cost of an algorithm grows with the input size `n`. It keeps
# the *shape* of the growth (linear, quadratic, `n log n`) and throws away everything else: the
# constant in front, the cost of one step, and where the data lives. On a real machine the parts
# it throws away are often worth a factor of 10 to 100:
#
# - **Constants.** Summing a million numbers with a Python `for` loop and with `np.sum` are both
#   O(n). The loop runs bytecode for every element; `np.sum` runs a tight compiled loop. The
#   difference is usually around 100x; section 4 measures it on your machine.
# - **The memory hierarchy.** Reading `n` numbers is O(n) whether you read them in order or jump
#   around, but on a typical server or laptop CPU a read from main memory costs about 100 times
#   more than a read from the L1 cache. Access order decides which one you pay; section 7
#   measures what it costs on your machine.
# - **Memory, not only time.** An algorithm that needs a copy of its input may not fit where an
#   in-place one does.
#
# This chapter works through those three points with seven exercises. Each section has the same
# rhythm: a short explanation, an exercise (replace `raise NotImplementedError()` with your code), a
# paragraph on what the tests check, the tests themselves, and often a cell that shows your own
# numbers.
#
# Run the cells in order. Cells that time code are quick (a few seconds at most).
#
# **How points are earned.** Each grade cell is worth its points when it runs to the end: an
# exception (a failed check, an error in your code, `NotImplementedError`) costs that cell's points,
# and a wrong value is a failed check. A grade cell's own checks, not warnings, decide. Where an
# exercise teaches a technique, the graded call checks that you used it: the loop exercises count
# the Python lines your function runs, so `a * b` or `a.sum()` in their place scores nothing there;
# each "What the tests check" paragraph states the rule for its exercise.

# %% nbgrader={"grade": false, "grade_id": "complexity_setup_imports", "locked": true, "schema_version": 3, "solution": false}
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, MutableSequence, Sequence
from typing import Any

import numba
import numpy as np
from matplotlib.figure import Figure

from utils.plotting import new_figure
from utils.testing import assert_raises, quiet
from utils.timing import measure, median_time, speedup

# %% [markdown]
# ## 0. Measuring honestly
#
# Every number in this chapter comes from a measurement, so first the rules for taking one.
#
# - **Use `time.perf_counter()`**, the highest-resolution clock Python has. `time.time()` can jump
#   when the system clock is adjusted.
# - **Warm up first.** The first call pays one-off costs: a JIT compiler compiling, caches and
#   page tables filling, lazy imports. Run once untimed, then time.
# - **Repeat and take the median.** A single run can be hit by another process or a page fault.
#   The median of a few repeats ignores the odd slow run; the mean does not.
# - **Memory: `tracemalloc`.** It records every allocation Python (and NumPy) makes while it is on.
#   `tracemalloc.get_traced_memory()` returns `(current_bytes, peak_bytes)`; the peak is the
#   high-water mark since `tracemalloc.start()`, which is what decides whether a job fits.
#
# `utils.timing.median_time(func, *args, repeats=5, warmup=1)` does the timing part for you. The
# cell below shows why warm-up matters: the first call of a Numba function includes compiling it.

# %%
@numba.njit
def _sum_of_squares(x):
    total = 0.0
    for v in x:
        total += v * v
    return total


_demo = np.random.default_rng(0).standard_normal(100_000)
_, (_first_s,) = measure(_sum_of_squares, _demo, repeats=1, warmup=0)
_later_s = median_time(_sum_of_squares, _demo, repeats=5, warmup=0)
tracemalloc.start()
_ones = np.ones(1_000_000)
_, _peak_bytes = tracemalloc.get_traced_memory()
tracemalloc.stop()
del _ones
print(f"first call {_first_s * 1e3:.1f} ms (includes compiling), median of the next five "
      f"{_later_s * 1e3:.3f} ms; np.ones(1_000_000) peaks at {_peak_bytes / 1e6:.1f} MB")

# %% [markdown]
# ## 1. In-place algorithms and auxiliary space
#
# *Auxiliary space* is the memory an algorithm needs on top of its input and output. An *in-place*
# algorithm overwrites its input and needs only O(1) auxiliary space: a few variables, whatever
# `n` is. For data that fills most of your RAM (or your GPU), in-place is the difference between
# running and crashing.
#
# The prefix sum (running total) is a good first example. Element `i` of the result is
# `x[0] + x[1] + ... + x[i]`, so `[3, 1, 4, 1]` becomes `[3, 4, 8, 9]`. The obvious version builds
# a new list, O(n) extra memory. But each running total only needs the previous one, so you can
# walk the array once and overwrite it as you go.
#
# **Exercise 1.** Write `prefix_sum_inplace(arr)`. It changes `arr` itself and returns `None`.
# Accept a list (any mutable sequence) or a 1-D NumPy array; raise `TypeError` for anything else.

# %% nbgrader={"grade": false, "grade_id": "complexity_prefix_sum", "locked": false, "schema_version": 3, "solution": true}
def prefix_sum_inplace(arr: MutableSequence | np.ndarray) -> None:
    """Replace every element of ``arr`` by the sum of itself and all elements before it.

    Works in place with O(1) auxiliary space: no copy of ``arr``, only a running total.

    Args:
        arr: a list (or other mutable sequence) of numbers, or a 1-D NumPy array.

    Raises:
        TypeError: ``arr`` is not a mutable sequence or a NumPy array (a tuple cannot change).
        ValueError: ``arr`` is a NumPy array with more than one dimension.
    """
    # about 9 lines
    ### BEGIN SOLUTION
    if isinstance(arr, np.ndarray):
        if arr.ndim != 1:
            raise ValueError(f"expected a 1-D array, got shape {arr.shape}")
    elif not isinstance(arr, MutableSequence):
        raise TypeError(f"expected a list or a 1-D NumPy array, got {type(arr).__name__}")
    total = 0
    for i in range(len(arr)):
        total = total + arr[i]
        arr[i] = total
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Running sums of lists and arrays against `np.cumsum` (integers keep
# their dtype); empty, single-element, negative and float inputs; that the function returns `None`
# and changes the object you passed, even when it is a view into a bigger array; that the peak
# extra memory, measured with `tracemalloc` on 100 000 elements, stays far below the size of one
# copy; `TypeError` for `42`, `None`, `3.5` and a tuple, and `ValueError` for a 2-D array.

# %% nbgrader={"grade": true, "grade_id": "complexity_prefix_sum_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""prefix_sum_inplace produces running sums for lists and arrays."""
values = [3, 1, 4, 1, 5]
prefix_sum_inplace(values)
assert values == [3, 4, 8, 9, 14], f"expected [3, 4, 8, 9, 14], got {values}"
arr = np.arange(1.0, 7.0)
prefix_sum_inplace(arr)
np.testing.assert_allclose(arr, [1, 3, 6, 10, 15, 21], err_msg="running sums of 1.0 .. 6.0")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(2024_01_01)
for n in (2, 17, 1000):
    data = rng.normal(size=n)
    got = data.copy()
    prefix_sum_inplace(got)
    np.testing.assert_allclose(got, np.cumsum(data), rtol=1e-9, atol=1e-9, err_msg=f"array, n={n}")
    as_list = data.tolist()
    prefix_sum_inplace(as_list)
    np.testing.assert_allclose(as_list, np.cumsum(data), rtol=1e-9, atol=1e-9, err_msg=f"list, n={n}")
ints = rng.integers(-50, 50, size=200)
got = ints.copy()
prefix_sum_inplace(got)
assert got.dtype == ints.dtype, f"an integer array must stay {ints.dtype}, got {got.dtype}"
assert np.array_equal(got, np.cumsum(ints)), "running sums of an integer array"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_prefix_sum_edge", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Empty, single-element, negative and float inputs."""
empty = []
prefix_sum_inplace(empty)
assert empty == [], f"an empty list stays empty, got {empty}"
one = [7.5]
prefix_sum_inplace(one)
assert one == [7.5], f"a single element stays as it is, got {one}"
mixed = [-2, 5, -3.5, 0.25]
prefix_sum_inplace(mixed)
np.testing.assert_allclose(mixed, [-2, 3, -0.5, -0.25], err_msg="negative and float values")
empty_arr = np.array([])
prefix_sum_inplace(empty_arr)
assert empty_arr.shape == (0,), f"an empty array stays empty, got shape {empty_arr.shape}"
single_arr = np.array([-4.0])
prefix_sum_inplace(single_arr)
np.testing.assert_allclose(single_arr, [-4.0], err_msg="a single-element array")

# %% nbgrader={"grade": true, "grade_id": "complexity_prefix_sum_inplace", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""The object passed in is updated, None is returned, and no copy of the data is made."""
data = [1.0, 2.0, 3.0]
returned = prefix_sum_inplace(data)
assert returned is None, f"prefix_sum_inplace should return None, got {type(returned).__name__}"
assert data == [1.0, 3.0, 6.0], f"the list passed in should now hold [1.0, 3.0, 6.0], got {data}"
whole = np.ones(5)
prefix_sum_inplace(whole[1:])
np.testing.assert_allclose(whole, [1, 1, 2, 3, 4], err_msg="a view must be updated in place")
n = 100_000
copy_bytes = 8 * n
for data in (np.random.default_rng(7).normal(size=n).tolist(), np.random.default_rng(8).normal(size=n)):
    tracemalloc.start()
    try:
        prefix_sum_inplace(data)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_bytes < copy_bytes // 8, (
        f"{type(data).__name__} of {n} floats: peak extra memory {peak_bytes} bytes; a copy takes "
        f"about {copy_bytes} bytes, so something copied the data"
    )

# %% nbgrader={"grade": true, "grade_id": "complexity_prefix_sum_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Inputs that cannot be changed in place raise TypeError; a 2-D array raises ValueError."""
for bad in (42, None, 3.5, (1, 2, 3)):
    assert_raises(TypeError, prefix_sum_inplace, bad)
### BEGIN HIDDEN TESTS
error = assert_raises(ValueError, prefix_sum_inplace, np.ones((2, 3)))
### END HIDDEN TESTS

# %% [markdown]
# ## 2. Amortized analysis: a growable array
#
# A Python `list` or a C++ `std::vector` sits on one contiguous block of memory with some spare
# slots at the end (its *capacity*). `append` writes into the next spare slot: O(1). When the block
# is full there is no way to extend it in place, so the array allocates a bigger block and copies
# every element across: O(n) for that one append.
#
# How much bigger? If the block grows by a constant *amount* (say 100 slots), a resize happens
# every 100 appends and each copies everything so far: n appends cost about n^2/200 copies, O(n)
# per append. If it grows by a constant *factor* (say 2), the copies form a geometric series:
# 1 + 2 + 4 + ... + n/2 < n. Spread over the n appends that is fewer than 1 copy per append, so
# append is **amortized O(1)**: any single append may be slow, but every sequence of n appends
# costs O(n).
#
# The accounting view: charge each append 3 units. One pays for writing the element; two are saved.
# When a block of size c doubles, the c/2 elements appended since the last resize have saved c
# units, exactly enough to copy all c elements. So n appends never cost more than 3n.
#
# **Exercise 2.** Write `DynamicArray`. Keep the storage a fixed-size Python list (`[None] * c`)
# that you never `append` to or resize: it stands in for a block of memory. When it is full, grow
# by a constant factor: doubling keeps the copies below 2n; a smaller factor such as 1.5 also
# works if you round the new capacity up, since the tests allow at most 3n copies. Add one to
# `copies` for every element you copy into a new block.
# Indexing follows Python: `-1` is the last element; outside `-len .. len-1` raise `IndexError`.

# %% nbgrader={"grade": false, "grade_id": "complexity_dynamic_array", "locked": false, "schema_version": 3, "solution": true}
class DynamicArray:
    """A growable array on top of fixed-size storage blocks.

    Indices ``0 .. len-1`` count from the front and ``-len .. -1`` from the back, as for a list;
    any other integer raises ``IndexError``.

    Attributes:
        capacity: number of slots in the current storage block (always at least ``len(self)``).
        copies: number of elements copied from an old block to a new one, since creation.
    """

    def __init__(self, initial_capacity: int = 1) -> None:
        if initial_capacity < 1:
            raise ValueError(f"initial_capacity must be at least 1, got {initial_capacity}")
        # about 4 lines
        ### BEGIN SOLUTION
        self.capacity = initial_capacity
        self.copies = 0
        self._size = 0
        self._slots = [None] * initial_capacity
        ### END SOLUTION

    def append(self, value: Any) -> None:
        """Store ``value`` after the last element, growing the storage first if it is full."""
        # about 8 lines
        ### BEGIN SOLUTION
        if self._size == self.capacity:
            new_slots = [None] * (2 * self.capacity)
            for i in range(self._size):
                new_slots[i] = self._slots[i]
            self.copies += self._size
            self._slots = new_slots
            self.capacity = len(new_slots)
        self._slots[self._size] = value
        self._size += 1
        ### END SOLUTION

    def __getitem__(self, index: int) -> Any:
        """The element at ``index`` (negative indices count from the end)."""
        # about 6 lines
        ### BEGIN SOLUTION
        if not isinstance(index, (int, np.integer)):
            raise TypeError(f"indices must be integers, got {type(index).__name__}")
        position = index + self._size if index < 0 else index
        if not 0 <= position < self._size:
            raise IndexError(f"index {index} out of range for length {self._size}")
        return self._slots[position]
        ### END SOLUTION

    def __len__(self) -> int:
        """Number of elements stored."""
        # about 1 line
        ### BEGIN SOLUTION
        return self._size
        ### END SOLUTION


# %% [markdown]
# **What the tests check.** `append`, `len` and indexing on any kind of value, negative indices
# included; `IndexError` just past either end and on an empty array; and, while appending 20 000
# values (from the default start and from a few other initial capacities): `capacity` never drops
# below `len`, `copies` changes only when `capacity` does and then by the number of elements
# stored, each growth multiplies the capacity (by at least 1.25 once it is 8 or more), and
# `copies` never exceeds three times the number of appends (doubling stays below twice).

# %% nbgrader={"grade": true, "grade_id": "complexity_dynamic_array_basic", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""append, len and indexing behave like a list, negative indices included."""
darr = DynamicArray()
assert len(darr) == 0, f"a new DynamicArray has length 0, got {len(darr)}"
stored = ["a", 2, None, 3.5, (1, 2)]
for value in stored:
    darr.append(value)
assert len(darr) == 5, f"after 5 appends len should be 5, got {len(darr)}"
got = [darr[i] for i in range(5)]
assert got == stored, f"expected {stored}, got {got}"
assert darr[-1] == (1, 2) and darr[-5] == "a", f"darr[-1] and darr[-5] gave {darr[-1]!r}, {darr[-5]!r}"
assert darr.capacity >= len(darr), f"capacity {darr.capacity} is smaller than length {len(darr)}"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(2024_01_02)
n = int(rng.integers(300, 900))
values = rng.integers(-10**6, 10**6, size=n).tolist()
darr = DynamicArray()
for value in values:
    darr.append(value)
assert len(darr) == n, f"after {n} appends len should be {n}, got {len(darr)}"
assert [darr[i] for i in range(n)] == values, "stored values differ from the appended ones"
assert [darr[-i] for i in range(1, n + 1)] == values[::-1], "negative indices count from the end"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_dynamic_array_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Indices outside -len .. len-1 raise IndexError."""
empty_darr = DynamicArray()
assert_raises(IndexError, empty_darr.__getitem__, 0)
assert_raises(IndexError, empty_darr.__getitem__, -1)
darr = DynamicArray()
for value in range(5):
    darr.append(value)
for bad in (5, 6, 7, 100, -6, -100):
    assert_raises(IndexError, darr.__getitem__, bad)

# %% nbgrader={"grade": true, "grade_id": "complexity_dynamic_array_copies", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Growth multiplies the capacity, copies are counted, and n appends cost at most 3n copies."""


def _check_growth(darr, n_appends):
    for i in range(n_appends):
        capacity_before, length_before, copies_before = darr.capacity, len(darr), darr.copies
        darr.append(i)
        grown = darr.capacity != capacity_before
        added = darr.copies - copies_before
        if grown:
            assert length_before <= added <= length_before + 1, (
                f"growing from capacity {capacity_before} with {length_before} elements stored "
                f"added {added} to copies; each stored element is copied once"
            )
            assert capacity_before < 8 or darr.capacity >= 1.25 * capacity_before, (
                f"capacity grew from {capacity_before} to {darr.capacity}: grow by a constant factor"
            )
        else:
            assert added == 0, f"copies changed by {added} on an append that did not grow"
        assert darr.capacity >= len(darr), f"capacity {darr.capacity} < length {len(darr)}"
        assert darr.copies <= 3 * len(darr), (
            f"{len(darr)} appends made {darr.copies} copies; at most {3 * len(darr)} allowed"
        )


_check_growth(DynamicArray(), 20_000)
### BEGIN HIDDEN TESTS
for start in np.random.default_rng(2024_01_03).integers(2, 40, size=3):
    _check_growth(DynamicArray(int(start)), 5_000)
### END HIDDEN TESTS

# %% [markdown]
# The plot below runs your `DynamicArray` and shows, after each append, copies per element so far
# and capacity per element. Copies per element climbs at each resize and then decays, but never
# leaves a band below a small constant: that band is what "amortized O(1)" means on a picture.

# %%
_darr = DynamicArray()
_copies_per_element, _capacity_per_element = [], []
for _i in range(1, 5_001):
    _darr.append(_i)
    _copies_per_element.append(_darr.copies / _i)
    _capacity_per_element.append(_darr.capacity / _i)
_fig, _ax = new_figure(width_in=6.5, height_in=3.2)
_ax.plot(range(1, 5_001), _copies_per_element, label="copies / appends")
_ax.plot(range(1, 5_001), _capacity_per_element, label="capacity / length", alpha=0.7)
_ax.axhline(3, color="grey", linestyle="--", linewidth=1, label="3 (the test's bound)")
_ax.set_xscale("log")
_ax.set_xlabel("number of appends")
_ax.set_ylabel("ratio")
_ax.set_title("DynamicArray: total copies stay proportional to appends")
_ax.legend()
_fig

# %% [markdown]
# ## 3. Why vectorized code beats interpreter loops
#
# `out[i] = a[i] * b[i]` in a Python loop does far more than one multiplication per element. For
# every `i` the interpreter decodes a dozen bytecodes, looks up `a` and `b`, boxes `a[i]` and
# `b[i]` into new NumPy scalar objects on the heap, dispatches `*` through the type's method table,
# unboxes the result to store it, and bumps reference counts along the way. That costs from about
# 100 ns to a microsecond per element, depending on the machine and its load (section 4 prints your
# figure), while the multiplication itself takes well under 1 ns.
#
# `a * b` on NumPy arrays makes one call. NumPy checks types once and runs a compiled C loop over
# raw doubles. That loop is also written so the compiler can use **SIMD** instructions, which
# multiply 4 or 8 doubles in one instruction (AVX2, AVX-512). For matrix products NumPy goes further
# and calls **BLAS** (OpenBLAS or MKL), libraries tuned per CPU for caches, registers and cores.
# Same O(n); constants about 100 times apart.
#
# **Exercise 3.** Write the same function twice: `elementwise_multiply_loop` with an explicit Python
# loop over the elements, and `elementwise_multiply_vectorized` with one NumPy operation. Both take
# two 1-D arrays of the same length, return a new `np.ndarray` of the products (the same values as
# `a * b`, so int times float gives floats), and raise `ValueError` when the lengths differ. NumPy
# would *broadcast* a length-1 array against any length, so check lengths yourself.

# %% nbgrader={"grade": false, "grade_id": "complexity_multiply_loop", "locked": false, "schema_version": 3, "solution": true}
def elementwise_multiply_loop(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise product of two 1-D arrays, computed one element at a time in Python.

    Args:
        a: 1-D array of numbers.
        b: 1-D array of numbers, the same length as ``a``.

    Returns:
        A new array ``out`` with ``out[i] == a[i] * b[i]``.

    Raises:
        ValueError: the lengths differ (or an input is not 1-D).
    """
    # about 8 lines
    ### BEGIN SOLUTION
    a = np.asarray(a)
    b = np.asarray(b)
    if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
        raise ValueError(f"expected two 1-D arrays of one length, got shapes {a.shape} and {b.shape}")
    out = np.empty(len(a), dtype=np.result_type(a, b))
    for i in range(len(a)):
        out[i] = a[i] * b[i]
    return out
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The products for float inputs, for an integer array times a float
# array (the result must hold floats, like `a * b`), for two integer arrays, for step slices, for `inf`, `nan` and `-0.0`, and for empty inputs (an empty `np.ndarray`); the result is
# an `np.ndarray`. The loop is the exercise: every call is counted in Python lines run, and a call
# on `n` elements must run at least `n` lines of your code, so one NumPy operation in place of the
# loop loses these points. `ValueError` for lengths 3 and 4, for lengths 5 and 1, and for a 2-D input.

# %% nbgrader={"grade": true, "grade_id": "complexity_multiply_loop_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""The loop version returns the element-wise products as an ndarray, one Python step per element."""
from utils.testing import count_python_lines as _count_lines  # a fresh binding: answer cells cannot replace it


def _loop_multiply(x, y):
    out, lines = _count_lines(elementwise_multiply_loop, x, y)
    assert lines >= len(x), (
        f"elementwise_multiply_loop ran {lines} Python lines for {len(x)} elements; "
        "write the explicit loop over the elements (one NumPy operation is exercise 3b)"
    )
    assert isinstance(out, np.ndarray), f"expected an np.ndarray, got {type(out).__name__}"
    return out


a = np.array([1.0, -2.0, 3.5])
b = np.array([4.0, 0.5, 2.0])
np.testing.assert_allclose(_loop_multiply(a, b), [4.0, -1.0, 7.0], err_msg="float inputs")
out = _loop_multiply(np.array([1, 2, 3]), np.array([0.5, 0.25, 2.0]))
np.testing.assert_allclose(out, [0.5, 0.5, 6.0], err_msg="int array times float array")
out = _loop_multiply(np.array([]), np.array([]))
assert out.size == 0, f"empty inputs give an empty array, got {out!r}"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(2024_01_04)
for n in (1, 7, 300):
    x, y = rng.normal(size=n), rng.normal(size=n)
    np.testing.assert_allclose(_loop_multiply(x, y), x * y, rtol=1e-12, err_msg=f"n={n}")
    k = rng.integers(-9, 9, size=n)
    np.testing.assert_allclose(_loop_multiply(k, y), k * y, rtol=1e-12, err_msg=f"int, n={n}")
    np.testing.assert_array_equal(_loop_multiply(k, k[::-1].copy()), k * k[::-1], err_msg=f"int times int, n={n}")
wide = rng.normal(size=40)
np.testing.assert_allclose(_loop_multiply(wide[::2], wide[1::2]), wide[::2] * wide[1::2], rtol=1e-12,
                           err_msg="step slices a[::2] and a[1::2]")
special = np.array([np.inf, np.nan, -0.0, 2.0])
with np.errstate(invalid="ignore"):
    np.testing.assert_array_equal(_loop_multiply(special, np.array([0.0, 1.0, 3.0, -np.inf])),
                                  special * np.array([0.0, 1.0, 3.0, -np.inf]), err_msg="inf, nan and -0.0")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_multiply_loop_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Arrays of different lengths, or not 1-D, raise ValueError."""
for len_a, len_b in ((3, 4), (4, 3), (5, 1)):
    assert_raises(ValueError, elementwise_multiply_loop, np.ones(len_a), np.ones(len_b))
### BEGIN HIDDEN TESTS
error = assert_raises(ValueError, elementwise_multiply_loop, np.ones((2, 3)), np.ones((2, 3)))
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "complexity_multiply_vectorized", "locked": false, "schema_version": 3, "solution": true}
def elementwise_multiply_vectorized(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise product of two 1-D arrays with one NumPy operation (no Python loop).

    Args:
        a: 1-D array of numbers.
        b: 1-D array of numbers, the same length as ``a``.

    Returns:
        A new array ``out`` with ``out[i] == a[i] * b[i]``.

    Raises:
        ValueError: the lengths differ (or an input is not 1-D).
    """
    # about 5 lines
    ### BEGIN SOLUTION
    a = np.asarray(a)
    b = np.asarray(b)
    if a.ndim != 1 or b.ndim != 1 or len(a) != len(b):
        raise ValueError(f"expected two 1-D arrays of one length, got shapes {a.shape} and {b.shape}")
    return a * b
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The same values, types and errors as for the loop version, and speed:
# on 50 000 elements it must return the right products and run at least 10 times faster than a
# plain Python loop, timed in the same cell as a ratio of medians. A NumPy call is usually several
# hundred times faster, so only a hidden Python loop (a comprehension, `map`, `zip`) fails this; a
# function that returns nothing or a wrong result earns no speed point however fast it is.

# %% nbgrader={"grade": true, "grade_id": "complexity_multiply_vectorized_correct", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""The vectorized version returns the element-wise products as an ndarray."""
a = np.array([1.0, -2.0, 3.5])
b = np.array([4.0, 0.5, 2.0])
out = elementwise_multiply_vectorized(a, b)
assert isinstance(out, np.ndarray), f"expected an np.ndarray, got {type(out).__name__}"
np.testing.assert_allclose(out, [4.0, -1.0, 7.0], err_msg="float inputs")
out = elementwise_multiply_vectorized(np.array([1, 2, 3]), np.array([0.5, 0.25, 2.0]))
np.testing.assert_allclose(out, [0.5, 0.5, 6.0], err_msg="int array times float array")
out = elementwise_multiply_vectorized(np.array([]), np.array([]))
assert isinstance(out, np.ndarray) and out.size == 0, f"empty inputs give an empty array, got {out!r}"
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(2024_01_05)
for n in (1, 7, 3000):
    x, y = rng.normal(size=n), rng.normal(size=n)
    got = elementwise_multiply_vectorized(x, y)
    np.testing.assert_allclose(got, x * y, rtol=1e-12, err_msg=f"n={n}")
k = rng.integers(-9, 9, size=50)
got = elementwise_multiply_vectorized(k, k[::-1])
assert isinstance(got, np.ndarray), f"expected an np.ndarray, got {type(got).__name__}"
np.testing.assert_array_equal(got, k * k[::-1], err_msg="int times int")
wide = rng.normal(size=40)
np.testing.assert_allclose(elementwise_multiply_vectorized(wide[::2], wide[1::2]), wide[::2] * wide[1::2],
                           rtol=1e-12, err_msg="step slices a[::2] and a[1::2]")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_multiply_vectorized_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Arrays of different lengths, or not 1-D, raise ValueError, even where NumPy would broadcast."""
for len_a, len_b in ((3, 4), (5, 1), (1, 5)):
    assert_raises(ValueError, elementwise_multiply_vectorized, np.ones(len_a), np.ones(len_b))
### BEGIN HIDDEN TESTS
error = assert_raises(ValueError, elementwise_multiply_vectorized, np.ones((2, 3)), np.ones((2, 3)))
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_multiply_vectorized_speed", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""The vectorized version is at least 10 times faster than a Python loop on 50 000 elements."""


def _python_loop_multiply(x, y):
    out = np.empty(len(x))
    for i in range(len(x)):
        out[i] = x[i] * y[i]
    return out


_rng = np.random.default_rng(11)
x, y = _rng.normal(size=50_000), _rng.normal(size=50_000)
out = elementwise_multiply_vectorized(x, y)
assert isinstance(out, np.ndarray), f"expected an np.ndarray of products, got {type(out).__name__}"
np.testing.assert_allclose(out, x * y, rtol=1e-12, err_msg="speed counts only for the right products")
ratio = speedup(elementwise_multiply_vectorized, _python_loop_multiply, x, y, repeats=5)
assert ratio >= 10, f"only {ratio:.1f} times faster than a Python loop; use one NumPy operation"

# %% [markdown]
# ## 4. Benchmarking both versions
#
# Now put section 0 to work. For each size, time both functions with `median_time` (a warm-up, then
# a few repeats) and record the peak memory of one call of each with `tracemalloc`.
#
# Two details decide whether the numbers are honest. Create the inputs *before* you start
# `tracemalloc` and the clock, so that you measure the function and not the set-up. And stop
# `tracemalloc` when you are done: tracing slows every allocation, so never time code while it is on.
#
# **Exercise 4.** Write `benchmark_operations(sizes)`. For each size `n`, draw two float64 inputs
# of length `n` (seeded, for example `np.random.default_rng(0)`), and return a dict:
#
# | key | value |
# | --- | --- |
# | `"sizes"` | the sizes, as a list of ints |
# | `"loop_times"`, `"vectorized_times"` | `{n: median seconds}` |
# | `"memory_loop"`, `"memory_vectorized"` | `{n: peak bytes}` (an int, from `tracemalloc`) |
#
# Use `repeats=3` for the timings: with the default sizes the loop runs a million elements.

# %% nbgrader={"grade": false, "grade_id": "complexity_benchmark", "locked": false, "schema_version": 3, "solution": true}
def benchmark_operations(sizes: Sequence[int] = (1_000, 10_000, 100_000, 1_000_000)) -> dict:
    """Time and measure ``elementwise_multiply_loop`` and ``elementwise_multiply_vectorized``.

    Args:
        sizes: input lengths to measure, each a positive int.

    Returns:
        ``{"sizes": [n, ...], "loop_times": {n: s}, "vectorized_times": {n: s},
        "memory_loop": {n: bytes}, "memory_vectorized": {n: bytes}}`` with median seconds per
        call and peak bytes allocated during one call.

    Raises:
        ValueError: ``sizes`` is empty or holds a size below 1.
    """
    # about 16 lines
    ### BEGIN SOLUTION
    sizes = [int(n) for n in sizes]
    if not sizes or min(sizes) < 1:
        raise ValueError(f"sizes must be a non-empty list of positive ints, got {sizes}")
    functions = {"loop": elementwise_multiply_loop, "vectorized": elementwise_multiply_vectorized}
    results: dict = {"sizes": sizes}
    for name in functions:
        results[f"{name}_times"] = {}
        results[f"memory_{name}"] = {}
    rng = np.random.default_rng(0)
    for n in sizes:
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        for name, func in functions.items():
            results[f"{name}_times"][n] = median_time(func, a, b, repeats=3)
            tracemalloc.start()
            func(a, b)
            results[f"memory_{name}"][n] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return results
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Called with small sizes (a few thousand at most, so it runs in a
# blink): the five keys; `"sizes"` is a list equal to the sizes given; each of the four inner dicts
# has exactly those sizes as keys; times are positive finite floats and peak memories positive
# ints; and both versions' peak memories are at least one byte per element (the output alone
# takes eight), the vectorized one growing with `n`; `ValueError` for no sizes or a size below 1.
# No test depends on how fast your machine is.

# %% nbgrader={"grade": true, "grade_id": "complexity_benchmark_structure", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""benchmark_operations returns the documented keys, the sizes given, and positive numbers."""


def _check_benchmark(results, sizes):
    keys = {"sizes", "loop_times", "vectorized_times", "memory_loop", "memory_vectorized"}
    assert isinstance(results, dict), f"expected a dict, got {type(results).__name__}"
    assert keys <= set(results), f"missing keys: {sorted(keys - set(results))}"
    assert isinstance(results["sizes"], list), (
        f"'sizes' should be a list, got {type(results['sizes']).__name__}"
    )
    assert results["sizes"] == list(sizes), f"'sizes' should be {list(sizes)}, got {results['sizes']}"
    for key in ("loop_times", "vectorized_times", "memory_loop", "memory_vectorized"):
        assert set(results[key]) == set(sizes), f"{key} has keys {sorted(results[key])}, expected {list(sizes)}"
    for key in ("loop_times", "vectorized_times"):
        for n, seconds in results[key].items():
            assert isinstance(seconds, float) and 0 < seconds < math.inf, f"{key}[{n}] = {seconds!r}"
    for key in ("memory_loop", "memory_vectorized"):
        for n, peak in results[key].items():
            assert isinstance(peak, (int, np.integer)) and peak > 0, f"{key}[{n}] = {peak!r}, expected bytes"


with quiet():
    results = benchmark_operations((200, 2_000))
_check_benchmark(results, (200, 2_000))
### BEGIN HIDDEN TESTS
_hidden_sizes = tuple(sorted(int(n) for n in np.random.default_rng(2024_01_06).integers(50, 3_000, size=3)))
with quiet():
    results = benchmark_operations(_hidden_sizes)
_check_benchmark(results, _hidden_sizes)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_benchmark_memory", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Peak memory is in bytes, covers the output array, and grows with n."""
with quiet():
    results = benchmark_operations((500, 5_000))
for key in ("memory_loop", "memory_vectorized"):
    for n in (500, 5_000):
        assert results[key][n] >= n, (
            f"{key}[{n}] = {results[key][n]}: the output alone takes {8 * n} bytes; report the peak "
            "of tracemalloc.get_traced_memory() in bytes"
        )
assert results["memory_vectorized"][5_000] > results["memory_vectorized"][500], (
    f"peak memory should grow with n, got {results['memory_vectorized']}"
)

# %% nbgrader={"grade": true, "grade_id": "complexity_benchmark_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""benchmark_operations rejects an empty list of sizes and sizes below 1."""
assert_raises(ValueError, benchmark_operations, ())
_exc = assert_raises(ValueError, benchmark_operations, (100, 0))

# %% [markdown]
# ## 5. Plotting the results
#
# Times that span five orders of magnitude need **log-log axes**. They have a second use: a cost
# that grows like `n^k` is a straight line of slope `k` on them, so you can read the complexity
# off the plot. (Section 6 turns that into a number.)
#
# **Exercise 5.** Write `plot_performance(results)` for a dict shaped like the one from
# `benchmark_operations`. Return a `matplotlib.figure.Figure` with three panels: time against size
# for both versions on log-log axes; peak memory against size for both; and the speedup
# (loop time divided by vectorized time) against size. Label the axes. `utils.plotting.new_figure(
# ncols=3)` returns `(fig, axes)` without touching any GUI.

# %% nbgrader={"grade": false, "grade_id": "complexity_setup_plot_checks", "locked": true, "schema_version": 3, "solution": false}
# Helpers for the tests of exercise 5 (read them if a test fails).
def _fake_results(rng, sizes):
    """Made-up results shaped like benchmark_operations output, for the given sizes."""
    loop_s = {n: float(n * rng.uniform(5e-8, 2e-7)) for n in sizes}
    vec_s = {n: float(2e-6 + n * rng.uniform(1e-10, 1e-9)) for n in sizes}
    mem_loop = {n: int(8 * n + rng.integers(100, 2000)) for n in sizes}
    mem_vec = {n: int(8 * n + rng.integers(50, 500)) for n in sizes}
    return {"sizes": list(sizes), "loop_times": loop_s, "vectorized_times": vec_s,
            "memory_loop": mem_loop, "memory_vectorized": mem_vec}


def _data_axes(fig):
    """The panels that hold lines or markers."""
    return [ax for ax in fig.get_axes() if ax.get_lines() or ax.collections]


def _series(ax):
    """(x, y) float arrays of every line and every set of scatter markers on ax."""
    found = [(line.get_xdata(), line.get_ydata()) for line in ax.get_lines()]
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets())
        if offsets.ndim == 2 and len(offsets):
            found.append((offsets[:, 0], offsets[:, 1]))
    return [(np.asarray(x, dtype=float), np.asarray(y, dtype=float)) for x, y in found]


def _proportional(got, want):
    """True when got equals want times one non-zero constant (a change of units)."""
    if got.shape != want.shape or not np.all(np.isfinite(got)) or np.any(got == 0):
        return False
    ratio = got / want
    return bool(np.allclose(ratio, ratio[0], rtol=1e-6))


def _axes_with(fig, sizes, values):
    """The panels of fig that draw values against sizes (in any units)."""
    want_x, want_y = np.asarray(sizes, dtype=float), np.asarray(values, dtype=float)
    return [ax for ax in fig.get_axes()
            if any(_proportional(x, want_x) and _proportional(y, want_y) for x, y in _series(ax))]


# %% nbgrader={"grade": false, "grade_id": "complexity_plot", "locked": false, "schema_version": 3, "solution": true}
def plot_performance(results: dict) -> Figure:
    """Three panels: time (log-log), peak memory, and speedup of vectorized over loop, against n.

    Args:
        results: a dict with the keys and shapes that ``benchmark_operations`` returns.

    Returns:
        The figure.
    """
    # about 20 lines
    ### BEGIN SOLUTION
    sizes = sorted(results["sizes"])
    loop_s = [results["loop_times"][n] for n in sizes]
    vec_s = [results["vectorized_times"][n] for n in sizes]
    fig, (ax_time, ax_mem, ax_speed) = new_figure(ncols=3, width_in=4.2)
    ax_time.loglog(sizes, loop_s, "o-", label="Python loop")
    ax_time.loglog(sizes, vec_s, "s-", label="vectorized")
    ax_time.set_ylabel("median time per call (s)")
    ax_time.set_title("time")
    ax_mem.loglog(sizes, [results["memory_loop"][n] for n in sizes], "o-", label="Python loop")
    ax_mem.loglog(sizes, [results["memory_vectorized"][n] for n in sizes], "s--", label="vectorized")
    ax_mem.set_ylabel("peak memory (bytes)")
    ax_mem.set_title("memory")
    ax_speed.semilogx(sizes, [slow / fast for slow, fast in zip(loop_s, vec_s)], "o-", color="C2")
    ax_speed.set_ylabel("speedup (loop time / vectorized time)")
    ax_speed.set_title("speedup")
    for ax in (ax_time, ax_mem, ax_speed):
        ax.set_xlabel("n (elements)")
        ax.grid(True, which="major", alpha=0.3)
    ax_time.legend()
    ax_mem.legend()
    return fig
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** On made-up results (so nothing is timed): the return value is a
# `Figure`; every panel that shows data has a y-axis label and some panel has an x-axis label;
# the figure draws, as lines or markers, loop and vectorized times against size on a panel with
# both axes logarithmic, loop and vectorized peak memory against size, and loop time divided by
# vectorized time against size. A series may be rescaled (milliseconds, MiB), not reordered.

# %% nbgrader={"grade": true, "grade_id": "complexity_plot_figure", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""plot_performance returns a Figure whose data panels are labelled."""
with quiet():
    fig = plot_performance(_fake_results(np.random.default_rng(5), [100, 1_000, 10_000, 100_000]))
assert isinstance(fig, Figure), f"expected a matplotlib Figure, got {type(fig).__name__}"
assert len(_data_axes(fig)) >= 2, "expected separate panels for time, memory and speedup"
for ax in _data_axes(fig):
    assert ax.get_ylabel().strip(), f"panel {ax.get_title()!r} has no y-axis label"
assert any(ax.get_xlabel().strip() for ax in fig.get_axes()), "label the x-axis (the size n)"

# %% nbgrader={"grade": true, "grade_id": "complexity_plot_content", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""The figure shows time on log-log axes, peak memory, and speedup, each against size."""


def _check_plot(results):
    sizes = results["sizes"]
    with quiet():
        fig = plot_performance(results)
    for key in ("loop_times", "vectorized_times"):
        axes = _axes_with(fig, sizes, [results[key][n] for n in sizes])
        assert axes, f"no line or markers show {key} against size"
        assert any(ax.get_xscale() == "log" and ax.get_yscale() == "log" for ax in axes), (
            f"{key} is plotted, but not on log-log axes"
        )
    for key in ("memory_loop", "memory_vectorized"):
        memory = [results[key][n] for n in sizes]
        assert _axes_with(fig, sizes, memory), f"no line or markers show {key} against size"
    speedups = [results["loop_times"][n] / results["vectorized_times"][n] for n in sizes]
    assert _axes_with(fig, sizes, speedups), "no line or markers show loop time / vectorized time"


_check_plot(_fake_results(np.random.default_rng(6), [100, 1_000, 10_000, 100_000]))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2024_01_07)
_check_plot(_fake_results(_rng, sorted(int(n) for n in _rng.integers(10, 10**6, size=5))))
### END HIDDEN TESTS

# %% [markdown]
# Your own numbers, from your `benchmark_operations` and your `plot_performance` (a few seconds:
# the loop has to get through a million elements):

# %%
_results = benchmark_operations()
_n = _results["sizes"][-1]
print(f"n = {_n:,}: loop {_results['loop_times'][_n] * 1e3:.0f} ms "
      f"({_results['loop_times'][_n] / _n * 1e9:.0f} ns per element), vectorized "
      f"{_results['vectorized_times'][_n] * 1e3:.2f} ms, speedup "
      f"{_results['loop_times'][_n] / _results['vectorized_times'][_n]:.0f}x; "
      f"the two inputs and the output take {3 * 8 * _n / 1e6:.0f} MB")
plot_performance(_results)

# %% [markdown]
# **Reflection 1 (2 points).** Look at your three panels. (a) The speedup is not the same at every
# size. Where is it smallest? If it drops again at the largest size, what changed there (think of
# how many bytes the three arrays take and where they live)? (b) Name two reasons, other than
# "C is faster than Python", why the vectorized version wins. (c) Peak memory is about the same for
# both versions. Why, and what would make the vectorized version need *more* memory than the loop
# (think of `a * b + c` on large arrays)? Three to six sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "complexity_reflection_1", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# ### BEGIN SOLUTION
# (a) The speedup is smallest at small n. A NumPy call has a fixed cost of about a microsecond
# (argument parsing, type resolution, allocating the output), which dominates when there are only a
# thousand elements to multiply, while the loop's cost is all per element. At a million elements
# the two inputs and the output take 24 MB. Where that is more than the last-level cache (8 to
# 32 MB on many laptops and small cloud machines; section 7 prints yours), the vectorized loop now
# waits on main memory (24 bytes moved per multiplication) and slows down per element, while the
# interpreter-bound loop barely notices: the ratio falls again. On a part whose L3 holds all 24 MB,
# the drop is small or absent. (b) The loop pays the interpreter per element: bytecode dispatch,
# boxing each element into a new `np.float64` scalar object, dynamic type dispatch
# for `*`, reference counting. NumPy's loop runs on raw doubles, with SIMD instructions that
# multiply several doubles at once, and streams memory sequentially so the prefetcher keeps it fed.
# (c) Both allocate one output array of 8n bytes, and the loop's temporary scalar objects are freed
# one by one, so the peaks match. An expression like `a * b + c` makes NumPy allocate a full
# temporary array for `a * b` before adding `c`, doubling the peak; a fused loop (or `out=`
# arguments) avoids it.
# ### END SOLUTION

# %% [markdown]
# ## 6. Reading the exponent off a measurement
#
# If `t(n) ≈ C n^k`, then `log t = log C + k log n`: a straight line in `log n` whose slope is the
# exponent `k`. Fit a line to `(log n, log t)` over a few sizes (least squares, `np.polyfit(x, y,
# 1)`) and the slope estimates `k`, whatever `C` is.
#
# The estimate is only as good as the timings. Use sizes spread over a wide range (a factor of 8
# or more between the smallest and the largest) so that the real growth dwarfs timing noise, and
# large enough that the fixed cost of a call does not flatten the low end.
#
# **Exercise 6.** Write `estimate_complexity_exponent(func, sizes, make_input)`: for each `n`, build
# the input with `make_input(n)` (untimed), take the median time of `func(input)`, and return the
# slope of log(median time) against log(n) as a float.

# %% nbgrader={"grade": false, "grade_id": "complexity_exponent", "locked": false, "schema_version": 3, "solution": true}
def estimate_complexity_exponent(
    func: Callable[[Any], Any], sizes: Sequence[int], make_input: Callable[[int], Any]
) -> float:
    """Estimate ``k`` in ``time(func) ~ n**k`` from timings at several sizes.

    Args:
        func: the function to time; called as ``func(make_input(n))``.
        sizes: at least two distinct positive input sizes.
        make_input: builds the input for size ``n``; not timed.

    Returns:
        The least-squares slope of log(median seconds) against log(n).

    Raises:
        ValueError: fewer than two distinct sizes, or a size below 1.
    """
    # about 9 lines
    ### BEGIN SOLUTION
    sizes = [int(n) for n in sizes]
    if len(set(sizes)) < 2 or min(sizes) < 1:
        raise ValueError(f"need at least two distinct positive sizes, got {sizes}")
    times_s = []
    for n in sizes:
        data = make_input(n)
        times_s.append(max(median_time(func, data, repeats=5, warmup=1), 1e-9))
    slope, _ = np.polyfit(np.log(sizes), np.log(times_s), 1)
    return float(slope)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Two functions whose work is an exact count of Python loop steps, each
# timed at four sizes spanning a factor of 8 (hidden tests use other sizes): `n` steps, where your
# estimate must lie in 0.6 .. 1.6, and `n * n` steps, 1.5 .. 2.8. The result must be a float. The
# ranges are wide and each check gets five attempts, because a test must not fail a correct answer
# on a busy machine. The runs are kept short (well under a millisecond) for the same reason: the
# operating system shares a busy core in slices of a millisecond or so, and a run longer than a
# slice is likely to be paused, which would make the big sizes look slower than they are. A slope
# taken with mismatched logarithms or without logarithms falls far outside; one with the axes
# swapped estimates `1/k` instead of `k` (about 1 for the linear work, about 0.5 for the quadratic),
# so the quadratic check catches it. A third cell checks the errors: fewer than two distinct
# sizes, or a size below 1, raise `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "complexity_exponent_orders", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""The estimated exponent is about 1 for linear work and about 2 for quadratic work."""


def _linear_steps(n):
    total = 0
    for i in range(n):
        total ^= i
    return total


def _quadratic_steps(n):
    total = 0
    for i in range(n * n):
        total ^= i
    return total


def _check_exponent(func, sizes, low, high, attempts=5):
    estimates = []
    for _ in range(attempts):
        with quiet():
            k = estimate_complexity_exponent(func, sizes, lambda n: n)
        assert isinstance(k, float), f"expected a float, got {type(k).__name__}"
        estimates.append(round(k, 2))
        if low <= k <= high:
            return
    raise AssertionError(
        f"{func.__name__} over sizes {sizes}: estimated {estimates}, expected {low} .. {high}"
    )


_check_exponent(_linear_steps, (500, 1_000, 2_000, 4_000), 0.6, 1.6)
_check_exponent(_quadratic_steps, (10, 20, 40, 80), 1.5, 2.8)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2024_01_08)
_base = int(_rng.integers(400, 700))
_check_exponent(_linear_steps, (_base, 2 * _base, 4 * _base, 8 * _base), 0.6, 1.6)
_base = int(_rng.integers(8, 14))
_check_exponent(_quadratic_steps, (_base, 2 * _base, 4 * _base, 8 * _base), 1.5, 2.8)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_exponent_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""estimate_complexity_exponent rejects fewer than two distinct sizes and sizes below 1."""
assert_raises(ValueError, estimate_complexity_exponent, len, (100,), list)
assert_raises(ValueError, estimate_complexity_exponent, len, (100, 100, 100), list)
_exc = assert_raises(ValueError, estimate_complexity_exponent, len, (0, 10, 100), list)

# %% [markdown]
# The exponent of a few familiar operations, measured with your function. Sorting random floats
# should come out a little above 1: `n log n` grows slightly faster than `n`. `np.sum` comes out
# well below 1 over this range, because at small `n` the fixed cost of the call (a few
# microseconds) is most of the time: a reminder that a slope only means something where the work
# dominates.

# %%
_rng = np.random.default_rng(1)
_cases = [
    ("sorted(list)", sorted, (16_000, 32_000, 64_000, 128_000), lambda n: _rng.random(n).tolist()),
    ("np.sum(array)", np.sum, (1_000, 10_000, 100_000, 1_000_000), _rng.random),
    ("your loop multiply", lambda ab: elementwise_multiply_loop(*ab), (1_000, 2_000, 4_000, 8_000),
     lambda n: (_rng.random(n), _rng.random(n))),
]
for _name, _func, _sizes, _make in _cases:
    print(f"{_name:20s} exponent {estimate_complexity_exponent(_func, _sizes, _make):.2f}")

# %% [markdown]
# ## 7. The memory hierarchy: row-major versus column-major
#
# Main memory is far away. On typical current server and desktop CPUs (vendor and benchmark
# figures, not measured here), a load that misses every cache takes about 80-100 ns and an L1 hit
# about 1 ns, with L2 (about 4 ns) and L3 (about 15 ns) between them. The first cell of this section
# reads the cache sizes of *your* machine. Two facts decide which level a load pays for:
#
# - **Cache lines.** Memory moves in blocks of 64 bytes, eight float64 values. Loading `a[0]`
#   brings `a[1] .. a[7]` along for free. Using neighbours of what you just touched is *spatial
#   locality*; reusing what you touched recently is *temporal locality*.
# - **Prefetching.** When the CPU sees loads marching through memory at a steady small stride, it
#   fetches the next lines before you ask.
#
# - **Pages.** Addresses are translated page by page, and the CPU caches recent translations in
#   the TLB (a few thousand entries). Linux hands out 4 KiB pages, or 2 MiB *huge* pages where it
#   can; NumPy asks for huge pages on large arrays (4 MiB and more), and with the common setting
#   `madvise` the kernel grants them. The cell below shows what your arrays got.
#
# A NumPy array is one flat block. In **row-major** (C) order, the default, `a[i, j]` sits at
# offset `(i * ncols + j) * 8` bytes: walking along a row reads consecutive bytes, and one cache
# line serves eight reads. Walking down a column jumps `ncols * 8` bytes every step: for a 2000 x
# 2000 array, 16 000 bytes, so every read lands on a new cache line. The other seven values in each
# line are needed only when the walk comes back for the next columns, after one full sweep down a
# column has touched one line per row: `nrows * 64` bytes, whatever the number of columns or the
# dtype. That sweep footprint is the number to compare with the caches: while it fits in a cache
# level, the line is still there when the walk returns; once it does not, each line is fetched
# again for each of its values. Same O(n), same additions, up to 8 times more line fetches.
#
# **Exercise 7.** Write `row_major_sum(a)` and `column_major_sum(a)` for a 2-D C-ordered array,
# each as two nested loops compiled with `numba.njit` (keep the decorator), that add the elements
# one at a time into a float64 running total: row by row in the first (`a[0, 0], a[0, 1], ...`),
# column by column in the second (`a[0, 0], a[1, 0], ...`).

# %% nbgrader={"grade": false, "grade_id": "complexity_row_major", "locked": false, "schema_version": 3, "solution": true}
@numba.njit
def row_major_sum(a: np.ndarray) -> float:
    """Sum of a 2-D array, visiting a[0, 0], a[0, 1], ..., a[1, 0], ... (row by row)."""
    # about 6 lines
    ### BEGIN SOLUTION
    total = 0.0
    n_rows, n_cols = a.shape
    for i in range(n_rows):
        for j in range(n_cols):
            total += a[i, j]
    return total
    ### END SOLUTION


# %% [markdown]
# **What the tests check** (both functions). The decorator is still there; the sum matches
# `a.sum()` (relative tolerance 1e-10) for shapes 3x7, 7x3, 1x1, 0x4, 4x0 and larger, run first as
# plain Python (`row_major_sum.py_func`, where an index out of range raises `IndexError`) and
# then compiled; and the traversal order. The loops are the exercise: the plain-Python run is
# counted in lines, and on an array of `n` elements your function must run at least `n` of them, so
# `a.sum()` (or any one-call reduction) inside `njit` earns no points. Floating-point addition is not associative:
# `(1e16 + 1) - 1e16` is 0 in float64, while `(1e16 - 1e16) + 1` is 1. So a running total over a
# small array with values like 1e16 and 1 comes out differently row by row and column by column,
# and the test checks that you got the order's answer.

# %% nbgrader={"grade": true, "grade_id": "complexity_row_major_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""row_major_sum matches NumPy's sum, interpreted and compiled, on several shapes."""
from utils.testing import assert_loop_kernel as _check_loop_kernel  # fresh: answer cells cannot replace it

_rng = np.random.default_rng(1)  # non-square, 1 x 1, empty, and a larger one with mixed signs
_cases = [_rng.random((3, 7)), _rng.random((7, 3)), _rng.random((1, 1)), np.zeros((0, 4)), np.zeros((4, 0)),
          _rng.random((40, 25)) - 0.5]
_check_loop_kernel(row_major_sum, "row_major_sum", _cases, np.sum)
### BEGIN HIDDEN TESTS
_shape = tuple(int(s) for s in np.random.default_rng(2024_01_09).integers(2, 60, size=2))
_check_loop_kernel(row_major_sum, "row_major_sum", [np.random.default_rng(2024_01_10).normal(size=_shape)], np.sum)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_row_major_order", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""row_major_sum adds the elements row by row (visible through float64 rounding)."""
from utils.testing import python_loop_result as _python_loop_result, quiet as _quiet  # fresh bindings

_wide = np.array([[1e16, -1e16], [1.0, 1.0]])
_tall = np.ascontiguousarray(_wide.T)
_python_loop_result(row_major_sum, "row_major_sum", _wide)
with _quiet():
    got_wide, got_tall = row_major_sum(_wide), row_major_sum(_tall)
assert got_wide == 2.0, f"row by row, [[1e16, -1e16], [1, 1]] sums to 2.0; got {got_wide}"
assert got_tall in (0.0, 1.0), (
    f"row by row, [[1e16, 1], [-1e16, 1]] sums to 1.0 (0.0 with row subtotals); got {got_tall}"
)

# %% nbgrader={"grade": false, "grade_id": "complexity_column_major", "locked": false, "schema_version": 3, "solution": true}
@numba.njit
def column_major_sum(a: np.ndarray) -> float:
    """Sum of a 2-D array, visiting a[0, 0], a[1, 0], ..., a[0, 1], ... (column by column)."""
    # about 6 lines
    ### BEGIN SOLUTION
    total = 0.0
    n_rows, n_cols = a.shape
    for j in range(n_cols):
        for i in range(n_rows):
            total += a[i, j]
    return total
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "complexity_column_major_correct", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""column_major_sum matches NumPy's sum, interpreted and compiled, on several shapes."""
from utils.testing import assert_loop_kernel as _check_loop_kernel  # fresh: answer cells cannot replace it

_rng = np.random.default_rng(2)  # non-square, 1 x 1, empty, and a larger one with mixed signs
_cases = [_rng.random((3, 7)), _rng.random((7, 3)), _rng.random((1, 1)), np.zeros((0, 4)), np.zeros((4, 0)),
          _rng.random((40, 25)) - 0.5]
_check_loop_kernel(column_major_sum, "column_major_sum", _cases, np.sum)
### BEGIN HIDDEN TESTS
_shape = tuple(int(s) for s in np.random.default_rng(2024_01_11).integers(2, 60, size=2))
_check_loop_kernel(column_major_sum, "column_major_sum", [np.random.default_rng(2024_01_12).normal(size=_shape)], np.sum)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "complexity_column_major_order", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""column_major_sum adds the elements column by column (visible through float64 rounding)."""
from utils.testing import python_loop_result as _python_loop_result, quiet as _quiet  # fresh bindings

_wide = np.array([[1e16, -1e16], [1.0, 1.0]])
_tall = np.ascontiguousarray(_wide.T)
_python_loop_result(column_major_sum, "column_major_sum", _tall)
with _quiet():
    got_wide, got_tall = column_major_sum(_wide), column_major_sum(_tall)
assert got_tall == 2.0, f"column by column, [[1e16, 1], [-1e16, 1]] sums to 2.0; got {got_tall}"
assert got_wide in (0.0, 1.0), (
    f"column by column, [[1e16, -1e16], [1, 1]] sums to 1.0 (0.0 with column subtotals); got {got_wide}"
)

# %% [markdown]
# Now the measurement, in two cells. The first reads two facts about your machine: the size of each
# cache level (from Linux's `/sys`, or `sysctl` on macOS), and the page size that a large NumPy
# array actually got (the kernel's own count of huge pages under the array's addresses, from
# `/proc/self/smaps`). Where a fact cannot be read, the cell says so and the lesson rests on the
# other one.

# %%
import re
import subprocess
from pathlib import Path

_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3}


def cache_sizes_bytes():
    """Data cache sizes of this machine, as {"L1d": bytes, "L2": bytes, "L3": bytes} (those found)."""
    sizes = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        try:
            level, kind, size = ((index / name).read_text().strip() for name in ("level", "type", "size"))
        except OSError:
            continue
        if kind != "Instruction" and size:
            value = int(size[:-1]) * _UNITS[size[-1]] if size[-1] in _UNITS else int(size)
            sizes["L1d" if level == "1" else f"L{level}"] = value
    if not sizes and sys.platform == "darwin":
        for name, key in (("L1d", "hw.l1dcachesize"), ("L2", "hw.l2cachesize"), ("L3", "hw.l3cachesize")):
            out = subprocess.run(["sysctl", "-n", key], capture_output=True, text=True).stdout.strip()
            if out.isdigit() and int(out):
                sizes[name] = int(out)
    return sizes


def huge_page_bytes(a):
    """Bytes of ``a``'s buffer that sit on transparent huge pages, or None where /proc is missing."""
    start, end = a.ctypes.data, a.ctypes.data + a.nbytes
    try:
        smaps = Path("/proc/self/smaps").read_text().splitlines()
    except OSError:
        return None
    total, inside = 0, False
    for line in smaps:
        mapping = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
        if mapping:
            inside = int(mapping.group(1), 16) < end and int(mapping.group(2), 16) > start
        elif inside and line.startswith("AnonHugePages:"):
            total += int(line.split()[1]) * 1024
    return total


def kib(nbytes):
    return f"{nbytes / 1024:,.0f} KiB" if nbytes < 2**20 else f"{nbytes / 2**20:,.3g} MiB"


_caches = cache_sizes_bytes()
try:
    _thp = Path("/sys/kernel/mm/transparent_hugepage/enabled").read_text().split("[")[1].split("]")[0]
except (OSError, IndexError):
    _thp = "unknown (no Linux transparent huge pages here)"
_big = np.ones((4_000, 4_000))
_huge = huge_page_bytes(_big)
if _huge is None:
    PAGE_BYTES = None
    _pages = "page size unknown: /proc is not available on this system"
else:
    PAGE_BYTES = 2 * 2**20 if _huge >= _big.nbytes // 2 else 4096
    _pages = (f"{kib(_huge)} of it on 2 MiB huge pages, so its pages are {kib(PAGE_BYTES)}: a column sweep "
              f"crosses about {math.ceil(_big.shape[0] * _big.strides[0] / PAGE_BYTES)} pages")
del _big
print("caches: " + (", ".join(f"{name} {kib(size)}" for name, size in _caches.items()) or "not readable here"))
print(f"transparent huge pages: {_thp}")
print(f"a 4000 x 4000 float64 array ({kib(4_000 * 4_000 * 8)}): {_pages}")

# %% [markdown]
# The second cell times both of your functions on square arrays from 250 x 250 to 4000 x 4000 and
# plots the ratio of the two times against the *sweep footprint*, `rows * 64` bytes, with the cache
# sizes found above drawn in. The arithmetic is identical; only the order of the reads differs. It
# then says where the gap opened (the first size where column by column is 1.5 times slower or
# more), and repeats the largest size in float32. About ten seconds.

# %%
_sides = [250, 500, 1_000, 1_500, 2_000, 3_000, 4_000]
_ratios = []
for _side in _sides:
    _a = np.random.default_rng(_side).random((_side, _side))
    _ratios.append(median_time(column_major_sum, _a, repeats=3) / median_time(row_major_sum, _a, repeats=3))
_a32 = _a.astype(np.float32)
_ratio32 = median_time(column_major_sum, _a32, repeats=3) / median_time(row_major_sum, _a32, repeats=3)
del _a, _a32
_footprints = [side * 64 for side in _sides]
_fig, _ax = new_figure(width_in=6.5, height_in=3.4)
_ax.plot(_footprints, _ratios, "o-", label="float64 arrays")
for _name, _size in _caches.items():
    if _size <= 4 * _footprints[-1]:
        _ax.axvline(_size, color="grey", linestyle="--", linewidth=1)
        _ax.text(_size, max(_ratios), f" {_name}", color="grey", va="top")
_ax.set_xscale("log")
_ax.set_xticks(_footprints, [f"{side}\n{kib(fp)}" for side, fp in zip(_sides, _footprints)], fontsize=8)
_ax.minorticks_off()
_ax.axhline(1, color="black", linewidth=0.8)
_ax.set_xlabel("rows, and one column sweep's footprint (rows x 64 B)")
_ax.set_ylabel("column time / row time")
_ax.set_title("Same additions, different access order")
_ax.set_ylim(bottom=0)
_opening = next((k for k, ratio in enumerate(_ratios) if ratio >= 1.5), None)
print("column / row time: " + ", ".join(f"{side}: {ratio:.1f}" for side, ratio in zip(_sides, _ratios))
      + f"; float32 at {_sides[-1]}: {_ratio32:.1f}")
if _opening is None:
    print(f"no gap of 1.5x up to {_sides[-1]} rows: every sweep (at most {kib(_footprints[-1])}) stayed "
          "in a cache level that hides its misses")
else:
    _fp = _footprints[_opening]
    _where = ", ".join(f"{_fp / size:.2g} x {name}" for name, size in _caches.items())
    print(f"the gap opens at {_sides[_opening]} rows: one sweep touches {_sides[_opening]} lines, "
          f"{kib(_fp)}" + (f" ({_where})" if _where else ""))
if PAGE_BYTES is not None:
    _crossed = math.ceil(_sides[_opening or -1] * _sides[_opening or -1] * 8 / PAGE_BYTES)
    print(f"with {kib(PAGE_BYTES)} pages that sweep crosses {_crossed} pages" + (
        ": few enough for the TLB, so the gap comes from the caches" if PAGE_BYTES > 4096
        else ", one per row: past the TLB's reach (typically 1 000 to 2 000 entries) every read also waits for a page walk"))
_fig

# %% [markdown]
# What you are looking at. Row by row, each 64-byte line brings eight values that are all used,
# and the prefetcher sees the steady stride and fetches ahead, so memory is never the bottleneck:
# the loop runs at the speed of the additions, because every addition waits for the previous one
# (the running total is one chain of dependent additions).
#
# Column by column, what matters is the sweep footprint: one line per row, `rows * 64` bytes. For
# 250 rows that is 16 KiB, which stays in L1 until the walk comes back for the lines' other seven
# values, so the two orders tie. A sweep somewhat larger than L1 usually still ties: its lines come
# back from L2, and those loads do not depend on the running total, so the core issues them early
# and the slow chain of additions hides the wait. The gap opens where the lines no longer survive
# in the cache until the walk returns, and each line is fetched again, from L3 or memory, for
# each of its values. That happens between the L1 and the L2 size, often well below L2, because
# lines a whole row apart map onto only a fraction of a cache's sets (and a virtual machine may
# report its host's cache sizes). Two machines, both with 2 MiB pages: a 2-vCPU cloud machine
# (32 KiB L1d, 1 MiB L2) measured ratios of 1.0 at 250, 500 and 1000 rows, 1.4 at 2000, 3.7 at
# 4000 and 8.5 at 8000; a 2-vCPU Sapphire Rapids cloud VM (48 KiB L1d, 2 MiB L2) measured 1.0 at
# 250, 1.3 at 1000, 2.7 at 2000 and 7.2 at 4000. Your cell printed your own.
#
# Pages are the other fact. With 4 KiB pages, every row of a large array is a page of its own, and
# a sweep of a few thousand rows outruns the TLB, so each read would also wait for a page walk.
# NumPy asks for huge pages on large arrays, and where the kernel grants them (the cell above shows
# whether it did) a sweep of the 4000 x 4000 array crosses only about 60 pages of 2 MiB: the TLB
# holds those, and the gap is all caches. The ratio stays below the 8 that the line count suggests
# because the core keeps several misses in flight at once.
#
# Change the layout instead of the loop when you can: `np.asfortranarray(a)` stores columns
# contiguously, and then column order is the fast one. NumPy and BLAS pick the traversal order from
# the strides for you; a hand-written loop has to do it itself.

# %% [markdown]
# **Reflection 2 (2 points).** (a) Using the two facts your cells printed (the page size your
# arrays got, and the sweep footprint at which the gap opened), explain where the column/row gap
# opens on your machine, and why the two orders take about the same time for the 250 x 250 array.
# (b) If `a` held float32 instead of float64, would the curves part at a different number of rows?
# Compare with the float32 ratio your cell printed. (c) A colleague transposes a large matrix with
# `b = a.T.copy()`. Which of the two walks inside that copy (reading `a`, writing `b`) is the
# strided one, and why can't both be contiguous? Three to six sentences.

# %% [markdown] nbgrader={"grade": true, "grade_id": "complexity_reflection_2", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# ### BEGIN SOLUTION
# (a) Memory moves in 64-byte lines. Row by row, one line serves eight consecutive reads and the
# prefetcher streams ahead. Column by column, the other seven values of a line are used one sweep
# later, and a sweep touches one line per row: 16 KiB for 250 rows, which stays in L1, so both
# orders load each line once and tie. The arrays got 2 MiB huge pages (a 4000-row sweep crosses
# about 60 of them, which the TLB holds), so pages are not the cause; the gap opened where the sweep
# footprint (2000 rows, 125 KiB, on the Sapphire Rapids VM quoted above) stopped surviving in the caches until the walk came back:
# L1 misses served by L2 hide behind the chain of additions, but lines evicted before the walk
# returns are fetched again from L3 or memory for each of their values, up to eight times; misses
# in flight together keep the ratio below 8. (With 4 KiB pages, every row would be its own page
# and the TLB would add a page walk per read.) (b) No: the footprint is `rows * 64` bytes whatever
# the dtype, so the curves part at about the same number of rows. Past that point the gap is often
# smaller in float32 (a 2-vCPU cloud machine measured 2.0 against 3.7 at 4000 x 4000), because the
# row stride is halved, so rows spread over more cache sets and more lines survive. (c) A transpose
# reads along rows of `a` and writes along columns of `b` (or the reverse): element (i, j) moves to
# (j, i), so whichever array is walked contiguously, the other is walked with a stride of a whole
# row. Blocked (tiled) transposes fix this by working on small tiles that fit in cache.
# ### END SOLUTION

# %% [markdown]
# ## Summary
#
# - Big-O is the shape of the growth. On real hardware the constants it hides (interpreter
#   overhead, SIMD, the memory hierarchy) are routinely worth 10-100x; your own cells measured
#   how much on your machine.
# - In-place algorithms trade a little care for O(1) auxiliary space; `tracemalloc` checks the claim.
# - Growing by a constant factor r makes append amortized O(1): n appends cost about n·r/(r-1)
#   copies (under 2n for doubling, about 3n for r = 1.5).
# - Vectorize the inner loop: one call into compiled code instead of one interpreter round trip
#   per element.
# - Traverse memory in the order it is laid out; a cache line is 64 bytes, use all of it. The gap
#   opens where one sweep's footprint stops fitting in the caches; huge pages keep the TLB out of it.
# - Measure honestly: `perf_counter`, warm up, repeat, take the median, and estimate growth as a
#   slope on log-log axes.
