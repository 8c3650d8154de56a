"""Grade one exercise of a chapter with a replacement answer: the test harness.

``grade_exercise`` builds the smallest submission that still exercises the grader honestly: the
set-up cells, the reference answers of the exercises before the one under test, the replacement
answer (a mutant, an alternative, or the student stub), and that exercise's grade cells with their
hidden tests restored, exactly as ``nbgrader autograde`` restores them. It then runs them with
nbgrader's own ``Execute`` preprocessor (same configuration, same per-cell timeout handling) and
scores each grade cell with nbgrader's own ``determine_grade``, so a stray line on stderr or an
exception costs the same points it would cost a student.

``solution_namespace`` runs the set-up and exercise cells of a chapter in this process and returns
their globals, for tests and benchmarks that call the reference solutions directly.
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat

from .. import gpu
from ..runner import first_failure_line, kernel_environment  # noqa: F401 - re-exported
from . import course
from . import notebooks as nbs


def _chapter(chapter: str | course.Chapter) -> course.Chapter:
    if isinstance(chapter, course.Chapter):
        return chapter
    return course.resolve([chapter])[0]


def exercise_ids(chapter: str | course.Chapter) -> list[str]:
    """The grade ids of the chapter's code exercise cells, in order."""
    nb = nbs.instructor_notebook(_chapter(chapter))
    return [nbs.grade_id(c) for c in nb.cells if nbs.is_solution(c) and c.cell_type == "code"]


def plan(nb, exercise_id: str, code: str | None = None) -> tuple[list, list[str]]:
    """Cells to run for ``exercise_id`` and the grade ids that belong to it.

    Keeps set-up cells up to the exercise's last grade cell, the code exercise cells before it
    (reference answers), the exercise cell itself (its source replaced by ``code`` if given) and
    the code grade cells between it and the next solution cell.

    Raises:
        ValueError: ``exercise_id`` is not a code solution cell of ``nb``, or has no grade cell.
    """
    cells = nb.cells
    index = next(
        (i for i, c in enumerate(cells) if nbs.grade_id(c) == exercise_id and nbs.is_solution(c)),
        None,
    )
    if index is None or cells[index].cell_type != "code":
        known = [nbs.grade_id(c) for c in cells if nbs.is_solution(c) and c.cell_type == "code"]
        raise ValueError(f"no exercise cell {exercise_id!r}; exercises: {', '.join(known)}")
    end = index + 1
    while end < len(cells) and not nbs.is_solution(cells[end]):
        end += 1
    graded = [i for i in range(index + 1, end) if nbs.is_grade(cells[i]) and cells[i].cell_type == "code"]
    if not graded:
        raise ValueError(f"exercise {exercise_id!r} has no grade cell after it")
    last = graded[-1]
    keep = []
    for i, cell in enumerate(cells[: last + 1]):
        if cell.cell_type != "code":
            continue
        if i == index:
            cell = nbformat.from_dict(cell)
            if code is not None:
                cell.source = code
            keep.append(cell)
        elif nbs.is_setup(cell) or (i < index and nbs.is_solution(cell)) or i in graded:
            keep.append(nbformat.from_dict(cell))
    return keep, [nbs.grade_id(cells[i]) for i in graded]


def run_cells(cells: list, timeout_s: int = 120, cwd: str | None = None) -> list:
    """Execute ``cells`` in a fresh kernel with nbgrader's Execute preprocessor; return them run."""
    from nbgrader.preprocessors import Execute

    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cfg = course.nbgrader_config(Execute={"timeout": timeout_s})
    saved = dict(os.environ)
    os.environ.update(kernel_environment(course.ROOT))
    try:
        with tempfile.TemporaryDirectory(prefix="harness-") as tmp:
            for attempt in (1, 2):
                try:
                    ran, _ = Execute(config=cfg).preprocess(copy.deepcopy(nb), {"metadata": {"path": cwd or tmp}})
                    break
                except RuntimeError as exc:  # DeadKernelError is one too
                    if attempt == 2 or not is_kernel_start_failure(str(exc)):
                        raise
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return ran.cells


KERNEL_START_FAILURES = ("Kernel died before replying", "Address already in use", "didn't respond in")


def is_kernel_start_failure(message: str) -> bool:
    """True for the rare failures of starting a kernel (two kernels racing for one TCP port)."""
    return any(text in message for text in KERNEL_START_FAILURES)


def _graded_cells(chapter, exercise_id: str, code: str | None, timeout_s: int) -> list:
    """Run the plan for ``exercise_id`` and return its grade cells, executed."""
    nb = nbs.instructor_notebook(_chapter(chapter))
    cells, graded = plan(nb, exercise_id, code)
    return [cell for cell in run_cells(cells, timeout_s=timeout_s) if nbs.grade_id(cell) in graded]


