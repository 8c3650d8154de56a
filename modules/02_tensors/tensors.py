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
# # Chapter 02: Tensors and where their bytes live
#
# Every fast kernel in this course starts from one question: where in memory is element
# `x[i, j, k]`, and what lies next to it? This chapter answers it for NumPy and PyTorch.
#
# A tensor is two things: a flat **buffer** of bytes, and a small **view** that says how to read
# it: `shape`, `strides` (how many bytes to step to move one position along each axis), an
# `offset` to the first element, and a `dtype`. Slicing, transposing, broadcasting and most
# reshapes only write a new view; the buffer stays where it is. Knowing which operations copy
# and which do not is the difference between an O(1) operation and one that moves gigabytes.
#
# You will build, in order: strides and offsets; a view-or-copy quiz; broadcasting with zero
# strides, and its mirror image in gradients; convolution lowered to one matrix product with
# im2col; a sparse tensor in COO form; a memory pool with alignment and fragmentation; and
# finally a small strided `Tensor` class of your own.
#
# **How points are earned.** Each grade cell is worth its points when it runs to the end: an
# exception (a failed check, an error in your code, `NotImplementedError`) costs that cell's points,
# and a wrong value is a failed check. A grade cell's own checks, not warnings, decide. Where an
# exercise teaches a technique, the library function it replaces is switched off while your
# function is graded (`np.broadcast_to` and `np.broadcast_arrays` for `broadcast_to`, PyTorch's
# `unfold` for `im2col`, PyTorch's and SciPy's convolutions for `conv2d`), so calling it raises an
# error that names it; each "What the tests check" paragraph states the rule for its exercise.
# The hidden tests also draw many small shapes with `hypothesis` (derandomized, so a grade is
# reproducible), including empty axes, size-1 axes and sliced inputs.

# %% nbgrader={"grade": false, "grade_id": "tensors_setup_imports", "locked": true, "schema_version": 3, "solution": false}
import math
import sys

import numpy as np
from numpy.lib.stride_tricks import as_strided

from utils.plotting import new_figure
from utils.testing import assert_raises, forbidden, quiet

Shape = tuple[int, ...]
Strides = tuple[int, ...]


def member(obj, name):
    """The value of ``obj.name``, called first if it is a method (grade cells accept both)."""
    value = getattr(obj, name)
    return value() if callable(value) else value


# %% [markdown]
# ## 1. Shape, strides, offset
#
# Take `a = np.arange(12, dtype=np.float64).reshape(3, 4)`. Its 12 numbers sit in one block of
# 96 bytes. In **row-major** order (NumPy's default, `order="C"`) the last axis varies fastest:
# `a[0, 0], a[0, 1], a[0, 2], a[0, 3], a[1, 0], ...`. Moving one column to the right skips one
# element (8 bytes); moving one row down skips a whole row (4 elements, 32 bytes). So
# `a.strides == (32, 8)`. In **column-major** order (`order="F"`, Fortran and most of LAPACK)
# the first axis varies fastest and the strides are `(8, 24)`.
#
# The rule for C order: the last stride is the item size, and each stride to the left is the
# stride to its right times the size of the axis to its right. F order is the same rule read
# from the other end. The byte offset of an index is then a dot product:
#
# $$\text{offset}(i_0, \dots, i_{n-1}) = \text{offset}_0 + \sum_k i_k \cdot \text{stride}_k .$$

# %% nbgrader={"grade": false, "grade_id": "tensors_compute_strides", "locked": false, "schema_version": 3, "solution": true}
def compute_strides(shape: Shape, itemsize: int, order: str = "C") -> Strides:
    """Byte strides of a freshly allocated, contiguous array.

    Args:
        shape: the size of each axis (non-negative integers).
        itemsize: bytes per element, for example 8 for float64.
        order: "C" (row-major, last axis fastest) or "F" (column-major, first axis fastest).

    Returns:
        One stride per axis, in bytes, as a tuple of ints.

    Raises:
        ValueError: a negative axis size, an itemsize below 1, or an order other than "C"/"F".
    """
    # about 12 lines
    ### BEGIN SOLUTION
    if order not in ("C", "F"):
        raise ValueError(f"order must be 'C' or 'F', got {order!r}")
    if itemsize < 1:
        raise ValueError(f"itemsize must be at least 1 byte, got {itemsize}")
    shape = tuple(int(n) for n in shape)
    for axis, n in enumerate(shape):
        if n < 0:
            raise ValueError(f"axis {axis} has negative size {n}")
    strides = [0] * len(shape)
    step = int(itemsize)
    axes = range(len(shape) - 1, -1, -1) if order == "C" else range(len(shape))
    for axis in axes:
        strides[axis] = step
        step *= max(shape[axis], 1)
    return tuple(strides)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Your strides equal those of `np.empty(shape, dtype, order=order)` for
# fresh shapes of every rank from 0 to 5 and for item sizes 1, 2, 4 and 8, in both orders. For a
# shape with a zero-sized axis only the length of the result is checked (no element is ever read,
# so any strides are correct). Negative sizes, an item size below 1 and unknown orders raise
# `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_compute_strides_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""compute_strides matches NumPy's strides for C and F order."""
for shape, itemsize, order, expected in [
    ((3, 4), 8, "C", (32, 8)),
    ((3, 4), 8, "F", (8, 24)),
    ((2, 3, 4), 4, "C", (48, 16, 4)),
    ((5,), 2, "F", (2,)),
    ((), 8, "C", ()),
]:
    got = compute_strides(shape, itemsize, order)
    assert tuple(got) == expected, f"compute_strides{(shape, itemsize, order)}: expected {expected}, got {got}"
assert len(compute_strides((3, 0, 2), 8)) == 3, "a zero-sized axis still has a stride"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2021)
for _ in range(60):
    _shape = tuple(int(n) for n in _rng.integers(1, 7, size=_rng.integers(0, 6)))
    _dtype = np.dtype(_rng.choice(["int8", "float16", "float32", "float64"]))
    _order = str(_rng.choice(["C", "F"]))
    _expected = np.empty(_shape, dtype=_dtype, order=_order).strides
    _got = compute_strides(_shape, _dtype.itemsize, _order)
    assert isinstance(_got, tuple), f"compute_strides should return a tuple, got {type(_got).__name__}"
    assert _got == _expected, (
        f"compute_strides{(_shape, _dtype.itemsize, _order)}: expected {_expected}, got {_got}"
    )
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@settings(derandomize=True, deadline=None, max_examples=80, database=None)
@given(hnp.array_shapes(min_dims=0, max_dims=6, min_side=1, max_side=7), st.sampled_from("CF"),
       st.sampled_from(["int8", "float16", "float32", "float64", "complex128"]))
def _strides_property(shape, order, dtype):
    expected = np.empty(shape, dtype=dtype, order=order).strides
    got = compute_strides(shape, np.dtype(dtype).itemsize, order)
    assert tuple(got) == expected, f"compute_strides{(shape, np.dtype(dtype).itemsize, order)}: expected {expected}, got {got}"


_strides_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_compute_strides_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""compute_strides rejects negative sizes and unknown orders."""
assert_raises(ValueError, compute_strides, (3, -1), 8)
_exc = assert_raises(ValueError, compute_strides, (3, 4), 8, "K")
### BEGIN HIDDEN TESTS
_exc = assert_raises(ValueError, compute_strides, (3, 4), 0)
_exc = assert_raises(ValueError, compute_strides, (0, -2, 4), 4, "F")
### END HIDDEN TESTS

# %% [markdown]
# The byte offset of one element follows from the strides. `linear_offset` works for any
# strides, not only contiguous ones: a transpose, a step slice or a reversed axis (negative
# stride) is just another tuple of strides over the same buffer.

# %% nbgrader={"grade": false, "grade_id": "tensors_linear_offset", "locked": false, "schema_version": 3, "solution": true}
def linear_offset(index: tuple[int, ...], shape: Shape, strides: Strides) -> int:
    """Byte offset of element ``index`` from element ``(0, ..., 0)``.

    Negative indices count from the end of their axis, as in NumPy.

    Args:
        index: one integer per axis.
        shape: the size of each axis.
        strides: the byte stride of each axis (may be zero or negative).

    Returns:
        The offset in bytes, as an int.

    Raises:
        ValueError: ``index`` or ``strides`` has a different length than ``shape``.
        IndexError: an index is out of bounds; the message names the axis, as in
            "index 5 is out of bounds for axis 1 with size 4".
    """
    # about 10 lines
    ### BEGIN SOLUTION
    if len(index) != len(shape) or len(strides) != len(shape):
        raise ValueError(
            f"index {tuple(index)} and strides {tuple(strides)} must both have one entry per "
            f"axis of shape {tuple(shape)}"
        )
    offset = 0
    for axis, (i, n, stride) in enumerate(zip(index, shape, strides)):
        i, n = int(i), int(n)
        if not -n <= i < n:
            raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
        offset += (i % n) * int(stride)
    return offset
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** For C-ordered, F-ordered, transposed, step-sliced and reversed NumPy
# arrays of fresh random shapes (more drawn by `hypothesis`, with size-1 axes), your offset equals
# the distance in bytes between the address of `a[index]` and the address of `a[0, ..., 0]` (read
# from `ndarray.ctypes.data`). An index or strides of the wrong length raise `ValueError`; an out-of-bounds index (too large, or below `-size`) raises
# `IndexError` with the words "axis k" for the offending axis `k` in its message.

# %% nbgrader={"grade": true, "grade_id": "tensors_linear_offset_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""linear_offset agrees with the addresses NumPy uses, for any strides."""


def _address_offset(arr, index):
    index = tuple(i % n for i, n in zip(index, arr.shape))
    element = arr[tuple(slice(i, i + 1) for i in index)]
    return element.ctypes.data - arr.ctypes.data


assert linear_offset((1, 2), (3, 4), (32, 8)) == 48, "row 1, column 2 of a (3, 4) float64 array"
assert linear_offset((1, 2), (3, 4), (8, 24)) == 56, "same index, F order"
assert linear_offset((), (), ()) == 0, "a 0-d array has its only element at offset 0"
assert linear_offset((-1, 0), (3, 4), (32, 8)) == 64, "index -1 is the last row"
_base = np.arange(6 * 8 * 10, dtype=np.float64).reshape(6, 8, 10)
for _arr in (_base, _base.T, _base[::2, 1:7:3, ::-1], np.asfortranarray(_base)):
    for _index in [(0, 0, 0), (1, 1, 1), (_arr.shape[0] - 1, 0, _arr.shape[2] - 1)]:
        _got = linear_offset(_index, _arr.shape, _arr.strides)
        _expected = _address_offset(_arr, _index)
        assert _got == _expected, (
            f"index {_index}, shape {_arr.shape}, strides {_arr.strides}: expected {_expected}, got {_got}"
        )
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(77)
for _ in range(80):
    _shape = tuple(int(n) for n in _rng.integers(1, 6, size=_rng.integers(1, 5)))
    _arr = np.arange(math.prod(_shape), dtype=[np.float32, np.float64, np.int16][int(_rng.integers(3))])
    _arr = _arr.reshape(_shape, order=str(_rng.choice(["C", "F"])))
    _arr = _arr.transpose(_rng.permutation(_arr.ndim))
    _steps = [int(s) for s in _rng.choice([-2, -1, 1, 2], size=_arr.ndim)]
    _arr = _arr[tuple(slice(None, None, s) for s in _steps)]
    _index = tuple(int(_rng.integers(-n, n)) for n in _arr.shape)
    _got = linear_offset(_index, _arr.shape, _arr.strides)
    _expected = _address_offset(_arr, _index)
    assert _got == _expected, (
        f"index {_index}, shape {_arr.shape}, strides {_arr.strides}: expected {_expected}, got {_got}"
    )
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@settings(derandomize=True, deadline=None, max_examples=80, database=None)
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5), st.data())
def _offset_property(shape, data):
    arr = np.arange(math.prod(shape), dtype=data.draw(st.sampled_from([np.int8, np.float32, np.float64])))
    arr = arr.reshape(shape, order=data.draw(st.sampled_from("CF")))
    arr = arr.transpose(data.draw(st.permutations(range(len(shape)))))
    steps = data.draw(st.lists(st.sampled_from([-3, -2, -1, 1, 2]), min_size=arr.ndim, max_size=arr.ndim))
    arr = arr[tuple(slice(None, None, step) for step in steps)]
    arr = arr[(np.newaxis,) * data.draw(st.integers(0, 1))] if arr.ndim < 4 else arr
    index = tuple(data.draw(st.integers(-n, n - 1)) for n in arr.shape)
    got, expected = linear_offset(index, arr.shape, arr.strides), _address_offset(arr, index)
    assert got == expected, f"index {index}, shape {arr.shape}, strides {arr.strides}: expected {expected}, got {got}"


_offset_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_linear_offset_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""linear_offset rejects indices of the wrong length and names the axis that is out of bounds."""
assert_raises(ValueError, linear_offset, (1,), (3, 4), (32, 8))
assert_raises(ValueError, linear_offset, (1, 2, 0), (3, 4), (32, 8))
assert_raises(IndexError, linear_offset, (0, 4), (3, 4), (32, 8), match="axis 1")
assert_raises(IndexError, linear_offset, (3, 0), (3, 4), (32, 8), match="axis 0")
_exc = assert_raises(IndexError, linear_offset, (0, 0, -3), (5, 5, 2), (80, 16, 8), match="axis 2")
### BEGIN HIDDEN TESTS
_exc = assert_raises(ValueError, linear_offset, (1, 2), (3, 4), (32,))
_exc = assert_raises(IndexError, linear_offset, (0,), (0,), (8,), match="axis 0")
### END HIDDEN TESTS

# %% [markdown]
# The same twelve numbers, three ways. Each box is one 8-byte slot of the buffer, labelled with
# the index that lands there (placed with your `compute_strides` and `linear_offset`), coloured
# by row. In C order a row is one contiguous run; in F order a row is scattered with stride 24
# bytes. The bottom strip is the view `a[:, 1]` of the C-ordered array: no copy, just offset 8
# and stride 32 over the same buffer.

# %%
from matplotlib import colormaps
from matplotlib.patches import Rectangle


def draw_buffer(ax, shape, strides, itemsize, title, offset=0, highlight=None):
    """Draw one slot per buffer element, labelled with the index stored there."""
    palette = colormaps["Pastel1"]
    slots = math.prod(shape)
    for index in np.ndindex(*shape):
        slot = (offset + linear_offset(index, shape, strides)) // itemsize
        ax.add_patch(Rectangle((slot, 0), 1, 1, facecolor=palette(index[0]), edgecolor="black", linewidth=0.8))
        ax.text(slot + 0.5, 0.5, ",".join(map(str, index)), ha="center", va="center", fontsize=8)
    if highlight is not None:
        view_shape, view_strides, view_offset = highlight
        for index in np.ndindex(*view_shape):
            slot = (view_offset + linear_offset(index, view_shape, view_strides)) // itemsize
            ax.add_patch(Rectangle((slot, 0), 1, 1, fill=False, edgecolor="crimson", linewidth=2.5))
    ax.set_xlim(0, slots)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    ax.set_xticks(np.arange(slots) + 0.5, [str(itemsize * k) for k in range(slots)], fontsize=7)
    ax.set_title(title, fontsize=9, loc="left")


fig, axes = new_figure(nrows=3, width_in=7.5, height_in=1.15)
c_strides = compute_strides((3, 4), 8, "C")
f_strides = compute_strides((3, 4), 8, "F")
draw_buffer(axes[0], (3, 4), c_strides, 8, f"C order: strides {c_strides}")
draw_buffer(axes[1], (3, 4), f_strides, 8, f"F order: strides {f_strides}")
draw_buffer(
    axes[2], (3, 4), c_strides, 8, f"a[:, 1] in C order: shape (3,), strides ({c_strides[0]},), offset 8",
    highlight=((3,), (c_strides[0],), 8),
)
axes[2].set_xlabel("byte offset in the buffer")
fig

# %% [markdown]
# ## 2. Views and copies
#
# A **view** is a new array object over the same buffer; a **copy** owns fresh memory. Three
# ways to tell them apart:
#
# - `np.shares_memory(x, y)`: do two arrays touch a common byte? (Exact, but can be slow on
#   huge strided arrays; `np.may_share_memory` only compares address ranges.)
# - `x.base`: the array that owns the buffer `x` borrows (NumPy follows the chain of views back
#   to the owner), or `None` if `x` owns its data.
# - `x.flags`: `OWNDATA`, `C_CONTIGUOUS`, `F_CONTIGUOUS`, `WRITEABLE`.
#
# The rule behind the answers: NumPy returns a view whenever the result can be described by
# *some* shape, strides and offset over the old buffer. Basic slicing always can (a step just
# multiplies a stride). A reshape can when the elements it walks through sit at a fixed stride
# along each new axis, which is always true for a contiguous array and often false after a
# transpose. (`np.asarray(a)` of an array is neither a view nor a copy: it returns `a` itself, so
# it shares memory.) Fancy (integer-array) indexing, boolean masks and arithmetic pick or compute
# arbitrary elements, so they always copy.
#
# **Predict first, then check.** For each expression below, evaluated on
# `a = np.arange(24).reshape(4, 6)`, set `VIEW_OR_COPY[expression]` to `True` if the result shares
# memory with `a` (a view, or `a` itself) and `False` if it is a copy. Write your answers from the rule above,
# without running the expressions; then run them and read `.base` and `.flags` for any you got
# wrong.

# %% nbgrader={"grade": false, "grade_id": "tensors_setup_view_or_copy", "locked": true, "schema_version": 3, "solution": false}
VIEW_OR_COPY_EXPRESSIONS = (
    "a[1:3]",
    "a[::2, ::3]",
    "a[1]",
    "a[[0, 2]]",
    "a[a > 5]",
    "np.asarray(a)",
    "a.reshape(6, 4)",
    "a.T",
    "a.T.reshape(24)",
    "a.ravel()",
    "a.T.ravel()",
    "a.flatten()",
    "a + 1",
)

# %% nbgrader={"grade": false, "grade_id": "tensors_view_or_copy", "locked": false, "schema_version": 3, "solution": true}
VIEW_OR_COPY: dict[str, bool] = {}
# about 13 lines: one entry per expression above, True for a view and False for a copy
### BEGIN SOLUTION
VIEW_OR_COPY = {
    "a[1:3]": True,
    "a[::2, ::3]": True,
    "a[1]": True,
    "a[[0, 2]]": False,
    "a[a > 5]": False,
    "np.asarray(a)": True,  # a itself: shares memory, though it is not a new view
    "a.reshape(6, 4)": True,
    "a.T": True,
    "a.T.reshape(24)": False,
    "a.ravel()": True,
    "a.T.ravel()": False,
    "a.flatten()": False,
    "a + 1": False,
}
### END SOLUTION

# %% [markdown]
# **What the tests check.** The grade cells evaluate every expression on a fresh
# `a = np.arange(24).reshape(4, 6)` and compare your prediction with `np.shares_memory(result, a)`.
# One cell covers the indexing expressions, the other reshapes, transposes and arithmetic.

# %% nbgrader={"grade": true, "grade_id": "tensors_view_or_copy_indexing", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Predictions for slicing, fancy indexing, masks and asarray match np.shares_memory."""


