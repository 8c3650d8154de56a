"""The CUDA tracer's memory counts, on kernels small enough to work out by hand.

A warp is 32 consecutive threads of a block (x fastest). A warp-level global access touches a set
of 32-byte sectors; a warp-level shared access takes as many passes through the 32 four-byte banks
as the largest number of distinct words it needs from one bank. The kernels are plain Python
functions that use the name ``cuda``; the tracer stands in for it, so nothing is compiled.
"""

from __future__ import annotations

import numpy as np
import pytest

from utils import gpu

gpu.configure()  # the GPU choice comes before numba is imported

from numba import cuda  # noqa: E402

from utils.cudatrace import KernelError, trace_kernel  # noqa: E402

pytestmark = pytest.mark.ch03

FULL = 0xFFFFFFFF


def copy_rows(a, out):
    x, y = cuda.grid(2)
    out[y, x] = a[y, x]


def copy_columns(a, out):  # thread x walks down column x: neighbours in a warp are a row apart
    x, y = cuda.grid(2)
    out[x, y] = a[x, y]


def test_a_coalesced_float32_copy_takes_four_sectors_per_warp_access():
    """Do 32 lanes reading 32 neighbouring float32 values (128 bytes) touch 4 sectors, loads and stores alike?"""
    a = np.arange(64 * 64, dtype=np.float32).reshape(64, 64)
    out = np.zeros_like(a)
    trace = trace_kernel(copy_rows, (2, 1), (32, 4), a, out)
    np.testing.assert_array_equal(out[:4], a[:4])
    assert trace.global_requests["a", "load"] == 8  # two blocks of four warps, one load each
    assert trace.sectors_per_request("a", "load") == 4
    assert trace.sectors_per_request("out", "store") == 4
    assert trace.global_transactions == 2 * 8 * 4


def test_a_float64_copy_takes_eight_sectors_per_warp_access():
    """Does a warp of float64 values (256 bytes) touch 8 sectors?"""
    a = np.ones((32, 32))
    trace = trace_kernel(copy_rows, 1, (32, 1), a, np.zeros_like(a))
    assert trace.sectors_per_request("a", "load") == 8


def test_walking_down_columns_takes_one_sector_per_lane():
    """Do 32 lanes reading one float32 from each of 32 rows of 64 floats touch 32 sectors?"""
    a = np.arange(64 * 64, dtype=np.float32).reshape(64, 64)
    out = np.zeros_like(a)
    trace = trace_kernel(copy_columns, 1, (32, 2), a, out)
    np.testing.assert_array_equal(out[:32, :2], a[:32, :2])
    assert trace.sectors_per_request("a", "load") == 32
    assert trace.sectors_per_request("out", "store") == 32


def test_a_misaligned_row_of_32_floats_takes_five_sectors():
    """Does a row of 32 float32 values that starts mid-sector (rows of 36 floats) touch 5 sectors?"""
    a = np.zeros((2, 36), dtype=np.float32)
    trace = trace_kernel(copy_rows, 1, (32, 2), a, np.zeros_like(a))
    assert trace.global_requests["a", "load"] == 2
    assert trace.global_sectors["a", "load"] == 4 + 5  # row 0 starts aligned, row 1 at byte 144


def test_two_reads_on_one_line_are_two_warp_accesses():
    """Are a[...] and b[...] on the same line counted as separate warp accesses?"""
    def add(a, b, out):
        i = cuda.grid(1)
        out[i] = a[i] + b[i]

    a = np.ones(32, dtype=np.float32)
    trace = trace_kernel(add, 1, 32, a, a.copy(), np.zeros_like(a))
    assert trace.global_requests["a", "load"] == trace.global_requests["b", "load"] == 1
    assert trace.global_sectors["a", "load"] == trace.global_sectors["b", "load"] == 4


