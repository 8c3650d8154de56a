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
# # Chapter 04: Memory profiling
#
# Large models usually fail on memory before they fail on speed: the step that would take a
# second never starts, because it asks for more memory than the device has. This chapter is about
# measuring that memory honestly, predicting it from the shapes of a network, and cutting it.
#
# You will:
#
# - tell apart the numbers that all get called "memory use" (process RSS, the Python heap,
#   PyTorch's own allocator on CPU and GPU) and learn which one to trust for what;
# - list what a training step keeps alive, and predict the activation part from the shapes;
# - measure one training step with the profiler's memory events and read its timeline;
# - trade time for memory with gradient checkpointing, lower precision, smaller micro-batches and
#   inference mode, and measure what each one costs;
# - find a memory leak with `tracemalloc` snapshots.
#
# Everything runs on a CPU. Where a CUDA GPU is present, the same code measures GPU memory too.
# One megabyte (MB) is 10**6 bytes throughout. Numbers quoted in the text are printed by the cell
# next to them, on your machine; a few that cannot be are labelled with the machine they came from.
#
# **What costs points.** Each grade cell gives all its points or none. It gives none when it
# raises: a check that fails (a wrong value, a missing key, a peak or a time outside the window its
# paragraph "What the tests check" states) or an exception from your code, `NotImplementedError`
# of an untouched exercise included. Warnings your own code raises cost nothing: the set-up cell
# prints them as ordinary output. Nothing is forbidden during a graded call in this chapter, but
# some grade cells stand in for parts of the machine: they replace `get_memory_usage` with
# scripted readings, or put a layer that pauses a known time in front of your model's head, so
# call the methods the text names rather than reading the counters a second way. Hidden tests
# draw fresh sizes, so an answer that fits only the visible cases loses points.

# %% nbgrader={"grade": false, "grade_id": "memory_setup_imports", "locked": true, "schema_version": 3, "solution": false}
import contextlib
import math
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from typing import Any

# The profiler's back end prints start/stop notices straight to standard error unless told not
# to; the setting is read once, at the first profiled call, so it goes here.
os.environ.setdefault("KINETO_LOG_LEVEL", "6")

import numpy as np
import psutil
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.profiler import record_function
from torch.utils.checkpoint import checkpoint

from utils.plotting import new_figure
from utils.profiling import (
    BYTES_PER_MB,
    memory_events,
    native_stderr_silenced,
    peak_bytes,
    saved_tensor_bytes,
    tensor_bytes,
)
from utils.testing import assert_raises, quiet

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
_ = torch.manual_seed(0)

# %% [markdown]
# ## 1. What "memory use" means
#
# Four different counters answer "how much memory does my program use?", and they disagree:
#
# | counter | what it counts | how to read it |
# | --- | --- | --- |
# | process RSS | every page of RAM the process touches: code, libraries, Python objects, tensors, allocator caches | `psutil.Process().memory_info().rss` |
# | Python heap | objects allocated through Python's allocator (and NumPy arrays) | `tracemalloc` |
# | PyTorch CPU tensors | the bytes of live tensors | profiler memory events (`torch.profiler`, `profile_memory=True`) |
# | PyTorch CUDA tensors | the bytes of live GPU tensors | `torch.cuda.memory_allocated()`, `max_memory_allocated()` |
#
# **RSS is a noisy proxy.** Freed memory is often kept by the allocator for reuse, so RSS does not
# drop, and a warmed-up step that allocates the same tensors again reads as 0 MB of growth; a
# freed block can be handed back and RSS drops by more than you freed; the first call of a
# feature loads code and fills caches that no tensor accounts for. The cell below runs a first
# checkpointed step and prints how much RSS grew next to the tensor memory the step held: the gap
# is code and caches, and how large it is depends on what this process has already loaded.
# Good for "is the process about to be killed", bad for "how much does this layer need".
#
# **`tracemalloc` does not see tensors.** PyTorch allocates tensor storage with its own C++
# allocator, which never goes through Python's. Use it for Python objects, not for tensors.
#
# **PyTorch's own counts are exact, up to rounding.** On a GPU the caching allocator keeps
# counters: `memory_allocated()` is the bytes of the blocks held by live tensors,
# `max_memory_allocated()` its high-water mark, and `memory_reserved()` what the cache holds from
# the driver (larger; freed tensors stay reserved for reuse). Each block is rounded up to a
# multiple of 512 bytes, so a one-element tensor counts as 512 bytes and a large tensor as its own
# size to within 512 bytes (the cell below shows it when a GPU is present). On a CPU there is no
# such counter, but the profiler reports every tensor allocation and free as an event, with the
# tensor's size in bytes. Their running total is the live tensor memory at each moment, and it
# comes out the same on every run. `utils.profiling.memory_events(fn)` returns those events
# for one call; `utils.profiling.peak_bytes(fn)` returns the maximum of the running total.
#
# The cell below allocates a 10 MB tensor, frees it and allocates another, reading each counter.

# %%
def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / BYTES_PER_MB


def _two_allocations() -> torch.Tensor:
    first = torch.ones(2_500_000)  # 10 MB of float32
    del first
    return torch.ones(2_500_000)


_rss_before_mb = _rss_mb()
tracemalloc.start()
_kept = _two_allocations()
_traced_bytes, _traced_peak_bytes = tracemalloc.get_traced_memory()
tracemalloc.stop()
_rss_after_mb = _rss_mb()
_, _events = memory_events(_two_allocations)
print(f"profiler events: {[e.nbytes / BYTES_PER_MB for e in _events]} MB, "
      f"peak {peak_bytes(_two_allocations) / BYTES_PER_MB:.1f} MB")
print(f"tracemalloc: peak {_traced_peak_bytes / 1e3:.1f} kB (the tensors' Python wrappers, not their data)")
print(f"RSS change: {_rss_after_mb - _rss_before_mb:+.1f} MB for 10 MB kept (run the cell again: it changes)")
del _kept

_small = nn.Sequential(nn.Linear(512, 512), nn.GELU())
_small_x = torch.randn(256, 512)
_rss_before_mb = _rss_mb()
checkpoint(_small, _small_x, use_reentrant=False).sum().backward()  # the first checkpointed step
_first_step_rss_mb = _rss_mb() - _rss_before_mb
_small.zero_grad(set_to_none=True)
_step_tensors_mb = peak_bytes(lambda: checkpoint(_small, _small_x, use_reentrant=False).sum().backward()) / BYTES_PER_MB
print(f"first checkpointed step: RSS {_first_step_rss_mb:+.1f} MB, its tensors peak at {_step_tensors_mb:.1f} MB")
if torch.cuda.is_available():
    _cuda_before_b = torch.cuda.memory_allocated()
    _one = torch.ones(1, device="cuda")
    print(f"CUDA: a one-element float32 tensor (4 B) raises memory_allocated() by "
          f"{torch.cuda.memory_allocated() - _cuda_before_b} B")
    del _one
del _small, _small_x


# %% [markdown]
# ## 2. A memory profiler you can sprinkle through a program
#
# Before any clever tool, the simplest useful thing: read the counters at named points, keep a
# log, keep the peak. On a GPU the honest reading is `torch.cuda.memory_allocated()`; on a CPU
# the only cheap whole-process reading is RSS, noisy as it is.
#
# **Exercise 1.** Write `MemoryProfiler`.
#
# - `device`: `"cuda"` when a GPU is available, else `"cpu"`, unless given.
# - `get_memory_usage()` returns `{"cpu_memory": RSS in MB}` and, on CUDA, also
#   `"gpu_memory"`: `torch.cuda.memory_allocated()` in MB.
# - `log_memory(name)` appends `{"operation": name, **self.get_memory_usage()}` to `memory_log`
#   and raises `peak_memory` to the reading if it is higher (the GPU reading on CUDA, the CPU
#   reading on CPU). Call `self.get_memory_usage()`; the tests replace it with scripted readings.
# - `get_peak_memory()` returns `peak_memory`; `reset()` empties the log and sets the peak to 0.
# - `track(name)` is a context manager that logs before the block and after it, even when the
#   block raises.

# %% nbgrader={"grade": false, "grade_id": "memory_profiler", "locked": false, "schema_version": 3, "solution": true}
class MemoryProfiler:
    """Log memory readings at named points of a program and keep the highest one.

    Attributes:
        device: ``"cuda"`` or ``"cpu"``.
        memory_log: one dict per ``log_memory`` call, in order.
        peak_memory: the highest device reading (MB) logged since creation or the last reset.
    """

    def __init__(self, device: str | None = None) -> None:
        """Start with an empty log and a peak of 0.

        Args:
            device: ``"cpu"``, ``"cuda"``, or ``None`` for ``"cuda"`` when available, else ``"cpu"``.

        Raises:
            ValueError: ``device`` is not ``"cpu"`` or ``"cuda"``, or is ``"cuda"`` without a GPU.
        """
        # about 8 lines
        ### BEGIN SOLUTION
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if device not in ("cpu", "cuda"):
            raise ValueError(f"device {device!r}: expected 'cpu', 'cuda' or None")
        if device == "cuda" and not torch.cuda.is_available():
            raise ValueError("device 'cuda' was asked for but torch.cuda.is_available() is False")
        self.device = device
        self.memory_log: list[dict[str, Any]] = []
        self.peak_memory = 0.0
        ### END SOLUTION

    def get_memory_usage(self) -> dict[str, float]:
        """Current readings in MB: ``cpu_memory`` (process RSS) and, on CUDA, ``gpu_memory``."""
        # about 4 lines
        ### BEGIN SOLUTION
        usage = {"cpu_memory": psutil.Process().memory_info().rss / BYTES_PER_MB}
        if self.device == "cuda":
            usage["gpu_memory"] = torch.cuda.memory_allocated() / BYTES_PER_MB
        return usage
        ### END SOLUTION

    def log_memory(self, operation_name: str) -> None:
        """Append ``{"operation": operation_name, **self.get_memory_usage()}``; update the peak.

        Raises:
            TypeError: ``operation_name`` is not a string.
        """
        # about 6 lines
        ### BEGIN SOLUTION
        if not isinstance(operation_name, str):
            raise TypeError(f"operation_name must be a string, got {operation_name!r}")
        entry = {"operation": operation_name, **self.get_memory_usage()}
        self.memory_log.append(entry)
        key = "gpu_memory" if self.device == "cuda" else "cpu_memory"
        self.peak_memory = max(self.peak_memory, entry[key])
        ### END SOLUTION

    def reset(self) -> None:
        """Empty the log and set the peak back to 0."""
        # about 2 lines
        ### BEGIN SOLUTION
        self.memory_log = []
        self.peak_memory = 0.0
        ### END SOLUTION

    def get_peak_memory(self) -> float:
        """The highest device reading (MB) logged since creation or the last reset."""
        # about 1 line
        ### BEGIN SOLUTION
        return self.peak_memory
        ### END SOLUTION

    @contextlib.contextmanager
    def track(self, name: str) -> Iterator[None]:
        """Log ``name`` before the ``with`` block and after it, even if the block raises."""
        # about 5 lines
        ### BEGIN SOLUTION
        self.log_memory(f"{name}: before")
        try:
            yield
        finally:
            self.log_memory(f"{name}: after")
        ### END SOLUTION


