"""Chapter 02 (tensors): the reference solutions against NumPy and PyTorch on drawn inputs.

The grade cells check fixed and seeded random cases; these property-based tests push the
reference answers through many more shapes, so a wrong reference cannot hide behind the cases
the grade cells happen to draw.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import float_arrays, shapes

from utils.instructor.harness import solution_namespace

pytestmark = pytest.mark.ch02


@pytest.fixture(scope="module")
def ns():
    return solution_namespace("02_tensors")


def _address_offset(arr: np.ndarray, index: tuple[int, ...]) -> int:
    element = arr[tuple(slice(i, i + 1) for i in index)]
    return element.ctypes.data - arr.ctypes.data


@given(shape=shapes(max_dims=5, min_side=1), order=st.sampled_from("CF"),
       dtype=st.sampled_from(["int8", "float16", "float32", "float64", "complex128"]))
def test_compute_strides_matches_numpy(ns, shape, order, dtype):
    """Are the strides those of a freshly allocated NumPy array of that shape, dtype and order?"""
    expected = np.empty(shape, dtype=dtype, order=order).strides
    assert ns["compute_strides"](shape, np.dtype(dtype).itemsize, order) == expected


@given(shape=shapes(min_dims=1, max_dims=4, min_side=1), data=st.data())
def test_linear_offset_matches_addresses(ns, shape, data):
    """Does linear_offset give the byte distance NumPy uses, for transposed and step-sliced views?"""
    arr = np.arange(math.prod(shape), dtype=np.float32).reshape(shape)
    arr = arr.transpose(data.draw(st.permutations(range(len(shape)))))
    steps = data.draw(st.lists(st.sampled_from([-2, -1, 1, 2]), min_size=arr.ndim, max_size=arr.ndim))
    arr = arr[tuple(slice(None, None, s) for s in steps)]
    index = tuple(data.draw(st.integers(0, n - 1)) for n in arr.shape)
    assert ns["linear_offset"](index, arr.shape, arr.strides) == _address_offset(arr, index)


def test_linear_offset_names_the_axis(ns):
    """Does an out-of-bounds index raise IndexError naming its axis?"""
    with pytest.raises(IndexError, match="axis 2"):
        ns["linear_offset"]((0, 0, 9), (2, 2, 9), (8, 8, 8))


def test_view_or_copy_reference_is_right(ns):
    """Does the reference answer key agree with np.shares_memory on every listed expression?"""
    for expression in ns["VIEW_OR_COPY_EXPRESSIONS"]:
        a = np.arange(24).reshape(4, 6)
        truth = bool(np.shares_memory(eval(expression, {"np": np, "a": a}), a))
        assert ns["VIEW_OR_COPY"][expression] == truth, expression


@given(st.integers(1, 5).flatmap(lambda k: hnp.mutually_broadcastable_shapes(num_shapes=k, min_side=0)))
def test_broadcast_shapes_matches_numpy(ns, drawn):
    """Does broadcast_shapes agree with np.broadcast_shapes on mutually broadcastable shapes?"""
    assert ns["broadcast_shapes"](*drawn.input_shapes) == np.broadcast_shapes(*drawn.input_shapes)


@given(shapes(max_dims=3, min_side=2, max_side=4), shapes(max_dims=3, min_side=2, max_side=4))
def test_broadcast_shapes_rejects_what_numpy_rejects(ns, a, b):
    """Does broadcast_shapes raise ValueError exactly when NumPy refuses the pair?"""
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        with pytest.raises(ValueError, match="axis"):
            ns["broadcast_shapes"](a, b)
    else:
        assert ns["broadcast_shapes"](a, b) == expected


@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_side=0), st.data())
def test_broadcast_to_is_a_read_only_zero_copy_view(ns, drawn, data):
    """Is broadcast_to's result equal to NumPy's, read-only, and sharing memory with the input?"""
    source_shape, target = drawn.input_shapes[0], drawn.result_shape
    a = data.draw(float_arrays(source_shape))
    got = ns["broadcast_to"](a, target)
    np.testing.assert_array_equal(got, np.broadcast_to(a, target))
    assert not got.flags.writeable
    if a.size and got.size:
        assert np.shares_memory(got, a)


@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_side=1, max_side=4), st.data())
def test_elementwise_op_matches_numpy(ns, drawn, data):
    """Does elementwise_op give NumPy's broadcast result for add and multiply?"""
    a = data.draw(float_arrays(drawn.input_shapes[0]))
    b = data.draw(float_arrays(drawn.input_shapes[1]))
    for ufunc in (np.add, np.multiply):
        np.testing.assert_allclose(ns["elementwise_op"](a, b, ufunc), ufunc(a, b))


