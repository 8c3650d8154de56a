"""``python -m utils grade``: autograde every submission, write feedback and ``grades.csv``.

One nbgrader ``autograde`` run per student and chapter, so a broken submission (invalid JSON, a
kernel that dies) is reported and the batch goes on. nbgrader itself restores edited locked cells
and hidden tests, puts back deleted grade cells, undoes changed cell types and ignores duplicated
locked cells; what it did to each submission is read from its log and reported.

Scores come from the gradebook, which keeps every grade ever recorded, so re-running neither
duplicates nor loses a row of ``grades.csv``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import collect, course, harness, nbg, records
from .feedback import mark_pending
from . import notebooks as nbs
from .records import CSV_FIELDS, _num, format_table, gradebook_rows, read_csv, write_csv  # noqa: F401

# nbgrader log lines worth passing on to the instructor, and how to say them.
_NOTES = [
    (re.compile(r"Missing grade cell (\S+)"), "restored deleted grade cell {0}"),
    (re.compile(r"Cell with id '([^']+)' exists multiple times"), "ignored a duplicate of cell {0}"),
    (re.compile(r"Attribute 'cell_type' for cell (\S+) has changed"), "restored the cell type of {0}"),
    (re.compile(r"Notebook (\S+) is not a valid"), "notebook {0} is not a valid notebook"),
]


def find_notebook(folder: Path, expected_name: str) -> tuple[Path | None, str]:
    """The notebook to grade in a submitted chapter folder, and a note or a refusal.

    ``expected_name`` itself when present; otherwise the folder's only notebook under another name
    (Colab saves ``Copy of complexity.ipynb``, a browser ``complexity (1).ipynb``), with a note
    saying so. Several candidates, or none, give ``None`` and the reason, naming what was found.
    """
    if (folder / expected_name).is_file():
        return folder / expected_name, ""
    found = sorted(p.name for p in folder.glob("*.ipynb") if p.is_file())
    if len(found) == 1:
        return folder / found[0], f"graded {found[0]!r} as {expected_name}"
    if not found:
        return None, f"no {expected_name} in the submission (found: none)"
    return None, f"no {expected_name} and several notebooks in the submission: {', '.join(map(repr, found))}"


@dataclass
class Outcome:
    """What grading one student's chapter gave."""

    student_id: str
    chapter: str
    ok: bool
    reason: str = ""
    notes: list[str] = field(default_factory=list)


def _notes_from_log(log: str) -> list[str]:
    notes: list[str] = []
    for line in log.splitlines():
        for pattern, text in _NOTES:
            m = pattern.search(line)
            if m:
                note = text.format(*(g.strip("'\".:,") for g in m.groups()))
                if note not in notes:
                    notes.append(note)
    return notes


def _log_text(result: dict) -> str:
    return (result.get("error") or "") + "\n" + (result.get("log") or "")


def _first_reason(result: dict) -> str:
    text = _log_text(result)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.search(r"(Error|Exception|error)\b", ln) and not ln.startswith("Traceback"):
            return ln[:200]
    return lines[-1][:200] if lines else "nbgrader failed without a message"


def validate_submission(path: Path) -> str | None:
    """Why a submitted notebook cannot be graded at all, or ``None`` if it can be read."""
    try:
        nbs.read(path)
    except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"not a valid notebook ({first[:120]})"
    return None