def _is_view(expression):
    a = np.arange(24).reshape(4, 6)
    return bool(np.shares_memory(eval(expression, {"np": np, "a": a}), a))


for _expression in VIEW_OR_COPY_EXPRESSIONS[:6]:
    assert _expression in VIEW_OR_COPY, f"VIEW_OR_COPY has no prediction for {_expression!r}"
    _guess = VIEW_OR_COPY[_expression]
    assert isinstance(_guess, (bool, np.bool_)), f"prediction for {_expression!r} should be True or False"
    assert bool(_guess) == _is_view(_expression), (
        f"{_expression}: you predicted {'a view' if _guess else 'a copy'}; np.shares_memory disagrees"
    )

# %% nbgrader={"grade": true, "grade_id": "tensors_view_or_copy_layout", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Predictions for reshape, transpose, ravel, flatten and arithmetic match np.shares_memory."""


def _is_view(expression):
    a = np.arange(24).reshape(4, 6)
    return bool(np.shares_memory(eval(expression, {"np": np, "a": a}), a))


for _expression in VIEW_OR_COPY_EXPRESSIONS[6:]:
    assert _expression in VIEW_OR_COPY, f"VIEW_OR_COPY has no prediction for {_expression!r}"
    _guess = VIEW_OR_COPY[_expression]
    assert isinstance(_guess, (bool, np.bool_)), f"prediction for {_expression!r} should be True or False"
    assert bool(_guess) == _is_view(_expression), (
        f"{_expression}: you predicted {'a view' if _guess else 'a copy'}; np.shares_memory disagrees"
    )

# %% [markdown]
# Here is the evidence for a few of them. `a.T` is a view with the strides swapped; it is no
# longer C-contiguous, so flattening it in C order has to gather elements from all over the
# buffer into new memory. A step slice is a view with larger strides.

# %%
a = np.arange(24).reshape(4, 6).copy()  # a copy, so that a owns its buffer
rows = [f"{'expression':<14} {'strides':<10} {'shares a':<9} {'owns data':<10} C-contiguous"]
for expression in ("a", "a.T", "a.T.ravel()", "a[::2, ::3]"):
    result = eval(expression)
    rows.append(
        f"{expression:<14} {str(result.strides):<10} {np.shares_memory(result, a)!s:<9} "
        f"{result.flags.owndata!s:<10} {result.flags.c_contiguous}"
    )
print("\n".join(rows))

# %% [markdown] nbgrader={"grade": true, "grade_id": "tensors_reflection_1", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# **Reflection (2 points).** In PyTorch, `x = torch.randn(4, 6).t()` followed by `x.view(-1)`
# raises an error, while `x.reshape(-1)` works. Using shape and strides, explain why `view` must
# refuse here, what `reshape` does instead, and what that costs for a tensor of 1 GB. Answer in
# three to six sentences.
#
# ### BEGIN SOLUTION
# After `.t()` the tensor has shape (6, 4) and strides (1, 6) in elements: walking it in
# row-major order visits buffer positions 0, 6, 12, 18, 1, 7, ... No single stride describes that
# sequence, so a one-dimensional view over the existing buffer cannot exist, and `view` (which
# promises never to copy) must fail. `reshape` checks the same condition and, when a view is
# impossible, falls back to `contiguous()` followed by a view: it allocates a new buffer and
# gathers every element into row-major order. For a 1 GB tensor that is another 1 GB of memory
# and a full strided read plus write of 1 GB, instead of an O(1) metadata change; a later
# in-place write to the result also no longer reaches the original tensor.
# ### END SOLUTION

# %% [markdown]
# ## 3. Broadcasting is a view with zero strides
#
# NumPy lines up the shapes of the operands **from the right**, pads the shorter ones with
# leading 1s, and then, axis by axis, requires the sizes to be equal or 1. The result's size on
# an axis is the size that is not 1 (or 1 if all are 1; a size 0 against a size 1 gives 0).
#
# ```
#   (8, 1, 6, 1)
#      (7, 1, 5)
#   -> (8, 7, 6, 5)
# ```
#
# Why does `x + bias` with `x` of shape (1024, 512) and `bias` of shape (512,) cost no extra
# memory for the bias? Because the stretched bias is a **view with stride 0** on the new leading
# axis: all 1024 rows read the same 512 numbers. Nothing is copied.

# %% nbgrader={"grade": false, "grade_id": "tensors_broadcast_shapes", "locked": false, "schema_version": 3, "solution": true}
def broadcast_shapes(*shapes: Shape) -> Shape:
    """The shape that NumPy broadcasting gives for operands of ``shapes``.

    Args:
        *shapes: any number of shapes (tuples of non-negative ints); none at all gives ``()``.

    Returns:
        The broadcast shape, as a tuple of ints.

    Raises:
        ValueError: two sizes on one axis differ and neither is 1; the message names both sizes
            and the axis.
    """
    # about 14 lines
    ### BEGIN SOLUTION
    shapes = [tuple(int(n) for n in shape) for shape in shapes]
    ndim = max((len(shape) for shape in shapes), default=0)
    result = [1] * ndim
    for shape in shapes:
        for k, n in enumerate(shape):
            axis = ndim - len(shape) + k
            if n < 0:
                raise ValueError(f"shape {shape} has a negative size {n}")
            if result[axis] == 1:
                result[axis] = n
            elif n != 1 and n != result[axis]:
                raise ValueError(
                    f"cannot broadcast size {result[axis]} with size {n} on axis {axis - ndim} "
                    f"(counted from the right; shapes {shapes})"
                )
    return tuple(result)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Results equal `np.broadcast_shapes` for fixed cases (no shapes at
# all, scalars `()`, zero-sized axes) and for fresh random sets of one to five compatible shapes
# (many of them drawn by `hypothesis`).
# For incompatible shapes a `ValueError` is raised whose message contains both sizes and the word
# "axis".

# %% nbgrader={"grade": true, "grade_id": "tensors_broadcast_shapes_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""broadcast_shapes agrees with np.broadcast_shapes."""
for _shapes in [
    ((8, 1, 6, 1), (7, 1, 5)),
    ((3, 4), (4,)),
    ((3, 1), (1, 4)),
    ((), (2, 3)),
    ((5,), ()),
    ((0,), (1,)),
    ((2, 1), (2, 0)),
    ((1, 1), (1,)),
    ((2, 3),),
    (),
]:
    _expected = np.broadcast_shapes(*_shapes)
    _got = broadcast_shapes(*_shapes)
    assert tuple(_got) == _expected, f"broadcast_shapes{_shapes}: expected {_expected}, got {_got}"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(31)
for _ in range(100):
    _target = tuple(int(n) for n in _rng.integers(0, 5, size=_rng.integers(0, 6)))
    _shapes = []
    for _k in range(int(_rng.integers(1, 6))):
        _suffix = _target[len(_target) - int(_rng.integers(0, len(_target) + 1)):]
        _shapes.append(tuple(1 if _rng.random() < 0.4 else n for n in _suffix))
    _expected = np.broadcast_shapes(*_shapes)
    _got = broadcast_shapes(*_shapes)
    assert isinstance(_got, tuple), f"broadcast_shapes should return a tuple, got {type(_got).__name__}"
    assert _got == _expected, f"broadcast_shapes{tuple(_shapes)}: expected {_expected}, got {_got}"
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@settings(derandomize=True, deadline=None, max_examples=80, database=None)
@given(st.integers(1, 5).flatmap(lambda k: hnp.mutually_broadcastable_shapes(num_shapes=k, min_dims=0, max_dims=5, min_side=0, max_side=4)))
def _broadcast_shapes_property(drawn):
    got = broadcast_shapes(*drawn.input_shapes)
    assert tuple(got) == drawn.result_shape, (
        f"broadcast_shapes{drawn.input_shapes}: expected {drawn.result_shape}, got {got}"
    )


_broadcast_shapes_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_broadcast_shapes_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""broadcast_shapes names the incompatible sizes and the axis."""
for _shapes, _sizes in [
    (((5, 7), (9,)), ("7", "9")),
    (((2, 3), (4, 3)), ("2", "4")),
    (((6, 1, 3), (1,), (4, 5)), ("3", "5")),
    (((0,), (3,)), ("0", "3")),
]:
    _exc = assert_raises(ValueError, broadcast_shapes, *_shapes)
    for _size in _sizes:
        assert _size in str(_exc), f"broadcast_shapes{_shapes}: the message {str(_exc)!r} should name size {_size}"
    assert "axis" in str(_exc), f"broadcast_shapes{_shapes}: the message {str(_exc)!r} should name the axis"

# %% [markdown]
# Now build the stretched operand itself. `numpy.lib.stride_tricks.as_strided` (imported above as
# `as_strided`) makes an array with any shape and strides you choose over an existing buffer; it
# checks nothing, so a wrong stride reads memory that is not yours. Use `writeable=False`: many
# positions of a broadcast view alias one element, so a write through it would be ambiguous.

# %% nbgrader={"grade": false, "grade_id": "tensors_broadcast_to", "locked": false, "schema_version": 3, "solution": true}
def broadcast_to(a: np.ndarray, shape: Shape) -> np.ndarray:
    """A read-only view of ``a`` stretched to ``shape``, without copying (do not call np.broadcast_to).

    Args:
        a: an array (or anything ``np.asarray`` accepts).
        shape: the target shape; ``a.shape`` must broadcast to exactly this shape.

    Returns:
        A read-only view sharing memory with ``a``, with stride 0 on every new leading axis and on
        every axis where ``a`` has size 1 and ``shape`` does not.

    Raises:
        ValueError: ``a.shape`` cannot be broadcast to ``shape``.
    """
    # about 10 lines
    ### BEGIN SOLUTION
    a = np.asarray(a)
    shape = tuple(int(n) for n in shape)
    try:
        compatible = len(shape) >= a.ndim and broadcast_shapes(a.shape, shape) == shape
    except ValueError:
        compatible = False
    if not compatible:
        raise ValueError(f"cannot broadcast an array of shape {a.shape} to shape {shape}")
    lead = len(shape) - a.ndim
    strides = [0] * lead + [
        stride if n == m else 0 for n, m, stride in zip(a.shape, shape[lead:], a.strides)
    ]
    return as_strided(a, shape=shape, strides=tuple(strides), writeable=False)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** On fresh random arrays (including non-contiguous ones, 0-d arrays,
# lists, and shapes with zero-sized or size-1 axes, many of them drawn by `hypothesis`) and
# targets: the values equal `np.broadcast_to`; the result shares memory with the input and is
# read-only; its stride is 0 on every stretched axis and equal to the input's stride on every axis
# that keeps its size (axes of final size 0 or 1 are not checked). Stride tricks are the exercise:
# while your function runs, `np.broadcast_to`, `np.broadcast_arrays` (also under
# `np.lib.stride_tricks`) and PyTorch's `broadcast_to`, `broadcast_tensors` and `expand` are
# switched off, and calling one fails the check. Incompatible targets raise `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_broadcast_to_view", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""broadcast_to returns a read-only, zero-stride view with NumPy's values, built with stride tricks."""
BROADCAST_SHORTCUTS = (
    "numpy.broadcast_to", "numpy.broadcast_arrays", "numpy.lib.stride_tricks.broadcast_to",
    "numpy.lib.stride_tricks.broadcast_arrays", "numpy.lib._stride_tricks_impl.broadcast_to",
    "numpy.lib._stride_tricks_impl.broadcast_arrays", "numpy.lib._stride_tricks_impl._broadcast_to",
    "torch.broadcast_to", "torch.broadcast_tensors", "torch.Tensor.expand", "torch.Tensor.expand_as",
)


def _check_broadcast_to(a, shape):
    with forbidden(*BROADCAST_SHORTCUTS, namespace=globals(), reason="build the view with stride tricks"):
        got = broadcast_to(a, shape)
    listed = not isinstance(a, np.ndarray)
    a = np.asarray(a)
    expected = np.broadcast_to(a, shape)
    assert isinstance(got, np.ndarray), f"expected an ndarray, got {type(got).__name__}"
    assert got.shape == expected.shape, f"broadcast_to({a.shape} -> {shape}): got shape {got.shape}"
    np.testing.assert_array_equal(got, expected, err_msg=f"values of broadcast_to({a.shape} -> {shape})")
    if got.size and not listed:
        assert np.shares_memory(got, a), f"broadcast_to({a.shape} -> {shape}) copied the data"
    assert not got.flags.writeable, "the broadcast view must be read-only (writeable=False)"
    lead = len(shape) - a.ndim
    for axis, size in enumerate(shape):
        if size <= 1:
            continue
        source = axis - lead
        if source < 0 or a.shape[source] == 1:
            assert got.strides[axis] == 0, (
                f"broadcast_to({a.shape} -> {shape}): axis {axis} is stretched, stride should be 0, "
                f"got strides {got.strides}"
            )
        else:
            assert got.strides[axis] == a.strides[source], (
                f"broadcast_to({a.shape} -> {shape}): axis {axis} keeps stride {a.strides[source]}, "
                f"got strides {got.strides}"
            )


_check_broadcast_to(np.arange(3.0), (4, 3))
_check_broadcast_to(np.arange(4.0).reshape(4, 1), (2, 4, 5))
_check_broadcast_to(np.arange(12).reshape(3, 4)[:, ::2], (5, 3, 2))
_check_broadcast_to(np.array(7.0, dtype=np.float32), (2, 2))
_check_broadcast_to(np.arange(3.0), (3,))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5)
for _ in range(40):
    _target = tuple(int(n) for n in _rng.integers(1, 5, size=_rng.integers(1, 5)))
    _keep = int(_rng.integers(0, len(_target) + 1))
    _shape = tuple(1 if _rng.random() < 0.4 else n for n in _target[len(_target) - _keep:])
    _a = np.asarray(_rng.standard_normal(tuple(2 * n for n in _shape)))
    if _shape:
        _a = _a[tuple(slice(None, None, 2) for _n in _shape)]
    _check_broadcast_to(_a, _target)
_check_broadcast_to([[1.0], [2.0]], (3, 2, 4))
_check_broadcast_to(np.arange(3.0), (0, 3))
_check_broadcast_to(np.ones((1, 3)), (2, 0, 3))
_check_broadcast_to(np.ones((0, 1)), (2, 0, 5))
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@st.composite
def _stretchable(draw):
    """A target shape, and an input shape that broadcasts to it (some axes dropped or set to 1)."""
    target = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    keep = draw(st.integers(0, len(target)))
    ones = draw(st.lists(st.booleans(), min_size=keep, max_size=keep))
    return tuple(1 if one else n for one, n in zip(ones, target[len(target) - keep:])), target


@settings(derandomize=True, deadline=None, max_examples=60, database=None)
@given(_stretchable(), st.sampled_from(["contiguous", "step-sliced", "reversed", "float32"]))
def _broadcast_to_property(shapes, layout):
    shape, target = shapes
    if layout == "step-sliced":
        a = np.arange(float(math.prod(2 * n for n in shape))).reshape([2 * n for n in shape])[(slice(None, None, 2),) * len(shape)]
    else:
        a = np.arange(float(math.prod(shape)), dtype=np.float32 if layout == "float32" else np.float64).reshape(shape)
        if layout == "reversed":
            a = a[(slice(None, None, -1),) * len(shape)]
    _check_broadcast_to(a, target)