# %% [markdown]
# **What the tests check.** The default device; that `get_memory_usage` reads RSS in MB of 10**6
# bytes (within 1% of `psutil`'s own readings just before and after the call, tight enough to tell
# MB from MiB) and reports `gpu_memory` exactly when the device is CUDA; that `log_memory` and
# `track` append the right entries, `track` also when its block raises; then, with
# `get_memory_usage` replaced by scripted readings, that the peak is the highest reading (the GPU
# reading when `device` is `"cuda"`, which the tests set by hand) and that `reset` starts over.
# Errors: an unknown device, and a name that is not a string.

# %% nbgrader={"grade": true, "grade_id": "memory_profiler_log", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""MemoryProfiler: default device, readings in MB, log entries and track()."""
_prof = MemoryProfiler()
assert _prof.device == DEVICE, f"default device should be {DEVICE!r}, got {_prof.device!r}"
assert _prof.memory_log == [], f"a new profiler should have an empty log, got {_prof.memory_log!r}"
_rss_before_mb = psutil.Process().memory_info().rss / BYTES_PER_MB
_usage = _prof.get_memory_usage()
_rss_after_mb = psutil.Process().memory_info().rss / BYTES_PER_MB
assert isinstance(_usage, dict) and "cpu_memory" in _usage, f"expected a dict with 'cpu_memory', got {_usage!r}"
assert ("gpu_memory" in _usage) == (DEVICE == "cuda"), f"'gpu_memory' belongs in the readings only on CUDA: {_usage!r}"
# 1% either side of the RSS read just before and just after: MiB (2**20 bytes) would read 4.6% low.
assert 0.99 * min(_rss_before_mb, _rss_after_mb) <= _usage["cpu_memory"] <= 1.01 * max(_rss_before_mb, _rss_after_mb), (
    f"cpu_memory should be the process RSS in MB of 10**6 bytes (about {_rss_after_mb:.1f}), got {_usage['cpu_memory']!r}"
)
_prof.log_memory("load")
assert len(_prof.memory_log) == 1 and _prof.memory_log[0]["operation"] == "load", (
    f"log_memory('load') should append one entry with operation 'load', log is {_prof.memory_log!r}"
)
assert "cpu_memory" in _prof.memory_log[0], f"a log entry should hold the readings, got {_prof.memory_log[0]!r}"
with _prof.track("step"):
    _inside = len(_prof.memory_log)
assert _inside == 2 and len(_prof.memory_log) == 3, (
    f"track should log once before the block and once after; log lengths {_inside} inside, {len(_prof.memory_log)} after"
)
assert all("step" in e["operation"] for e in _prof.memory_log[1:]), "track's entries should mention the name"
try:
    with _prof.track("boom"):
        raise KeyError("inside the block")
except KeyError:
    pass
assert len(_prof.memory_log) == 5 and "boom" in _prof.memory_log[-1]["operation"], (
    "track should still log after the block when the block raises"
)

# %% nbgrader={"grade": true, "grade_id": "memory_profiler_peak", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""MemoryProfiler: the peak follows the highest reading and reset() starts over."""


def _scripted(profiler, readings):
    values = iter(readings)
    profiler.get_memory_usage = lambda: {"cpu_memory": float(next(values))}


_prof = MemoryProfiler(device="cpu")
_scripted(_prof, [120.0, 300.0, 150.0])
for _name in ("a", "b", "c"):
    _prof.log_memory(_name)
assert [e["cpu_memory"] for e in _prof.memory_log] == [120.0, 300.0, 150.0], f"log holds {_prof.memory_log!r}"
assert _prof.get_peak_memory() == 300.0, f"readings 120, 300, 150: peak should be 300, got {_prof.get_peak_memory()!r}"
_prof.reset()
assert _prof.memory_log == [] and _prof.get_peak_memory() == 0, "reset should empty the log and set the peak to 0"
_scripted(_prof, [50.0, 40.0])
_prof.log_memory("d")
_prof.log_memory("e")
assert _prof.get_peak_memory() == 50.0, f"after reset, readings 50, 40: peak should be 50, got {_prof.get_peak_memory()!r}"
# On CUDA the peak follows the GPU reading. No GPU is needed: the device is set by hand and the
# readings are scripted.
_prof = MemoryProfiler(device="cpu")
_prof.device = "cuda"
_gpu_readings = iter([{"cpu_memory": 900.0, "gpu_memory": 12.0}, {"cpu_memory": 700.0, "gpu_memory": 30.0},
                      {"cpu_memory": 950.0, "gpu_memory": 20.0}])
_prof.get_memory_usage = lambda: dict(next(_gpu_readings))
for _name in ("a", "b", "c"):
    _prof.log_memory(_name)
assert _prof.get_peak_memory() == 30.0, (
    f"on CUDA, GPU readings 12, 30, 20 (CPU 900, 700, 950): the peak should be 30, got {_prof.get_peak_memory()!r}"
)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(404)
for _ in range(3):
    _values = [float(v) for v in _rng.uniform(10, 5000, size=int(_rng.integers(2, 9))).round(2)]
    _prof = MemoryProfiler(device="cpu")
    _scripted(_prof, _values)
    for _i in range(len(_values)):
        _prof.log_memory(f"op{_i}")
    assert _prof.get_peak_memory() == max(_values), f"readings {_values}: peak {_prof.get_peak_memory()!r}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "memory_profiler_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""MemoryProfiler: bad devices and bad names raise clear errors."""
assert_raises(ValueError, MemoryProfiler, "tpu")
assert_raises(ValueError, MemoryProfiler, device="gpu")
if not torch.cuda.is_available():
    assert_raises(ValueError, MemoryProfiler, device="cuda")
_ = assert_raises(TypeError, MemoryProfiler(device="cpu").log_memory, 42)

# %% [markdown]
# ## 3. What a training step keeps alive
#
# During one step of training a model with `P` parameters in float32, memory holds:
#
# - **parameters**: `4P` bytes, there before the step and after it;
# - **gradients**: `4P` bytes, created by the backward pass (one `.grad` per parameter);
# - **optimizer state**: SGD with momentum keeps `4P`, Adam keeps `8P` (two running averages);
# - **activations saved for backward**: whatever the forward pass stores so that backward can
#   compute gradients. This is the only part that grows with the batch size.
#
# What does a layer save? `y = x @ W.T + b` needs `x` to compute the gradient of `W`, so
# `nn.Linear` saves its input. `ReLU` saves its output (the gradient passes where the output is
# positive). So in a plain MLP, Linear then ReLU then Linear, the tensor the ReLU saves *is* the
# input the next Linear saves: one tensor, saved twice, stored once. The cell below lists what
# autograd saves, through `torch.autograd.graph.saved_tensors_hooks`, which calls a function of
# yours on every tensor saved for backward.

# %%
_tiny = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3))
_param_storages = {p.untyped_storage().data_ptr() for p in _tiny.parameters()}
_saved = []


def _note(t: torch.Tensor) -> torch.Tensor:
    kind = "parameter" if t.untyped_storage().data_ptr() in _param_storages else "activation"
    _saved.append(f"{tuple(t.shape)} {kind} storage ...{t.untyped_storage().data_ptr() % 10_000:04d}")
    return t


with torch.autograd.graph.saved_tensors_hooks(_note, lambda t: t):
    _out = _tiny(torch.randn(4, 6))
print("\n".join(_saved))

# %% [markdown]
# The input `(4, 6)` is saved by the first Linear; the ReLU's output `(4, 5)` appears twice with
# the same storage (saved by the ReLU and by the second Linear); the second Linear also saves its
# weight (a parameter, not an activation). The first Linear does not save its weight because its
# input does not need a gradient.
#
# So for an MLP with layer sizes `[n0, n1, ..., nL]` (Linear + ReLU between them, no ReLU after
# the last Linear), batch `B` and `s` bytes per element, the activations kept are the input and
# every hidden ReLU output:
#
# $$A = B \cdot (n_0 + n_1 + \dots + n_{L-1}) \cdot s.$$
#
# The last layer's output is not saved by the MLP (a loss may save it). Activation memory is
# linear in the batch, linear in the width, linear in the depth.
#
# **Exercise 2.** Write `estimate_activation_memory(batch_size, layer_sizes, dtype)`, the bytes
# of activations such an MLP keeps, from the shapes alone (no tensors). Bytes per element come
# from the dtype (`torch.empty((), dtype=dtype).element_size()`, or `dtype.itemsize`). Validate
# the arguments.

# %% nbgrader={"grade": false, "grade_id": "memory_estimate_activations", "locked": false, "schema_version": 3, "solution": true}
def estimate_activation_memory(batch_size: int, layer_sizes: Sequence[int], dtype: torch.dtype = torch.float32) -> int:
    """Bytes of activations a plain MLP saves for backward, from its shapes.

    The MLP is ``nn.Linear(layer_sizes[i], layer_sizes[i + 1])`` for each ``i``, with an
    ``nn.ReLU`` after every Linear but the last. The input does not require grad; parameters are
    not activations; a tensor saved by two layers counts once.

    Args:
        batch_size: rows in the input batch, a positive integer.
        layer_sizes: ``[input, hidden..., output]`` widths, at least two positive integers.
        dtype: a floating-point ``torch.dtype`` of the activations.

    Returns:
        The activation bytes, an ``int``.

    Raises:
        TypeError: ``batch_size`` or a layer size is not an integer, or ``dtype`` is not a
            floating-point ``torch.dtype``.
        ValueError: ``batch_size`` or a layer size is not positive, or fewer than two layer sizes.
    """
    # about 12 lines
    ### BEGIN SOLUTION
    def _check_positive_int(value: Any, what: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{what} must be an integer, got {value!r}")
        if value <= 0:
            raise ValueError(f"{what} must be positive, got {value}")

    _check_positive_int(batch_size, "batch_size")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs an input and an output size, got {sizes!r}")
    for size in sizes:
        _check_positive_int(size, "every layer size")
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise TypeError(f"dtype must be a floating-point torch.dtype, got {dtype!r}")
    bytes_per_element = torch.empty((), dtype=dtype).element_size()
    return int(batch_size) * int(sum(sizes[:-1])) * bytes_per_element
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Your estimate against the bytes actually saved by a real MLP's
# forward pass, measured with `saved_tensor_bytes` from `utils.profiling` (the hook above, counting
# each storage once and skipping parameters), for several batch sizes, depths and dtypes
# (float32, float64, bfloat16): they must be equal, to the byte, and an `int`. Hidden tests draw
# fresh shapes. Errors: a zero or fractional batch size, a single layer size, a negative width,
# a dtype that is not a floating-point `torch.dtype`.

# %% nbgrader={"grade": true, "grade_id": "memory_estimate_activations_exact", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""estimate_activation_memory equals the saved-tensor bytes of a real forward pass."""


