"""``python -m utils bench grading``: how fast the grader grades, and where a notebook's time goes.

Synthesizes a cohort in a scratch course (by turns: the solution, the untouched release and a
mutant from ``tests/mutants/<chapter>/`` put into the solution), grades it with ``--jobs 1`` and
with ``--jobs J``, and reports notebooks per minute, the speedup, and the fixed cost of one
notebook split into its parts, each measured on its own:

- ``isolation``: starting and stopping an empty sandbox (``bwrap`` and ``prlimit``, no Python);
- ``kernel_start``, ``kernel_stop``: starting a sandboxed kernel until it answers; stopping it;
- ``imports``: the chapter's locked set-up cells before its first exercise (imports and helpers,
  not the demonstration cells between them), in that kernel;
- ``task``: the rest of a task outside nbgrader's autograde (the scratch course and the feedback
  page), from the task's own timings.

Each run also reports the median seconds of a task's parts, ``grader_cpu``, the CPU seconds the
grading process spent while it graded a notebook (nbgrader, nbclient, the feedback page, and on a
Dask worker Dask's own threads), beside the kernel's, and ``record``, the time the one writer takes to record a result (the
gradebook, ``autograded/``, ``feedback/``). Projections for 1,200 notebooks scale the measured
time per notebook by the measured speedup per core, and never go below the writer's time.

Importing this module has no side effects; ``main`` does the work.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import course

EPILOG = """examples:
  python -m utils bench grading --students 16 --jobs 2          chapter 01, 16 notebooks, 1 vs 2 jobs
  python -m utils bench grading --chapters 01 02 --students 8   several chapters
  python -m utils bench grading --cluster tcp://host:8786       workers elsewhere (no 1-job run)
Writes bench_grading.json. Projected times for 1,200 notebooks assume the measured per-notebook
time scales with workers up to the measured speedup per core, and that the one writer (which
records each result) keeps up; a projection it would not keep up with is set by its time."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m utils bench grading", description=__doc__.splitlines()[0],
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=16, help="notebooks per chapter (default 16)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel jobs to compare with one")
    p.add_argument("--chapters", nargs="*", default=["01"], metavar="CHAPTER", help="chapters (default 01)")
    p.add_argument("--cluster", metavar="ADDRESS", help="a Dask scheduler to grade on instead")
    p.add_argument("--output", default="bench_grading.json", help="where to write the JSON")
    return p


