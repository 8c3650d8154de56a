"""``python -m utils check NOTEBOOK``: a student's self-check of their own notebook.

Runs the notebook as it is on disk (the student's answers, the visible tests) in a fresh kernel,
the way the grader runs it, and reports every graded cell as passed or failed with its points.
The grader also runs hidden tests, so passing here is necessary, not sufficient.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import runner


@dataclass(frozen=True)
class CellResult:
    grade_id: str
    points: float
    max_points: float
    reason: str  # empty when the cell passed; "manual" for answers a person grades
    answered: bool = True  # False for a reflection still holding the answer placeholder

    @property
    def passed(self) -> bool:
        return not self.reason


#: What nbgrader leaves in a reflection cell for the student to replace.
ANSWER_PLACEHOLDER = "YOUR ANSWER HERE"


def find_course_root(notebook: Path) -> Path:
    """The course folder a notebook belongs to: the nearest folder above it holding the course
    helpers (``utils/colab.py``), else the folder of the ``utils`` running this check."""
    for folder in Path(notebook).resolve().parents:
        if (folder / "utils" / "colab.py").is_file():
            return folder
    return runner.ROOT


def check(path: Path, timeout_s: int = 180, progress: bool = False) -> list[CellResult]:
    """Run ``path`` and score its grade cells.

    Args:
        path: the notebook, relative to the current folder or absolute.
        timeout_s: per-cell time limit.
        progress: show which cell is running on stderr.

    Returns:
        One result per grade cell, in order, and one per other cell that ran out of time.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: ``path`` is not a notebook, or has no grade cells.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such notebook: {path}")
    try:
        nb = runner.read(path)
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"{path} is not a readable notebook: {str(exc).splitlines()[0]}") from None
    if not any(runner.is_grade(c) for c in nb.cells):
        raise ValueError(f"{path} has no grade cells; is it a course notebook?")
    timed_out: set[int] = set()
    ran = run_cells(nb, timeout_s=timeout_s, cwd=path.parent.resolve(), root=find_course_root(path),
                    timed_out=timed_out, progress=path.name if progress else None)
    results = []
    for index, cell in enumerate(ran):
        late = index in timed_out
        if not runner.is_grade(cell):
            if late:
                name = runner.grade_id(cell) or f"cell {index + 1}"
                results.append(CellResult(name, 0.0, 0.0, f"timed out: ran past the {timeout_s} s limit"))
            continue
        gid = runner.grade_id(cell)
        max_points = float(runner.nbgrader_meta(cell).get("points", 0))
        if cell.cell_type != "code":
            results.append(CellResult(gid, 0.0, max_points, "manual", ANSWER_PLACEHOLDER not in cell.source))
            continue
        score, _ = runner.cell_score(cell)
        if late:
            reason = f"timed out: ran past the {timeout_s} s limit"
        else:
            reason = "" if score >= max_points else runner.first_failure_line(cell)
        results.append(CellResult(gid, 0.0 if late else score, max_points, reason))
    return results


def run_cells(nb, timeout_s: int, cwd: Path, root: Path = runner.ROOT, timed_out: set[int] | None = None,
              progress: str | None = None) -> list:
    """Run every cell of ``nb`` in a fresh kernel, going on past errors; return the cells run.

    Args:
        root: the course folder the kernel is told about (``COURSE_ROOT``).
        timed_out: filled with the index of each cell that ran past ``timeout_s``.
        progress: the notebook's name, to show "cell k of n" on stderr; ``None`` for silence.
    """
    import os

    from nbclient import NotebookClient

    late = set() if timed_out is None else timed_out
    code_cells = sum(c.cell_type == "code" for c in nb.cells)
    done = [0]
    bar = _Progress(progress, code_cells) if progress else None

    class Client(NotebookClient):
        async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
            if cell.cell_type == "code":
                done[0] += 1
                if bar:
                    bar.show(done[0])
            self._current_index = cell_index
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)

        async def _async_handle_timeout(self, timeout, cell=None):
            late.add(self._current_index)
            return await super()._async_handle_timeout(timeout, cell)

    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    saved = dict(os.environ)
    os.environ.update(runner.kernel_environment(root))
    try:
        client = Client(nb, timeout=timeout_s, allow_errors=True, interrupt_on_timeout=True,
                        kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                        extra_arguments=["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=40"])
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        if bar:
            bar.close()
    return nb.cells


class _Progress:
    """``name: cell k of n`` on stderr: rewritten in place on a terminal, else about ten lines."""

    def __init__(self, name: str, total: int):
        import sys

        self.name, self.total, self.stream = name, total, sys.stderr
        self.tty = self.stream.isatty()
        self.step = max(1, round(total / 10))

    def show(self, k: int) -> None:
        text = f"{self.name}: code cell {k} of {self.total}"
        if self.tty:
            self.stream.write("\r" + text)
        elif k == 1 or k % self.step == 0 or k == self.total:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def format_results(results: list[CellResult]) -> str:
    width = max((len(r.grade_id) for r in results), default=10)
    lines = []
    for r in results:
        if r.reason == "manual":
            status, pts = "manual", f"{r.max_points:g} pts"
        else:
            status, pts = ("passed" if r.passed else "FAILED"), f"{r.points:g}/{r.max_points:g}"
        detail = "" if r.passed or r.reason == "manual" else f"  {r.reason}"
        if not r.answered:
            detail = "  not answered yet"
        lines.append(f"{status:7} {r.grade_id:{width}} {pts:>7}{detail}")
    auto = [r for r in results if r.reason != "manual"]
    got, total = sum(r.points for r in auto), sum(r.max_points for r in auto)
    manual = sum(r.max_points for r in results if r.reason == "manual")
    lines.append(f"{got:g}/{total:g} automatic points from visible tests"
                 + (f"; {manual:g} more points graded by hand" if manual else "")
                 + ". The grader also runs hidden tests.")
    unanswered = [r.grade_id for r in results if not r.answered]
    if unanswered:
        lines.append(f"Reflections still unanswered ({ANSWER_PLACEHOLDER!r} left in): {', '.join(unanswered)}")
    return "\n".join(lines)