def _measured_activation_bytes(batch, sizes, dtype, seed=0):
    torch.manual_seed(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    mlp = nn.Sequential(*layers).to(dtype)
    _, saved = saved_tensor_bytes(mlp, torch.randn(batch, sizes[0], dtype=dtype), exclude=list(mlp.parameters()))
    return saved


for _batch, _sizes, _dtype in [
    (32, [64, 128, 10], torch.float32),
    (7, [30, 50, 40, 20, 5], torch.float32),
    (16, [12, 6], torch.float64),
    (8, [24, 48, 48, 4], torch.bfloat16),
]:
    _got = estimate_activation_memory(_batch, _sizes, _dtype)
    _want = _measured_activation_bytes(_batch, _sizes, _dtype)
    assert isinstance(_got, int) and not isinstance(_got, bool), f"expected an int, got {type(_got).__name__}"
    assert _got == _want, f"batch {_batch}, sizes {_sizes}, {_dtype}: measured {_want} bytes, estimated {_got}"
assert estimate_activation_memory(4, [10, 20, 3]) == 4 * 30 * 4, "dtype should default to float32"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2024)
for _ in range(5):
    _batch = int(_rng.integers(1, 65))
    _sizes = [int(v) for v in _rng.integers(1, 97, size=int(_rng.integers(2, 7)))]
    _dtype = [torch.float32, torch.float64, torch.bfloat16][int(_rng.integers(0, 3))]
    _got = estimate_activation_memory(_batch, _sizes, _dtype)
    _want = _measured_activation_bytes(_batch, _sizes, _dtype, seed=int(_rng.integers(1000)))
    assert _got == _want, f"batch {_batch}, sizes {_sizes}, {_dtype}: measured {_want} bytes, estimated {_got}"
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "memory_estimate_activations_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""estimate_activation_memory rejects bad arguments."""
assert_raises(ValueError, estimate_activation_memory, 0, [4, 4])
assert_raises(TypeError, estimate_activation_memory, 2.5, [4, 4])
assert_raises(ValueError, estimate_activation_memory, 8, [4])
assert_raises(ValueError, estimate_activation_memory, 8, [4, -3, 2])
assert_raises(TypeError, estimate_activation_memory, 8, [4, 3.5, 2])
assert_raises(TypeError, estimate_activation_memory, 8, [4, 2], dtype="float32")
_ = assert_raises(TypeError, estimate_activation_memory, 8, [4, 2], dtype=torch.int64)

# %% [markdown]
# What that means for a concrete model: four Linear layers of 2000 x 2000 (16 million
# parameters), trained with Adam.

# %%
_sizes_4x2000 = [2000] * 5
_params_mb = sum(a * b + b for a, b in zip(_sizes_4x2000[:-1], _sizes_4x2000[1:])) * 4 / BYTES_PER_MB
print(f"parameters {_params_mb:.0f} MB, gradients {_params_mb:.0f} MB, Adam state {2 * _params_mb:.0f} MB: "
      f"{4 * _params_mb:.0f} MB in all")
for _batch in (256, 4096, 32768):
    print(f"batch {_batch:>6}: activations {estimate_activation_memory(_batch, _sizes_4x2000) / BYTES_PER_MB:7.0f} MB")

# %% [markdown]
# At batch 256 the activations (8 MB) are a rounding error next to the 256 MB of parameters,
# gradients and optimizer state; at batch 32768 they are about 1 GB and dominate. (These follow
# from the shapes alone, so they are the same on every machine.) Which regime you are
# in decides which trick can help.
#
# ## 4. Recomputation: gradient checkpointing
#
# Activations are kept because backward needs them. The alternative is to keep fewer and compute
# the missing ones again during backward. `torch.utils.checkpoint.checkpoint(fn, x,
# use_reentrant=False)` runs `fn` without saving anything inside it except its input `x`; when
# backward reaches it, it runs `fn(x)` again, this time saving, and backpropagates through it.
# Cost: about one extra forward pass. If backward costs about twice the forward, a step does four
# forward passes' worth of work instead of three, about a third more; section 7 measures what it
# costs on your machine. Saving: everything inside the checkpointed segment, except while that
# segment is being recomputed. Split `n` layers into segments of about `sqrt(n)` layers and the
# stored activations drop from `n` layers' worth to about `2 sqrt(n)`.
#
# Where you draw the segment boundaries matters more than it seems:
#
# - **Checkpointing one Linear + ReLU at a time saves nothing.** The segment keeps its input,
#   which is the previous ReLU's output, which was the only thing kept anyway.
# - **Segments of several layers save.** Only one input per segment is kept.
# - **Activations that save their input save more.** GELU and SiLU save their input (the Linear's
#   output) and the next Linear saves their output: two tensors per layer, so even a one-layer
#   segment halves what is kept. Dropout adds its mask.
#
# **Exercise 3.** Complete `LargeNeuralNetwork`. Each hidden block is Linear, GELU, Dropout; a
# final Linear maps to the outputs (built for you). Write `forward(x)`, the plain pass, and
# `forward_with_checkpointing(x)`, the same computation with each hidden block run through
# `checkpoint(block, x, use_reentrant=False)` (the final Linear runs normally). Non-reentrant
# checkpointing also works when `x` does not require a gradient, and it restores the random state
# so that dropout draws the same mask when it recomputes.

