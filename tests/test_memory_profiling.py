"""Chapter 04 (memory profiling): the measuring helpers and the reference solutions.

The grade cells check a few fixed and seeded cases; these tests push the measuring helpers in
``utils.profiling`` and the reference answers through more shapes, so that neither a wrong helper
nor a wrong reference can hide behind the cases the grade cells happen to draw.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings

import pytest
import strategies  # noqa: F401 - loads the course's hypothesis profile
import torch
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from utils import profiling, testing
from utils.instructor.harness import solution_namespace

pytestmark = pytest.mark.ch04


@pytest.fixture(scope="module")
def ns():
    return solution_namespace("04_memory_profiling")


def _mlp(sizes: list[int], dtype: torch.dtype = torch.float32) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers).to(dtype)


# utils.profiling


def test_peak_bytes_counts_tensors_alive_together():
    """Is the peak of two 4 MB tensors alive at once 8 MB, and of two in turn 4 MB?"""

    def together():
        a = torch.ones(1_000_000)
        b = torch.ones(1_000_000)
        return a, b

    def in_turn():
        a = torch.ones(1_000_000)
        del a
        return torch.ones(1_000_000)

    assert profiling.peak_bytes(together) == 8_000_000
    assert profiling.peak_bytes(in_turn) == 4_000_000


def test_memory_events_are_labelled_and_add_up():
    """Do the events carry their operator and record_function scope, and sum to what is still held?"""

    def step():
        with torch.profiler.record_function("make"):
            kept = torch.zeros(250_000)
        with torch.profiler.record_function("drop"):
            temp = torch.ones(500_000)
            del temp
        return kept

    kept, events = profiling.memory_events(step)
    assert kept.numel() == 250_000
    assert sum(e.nbytes for e in events) == 1_000_000
    assert {e.scope for e in events} == {"make", "drop"}
    assert any(e.op.startswith("aten::") for e in events)
    assert max(profiling.running_totals(events)) == 3_000_000


def test_memory_events_rejects_unknown_device():
    """Does asking for a device other than cpu or cuda raise ValueError naming it?"""
    with pytest.raises(ValueError, match="tpu"):
        profiling.memory_events(lambda: None, device="tpu")


def test_saved_tensor_bytes_counts_shared_storage_once():
    """Is a ReLU output that the next Linear also saves counted once, and are parameters left out?"""
    torch.manual_seed(0)
    mlp = _mlp([6, 5, 3])
    _, saved = profiling.saved_tensor_bytes(mlp, torch.randn(4, 6), exclude=list(mlp.parameters()))
    assert saved == (4 * 6 + 4 * 5) * 4


def test_first_profiled_call_is_silent_on_stderr():
    """Does the first profiled call in a fresh process write nothing to standard error (fd 2)?"""
    code = textwrap.dedent(
        """
        import torch
        from utils.profiling import peak_bytes
        assert peak_bytes(lambda: torch.ones(1000)) == 4000
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "KINETO_LOG_LEVEL"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_warnings_go_to_stdout_once_the_setup_cell_ran(capsys):
    """After the set-up cell's warnings_to_stdout(), does a warning land on stdout and not on stderr
    (where nbgrader would zero the grade cell)?"""
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        testing.warnings_to_stdout()
        warnings.warn("only a note", UserWarning)
    out, err = capsys.readouterr()
    assert "UserWarning: only a note" in out
    assert err == ""


# reference solutions


def test_an_allocation_outside_any_operator_is_not_labelled_free(ns, monkeypatch):
    """Is an allocation the profiler saw outside any operator labelled as an allocation, and a free
    outside any operator as a free?"""
    fake = [
        profiling.MemoryEvent(0, 400, "", "forward"),
        profiling.MemoryEvent(1, 800, "aten::addmm", "forward"),
        profiling.MemoryEvent(2, -400, "", "backward"),
    ]
    monkeypatch.setitem(ns, "memory_events", lambda fn, *args, device="cpu", **kwargs: (fn(*args, **kwargs), fake))
    model = ns["LargeNeuralNetwork"](4, (4,), 2, dropout=0.0)
    result = ns["profile_network_memory"](model, torch.randn(2, 4))
    assert result["operations"] == ["forward/alloc", "forward/aten::addmm", "backward/free"]
    assert [mb for _, mb in result["memory_timeline"]] == [0.0004, 0.0012, 0.0008]


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 48),
    sizes=st.lists(st.integers(1, 64), min_size=2, max_size=6),
    dtype=st.sampled_from([torch.float32, torch.float64, torch.bfloat16]),
)
def test_estimate_matches_saved_bytes(ns, batch, sizes, dtype):
    """Does the activation estimate equal the saved-tensor bytes of a real forward pass, to the byte?"""
    torch.manual_seed(batch)
    mlp = _mlp(sizes, dtype)
    _, saved = profiling.saved_tensor_bytes(mlp, torch.randn(batch, sizes[0], dtype=dtype), exclude=list(mlp.parameters()))
    assert ns["estimate_activation_memory"](batch, sizes, dtype) == saved


