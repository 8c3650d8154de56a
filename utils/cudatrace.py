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

Memory behaviour is counted per *warp*: the 32 consecutive threads of a block in linear thread
order (x fastest, then y, then z). The hardware issues one load or store instruction for the whole
warp; the tracer runs the lanes one after another, so it puts back together the accesses that one
warp instruction makes: the k-th time each lane of a warp executes a given indexing operation (a
code location: the code object and bytecode offset of every frame from the operation up to the
kernel, so two reads on one line stay apart, and so do calls of one inner function made from two
places of the kernel) belongs to one warp-level access. From those groups it counts

- global memory: the distinct 32-byte *sectors* each warp-level load or store touches (arrays are
  taken to start 256-byte aligned, as ``cudaMalloc`` returns them). 32 lanes reading neighbouring
  float32 values touch 4 sectors; reading down a column of a wide matrix, 32.
- shared memory: 32 banks of 4-byte words (word ``w`` sits in bank ``w % 32``). A warp access
  takes as many *wavefronts* as the largest number of distinct words it needs from one bank; lanes
  reading the same word share it (broadcast). ``bank_conflicts`` adds up the wavefronts beyond the
  fewest the access could take (``ceil(distinct words / 32)``).

Lanes that take different branches are still grouped by how many times each executed the
operation, which is what the hardware does when the branches re-converge; that is exact for the
kernels of chapter 03, whose lanes run the same code.

Warp shuffles (``cuda.shfl_sync``, ``shfl_up_sync``, ``shfl_down_sync``, ``shfl_xor_sync``),
which Numba's simulator lacks, run here as a warp-level barrier: each lane stops at the shuffle,
and when every lane named in the mask has reached the same shuffle, each gets its source lane's
value. A lane of the mask that does not arrive (it waits at ``syncthreads`` or has finished), a
lane that calls with a mask without its own bit, and a read from a lane that does not take part are
reported as ``KernelError``.