_broadcast_to_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_broadcast_to_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""broadcast_to rejects targets the input cannot stretch to."""
assert_raises(ValueError, broadcast_to, np.arange(3), (4,))
assert_raises(ValueError, broadcast_to, np.zeros((2, 3)), (3,))
_exc = assert_raises(ValueError, broadcast_to, np.zeros((2, 1)), (3, 4))

# %% [markdown]
# With both pieces, any binary operation broadcasts: stretch both operands to the common shape
# (for free) and apply the operation to two arrays of equal shape.

# %% nbgrader={"grade": false, "grade_id": "tensors_elementwise_op", "locked": false, "schema_version": 3, "solution": true}
def elementwise_op(a: np.ndarray, b: np.ndarray, op) -> np.ndarray:
    """Apply the binary ufunc ``op`` to ``a`` and ``b`` with broadcasting done by your own functions.

    Args:
        a, b: arrays (or anything ``np.asarray`` accepts).
        op: a binary function such as ``np.add``; call it only on two arrays of the same shape.

    Returns:
        ``op`` applied to the broadcast operands, with the broadcast shape.

    Raises:
        ValueError: the shapes do not broadcast.
    """
    # about 4 lines
    ### BEGIN SOLUTION
    a, b = np.asarray(a), np.asarray(b)
    shape = broadcast_shapes(a.shape, b.shape)
    return np.asarray(op(broadcast_to(a, shape), broadcast_to(b, shape)))
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Results equal NumPy's own broadcasting for `add`, `subtract`,
# `multiply` and `maximum` on fresh random shape pairs, and `op` is only ever called on two arrays
# of the same shape. Incompatible shapes raise `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_elementwise_op_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""elementwise_op equals NumPy broadcasting and calls op on equal shapes only."""


def _strict(ufunc):
    def op(x, y):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape, (
            f"op was called on shapes {x.shape} and {y.shape}; broadcast both operands first"
        )
        return ufunc(x, y)

    return op


for _a, _b in [
    (np.arange(6.0).reshape(2, 3), np.arange(3.0)),
    (np.arange(4.0).reshape(4, 1), np.arange(5.0)),
    (np.float64(2.5), np.arange(3.0)),
    (np.ones((2, 1, 3)), np.ones((4, 1))),
]:
    for _ufunc in (np.add, np.subtract, np.multiply, np.maximum):
        _got = elementwise_op(_a, _b, _strict(_ufunc))
        np.testing.assert_allclose(_got, _ufunc(_a, _b), err_msg=f"{_ufunc.__name__} of {np.shape(_a)} and {np.shape(_b)}")
        assert np.shape(_got) == np.broadcast_shapes(np.shape(_a), np.shape(_b)), "wrong result shape"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8)
for _ in range(40):
    _target = tuple(int(n) for n in _rng.integers(1, 5, size=_rng.integers(1, 5)))
    _pair = []
    for _side in range(2):
        _keep = int(_rng.integers(0, len(_target) + 1))
        _pair.append(tuple(1 if _rng.random() < 0.4 else n for n in _target[len(_target) - _keep:]))
    _a, _b = _rng.standard_normal(_pair[0]), _rng.standard_normal(_pair[1])
    _ufunc = [np.add, np.subtract, np.multiply, np.maximum][int(_rng.integers(4))]
    _got = elementwise_op(_a, _b, _strict(_ufunc))
    assert np.shape(_got) == np.broadcast_shapes(_a.shape, _b.shape), (
        f"{_ufunc.__name__} of {_a.shape} and {_b.shape}: got shape {np.shape(_got)}"
    )
    np.testing.assert_allclose(_got, _ufunc(_a, _b), err_msg=f"{_ufunc.__name__} of {_a.shape} and {_b.shape}")
### END HIDDEN TESTS
_exc = assert_raises(ValueError, elementwise_op, np.ones((2, 3)), np.ones((4,)), np.add)

# %% [markdown]
# ### Gradients of broadcasting: summing back
#
# If `y = x + b` with `x` of shape (32, 10) and `b` of shape (10,), every element of `b` was used
# 32 times, once per row. By the chain rule its gradient is the **sum** of the upstream gradient
# over the axis that broadcasting created: `grad_b = grad_y.sum(axis=0)`. In general, to get the
# gradient of an input of shape `shape` from a gradient of the broadcast shape, sum over the extra
# leading axes, then sum (keeping the axis) over every axis where `shape` has size 1. Every
# autograd engine does this after every broadcast operation.

# %% nbgrader={"grade": false, "grade_id": "tensors_sum_to_shape", "locked": false, "schema_version": 3, "solution": true}
def sum_to_shape(grad: np.ndarray, shape: Shape) -> np.ndarray:
    """Reduce ``grad`` (of the broadcast shape) to the gradient of an input of ``shape``.

    Args:
        grad: the upstream gradient, shaped like the broadcast result.
        shape: the shape of the input that was broadcast; it must broadcast to ``grad.shape``.

    Returns:
        An array of exactly ``shape``: ``grad`` summed over the leading axes ``shape`` lacks and
        over the axes where ``shape`` has size 1.

    Raises:
        ValueError: ``shape`` cannot be broadcast to ``grad.shape``.
    """
    # about 10 lines
    ### BEGIN SOLUTION
    grad = np.asarray(grad)
    shape = tuple(int(n) for n in shape)
    try:
        compatible = len(shape) <= grad.ndim and broadcast_shapes(shape, grad.shape) == grad.shape
    except ValueError:
        compatible = False
    if not compatible:
        raise ValueError(f"shape {shape} does not broadcast to the gradient's shape {grad.shape}")
    lead = grad.ndim - len(shape)
    out = grad.sum(axis=tuple(range(lead))) if lead else grad
    axes = tuple(axis for axis, n in enumerate(shape) if n == 1 and out.shape[axis] != 1)
    if axes:
        out = out.sum(axis=axes, keepdims=True)
    return np.asarray(out).reshape(shape)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** For fresh random input shapes and broadcast shapes (more drawn by
# `hypothesis`, with zero-sized axes, size-1 axes and non-contiguous gradients), the result has
# exactly the input's shape and equals the reference gradient, built independently: every element
# of the gradient is added to the input position it was broadcast from (`np.bincount` over a
# broadcast index grid). Shapes that do not broadcast to `grad.shape` raise `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_sum_to_shape_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""sum_to_shape returns the gradient of a broadcast input, with its exact shape."""


def _reference_sum_to_shape(grad, shape):
    size = math.prod(shape)
    source = np.broadcast_to(np.arange(size).reshape(shape), grad.shape)
    return np.bincount(source.ravel(), weights=grad.ravel(), minlength=size).reshape(shape)


def _check_sum_to_shape(grad, shape):
    got = sum_to_shape(grad, shape)
    assert np.shape(got) == tuple(shape), (
        f"sum_to_shape(grad of shape {grad.shape}, {shape}) returned shape {np.shape(got)}"
    )
    np.testing.assert_allclose(
        got, _reference_sum_to_shape(grad, shape), rtol=1e-10, atol=1e-10,
        err_msg=f"sum_to_shape(grad of shape {grad.shape}, {shape})",
    )


_rng = np.random.default_rng(0)
_check_sum_to_shape(_rng.standard_normal((32, 10)), (10,))
_check_sum_to_shape(_rng.standard_normal((4, 3, 5)), (3, 1))
_check_sum_to_shape(_rng.standard_normal((2, 3)), (1, 3))
_check_sum_to_shape(_rng.standard_normal((2, 3)), (2, 3))
_check_sum_to_shape(_rng.standard_normal((2, 3)), ())
_check_sum_to_shape(_rng.standard_normal((2, 1, 4)), (1, 1, 1))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(12)
for _ in range(60):
    _target = tuple(int(n) for n in _rng.integers(1, 5, size=_rng.integers(0, 5)))
    _keep = int(_rng.integers(0, len(_target) + 1))
    _shape = tuple(1 if _rng.random() < 0.5 else n for n in _target[len(_target) - _keep:])
    _check_sum_to_shape(_rng.standard_normal(_target), _shape)
_check_sum_to_shape(np.zeros((0, 3)), (3,))
_check_sum_to_shape(np.ones((0, 3)), (1, 3))
_check_sum_to_shape(np.arange(24.0).reshape(4, 6)[::2, ::-3], (1, 2))
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@st.composite
def _reducible(draw):
    """A gradient shape, and an input shape that broadcasts to it."""
    target = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    keep = draw(st.integers(0, len(target)))
    ones = draw(st.lists(st.booleans(), min_size=keep, max_size=keep))
    return tuple(1 if one else n for one, n in zip(ones, target[len(target) - keep:])), target


@settings(derandomize=True, deadline=None, max_examples=60, database=None)
@given(_reducible(), st.booleans())
def _sum_to_shape_property(shapes, transposed):
    shape, target = shapes
    grad = np.arange(float(math.prod(target))).reshape(target)
    if transposed and grad.ndim > 1:
        grad = np.ascontiguousarray(grad.T).T  # same values, F-ordered strides
    _check_sum_to_shape(grad, shape)


_sum_to_shape_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_sum_to_shape_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""sum_to_shape rejects shapes that do not broadcast to the gradient."""
assert_raises(ValueError, sum_to_shape, np.ones((2, 4)), (3,))
assert_raises(ValueError, sum_to_shape, np.ones((3, 4)), (2, 3, 4))
_exc = assert_raises(ValueError, sum_to_shape, np.ones((3, 4)), (3, 2))

# %% [markdown]
# ## 4. Convolution as one matrix product: im2col
#
# A 2-D convolution slides a `C x kh x kw` filter over the input and takes a dot product at every
# output pixel. Written directly that is six or seven nested loops with short inner loops, which
# neither the interpreter nor the cache enjoys. **im2col** rearranges the input so that every
# patch becomes one column of a matrix `cols` of shape `(C*kh*kw, N*out_h*out_w)`. The
# convolution is then a single matrix product `W.reshape(F, C*kh*kw) @ cols`, which BLAS runs
# at close to the machine's peak.
#
# The price is memory: each input element is copied into up to `kh*kw` columns, so `cols` is
# about `kh*kw / stride^2` times the size of the input. The output size per spatial axis is
# `out = (size + 2*padding - kernel) // stride + 1`.
#
# Build the windows with stride tricks: the padded input viewed with shape
# `(C, kh, kw, N, out_h, out_w)` and suitable strides *is* `cols`, before one reshape. A Python
# loop over the `kh*kw` kernel offsets is also fine; a loop over output pixels is not.
# `as_pair` below turns an int or a pair into a validated pair.

# %% nbgrader={"grade": false, "grade_id": "tensors_setup_im2col", "locked": true, "schema_version": 3, "solution": false}
def as_pair(value, name: str, minimum: int) -> tuple[int, int]:
    """``value`` as a pair of ints (an int is repeated), each at least ``minimum``."""
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) for v in pair):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(pair[0]), int(pair[1])


# %% nbgrader={"grade": false, "grade_id": "tensors_im2col", "locked": false, "schema_version": 3, "solution": true}
def im2col(x: np.ndarray, kernel_size, stride=1, padding=0) -> np.ndarray:
    """Unfold every convolution window of ``x`` into one column.

    Args:
        x: input of shape (N, C, H, W).
        kernel_size: kh, or a pair (kh, kw).
        stride: step between windows, an int or a pair (at least 1).
        padding: zeros added on each side of H and W, an int or a pair (at least 0).

    Returns:
        A new array of shape (C*kh*kw, N*out_h*out_w): rows ordered by (c, i, j) with the kernel
        offset (i, j) fastest, columns ordered by (n, oh, ow) with ow fastest.

    Raises:
        ValueError: ``x`` is not 4-D, or the kernel does not fit in the padded input.
    """
    # about 14 lines
    ### BEGIN SOLUTION
    x = np.asarray(x)
    if x.ndim != 4:
        raise ValueError(f"im2col expects x of shape (N, C, H, W), got shape {x.shape}")
    kh, kw = as_pair(kernel_size, "kernel_size", 1)
    sh, sw = as_pair(stride, "stride", 1)
    ph, pw = as_pair(padding, "padding", 0)
    n, c, h, w = x.shape
    out_h = (h + 2 * ph - kh) // sh + 1
    out_w = (w + 2 * pw - kw) // sw + 1
    if h + 2 * ph < kh or w + 2 * pw < kw:
        raise ValueError(f"kernel {(kh, kw)} does not fit in input {(h, w)} with padding {(ph, pw)}")
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    s_n, s_c, s_h, s_w = padded.strides
    windows = as_strided(
        padded,
        shape=(c, kh, kw, n, out_h, out_w),
        strides=(s_c, s_h, s_w, s_n, s_h * sh, s_w * sw),
        writeable=False,
    )
    return windows.reshape(c * kh * kw, n * out_h * out_w)
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Your columns equal PyTorch's `torch.nn.functional.unfold` (which uses
# the same row order), rearranged to put the batch in the columns, on fresh random inputs with
# square and rectangular kernels, strides and paddings (more drawn by `hypothesis`, with sliced
# and float32 inputs, whose dtype the result keeps). The windows are the exercise: while your
# function runs, PyTorch's `unfold` (`F.unfold`, `nn.Unfold` and the `im2col` behind them) is
# switched off. A second cell counts the Python lines `im2col` runs on a 2 x 3 x 24 x 24 input with
# a 3 x 3 kernel (1152 output pixels): it must be under 300, which rules out a loop over output
# pixels and allows a loop over kernel offsets. A third checks the errors: a 3-D input, and a
# kernel larger than the padded input, raise `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_im2col_values", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""im2col matches torch.nn.functional.unfold, rows (c, i, j) and columns (n, oh, ow)."""
with quiet():  # an import-time warning must not cost a correct answer its points
    import torch
    import torch.nn.functional as F


def _torch_reference(func, *args, **kwargs):
    """func(*args, **kwargs) as a NumPy array, on one thread (tiny inputs; busy cores make threads wait)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return func(*args, **kwargs).numpy()
    finally:
        torch.set_num_threads(threads)


UNFOLD_SHORTCUTS = ("torch.nn.functional.unfold", "torch.nn.functional.fold", "torch._C._nn.im2col",
                    "torch._C._nn.col2im")


def _check_im2col(x, kernel_size, stride, padding):
    with forbidden(*UNFOLD_SHORTCUTS, namespace=globals(), reason="build the windows with stride tricks"):
        got = im2col(x, kernel_size, stride, padding)
    assert isinstance(got, np.ndarray), f"expected an ndarray, got {type(got).__name__}"
    assert got.dtype == x.dtype, f"im2col of a {x.dtype} input should keep its dtype, got {got.dtype}"
    unfolded = _torch_reference(F.unfold, torch.from_numpy(np.ascontiguousarray(x)), kernel_size, padding=padding, stride=stride)
    n, rows, pixels = unfolded.shape
    expected = unfolded.transpose(1, 0, 2).reshape(rows, n * pixels)
    label = f"im2col(x of shape {x.shape}, kernel_size={kernel_size}, stride={stride}, padding={padding})"
    assert np.shape(got) == expected.shape, f"{label}: expected shape {expected.shape}, got {np.shape(got)}"
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=label)


_rng = np.random.default_rng(1)
_check_im2col(_rng.standard_normal((1, 1, 4, 4)), 3, 1, 0)
_check_im2col(_rng.standard_normal((2, 3, 5, 6)), 3, 1, 1)
_check_im2col(_rng.standard_normal((2, 2, 7, 5)), (2, 3), 2, 0)
_check_im2col(_rng.standard_normal((1, 4, 6, 6)), 1, 1, 0)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(44)
for _ in range(25):
    _n, _c = int(_rng.integers(1, 4)), int(_rng.integers(1, 4))
    _h, _w = int(_rng.integers(3, 9)), int(_rng.integers(3, 9))
    _kernel = (int(_rng.integers(1, 4)), int(_rng.integers(1, 4)))
    _stride = (int(_rng.integers(1, 3)), int(_rng.integers(1, 3)))
    _padding = (int(_rng.integers(0, 3)), int(_rng.integers(0, 3)))
    _check_im2col(_rng.standard_normal((_n, _c, _h, _w)), _kernel, _stride, _padding)
from hypothesis import given, settings
from hypothesis import strategies as st


@settings(derandomize=True, deadline=None, max_examples=40, database=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 6), st.integers(1, 6), st.integers(1, 3),
       st.integers(1, 3), st.integers(1, 2), st.integers(1, 2), st.integers(0, 2), st.integers(0, 2),
       st.sampled_from(["contiguous", "sliced", "float32"]))
def _im2col_property(n, c, h, w, kh, kw, sh, sw, ph, pw, layout):
    if kh > h + 2 * ph or kw > w + 2 * pw:
        return
    x = np.arange(float(n * c * h * 2 * w)).reshape(n, c, h, 2 * w)
    x = x[..., ::2] if layout == "sliced" else np.ascontiguousarray(x[..., :w])
    _check_im2col(x.astype(np.float32) if layout == "float32" else x, (kh, kw), (sh, sw), (ph, pw))


_im2col_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_im2col_no_pixel_loop", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""im2col does not loop over output pixels in Python (counted in lines run, not timed)."""
from utils.testing import count_python_lines as _count_lines, forbidden as _forbidden  # fresh bindings

_x = np.random.default_rng(2).standard_normal((2, 3, 24, 24))
with _forbidden(*UNFOLD_SHORTCUTS, namespace=globals(), reason="build the windows with stride tricks"):
    _cols, _lines = _count_lines(im2col, _x, 3, 1, 1)
assert np.shape(_cols) == (27, 2 * 24 * 24), f"expected shape (27, 1152), got {np.shape(_cols)}"
assert _lines < 300, (
    f"im2col ran {_lines} Python lines for 1152 output pixels; build the windows with array "
    "operations instead of a loop over pixels"
)

# %% nbgrader={"grade": true, "grade_id": "tensors_im2col_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""im2col rejects an input that is not 4-D and a kernel that does not fit the padded input."""
assert_raises(ValueError, im2col, np.ones((3, 5, 5)), 3)
assert_raises(ValueError, im2col, np.ones((1, 1, 2, 5)), 3)
_exc = assert_raises(ValueError, im2col, np.ones((1, 1, 5, 2)), (3, 4), 1, 0)
### BEGIN HIDDEN TESTS
_exc = assert_raises(ValueError, im2col, np.ones((2, 1, 1, 4, 4)), 2)
_ok = im2col(np.ones((1, 2, 2, 3)), (4, 5), 1, 1)
assert np.shape(_ok) == (40, 1), f"a kernel exactly as large as the padded input gives one window, got {np.shape(_ok)}"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "tensors_conv2d", "locked": false, "schema_version": 3, "solution": true}
def conv2d(x: np.ndarray, weight: np.ndarray, bias=None, stride=1, padding=0) -> np.ndarray:
    """2-D convolution (cross-correlation, as in PyTorch) through im2col and one matrix product.

    Args:
        x: input of shape (N, C, H, W).
        weight: filters of shape (F, C, kh, kw).
        bias: None or shape (F,).
        stride, padding: ints or pairs, as for ``im2col``.

    Returns:
        Output of shape (N, F, out_h, out_w).

    Raises:
        ValueError: ``weight`` is not 4-D, its channel count differs from ``x``'s, or ``bias``
            does not have shape (F,).
    """
    # about 14 lines
    ### BEGIN SOLUTION
    x, weight = np.asarray(x), np.asarray(weight)
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"expected x (N, C, H, W) and weight (F, C, kh, kw), got {x.shape} and {weight.shape}")
    f, c, kh, kw = weight.shape
    if x.shape[1] != c:
        raise ValueError(f"x has {x.shape[1]} channels but weight expects {c}")
    if bias is not None and np.shape(bias) != (f,):
        raise ValueError(f"bias must have shape ({f},), got {np.shape(bias)}")
    cols = im2col(x, (kh, kw), stride, padding)
    out = weight.reshape(f, c * kh * kw) @ cols
    if bias is not None:
        out = out + np.asarray(bias).reshape(f, 1)
    (sh, sw), (ph, pw) = as_pair(stride, "stride", 1), as_pair(padding, "padding", 0)
    out_h = (x.shape[2] + 2 * ph - kh) // sh + 1
    out_w = (x.shape[3] + 2 * pw - kw) // sw + 1
    return np.ascontiguousarray(out.reshape(f, x.shape[0], out_h, out_w).transpose(1, 0, 2, 3))
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The output equals `torch.nn.functional.conv2d` to 1e-5 on fresh random
# float64 inputs, weights and biases, with and without bias, for several strides, paddings and
# kernel shapes, and for sliced inputs. The lowering is the exercise: your `conv2d` must call your
# `im2col`, and while it runs PyTorch's convolutions (`F.conv2d`, `nn.Conv2d`, `torch.conv2d`,
# `torch.convolution`) and SciPy's (`scipy.signal` and `scipy.ndimage` correlate and convolve) are
# switched off. A channel mismatch, a weight that is not 4-D or a bias of the wrong shape raises
# `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_conv2d_values", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""conv2d matches torch.nn.functional.conv2d to 1e-5."""
with quiet():  # an import-time warning must not cost a correct answer its points
    import torch
    import torch.nn.functional as F