def grade_exercise(
    chapter: str | course.Chapter, exercise_id: str, code: str | None = None, timeout_s: int = 120
) -> dict[str, tuple[float, float]]:
    """Scores of ``exercise_id``'s grade cells when its answer is ``code``.

    Args:
        chapter: a chapter id, number or topic (``"01_complexity"``, ``"01"``, ``"complexity"``).
        exercise_id: the grade id of the exercise cell, e.g. ``"complexity_prefix_sum"``.
        code: the replacement cell source; ``None`` keeps the reference solution.
        timeout_s: per-cell time limit.

    Returns:
        ``{grade_id: (score, max_points)}`` for each grade cell of the exercise.
    """
    from nbgrader.utils import determine_grade

    scores = {}
    for cell in _graded_cells(chapter, exercise_id, code, timeout_s):
        score, max_points = determine_grade(cell)
        scores[nbs.grade_id(cell)] = (float(score or 0.0), float(max_points))
    return scores


def failures(chapter: str | course.Chapter, exercise_id: str, code: str | None = None, timeout_s: int = 120) -> dict[str, str]:
    """Like ``grade_exercise`` but returns, for each grade cell that lost points, why (first line)."""
    from nbgrader.utils import determine_grade

    why = {}
    for cell in _graded_cells(chapter, exercise_id, code, timeout_s):
        score, max_points = determine_grade(cell)
        if (score or 0) < max_points:
            why[nbs.grade_id(cell)] = first_failure_line(cell)
    return why


def solution_namespace(chapter: str | course.Chapter) -> dict[str, Any]:
    """Run the chapter's set-up and exercise cells (reference answers) here; return the globals.

    The injected course set-up cell is skipped; the GPU choice is made here instead when numba has
    not been imported yet.
    """
    ch = _chapter(chapter)
    if "numba" not in sys.modules:
        gpu.configure()
    nb = nbs.read_source(ch)
    namespace: dict[str, Any] = {"__name__": f"course_{ch.topic}"}
    for cell in nb.cells:
        if cell.cell_type == "code" and (nbs.is_setup(cell) or nbs.is_solution(cell)):
            exec(compile(cell.source, f"<{ch.id}:{nbs.grade_id(cell)}>", "exec"), namespace)
    return namespace


PATCH_BEGIN, PATCH_MID, PATCH_END = "<<<<<<< reference", "=======", ">>>>>>> replacement"


def reference_answer(chapter: str | course.Chapter, exercise_id: str) -> str:
    """The reference source of an exercise cell, solution markers removed."""
    nb = nbs.read_source(_chapter(chapter))
    cell = next((c for c in nb.cells if nbs.grade_id(c) == exercise_id and nbs.is_solution(c)), None)
    if cell is None:
        raise ValueError(f"no exercise cell {exercise_id!r} in {_chapter(chapter).id}")
    keep = [ln for ln in cell.source.splitlines() if not any(m in ln for m in nbs.MARKERS)]
    return "\n".join(keep) + "\n"


def _find_lines(haystack: list[str], needle: list[str]) -> list[int]:
    """Start indices where ``needle`` occurs as whole lines in ``haystack``."""
    n = len(needle)
    return [i for i in range(len(haystack) - n + 1) if n and haystack[i : i + n] == needle]


def apply_patch(reference: str, patch: str) -> str:
    """Apply conflict-style blocks to ``reference``.

    Each block is ``<<<<<<< reference`` / whole lines of the reference / ``=======`` / their
    replacement / ``>>>>>>> replacement``. Every block's reference lines must occur exactly once
    in the reference, and blocks must not overlap.

    Raises:
        ValueError: a block is malformed, or its reference lines are missing, ambiguous or overlap.
    """
    ref = reference.splitlines()
    lines = patch.splitlines()
    edits: list[tuple[int, int, list[str]]] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != PATCH_BEGIN:
            i += 1
            continue
        try:
            mid = lines.index(PATCH_MID, i + 1)
            end = lines.index(PATCH_END, mid + 1)
        except ValueError:
            raise ValueError(f"patch block at line {i + 1} is not closed") from None
        old = lines[i + 1 : mid]
        hits = _find_lines(ref, old)
        if len(hits) != 1:
            raise ValueError(f"patch block at line {i + 1}: its reference lines occur {len(hits)} times, expected once")
        edits.append((hits[0], hits[0] + len(old), lines[mid + 1 : end]))
        i = end + 1
    out: list[str] = []
    pos = 0
    for start, stop, new in sorted(edits):
        if start < pos:
            raise ValueError(f"patch blocks overlap at reference line {start + 1}")
        out += ref[pos:start] + new
        pos = stop
    out += ref[pos:]
    return "\n".join(out) + "\n"


def replacement_source(chapter: str | course.Chapter, exercise_id: str, text: str) -> str:
    """The cell source a mutant or alternative file stands for: the file itself, or, when it holds
    conflict-style blocks, the reference answer with those blocks applied."""
    if any(line.strip() == PATCH_BEGIN for line in text.splitlines()):
        return apply_patch(reference_answer(chapter, exercise_id), text)
    return text
