"""``python -m utils check NOTEBOOK``: a student's self-check of their own notebook.

Runs the notebook as it is on disk (the student's answers, the visible tests) in a fresh kernel,
the way the grader runs it, and reports every graded cell as passed or failed with its points.
The grader also runs hidden tests, so passing here is necessary, not sufficient.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import harness
from . import notebooks as nbs


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
    from nbgrader.utils import determine_grade

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such notebook: {path}")
    try:
        nb = nbs.read(path)
    except Exception as exc:  # noqa: BLE001
        raise ValueError(f"{path} is not a readable notebook: {str(exc).splitlines()[0]}") from None
    if not any(nbs.is_grade(c) for c in nb.cells):
        raise ValueError(f"{path} has no grade cells; is it a course notebook?")
    ran = harness.run_cells(list(nb.cells), timeout_s=timeout_s, cwd=str(path.parent.resolve()))
    results = []
    for cell in ran:
        if not nbs.is_grade(cell):
            continue
        gid = nbs.grade_id(cell)
        max_points = float(nbs.nbgrader_meta(cell).get("points", 0))
        if cell.cell_type != "code":
            results.append(CellResult(gid, 0.0, max_points, "manual"))
            continue
        score, _ = determine_grade(cell)
        score = float(score or 0.0)
        reason = "" if score >= max_points else harness.first_failure_line(cell)
        results.append(CellResult(gid, score, max_points, reason))
    return results


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