def shared_rows_then_columns(a, out):
    tile = cuda.shared.array((32, 32), dtype=np.float32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    tile[ty, tx] = a[ty, tx]  # a warp writes one row of the tile: 32 banks, one word each
    cuda.syncthreads()
    out[ty, tx] = tile[tx, ty]  # a warp reads one column: 32 words, all in bank ty


def shared_padded(a, out):
    tile = cuda.shared.array((32, 33), dtype=np.float32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    tile[ty, tx] = a[ty, tx]
    cuda.syncthreads()
    out[ty, tx] = tile[tx, ty]  # word 33 * tx + ty: bank (tx + ty) % 32, all different


def test_reading_a_column_of_a_32_wide_tile_is_a_32_way_conflict():
    """Does a warp reading down a 32 x 32 float32 tile take 32 passes, while writing a row takes 1?"""
    a = np.arange(32 * 32, dtype=np.float32).reshape(32, 32)
    out = np.zeros_like(a)
    trace = trace_kernel(shared_rows_then_columns, 1, (32, 32), a, out)
    np.testing.assert_array_equal(out, a.T)
    (name,) = {name for name, _ in trace.shared_requests}
    assert trace.shared_requests[name, "store"] == trace.shared_requests[name, "load"] == 32
    assert trace.shared_wavefronts[name, "store"] == 32  # one pass per warp
    assert trace.shared_wavefronts[name, "load"] == 32 * 32
    assert trace.bank_conflicts == 32 * 31
    assert trace.max_conflict_degree == 32


def test_one_column_of_padding_removes_the_conflicts():
    """Does a 32 x 33 tile spread a column over all 32 banks, so no access conflicts?"""
    a = np.arange(32 * 32, dtype=np.float32).reshape(32, 32)
    out = np.zeros_like(a)
    trace = trace_kernel(shared_padded, 1, (32, 32), a, out)
    np.testing.assert_array_equal(out, a.T)
    assert trace.bank_conflicts == 0
    assert trace.max_conflict_degree == 1


def test_lanes_reading_one_word_share_it():
    """Is a word read by every lane of a warp a broadcast (one pass), not a conflict?"""
    def broadcast(out):
        s = cuda.shared.array(32, dtype=np.float32)
        s[cuda.threadIdx.x] = cuda.threadIdx.x
        cuda.syncthreads()
        out[cuda.threadIdx.x] = s[0] + s[cuda.threadIdx.x % 2 * 32 // 2]  # words 0 and 16: two banks

    trace = trace_kernel(broadcast, 1, 32, np.zeros(32))
    assert trace.bank_conflicts == 0


def test_float64_rows_need_two_passes_but_no_conflict():
    """Does a warp of float64 values (64 words) take 2 passes, the fewest possible, so no conflict?"""
    def rows64(out):
        s = cuda.shared.array(32, dtype=np.float64)
        s[cuda.threadIdx.x] = 1.0
        cuda.syncthreads()
        out[cuda.threadIdx.x] = s[cuda.threadIdx.x]

    trace = trace_kernel(rows64, 1, 32, np.zeros(32))
    assert trace.max_conflict_degree == 2
    assert trace.bank_conflicts == 0


def test_a_stride_of_two_words_is_a_two_way_conflict():
    """Do lanes reading every other float32 word (32 words in 16 banks) take 2 passes, one more than needed?"""
    def strided(out):
        s = cuda.shared.array(64, dtype=np.float32)
        t = cuda.threadIdx.x
        s[t] = 1.0
        s[t + 32] = 1.0
        cuda.syncthreads()
        out[t] = s[2 * t % 64]  # words 0, 2, ..., 62: 32 words, 16 banks, 2 each

    trace = trace_kernel(strided, 1, 32, np.zeros(32))
    assert trace.max_conflict_degree == 2
    assert trace.bank_conflicts == 1



def test_a_read_through_an_inner_function_is_keyed_on_its_call_site_in_the_kernel():
    """Do calls of one inner function from two places of the kernel stay two warp accesses?

    Each lane first calls ``read`` a different number of times from one place (a broadcast of word
    0), then reads its column from another: the column reads of the 32 lanes are one warp access,
    a 32-way conflict, whatever the throw-away calls before them.
    """
    def column_through_helper(a, out):
        tile = cuda.shared.array((32, 32), dtype=np.float32)
        tx, ty = cuda.threadIdx.x, cuda.threadIdx.y

        def read(i, j):
            return tile[i, j]

        tile[ty, tx] = a[ty, tx]
        cuda.syncthreads()
        for _ in range(tx):
            read(0, 0)
        out[ty, tx] = read(tx, ty)

    a = np.arange(32 * 32, dtype=np.float32).reshape(32, 32)
    out = np.zeros_like(a)
    trace = trace_kernel(column_through_helper, 1, (32, 32), a, out)
    np.testing.assert_array_equal(out, a.T)
    assert trace.max_conflict_degree == 32
    assert trace.bank_conflicts == 32 * 31  # the column reads; the throw-away reads are broadcasts


def test_the_most_sectors_of_one_warp_access_is_kept():
    """Does max_sectors_per_request report a column store that repeated row stores dilute in the mean?"""
    def diluted(a, out):
        x, y = cuda.grid(2)
        v = a[y, x]
        for _ in range(15 if x < 2 else 1):
            out[x, y] = v  # down a column: 32 sectors the first time, then 2 for lanes 0 and 1

    a = np.ones((32, 32), dtype=np.float32)
    trace = trace_kernel(diluted, 1, (32, 1), a, np.zeros_like(a))
    assert trace.sectors_per_request("out", "store") == (32 + 14 * 2) / 15
    assert trace.max_sectors_per_request("out", "store") == 32
    assert trace.max_sectors_per_request("a", "load") == 4


def test_atomics_and_shared_stores_are_counted_per_thread():
    """Are cuda.atomic calls and stores to shared memory counted per thread, and summed per block?"""
    def atomic_sum(x, out):
        s = cuda.shared.array(64, dtype=np.float64)
        t = cuda.threadIdx.x
        s[t] = x[cuda.grid(1)]
        if t == 0:
            s[32] = 0.0
        cuda.atomic.add(out, 0, x[cuda.grid(1)])

    x = np.arange(64, dtype=np.float64)
    out = np.zeros(1)
    trace = trace_kernel(atomic_sum, 2, 32, x, out)
    assert out[0] == x.sum()
    assert sum(trace.atomics.values()) == 64 and set(trace.atomics.values()) == {1}
    assert trace.per_block(trace.shared_stores) == {(0, 0, 0): 33, (1, 0, 0): 33}
    assert trace.max_reads() == 2


def warp_sum(x, out):
    v = x[cuda.grid(1)]
    offset = 16
    while offset > 0:
        v += cuda.shfl_down_sync(FULL, v, offset)
        offset //= 2
    if cuda.laneid == 0:
        out[cuda.grid(1) // 32] = v


@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_a_shuffle_reduction_sums_each_warp(order):
    """Does shfl_down_sync hand each lane the value of lane + offset, in either thread order?"""
    x = np.arange(96, dtype=np.int64) ** 2
    out = np.zeros(3, dtype=np.int64)
    trace = trace_kernel(warp_sum, 1, 96, x, out, order=order)
    assert out.tolist() == [int(x[i:i + 32].sum()) for i in (0, 32, 64)]
    assert set(trace.shuffles.values()) == {5}


def test_every_shuffle_kind_reads_the_right_lane():
    """Do shfl_sync, shfl_up_sync and shfl_xor_sync read lane s, lane - d and lane ^ m?"""
    def kinds(out):
        lane = cuda.laneid
        out[0, lane] = cuda.shfl_sync(FULL, lane * 10, 3)
        out[1, lane] = cuda.shfl_up_sync(FULL, lane * 10, 2)
        out[2, lane] = cuda.shfl_xor_sync(FULL, lane * 10, 1)
        out[3, lane] = cuda.shfl_down_sync(FULL, lane * 10, 30)

    out = np.zeros((4, 32), dtype=np.int64)
    trace_kernel(kinds, 1, 32, out)
    lanes = np.arange(32)
    assert out[0].tolist() == [30] * 32
    assert out[1].tolist() == (10 * np.where(lanes >= 2, lanes - 2, lanes)).tolist()
    assert out[2].tolist() == (10 * (lanes ^ 1)).tolist()
    assert out[3].tolist() == (10 * np.where(lanes + 30 < 32, lanes + 30, lanes)).tolist()


def test_a_shuffle_some_lanes_of_the_mask_skip_is_reported():
    """Is a full-mask shuffle that only half the warp reaches a KernelError naming a missing lane?"""
    def half(x, out):
        i = cuda.grid(1)
        v = x[i]
        if cuda.laneid < 16:
            v += cuda.shfl_down_sync(FULL, v, 8)
        out[i] = v

    with pytest.raises(KernelError, match="lane 16 has finished"):
        trace_kernel(half, 1, 32, np.ones(32), np.zeros(32))


def test_a_mask_without_the_callers_lane_is_reported():
    """Is a shuffle whose mask leaves out the calling lane a KernelError?"""
    def wrong_mask(x, out):
        i = cuda.grid(1)
        out[i] = cuda.shfl_down_sync(0xFFFF, x[i], 1)

    with pytest.raises(KernelError, match="does not name its own lane"):
        trace_kernel(wrong_mask, 1, 32, np.ones(32), np.zeros(32))


def test_a_shuffle_within_half_warps_works_with_half_masks():
    """Do two half-warps shuffle apart when each names only its own 16 lanes?"""
    def halves(x, out):
        i = cuda.grid(1)
        mask = 0xFFFF if cuda.laneid < 16 else 0xFFFF0000
        out[i] = cuda.shfl_xor_sync(mask, x[i], 8)

    x = np.arange(32.0)
    out = np.zeros(32)
    trace_kernel(halves, 1, 32, x, out)
    assert out.tolist() == (np.arange(32) ^ 8).astype(float).tolist()


def test_threads_at_a_barrier_wait_for_a_warp_still_shuffling():
    """Does a warp that shuffles before syncthreads finish its shuffles before any thread passes the barrier?"""
    def two_phase(x, out):
        s = cuda.shared.array(2, dtype=np.float64)
        t = cuda.threadIdx.x
        v = x[t]
        if t < 32:  # only warp 0 reduces, in five rounds
            offset = 16
            while offset > 0:
                v += cuda.shfl_down_sync(FULL, v, offset)
                offset //= 2
            if t == 0:
                s[0] = v
        cuda.syncthreads()
        out[t] = s[0]

    x = np.arange(64.0)
    out = np.zeros(64)
    for order in ("forward", "reverse"):
        trace_kernel(two_phase, 1, 64, x, out, order=order)
        assert out.tolist() == [x[:32].sum()] * 64, order


def test_a_shuffle_while_others_of_the_mask_wait_at_a_barrier_is_reported():
    """Is a shuffle that some lanes of its mask never reach, because they wait at syncthreads, reported?"""
    def deadlock(x, out):
        i = cuda.grid(1)
        v = x[i]
        if cuda.laneid == 0:
            cuda.syncthreads()
        else:
            v = cuda.shfl_down_sync(FULL, v, 1)
            cuda.syncthreads()
        out[i] = v

    with pytest.raises(KernelError, match="lane 0 waits at cuda.syncthreads"):
        trace_kernel(deadlock, 1, 32, np.ones(32), np.zeros(32))


def test_a_kernel_cannot_reach_around_the_counted_array():
    """Does indexing the NumPy array behind a traced one (``out.data``) fail, rather than go uncounted?"""
    def raw(a, out):
        i = cuda.grid(1)
        out.data[i] = a[i]

    a = np.ones(32, dtype=np.float32)
    with pytest.raises(AttributeError):
        trace_kernel(raw, 1, 32, a, np.zeros_like(a))