def synthesize(root: Path, ch: course.Chapter, n: int) -> None:
    """``n`` submissions of ``ch`` under ``root/submitted``: solution, release, mutant, by turns."""
    from . import harness
    from . import notebooks as nbs

    mutants = sorted((course.ROOT / "tests" / "mutants" / ch.id).glob("*.py"))
    for i in range(n):
        kind = ("solution", "release", "mutant")[i % 3] if mutants else ("solution", "release")[i % 2]
        nb = nbs.read(ch.path("solutions" if kind != "release" else "release"))
        if kind == "mutant":
            path = mutants[(i // 3) % len(mutants)]
            text = path.read_text()
            exercise = text.split("exercise:", 1)[1].split()[0]
            code = harness.replacement_source(ch.id, exercise, text)
            for cell in nb.cells:
                if nbs.grade_id(cell) == exercise:
                    cell.source = code
        target = root / "submitted" / f"{kind}-{i:03d}" / ch.id / ch.notebook_name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbs.write(nb, target)


def _scratch_course(where: Path, ch: course.Chapter, n: int) -> Path:
    root = where / ch.id
    for area in ("modules", "release", "solutions"):
        shutil.copytree(course.ROOT / area / ch.id, root / area / ch.id)
    synthesize(root, ch, n)
    return root


def time_grading(root: Path, ch: course.Chapter, jobs: int, cluster: str | None = None) -> dict:
    from . import grade

    for area in ("autograded", "feedback"):
        shutil.rmtree(root / area, ignore_errors=True)
    (root / "gradebook.db").unlink(missing_ok=True)
    start = time.perf_counter()
    report = grade.grade([ch.id], root=root, progress=False, jobs=jobs, cluster=cluster)
    wall = time.perf_counter() - start
    n = len(report.outcomes)
    seconds = [o.seconds for o in report.outcomes if o.seconds]
    return {"jobs": jobs, "notebooks": n, "wall_s": round(wall, 2), "per_minute": round(60 * n / wall, 2),
            "failed": len(report.failed),
            "task_s": {k: round(statistics.median(s[k] for s in seconds), 3) for k in (seconds[0] if seconds else {})}}


def fixed_cost(ch: course.Chapter, repeats: int = 3) -> dict:
    """Median seconds of the isolation, kernel start and imports of one notebook."""
    from . import notebooks as nbs
    from . import sandbox, tasks

    chosen = tasks.settings()
    limits = {k: chosen[k] for k in ("memory_bytes", "processes", "cpu_s", "file_bytes", "tmp_bytes")}
    setup = []  # the locked set-up cells before the first exercise (imports, helpers), not the demos
    for cell in nbs.read(ch.path("release")).cells:
        if nbs.is_solution(cell):
            break
        if nbs.is_setup(cell):
            setup.append(cell.source)
    parts: dict[str, list[float]] = {"isolation": [], "kernel_start": [], "kernel_stop": [], "imports": []}
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        runtime = Path(tmp) / "runtime" / "utils"
        runtime.mkdir(parents=True)
        for rel, data in tasks.runtime_files().items():
            (runtime / rel).write_bytes(data)
        work = Path(tmp) / "kernel"
        work.mkdir()
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run(sandbox.bwrap_prefix(str(work), str(runtime.parent), limits, {}) + ["/bin/true"], check=True)
            parts["isolation"].append(time.perf_counter() - t0)
            start, imports, stop = asyncio.run(_kernel_times(work, runtime.parent, limits, chosen["kernel_env"],
                                                             "\n".join(setup)))
            parts["kernel_start"].append(start)
            parts["imports"].append(imports)
            parts["kernel_stop"].append(stop)
    return {k: round(statistics.median(v), 3) for k, v in parts.items()}


async def _kernel_times(work: Path, runtime: Path, limits: dict, env: dict, setup: str) -> tuple[float, float, float]:
    from .sandbox import SandboxKernelManager

    km = SandboxKernelManager(work_dir=str(work), runtime_dir=str(runtime), limits=limits, kernel_env=env)
    t0 = time.perf_counter()
    await km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=120)
    t1 = time.perf_counter()
    await kc.execute_interactive(setup, timeout=300, output_hook=lambda msg: None)
    t2 = time.perf_counter()
    kc.stop_channels()
    await km.shutdown_kernel(now=True)
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.students < 1 or args.jobs < 1:
        print("python -m utils bench grading: --students and --jobs must be positive", file=sys.stderr)
        return 2
    try:
        chapters = course.resolve(args.chapters)
    except ValueError as exc:
        print(f"python -m utils bench grading: {exc}", file=sys.stderr)
        return 2
    load = os.getloadavg()[0]
    result = {"cpu_count": os.cpu_count(), "load_before": round(load, 2), "students": args.students, "chapters": {}}
    with tempfile.TemporaryDirectory(prefix="course-gradebench-") as tmp:
        for ch in chapters:
            root = _scratch_course(Path(tmp), ch, args.students)
            entry: dict = {"fixed_cost_s": fixed_cost(ch)}
            runs = [] if args.cluster else [time_grading(root, ch, 1)]
            if args.jobs > 1 or args.cluster:
                runs.append(time_grading(root, ch, args.jobs, args.cluster))
            entry["runs"] = runs
            if len(runs) == 2:
                entry["speedup"] = round(runs[1]["per_minute"] / runs[0]["per_minute"], 2)
            one = runs[0]["wall_s"] / runs[0]["notebooks"] * (runs[0]["jobs"] if not args.cluster else 1)
            task = runs[0]["task_s"]
            entry["fixed_cost_s"]["task"] = round(task.get("setup", 0.0) + task.get("feedback", 0.0), 3)
            per_core = entry.get("speedup", 1.0) / max(args.jobs, 1) if len(runs) == 2 else 1.0
            # workers grade in parallel; the one writer records one result after another
            record = max(run["task_s"].get("record", 0.0) for run in runs)
            entry["projected_1200_h"] = {str(w): round(1200 * max(one / (1 + (w - 1) * per_core), record) / 3600, 2)
                                         for w in (1, 8, 32)}
            result["chapters"][ch.id] = entry
            print(_format(ch.id, entry))
    result["load_after"] = round(os.getloadavg()[0], 2)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    print(f"load average {result['load_before']} before, {result['load_after']} after; wrote {args.output}")
    return 0


def _format(chapter: str, entry: dict) -> str:
    lines = [f"{chapter}:"]
    for run in entry["runs"]:
        lines.append(f"  --jobs {run['jobs']}: {run['notebooks']} notebooks in {run['wall_s']:.1f} s, "
                     f"{run['per_minute']:.1f} notebooks/min ({run['failed']} not graded)")
        if run["task_s"]:
            lines.append("    median per notebook: " + ", ".join(f"{k} {v:.2f} s" for k, v in run["task_s"].items()))
    if "speedup" in entry:
        lines.append(f"  speedup: {entry['speedup']:.2f}x")
    cost = entry["fixed_cost_s"]
    lines.append("  fixed cost per notebook: " + ", ".join(f"{k} {v:.2f} s" for k, v in cost.items()))
    lines.append("  projected for 1,200 notebooks: " + ", ".join(
        f"{w} worker{'s' if w != '1' else ''} {h:.1f} h" for w, h in entry["projected_1200_h"].items()))
    return "\n".join(lines)