# %% nbgrader={"grade": false, "grade_id": "memory_network", "locked": false, "schema_version": 3, "solution": true}
class LargeNeuralNetwork(nn.Module):
    """An MLP of Linear-GELU-Dropout blocks and a final Linear, with an optional checkpointed pass.

    Args:
        input_size: features per input row.
        hidden_sizes: width of each hidden block.
        output_size: outputs per row.
        dropout: dropout probability after each hidden block's activation.
    """

    def __init__(
        self,
        input_size: int = 1000,
        hidden_sizes: Sequence[int] = (2000, 2000, 2000),
        output_size: int = 100,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        widths = [input_size, *hidden_sizes]
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(n_in, n_out), nn.GELU(), nn.Dropout(dropout))
            for n_in, n_out in zip(widths[:-1], widths[1:])
        )
        self.head = nn.Linear(widths[-1], output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The plain forward pass: every block, then the head."""
        # about 3 lines
        ### BEGIN SOLUTION
        for block in self.blocks:
            x = block(x)
        return self.head(x)
        ### END SOLUTION

    def forward_with_checkpointing(self, x: torch.Tensor) -> torch.Tensor:
        """The same computation, each hidden block checkpointed (non-reentrant)."""
        # about 3 lines
        ### BEGIN SOLUTION
        for block in self.blocks:
            x = checkpoint(block, x, use_reentrant=False)
        return self.head(x)
        ### END SOLUTION


# %% [markdown]
# **What the tests check.** Output shapes; in eval mode, `forward` and
# `forward_with_checkpointing` give the same outputs; in training mode, one backward pass through
# either gives the same gradients for every parameter, with dropout off and with dropout on (both
# passes start from the same random state, so a correct recomputation draws the masks the forward
# pass drew); and the checkpointed pass saves at most 75% of the activation bytes the plain pass
# saves (measured with `saved_tensor_bytes`, with and without dropout). Hidden tests use fresh sizes.

# %% nbgrader={"grade": true, "grade_id": "memory_network_same_results", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""LargeNeuralNetwork: both passes give the same outputs and the same gradients."""


def _check_same_results(sizes, batch, seed):
    torch.manual_seed(seed)
    model = LargeNeuralNetwork(sizes[0], sizes[1:-1], sizes[-1], dropout=0.0)
    x = torch.randn(batch, sizes[0])
    model.eval()
    plain = model(x)
    assert plain.shape == (batch, sizes[-1]), f"output shape {tuple(plain.shape)}, expected {(batch, sizes[-1])}"
    with quiet():
        ckpt = model.forward_with_checkpointing(x)
    torch.testing.assert_close(ckpt, plain, rtol=1e-5, atol=1e-6, msg="eval outputs of the two passes differ")
    model.train()
    model.zero_grad(set_to_none=True)
    model(x).sum().backward()
    want = [p.grad.clone() for p in model.parameters()]
    model.zero_grad(set_to_none=True)
    with quiet():
        model.forward_with_checkpointing(x).sum().backward()
    for (name, p), w in zip(model.named_parameters(), want):
        assert p.grad is not None, f"no gradient reached {name} through forward_with_checkpointing"
        torch.testing.assert_close(p.grad, w, rtol=1e-4, atol=1e-5, msg=f"gradient of {name} differs")


def _check_same_gradients_with_dropout(sizes, batch, seed, dropout=0.3):
    torch.manual_seed(seed)
    model = LargeNeuralNetwork(sizes[0], sizes[1:-1], sizes[-1], dropout=dropout).train()
    x = torch.randn(batch, sizes[0])
    grads = []
    for forward in (model.forward, model.forward_with_checkpointing):
        model.zero_grad(set_to_none=True)
        torch.manual_seed(seed + 1)  # the same random state, so the forward passes draw the same masks
        with quiet():
            forward(x).sum().backward()
        grads.append([None if p.grad is None else p.grad.clone() for p in model.parameters()])
    for (name, _), plain, ckpt in zip(model.named_parameters(), *grads):
        assert ckpt is not None, f"dropout {dropout}: no gradient reached {name} through forward_with_checkpointing"
        torch.testing.assert_close(ckpt, plain, rtol=1e-4, atol=1e-5, msg=(
            f"dropout {dropout}: gradient of {name} differs; does the recomputation draw the same dropout masks?"
        ))


_check_same_results([20, 32, 32, 6], batch=5, seed=0)
_check_same_results([8, 16, 4], batch=3, seed=1)
_check_same_gradients_with_dropout([20, 32, 32, 6], batch=5, seed=2)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(33)
for _ in range(2):
    _sizes = [int(v) for v in _rng.integers(2, 40, size=int(_rng.integers(3, 6)))]
    _check_same_results(_sizes, batch=int(_rng.integers(1, 9)), seed=int(_rng.integers(1000)))
    _check_same_gradients_with_dropout(_sizes, batch=int(_rng.integers(1, 9)), seed=int(_rng.integers(1000)), dropout=0.5)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "memory_network_saves_less", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""LargeNeuralNetwork: the checkpointed pass keeps far fewer activation bytes."""


def _saved_ratio(sizes, batch, dropout, seed):
    torch.manual_seed(seed)
    model = LargeNeuralNetwork(sizes[0], sizes[1:-1], sizes[-1], dropout=dropout).train()
    x = torch.randn(batch, sizes[0])
    params = list(model.parameters())
    _, plain = saved_tensor_bytes(model, x, exclude=params)
    with quiet():
        _, ckpt = saved_tensor_bytes(model.forward_with_checkpointing, x, exclude=params)
    return ckpt / plain


for _dropout in (0.0, 0.1):
    _ratio = _saved_ratio([32, 64, 64, 64, 64, 4], batch=16, dropout=_dropout, seed=0)
    assert _ratio <= 0.75, (
        f"dropout {_dropout}: the checkpointed pass keeps {_ratio:.0%} of the plain pass's activation bytes; "
        "expected at most 75% (is each whole block inside checkpoint()?)"
    )
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(34)
_width = int(_rng.integers(24, 80))
_ratio = _saved_ratio([_width] * 6 + [3], batch=int(_rng.integers(4, 20)), dropout=0.2, seed=5)
assert _ratio <= 0.75, f"width {_width}: checkpointed pass keeps {_ratio:.0%} of the activation bytes"
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Measuring a whole training step
#
# Saved-tensor bytes are only part of the story: the step's peak also holds the gradients as they
# are created and the temporary gradient tensors of backward. To see the whole step, record every
# tensor allocation and free while it runs. `torch.profiler.profile(profile_memory=True)` does
# that; `utils.profiling.memory_events(fn, device=...)` runs `fn` under it and returns
# `(result, events)`, one `MemoryEvent(time_ns, nbytes, op, scope)` per allocation (`nbytes > 0`)
# or free (`nbytes < 0`), in time order, where `op` is the operator that made it (`aten::addmm`)
# and `scope` is the outermost `record_function` label around it. The running sum of `nbytes` is the
# memory the step holds at each moment: that is the *memory timeline*, and its maximum is the peak.
# Memory allocated before the call (parameters, the input batch) is not counted.
#
# One trap: gradients. If `.grad` tensors exist from an earlier step, backward still allocates
# each new gradient, but adds it into the old one and frees it: the step's net growth is zero and
# its peak looks lower than a first step's. And if you free the old gradients *inside* the
# measured region, the profiler may count the frees against the step. Set them to
# `None` (`model.zero_grad(set_to_none=True)`) *before* you start measuring. (The profiler cannot
# see frees of memory allocated before any profiling began; `memory_events` hides its C++ warning
# about that, which would otherwise go straight to standard error.)
#
# **Exercise 4.** Write `profile_network_memory(model, input_tensor, use_checkpointing=False)`.
# One training step: forward (`model.forward_with_checkpointing` when asked, else `model`), the loss
# `output.sum()`, backward; no optimizer step. Label the phases with `record_function("forward")`
# and `record_function("backward")`. Measure on the input's device. Return:
#
# - `memory_timeline`: one `(label, MB)` pair per memory event, the MB held after it; the label
#   says where it happened, for example `"forward/aten::addmm"`;
# - `operations`: the labels, in the same order;
# - `peak_memory`: the largest MB in the timeline.
#
# The last point of the timeline is what the step leaves behind: the gradients.

# %% nbgrader={"grade": false, "grade_id": "memory_profile_network", "locked": false, "schema_version": 3, "solution": true}
def profile_network_memory(model: nn.Module, input_tensor: torch.Tensor, use_checkpointing: bool = False) -> dict[str, Any]:
    """Tensor memory of one training step (forward, ``sum()`` loss, backward), event by event.

    Args:
        model: a ``LargeNeuralNetwork`` (or any module with ``forward_with_checkpointing``).
        input_tensor: one input batch, on the device to measure.
        use_checkpointing: run ``model.forward_with_checkpointing`` instead of ``model``.

    Returns:
        ``{"peak_memory": MB, "memory_timeline": [(label, MB), ...], "operations": [label, ...]}``,
        counted from zero at the start of the step, gradients included.
    """
    # about 15 lines
    ### BEGIN SOLUTION
    forward = model.forward_with_checkpointing if use_checkpointing else model

    def step() -> None:
        with record_function("forward"):
            output = forward(input_tensor)
        with record_function("backward"):
            output.sum().backward()

    model.zero_grad(set_to_none=True)
    _, events = memory_events(step, device=input_tensor.device.type)
    timeline, held = [], 0
    for event in events:
        held += event.nbytes
        what = event.op or ("free" if event.nbytes < 0 else "alloc")
        timeline.append((f"{event.scope or 'step'}/{what}", held / BYTES_PER_MB))
    return {
        "peak_memory": max((mb for _, mb in timeline), default=0.0),
        "memory_timeline": timeline,
        "operations": [label for label, _ in timeline],
    }
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** The shape of the result (a list of `(str, float)` pairs, `operations`
# equal to the labels, the peak equal to the timeline's largest value; the wording of the labels is
# yours, they are for reading the timeline); the peak against a
# reference measurement of the same step (within 2%, plus the size of the output, which you may
# keep alive through backward, or to the end, or not) and at least the gradients' size, also when
# the model already has gradients from an earlier step; the timeline ending at the gradients (plus
# the output, if the step still holds it); and
# on a configuration where activations dominate (batch 256 against width 64, six blocks),
# checkpointing lowering the peak by at least 30%, and a larger batch never measuring a smaller
# peak. Nothing here depends on RSS or on timing.

# %% nbgrader={"grade": true, "grade_id": "memory_profile_network_result", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""profile_network_memory: the result has the documented shape."""
torch.manual_seed(0)
_model = LargeNeuralNetwork(32, (64, 64), 4, dropout=0.1).train()
with quiet(), native_stderr_silenced():
    _result = profile_network_memory(_model, torch.randn(16, 32))
assert isinstance(_result, dict) and {"peak_memory", "memory_timeline", "operations"} <= set(_result), (
    f"expected keys peak_memory, memory_timeline, operations; got {sorted(_result) if isinstance(_result, dict) else _result!r}"
)
_timeline = _result["memory_timeline"]
assert isinstance(_timeline, list) and len(_timeline) > 0, "memory_timeline should be a non-empty list"
assert all(len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], float) for p in _timeline), (
    f"memory_timeline should hold (label, MB) pairs of str and float, first is {_timeline[0]!r}"
)
assert list(_result["operations"]) == [label for label, _ in _timeline], "operations should be the timeline's labels, in order"
assert _result["peak_memory"] > 0, f"peak_memory should be positive, got {_result['peak_memory']!r}"
assert math.isclose(_result["peak_memory"], max(mb for _, mb in _timeline), rel_tol=1e-9), (
    "peak_memory should be the largest value in the timeline"
)

# %% nbgrader={"grade": true, "grade_id": "memory_profile_network_values", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""profile_network_memory: the peak matches a reference measurement and counts the gradients."""


def _reference_step_mb(model, x, use_checkpointing=False):
    forward = model.forward_with_checkpointing if use_checkpointing else model

    def step():
        output = forward(x)
        output.sum().backward()

    model.zero_grad(set_to_none=True)
    return peak_bytes(step, device=x.device.type) / BYTES_PER_MB


def _check_against_reference(sizes, batch, dropout, seed):
    torch.manual_seed(seed)
    model = LargeNeuralNetwork(sizes[0], sizes[1:-1], sizes[-1], dropout=dropout).train()
    x = torch.randn(batch, sizes[0])
    grads_mb = tensor_bytes(model.parameters()) / BYTES_PER_MB
    # 2% of the peak, plus one output tensor: keeping the output alive through backward (or until
    # the profiler stops) or not is up to you.
    output_mb = batch * sizes[-1] * 4 / BYTES_PER_MB
    allowed_mb = lambda want: 0.02 * want + output_mb
    for use_checkpointing in (False, True):
        want = _reference_step_mb(model, x, use_checkpointing)
        with quiet(), native_stderr_silenced():
            profile_network_memory(model, x, use_checkpointing)  # leaves gradients behind
            got = profile_network_memory(model, x, use_checkpointing)
        label = "with" if use_checkpointing else "without"
        assert got["peak_memory"] >= 0.99 * grads_mb, (
            f"{label} checkpointing: peak {got['peak_memory']:.3f} MB is below the gradients' {grads_mb:.3f} MB "
            "(set .grad to None before measuring)"
        )
        assert abs(got["peak_memory"] - want) <= allowed_mb(want), (
            f"{label} checkpointing: peak {got['peak_memory']:.3f} MB, reference {want:.3f} MB"
        )
        final_mb = got["memory_timeline"][-1][1]
        assert 0.95 * grads_mb <= final_mb <= 1.05 * grads_mb + output_mb, (
            f"{label} checkpointing: the timeline ends at {final_mb:.3f} MB; after the step only the gradients "
            f"({grads_mb:.3f} MB) and at most the output ({output_mb:.3f} MB) should remain (does it cover backward?)"
        )


