"""A deterministic tracer for numba.cuda kernels, used by chapter 03's grade cells.

``trace_kernel`` runs a kernel's Python code with the threads of each block taking turns in a fixed
order, each up to its next ``cuda.syncthreads()`` or its end. So a missing barrier gives the same
wrong answer on every run (unlike the simulator, whose threads race), shared memory starts as NaN
so a slot nobody wrote shows up, an out-of-bounds index stops the kernel with the thread's
coordinates, and every thread's global-memory reads are counted. Because one schedule hides what
another would show, the tracer also fails a launch on two kinds of undefined behaviour that a GPU
would not report: a *race* on global memory (two threads of the launch write one address, or one
writes and another reads it, without an atomic and without a barrier of their block between the
two accesses) and a *barrier not reached by every thread* of a block. It needs no GPU and works
the same whether numba targets a real GPU or the simulator.

Importing this module imports numba: import it after the course set-up cell made the GPU choice.
"""

from __future__ import annotations

import contextlib
import math
import sys
import threading
from collections import Counter, namedtuple

import numba
import numpy as np
from numba import cuda

from .testing import quiet

#: Side of the shared-memory tiles in chapter 03 (the notebook's ``TILE``).
DEFAULT_TILE = 16


Dim3 = namedtuple("Dim3", "x y z")


def _dim3(d) -> Dim3:
    d = (d,) if np.isscalar(d) else tuple(d)
    return Dim3(*(tuple(int(v) for v in d) + (1, 1, 1))[:3])


def _np_dtype(dtype) -> np.dtype:
    if isinstance(dtype, numba.core.types.Type):
        return numba.np.numpy_support.as_dtype(dtype)
    return np.dtype(dtype)


class KernelError(AssertionError):
    """Undefined behaviour found by the tracer: a race on global memory or a divergent barrier."""


class _Abort(BaseException):
    """Stops a traced thread after another thread of its block failed."""


class TracedArray:
    """A global array seen by a traced kernel: bounds-checked, reads counted per thread."""

    def __init__(self, data, name, trace):
        self.data, self.name, self._trace = data, name, trace
        self.shape, self.ndim, self.size, self.dtype = data.shape, data.ndim, data.size, data.dtype

    def __len__(self):
        return len(self.data)

    def _check(self, index):
        idx = index if isinstance(index, tuple) else (index,)
        if len(idx) != self.ndim or not all(isinstance(i, (int, np.integer)) for i in idx):
            raise IndexError(f"{self.name}[{index!r}]: index a {self.ndim}-d array with {self.ndim} integers")
        if not all(0 <= i < s for i, s in zip(idx, self.shape)):
            t = threading.current_thread()
            raise IndexError(
                f"thread {tuple(t.threadIdx)} of block {tuple(t.blockIdx)} indexed "
                f"{self.name}[{', '.join(str(int(i)) for i in idx)}], outside shape {self.shape}"
            )
        return idx

    def __getitem__(self, index):
        idx = self._check(index)
        self._trace.reads[threading.current_thread().key] += 1
        self._trace.access(self.name, idx, "read")
        return self.data[idx]

    def __setitem__(self, index, value):
        idx = self._check(index)
        self._trace.access(self.name, idx, "write")
        self.data[idx] = value


class _Thread(threading.Thread):
    def __init__(self, fn, args, block_idx, thread_idx):
        super().__init__(daemon=True)
        self.fn, self.args, self.blockIdx, self.threadIdx = fn, args, block_idx, thread_idx
        self.key = (tuple(block_idx), tuple(thread_idx))
        self.go, self.paused = threading.Event(), threading.Event()
        self.done, self.abort, self.error = False, False, None

    def run(self):
        self.go.wait()
        self.go.clear()
        try:
            if not self.abort:
                self.fn(*self.args)
        except _Abort:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the scheduler, which raises it
            self.error = exc
        self.done = True
        self.paused.set()

    def barrier(self):
        self.paused.set()
        self.go.wait()
        self.go.clear()
        if self.abort:
            raise _Abort()


class _Shared:
    def __init__(self, trace):
        self._trace, self._arrays = trace, {}

    def array(self, shape, dtype):
        dtype = _np_dtype(dtype)
        caller = sys._getframe(1)
        site = (caller.f_code, caller.f_lineno)
        if site not in self._arrays:  # one array per call site and block, as on the hardware
            fill = np.nan if dtype.kind in "fc" else 123456789 if dtype.kind in "iu" else 0
            self._arrays[site] = np.full(shape, fill, dtype=dtype)
            self._trace.shared_sites.add(site)
        return self._arrays[site]