def _torch_reference(func, *args, **kwargs):
    """func(*args, **kwargs) as a NumPy array, on one thread (tiny inputs; busy cores make threads wait)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return func(*args, **kwargs).numpy()
    finally:
        torch.set_num_threads(threads)


CONV_SHORTCUTS = (
    "torch.conv2d", "torch.nn.functional.conv2d", "torch.convolution", "torch._convolution",
    "torch.conv_transpose2d", "torch.nn.functional.conv_transpose2d", "torch._C._nn.thnn_conv2d",
    "torch._C._nn.slow_conv3d", "torch.nn.functional.unfold", "torch._C._nn.im2col",
    "scipy.signal.correlate", "scipy.signal.convolve", "scipy.signal.correlate2d",
    "scipy.signal.convolve2d", "scipy.signal.fftconvolve", "scipy.signal.oaconvolve",
    "scipy.ndimage.correlate", "scipy.ndimage.convolve",
)


def _graded_conv2d(*args, **kwargs):
    """conv2d(*args, **kwargs) with the library convolutions off, checked to call your im2col."""
    calls = []
    own_im2col = globals()["im2col"]

    def counted_im2col(*a, **k):
        calls.append(1)
        return own_im2col(*a, **k)

    globals()["im2col"] = counted_im2col
    try:
        with forbidden(*CONV_SHORTCUTS, namespace=globals(), reason="use your im2col and one matrix product"):
            out = conv2d(*args, **kwargs)
    finally:
        globals()["im2col"] = own_im2col
    assert calls, "conv2d must lower the convolution with your im2col (it was never called)"
    return out


def _check_conv2d(x, weight, bias, stride, padding):
    got = _graded_conv2d(x, weight, bias, stride=stride, padding=padding)
    expected = _torch_reference(
        F.conv2d, torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(weight),
        None if bias is None else torch.from_numpy(bias), stride=stride, padding=padding,
    )
    label = (
        f"conv2d(x {x.shape}, weight {weight.shape}, bias {'None' if bias is None else bias.shape}, "
        f"stride={stride}, padding={padding})"
    )
    assert np.shape(got) == expected.shape, f"{label}: expected shape {expected.shape}, got {np.shape(got)}"
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5, err_msg=label)


_rng = np.random.default_rng(3)
_check_conv2d(_rng.standard_normal((1, 1, 5, 5)), _rng.standard_normal((1, 1, 3, 3)), None, 1, 0)
_check_conv2d(_rng.standard_normal((2, 3, 8, 8)), _rng.standard_normal((4, 3, 3, 3)), _rng.standard_normal(4), 1, 1)
_check_conv2d(_rng.standard_normal((2, 2, 9, 7)), _rng.standard_normal((3, 2, 3, 2)), _rng.standard_normal(3), 2, 1)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(99)
for _ in range(20):
    _n, _c, _f = (int(v) for v in _rng.integers(1, 4, size=3))
    _h, _w = int(_rng.integers(4, 10)), int(_rng.integers(4, 10))
    _kh, _kw = int(_rng.integers(1, 4)), int(_rng.integers(1, 4))
    _stride = (int(_rng.integers(1, 3)), int(_rng.integers(1, 3)))
    _padding = (int(_rng.integers(0, 3)), int(_rng.integers(0, 3)))
    _bias = _rng.standard_normal(_f) if _rng.random() < 0.7 else None
    _check_conv2d(
        _rng.standard_normal((_n, _c, _h, _w)), _rng.standard_normal((_f, _c, _kh, _kw)), _bias, _stride, _padding
    )
_wide = _rng.standard_normal((2, 3, 7, 12))
_check_conv2d(_wide[:, :, :, ::2], _rng.standard_normal((2, 3, 3, 3)), _rng.standard_normal(2), 1, 1)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_conv2d_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""conv2d rejects mismatched channels and a bias of the wrong shape."""
assert_raises(ValueError, conv2d, np.ones((1, 3, 5, 5)), np.ones((2, 2, 3, 3)))
assert_raises(ValueError, conv2d, np.ones((1, 2, 5, 5)), np.ones((2, 2, 3, 3)), np.ones(3))
_exc = assert_raises(ValueError, conv2d, np.ones((1, 2, 5, 5)), np.ones((2, 2, 3)))
### BEGIN HIDDEN TESTS
_exc = assert_raises(ValueError, conv2d, np.ones((1, 2, 5, 5)), np.ones((2, 2, 3, 3)), np.ones((2, 1)))
### END HIDDEN TESTS

# %% [markdown]
# How big is the unfolded matrix, and how does your `conv2d` compare with PyTorch's own
# convolution on a small batch? The first column is the memory price of im2col; the last is a
# ratio of medians on this machine. For these float32 inputs PyTorch on a CPU usually does not use
# im2col: it hands the convolution to oneDNN (`aten::mkldnn_convolution` in a profile), which works
# on blocked layouts without building the unfolded matrix. In float64, and for some very small
# float32 problems, it falls back to its own im2col and a matrix product (`_slow_conv2d_forward`).
# The cell prints which one your PyTorch used for the 5 x 5 case.

# %%
import torch
import torch.nn.functional as F

from utils.timing import median_time

