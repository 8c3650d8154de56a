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

    @property
    def passed(self) -> bool:
        return not self.reason


def check(path: Path, timeout_s: int = 180) -> list[CellResult]:
    """Run ``path`` and score its grade cells.

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
    ran = run_cells(nb, timeout_s=timeout_s, cwd=path.parent.resolve())
    results = []
    for cell in ran:
        if not runner.is_grade(cell):
            continue
        gid = runner.grade_id(cell)
        max_points = float(runner.nbgrader_meta(cell).get("points", 0))
        if cell.cell_type != "code":
            results.append(CellResult(gid, 0.0, max_points, "manual"))
            continue
        score, _ = runner.cell_score(cell)
        reason = "" if score >= max_points else runner.first_failure_line(cell)
        results.append(CellResult(gid, score, max_points, reason))
    return results


def run_cells(nb, timeout_s: int, cwd: Path) -> list:
    """Run every cell of ``nb`` in a fresh kernel, going on past errors; return the cells run."""
    import os

    from nbclient import NotebookClient

    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    saved = dict(os.environ)
    os.environ.update(runner.kernel_environment())
    try:
        client = NotebookClient(nb, timeout=timeout_s, allow_errors=True, interrupt_on_timeout=True,
                                kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb.cells


def format_results(results: list[CellResult]) -> str:
    width = max((len(r.grade_id) for r in results), default=10)
    lines = []
    for r in results:
        if r.reason == "manual":
            status, pts = "manual", f"{r.max_points:g} pts"
        else:
            status, pts = ("passed" if r.passed else "FAILED"), f"{r.points:g}/{r.max_points:g}"
        detail = "" if r.passed or r.reason == "manual" else f"  {r.reason}"
        lines.append(f"{status:7} {r.grade_id:{width}} {pts:>7}{detail}")
    auto = [r for r in results if r.reason != "manual"]
    got, total = sum(r.points for r in auto), sum(r.max_points for r in auto)
    manual = sum(r.max_points for r in results if r.reason == "manual")
    lines.append(f"{got:g}/{total:g} automatic points from visible tests"
                 + (f"; {manual:g} more points graded by hand" if manual else "")
                 + ". The grader also runs hidden tests.")
    return "\n".join(lines)