class _Local:
    def array(self, shape, dtype):
        return np.zeros(shape, dtype=_np_dtype(dtype))


class _Atomic:
    def __init__(self, trace):
        self._trace = trace

    def _update(self, ary, index, func):
        if isinstance(ary, TracedArray):
            idx = ary._check(index)
            self._trace.access(ary.name, idx, "atomic")
            data = ary.data
        else:  # shared or local memory: no race bookkeeping
            idx, data = index, ary
        old = data[idx]
        data[idx] = func(old)
        return old

    def add(self, ary, index, value):
        return self._update(ary, index, lambda old: old + value)

    def sub(self, ary, index, value):
        return self._update(ary, index, lambda old: old - value)

    def max(self, ary, index, value):
        return self._update(ary, index, lambda old: max(old, value))

    def min(self, ary, index, value):
        return self._update(ary, index, lambda old: min(old, value))


class _TracedCuda:
    """What the name `cuda` means inside a traced kernel."""

    warpsize = 32

    def __init__(self, trace, grid_dim, block_dim):
        self.gridDim, self.blockDim, self._trace = grid_dim, block_dim, trace
        self.shared, self.local, self.atomic = _Shared(trace), _Local(), _Atomic(trace)

    threadIdx = property(lambda self: threading.current_thread().threadIdx)
    blockIdx = property(lambda self: threading.current_thread().blockIdx)

    def grid(self, ndim):
        t = threading.current_thread()
        g = [b * d + i for b, d, i in zip(t.blockIdx, self.blockDim, t.threadIdx)][:ndim]
        return g[0] if ndim == 1 else tuple(g)

    def gridsize(self, ndim):
        g = [b * d for b, d in zip(self.gridDim, self.blockDim)][:ndim]
        return g[0] if ndim == 1 else tuple(g)

    def syncthreads(self):
        t = threading.current_thread()
        self._trace.syncs[t.key] += 1
        t.barrier()

    def syncwarp(self, mask=0xFFFFFFFF):
        pass

    def threadfence(self):
        pass

    threadfence_block = threadfence


_VERB = {"read": "read", "write": "written", "atomic": "updated atomically"}


class Trace:
    """What one traced launch did, thread by thread."""

    def __init__(self):
        self.reads = Counter()  # global-memory reads, per (blockIdx, threadIdx)
        self.syncs = Counter()  # cuda.syncthreads() calls, per (blockIdx, threadIdx)
        self.threads = []  # every (blockIdx, threadIdx) launched
        self.shared_sites = set()  # distinct cuda.shared.array calls
        self._accesses = {}  # (array name, index) -> [(block, thread, barrier epoch, kind)]

    def access(self, name, idx, kind) -> None:
        """Record one global-memory access of the running thread; raise KernelError on a race.

        Two accesses of one address conflict when they come from different threads, at least one
        is a plain write, they are not both atomic, and no barrier of a block orders them (the
        threads are in different blocks, or in the same block between the same two barriers).
        """
        t = threading.current_thread()
        block, thread = tuple(t.blockIdx), tuple(t.threadIdx)
        epoch = self.syncs[t.key]
        key = (name, tuple(int(i) for i in idx))
        seen = self._accesses.setdefault(key, [])
        for other_block, other_thread, other_epoch, other_kind in seen:
            if (other_block, other_thread) == (block, thread):
                continue
            if "write" not in (kind, other_kind):
                continue
            if other_block == block and other_epoch != epoch:
                continue  # a barrier of their block lies between the two accesses
            where = f"{name}[{', '.join(str(i) for i in key[1])}]"
            raise KernelError(
                f"race on global memory: {where} is {_VERB[other_kind]} by thread {other_thread} of block "
                f"{other_block} and {_VERB[kind]} by thread {thread} of block {block}, with no atomic "
                f"and no barrier between them (use cuda.atomic, or give each thread its own address)"
            )
        seen.append((block, thread, epoch, kind))

    def max_reads(self) -> int:
        return max(self.reads.values(), default=0)

    def syncs_per_thread(self) -> set:
        return {self.syncs[key] for key in self.threads}