Importing this module imports numba: import it after the course set-up cell made the GPU choice.
"""

from __future__ import annotations

import bisect
import contextlib
import dis
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
WARP_SIZE = 32  # threads per warp
SECTOR_BYTES = 32  # the unit of a global-memory transaction
BANKS = 32  # shared-memory banks, each 4 bytes wide
BANK_BYTES = 4


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


class _TracedBuffer:
    """What global and shared arrays seen by a traced kernel share: the bounds check and the
    byte range an element occupies."""

    _label = "array"  # how the error messages name this kind of array

    def __init__(self, data, name, trace):
        self._data, self.name, self._trace = data, name, trace
        self.shape, self.ndim, self.size, self.dtype = data.shape, data.ndim, data.size, data.dtype

    def __len__(self):
        return len(self._data)

    def _check(self, index):
        idx = index if isinstance(index, tuple) else (index,)
        if len(idx) != self.ndim or not all(isinstance(i, (int, np.integer)) for i in idx):
            raise IndexError(f"{self.name}[{index!r}]: index a {self.ndim}-d {self._label} with {self.ndim} integers")
        if not all(0 <= i < s for i, s in zip(idx, self.shape)):
            t = threading.current_thread()
            named = "" if self._label == "array" else self._label + " "
            raise IndexError(
                f"thread {tuple(t.threadIdx)} of block {tuple(t.blockIdx)} indexed {named}"
                f"{self.name}[{', '.join(str(int(i)) for i in idx)}], outside shape {self.shape}"
            )
        return idx

    def _bytes(self, idx):
        start = sum(int(i) * abs(s) for i, s in zip(idx, self._data.strides))
        return start, start + self._data.itemsize


class TracedArray(_TracedBuffer):
    """A global array seen by a traced kernel: bounds-checked, reads counted per thread.

    The NumPy array behind it is kept private (``_data``): a kernel indexes the array itself, so
    that every access is counted, as it would be on the GPU, where arrays have no ``data``.
    """

    def __getitem__(self, index):
        idx = self._check(index)
        self._trace.reads[threading.current_thread().key] += 1
        self._trace.access(self.name, idx, "read")
        self._trace.warp_access("global", self.name, "load", *self._bytes(idx))
        return self._data[idx]

    def __setitem__(self, index, value):
        idx = self._check(index)
        self._trace.access(self.name, idx, "write")
        self._trace.warp_access("global", self.name, "store", *self._bytes(idx))
        self._data[idx] = value


class SharedArray(_TracedBuffer):
    """A ``cuda.shared.array`` seen by a traced kernel: bounds-checked, bank use counted per warp."""

    _label = "shared array"

    def __getitem__(self, index):
        idx = self._check(index)
        self._trace.warp_access("shared", self.name, "load", *self._bytes(idx))
        return self._data[idx]

    def __setitem__(self, index, value):
        idx = self._check(index)
        self._trace.shared_stores[threading.current_thread().key] += 1
        self._trace.warp_access("shared", self.name, "store", *self._bytes(idx))
        self._data[idx] = value


class _Thread(threading.Thread):
    def __init__(self, fn, args, block_idx, thread_idx, block_dim):
        super().__init__(daemon=True)
        self.fn, self.args, self.blockIdx, self.threadIdx = fn, args, block_idx, thread_idx
        self.key = (tuple(block_idx), tuple(thread_idx))
        linear = thread_idx.x + block_dim.x * (thread_idx.y + block_dim.y * thread_idx.z)
        self.warp, self.lane = divmod(linear, WARP_SIZE)
        self.occurrences = Counter()  # how often this thread ran each memory-indexing site
        self.go, self.paused = threading.Event(), threading.Event()
        self.done, self.abort, self.error = False, False, None
        self.waiting = None  # None (runs), "sync" (at syncthreads) or "shuffle"
        self.shuffle = None  # (site, occurrence, mask, value, source lane) while at a shuffle

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

    def barrier(self, waiting="sync"):
        self.waiting = waiting
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
            name = f"shared array of line {caller.f_lineno}"
            self._arrays[site] = SharedArray(np.full(shape, fill, dtype=dtype), name, self._trace)
            self._trace.shared_sites.add(site)
        return self._arrays[site]


class _Local:
    def array(self, shape, dtype):
        return np.zeros(shape, dtype=_np_dtype(dtype))


class _Atomic:
    def __init__(self, trace):
        self._trace = trace

    def _update(self, ary, index, func):
        self._trace.atomics[threading.current_thread().key] += 1
        if isinstance(ary, TracedArray):
            idx = ary._check(index)
            self._trace.access(ary.name, idx, "atomic")
            data = ary._data
        elif isinstance(ary, SharedArray):  # shared memory: no race bookkeeping
            idx, data = ary._check(index), ary._data
        else:  # local memory
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

    laneid = property(lambda self: threading.current_thread().lane)

    def _shuffle(self, mask, value, source):
        t = threading.current_thread()
        site = self._trace.site(sys._getframe(2))
        t.occurrences[site] += 1
        t.shuffle = (site, t.occurrences[site], int(mask) & 0xFFFFFFFF, value, int(source))
        self._trace.shuffles[t.key] += 1
        t.barrier("shuffle")
        return t.shuffle_result

    def shfl_sync(self, mask, value, src_lane):
        """``value`` of lane ``src_lane`` (taken modulo 32)."""
        return self._shuffle(mask, value, int(src_lane) % WARP_SIZE)

    def shfl_up_sync(self, mask, value, delta):
        """``value`` of lane ``laneid - delta``, or the caller's own below lane 0."""
        lane = threading.current_thread().lane
        return self._shuffle(mask, value, lane - delta if lane - delta >= 0 else lane)

    def shfl_down_sync(self, mask, value, delta):
        """``value`` of lane ``laneid + delta``, or the caller's own past lane 31."""
        lane = threading.current_thread().lane
        return self._shuffle(mask, value, lane + delta if lane + delta < WARP_SIZE else lane)

    def shfl_xor_sync(self, mask, value, lane_mask):
        """``value`` of lane ``laneid ^ lane_mask``, or the caller's own past lane 31."""
        lane = threading.current_thread().lane
        other = lane ^ int(lane_mask)
        return self._shuffle(mask, value, other if other < WARP_SIZE else lane)

    def syncwarp(self, mask=0xFFFFFFFF):
        pass

    def threadfence(self):
        pass

    threadfence_block = threadfence