def register_sources(a, chapters: list[course.Chapter], root: Path) -> dict[str, dict[str, set[str]]]:
    """Write the instructor notebooks into ``source/`` and record them in the gradebook.

    ``generate_assignment`` must run to store the grade cells and hidden tests that autograding
    restores; its student notebooks go to a scratch folder so ``release/`` is left alone.

    Returns:
        For each chapter id and locked cell, the sources it may have untouched: as released to
        students, and as in the instructor notebook (hidden tests included).
    """
    locked: dict[str, dict[str, set[str]]] = {}
    with tempfile.TemporaryDirectory(prefix="course-release-") as scratch:
        for ch in chapters:
            instructor = nbs.instructor_notebook(ch)
            nbs.write(instructor, ch.path("source"))
            old = a.coursedir.release_directory
            a.coursedir.release_directory = scratch
            try:
                nbg.check(a.generate_assignment(ch.id, force=True, create=True), f"recording {ch.id} in the gradebook")
            finally:
                a.coursedir.release_directory = old
            released = nbs.read(Path(scratch) / ch.id / ch.notebook_name)
            originals = {nbs.grade_id(c): c.source for c in instructor.cells}
            locked[ch.id] = {
                nbs.grade_id(c): {c.source, originals.get(nbs.grade_id(c), c.source)}
                for c in released.cells
                if nbs.is_locked(c)
            }
    return locked


def tamper_notes(notebook, locked: dict[str, set[str]]) -> list[str]:
    """Locked cells of a submission whose source differs from the released one."""
    notes = []
    for cell in notebook.cells:
        gid = nbs.grade_id(cell)
        if gid in locked and cell.source not in locked[gid]:
            note = f"restored edited locked cell {gid}"
            if note not in notes:
                notes.append(note)
    return notes


def timeout_notes(path: Path) -> list[str]:
    """Cells of an autograded notebook that ran past the per-cell time limit."""
    if not path.is_file():
        return []
    notes = []
    for cell in nbs.read(path).cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
                notes.append(f"cell {nbs.grade_id(cell) or cell.get('id')} ran past the time limit")
    return notes


def find_submissions(root: Path, chapters: list[course.Chapter], students: list[str] | None) -> list[tuple[str, course.Chapter]]:
    """(student, chapter) pairs that have a folder under ``submitted/``."""
    base = root / "submitted"
    if not base.is_dir():
        return []
    pairs = []
    for student_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        if students and student_dir.name not in students:
            continue
        for ch in chapters:
            if (student_dir / ch.id).is_dir():
                pairs.append((student_dir.name, ch))
    return pairs


def grade_one(a, student_id: str, ch: course.Chapter, root: Path, locked: dict[str, set[str]] | None = None) -> Outcome:
    """Autograde one submission and write its feedback; never raises for a bad submission."""
    folder = root / "submitted" / student_id / ch.id
    notebook, renamed = find_notebook(folder, ch.notebook_name)
    if notebook is None:
        return Outcome(student_id, ch.id, False, renamed)
    if renamed:  # nbgrader grades the notebook by its expected name only
        notebook = notebook.rename(folder / ch.notebook_name)
    bad = validate_submission(notebook)
    if bad:
        return Outcome(student_id, ch.id, False, bad)
    from nbgrader.api import Gradebook

    notes = [renamed] if renamed else []
    notes += tamper_notes(nbs.read(notebook), locked or {})
    with Gradebook(a.coursedir.db_url, a.coursedir.course_id) as gb:
        manual = records.snapshot_manual(gb, student_id, ch.id)
    result = a.autograde(ch.id, student_id, force=True, create=True)
    if not result.get("success") and harness.is_kernel_start_failure(_log_text(result)):
        result = a.autograde(ch.id, student_id, force=True, create=True)  # a port clash; try once more
    notes += [n for n in _notes_from_log(result.get("log") or "") if n not in notes]
    if not result.get("success"):
        return Outcome(student_id, ch.id, False, _first_reason(result), notes)
    with Gradebook(a.coursedir.db_url, a.coursedir.course_id) as gb:
        changed = records.restore_manual(gb, manual, student_id, ch.id, notebook)
    notes += [f"answer {gid} changed since it was graded by hand" for gid in changed]
    notes += timeout_notes(root / "autograded" / student_id / ch.id / ch.notebook_name)
    feedback = a.generate_feedback(ch.id, student_id, force=True)
    if not feedback.get("success"):
        notes.append("feedback not written: " + _first_reason(feedback))
    return Outcome(student_id, ch.id, True, "", notes)