rng = np.random.default_rng(0)
x = rng.standard_normal((8, 16, 32, 32)).astype(np.float32)
rows = [f"{'kernel':>6} {'cols / input bytes':>19} {'yours / torch time':>19}"]
for k in (1, 3, 5):
    weight = rng.standard_normal((32, 16, k, k)).astype(np.float32)
    cols = im2col(x, k, 1, k // 2)
    ours_s = median_time(conv2d, x, weight, None, 1, k // 2, repeats=3)
    torch_s = median_time(F.conv2d, torch.from_numpy(x), torch.from_numpy(weight), None, 1, k // 2, repeats=3)
    rows.append(f"{k:>4}x{k} {cols.nbytes / x.nbytes:>19.1f} {ours_s / torch_s:>19.1f}")
print("\n".join(rows))
from utils.profiling import native_stderr_silenced

with native_stderr_silenced(), torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
    F.conv2d(torch.from_numpy(x), torch.from_numpy(weight), None, 1, 1)
kernels = sorted({e.name for e in prof.events() if "conv" in e.name and e.name.startswith("aten::")})
print("PyTorch's float32 convolution ran: " + ", ".join(kernels))

# %% [markdown] nbgrader={"grade": true, "grade_id": "tensors_reflection_2", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# **Reflection (2 points).** For a 3 x 3 convolution with stride 1, im2col makes a copy of the input
# about nine times its size. Explain why convolution through im2col and one matrix product is
# nonetheless usually much faster than the direct nested-loop convolution, and name one situation
# where you would not use im2col. Three to six sentences.
#
# ### BEGIN SOLUTION
# The direct loops do the same number of multiply-adds, but in short inner loops (length kh*kw or
# C) with strided, poorly reused reads, and in Python every one pays interpreter overhead. After
# im2col the work is one large GEMM, which BLAS blocks for the caches and registers and runs with
# SIMD on all cores, reaching a large fraction of peak FLOPs; each weight and each column is reused
# many times from cache. The copy costs O(C*kh*kw*N*out_h*out_w) memory traffic, which is small
# next to the F times larger arithmetic when there are many filters. I would avoid it when memory
# is the limit (large images or batches, where the 9x buffer does not fit), for depthwise
# convolutions (F = 1 per group, so the GEMM is a thin matrix-vector product and the copy
# dominates), or where another algorithm does less arithmetic: Winograd for small kernels (3 x 3,
# 5 x 5) and FFT-based convolution for large ones.
# ### END SOLUTION

# %% [markdown]
# ## 5. Sparse tensors in COO form
#
# When most entries are zero, store only the others. The **coordinate (COO)** format keeps two
# arrays: `values` of shape `(nnz,)` and `indices` of shape `(nnz, ndim)`, one row of coordinates
# per stored value. It costs `nnz * (itemsize + ndim * index_itemsize)` bytes instead of
# `size * itemsize`. With float64 values and int64 indices in 2-D, each stored entry costs 24
# bytes against 8 for a dense slot, so COO only pays once fewer than a third of the entries are
# nonzero (sparsity above 2/3). Compressed formats (CSR) and smaller index types move that line;
# pruned weights, embedding gradients and graph adjacency matrices are typical customers.
#
# Keep the entries **coalesced**: each coordinate at most once, duplicates summed (that is the
# meaning of writing the same coordinate twice), sorted in row-major order. Then `add` is
# "concatenate and coalesce", and `reshape` maps each coordinate to its row-major position and
# back, without touching the values. The two given helpers `_flat` and `_coordinates` convert
# between coordinate rows and row-major positions (with `np.ravel_multi_index` and
# `np.unravel_index`).
#
# Store the entries as attributes `values` and `indices`, make `nnz` a property, and
# `memory_usage()` and `sparsity()` methods (the tests also accept properties).

# %% nbgrader={"grade": false, "grade_id": "tensors_sparse_tensor", "locked": false, "schema_version": 3, "solution": true}
class SparseTensor:
    """A tensor that stores only its nonzero entries, in coalesced COO form.

    Attributes:
        shape: the dense shape.
        values: array of shape (nnz,), the stored values.
        indices: int array of shape (nnz, ndim), one row of coordinates per value.
    """

    def __init__(self, shape: Shape, values=None, indices=None) -> None:
        """Build from coordinates; duplicates are summed, zero values may be dropped.

        Raises:
            ValueError: only one of values/indices given, their lengths differ, ``indices`` does
                not have one column per axis, a coordinate is out of bounds, or a size is negative.
        """
        # about 25 lines
        ### BEGIN SOLUTION
        shape = tuple(int(n) for n in shape)
        if any(n < 0 for n in shape):
            raise ValueError(f"shape {shape} has a negative size")
        if (values is None) != (indices is None):
            raise ValueError("give both values and indices, or neither")
        if values is None:
            values, indices = np.zeros(0), np.zeros((0, len(shape)), dtype=np.int64)
        values = np.asarray(values)
        indices = np.asarray(indices)
        if values.ndim != 1:
            raise ValueError(f"values must be 1-D, got shape {values.shape}")
        if len(values) == 0 and indices.size == 0:
            indices = indices.reshape(0, len(shape))
        if indices.ndim != 2 or indices.shape != (len(values), len(shape)):
            raise ValueError(
                f"indices must have shape (nnz, ndim) = ({len(values)}, {len(shape)}), got {indices.shape}"
            )
        if indices.size and not np.issubdtype(indices.dtype, np.integer):
            raise ValueError(f"indices must be integers, got dtype {indices.dtype}")
        indices = indices.astype(np.int64)
        outside = (indices < 0) | (indices >= np.array(shape, dtype=np.int64))
        if outside.any():
            row = int(np.argwhere(outside)[0, 0])
            raise ValueError(f"coordinate {tuple(indices[row])} is out of bounds for shape {shape}")
        flat = self._flat(indices, shape)
        unique, inverse = np.unique(flat, return_inverse=True)
        summed = np.zeros(len(unique), dtype=values.dtype)
        np.add.at(summed, inverse, values)
        keep = summed != 0
        self.shape = shape
        self.values = summed[keep]
        self.indices = self._coordinates(unique[keep], shape)
        ### END SOLUTION

    @staticmethod
    def _flat(indices: np.ndarray, shape: Shape) -> np.ndarray:
        """Row-major positions of the coordinate rows in ``indices``."""
        if len(shape) == 0:
            return np.zeros(len(indices), dtype=np.int64)
        return np.ravel_multi_index(tuple(indices.T), shape).astype(np.int64)

    @staticmethod
    def _coordinates(flat: np.ndarray, shape: Shape) -> np.ndarray:
        """Coordinate rows, shape (len(flat), ndim), of the row-major positions ``flat``."""
        if len(shape) == 0:
            return np.zeros((len(flat), 0), dtype=np.int64)
        return np.stack(np.unravel_index(np.asarray(flat, dtype=np.int64), shape), axis=1).astype(np.int64)

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> "SparseTensor":
        """The sparse form of ``dense``, keeping its nonzero entries."""
        # about 3 lines
        ### BEGIN SOLUTION
        dense = np.asarray(dense)
        mask = dense != 0
        return cls(dense.shape, dense[mask], np.argwhere(mask))
        ### END SOLUTION

    def to_dense(self) -> np.ndarray:
        """A dense array of ``shape`` with the stored values in place and zeros elsewhere."""
        # about 3 lines
        ### BEGIN SOLUTION
        dense = np.zeros(math.prod(self.shape), dtype=self.values.dtype)
        dense[self._flat(self.indices, self.shape)] = self.values
        return dense.reshape(self.shape)
        ### END SOLUTION

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        # about 1 line
        ### BEGIN SOLUTION
        return len(self.values)
        ### END SOLUTION

    def memory_usage(self) -> int:
        """Bytes held by the stored values and indices."""
        # about 1 line
        ### BEGIN SOLUTION
        return int(self.values.nbytes + self.indices.nbytes)
        ### END SOLUTION

    def sparsity(self) -> float:
        """Fraction of entries that are zero; 1.0 for a tensor with no entries at all."""
        # about 3 lines
        ### BEGIN SOLUTION
        size = math.prod(self.shape)
        return 1.0 if size == 0 else (size - self.nnz) / size
        ### END SOLUTION

    def add(self, other: "SparseTensor") -> "SparseTensor":
        """Elementwise sum with another sparse tensor of the same shape.

        Raises:
            TypeError: ``other`` is not a SparseTensor.
            ValueError: the shapes differ.
        """
        # about 6 lines
        ### BEGIN SOLUTION
        if not isinstance(other, SparseTensor):
            raise TypeError(f"can only add a SparseTensor, got {type(other).__name__}")
        if other.shape != self.shape:
            raise ValueError(f"shapes {self.shape} and {other.shape} differ")
        values = np.concatenate([self.values, other.values])
        return SparseTensor(self.shape, values, np.concatenate([self.indices, other.indices]))
        ### END SOLUTION

    def multiply_elementwise(self, other: "SparseTensor") -> "SparseTensor":
        """Elementwise product with another sparse tensor (or a dense array) of the same shape.

        Raises:
            ValueError: the shapes differ.
        """
        # about 10 lines
        ### BEGIN SOLUTION
        if not isinstance(other, SparseTensor):
            other_dense = np.asarray(other)
            if other_dense.shape != self.shape:
                raise ValueError(f"shapes {self.shape} and {other_dense.shape} differ")
            flat = self._flat(self.indices, self.shape)
            return SparseTensor(self.shape, self.values * other_dense.reshape(-1)[flat], self.indices)
        if other.shape != self.shape:
            raise ValueError(f"shapes {self.shape} and {other.shape} differ")
        mine, theirs = self._flat(self.indices, self.shape), other._flat(other.indices, other.shape)
        common, i, j = np.intersect1d(mine, theirs, assume_unique=True, return_indices=True)
        return SparseTensor(self.shape, self.values[i] * other.values[j], self.indices[i])
        ### END SOLUTION

    def reshape(self, *shape: int) -> "SparseTensor":
        """The same entries under a new shape, in row-major order; one -1 is inferred.

        Raises:
            ValueError: the new shape has a different number of elements.
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        # about 10 lines
        ### BEGIN SOLUTION
        shape = [int(n) for n in shape]
        size = math.prod(self.shape)
        if shape.count(-1) > 1:
            raise ValueError(f"only one size may be -1, got {tuple(shape)}")
        if -1 in shape:
            known = math.prod(n for n in shape if n != -1)
            if known == 0 or size % known:
                raise ValueError(f"cannot reshape {self.shape} to {tuple(shape)}")
            shape[shape.index(-1)] = size // known
        if math.prod(shape) != size or any(n < 0 for n in shape):
            raise ValueError(f"cannot reshape {self.shape} ({size} elements) to {tuple(shape)}")
        flat = self._flat(self.indices, self.shape)
        return SparseTensor(tuple(shape), self.values, self._coordinates(flat, tuple(shape)))
        ### END SOLUTION

    def __repr__(self) -> str:
        return f"SparseTensor(shape={self.shape}, nnz={len(self.values)})"


# %% [markdown]
# **What the tests check.** `from_dense` followed by `to_dense` returns the original array for
# fresh random arrays of 1 to 4 axes; `nnz` equals `np.count_nonzero` and `sparsity` equals the
# fraction of zeros, correctly rounded as `(size - nnz) / size` (a 3 x 3 tensor with 3 nonzeros
# gives exactly `2/3`; 1.0 for a shape with a zero-sized axis); duplicate coordinates are summed,
# also when they are not next to each other. `add`, `multiply_elementwise` (with a sparse or a
# dense operand) and `reshape` (with a `-1`) agree with the same operations on dense arrays.
# `memory_usage` grows with `nnz`, between 1 and 8 bytes per index and the value's item size,
# never with the dense size. Mismatched values and indices (or only one of them), out-of-bounds
# coordinates, negative sizes, operands of another shape and reshapes that change the element
# count raise `ValueError`; adding something that is not a `SparseTensor` raises `TypeError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_sparse_tensor_roundtrip", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""SparseTensor round-trips dense arrays, counts nonzeros and sums duplicate coordinates."""


def _random_sparse_dense(rng, shape, density):
    return np.where(rng.random(shape) < density, rng.integers(1, 10, size=shape), 0).astype(np.float64)


_dense = np.array([[0.0, 2.0, 0.0], [1.5, 0.0, 0.0]])
_s = SparseTensor.from_dense(_dense)
np.testing.assert_array_equal(_s.to_dense(), _dense, err_msg="from_dense then to_dense")
assert member(_s, "nnz") == 2, f"nnz: expected 2, got {member(_s, 'nnz')}"
assert abs(member(_s, "sparsity") - 4 / 6) < 1e-12, f"sparsity: expected 4/6, got {member(_s, 'sparsity')}"
_dup = SparseTensor((2, 3), np.array([1.0, 2.0, 5.0]), np.array([[0, 1], [0, 1], [1, 2]]))
np.testing.assert_array_equal(
    _dup.to_dense(), [[0.0, 3.0, 0.0], [0.0, 0.0, 5.0]], err_msg="duplicate coordinates must be summed"
)
assert member(_dup, "nnz") == 2, f"after summing duplicates there are 2 stored entries, got {member(_dup, 'nnz')}"
assert member(SparseTensor((0, 4)), "sparsity") == 1.0, "a tensor with no elements counts as fully sparse"
assert member(SparseTensor((3, 4)), "nnz") == 0, "a tensor built from no entries has nnz 0"
np.testing.assert_array_equal(SparseTensor((3, 4)).to_dense(), np.zeros((3, 4)), err_msg="empty tensor")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(17)
for _ in range(30):
    _shape = tuple(int(n) for n in _rng.integers(1, 7, size=_rng.integers(1, 5)))
    _dense = _random_sparse_dense(_rng, _shape, float(_rng.uniform(0.05, 0.6)))
    _s = SparseTensor.from_dense(_dense)
    assert tuple(_s.shape) == _shape, f"shape: expected {_shape}, got {_s.shape}"
    np.testing.assert_array_equal(_s.to_dense(), _dense, err_msg=f"round trip of a {_shape} array")
    assert member(_s, "nnz") == np.count_nonzero(_dense), f"nnz of a {_shape} array"
    assert abs(member(_s, "sparsity") - np.mean(_dense == 0)) < 1e-12, f"sparsity of a {_shape} array"
_s = SparseTensor.from_dense(np.eye(3))
assert member(_s, "sparsity") == 2 / 3, f"3 nonzeros in 3 x 3: sparsity is exactly (9 - 3) / 9, got {member(_s, 'sparsity')!r}"
for _size in (7, 10, 11, 49):
    _dense = np.zeros(_size)
    _dense[:3] = 1.0
    _expected = (_size - 3) / _size
    _got = member(SparseTensor.from_dense(_dense), "sparsity")
    assert _got == _expected, f"sparsity of {_size} entries with 3 nonzeros: expected {_expected!r}, got {_got!r}"
_far = SparseTensor((3, 3), np.array([1.0, 4.0, 2.0, 0.5]), np.array([[2, 1], [0, 0], [2, 1], [0, 0]]))
np.testing.assert_array_equal(
    _far.to_dense(), [[4.5, 0, 0], [0, 0, 0], [0, 3.0, 0]], err_msg="duplicates that are not next to each other are summed"
)
assert member(_far, "nnz") == 2, f"two distinct coordinates, got nnz {member(_far, 'nnz')}"
_empty = SparseTensor.from_dense(np.zeros((0, 4)))
assert tuple(_empty.shape) == (0, 4) and member(_empty, "nnz") == 0, "from_dense of a (0, 4) array"
assert _empty.to_dense().shape == (0, 4), "to_dense of a (0, 4) tensor"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_sparse_tensor_ops", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""SparseTensor add, multiply_elementwise and reshape agree with dense NumPy."""


def _random_sparse_dense(rng, shape, density):
    return np.where(rng.random(shape) < density, rng.integers(1, 10, size=shape), 0).astype(np.float64)


_rng = np.random.default_rng(23)
for _ in range(20):
    _shape = tuple(int(n) for n in _rng.integers(1, 6, size=_rng.integers(1, 4)))
    _x = _random_sparse_dense(_rng, _shape, 0.4)
    _y = _random_sparse_dense(_rng, _shape, 0.4)
    _sx, _sy = SparseTensor.from_dense(_x), SparseTensor.from_dense(_y)
    _sum = _sx.add(_sy)
    assert isinstance(_sum, SparseTensor), "add should return a SparseTensor"
    np.testing.assert_array_equal(_sum.to_dense(), _x + _y, err_msg=f"add on shape {_shape}")
    _product = _sx.multiply_elementwise(_sy)
    assert isinstance(_product, SparseTensor), "multiply_elementwise should return a SparseTensor"
    np.testing.assert_array_equal(_product.to_dense(), _x * _y, err_msg=f"multiply_elementwise on shape {_shape}")
    _new_shape = tuple(reversed(_shape)) + (1,)
    _reshaped = _sx.reshape(_new_shape)
    assert isinstance(_reshaped, SparseTensor), "reshape should return a SparseTensor"
    assert tuple(_reshaped.shape) == _new_shape, f"reshape to {_new_shape} gave shape {_reshaped.shape}"
    np.testing.assert_array_equal(
        _reshaped.to_dense(), _x.reshape(_new_shape), err_msg=f"reshape {_shape} -> {_new_shape}"
    )
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(123)
for _ in range(20):
    _shape = (int(_rng.integers(2, 5)), int(_rng.integers(2, 5)), int(_rng.integers(1, 4)))
    _x = _random_sparse_dense(_rng, _shape, 0.5)
    _sx = SparseTensor.from_dense(_x)
    _new_shape = (_shape[0] * _shape[2], _shape[1])
    np.testing.assert_array_equal(
        _sx.reshape(_new_shape).to_dense(), _x.reshape(_new_shape), err_msg=f"reshape {_shape} -> {_new_shape}"
    )
    np.testing.assert_array_equal(
        _sx.add(_sx).to_dense(), 2 * _x, err_msg=f"adding a tensor to itself, shape {_shape}"
    )
    _y = _rng.standard_normal(_shape)
    _product = _sx.multiply_elementwise(_y)
    assert isinstance(_product, SparseTensor), "multiply_elementwise with a dense array returns a SparseTensor"
    np.testing.assert_allclose(_product.to_dense(), _x * _y, err_msg=f"sparse times dense, shape {_shape}")
    np.testing.assert_array_equal(
        _sx.reshape(-1, _shape[1]).to_dense(), _x.reshape(-1, _shape[1]), err_msg=f"reshape {_shape} -> (-1, {_shape[1]})"
    )
    np.testing.assert_array_equal(_sx.reshape(-1).to_dense(), _x.reshape(-1), err_msg=f"reshape {_shape} -> -1")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_sparse_tensor_memory", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""memory_usage counts the bytes of the stored values and indices, not the dense size."""
_rng = np.random.default_rng(29)
for _nnz in (50, 100, 200):
    _dense = np.zeros(40 * 50)
    _dense[_rng.choice(_dense.size, _nnz, replace=False)] = _rng.uniform(1, 2, _nnz)
    _s = SparseTensor.from_dense(_dense.reshape(40, 50))
    _bytes = member(_s, "memory_usage")
    _low, _high = _nnz * (8 + 2 * 1), _nnz * (8 + 2 * 8) + 256
    assert _low <= _bytes <= _high, (
        f"{_nnz} float64 values in 2-D should take between {_low} and {_high} bytes, memory_usage says {_bytes}"
    )

# %% nbgrader={"grade": true, "grade_id": "tensors_sparse_tensor_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""SparseTensor rejects mismatched entries, out-of-bounds coordinates and bad reshapes."""
assert_raises(ValueError, SparseTensor, (3, 3), np.array([1.0, 2.0]), np.array([[0, 0]]))
assert_raises(ValueError, SparseTensor, (3, 3), np.array([1.0]), np.array([[0, 3]]))
assert_raises(ValueError, SparseTensor, (3, 3), np.array([1.0]), np.array([[-1, 0]]))
assert_raises(ValueError, SparseTensor, (3, 3), np.array([1.0]), np.array([[0, 0, 0]]))
_exc = assert_raises(ValueError, SparseTensor.from_dense(np.eye(3)).reshape, (2, 4))
### BEGIN HIDDEN TESTS
assert_raises(ValueError, SparseTensor, (3, 3), np.array([1.0]))
assert_raises(ValueError, SparseTensor, (3, 3), None, np.array([[0, 0]]))
assert_raises(ValueError, SparseTensor, (3, -1))
assert_raises(ValueError, SparseTensor.from_dense(np.eye(3)).reshape, (-1, -1))
assert_raises(ValueError, SparseTensor.from_dense(np.eye(3)).reshape, (-1, 2))
assert_raises(TypeError, SparseTensor.from_dense(np.eye(3)).add, np.eye(3))
assert_raises(ValueError, SparseTensor.from_dense(np.eye(3)).add, SparseTensor.from_dense(np.eye(2)))
assert_raises(ValueError, SparseTensor.from_dense(np.eye(3)).multiply_elementwise, SparseTensor.from_dense(np.eye(2)))
_exc = assert_raises(ValueError, SparseTensor.from_dense(np.eye(3)).multiply_elementwise, np.ones((3, 4)))
### END HIDDEN TESTS

# %% [markdown]
# Two helpers for experiments: a random sparse tensor with a chosen fraction of zeros, and a
# memory comparison against its dense form (`memory_savings` is `1 - sparse / dense`, negative
# when the sparse form is larger).

# %% nbgrader={"grade": false, "grade_id": "tensors_create_sparse_tensor", "locked": false, "schema_version": 3, "solution": true}
def create_sparse_tensor(shape: Shape, sparsity: float = 0.9, seed: int = 0) -> SparseTensor:
    """A random SparseTensor of ``shape`` with about ``sparsity`` of its entries zero.

    Args:
        shape: the dense shape.
        sparsity: fraction of zeros, in [0, 1].
        seed: seed for ``np.random.default_rng``; the same seed gives the same tensor.

    Returns:
        A SparseTensor with nonzero float64 values.

    Raises:
        ValueError: ``sparsity`` is outside [0, 1].
    """
    # about 8 lines
    ### BEGIN SOLUTION
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError(f"sparsity must be in [0, 1], got {sparsity}")
    shape = tuple(int(n) for n in shape)
    rng = np.random.default_rng(seed)
    size = math.prod(shape)
    nnz = round((1.0 - sparsity) * size)
    flat = np.sort(rng.choice(size, size=nnz, replace=False))
    values = rng.uniform(0.5, 1.5, size=nnz) * rng.choice([-1.0, 1.0], size=nnz)
    return SparseTensor(shape, values, np.stack(np.unravel_index(flat, shape), axis=1))
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The result is a `SparseTensor` of the right shape whose fraction of
# zeros is within 0.05 of the request (on tensors of several thousand elements); the same seed
# gives the same tensor and a different seed a different one; a sparsity outside [0, 1] raises
# `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_create_sparse_tensor_values", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""create_sparse_tensor honours shape, sparsity and seed."""
for _shape, _sparsity in [((100, 50), 0.9), ((20, 20, 20), 0.5), ((4000,), 0.99), ((60, 70), 0.0)]:
    _s = create_sparse_tensor(_shape, _sparsity, seed=4)
    assert isinstance(_s, SparseTensor), f"expected a SparseTensor, got {type(_s).__name__}"
    assert tuple(_s.shape) == _shape, f"expected shape {_shape}, got {_s.shape}"
    _zeros = float(np.mean(_s.to_dense() == 0))
    assert abs(_zeros - _sparsity) <= 0.05, f"asked for sparsity {_sparsity} on {_shape}, got {_zeros:.3f}"
np.testing.assert_array_equal(
    create_sparse_tensor((30, 30), 0.8, seed=1).to_dense(),
    create_sparse_tensor((30, 30), 0.8, seed=1).to_dense(),
    err_msg="the same seed must give the same tensor",
)
assert not np.array_equal(
    create_sparse_tensor((30, 30), 0.8, seed=1).to_dense(), create_sparse_tensor((30, 30), 0.8, seed=2).to_dense()
), "different seeds should give different tensors"
assert_raises(ValueError, create_sparse_tensor, (10, 10), 1.5)
_exc = assert_raises(ValueError, create_sparse_tensor, (10, 10), -0.1)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(14)
for _ in range(5):
    _shape = (int(_rng.integers(50, 90)), int(_rng.integers(50, 90)))
    _sparsity = float(_rng.uniform(0.3, 0.97))
    _s = create_sparse_tensor(_shape, _sparsity, seed=int(_rng.integers(1000)))
    assert tuple(_s.shape) == _shape, f"expected shape {_shape}, got {_s.shape}"
    _zeros = float(np.mean(_s.to_dense() == 0))
    assert abs(_zeros - _sparsity) <= 0.05, f"asked for sparsity {_sparsity:.3f} on {_shape}, got {_zeros:.3f}"
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "tensors_benchmark_sparse_vs_dense", "locked": false, "schema_version": 3, "solution": true}
def benchmark_sparse_vs_dense(shape: Shape, sparsity: float = 0.9) -> dict:
    """Memory of a random sparse tensor against its dense form.

    Returns:
        ``{"sparse_memory": bytes, "dense_memory": bytes, "memory_savings": 1 - sparse / dense}``,
        the savings 0.0 when the dense form is empty.
    """
    # about 6 lines
    ### BEGIN SOLUTION
    sparse = create_sparse_tensor(shape, sparsity, seed=0)
    sparse_memory = int(member(sparse, "memory_usage"))
    dense_memory = int(sparse.to_dense().nbytes)
    savings = 1.0 - sparse_memory / dense_memory if dense_memory else 0.0
    return {"sparse_memory": sparse_memory, "dense_memory": dense_memory, "memory_savings": savings}
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The three keys are present; `dense_memory` is the size of the dense
# array; `memory_savings` equals `1 - sparse_memory / dense_memory`; a 95 % sparse 2-D float64
# tensor saves more than half, and a 20 % sparse one saves nothing (negative savings).

# %% nbgrader={"grade": true, "grade_id": "tensors_benchmark_sparse_vs_dense_values", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""benchmark_sparse_vs_dense reports consistent memory numbers."""
for _shape, _sparsity in [((200, 100), 0.95), ((120, 90), 0.2), ((50, 60), 0.7)]:
    _result = benchmark_sparse_vs_dense(_shape, _sparsity)
    for _key in ("sparse_memory", "dense_memory", "memory_savings"):
        assert _key in _result, f"the result has no key {_key!r}"
    _dense_bytes = create_sparse_tensor(_shape, _sparsity).to_dense().nbytes
    assert _result["dense_memory"] == _dense_bytes, (
        f"dense_memory for {_shape}: expected {_dense_bytes}, got {_result['dense_memory']}"
    )
    _expected = 1 - _result["sparse_memory"] / _result["dense_memory"]
    assert abs(_result["memory_savings"] - _expected) < 1e-9, (
        f"memory_savings should be 1 - sparse/dense = {_expected:.4f}, got {_result['memory_savings']}"
    )
assert benchmark_sparse_vs_dense((200, 100), 0.95)["memory_savings"] > 0.5, "95 % sparse should save over half"
assert benchmark_sparse_vs_dense((120, 90), 0.2)["memory_savings"] < 0, "20 % sparse COO is larger than dense"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(15)
for _ in range(3):
    _shape = tuple(int(n) for n in _rng.integers(20, 60, size=int(_rng.integers(2, 4))))
    _result = benchmark_sparse_vs_dense(_shape, 0.98)
    assert _result["dense_memory"] == create_sparse_tensor(_shape, 0.98).to_dense().nbytes, f"dense_memory for {_shape}"
    assert _result["memory_savings"] > 0.5, f"98 % sparse {_shape} should save over half"
### END HIDDEN TESTS

# %% [markdown]
# Your numbers, across the whole range. The dashed line is the break-even sparsity predicted from
# the entry sizes: `1 - itemsize / (itemsize + ndim * 8)` for int64 indices.

# %%
sparsities = np.linspace(0.0, 0.99, 23)
results = [benchmark_sparse_vs_dense((200, 200), float(s)) for s in sparsities]
fig, ax = new_figure(width_in=6, height_in=3.4)
ax.plot(sparsities, [r["sparse_memory"] / 1024 for r in results], marker="o", markersize=3, label="COO (yours)")
ax.plot(sparsities, [r["dense_memory"] / 1024 for r in results], label="dense float64")
ax.axvline(1 - 8 / (8 + 2 * 8), color="grey", linestyle="--", label="predicted break-even")
ax.set_xlabel("sparsity (fraction of zeros)")
ax.set_ylabel("memory (KiB)")
ax.set_title("200 x 200 float64: COO against dense", fontsize=10)
ax.legend(fontsize=8)
fig

# %% [markdown]
# ## 6. Memory pools, alignment and fragmentation
#
# Asking the operating system (or the CUDA driver) for memory is slow, so frameworks keep memory
# once they have it and hand out pieces of it. PyTorch's CUDA caching allocator asks the driver
# for large segments as it needs them and keeps freed blocks for reuse instead of returning them;
# other allocators (XLA's, RAPIDS RMM's pool) take one large block up front, as the pool here does.
# A pool keeps a list of **free blocks** (offset, size). Three ideas matter:
#
# - **Alignment.** Vector loads and cache lines want addresses that are multiples of 16, 32, 64
#   bytes or more. An allocation rounds its start offset up to the next multiple of `alignment`;
#   the skipped bytes stay free.
# - **First fit.** Take the first free block, in address order, that can hold the request once
#   aligned; split off what is left. Simple and fast; best fit and buddy allocators trade other
#   costs.
# - **Fragmentation.** After many allocations and frees the free space is scattered: 1 MiB may be
#   free in total, yet no 512 KiB request fits. Freeing merges a block with free neighbours
#   (**coalescing**); `fragmentation = 1 - largest free block / total free` measures what is
#   left. **Defragmenting** moves the live blocks to the front, which is only possible when every
#   user of a block can be told its new offset.
#
# Offsets are relative to the start of the pool. `TensorMemoryPool` below puts the pool in a
# NumPy buffer that starts 64-byte aligned, so an aligned offset is an aligned address for
# alignments up to 64 bytes; larger ones are exact only relative to the pool. Make `used_bytes`, `free_bytes` and `largest_free_block` properties and
# `fragmentation()` a method (the tests accept either).

# %% nbgrader={"grade": false, "grade_id": "tensors_memory_pool", "locked": false, "schema_version": 3, "solution": true}
class MemoryPool:
    """First-fit allocator over ``size_bytes`` bytes, handing out aligned offsets."""

    def __init__(self, size_bytes: int) -> None:
        """An empty pool; ``ValueError`` if ``size_bytes`` is below 1."""
        # about 6 lines
        ### BEGIN SOLUTION
        if size_bytes < 1:
            raise ValueError(f"pool size must be at least 1 byte, got {size_bytes}")
        self.size_bytes = int(size_bytes)
        self._free = [(0, self.size_bytes)]  # sorted (offset, size) of free blocks
        self._live = {}  # offset -> (size, alignment) of allocated blocks
        ### END SOLUTION

    def allocate(self, nbytes: int, alignment: int = 64) -> int:
        """Reserve ``nbytes`` at the first offset (lowest address) that is a multiple of ``alignment``.

        Returns:
            The offset of the block.

        Raises:
            ValueError: ``nbytes`` below 1, or ``alignment`` not a positive power of two.
            MemoryError: no free block can hold the aligned request.
        """
        # about 16 lines
        ### BEGIN SOLUTION
        if nbytes < 1:
            raise ValueError(f"nbytes must be at least 1, got {nbytes}")
        if alignment < 1 or alignment & (alignment - 1):
            raise ValueError(f"alignment must be a power of two, got {alignment}")
        for position, (start, size) in enumerate(self._free):
            aligned = -(-start // alignment) * alignment
            end = start + size
            if aligned + nbytes <= end:
                pieces = []
                if aligned > start:
                    pieces.append((start, aligned - start))
                if aligned + nbytes < end:
                    pieces.append((aligned + nbytes, end - aligned - nbytes))
                self._free[position:position + 1] = pieces
                self._live[aligned] = (int(nbytes), int(alignment))
                return aligned
        raise MemoryError(
            f"no free block holds {nbytes} bytes aligned to {alignment} "
            f"({self.free_bytes} bytes free, largest block {self.largest_free_block})"
        )
        ### END SOLUTION

    def free(self, offset: int) -> None:
        """Release the block at ``offset`` and merge it with free neighbours.

        Raises:
            ValueError: ``offset`` is not the start of a live block (a double free or a bad offset).
        """
        # about 14 lines
        ### BEGIN SOLUTION
        if offset not in self._live:
            raise ValueError(f"offset {offset} is not a live allocation (double free or unknown offset)")
        size, _ = self._live.pop(offset)
        blocks = sorted(self._free + [(offset, size)])
        merged = [blocks[0]]
        for start, length in blocks[1:]:
            last_start, last_length = merged[-1]
            if last_start + last_length == start:
                merged[-1] = (last_start, last_length + length)
            else:
                merged.append((start, length))
        self._free = merged
        ### END SOLUTION

    def defragment(self) -> dict[int, int]:
        """Move live blocks to the front, in address order, keeping each block's alignment.

        Returns:
            A map from each live block's old offset to its new offset.
        """
        # about 14 lines
        ### BEGIN SOLUTION
        moves, live, free = {}, {}, []
        cursor = 0
        for old in sorted(self._live):
            size, alignment = self._live[old]
            new = -(-cursor // alignment) * alignment
            if new > cursor:
                free.append((cursor, new - cursor))
            moves[old] = new
            live[new] = (size, alignment)
            cursor = new + size
        if cursor < self.size_bytes:
            free.append((cursor, self.size_bytes - cursor))
        self._live, self._free = live, free
        return moves
        ### END SOLUTION

    @property
    def used_bytes(self) -> int:
        """Bytes in live blocks."""
        # about 1 line
        ### BEGIN SOLUTION
        return sum(size for size, _ in self._live.values())
        ### END SOLUTION

    @property
    def free_bytes(self) -> int:
        """Bytes not in live blocks."""
        # about 1 line
        ### BEGIN SOLUTION
        return self.size_bytes - self.used_bytes
        ### END SOLUTION

    @property
    def largest_free_block(self) -> int:
        """Size of the largest free block (0 when the pool is full)."""
        # about 1 line
        ### BEGIN SOLUTION
        return max((size for _, size in self._free), default=0)
        ### END SOLUTION

    def fragmentation(self) -> float:
        """``1 - largest free block / total free bytes``; 0.0 when nothing is free."""
        # about 2 lines
        ### BEGIN SOLUTION
        free = self.free_bytes
        return 0.0 if free == 0 else 1.0 - self.largest_free_block / free
        ### END SOLUTION


# %% [markdown]
# **What the tests check.** On small scripted cases: offsets are aligned, the first block that
# fits is used (not the best-fitting one), a full pool raises `MemoryError`, freed neighbours merge
# so that the whole pool can be allocated again, double frees and unknown offsets raise
# `ValueError`, and `defragment` packs the live blocks to the front and leaves one free block.
# On fresh random traces, each cell grades one method, so one bug costs points once: the allocate
# cell checks that every offset is the lowest aligned one that fits (with alignments from 8 to 256
# bytes, and frees that need no merging) and the errors `allocate` promises; the free cell checks
# `used_bytes`, `free_bytes` and `largest_free_block` against the blocks your `allocate` handed
# out, whatever their offsets; the defragment cell checks that each live block moves to the next
# offset after its predecessor that keeps its alignment, in address order.

# %% nbgrader={"grade": true, "grade_id": "tensors_memory_pool_allocate", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""MemoryPool.allocate is aligned and first fit, and raises MemoryError when full."""
_pool = MemoryPool(1024)
assert _pool.allocate(100) == 0, "the first allocation goes at offset 0"
_second = _pool.allocate(10)
assert _second == 128, f"100 bytes at 0, then 10 bytes aligned to 64: expected offset 128, got {_second}"
_third = _pool.allocate(8, alignment=256)
assert _third == 256, f"expected the next multiple of 256, got {_third}"
assert member(_pool, "used_bytes") >= 118, "used_bytes counts at least the requested bytes"
_pool = MemoryPool(1024)
_a, _b, _c = _pool.allocate(384), _pool.allocate(256), _pool.allocate(128)
assert (_a, _b, _c) == (0, 384, 640), f"expected offsets (0, 384, 640), got {(_a, _b, _c)}"
_pool.free(_a)
_d = _pool.allocate(128)
assert _d == 0, f"first fit takes the 384-byte hole at 0, not the better-fitting tail; got {_d}"
assert_raises(MemoryError, _pool.allocate, 1024)
_full = MemoryPool(256)
_full.allocate(256)
assert_raises(MemoryError, _full.allocate, 1)
assert member(_full, "free_bytes") == 0 and member(_full, "largest_free_block") == 0, "a full pool has nothing free"
### BEGIN HIDDEN TESTS
assert_raises(ValueError, MemoryPool(256).allocate, 0)
assert_raises(ValueError, MemoryPool(256).allocate, 8, 48)
assert_raises(ValueError, MemoryPool, 0)
_rng = np.random.default_rng(61)
for _trial in range(30):
    _size = 64 * int(_rng.integers(16, 64))
    _pool = MemoryPool(_size)
    _live = {}  # offset -> bytes of the blocks the trace holds
    for _step in range(40):
        _ends = {_o + _n for _o, _n in _live.items()}
        _lonely = [_o for _o, _n in _live.items()  # freeing these needs no merge: neighbours are live
                   if (_o == 0 or _o in _ends) and (_o + _n == _size or _o + _n in _live)]
        if _lonely and _rng.random() < 0.3:
            _offset = int(_rng.choice(sorted(_lonely)))
            _pool.free(_offset)
            del _live[_offset]
            continue
        _alignment = int(2 ** _rng.integers(3, 9))
        _nbytes = _alignment * int(_rng.integers(1, 5))  # a multiple: rounding sizes up changes nothing
        _cursor, _first_fit = 0, None
        for _start in sorted(_live) + [_size]:
            _aligned = -(-_cursor // _alignment) * _alignment
            if _aligned + _nbytes <= _start:
                _first_fit = _aligned
                break
            _cursor = max(_cursor, _start + _live.get(_start, 0))
        if _first_fit is None:
            assert_raises(MemoryError, _pool.allocate, _nbytes, _alignment)
            continue
        _offset = _pool.allocate(_nbytes, _alignment)
        assert _offset == _first_fit, (
            f"trace {_trial}: {_nbytes} bytes aligned to {_alignment}: expected the first fit at {_first_fit}, got {_offset}"
        )
        _live[_offset] = _nbytes
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_memory_pool_free", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""MemoryPool.free merges neighbours and rejects double or unknown frees."""
_pool = MemoryPool(1024)
_offsets = [_pool.allocate(256) for _ in range(4)]
_pool.free(_offsets[0])
_pool.free(_offsets[2])
assert member(_pool, "free_bytes") == 512, f"free_bytes: expected 512, got {member(_pool, 'free_bytes')}"
assert member(_pool, "largest_free_block") == 256, "two separate 256-byte holes"
assert abs(member(_pool, "fragmentation") - 0.5) < 1e-12, "fragmentation of two equal holes is 0.5"
assert_raises(MemoryError, _pool.allocate, 512)
_pool.free(_offsets[1])
assert member(_pool, "largest_free_block") == 768, "freeing the middle block merges three blocks into 768 bytes"
_pool.free(_offsets[3])
assert member(_pool, "used_bytes") == 0, "everything is free"
assert member(_pool, "fragmentation") == 0.0, "one free block: no fragmentation"
assert _pool.allocate(1024) == 0, "after freeing everything the whole pool fits again"
assert_raises(ValueError, _pool.free, 64)
_pool.free(0)
_exc = assert_raises(ValueError, _pool.free, 0)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(62)
for _trial in range(30):
    _size = 64 * int(_rng.integers(16, 64))
    _pool = MemoryPool(_size)
    _live = {}  # offset -> bytes, as your allocate handed them out
    for _step in range(60):
        if _live and _rng.random() < 0.45:
            _offset = int(_rng.choice(sorted(_live)))
            _pool.free(_offset)
            del _live[_offset]
            _exc = assert_raises(ValueError, _pool.free, _offset)
        else:
            _nbytes = 64 * int(_rng.integers(1, 6))
            try:
                _offset = _pool.allocate(_nbytes)
            except MemoryError:
                continue
            _live[_offset] = _nbytes
            continue
        _used = sum(_live.values())
        _gaps, _cursor = [], 0
        for _start in sorted(_live) + [_size]:
            _gaps.append(_start - _cursor)
            _cursor = _start + _live.get(_start, 0)
        assert member(_pool, "used_bytes") == _used, f"trace {_trial}: used_bytes after a free"
        assert member(_pool, "free_bytes") == _size - _used, f"trace {_trial}: free_bytes after a free"
        assert member(_pool, "largest_free_block") == max(_gaps), (
            f"trace {_trial}: largest_free_block after a free should be {max(_gaps)} (freed neighbours merge)"
        )
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_memory_pool_defragment", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""MemoryPool.defragment packs live blocks to the front and reports the moves."""
_pool = MemoryPool(2048)
_offsets = [_pool.allocate(256) for _ in range(8)]
for _k in (0, 2, 3, 6):
    _pool.free(_offsets[_k])
_moves = _pool.defragment()
assert sorted(_moves) == [256, 1024, 1280, 1792], f"defragment should map every live offset, got {_moves}"
assert sorted(_moves.values()) == [0, 256, 512, 768], f"live blocks should be packed to the front, got {_moves}"
assert member(_pool, "largest_free_block") == 1024, "after defragmenting, the free space is one block"
assert _pool.allocate(1024) == 1024, "the free tail starts at 1024"
### BEGIN HIDDEN TESTS
_pool = MemoryPool(4096)
_small, _wide = _pool.allocate(100), _pool.allocate(300, alignment=512)
_pool.free(_small)
_moves = _pool.defragment()
assert _moves == {_wide: 0}, f"a block aligned to 512 moves to 0, the lowest multiple of 512; got {_moves}"
_rng = np.random.default_rng(63)
for _trial in range(30):
    _size = 64 * int(_rng.integers(32, 64))
    _pool = MemoryPool(_size)
    _live = {}  # offset -> (bytes, alignment), as your allocate handed them out
    for _step in range(50):
        if _live and _rng.random() < 0.45:
            _offset = int(_rng.choice(sorted(_live)))
            _pool.free(_offset)
            del _live[_offset]
        else:
            _alignment = int(2 ** _rng.integers(3, 9))
            _nbytes = _alignment * int(_rng.integers(1, 5))
            try:
                _live[_pool.allocate(_nbytes, _alignment)] = (_nbytes, _alignment)
            except MemoryError:
                pass
    _moves = _pool.defragment()
    assert isinstance(_moves, dict) and sorted(_moves) == sorted(_live), (
        f"trace {_trial}: defragment should map every live offset {sorted(_live)}, got {_moves}"
    )
    _cursor = 0
    for _old in sorted(_live):
        _nbytes, _alignment = _live[_old]
        _expected = -(-_cursor // _alignment) * _alignment
        assert _moves[_old] == _expected, (
            f"trace {_trial}: the block at {_old} ({_nbytes} bytes, alignment {_alignment}) should move to "
            f"{_expected}, the first aligned offset after the blocks before it; got {_moves[_old]}"
        )
        _cursor = _expected + _nbytes
### END HIDDEN TESTS

# %% [markdown]
# A pool over a real buffer: `TensorMemoryPool` owns a `uint8` NumPy array and returns arrays that
# are views into it (`buffer[offset:offset + nbytes].view(dtype).reshape(shape)`), so allocating a
# tensor never calls the system allocator. To free a tensor you need its offset: the distance
# between its address and the buffer's (`arr.ctypes.data - buffer.ctypes.data`) or a record you
# keep. If you override `defragment`, move the bytes too (later views of a moved block see the
# data; arrays handed out before are stale).

# %% nbgrader={"grade": false, "grade_id": "tensors_tensor_memory_pool", "locked": false, "schema_version": 3, "solution": true}
class TensorMemoryPool(MemoryPool):
    """A MemoryPool over its own byte buffer that hands out NumPy arrays living in that buffer."""

    def __init__(self, size_bytes: int) -> None:
        """A pool whose ``buffer`` is a ``uint8`` array of ``size_bytes`` starting on a 64-byte boundary."""
        # about 5 lines
        ### BEGIN SOLUTION
        super().__init__(size_bytes)
        raw = np.zeros(self.size_bytes + 64, dtype=np.uint8)
        start = (-raw.ctypes.data) % 64
        self.buffer = raw[start:start + self.size_bytes]
        self._tensor_bytes = {}
        ### END SOLUTION

    def allocate_tensor(self, shape: Shape, dtype=np.float64) -> np.ndarray:
        """An uninitialised array of ``shape`` and ``dtype`` inside the pool's buffer.

        Raises:
            MemoryError: it does not fit.
        """
        # about 6 lines
        ### BEGIN SOLUTION
        dtype = np.dtype(dtype)
        shape = tuple(int(n) for n in shape)
        nbytes = math.prod(shape) * dtype.itemsize
        offset = self.allocate(max(nbytes, 1), alignment=max(64, dtype.alignment))
        self._tensor_bytes[offset] = nbytes
        return self.buffer[offset:offset + nbytes].view(dtype).reshape(shape)
        ### END SOLUTION

    def free_tensor(self, arr: np.ndarray) -> None:
        """Give back the memory of an array returned by ``allocate_tensor``.

        Raises:
            ValueError: ``arr`` does not start at a live block of this pool.
        """
        # about 5 lines
        ### BEGIN SOLUTION
        if not isinstance(arr, np.ndarray) or not np.shares_memory(arr, self.buffer):
            raise ValueError("this array does not live in the pool's buffer")
        offset = arr.ctypes.data - self.buffer.ctypes.data
        self.free(offset)
        self._tensor_bytes.pop(offset, None)
        ### END SOLUTION

    def defragment(self) -> dict[int, int]:
        """Pack live blocks to the front and move their bytes with them."""
        # about 7 lines
        ### BEGIN SOLUTION
        moves = super().defragment()
        moved = {}
        for old, new in sorted(moves.items()):
            nbytes = self._tensor_bytes.pop(old, 0)
            self.buffer[new:new + nbytes] = self.buffer[old:old + nbytes]
            moved[new] = nbytes
        self._tensor_bytes = moved
        return moves
        ### END SOLUTION


# %% [markdown]
# **What the tests check.** Tensors have the requested shape and dtype; two live tensors never
# share memory; after `free_tensor`, the next tensor of the same size reuses the same bytes (it
# shares memory with the freed one and sees the values written through it), which proves the
# arrays live in the pool's buffer; the pool's byte counts follow; a tensor that does not fit
# raises `MemoryError`, and freeing a foreign array raises `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_tensor_memory_pool_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""TensorMemoryPool hands out arrays that live in, and are reused from, its own buffer."""
_pool = TensorMemoryPool(4096)
_t1 = _pool.allocate_tensor((4, 8), np.float64)
_t2 = _pool.allocate_tensor((10,), np.int32)
assert isinstance(_t1, np.ndarray) and _t1.shape == (4, 8) and _t1.dtype == np.float64, "tensor shape or dtype"
assert _t2.shape == (10,) and _t2.dtype == np.int32, "tensor shape or dtype"
assert not np.shares_memory(_t1, _t2), "two live tensors must not overlap"
assert member(_pool, "used_bytes") >= 256 + 40, "used_bytes counts both tensors"
_t1[...] = 7.0
_pool.free_tensor(_t1)
_t3 = _pool.allocate_tensor((32,), np.float64)
assert np.shares_memory(_t1, _t3), "a freed block is reused first: the new tensor should occupy the old bytes"
assert np.all(_t3 == 7.0), "the reused bytes still hold what was written through the old tensor"
_t3[:] = np.arange(32.0)
np.testing.assert_array_equal(_t1.ravel(), np.arange(32.0), err_msg="both arrays view the same pool bytes")
assert_raises(MemoryError, _pool.allocate_tensor, (1000,), np.float64)
assert_raises(ValueError, _pool.free_tensor, np.zeros(4))
_pool.free_tensor(_t2)
_pool.free_tensor(_t3)
assert member(_pool, "used_bytes") == 0, "all tensors freed"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(90)
_pool = TensorMemoryPool(1 << 16)
_arrays = []
for _ in range(40):
    _shape = tuple(int(n) for n in _rng.integers(1, 6, size=_rng.integers(1, 4)))
    _dtype = np.dtype(_rng.choice(["float32", "float64", "int16", "uint8"]))
    _arr = _pool.allocate_tensor(_shape, _dtype)
    assert _arr.shape == _shape and _arr.dtype == _dtype, f"allocate_tensor({_shape}, {_dtype})"
    for _other in _arrays:
        assert not np.shares_memory(_arr, _other), "live tensors overlap"
    _arr[...] = 1
    _arrays.append(_arr)
    if _rng.random() < 0.3:
        _pool.free_tensor(_arrays.pop(int(_rng.integers(len(_arrays)))))
### END HIDDEN TESTS

# %% [markdown]
# Fragmentation in motion: a random stream of allocations and frees of 1 to 16 KiB in a 256 KiB
# pool, using your `MemoryPool`. Free space does not stay in one piece; one `defragment()` call at
# the end gathers it again.

# %%
rng = np.random.default_rng(0)
pool = MemoryPool(256 * 1024)
live, fragmentation, used = [], [], []
for step in range(400):
    if live and (rng.random() < 0.5 or member(pool, "free_bytes") < 32 * 1024):
        pool.free(live.pop(int(rng.integers(len(live)))))
    else:
        try:
            live.append(pool.allocate(1024 * int(rng.integers(1, 17))))
        except MemoryError:
            pass
    fragmentation.append(member(pool, "fragmentation"))
    used.append(member(pool, "used_bytes") / pool.size_bytes)
pool.defragment()
fig, ax = new_figure(width_in=6, height_in=3.2)
ax.plot(fragmentation, label="fragmentation")
ax.plot(used, label="fraction of pool in use")
ax.scatter([len(fragmentation)], [member(pool, "fragmentation")], color="crimson", zorder=3, label="after defragment()")
ax.set_xlabel("allocation or free")
ax.set_title("MemoryPool(256 KiB): random 1-16 KiB requests", fontsize=10)
ax.set_ylim(-0.03, 1.05)
ax.legend(fontsize=8)
fig

# %% [markdown]
# ### What smaller dtypes save
#
# The item size multiplies everything above: buffer sizes, strides, bytes moved. Halving it halves
# the memory and the memory traffic of every memory-bound kernel. `float16` keeps 10 mantissa bits
# but only 5 exponent bits (largest value 65504, so activations and gradients can overflow);
# `bfloat16` keeps float32's 8 exponent bits and range with only 7 mantissa bits, which is why it
# trains without loss scaling. The table shows the item size, the largest value, the spacing of
# numbers near 1 (`eps`), and what 7 billion parameters take.

# %%
import torch

rows = [f"{'dtype':<10} {'bytes':>5} {'max':>10} {'eps':>9} {'7B params':>10}"]
for name, info in [
    ("float64", torch.finfo(torch.float64)),
    ("float32", torch.finfo(torch.float32)),
    ("bfloat16", torch.finfo(torch.bfloat16)),
    ("float16", torch.finfo(torch.float16)),
]:
    rows.append(
        f"{name:<10} {info.bits // 8:>5} {info.max:>10.3g} {info.eps:>9.2g} {7e9 * info.bits / 8 / 2**30:>7.1f} GiB"
    )
print("\n".join(rows))

# %% [markdown]
# ## 7. A strided tensor of your own
#
# Time to put it together: a `Tensor` that is nothing but a flat NumPy `buffer` plus `shape`,
# `strides` (here counted in **elements**, as PyTorch does, not bytes) and `offset` (also in
# elements). The constructor is given; it validates that every element the view can reach lies
# inside the buffer. Your methods:
#
# - `numpy()`: gather the elements into a new C-ordered NumPy array.
# - `is_contiguous()`: do the elements sit in row-major order with no gaps? (As in NumPy, axes of
#   size 1 do not matter, and an empty tensor is contiguous.)
# - `transpose(*axes)`: always a view; no axes reverses them.
# - `reshape(*shape)`: a view over the same buffer when the tensor is contiguous, a copy into a new
#   buffer otherwise; one `-1` is inferred.
# - `__getitem__`: integers and slices (any step, also negative) per axis, as a view. An integer
#   removes its axis; a slice keeps it with stride `stride * step`; missing trailing axes are kept
#   whole.
# - `__add__`: broadcasting, by giving each operand zero strides on its stretched axes (your
#   `broadcast_shapes` finds the shape); the result is a new contiguous tensor.
# - `matmul`: 2-D times 2-D.

# %% nbgrader={"grade": false, "grade_id": "tensors_tensor", "locked": false, "schema_version": 3, "solution": true}
class Tensor:
    """A strided view over a flat NumPy buffer. ``strides`` and ``offset`` count elements.

    ``Tensor(data)`` copies array-like ``data`` into a new C-ordered buffer. ``Tensor(buffer,
    shape, strides=None, offset=0)`` wraps an existing 1-D NumPy ``buffer`` without copying
    (``strides=None`` means C-ordered strides).
    """

    def __init__(self, data, shape=None, strides=None, offset: int = 0) -> None:
        if shape is None:
            array = np.array(data)
            self.buffer = array.reshape(-1)
            shape, strides, offset = array.shape, None, 0
        else:
            self.buffer = data
            if not isinstance(data, np.ndarray) or data.ndim != 1:
                raise ValueError("the buffer of a strided Tensor must be a 1-D NumPy array")
        self.shape = tuple(int(n) for n in shape)
        self.strides = self.c_strides(self.shape) if strides is None else tuple(int(s) for s in strides)
        self.offset = int(offset)
        if len(self.strides) != len(self.shape) or any(n < 0 for n in self.shape):
            raise ValueError(f"shape {self.shape} and strides {self.strides} do not describe a tensor")
        if self.size:
            low = self.offset + sum(s * (n - 1) for n, s in zip(self.shape, self.strides) if s < 0)
            high = self.offset + sum(s * (n - 1) for n, s in zip(self.shape, self.strides) if s > 0)
            if low < 0 or high >= len(self.buffer):
                raise ValueError(
                    f"shape {self.shape}, strides {self.strides}, offset {self.offset} reach elements "
                    f"{low}..{high}, outside a buffer of {len(self.buffer)}"
                )

    @staticmethod
    def c_strides(shape: Shape) -> Strides:
        """Row-major strides, in elements, for ``shape``."""
        strides, step = [], 1
        for n in reversed(shape):
            strides.append(step)
            step *= max(n, 1)
        return tuple(reversed(strides))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, strides={self.strides}, offset={self.offset})"

    def numpy(self) -> np.ndarray:
        """A new C-ordered NumPy array holding this tensor's elements."""
        # about 5 lines
        ### BEGIN SOLUTION
        positions = np.full(self.shape, self.offset, dtype=np.int64)
        for axis, (n, stride) in enumerate(zip(self.shape, self.strides)):
            step_shape = [1] * self.ndim
            step_shape[axis] = n
            positions = positions + (np.arange(n, dtype=np.int64) * stride).reshape(step_shape)
        return np.array(self.buffer[positions.reshape(-1)].reshape(self.shape))
        ### END SOLUTION

    def is_contiguous(self) -> bool:
        """True when the elements sit in row-major order without gaps (size-1 axes ignored)."""
        # about 7 lines
        ### BEGIN SOLUTION
        if self.size == 0:
            return True
        expected = 1
        for n, stride in zip(reversed(self.shape), reversed(self.strides)):
            if n != 1 and stride != expected:
                return False
            expected *= n
        return True
        ### END SOLUTION

    def transpose(self, *axes: int) -> "Tensor":
        """A view with the axes permuted; no axes reverses them.

        Raises:
            ValueError: ``axes`` is not a permutation of the tensor's axes.
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        # about 7 lines
        ### BEGIN SOLUTION
        if not axes:
            axes = tuple(range(self.ndim - 1, -1, -1))
        axes = tuple(int(a) for a in axes)
        if any(not -self.ndim <= a < self.ndim for a in axes) or sorted(
            a % self.ndim for a in axes
        ) != list(range(self.ndim)):
            raise ValueError(f"axes {axes} are not a permutation of {self.ndim} axes")
        axes = [a % self.ndim for a in axes]
        return Tensor(
            self.buffer, [self.shape[a] for a in axes], [self.strides[a] for a in axes], self.offset
        )
        ### END SOLUTION

    def reshape(self, *shape: int) -> "Tensor":
        """The same elements in row-major order under a new shape; one size may be -1.

        A view over the same buffer when the tensor is contiguous, otherwise a copy.

        Raises:
            ValueError: the element count differs, or more than one size is -1.
        """
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        # about 12 lines
        ### BEGIN SOLUTION
        shape = [int(n) for n in shape]
        if shape.count(-1) > 1:
            raise ValueError(f"only one size may be -1, got {tuple(shape)}")
        if -1 in shape:
            known = math.prod(n for n in shape if n != -1)
            if known == 0 or self.size % known:
                raise ValueError(f"cannot reshape {self.shape} to {tuple(shape)}")
            shape[shape.index(-1)] = self.size // known
        if math.prod(shape) != self.size or any(n < 0 for n in shape):
            raise ValueError(f"cannot reshape {self.shape} ({self.size} elements) to {tuple(shape)}")
        if self.is_contiguous():
            return Tensor(self.buffer, shape, None, self.offset)
        return Tensor(self.numpy().reshape(shape))
        ### END SOLUTION

    def __getitem__(self, key) -> "Tensor":
        """A view selected by integers and slices, one per leading axis.

        Raises:
            IndexError: too many indices, or an integer out of bounds (the message names the axis).
            TypeError: an index that is neither an integer nor a slice.
        """
        if not isinstance(key, tuple):
            key = (key,)
        # about 20 lines
        ### BEGIN SOLUTION
        if len(key) > self.ndim:
            raise IndexError(f"{len(key)} indices for a tensor with {self.ndim} axes")
        offset, shape, strides = self.offset, [], []
        for axis, (n, stride) in enumerate(zip(self.shape, self.strides)):
            item = key[axis] if axis < len(key) else slice(None)
            if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
                i = int(item)
                if not -n <= i < n:
                    raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
                offset += (i % n) * stride
            elif isinstance(item, slice):
                start, stop, step = item.indices(n)
                length = len(range(start, stop, step))
                if length:
                    offset += start * stride
                shape.append(length)
                strides.append(stride * step)
            else:
                raise TypeError(f"index {item!r} on axis {axis}: only integers and slices are supported")
        return Tensor(self.buffer, shape, strides, offset)
        ### END SOLUTION

    def __add__(self, other) -> "Tensor":
        """Elementwise sum with broadcasting; ``other`` is a Tensor or anything np.asarray accepts.

        Raises:
            ValueError: the shapes do not broadcast.
        """
        other = other if isinstance(other, Tensor) else Tensor(other)
        # about 9 lines
        ### BEGIN SOLUTION
        shape = broadcast_shapes(self.shape, other.shape)

        def stretched(t):
            lead = len(shape) - t.ndim
            strides = [0] * lead + [
                0 if n == 1 and m != 1 else s for n, m, s in zip(t.shape, shape[lead:], t.strides)
            ]
            return Tensor(t.buffer, shape, strides, t.offset)

        return Tensor(stretched(self).numpy() + stretched(other).numpy())
        ### END SOLUTION

    __radd__ = __add__

    def matmul(self, other) -> "Tensor":
        """Matrix product of two 2-D tensors.

        Raises:
            ValueError: an operand is not 2-D, or the inner sizes differ.
        """
        other = other if isinstance(other, Tensor) else Tensor(other)
        # about 6 lines
        ### BEGIN SOLUTION
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError(f"matmul needs two 2-D tensors, got shapes {self.shape} and {other.shape}")
        if self.shape[1] != other.shape[0]:
            raise ValueError(
                f"shapes {self.shape} and {other.shape}: inner sizes {self.shape[1]} and {other.shape[0]} differ"
            )
        return Tensor(self.numpy() @ other.numpy())
        ### END SOLUTION

    def __matmul__(self, other) -> "Tensor":
        return self.matmul(other)


# %% [markdown]
# **What the tests check.** Every check compares with NumPy doing the same thing on the same
# buffer, on fresh random shapes and keys. Layout: `numpy()` of a fresh tensor equals the data;
# `is_contiguous` agrees with NumPy's `C_CONTIGUOUS` flag (where no axis has size 1); transposes
# share the buffer with NumPy's strides. Indexing: values, strides (on axes longer than 1), offset
# and buffer sharing of `t[key]` match `a[key]`. Reshape: a contiguous tensor reshapes to a view
# (also with an offset, or a stray stride on a size-1 axis), a transposed one to a correct copy
# that does not share the buffer, `-1` works, and empty tensors reshape too. Indexing and reshape
# are also checked on many small cases drawn by `hypothesis`. Arithmetic:
# `+` broadcasts like NumPy and `matmul` equals `@`, also on transposed and sliced operands.
# Errors: bad shapes and permutations raise `ValueError`, out-of-range integers and too many
# indices `IndexError`, an index that is neither an integer nor a slice `TypeError`.

# %% nbgrader={"grade": true, "grade_id": "tensors_tensor_layout", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Tensor.numpy, is_contiguous and transpose agree with NumPy and transpose is a view."""


def _element_strides(arr):
    return tuple(s // arr.itemsize for s in arr.strides)


def _same_strides(got, expected, shape):
    return all(n <= 1 or g == e for g, e, n in zip(got, expected, shape))


_t = Tensor(np.arange(12.0).reshape(3, 4))
np.testing.assert_array_equal(_t.numpy(), np.arange(12.0).reshape(3, 4), err_msg="numpy() of a fresh tensor")
assert _t.is_contiguous(), "a fresh tensor is contiguous"
_tt = _t.transpose()
assert isinstance(_tt, Tensor) and _tt.shape == (4, 3), f"transpose() of (3, 4) should have shape (4, 3), got {_tt}"
assert _tt.strides == (1, 4), f"transpose() strides: expected (1, 4), got {_tt.strides}"
assert np.shares_memory(_tt.buffer, _t.buffer), "transpose must be a view of the same buffer"
assert not _tt.is_contiguous(), "a transposed (3, 4) tensor is not contiguous"
np.testing.assert_array_equal(_tt.numpy(), np.arange(12.0).reshape(3, 4).T, err_msg="numpy() of the transpose")
_back = _t.transpose(1, 0).transpose((1, 0))
assert _back.is_contiguous() and _back.strides == (4, 1), "transposing twice gives back a contiguous tensor"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(71)
for _ in range(30):
    _shape = tuple(int(n) for n in _rng.integers(2, 5, size=_rng.integers(1, 5)))
    _a = _rng.standard_normal(_shape)
    _t = Tensor(_a)
    _axes = tuple(int(v) for v in _rng.permutation(len(_shape)))
    _tt, _at = _t.transpose(*_axes), _a.transpose(_axes)
    np.testing.assert_array_equal(_tt.numpy(), _at, err_msg=f"transpose{_axes} of shape {_shape}")
    assert _tt.numpy().flags.c_contiguous, "numpy() should return a C-ordered array"
    assert np.shares_memory(_tt.buffer, _t.buffer), "transpose must be a view of the same buffer"
    assert _same_strides(_tt.strides, _element_strides(_at), _at.shape), (
        f"transpose{_axes} of shape {_shape}: expected strides {_element_strides(_at)}, got {_tt.strides}"
    )
    assert _tt.is_contiguous() == _at.flags.c_contiguous, f"is_contiguous after transpose{_axes} of {_shape}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_tensor_indexing", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Tensor indexing with integers and step slices gives NumPy's views."""


def _element_strides(arr):
    return tuple(s // arr.itemsize for s in arr.strides)


def _same_strides(got, expected, shape):
    return all(n <= 1 or g == e for g, e, n in zip(got, expected, shape))


def _check_index(shape, key, order_axes=None):
    buffer = np.arange(math.prod(shape), dtype=np.float64)
    base = Tensor(buffer, shape)
    reference = buffer.reshape(shape)
    if order_axes is not None:
        base, reference = base.transpose(*order_axes), reference.transpose(order_axes)
    got, expected = base[key], reference[key]
    label = f"t[{key}] on shape {reference.shape}"
    assert isinstance(got, Tensor), f"{label}: expected a Tensor, got {type(got).__name__}"
    assert tuple(got.shape) == np.shape(expected), f"{label}: expected shape {np.shape(expected)}, got {got.shape}"
    np.testing.assert_array_equal(got.numpy(), expected, err_msg=label)
    if np.size(expected):
        assert np.shares_memory(got.buffer, buffer), f"{label} must be a view of the same buffer"
        if not np.ndim(expected):
            expected = reference[tuple(slice(k % n, k % n + 1) for k, n in zip(key, reference.shape))]
        assert got.offset == (expected.ctypes.data - buffer.ctypes.data) // 8, f"{label}: offset"
        if np.ndim(expected) == len(got.shape):
            assert _same_strides(got.strides, _element_strides(expected), expected.shape), (
                f"{label}: expected strides {_element_strides(expected)}, got {got.strides}"
            )


_check_index((4, 5), (1,))
_check_index((4, 5), (slice(1, 3), slice(None, None, 2)))
_check_index((4, 5), (slice(None, None, -1), 2))
_check_index((3, 4, 5), (1, slice(0, 4, 3), slice(4, 0, -2)))
_check_index((3, 4, 5), (2, 3, 4))
_check_index((4, 6), (slice(1, 4, 2), slice(None, None, -3)), order_axes=(1, 0))
_check_index((4, 5), (slice(3, 1),))
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(55)


def _random_item(n):
    if _rng.random() < 0.3:
        return int(_rng.integers(-n, n))
    start = None if _rng.random() < 0.3 else int(_rng.integers(-n, n))
    stop = None if _rng.random() < 0.3 else int(_rng.integers(-n, n + 1))
    step = [None, 1, 2, 3, -1, -2][int(_rng.integers(6))]
    return slice(start, stop, step)


for _ in range(60):
    _shape = tuple(int(n) for n in _rng.integers(1, 6, size=_rng.integers(1, 4)))
    _axes = tuple(int(v) for v in _rng.permutation(len(_shape)))
    _permuted = tuple(_shape[a] for a in _axes)
    _key = tuple(_random_item(n) for n in _permuted[: int(_rng.integers(1, len(_shape) + 1))])
    if all(isinstance(k, int) for k in _key) and len(_key) < len(_shape):
        _key = _key + (slice(None),)
    _check_index(_shape, _key, order_axes=_axes)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@st.composite
def _index_case(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
    axes = tuple(draw(st.permutations(range(len(shape)))))
    permuted = [shape[a] for a in axes]
    key = []
    for n in permuted[: draw(st.integers(1, len(shape)))]:
        if draw(st.booleans()):
            key.append(draw(st.integers(-n, n - 1)))
        else:
            key.append(slice(draw(st.none() | st.integers(-n - 1, n + 1)), draw(st.none() | st.integers(-n - 1, n + 1)),
                             draw(st.sampled_from([None, 1, 2, 3, -1, -2]))))
    if all(isinstance(k, int) for k in key) and len(key) < len(shape):
        key.append(slice(None))
    return shape, tuple(key), axes


@settings(derandomize=True, deadline=None, max_examples=80, database=None)
@given(_index_case())
def _indexing_property(case):
    shape, key, axes = case
    _check_index(shape, key, order_axes=axes)


_indexing_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_tensor_reshape", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Tensor.reshape is a view on contiguous tensors and a correct copy otherwise."""
_t = Tensor(np.arange(24.0))
_r = _t.reshape(2, 3, 4)
assert isinstance(_r, Tensor) and _r.shape == (2, 3, 4), f"reshape(2, 3, 4) gave {_r}"
assert np.shares_memory(_r.buffer, _t.buffer), "reshaping a contiguous tensor must not copy"
np.testing.assert_array_equal(_r.numpy(), np.arange(24.0).reshape(2, 3, 4), err_msg="reshape(2, 3, 4)")
_r2 = _r.reshape((6, -1))
assert _r2.shape == (6, 4), f"reshape((6, -1)) should infer 4, got {_r2.shape}"
assert np.shares_memory(_r2.buffer, _t.buffer), "reshape of a contiguous tensor must not copy"
_rt = _r.transpose(2, 0, 1).reshape(-1)
np.testing.assert_array_equal(
    _rt.numpy(), np.arange(24.0).reshape(2, 3, 4).transpose(2, 0, 1).reshape(-1), err_msg="reshape of a transpose"
)
assert not np.shares_memory(_rt.buffer, _t.buffer), "reshape of a transposed tensor has to copy"
_row = _r[1].reshape(12)
assert np.shares_memory(_row.buffer, _t.buffer), "a contiguous slice with an offset reshapes to a view"
np.testing.assert_array_equal(_row.numpy(), np.arange(12.0, 24.0), err_msg="reshape of r[1] (offset 12)")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(66)
for _ in range(30):
    _shape = tuple(int(n) for n in _rng.integers(1, 5, size=_rng.integers(1, 4)))
    _a = _rng.standard_normal(_shape)
    _t = Tensor(_a)
    _new = [int(v) for v in _rng.permutation(list(_shape) + [1])]
    if _rng.random() < 0.5:
        _new[int(_rng.integers(len(_new)))] = -1
    _got, _expected = _t.reshape(*_new), _a.reshape(_new)
    np.testing.assert_array_equal(_got.numpy(), _expected, err_msg=f"reshape {_shape} -> {_new}")
    assert np.shares_memory(_got.buffer, _t.buffer), f"reshape {_shape} -> {_new} of a contiguous tensor copied"
    _axes = tuple(int(v) for v in _rng.permutation(len(_shape)))
    _got = _t.transpose(*_axes).reshape(-1)
    np.testing.assert_array_equal(_got.numpy(), _a.transpose(_axes).reshape(-1), err_msg=f"reshape after transpose{_axes}")
_z = Tensor(np.zeros((0, 3)))
assert _z.is_contiguous() and _z.reshape(3, -1).shape == (3, 0), "an empty (0, 3) tensor reshapes to (3, 0)"
_ones_axis = Tensor(np.arange(12.0), (3, 1, 4), (4, 99, 1))
assert _ones_axis.is_contiguous(), "the stride of a size-1 axis does not matter for contiguity"
assert np.shares_memory(_ones_axis.reshape(12).buffer, _ones_axis.buffer), "(3, 1, 4) with a stray size-1 stride reshapes to a view"
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@settings(derandomize=True, deadline=None, max_examples=60, database=None)
@given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4), st.data())
def _reshape_property(shape, data):
    size = math.prod(shape)
    buffer = np.arange(float(size) + 3)
    t = Tensor(buffer, shape, None, 3)  # contiguous, with an offset
    reference = buffer[3:].reshape(shape)
    if data.draw(st.booleans()) and len(shape) > 1:
        axes = tuple(data.draw(st.permutations(range(len(shape)))))
        t, reference = t.transpose(*axes), reference.transpose(axes)
    new = list(data.draw(st.permutations(list(reference.shape) + [1])))
    if size and data.draw(st.booleans()):
        new[data.draw(st.integers(0, len(new) - 1))] = -1
    got = t.reshape(*new)
    expected = reference.reshape(new)
    assert isinstance(got, Tensor) and tuple(got.shape) == expected.shape, (
        f"reshape {reference.shape} -> {new}: expected shape {expected.shape}, got {getattr(got, 'shape', got)}"
    )
    np.testing.assert_array_equal(got.numpy(), expected, err_msg=f"reshape {reference.shape} -> {new}")
    if size and np.shares_memory(expected, buffer) and reference.flags.c_contiguous:
        assert np.shares_memory(got.buffer, buffer), f"reshape {reference.shape} -> {new} of a contiguous tensor copied"
    if size > 1 and not np.shares_memory(expected, buffer):
        assert not np.shares_memory(got.buffer, buffer), f"reshape {reference.shape} -> {new} must copy a non-contiguous tensor"


_reshape_property()
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_tensor_arithmetic", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""Tensor + broadcasts like NumPy and matmul equals @, also on views."""
_a, _b = np.arange(6.0).reshape(2, 3), np.array([10.0, 20.0, 30.0])
_sum = Tensor(_a) + Tensor(_b)
assert isinstance(_sum, Tensor), "+ should return a Tensor"
np.testing.assert_array_equal(_sum.numpy(), _a + _b, err_msg="(2, 3) + (3,)")
_c = np.arange(4.0).reshape(4, 1)
np.testing.assert_array_equal(
    (Tensor(_a.reshape(2, 1, 3)) + Tensor(_c)).numpy(), _a.reshape(2, 1, 3) + _c, err_msg="(2, 1, 3) + (4, 1)"
)
_product = Tensor(_a).matmul(Tensor(_a.T))
np.testing.assert_allclose(_product.numpy(), _a @ _a.T, err_msg="(2, 3) @ (3, 2)")
np.testing.assert_allclose(Tensor(_a).transpose().matmul(Tensor(_a)).numpy(), _a.T @ _a, err_msg="transposed operand")
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(88)
for _ in range(30):
    _target = tuple(int(n) for n in _rng.integers(1, 5, size=_rng.integers(1, 4)))
    _pair = []
    for _side in range(2):
        _keep = int(_rng.integers(0, len(_target) + 1))
        _pair.append(tuple(1 if _rng.random() < 0.4 else n for n in _target[len(_target) - _keep:]))
    _x, _y = _rng.standard_normal(_pair[0]), _rng.standard_normal(_pair[1])
    np.testing.assert_allclose((Tensor(_x) + Tensor(_y)).numpy(), _x + _y, err_msg=f"{_x.shape} + {_y.shape}")
    _m, _k, _n = (int(v) for v in _rng.integers(1, 6, size=3))
    _p = _rng.standard_normal((2 * _k, _m))
    _q = _rng.standard_normal((_k, _n))
    _lhs = Tensor(_p)[::2].transpose()
    np.testing.assert_allclose(_lhs.matmul(Tensor(_q)).numpy(), _p[::2].T @ _q, err_msg=f"({_m}, {_k}) @ ({_k}, {_n})")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "tensors_tensor_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""Tensor rejects bad reshapes, permutations, indices and matmul shapes."""
_t = Tensor(np.arange(12.0).reshape(3, 4))
assert_raises(ValueError, _t.reshape, 5, 3)
assert_raises(ValueError, _t.reshape, -1, -1)
assert_raises(ValueError, _t.transpose, 0, 0)
assert_raises(IndexError, _t.__getitem__, (3, 0))
assert_raises(IndexError, _t.__getitem__, (0, -5))
assert_raises(ValueError, _t.matmul, Tensor(np.ones((3, 4))))
_exc = assert_raises(ValueError, _t.__add__, Tensor(np.ones(3)))
### BEGIN HIDDEN TESTS
assert_raises(IndexError, _t.__getitem__, (0, 0, 0))
assert_raises(TypeError, _t.__getitem__, (1.5, 0))
assert_raises(ValueError, _t.reshape, 2, -1, 5)
assert_raises(ValueError, _t.transpose, 0, 2)
_exc = assert_raises(ValueError, _t.matmul, Tensor(np.ones(4)))
### END HIDDEN TESTS

# %% [markdown]
# ## Summary
#
# - A tensor is a buffer plus (shape, strides, offset, dtype). Row-major strides come from the
#   right, column-major from the left; the address of an element is a dot product.
# - Slices, transposes, broadcasting and reshapes of contiguous data only write new metadata.
#   Fancy indexing, masks, arithmetic and reshapes that no single stride can describe copy.
# - Broadcasting is a zero stride; its gradient is a sum over the stretched axes.
# - im2col trades `kh*kw` times the input's memory for one large, fast matrix product.
# - COO pays when the fraction of nonzeros is below `itemsize / (itemsize + ndim * index_size)`.
# - Pools avoid system allocations; alignment and first fit are simple; fragmentation is the
#   price, coalescing and defragmentation the remedies.