@settings(max_examples=10, deadline=None)
@given(sizes=st.lists(st.integers(2, 24), min_size=3, max_size=5), batch=st.integers(1, 6), seed=st.integers(0, 100))
def test_checkpointed_gradients_match_with_dropout(ns, sizes, batch, seed):
    """With dropout on, does the checkpointed pass reproduce the plain pass's gradients (same masks)?"""
    torch.manual_seed(seed)
    model = ns["LargeNeuralNetwork"](sizes[0], sizes[1:-1], sizes[-1], dropout=0.3).train()
    x = torch.randn(batch, sizes[0])
    grads = []
    for forward in (model.forward, model.forward_with_checkpointing):
        model.zero_grad(set_to_none=True)
        torch.manual_seed(seed + 1)
        forward(x).sum().backward()
        grads.append([p.grad.clone() for p in model.parameters()])
    for plain, ckpt in zip(*grads):
        torch.testing.assert_close(ckpt, plain, rtol=1e-4, atol=1e-5)


def test_profiled_peak_grows_with_batch_and_checkpointing_helps(ns):
    """Does the measured peak grow with the batch, and does checkpointing cut an activation-heavy step?"""
    torch.manual_seed(0)
    model = ns["LargeNeuralNetwork"](64, (64,) * 6, 4, dropout=0.1).train()
    profile = ns["profile_network_memory"]
    peaks = [profile(model, torch.randn(b, 64))["peak_memory"] for b in (16, 64, 256, 512)]
    assert peaks == sorted(peaks) and peaks[-1] > 2 * peaks[0]
    x = torch.randn(512, 64)
    assert profile(model, x, use_checkpointing=True)["peak_memory"] <= 0.7 * profile(model, x)["peak_memory"]


def test_small_batch_peak_is_the_gradients(ns):
    """At a small batch, is the step's peak about the gradients, with or without checkpointing?"""
    torch.manual_seed(0)
    model = ns["LargeNeuralNetwork"](256, (256, 256), 8, dropout=0.0).train()
    grads_mb = profiling.tensor_bytes(model.parameters()) / profiling.BYTES_PER_MB
    x = torch.randn(4, 256)
    for use_checkpointing in (False, True):
        peak = ns["profile_network_memory"](model, x, use_checkpointing)["peak_memory"]
        assert grads_mb <= peak <= 1.05 * grads_mb


@settings(max_examples=8, deadline=None)
@given(nbytes=st.integers(2_000, 40_000))
def test_find_leak_rate(ns, nbytes):
    """Does find_leak report a kept bytearray's size per iteration, and no leak once the list is cleared?"""
    kept = []
    report = ns["find_leak"](lambda: kept.append(bytearray(nbytes)), iterations=20)
    assert report["leaking"] == (nbytes > ns["LEAK_THRESHOLD_BYTES_PER_ITER"])
    assert nbytes <= report["growth_bytes_per_iter"] <= 1.05 * nbytes + 512
    assert not ns["find_leak"](lambda: bytearray(nbytes), iterations=20)["leaking"]


def test_optimize_reports_a_training_step(ns):
    """Does optimize_memory_usage keep full-batch gradients and report a saving on an activation-heavy step?"""
    torch.manual_seed(0)
    model = ns["LargeNeuralNetwork"](64, (64,) * 6, 4, dropout=0.0).train()
    x = torch.randn(512, 64)
    model(x).sum().backward()
    want = [p.grad.clone() for p in model.parameters()]
    report = ns["optimize_memory_usage"](model, x)
    assert report["improvement"] >= 0.3 and report["strategies"]
    for p, w in zip(model.parameters(), want):
        torch.testing.assert_close(p.grad, w, rtol=1e-4, atol=1e-4)
