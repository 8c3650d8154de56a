"""``python -m utils lint``: check chapter sources before they are built.

Each problem is one line, ``file:line: message``, pointing at the ``# %%`` header of the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import course
from . import notebooks as nbs

GRADE_ID_RE = re.compile(r"^[a-z0-9_]+$")
SOLUTION_MARKERS = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def format(self, root: Path = course.ROOT) -> str:
        try:
            shown = self.path.relative_to(root)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.message}"


def _cell_lines(text: str, n_cells: int) -> list[int]:
    """1-based line number of each cell's ``# %%`` header (or 1 when a cell has none)."""
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("# %%")]
    if len(starts) < n_cells:  # text before the first marker forms a cell of its own
        starts = [1] * (n_cells - len(starts)) + starts
    return starts[:n_cells]


def lint_chapter(chapter: course.Chapter, seen_ids: dict[str, tuple[Path, int]] | None = None) -> list[Problem]:
    """Problems in one chapter source; ``seen_ids`` carries grade ids across chapters."""
    import jupytext

    path = chapter.source
    seen_ids = {} if seen_ids is None else seen_ids
    text = path.read_text(encoding="utf-8")
    problems: list[Problem] = []
    try:
        nb = jupytext.reads(text, fmt="py:percent")
    except Exception as exc:  # noqa: BLE001 - any parse failure is one problem to report
        return [Problem(path, 1, f"jupytext cannot read this file: {exc}")]

    if jupytext.writes(nb, fmt="py:percent") != text:
        problems.append(Problem(path, 1, "jupytext round trip changes the file; run "
                                "'jupytext --to py:percent' on it or fix cell spacing"))
    spec = nb.metadata.get("kernelspec") or {}
    if not spec.get("name") or not spec.get("language"):
        problems.append(Problem(path, 1, "kernelspec (name, language) missing from the header"))

    lines = _cell_lines(text, len(nb.cells))
    prefix = course.short_prefix(chapter) + "_"
    ungraded: tuple[str, int] | None = None  # the last exercise cell not yet followed by a grade cell
    for cell, line in zip(nb.cells, lines):
        meta = nbs.nbgrader_meta(cell)
        source = cell.source
        if "cell_marker" in cell.metadata:
            problems.append(Problem(path, line, "markdown written as a string; use '# ' comment lines"))
        if not meta:
            for word in SOLUTION_MARKERS + HIDDEN_MARKERS:
                if word in source:
                    problems.append(Problem(path, line, f"marker words '{word}' outside a solution or grade cell"))
            continue
        gid = meta.get("grade_id")
        if meta.get("schema_version") != 3:
            problems.append(Problem(path, line, f"nbgrader metadata needs schema_version 3, got {meta.get('schema_version')!r}"))
        if not gid:
            problems.append(Problem(path, line, "nbgrader cell without a grade_id"))
        else:
            if not GRADE_ID_RE.match(gid):
                problems.append(Problem(path, line, f"grade_id {gid!r} must be snake_case ([a-z0-9_]+)"))
            if not gid.startswith(prefix):
                problems.append(Problem(path, line, f"grade_id {gid!r} must start with {prefix!r}"))
            if gid in seen_ids:
                other, other_line = seen_ids[gid]
                problems.append(Problem(path, line, f"grade_id {gid!r} already used at {other.name}:{other_line}"))
            else:
                seen_ids[gid] = (path, line)
        grade, solution, locked = bool(meta.get("grade")), bool(meta.get("solution")), bool(meta.get("locked"))
        if grade:
            points = meta.get("points")
            if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
                problems.append(Problem(path, line, f"grade cell {gid!r} needs points > 0, got {points!r}"))
            if not solution and not locked:
                problems.append(Problem(path, line, f"grade cell {gid!r} must be locked"))
        if solution:
            if locked:
                problems.append(Problem(path, line, f"solution cell {gid!r} must not be locked"))
            begins, ends = source.count("BEGIN SOLUTION"), source.count("END SOLUTION")
            if begins == 0 or begins != ends:
                problems.append(Problem(path, line, f"solution cell {gid!r} needs matching solution markers "
                                        f"({begins} begin, {ends} end)"))
        else:
            for word in SOLUTION_MARKERS:
                if word in source:
                    problems.append(Problem(path, line, f"marker words '{word}' in {gid!r}, which is not a solution cell"))
        if not grade:
            for word in HIDDEN_MARKERS:
                if word in source:
                    problems.append(Problem(path, line, f"marker words '{word}' in {gid!r}, which is not a grade cell"))
        elif source.count("BEGIN HIDDEN TESTS") != source.count("END HIDDEN TESTS"):
            problems.append(Problem(path, line, f"grade cell {gid!r} has unbalanced hidden-test markers"))
        if cell.cell_type == "code" and solution and not grade:
            if ungraded is not None:
                problems.append(Problem(path, ungraded[1], f"exercise {ungraded[0]!r} has no grade cell after it"))
            ungraded = (gid or "?", line)
        elif cell.cell_type == "code" and grade:
            ungraded = None
    if ungraded is not None:
        problems.append(Problem(path, ungraded[1], f"exercise {ungraded[0]!r} has no grade cell after it"))
    return problems


def lint(names: list[str] | None = None, root: Path = course.ROOT) -> list[Problem]:
    """Problems in the named chapters (all by default). Grade ids must be unique course-wide,
    so the other chapters' ids are read too."""
    chosen = course.resolve(names, root)
    seen: dict[str, tuple[Path, int]] = {}
    problems: list[Problem] = []
    for ch in course.chapters(root):
        found = lint_chapter(ch, seen)
        if ch in chosen:
            problems.extend(found)
    return problems
