"""Benchmark of the chapter-03 matmul kernels against BLAS (and cuBLAS on a GPU).

``python -m utils bench`` loads the reference solutions of ``modules/03_kernels/kernels.py`` with
``utils.harness.solution_namespace`` and reports, for square float32 matrices, the GFLOP/s of
``matmul_numba``, ``matmul_numba_parallel`` and ``matmul_fast``, each as a fraction of NumPy's BLAS
measured in the same run with the same number of threads, and as a fraction of single-threaded
BLAS (the steadier reference on a shared machine). On a machine with an NVIDIA GPU it also times
the chapter's shared-memory kernel against ``torch.matmul`` (float32, TF32 off).

How BLAS threads are limited: with ``threadpoolctl`` installed (it is in requirements.txt), in
this process with ``threadpool_limits``, timed in alternation with the kernels; without it, the
multi-threaded BLAS runs with its default thread count (all cores, like Numba) and the
single-threaded one in a child process whose ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` and
``OMP_NUM_THREADS`` are set before NumPy loads (these libraries read them once, at start-up). The
JSON records which way was used.

Importing this module has no side effects; ``main`` does the work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHAPTER = "03_kernels"
KERNELS = ("matmul_numba", "matmul_numba_parallel", "matmul_fast")
DEFAULT_SIZES = (256, 512, 1024)
DEFAULT_OUTPUT = "bench_03_kernels.json"
BLAS_THREAD_ENV = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")

EPILOG = """examples:
  python -m utils bench                               n = 256, 512, 1024; writes bench_03_kernels.json
  python -m utils bench --sizes 512 2048 --repeats 9  other sizes, more repeats
  python -m utils bench --output /tmp/b.json --no-gpu CPU only, JSON elsewhere
Timings are medians of --repeats runs after one untimed warm-up (which also compiles the Numba
kernels). On a shared machine, compare the fractions, not the absolute GFLOP/s."""

# Times np.matmul in a child process whose BLAS thread count was fixed before NumPy loaded.
_BLAS_CHILD = r"""
import json, statistics, sys, time
import numpy as np
sizes, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
out = {}
for n in sizes:
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    a @ b
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    out[str(n)] = 2 * n**3 / statistics.median(times) / 1e9
print(json.dumps(out))
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m utils bench",
        description="GFLOP/s of the chapter-03 matmul kernels as fractions of BLAS (and cuBLAS on a GPU).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=EPILOG,
    )
    p.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N",
                   help="square matrix sizes (default: 256 512 1024)")
    p.add_argument("--repeats", type=int, default=5, metavar="R", help="timed runs per measurement (default 5)")
    p.add_argument("--output", type=Path, default=Path(DEFAULT_OUTPUT), metavar="PATH",
                   help=f"where to write the JSON results (default {DEFAULT_OUTPUT})")
    p.add_argument("--no-gpu", action="store_true", help="skip the GPU comparison even when a GPU is present")
    p.add_argument("--gpu-size", type=int, default=4096, metavar="N", help="matrix size of the GPU comparison (default 4096)")
    return p


def median_gflops(func: Callable[..., Any], n: int, repeats: int, *args: Any) -> float:
    """GFLOP/s of ``func(*args)`` for an n x n x n matmul: one untimed call, median of ``repeats``."""
    func(*args)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - t0)
    return 2 * n**3 / statistics.median(times) / 1e9


def _timed(func: Callable[..., Any], *args: Any) -> float:
    t0 = time.perf_counter()
    func(*args)
    return time.perf_counter() - t0