_check_against_reference([64, 128, 128, 8], batch=64, dropout=0.1, seed=0)
_check_against_reference([48, 32, 32, 32, 10], batch=200, dropout=0.0, seed=1)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(45)
_sizes = [int(v) for v in _rng.integers(16, 129, size=5)]
_check_against_reference(_sizes, batch=int(_rng.integers(8, 300)), dropout=0.1, seed=int(_rng.integers(100)))
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "memory_profile_network_checkpointing", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""profile_network_memory: checkpointing cuts an activation-heavy step; bigger batches never peak lower."""
torch.manual_seed(0)
_model = LargeNeuralNetwork(64, (64,) * 6, 4, dropout=0.1).train()
_x = torch.randn(256, 64)
with quiet(), native_stderr_silenced():
    _plain_mb = profile_network_memory(_model, _x)["peak_memory"]
    _ckpt_mb = profile_network_memory(_model, _x, use_checkpointing=True)["peak_memory"]
assert _ckpt_mb <= 0.7 * _plain_mb, (
    f"checkpointing should cut this step's peak by at least 30%: {_plain_mb:.2f} MB -> {_ckpt_mb:.2f} MB"
)
with quiet(), native_stderr_silenced():
    _peaks = [profile_network_memory(_model, torch.randn(b, 64))["peak_memory"] for b in (32, 64, 128, 256)]
assert all(a <= b for a, b in zip(_peaks, _peaks[1:])) and _peaks[-1] > _peaks[0], (
    f"peaks for batches 32, 64, 128, 256 should grow: {[round(p, 2) for p in _peaks]}"
)

# %% [markdown]
# The facts from section 4, measured. Each row is one training step of an MLP of four square
# Linear layers, plain and with every Linear + activation pair checkpointed on its own. Memory is
# counted from the start of the step, so the parameters are not in it but the gradients are.

# %%
def _square_mlp(width: int, activation: type[nn.Module]) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(*[m for _ in range(4) for m in (nn.Linear(width, width), activation())])


def _step_peak_mb(model: nn.Sequential, x: torch.Tensor, per_layer_checkpoint: bool) -> float:
    pairs = [model[i : i + 2] for i in range(0, len(model), 2)]

    def step() -> None:
        out = x
        for pair in pairs:
            out = checkpoint(pair, out, use_reentrant=False) if per_layer_checkpoint else pair(out)
        out.sum().backward()

    model.zero_grad(set_to_none=True)
    return peak_bytes(step) / BYTES_PER_MB


print(f"{'layers':>11} {'batch':>6} {'gradients MB':>13} {'plain MB':>9} {'per-layer checkpoint MB':>24} {'cut':>5}")
for _act, _width, _batch in [(nn.ReLU, 2000, 256), (nn.ReLU, 500, 4096), (nn.GELU, 500, 4096)]:
    _model = _square_mlp(_width, _act)
    _x = torch.randn(_batch, _width)
    _grads_mb = tensor_bytes(_model.parameters()) / BYTES_PER_MB
    _plain_mb, _ckpt_mb = _step_peak_mb(_model, _x, False), _step_peak_mb(_model, _x, True)
    print(f"{_act.__name__ + ' ' + str(_width):>11} {_batch:>6} {_grads_mb:13.1f} "
          f"{_plain_mb:9.1f} {_ckpt_mb:24.1f} {round(1 - _ckpt_mb / _plain_mb, 2) + 0.0:5.0%}")
del _model, _x

# %% [markdown]
# First row: with 2000-wide layers and batch 256 the step peaks a few MB above its gradients
# (64 MB of them, from the shapes), with or without checkpointing, and no activation trick touches
# the gradients. With a batch much larger than the width (the 500-wide rows, batch 4096),
# activations dominate; yet with ReLU, per-layer checkpointing still saves nothing (a cut of 0%),
# because each segment keeps exactly the tensor the next Linear kept before. With GELU the same
# checkpointing cuts the peak by about 30%: the last column of the last row.
#
# ## 6. Cutting the peak without changing the result
#
# Besides checkpointing, two tricks cut a training step's memory and leave its gradients the same,
# up to rounding:
#
# - **Gradient accumulation.** Split the batch into `k` micro-batches and run forward and
#   backward on each in turn; backward adds into `.grad`, so after the last one the gradients are
#   those of the whole batch (for a sum loss as they are; for a mean loss divide each loss by `k`),
#   up to rounding, since the sums are added in a different order. That holds with dropout off:
#   with dropout on, each micro-batch draws its own masks, so the gradients differ from one
#   full-batch step's (though they are just as valid a training step).
#   Only one micro-batch's activations are alive at a time. The cost: `k` smaller matrix products,
#   which use the hardware less well.
# - **Checkpointing**, from section 4.
#
# The mistake to avoid with accumulation: adding up the `k` losses and calling backward once at
# the end. That keeps all `k` graphs, and so all the activations, alive until the end.
#
# **Exercise 5.** Write `optimize_memory_usage(model, input_tensor)`. Measure the baseline step with
# `profile_network_memory`; then measure the same step with checkpointing, with gradient
# accumulation over 4 micro-batches (`input_tensor.chunk(4)`), and with both together; keep the
# lowest peak. Measure a step with `memory_events` or `peak_bytes` from `utils.profiling`, with
# the gradients set to `None` before. Return `baseline_memory` and `optimized_memory` (MB),
# `improvement` (the fraction saved, `1 - optimized / baseline`) and `strategies` (the names of
# what the best step used, from `"checkpointing"` and `"gradient_accumulation"`). Every step you
# measure is a full training step on the whole batch: when the function returns, `.grad` holds the
# same gradients the plain step would (up to rounding, with dropout off), and the parameters are
# unchanged.

# %% nbgrader={"grade": false, "grade_id": "memory_optimize", "locked": false, "schema_version": 3, "solution": true}
def optimize_memory_usage(model: nn.Module, input_tensor: torch.Tensor) -> dict[str, Any]:
    """Find the lowest-memory way to run one training step with unchanged gradients.

    Args:
        model: a ``LargeNeuralNetwork``.
        input_tensor: one input batch.

    Returns:
        ``{"baseline_memory": MB, "optimized_memory": MB, "improvement": fraction saved,
        "strategies": [names]}``.
    """
    # about 18 lines
    ### BEGIN SOLUTION
    device = input_tensor.device.type
    micro_batches = input_tensor.chunk(4)

    def measure(use_checkpointing: bool, accumulate: bool) -> float:
        forward = model.forward_with_checkpointing if use_checkpointing else model

        def step() -> None:
            for chunk in micro_batches if accumulate else (input_tensor,):
                forward(chunk).sum().backward()

        model.zero_grad(set_to_none=True)
        return peak_bytes(step, device=device) / BYTES_PER_MB

    baseline = profile_network_memory(model, input_tensor)["peak_memory"]
    best, strategies = baseline, []
    for use_checkpointing, accumulate in [(True, False), (False, True), (True, True)]:
        peak = measure(use_checkpointing, accumulate)
        if peak < best:
            best = peak
            strategies = ["checkpointing"] * use_checkpointing + ["gradient_accumulation"] * accumulate
    return {
        "baseline_memory": baseline,
        "optimized_memory": best,
        "improvement": 1.0 - best / baseline,
        "strategies": strategies,
    }
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** On a model where activations dominate: the baseline against
# `profile_network_memory` (within 3%); `improvement` equal to `1 - optimized / baseline` and at
# least 0.3; a non-empty list of strategy names, each `"checkpointing"` or
# `"gradient_accumulation"`, once. On that model and on one where the gradients dominate (wide
# layers, batch 8): the optimized peak equals, within 3% plus one output, a fresh measurement of
# the strategies it names (gradients set to `None` first), and is at least the gradients' size (it
# is a training step). That is where state leaking from one measurement into the next shows: a step
# measured while the previous one's gradients still exist peaks lower than a real step. Then, on a
# model with dropout off, that the gradients left in `.grad` equal those of one plain step on the
# whole batch, and that the parameters did not change.

# %% nbgrader={"grade": true, "grade_id": "memory_optimize_report", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""optimize_memory_usage: a consistent report with a real saving on an activation-heavy step."""
torch.manual_seed(0)
_model = LargeNeuralNetwork(64, (64,) * 6, 4, dropout=0.1).train()
_x = torch.randn(256, 64)
with quiet(), native_stderr_silenced():
    _report = optimize_memory_usage(_model, _x)
    _baseline_mb = profile_network_memory(_model, _x)["peak_memory"]
assert isinstance(_report, dict) and {"baseline_memory", "optimized_memory", "improvement", "strategies"} <= set(_report), (
    f"missing keys in {_report!r}"
)
assert abs(_report["baseline_memory"] - _baseline_mb) <= 0.03 * _baseline_mb, (
    f"baseline_memory {_report['baseline_memory']:.2f} MB, profile_network_memory says {_baseline_mb:.2f} MB"
)
assert math.isclose(_report["improvement"], 1 - _report["optimized_memory"] / _report["baseline_memory"], abs_tol=1e-6), (
    f"improvement should be 1 - optimized / baseline, got {_report['improvement']!r}"
)
assert _report["improvement"] >= 0.3, f"expected at least a 30% saving here, got {_report['improvement']:.0%}"
_grads_mb = tensor_bytes(_model.parameters()) / BYTES_PER_MB
assert _report["optimized_memory"] >= 0.99 * _grads_mb, (
    f"optimized_memory {_report['optimized_memory']:.2f} MB is below the gradients' {_grads_mb:.2f} MB: "
    "is the optimized step still a training step?"
)
assert isinstance(_report["strategies"], list) and _report["strategies"] and all(isinstance(s, str) for s in _report["strategies"]), (
    f"strategies should be a non-empty list of names, got {_report['strategies']!r}"
)


def _fresh_peak_mb(model, x, strategies):
    """The peak of one step using ``strategies``, measured from a clean state (no gradients)."""
    forward = model.forward_with_checkpointing if "checkpointing" in strategies else model
    chunks = x.chunk(4) if "gradient_accumulation" in strategies else (x,)

    def step():
        for chunk in chunks:
            forward(chunk).sum().backward()

    model.zero_grad(set_to_none=True)
    with quiet():
        return peak_bytes(step) / BYTES_PER_MB


def _check_optimized_is_a_real_step(model, x, report):
    names = report["strategies"]
    assert set(names) <= {"checkpointing", "gradient_accumulation"} and len(set(names)) == len(names), (
        f"strategies should name each of 'checkpointing' and 'gradient_accumulation' at most once, got {names!r}"
    )
    grads_mb = tensor_bytes(model.parameters()) / BYTES_PER_MB
    want_mb = _fresh_peak_mb(model, x, names)
    output_mb = x.shape[0] * 4 * 4 / BYTES_PER_MB
    assert report["optimized_memory"] >= 0.99 * grads_mb, (
        f"optimized_memory {report['optimized_memory']:.3f} MB is below the gradients' {grads_mb:.3f} MB: "
        "was a step measured while the previous step's gradients still existed?"
    )
    assert abs(report["optimized_memory"] - want_mb) <= 0.03 * want_mb + output_mb, (
        f"optimized_memory {report['optimized_memory']:.3f} MB, but a fresh step with {names or 'no strategy'} "
        f"peaks at {want_mb:.3f} MB (set the gradients to None before each measurement)"
    )


_check_optimized_is_a_real_step(_model, _x, _report)
torch.manual_seed(1)
_wide = LargeNeuralNetwork(128, (512, 512), 4, dropout=0.1).train()
_x_small = torch.randn(8, 128)
with quiet(), native_stderr_silenced():
    _wide_report = optimize_memory_usage(_wide, _x_small)
_check_optimized_is_a_real_step(_wide, _x_small, _wide_report)

# %% nbgrader={"grade": true, "grade_id": "memory_optimize_same_gradients", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""optimize_memory_usage: leaves the gradients of one full-batch step and the parameters unchanged."""