@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_side=1, max_side=4), st.data())
def test_sum_to_shape_is_the_adjoint_of_broadcasting(ns, drawn, data):
    """Is <broadcast(x), g> equal to <x, sum_to_shape(g)> for every x, as a gradient must be?"""
    shape, target = drawn.input_shapes[0], drawn.result_shape
    g = data.draw(float_arrays(target, bound=10))
    reduced = ns["sum_to_shape"](g, shape)
    assert reduced.shape == shape
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = rng.standard_normal(shape)
        np.testing.assert_allclose(np.sum(np.broadcast_to(x, target) * g), np.sum(x * reduced), rtol=1e-9, atol=1e-6)


@settings(max_examples=15)
@given(n=st.integers(1, 2), c=st.integers(1, 3), f=st.integers(1, 3), h=st.integers(3, 8), w=st.integers(3, 8),
       kh=st.integers(1, 3), kw=st.integers(1, 3), stride=st.integers(1, 3), padding=st.integers(0, 2),
       bias=st.booleans())
def test_conv2d_matches_torch(ns, n, c, f, h, w, kh, kw, stride, padding, bias):
    """Does conv2d (through im2col) match torch.nn.functional.conv2d to 1e-5?"""
    import torch
    import torch.nn.functional as F

    assume(h + 2 * padding >= kh and w + 2 * padding >= kw)
    rng = np.random.default_rng(n * 1000 + c * 100 + h * 10 + w)
    x = rng.standard_normal((n, c, h, w))
    weight = rng.standard_normal((f, c, kh, kw))
    b = rng.standard_normal(f) if bias else None
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(weight), None if b is None else torch.from_numpy(b),
                        stride=stride, padding=padding).numpy()
    np.testing.assert_allclose(ns["conv2d"](x, weight, b, stride=stride, padding=padding), expected,
                               rtol=1e-5, atol=1e-5)


@given(hnp.arrays(np.float64, shapes(min_dims=1, max_dims=4, max_side=5),
                  elements=st.sampled_from([0.0, 0.0, 0.0, 1.5, -2.0, 3.0])), st.data())
def test_sparse_tensor_agrees_with_dense(ns, dense, data):
    """Do round trip, add, multiply_elementwise and reshape agree with the same dense operations?"""
    sparse_cls = ns["SparseTensor"]
    s = sparse_cls.from_dense(dense)
    np.testing.assert_array_equal(s.to_dense(), dense)
    assert s.nnz == np.count_nonzero(dense)
    assert s.memory_usage() == s.values.nbytes + s.indices.nbytes
    other = dense[..., ::-1].copy()
    np.testing.assert_array_equal(s.add(sparse_cls.from_dense(other)).to_dense(), dense + other)
    np.testing.assert_array_equal(s.multiply_elementwise(sparse_cls.from_dense(other)).to_dense(), dense * other)
    flat = s.reshape(-1)
    np.testing.assert_array_equal(flat.to_dense(), dense.reshape(-1))


@given(st.lists(st.tuples(st.booleans(), st.integers(1, 300), st.sampled_from([1, 8, 64, 256])), max_size=60),
       st.integers(0, 10**6))