def blas_gflops_child(sizes: list[int], threads: int, repeats: int) -> dict[int, float]:
    """NumPy float32 matmul GFLOP/s per size, timed in a child process with BLAS on ``threads``."""
    env = dict(os.environ)
    env.update({name: str(threads) for name in BLAS_THREAD_ENV})
    done = subprocess.run([sys.executable, "-c", _BLAS_CHILD, json.dumps(sizes), str(repeats)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"timing BLAS in a child process failed: {done.stderr.strip()[-500:]}")
    return {int(n): g for n, g in json.loads(done.stdout).items()}


def cpu_results(ns: dict[str, Any], sizes: list[int], repeats: int) -> dict[str, Any]:
    """Kernel GFLOP/s and fractions of BLAS (same thread count, and one thread) per size.

    For each size, the kernels and BLAS are timed in alternation, one run of each per round, so a
    change in machine load hits all of them alike; each figure is the median over the rounds.
    """
    import contextlib

    import numba
    import numpy as np

    threads = numba.get_num_threads()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    if threadpool_limits is not None:
        def blas_on(count):
            return threadpool_limits(limits=count, user_api="blas")
        how = f"threadpoolctl: BLAS limited to {threads} threads, and to 1, in this process"
        blas_1_child = None
    else:
        def blas_on(count):
            return contextlib.nullcontext()
        how = (f"BLAS default threads in this process (all cores, or {BLAS_THREAD_ENV[0]}); "
               f"1 thread in a child process with {', '.join(BLAS_THREAD_ENV)}=1")
        blas_1_child = blas_gflops_child(sizes, 1, repeats)
    rows = []
    for n in sizes:
        rng = np.random.default_rng(n)
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        funcs = {name: ns[name] for name in KERNELS}
        for func in funcs.values():
            func(a, b)  # warm-up: compiles the kernel for this signature
        seconds: dict[str, list[float]] = {"blas": [], "blas_1thread": [], **{name: [] for name in funcs}}
        for _ in range(repeats):
            with blas_on(threads):
                seconds["blas"].append(_timed(np.matmul, a, b))
            if blas_1_child is None:
                with blas_on(1):
                    seconds["blas_1thread"].append(_timed(np.matmul, a, b))
            for name, func in funcs.items():
                seconds[name].append(_timed(func, a, b))
        gflops = {name: 2 * n**3 / statistics.median(ts) / 1e9 for name, ts in seconds.items() if ts}
        blas_1 = gflops["blas_1thread"] if blas_1_child is None else blas_1_child[n]
        row = {"n": n, "blas_gflops": gflops["blas"], "blas_1thread_gflops": blas_1, "kernels": {}}
        for name in funcs:
            g = gflops[name]
            row["kernels"][name] = {"gflops": g, "fraction_of_blas": g / gflops["blas"],
                                    "fraction_of_blas_1thread": g / blas_1}
        rows.append(row)
    return {"threads": threads, "blas_thread_control": how, "sizes": rows}


def gpu_results(ns: dict[str, Any], n: int, repeats: int) -> dict[str, Any]:
    """The chapter's shared-memory kernel against torch.matmul (cuBLAS), float32, TF32 off.

    Times the kernel alone on device arrays (what cuBLAS is timed on), and ``gpu_matmul`` end to
    end (with its host-device copies) for reference. Both sides synchronize before the clock stops.
    """
    import math

    import numpy as np
    import torch
    from numba import cuda

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)

    ta, tb = torch.from_numpy(a).cuda(), torch.from_numpy(b).cuda()

    def torch_matmul():
        torch.matmul(ta, tb)
        torch.cuda.synchronize()

    tile = int(ns["TILE"])
    kernel = ns["matmul_kernel_shared"]
    da, db = cuda.to_device(a), cuda.to_device(b)
    dc = cuda.device_array((n, n), dtype=np.float32)
    grid = (math.ceil(n / tile), math.ceil(n / tile))

    def shared_kernel():
        kernel[grid, (tile, tile)](da, db, dc)
        cuda.synchronize()

    cublas = median_gflops(torch_matmul, n, repeats)
    shared = median_gflops(shared_kernel, n, repeats)
    end_to_end = median_gflops(ns["gpu_matmul"], n, max(1, repeats // 2), a, b, "shared")
    reference = (ta @ tb).cpu().numpy()
    err = float(np.max(np.abs(dc.copy_to_host() - reference)) / max(np.max(np.abs(reference)), 1e-30))
    return {
        "device": torch.cuda.get_device_name(0),
        "n": n,
        "tf32": False,
        "cublas_gflops": cublas,
        "shared_kernel_gflops": shared,
        "fraction_of_cublas": shared / cublas,
        "gpu_matmul_end_to_end_gflops": end_to_end,
        "max_relative_difference": err,
    }


def format_table(cpu: dict[str, Any]) -> str:
    """A plain-text table of the CPU results."""
    lines = [f"float32, {cpu['threads']} threads (BLAS: {cpu['blas_thread_control']})",
             f"{'n':>6} {'kernel':24} {'GFLOP/s':>9} {'of BLAS':>8} {'of 1-thread BLAS':>17}"]
    for row in cpu["sizes"]:
        lines.append(f"{row['n']:>6} {'BLAS':24} {row['blas_gflops']:9.1f} {1:8.2f} "
                     f"{row['blas_gflops'] / row['blas_1thread_gflops']:17.2f}")
        for name, k in row["kernels"].items():
            lines.append(f"{'':>6} {name:24} {k['gflops']:9.1f} {k['fraction_of_blas']:8.2f} "
                         f"{k['fraction_of_blas_1thread']:17.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a table; write JSON. Returns the exit status."""
    args = _parser().parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.repeats < 1 or args.gpu_size < 1:
        print("python -m utils bench: sizes, --repeats and --gpu-size must be positive", file=sys.stderr)
        return 2
    from .. import gpu
    from . import harness

    want_gpu = not args.no_gpu and gpu.choose() == "cuda"
    try:
        ns = harness.solution_namespace(CHAPTER)
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback
        print(f"python -m utils bench: could not load the chapter-03 solutions: {exc}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    result: dict[str, Any] = {"machine": platform.processor() or platform.machine(),
                              "cpu_count": os.cpu_count(), "repeats": args.repeats}
    result["cpu"] = cpu_results(ns, list(args.sizes), args.repeats)
    print(format_table(result["cpu"]))
    if want_gpu:
        try:
            result["gpu"] = gpu_results(ns, args.gpu_size, args.repeats)
            g = result["gpu"]
            print(f"GPU {g['device']}, n = {g['n']}, float32, TF32 off: shared kernel "
                  f"{g['shared_kernel_gflops']:.0f} GFLOP/s, cuBLAS {g['cublas_gflops']:.0f} GFLOP/s "
                  f"({g['fraction_of_cublas']:.2f} of cuBLAS)")
        except Exception as exc:  # noqa: BLE001 - report and keep the CPU results
            result["gpu"] = {"error": f"{type(exc).__name__}: {exc}"}
            print(f"GPU comparison failed: {result['gpu']['error']}", file=sys.stderr)
    else:
        result["gpu"] = None
    result["seconds"] = time.perf_counter() - start
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if not (isinstance(result["gpu"], dict) and "error" in result["gpu"]) else 1