def _check_same_gradients(sizes, batch, seed):
    torch.manual_seed(seed)
    model = LargeNeuralNetwork(sizes[0], sizes[1:-1], sizes[-1], dropout=0.0).train()
    x = torch.randn(batch, sizes[0])
    before = [p.detach().clone() for p in model.parameters()]
    model.zero_grad(set_to_none=True)
    model(x).sum().backward()
    want = [p.grad.clone() for p in model.parameters()]
    model.zero_grad(set_to_none=True)
    with quiet(), native_stderr_silenced():
        optimize_memory_usage(model, x)
    for (name, p), w, b in zip(model.named_parameters(), want, before):
        assert p.grad is not None, f"{name} has no gradient after optimize_memory_usage"
        torch.testing.assert_close(p.grad, w, rtol=1e-4, atol=1e-4, msg=f"gradient of {name} differs from one plain step")
        assert torch.equal(p.detach(), b), f"{name} changed: no optimizer step, please"


_check_same_gradients([64, 96, 96, 96, 8], batch=256, seed=0)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(56)
_check_same_gradients([int(v) for v in _rng.integers(16, 100, size=5)], batch=int(_rng.integers(64, 300)), seed=3)
### END HIDDEN TESTS

# %% [markdown]
# ## 7. Lower precision and inference mode, and what each trick costs
#
# Two more levers, which do change the computation:
#
# - **Mixed precision.** `torch.autocast(device_type, dtype=torch.bfloat16)` runs matrix products
#   (and the layers after them) in bfloat16, 2 bytes per element instead of 4, so the activations
#   saved for backward shrink by about half. Parameters and their gradients stay in float32, and
#   autocast keeps a bfloat16 copy of each weight during the step, so when parameters dominate it
#   can even cost memory. On GPUs with tensor cores it is also much faster; on a CPU without
#   bfloat16 units it can be slower. bfloat16 keeps 8 significant bits, about 2.4 decimal digits,
#   so results differ from float32 in the second or third significant digit (the table cell of
#   this section prints how much your model's outputs change).
# - **Inference mode.** `torch.inference_mode()` (or `torch.no_grad()`) records no graph, so a
#   layer's input is freed as soon as the next layer has used it, and there are no gradients.
#   Only for evaluation and serving, never for a training step.
#
# Every trick trades something: checkpointing about one extra forward pass, accumulation less
# efficient small matrix products, bfloat16 precision. Measure both sides.
#
# **Exercise 6.** Write `compare_memory_strategies(model, input_tensor)`. For each strategy below,
# measure the peak tensor memory of one step (as in exercise 4: gradients set to `None` before,
# `output.sum()` as the loss) and its time in milliseconds (the median of a few runs after one
# warm-up run; timing the strategies in turn, round after round, keeps a change in machine load
# from favouring one of them). Return `{name: {"peak_memory": MB,
# "time_ms": ms}}` with exactly these names:
#
# - `"baseline"`: a plain training step;
# - `"checkpointing"`: the step with `model.forward_with_checkpointing`;
# - `"bf16_autocast"`: the forward under `torch.autocast(device_type, dtype=torch.bfloat16)`,
#   backward outside it;
# - `"gradient_accumulation"`: four micro-batches (`input_tensor.chunk(4)`), one backward each;
# - `"inference"`: the forward alone under `torch.inference_mode()`.

# %% nbgrader={"grade": false, "grade_id": "memory_compare_strategies", "locked": false, "schema_version": 3, "solution": true}
def compare_memory_strategies(model: nn.Module, input_tensor: torch.Tensor) -> dict[str, dict[str, float]]:
    """Peak memory and time of one step under five memory strategies.

    Args:
        model: a ``LargeNeuralNetwork``.
        input_tensor: one input batch.

    Returns:
        ``{name: {"peak_memory": MB, "time_ms": ms}}`` for ``baseline``, ``checkpointing``,
        ``bf16_autocast``, ``gradient_accumulation`` and ``inference``.
    """
    # about 35 lines
    ### BEGIN SOLUTION
    device = input_tensor.device.type

    def baseline() -> None:
        model(input_tensor).sum().backward()

    def checkpointing() -> None:
        model.forward_with_checkpointing(input_tensor).sum().backward()

    def bf16_autocast() -> None:
        with torch.autocast(device_type=device, dtype=torch.bfloat16):
            output = model(input_tensor)
        output.float().sum().backward()

    def gradient_accumulation() -> None:
        for chunk in input_tensor.chunk(4):
            model(chunk).sum().backward()

    def inference() -> None:
        with torch.inference_mode():
            model(input_tensor)

    def timed(step: Callable[[], None]) -> None:
        model.zero_grad(set_to_none=True)
        step()
        if device == "cuda":
            torch.cuda.synchronize()

    steps = (baseline, checkpointing, bf16_autocast, gradient_accumulation, inference)
    peaks_mb = {}
    for step in steps:
        model.zero_grad(set_to_none=True)
        peaks_mb[step.__name__] = peak_bytes(step, device=device) / BYTES_PER_MB
    # Time the strategies in turn, round after round, so that a change in machine load hits all
    # of them alike; the first round is a warm-up.
    times_s = {step.__name__: [] for step in steps}
    for round_index in range(4):
        for step in steps:
            start = time.perf_counter()
            timed(step)
            if round_index > 0:
                times_s[step.__name__].append(time.perf_counter() - start)
    return {
        name: {"peak_memory": peaks_mb[name], "time_ms": statistics.median(times_s[name]) * 1e3}
        for name in peaks_mb
    }
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** Exactly the five names, each with a positive, finite `peak_memory` and
# `time_ms`. On a model where activations dominate: the baseline within 3% of
# `profile_network_memory`; checkpointing at most 70% of the baseline, bfloat16 autocast at most
# 80%, gradient accumulation at most 60% (a correct one keeps only one micro-batch's activations)
# and inference at most 50% (no graph, no gradients). On a model where the gradients dominate (wide
# layers, batch 8): every training strategy peaks at least at the gradients' size, which only holds
# if each one starts without the gradients the previous one left. Times are checked on a model whose
# forward pass pauses 60 ms (a `time.sleep` in front of the head): `time_ms` is the time of one
# step, so at least 60 ms per forward pass it makes (four for gradient accumulation) and less than
# twice that (PyTorch runs on one thread during that call, so the model's own work stays small);
# a total over several runs, or seconds instead of milliseconds, falls outside. No time of real
# work is compared: that depends on the machine and its load.

# %% nbgrader={"grade": true, "grade_id": "memory_compare_strategies_report", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""compare_memory_strategies: five named strategies, each with a peak and a time."""
torch.manual_seed(0)
_model = LargeNeuralNetwork(32, (32, 32), 4, dropout=0.1).train()
with quiet(), native_stderr_silenced():
    _table = compare_memory_strategies(_model, torch.randn(64, 32))
_names = {"baseline", "checkpointing", "bf16_autocast", "gradient_accumulation", "inference"}
assert isinstance(_table, dict) and _names == set(_table), f"expected exactly the strategies {sorted(_names)}, got {sorted(_table)}"
for _name in _names:
    _row = _table[_name]
    assert isinstance(_row, dict) and {"peak_memory", "time_ms"} <= set(_row), f"{_name}: expected peak_memory and time_ms, got {_row!r}"
    assert all(isinstance(_row[k], (int, float)) and math.isfinite(_row[k]) and _row[k] > 0 for k in ("peak_memory", "time_ms")), (
        f"{_name}: peak_memory and time_ms should be positive numbers, got {_row!r}"
    )

# %% nbgrader={"grade": true, "grade_id": "memory_compare_strategies_peaks", "locked": true, "points": 3, "schema_version": 3, "solution": false}
"""compare_memory_strategies: each strategy's peak on an activation-heavy step."""
torch.manual_seed(0)
_model = LargeNeuralNetwork(64, (64,) * 6, 4, dropout=0.1).train()
_x = torch.randn(256, 64)
with quiet(), native_stderr_silenced():
    _table = compare_memory_strategies(_model, _x)
    _baseline_mb = profile_network_memory(_model, _x)["peak_memory"]
_peaks = {name: row["peak_memory"] for name, row in _table.items()}
assert abs(_peaks["baseline"] - _baseline_mb) <= 0.03 * _baseline_mb, (
    f"baseline peak {_peaks['baseline']:.2f} MB, profile_network_memory says {_baseline_mb:.2f} MB"
)
for _name, _limit in [("checkpointing", 0.7), ("bf16_autocast", 0.8), ("gradient_accumulation", 0.6), ("inference", 0.5)]:
    assert _peaks[_name] <= _limit * _peaks["baseline"], (
        f"{_name} peaks at {_peaks[_name]:.2f} MB, {_peaks[_name] / _peaks['baseline']:.0%} of the baseline's "
        f"{_peaks['baseline']:.2f} MB; expected at most {_limit:.0%}"
    )
# Where the gradients dominate, a training step measured while the previous strategy's gradients
# still exist peaks below the gradients' size, and its ratio to the baseline looks too good.
torch.manual_seed(1)
_wide = LargeNeuralNetwork(128, (512, 512), 4, dropout=0.1).train()
with quiet(), native_stderr_silenced():
    _table = compare_memory_strategies(_wide, torch.randn(8, 128))
_grads_mb = tensor_bytes(_wide.parameters()) / BYTES_PER_MB
for _name in ("baseline", "checkpointing", "bf16_autocast", "gradient_accumulation"):
    assert _table[_name]["peak_memory"] >= 0.99 * _grads_mb, (
        f"{_name} peaks at {_table[_name]['peak_memory']:.3f} MB, below the gradients' {_grads_mb:.3f} MB: "
        "set the gradients to None before measuring each strategy"
    )

# %% nbgrader={"grade": true, "grade_id": "memory_compare_strategies_time", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""compare_memory_strategies: time_ms is the time of one step, in milliseconds."""


class _Pause(nn.Module):
    """Sleeps a known time on every forward pass: a floor under each step's time."""

    def forward(self, x):
        time.sleep(0.06)
        return x


torch.manual_seed(0)
_model = LargeNeuralNetwork(8, (8, 8), 2, dropout=0.1).train()
_model.head = nn.Sequential(_Pause(), _model.head)
_threads = torch.get_num_threads()
torch.set_num_threads(1)  # a tiny model: on one thread its real work stays far below the pause
try:
    with quiet(), native_stderr_silenced():
        _table = compare_memory_strategies(_model, torch.randn(8, 8))
finally:
    torch.set_num_threads(_threads)
for _name, _forwards in [("baseline", 1), ("checkpointing", 1), ("bf16_autocast", 1), ("gradient_accumulation", 4), ("inference", 1)]:
    _floor_ms = 60 * _forwards
    assert _floor_ms <= _table[_name]["time_ms"] < 2 * _floor_ms, (
        f"{_name}: one step pauses {_floor_ms} ms in its {_forwards} forward pass(es) and does little else; "
        f"time_ms is {_table[_name]['time_ms']!r} (expected the median time of one step, in milliseconds)"
    )