def test_memory_pool_keeps_its_invariants(ns, ops, seed):
    """Under any trace: aligned, non-overlapping blocks, consistent counts, and a full merge at the end?"""
    pool = ns["MemoryPool"](4096)
    live = {}
    rng = np.random.default_rng(seed)
    for is_free, nbytes, alignment in ops:
        if is_free and live:
            offset = int(rng.choice(sorted(live)))
            pool.free(offset)
            del live[offset]
            continue
        try:
            offset = pool.allocate(nbytes, alignment)
        except MemoryError:
            continue
        assert offset % alignment == 0 and offset + nbytes <= 4096
        for other, size in live.items():
            assert offset + nbytes <= other or other + size <= offset, "blocks overlap"
        live[offset] = nbytes
        assert pool.used_bytes == sum(live.values())
        assert pool.free_bytes == 4096 - pool.used_bytes
        assert 0.0 <= pool.fragmentation() <= 1.0
    moves = pool.defragment()
    assert sorted(moves) == sorted(live)
    for offset in list(moves.values()):
        pool.free(offset)
    assert pool.largest_free_block == 4096 and pool.fragmentation() == 0.0


@given(shapes(min_dims=1, max_dims=4, min_side=1, max_side=5).flatmap(
    lambda s: st.tuples(st.just(s), hnp.basic_indices(s, allow_ellipsis=False, allow_newaxis=False))))
def test_tensor_indexing_is_numpy_indexing(ns, drawn):
    """Does Tensor[key] give NumPy's values, as a view of the same buffer, for any int/slice key?"""
    shape, key = drawn
    key = key if isinstance(key, tuple) else (key,)
    buffer = np.arange(math.prod(shape), dtype=np.float64)
    got = ns["Tensor"](buffer, shape)[key]
    expected = buffer.reshape(shape)[key]
    np.testing.assert_array_equal(got.numpy(), expected)
    assert got.buffer is buffer


@given(shapes(min_dims=1, max_dims=4, min_side=1, max_side=4), st.data())
def test_tensor_reshape_and_transpose_match_numpy(ns, shape, data):
    """Do transpose and reshape match NumPy, with reshape a view exactly when the tensor is contiguous?"""
    tensor_cls = ns["Tensor"]
    a = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    axes = data.draw(st.permutations(range(len(shape))))
    t = tensor_cls(a).transpose(*axes)
    np.testing.assert_array_equal(t.numpy(), a.transpose(axes))
    assert t.is_contiguous() == a.transpose(axes).flags.c_contiguous
    r = t.reshape(-1)
    np.testing.assert_array_equal(r.numpy(), a.transpose(axes).reshape(-1))
    assert (r.buffer is t.buffer) == t.is_contiguous()


def test_sparsity_is_correctly_rounded(ns):
    """Is sparsity (size - nnz) / size exactly, so 3 nonzeros in 3 x 3 give 2/3 and not 1 - 1/3?"""
    assert ns["SparseTensor"].from_dense(np.eye(3)).sparsity() == 2 / 3


# Which grade cell each memory-pool mutant must fail, and no other: one bug costs points once.
POOL_MUTANT_CELLS = {
    "pool_best_fit": {"tensors_memory_pool_allocate"},
    "pool_ignores_alignment": {"tensors_memory_pool_allocate"},
    "pool_never_merges": {"tensors_memory_pool_free"},
    "pool_no_double_free_check": {"tensors_memory_pool_free"},
    "pool_fragmentation_inverted": {"tensors_memory_pool_free"},
    "pool_defragment_keeps_free_list": {"tensors_memory_pool_defragment"},
}


@pytest.mark.parametrize("mutant", sorted(POOL_MUTANT_CELLS))
def test_a_memory_pool_bug_costs_points_in_one_cell(mutant):
    """Does each memory-pool bug fail the cell of the method it breaks, and only that one?"""
    from conftest import ROOT

    from utils.instructor import harness

    text = (ROOT / "tests" / "mutants" / "02_tensors" / f"{mutant}.py").read_text(encoding="utf-8")
    code = harness.replacement_source("02_tensors", "tensors_memory_pool", text)
    failed = set(harness.failures("02_tensors", "tensors_memory_pool", code))
    assert failed == POOL_MUTANT_CELLS[mutant]