_VERB = {"read": "read", "write": "written", "atomic": "updated atomically"}


_STARTS = {}  # code object -> sorted offsets of its instructions


def _site(frame) -> tuple:
    """A code location: the kernel's code object and the bytecode offset of the operation.

    ``f_lasti`` can point into an instruction's inline cache once the interpreter has specialized
    it, so the offset is rounded down to the start of the instruction.
    """
    code = frame.f_code
    starts = _STARTS.get(code)
    if starts is None:
        starts = _STARTS[code] = [ins.offset for ins in dis.get_instructions(code)]
    return (code, starts[bisect.bisect_right(starts, frame.f_lasti) - 1])


class Trace:
    """What one traced launch did, thread by thread and warp by warp.

    Per thread, keyed by ``(blockIdx, threadIdx)``: ``reads`` (global-memory reads), ``syncs``
    (``cuda.syncthreads()`` calls), ``shuffles`` (warp shuffles), ``atomics`` (``cuda.atomic``
    calls), ``shared_stores`` (stores to shared memory). Per warp-level access, summed over the
    launch and keyed by ``(array name, "load" or "store")``: ``global_requests`` (warp
    instructions), ``global_sectors`` (32-byte sectors they touched), ``global_max_sectors`` (the
    most of any one of them), ``shared_requests`` and
    ``shared_wavefronts`` (bank passes they took). ``global_transactions`` and ``bank_conflicts``
    are the launch totals; see the module docstring for how accesses are grouped into warps.
    """

    def __init__(self):
        self.reads = Counter()  # global-memory reads, per (blockIdx, threadIdx)
        self.syncs = Counter()  # cuda.syncthreads() calls, per (blockIdx, threadIdx)
        self.shuffles = Counter()  # warp shuffles, per (blockIdx, threadIdx)
        self.atomics = Counter()  # cuda.atomic operations, per (blockIdx, threadIdx)
        self.shared_stores = Counter()  # elements stored to shared memory, per (blockIdx, threadIdx)
        self.kernel_code = None  # the traced kernel's code object: where a site's frame chain stops
        self.threads = []  # every (blockIdx, threadIdx) launched
        self.shared_sites = set()  # distinct cuda.shared.array calls
        self.global_requests = Counter()  # (array, "load"/"store") -> warp-level accesses
        self.global_sectors = Counter()  # (array, "load"/"store") -> 32-byte sectors touched
        self.global_max_sectors = Counter()  # (array, "load"/"store") -> most sectors of one warp access
        self.shared_requests = Counter()  # (shared array, "load"/"store") -> warp-level accesses
        self.shared_wavefronts = Counter()  # (shared array, "load"/"store") -> passes through the banks
        self.shared_ideal = Counter()  # the fewest passes the same accesses could take
        self.max_conflict_degree = 0  # the largest number of distinct words one access took from one bank
        self._accesses = {}  # (array name, index) -> [(block, thread, barrier epoch, kind)]
        self._warp = {}  # (space, block, warp, site, occurrence) -> (array, kind, set of units)

    def warp_access(self, space, name, kind, start, stop) -> None:
        """Add bytes ``[start, stop)`` of one array, accessed by the running thread, to its warp's access.

        ``space`` is ``"global"`` (counted in 32-byte sectors) or ``"shared"`` (4-byte words).
        """
        t = threading.current_thread()
        site = self.site(sys._getframe(2))
        t.occurrences[site] += 1
        unit = SECTOR_BYTES if space == "global" else BANK_BYTES
        key = (space, tuple(t.blockIdx), t.warp, site, t.occurrences[site])
        units = self._warp.setdefault(key, (name, kind, set()))[2]
        units.update(range(start // unit, (stop - 1) // unit + 1))

    def site(self, frame) -> tuple:
        """The code location of an operation: ``_site`` of each frame from ``frame`` up to the kernel's.

        Keying on the whole chain keeps apart the calls of one inner function made from different
        places of the kernel, which a GPU compiles (inlines) as different instructions.
        """
        chain = []
        while frame is not None:
            chain.append(_site(frame))
            if frame.f_code is self.kernel_code or self.kernel_code is None:
                break
            frame = frame.f_back
        return tuple(chain)

    def _finish(self) -> None:
        """Turn the recorded warp accesses into the per-array counts."""
        for (space, *_), (name, kind, units) in self._warp.items():
            if space == "global":
                self.global_requests[name, kind] += 1
                self.global_sectors[name, kind] += len(units)
                self.global_max_sectors[name, kind] = max(self.global_max_sectors[name, kind], len(units))
                continue
            degree = max(Counter(w % BANKS for w in units).values())
            self.shared_requests[name, kind] += 1
            self.shared_wavefronts[name, kind] += degree
            self.shared_ideal[name, kind] += -(-len(units) // BANKS)
            self.max_conflict_degree = max(self.max_conflict_degree, degree)
        self._warp.clear()

    @property
    def global_transactions(self) -> int:
        """32-byte sectors moved by all warp-level loads and stores of global memory."""
        return sum(self.global_sectors.values())

    @property
    def bank_conflicts(self) -> int:
        """Passes through the shared-memory banks beyond the fewest the accesses needed."""
        return sum(self.shared_wavefronts.values()) - sum(self.shared_ideal.values())

    def sectors_per_request(self, name: str, kind: str = "load") -> float:
        """Mean 32-byte sectors per warp-level ``kind`` ("load" or "store") of global array ``name``."""
        requests = self.global_requests[name, kind]
        if requests == 0:
            raise KeyError(f"no warp {kind}s of global array {name!r} were traced")
        return self.global_sectors[name, kind] / requests

    def max_sectors_per_request(self, name: str, kind: str = "load") -> int:
        """The most 32-byte sectors that one warp-level ``kind`` of global array ``name`` touched."""
        if self.global_requests[name, kind] == 0:
            raise KeyError(f"no warp {kind}s of global array {name!r} were traced")
        return self.global_max_sectors[name, kind]

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

    def per_block(self, counts: Counter) -> Counter:
        """A per-thread counter (``reads``, ``shared_stores``, ...) summed over each block's threads."""
        total = Counter()
        for block, thread in self.threads:
            total[block] += counts[block, thread]
        return total


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
    trace.kernel_code = fn.__code__
    names = fn.__code__.co_varnames[: fn.__code__.co_argcount]
    targs = [TracedArray(a, n, trace) if isinstance(a, np.ndarray) else a for a, n in zip(args, names)]
    saved = {k: v for k, v in fn.__globals__.items() if v is cuda}
    try:
        for b in np.ndindex(*reversed(grid_dim)):
            fn.__globals__.update(dict.fromkeys(saved, _TracedCuda(trace, grid_dim, block_dim)))
            block_idx = Dim3(*reversed(b))
            threads = [_Thread(fn, targs, block_idx, Dim3(*reversed(t)), block_dim)
                       for t in np.ndindex(*reversed(block_dim))]
            trace.threads += [t.key for t in threads]
            if order == "reverse":
                threads.reverse()
            for t in threads:
                t.start()
            try:
                while not all(t.done for t in threads):
                    # A thread at syncthreads waits until every unfinished thread of the block is
                    # there; a thread at a shuffle waits until its warp's shuffle is resolved.
                    runnable = [t for t in threads if not t.done and t.waiting is None]
                    if not runnable:
                        runnable = [t for t in threads if not t.done]
                    for t in runnable:
                        t.waiting = None
                        t.paused.clear()
                        t.go.set()
                        if not t.paused.wait(timeout_s):
                            raise TimeoutError(f"thread {tuple(t.threadIdx)} ran over {timeout_s} s")
                        if t.error is not None:
                            raise t.error
                    _resolve_shuffles(threads, block_idx)
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
    trace._finish()
    return trace


def _resolve_shuffles(threads, block_idx) -> None:
    """Hand every lane waiting at a shuffle its source lane's value, or raise KernelError."""
    waiting = [t for t in threads if t.waiting == "shuffle"]
    if not waiting:
        return
    lanes = {(t.warp, t.lane): t for t in threads}
    where = f"block {tuple(block_idx)}"
    for t in waiting:
        mask = t.shuffle[2]
        if not mask >> t.lane & 1:
            raise KernelError(f"{where}: lane {t.lane} of warp {t.warp} calls a shuffle with mask "
                              f"{mask:#010x}, which does not name its own lane")
    for t in waiting:
        site, occurrence, mask, _, source = t.shuffle
        for lane in range(WARP_SIZE):
            other = lanes.get((t.warp, lane))
            if not mask >> lane & 1 or other is None:
                continue
            if other.waiting != "shuffle" or other.shuffle[:3] != (site, occurrence, mask):
                state = ("has finished" if other.done else "waits at cuda.syncthreads()" if other.waiting == "sync"
                         else "waits at another shuffle")
                raise KernelError(
                    f"{where}: lane {t.lane} of warp {t.warp} waits at a shuffle with mask {mask:#010x}, "
                    f"but lane {lane} {state}; every lane named in the mask must reach the same shuffle"
                )
        src = lanes.get((t.warp, source))
        if src is None or not mask >> source & 1:
            raise KernelError(f"{where}: lane {t.lane} of warp {t.warp} reads lane {source} in a shuffle, "
                              f"which does not take part (mask {mask:#010x})")
        t.shuffle_result = src.shuffle[3]
    for t in waiting:
        t.waiting = None


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


def check_transpose_kernel(kernel, m, n, rows_per_block, dtype=np.float32, seed=0, order="forward",
                           block=(WARP_SIZE, 8)) -> Trace:
    """Trace ``kernel`` on a random (m, n) matrix ``a`` and an (n, m) ``out``; assert ``out == a.T``.

    Blocks of ``block`` threads; each block covers ``block[0]`` columns and ``rows_per_block`` rows
    of ``a`` (``block[1]`` for one element per thread, more when each thread copies several).
    """
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, n)).astype(dtype)
    out = np.full((n, m), np.nan, dtype=dtype)
    grid = (math.ceil(n / block[0]), math.ceil(m / rows_per_block))
    name = getattr(kernel, "py_func", kernel).__name__
    try:
        with quiet():
            trace = trace_kernel(kernel, grid, block, a, out, order=order)
    except IndexError as exc:
        raise AssertionError(f"{name}: a ({m}, {n}) matrix: a thread went out of bounds: {exc}") from None
    wrong = [tuple(int(i) for i in w) for w in np.argwhere(out != a.T)]
    assert not wrong, (
        f"{name}: a ({m}, {n}) {np.dtype(dtype).name} matrix, {order} thread order: out[{wrong[0][0]}, "
        f"{wrong[0][1]}] is {out[wrong[0]]}, expected a[{wrong[0][1]}, {wrong[0][0]}] = {a.T[wrong[0]]} "
        f"({len(wrong)} of {out.size} elements wrong)"
    )
    return trace