def trace_kernel(kernel, grid, block, *args, order="forward", timeout_s=30.0) -> Trace:
    """Run ``kernel[grid, block](*args)`` in Python, deterministically; NumPy arguments change in place.

    Blocks run one after another; inside a block the threads run one at a time (``order``:
    ``"forward"`` or ``"reverse"`` thread index), each up to its next ``cuda.syncthreads()``.

    Raises:
        IndexError: a thread indexed a global array outside its shape (the thread is named).
        KernelError: a race on global memory, or a barrier that not every thread of a block reached.
    """
    fn = getattr(kernel, "py_func", kernel)
    grid_dim, block_dim = _dim3(grid), _dim3(block)
    trace = Trace()
    names = fn.__code__.co_varnames[: fn.__code__.co_argcount]
    targs = [TracedArray(a, n, trace) if isinstance(a, np.ndarray) else a for a, n in zip(args, names)]
    saved = {k: v for k, v in fn.__globals__.items() if v is cuda}
    try:
        for b in np.ndindex(*reversed(grid_dim)):
            fn.__globals__.update(dict.fromkeys(saved, _TracedCuda(trace, grid_dim, block_dim)))
            block_idx = Dim3(*reversed(b))
            threads = [_Thread(fn, targs, block_idx, Dim3(*reversed(t))) for t in np.ndindex(*reversed(block_dim))]
            trace.threads += [t.key for t in threads]
            if order == "reverse":
                threads.reverse()
            for t in threads:
                t.start()
            try:
                while not all(t.done for t in threads):
                    for t in [t for t in threads if not t.done]:
                        t.paused.clear()
                        t.go.set()
                        if not t.paused.wait(timeout_s):
                            raise TimeoutError(f"thread {tuple(t.threadIdx)} ran over {timeout_s} s")
                        if t.error is not None:
                            raise t.error
                counts = {trace.syncs[t.key]: t for t in threads}
                if len(counts) > 1:
                    fewest, most = min(counts), max(counts)
                    raise KernelError(
                        f"block {tuple(block_idx)}: thread {tuple(counts[fewest].threadIdx)} reached "
                        f"cuda.syncthreads() {fewest} times, thread {tuple(counts[most].threadIdx)} {most} "
                        "times; every thread of a block must reach every barrier (do not return early "
                        "or call syncthreads inside a branch that only some threads take)"
                    )
            finally:
                for t in threads:
                    t.abort = True
                    t.go.set()
    finally:
        fn.__globals__.update(saved)
    return trace


class _TracedLauncher:
    def __init__(self, kernel, launches):
        self._kernel, self._launches = kernel, launches

    def __getitem__(self, config):
        grid, block = config[0], config[1]

        def launch(*args):
            self._launches.append((_dim3(grid), _dim3(block)))
            host = [a.copy_to_host() if hasattr(a, "copy_to_host") else a for a in args]
            trace_kernel(self._kernel, grid, block, *host)
            for a, h in zip(args, host):
                if hasattr(a, "copy_to_device"):
                    a.copy_to_device(h)

        return launch


@contextlib.contextmanager
def traced_launches(namespace, *names):
    """Inside the block, ``name[grid, block](...)`` for each kernel ``name`` runs through the tracer.

    Yields the list of launches made, as ``(grid, block)`` pairs of ``Dim3``.
    """
    launches = []
    saved = {name: namespace[name] for name in names}
    namespace.update({name: _TracedLauncher(k, launches) for name, k in saved.items()})
    try:
        yield launches
    finally:
        namespace.update(saved)


def check_matmul_kernel(kernel, m, k, n, seed=0, order="forward", block=DEFAULT_TILE) -> Trace:
    """Trace ``kernel`` on random (m, k) and (k, n) float64 matrices; assert ``C == A @ B``.

    The grid is square and covers C whichever grid axis the kernel uses for rows.
    """
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    C = np.full((m, n), np.nan)
    side = math.ceil(max(m, n) / block)
    try:
        with quiet():
            trace = trace_kernel(kernel, (side, side), (block, block), A, B, C, order=order)
    except IndexError as exc:
        raise AssertionError(f"({m}, {k}) @ ({k}, {n}): a thread went out of bounds: {exc}") from None
    np.testing.assert_allclose(C, A @ B, rtol=1e-10, atol=1e-10,
                               err_msg=f"{getattr(kernel, 'py_func', kernel).__name__}: ({m}, {k}) @ ({k}, {n}), {order} order")
    return trace