# %% [markdown]
# Your own numbers, on a bigger model: peak memory and time of each strategy, relative to the
# baseline, and how far bfloat16 autocast moves the model's outputs. The times are a ratio measured
# on a shared machine; read the memory column as exact, the time column as rough.

# %%
torch.manual_seed(0)
_model = LargeNeuralNetwork(256, (256,) * 6, 10, dropout=0.1).train()
_x = torch.randn(1024, 256)
_table = compare_memory_strategies(_model, _x)
_base = _table["baseline"]
print(f"{'strategy':>22} {'peak MB':>8} {'memory':>7} {'time':>6}")
for _name, _row in _table.items():
    print(f"{_name:>22} {_row['peak_memory']:8.1f} {_row['peak_memory'] / _base['peak_memory']:6.2f}x "
          f"{_row['time_ms'] / _base['time_ms']:5.2f}x")
_model.eval()  # dropout off, so that only the precision differs
with torch.inference_mode():
    _full = _model(_x)
    with torch.autocast(device_type=_x.device.type, dtype=torch.bfloat16):
        _low = _model(_x).float()
_rel = ((_low - _full).abs() / _full.abs().clamp_min(1e-6 * _full.abs().max())).median().item()
print(f"bf16 autocast moves the outputs by {_rel:.1e} of their size (median): about "
      f"{-math.log10(_rel):.1f} decimal digits agree")
del _model, _x

# %% [markdown]
# ## 8. Finding a leak
#
# A leak is memory that grows with every iteration and never comes back: a list that collects
# losses as tensors (keeping their whole graphs alive), a cache without a bound, a global that
# keeps references. The recipe:
#
# 1. run the step a few times first, so that one-time costs (caches filling, lazy imports) are
#    over;
# 2. take a `tracemalloc` snapshot, run the step `n` more times, take another;
# 3. `after.compare_to(before, "lineno")` lists, per source line, how much more memory is held
#    now. A steady growth per iteration means a leak, and the line that grew most is where the
#    leaked objects were allocated.
#
# Compare the snapshots: a plain `after.statistics("lineno")` lists the biggest *holders*, which are
# usually innocent long-lived objects. And `tracemalloc` sees Python objects (and NumPy arrays),
# not PyTorch tensor storage: a leaked tensor shows up only as its small Python wrapper. For
# tensors, watch the profiler's running total or `torch.cuda.memory_allocated()` instead.
#
# **Exercise 7.** Write `find_leak(step_fn, iterations=50)`. Warm up with a few calls; snapshot;
# call `step_fn()` `iterations` times; snapshot; compare. Leave tracing as you found it: start
# `tracemalloc` only if it is not tracing yet, and then stop it again. Return `leaking` (growth above
# 1024 bytes per iteration), `growth_bytes_per_iter` (the total size difference divided by
# `iterations`) and `top_allocation_site` (`"file:line"` of the line that grew most, or `None`
# when nothing grew).

# %% nbgrader={"grade": false, "grade_id": "memory_find_leak", "locked": false, "schema_version": 3, "solution": true}
LEAK_THRESHOLD_BYTES_PER_ITER = 1024


def find_leak(step_fn: Callable[[], Any], iterations: int = 50) -> dict[str, Any]:
    """Call ``step_fn`` repeatedly and report whether, how fast and where Python memory grows.

    Args:
        step_fn: a function of no arguments, one iteration of the code under suspicion.
        iterations: calls between the two snapshots, a positive integer.

    Returns:
        ``{"leaking": bool, "growth_bytes_per_iter": float, "top_allocation_site": "file:line" or None}``.

    Raises:
        TypeError: ``step_fn`` is not callable or ``iterations`` is not an integer.
        ValueError: ``iterations`` is less than 1.
    """
    # about 20 lines
    ### BEGIN SOLUTION
    if not callable(step_fn):
        raise TypeError(f"step_fn must be callable, got {step_fn!r}")
    if isinstance(iterations, bool) or not isinstance(iterations, int):
        raise TypeError(f"iterations must be an integer, got {iterations!r}")
    if iterations < 1:
        raise ValueError(f"iterations must be at least 1, got {iterations}")
    for _ in range(3):
        step_fn()
    started_here = not tracemalloc.is_tracing()
    if started_here:
        tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for _ in range(iterations):
            step_fn()
        after = tracemalloc.take_snapshot()
    finally:
        if started_here:
            tracemalloc.stop()
    own = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(own).compare_to(before.filter_traces(own), "lineno")
    growth = sum(stat.size_diff for stat in stats) / iterations
    top = max(stats, key=lambda stat: stat.size_diff, default=None)
    site = None
    if top is not None and top.size_diff > 0:
        site = f"{top.traceback[0].filename}:{top.traceback[0].lineno}"
    return {"leaking": growth > LEAK_THRESHOLD_BYTES_PER_ITER, "growth_bytes_per_iter": growth, "top_allocation_site": site}
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** A step that appends a new `bytearray` to a global list every call is
# leaking, with a growth per iteration within a few percent of the bytearray's size, and its
# top allocation site is the line of the `append`, also when a bigger, long-lived object was
# allocated while tracing, and also when a bigger object is freed during the measurement (the
# largest change is then a shrink: the site is the line that *grew* most); a clean step is not
# leaking (its top site is not checked: the kernel's own threads may allocate a few bytes while
# you measure); a step that fills a cache on its first call
# only is not leaking (that is what the warm-up is for); `tracemalloc` is left as it was; bad
# arguments raise. Hidden tests use fresh sizes.

# %% nbgrader={"grade": true, "grade_id": "memory_find_leak_detects", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""find_leak: flags a growing global list with the right rate, and passes a clean step."""
_leaked = []


def _make_leaky_step(nbytes):
    def step():
        _leaked.append(bytearray(nbytes))
    return step


def _clean_step():
    squares = [i * i for i in range(2000)]
    return sum(squares)


def _check_leak_rate(nbytes):
    report = find_leak(_make_leaky_step(nbytes), iterations=40)
    assert report["leaking"] is True or report["leaking"] == True, f"a step keeping {nbytes} bytes per call should leak: {report!r}"
    rate = report["growth_bytes_per_iter"]
    assert nbytes <= rate <= 1.05 * nbytes + 512, f"a step keeping {nbytes} bytes per call: growth {rate!r} bytes per iteration"


_check_leak_rate(10_000)
_report = find_leak(_clean_step, iterations=40)
assert not _report["leaking"], f"a step that keeps nothing should not leak: {_report!r}"
assert abs(_report["growth_bytes_per_iter"]) < LEAK_THRESHOLD_BYTES_PER_ITER, f"clean step growth: {_report!r}"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(77)
_check_leak_rate(int(_rng.integers(4_000, 60_000)))
### END HIDDEN TESTS
_leaked.clear()

# %% nbgrader={"grade": true, "grade_id": "memory_find_leak_site", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""find_leak: names the line that leaks, not the line that holds the most."""
_kept_forever = []
_cache = {}


def _leaky_with_cache():
    if "table" not in _cache:
        _cache["table"] = bytearray(400_000)
    _kept_forever.append(bytearray(3_000))
    return len(_cache["table"])


_leak_line = _leaky_with_cache.__code__.co_firstlineno + 3
tracemalloc.start()
try:
    _big_long_lived = bytearray(2_000_000)
    _report = find_leak(_leaky_with_cache, iterations=30)
    _still_tracing = tracemalloc.is_tracing()
finally:
    tracemalloc.stop()
assert _still_tracing, "find_leak stopped tracemalloc although it was already tracing when called"
assert _report["leaking"], f"3000 bytes kept per call should count as a leak: {_report!r}"
_site = str(_report["top_allocation_site"])
assert _site.endswith(f":{_leak_line}") and os.path.basename(_leaky_with_cache.__code__.co_filename) in _site, (
    f"the leak is on line {_leak_line} of {_leaky_with_cache.__code__.co_filename}; top_allocation_site is {_site!r}"
)
del _big_long_lived
_kept_forever.clear()
# A bigger object freed during the measurement is the largest change, but a shrink, not a growth.
_going = {}
_calls = [0]


def _leaks_while_a_big_object_goes():
    _calls[0] += 1
    if _calls[0] == 12:
        _going.clear()
    _kept_forever.append(bytearray(3_000))


_leak_line = _leaks_while_a_big_object_goes.__code__.co_firstlineno + 4
tracemalloc.start()
try:
    _going["table"] = bytearray(2_000_000)
    _report = find_leak(_leaks_while_a_big_object_goes, iterations=30)
finally:
    tracemalloc.stop()
_site = str(_report["top_allocation_site"])
assert _site.endswith(f":{_leak_line}"), (
    f"a 2 MB object freed during the measurement shrank more than line {_leak_line} grew, but the top "
    f"allocation site is the line that grew most: line {_leak_line}; got {_site!r}"
)
_kept_forever.clear()

# %% nbgrader={"grade": true, "grade_id": "memory_find_leak_warmup", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""find_leak: a one-time cache is not a leak; tracing is left off; bad arguments raise."""
_lazy = {}


def _fills_cache_once():
    if "table" not in _lazy:
        _lazy["table"] = bytearray(1_000_000)
    return len(_lazy["table"])


assert not tracemalloc.is_tracing()
_report = find_leak(_fills_cache_once, iterations=20)
assert not _report["leaking"], f"a cache filled on the first call only is not a leak (warm up first): {_report!r}"
assert not tracemalloc.is_tracing(), "find_leak should stop tracemalloc when it started it"
assert_raises(ValueError, find_leak, _clean_step, iterations=0)
assert_raises(TypeError, find_leak, "not a function")
_ = assert_raises(TypeError, find_leak, _clean_step, iterations=2.5)

# %% [markdown]
# The classic PyTorch leak, seen by `tracemalloc`: keeping every loss as a tensor. The `append`
# line is found, but the growth shown is only the Python side, a few hundred bytes per iteration
# (printed below), far below the tensor memory the kept graphs really hold (printed beside it). (`losses.append(loss.item())` keeps
# a float and no graph.)

# %%
_losses = []
_leak_model = nn.Linear(256, 256)
_leak_x = torch.randn(64, 256)


def _keeps_graphs():
    loss = _leak_model(_leak_x).pow(2).mean()
    _losses.append(loss)


_report = find_leak(_keeps_graphs, iterations=30)
_line = str(_report["top_allocation_site"]).rsplit(":", 1)[-1]
print(f"tracemalloc: {_report['growth_bytes_per_iter']:.0f} bytes per iteration, top site line {_line} of this cell; "
      f"profiler: {peak_bytes(_keeps_graphs) / 1e3:.0f} kB of tensors kept per iteration")
_losses.clear()