@dataclass
class GradeReport:
    outcomes: list[Outcome]
    rows: dict[tuple[str, str], dict]
    csv_path: Path
    stray: list[str] = field(default_factory=list)  # folders under submitted/ matching no chapter

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def grade(
    names: list[str] | None = None,
    students: list[str] | None = None,
    root: Path = course.ROOT,
    db_url: str | None = None,
    timeout_s: int | None = None,
    progress: bool = True,
) -> GradeReport:
    """Autograde the submissions of the named chapters (all by default).

    Args:
        names: chapters to grade.
        students: student ids to grade (default: every folder under ``submitted/``).
        root: the course root.
        db_url: SQLAlchemy URL of the gradebook (default: ``COURSE_DB_URL`` or the SQLite file).
        timeout_s: per-cell time limit, overriding ``nbgrader_config.py``.
        progress: show a progress bar on stderr.

    Returns:
        The outcome of each submission, the rows written to ``grades.csv`` and its path.
    """
    from tqdm import tqdm

    root = Path(root).resolve()
    chapters = course.resolve(names, root)
    overrides = {"Execute": {"timeout": timeout_s}} if timeout_s else {}
    read_csv(root / "grades.csv")  # a foreign grades.csv stops us before any work
    pairs = find_submissions(root, chapters, students)
    stray = collect.stray_folders(root, students)
    if students:
        missing = sorted(set(students) - {s for s, _ in pairs})
        if missing:
            hint = "".join(f"; {s}" for s in stray if s.split("/")[1] in missing)
            raise ValueError(f"no submissions under {root / 'submitted'} for student(s): {', '.join(missing)}{hint}")
    a = nbg.api(root, db_url=db_url, **overrides)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        locked = register_sources(a, chapters, root)

    saved = dict(os.environ)
    os.environ.update(harness.kernel_environment(course.ROOT))
    outcomes: list[Outcome] = []
    try:
        with warnings.catch_warnings():  # nbgrader's SQLAlchemy and nbformat chatter
            warnings.simplefilter("ignore")
            for student_id, ch in tqdm(pairs, desc="grading", unit="notebook", disable=not progress or not pairs):
                outcomes.append(grade_one(a, student_id, ch, root, locked.get(ch.id)))
            recorded = gradebook_rows(a.coursedir.db_url, a.coursedir.course_id)
            mark_pending(root, a.coursedir.db_url, a.coursedir.course_id,
                         [(o.student_id, o.chapter) for o in outcomes if o.ok])
    finally:
        os.environ.clear()
        os.environ.update(saved)

    csv_path = root / "grades.csv"
    rows = read_csv(csv_path)
    rows.update(recorded)
    for o in outcomes:
        key = (o.student_id, o.chapter)
        row = rows.get(key) or {
            "student_id": o.student_id, "chapter": o.chapter, "auto_score": "0",
            "auto_max": "", "manual_score": "", "manual_max": "", "manual_pending": "", "total": "",
            "total_max": "", "notes": "",
        }
        row["status"] = "graded" if o.ok else f"not graded: {o.reason}"
        row["notes"] = "; ".join(o.notes)
        rows[key] = row
    write_csv(csv_path, rows)
    return GradeReport(outcomes, rows, csv_path, stray)


def demo(root: Path = course.ROOT, names: list[str] | None = None, progress: bool = True) -> GradeReport:
    """Submit the solution as student ``demo-solution`` and the untouched release as
    ``demo-untouched``, then grade both (the README's first quick-start command)."""
    chapters = course.resolve(names, root)
    for ch in chapters:
        for student, area in (("demo-solution", "solutions"), ("demo-untouched", "release")):
            target = root / "submitted" / student / ch.id / ch.notebook_name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ch.path(area), target)
    return grade(names, ["demo-solution", "demo-untouched"], root=root, progress=progress)