# %% [markdown]
# ## 9. Reading a memory timeline
#
# A number says how high the peak is; a timeline says when and why. During the forward pass the
# line climbs as each layer's saved tensors pile up; backward starts at the top (all activations
# plus the first gradients of activations) and comes down as each layer's saved tensors are freed,
# while the weight gradients, which stay, are created. With checkpointing the forward climbs much
# less, and backward shows a small sawtooth: each block is recomputed, used and freed.
#
# **Exercise 8.** Write `plot_memory_timeline(results)`. `results` maps a run's name to the dict
# `profile_network_memory` returns. Draw one line per run (`ax.plot` or `ax.step`) with the
# timeline's MB values, against the event index (or any x you like), with the run's name in the
# legend, and label the axes. Mark the peaks if you like. Return the figure
# (`utils.plotting.new_figure()` gives you one without touching any display).

# %% nbgrader={"grade": false, "grade_id": "memory_plot_timeline", "locked": false, "schema_version": 3, "solution": true}
def plot_memory_timeline(results: dict[str, dict[str, Any]]) -> Figure:
    """One line per run: tensor memory held (MB) after each memory event of a training step.

    Args:
        results: run name -> the dict ``profile_network_memory`` returns.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: ``results`` is not a dict.
        ValueError: ``results`` is empty.
    """
    # about 14 lines
    ### BEGIN SOLUTION
    if not isinstance(results, dict):
        raise TypeError(f"results must be a dict of name -> profile result, got {type(results).__name__}")
    if not results:
        raise ValueError("results is empty: nothing to plot")
    fig, ax = new_figure(width_in=7.5, height_in=3.6)
    for name, result in results.items():
        held_mb = [mb for _, mb in result["memory_timeline"]]
        (line,) = ax.plot(range(len(held_mb)), held_mb, label=f"{name} (peak {max(held_mb):.1f} MB)")
        ax.axhline(max(held_mb), color=line.get_color(), linestyle=":", linewidth=1)
    ax.set_xlabel("memory event (allocation or free), in order")
    ax.set_ylabel("tensor memory held (MB)")
    ax.set_title("One training step: forward, then backward")
    ax.legend(loc="upper right", fontsize="small")
    return fig
    ### END SOLUTION


# %% [markdown]
# **What the tests check.** A `matplotlib.figure.Figure` comes back; every run's timeline values
# appear as the y-data of one of its lines; every run's name appears in a legend; the axes with
# the lines have both labels; a non-dict raises `TypeError` and an empty dict `ValueError`.

# %% nbgrader={"grade": true, "grade_id": "memory_plot_timeline_lines", "locked": true, "points": 2, "schema_version": 3, "solution": false}
"""plot_memory_timeline: one line per run with the timeline's values, a legend and labelled axes."""


def _fake_result(values):
    timeline = [(f"forward/op{i}" if i < len(values) // 2 else f"backward/op{i}", float(v)) for i, v in enumerate(values)]
    return {"peak_memory": float(max(values)), "memory_timeline": timeline, "operations": [t[0] for t in timeline]}


def _check_plot(results):
    fig = plot_memory_timeline(results)
    assert isinstance(fig, Figure), f"expected a matplotlib Figure, got {type(fig).__name__}"
    lines = [(ax, line) for ax in fig.axes for line in ax.get_lines()]
    for name, result in results.items():
        want = [mb for _, mb in result["memory_timeline"]]
        hits = [ax for ax, line in lines if len(line.get_ydata()) == len(want) and np.allclose(np.asarray(line.get_ydata(), dtype=float), want)]
        assert hits, f"no line has the y-values of run {name!r}"
        assert hits[0].get_xlabel() and hits[0].get_ylabel(), "label both axes"
    legend_text = " ".join(t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts())
    legend_text += " ".join(t.get_text() for legend in fig.legends for t in legend.get_texts())
    for name in results:
        assert name in legend_text, f"run {name!r} is not in the legend ({legend_text!r})"


_check_plot({"plain": _fake_result([1, 3, 6, 9, 7, 4, 2]), "checkpointed": _fake_result([1, 2, 3, 5, 4, 4, 3, 2])})
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(88)
_check_plot({f"run{i}": _fake_result(list(_rng.uniform(0, 50, size=int(_rng.integers(3, 30))).round(3))) for i in range(3)})
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "memory_plot_timeline_errors", "locked": true, "points": 1, "schema_version": 3, "solution": false}
"""plot_memory_timeline: rejects what it cannot plot."""
assert_raises(ValueError, plot_memory_timeline, {})
_ = assert_raises(TypeError, plot_memory_timeline, [("plain", 1.0)])

# %% [markdown]
# One training step of a six-block model, with and without checkpointing. The activations pile
# up during the forward pass (the left part of each line), the peak comes at the start of
# backward, and the line ends at the gradients.

# %%
torch.manual_seed(0)
_model = LargeNeuralNetwork(256, (256,) * 6, 10, dropout=0.1).train()
_x = torch.randn(1024, 256)
_runs = {
    "no checkpointing": profile_network_memory(_model, _x),
    "checkpointing": profile_network_memory(_model, _x, use_checkpointing=True),
}
_fig = plot_memory_timeline(_runs)
_fig

# %% [markdown]
# ## 10. Predicting the peak from the shapes
#
# The timeline shows where the peak of a plain MLP is: at the very start of backward. All saved
# activations are still there (exercise 2's estimate, minus the input, which existed before the
# step), plus two tensors the size of the widest layer's output: the gradient flowing into the
# last ReLU and the gradient coming out of it. When the batch is small, the peak is instead the
# end of backward, when all gradients exist. So
#
# $$\text{peak} \approx \max\big(A - B n_0 s + 2 B n_{\max} s,\; G + 2 B n_{\max} s\big).$$
#
# The plot compares that prediction with the measured peak across batch sizes.

# %%
_sizes = [256, 512, 512, 512, 10]
torch.manual_seed(0)
_mlp = nn.Sequential(*[m for a, b in zip(_sizes[:-2], _sizes[1:-1]) for m in (nn.Linear(a, b), nn.ReLU())], nn.Linear(_sizes[-2], _sizes[-1]))
_grads_bytes = tensor_bytes(_mlp.parameters())
_batches = [32, 64, 128, 256, 512, 1024, 2048]
_measured_mb, _predicted_mb = [], []
for _batch in _batches:
    _x = torch.randn(_batch, _sizes[0])
    _mlp.zero_grad(set_to_none=True)
    _measured_mb.append(peak_bytes(lambda: _mlp(_x).sum().backward()) / BYTES_PER_MB)
    _two_grads = 2 * _batch * max(_sizes[1:-1]) * 4
    _acts = estimate_activation_memory(_batch, _sizes) - _batch * _sizes[0] * 4
    _predicted_mb.append(max(_acts + _two_grads, _grads_bytes + _two_grads) / BYTES_PER_MB)
_fig, _ax = new_figure(width_in=6, height_in=3.6)
_ax.plot(_batches, _measured_mb, "o", label="measured (profiler)")
_ax.plot(_batches, _predicted_mb, "-", label="predicted from shapes")
_ax.axhline(_grads_bytes / BYTES_PER_MB, color="grey", linestyle=":", label="gradients alone")
_ax.set_xscale("log", base=2)
_ax.set_xlabel("batch size")
_ax.set_ylabel("peak tensor memory of one step (MB)")
_ax.set_title("MLP 256-512-512-512-10, ReLU, float32")
_ax.legend(fontsize="small")
_fig

# %% [markdown]
# ## Reflection
#
# **Question 1.** The four-layer 2000 x 2000 MLP of section 5 (first row of its table) peaks a few
# MB above its gradients at batch 256, with or without checkpointing. Where does the peak go? Why does checkpointing each Linear
# + ReLU pair on its own not help even when activations dominate, and what would you change so that
# checkpointing does help? Point to numbers you measured in this notebook.

# %% [markdown] nbgrader={"grade": true, "grade_id": "memory_reflection_1", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# ### BEGIN SOLUTION
# The parameters (64 MB) exist before the step and are not counted. The table shows a peak of
# 68.1 MB (profiler counts do not change from run to run): 64.0 MB are the gradients, one float32
# per parameter, which backward creates and which stay after the step. The remaining 4.1 MB are two
# activation-sized tensors (256 x 2000 x 4 bytes = 2.05 MB each) still alive when the last weight
# gradient is created: the model's output, which the step still holds, and
# the gradient arriving at the first layer. The saved activations are only 6 MB at this batch and
# are freed layer by layer as the weight gradients appear, so the peak sits at the end of
# backward, where they are already gone; checkpointing moves nothing there. Checkpointing one
# Linear + ReLU pair at a time keeps each
# pair's input, which is exactly the previous ReLU's output that the next Linear was keeping
# anyway, so the ReLU rows of the table show the same peak with and without it (a cut of 0%). To
# save, put several layers in each checkpointed segment (only one input per segment is kept), or
# use an activation that saves its input (GELU, SiLU): in the GELU row per-layer checkpointing cuts
# the peak by 30% (81.9 MB to 57.4 MB). And at small batch, where gradients dominate, only smaller gradients or
# parameters (lower precision, sharding) help.
# ### END SOLUTION

# %% [markdown]
# **Question 2.** A training step of your model needs 1.5 times the memory your GPU has. Using
# your table from section 7, which strategy or combination would you choose, what would it cost
# in time, and which of the five would you never use for training, and why? Would your answer
# change if parameters, not activations, dominated the peak?

# %% [markdown] nbgrader={"grade": true, "grade_id": "memory_reflection_2", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# ### BEGIN SOLUTION
# Needing 1.5 times the memory means cutting the peak by at least a third. The memory column does
# not change from run to run: checkpointing alone keeps 0.47 of the baseline's peak and gradient
# accumulation over four micro-batches 0.33, and both leave the gradients unchanged. Their cost is
# the time column, which depends on the machine and its load: in principle checkpointing adds one
# forward pass (about a third more work), and accumulation costs whatever a quarter of the batch
# loses in efficiency (little on a CPU with these layers; on a GPU a small micro-batch can leave it
# idle). On the 2-vCPU cloud machine this answer was checked on, two runs of the same cell gave
# checkpointing 0.8 and 1.9 times the baseline's time: read one run's times as rough. So the first
# choice is checkpointing, then accumulation if that is not enough, or both together. bfloat16
# autocast also saves about 40% (0.58 of the baseline) and is faster on hardware with bfloat16
# units, but it changes the results in the second or third significant digit (the cell prints by
# how much); it is a good companion once the training is known to tolerate it. Inference
# mode has the lowest peak but computes no gradients: it is not a way to train at all. If the
# parameters dominated, none of the activation tricks would help (the small-batch row of section
# 5); you would need smaller parameters, gradients and optimizer state instead: lower-precision
# weights, an optimizer with less state, or sharding them across devices.
# ### END SOLUTION
