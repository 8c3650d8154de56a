"""``python -m utils grade``: autograde every submission, write feedback and ``grades.csv``.

Each submission is one task (``tasks.py``): a scratch course holding only that notebook, its
chapter's instructor notebook and a scratch gradebook, graded by nbgrader with the kernel in a
bubblewrap sandbox (``sandbox.py``). Tasks run here one after another (``jobs=1``), on a local
Dask cluster (``jobs=N``) or on a Dask scheduler elsewhere (``cluster=ADDRESS``); this process is
the one writer that records each result in the gradebook as it arrives (``record_result``).

Scores come from the gradebook, which keeps every grade ever recorded, so re-running neither
duplicates nor loses a row of ``grades.csv``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import collect, course, nbg, records, tasks
from . import notebooks as nbs
from .feedback import mark_pending
from .records import CSV_FIELDS, _num, format_table, gradebook_rows, read_csv, write_csv  # noqa: F401


@dataclass
class Outcome:
    """What grading one student's chapter gave."""

    student_id: str
    chapter: str
    ok: bool
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    status: str = ""
    seconds: dict = field(default_factory=dict)
    lost: bool = False  # the cluster lost the task: nothing was recorded or removed


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


def _wait_for_sqlite(db_url: str, timeout_s: float = 60.0) -> None:
    """Wait while another program holds an SQLite gradebook locked (formgrader, a second grader)."""
    import sqlite3

    if not db_url.startswith("sqlite:///") or not Path(db_url[len("sqlite:///"):]).is_file():
        return
    try:
        db = sqlite3.connect(db_url[len("sqlite:///"):], timeout=timeout_s, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
        finally:
            db.close()
    except sqlite3.OperationalError as exc:
        raise RuntimeError(f"gradebook {db_url} still locked after {timeout_s:.0f} s ({exc}); "
                           "close formgrader or other graders and run again") from None


def _waiting_for_locks(step, what: str, attempts: int = 40):
    """Run ``step``, retrying for about a minute while another program holds the gradebook locked."""
    for attempt in range(attempts):
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - nbgrader wraps SQLAlchemy's error in its own
            text = str(exc).lower()
            if "locked" not in text and "error accessing the nbgrader database" not in text:
                raise
            if attempt == attempts - 1:
                raise RuntimeError(f"gradebook busy (locked by another program) while {what}; "
                                   "close formgrader or other graders and run again") from None
            time.sleep(min(0.25 * (attempt + 1), 3))
    return None


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


def record_result(gb, root: Path, result: dict) -> Outcome:
    """Record one graded submission in the gradebook and the course folders; the one writer.

    Hand grades of answers that did not change since they were graded are put back
    (``records.snapshot_manual`` / ``restore_manual``); changed answers are flagged again.
    """
    import nbformat

    sid, ch_id = result["student_id"], result["chapter"]
    notes = list(result["notes"])
    manual = records.snapshot_manual(gb, sid, ch_id) if result["ok"] else {}
    tasks.record(gb, root, result)
    if result["ok"] and result.get("autograded") is not None:
        graded = nbformat.reads(result["autograded"].decode("utf-8"), as_version=nbformat.NO_CONVERT)
        changed = records.restore_manual(gb, manual, sid, ch_id, graded)
        notes += [f"answer {gid} changed since it was graded by hand" for gid in changed]
    return Outcome(sid, ch_id, result["ok"], result["reason"], notes,
                   status=tasks.status_of(result), seconds=result.get("seconds", {}), lost=bool(result.get("lost")))


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
    jobs: int = 1,
    cluster: str | None = None,
    limits: dict | None = None,
    trusted: bool = False,
) -> GradeReport:
    """Autograde the submissions of the named chapters (all by default).

    Args:
        names: chapters to grade.
        students: student ids to grade (default: every folder under ``submitted/``).
        root: the course root.
        db_url: SQLAlchemy URL of the gradebook (default: ``COURSE_DB_URL`` or the SQLite file).
        timeout_s: per-cell time limit, overriding ``nbgrader_config.py``.
        progress: show a progress bar on stderr.
        jobs: grading processes on this machine (1: grade here, one after another).
        cluster: address of a Dask scheduler whose workers grade instead.
        limits: overrides of ``tasks.DEFAULT_SETTINGS`` (memory, time budget, ...).
        trusted: the notebooks are the course's own (``demo``): without bubblewrap they are graded
            unsandboxed, with a notice, instead of refused.

    Returns:
        The outcome of each submission, the rows written to ``grades.csv`` and its path.
    """
    from nbgrader.api import Gradebook
    from tqdm import tqdm

    from . import sandbox

    why = sandbox.available()
    if why and not trusted:
        raise RuntimeError(why)
    if why:  # the course's own notebooks: grading them without the sandbox is safe
        print(f"{why}; grading the course's own notebooks without the sandbox", file=sys.stderr)
        limits = {**(limits or {}), "isolate": False}
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
    records.check_source(root / "grades.csv", a.coursedir.db_url)
    _wait_for_sqlite(a.coursedir.db_url)
    # The local cluster's workers start (about 3 s) while this process records the chapters.
    started = ThreadPoolExecutor(1).submit(tasks.local_cluster, jobs) if jobs > 1 and not cluster and pairs else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            locked = _waiting_for_locks(lambda: register_sources(a, chapters, root), "recording the chapters")
            kits = {ch.id: tasks.chapter_kit(ch, a.coursedir.db_url, a.coursedir.course_id, ch.path("source"),
                                             locked[ch.id])
                    for ch in chapters if any(c == ch for _, c in pairs)}
        chosen = tasks.settings(timeout_s, **(limits or {}))
        runtime = tasks.runtime_files()
    except BaseException:
        if started is not None:
            tasks.close_cluster(started.result())
        raise

    outcomes: list[Outcome] = []
    todo, early = [], []
    renamed: dict[tuple[str, str], str] = {}
    for student_id, ch in pairs:
        folder = root / "submitted" / student_id / ch.id
        notebook, why = find_notebook(folder, ch.notebook_name)
        big = tasks.too_big(notebook.stat().st_size, chosen) if notebook is not None else None
        if notebook is None or big:
            why = big or why
            early.append({"student_id": student_id, "chapter": ch.id, "ok": False, "notebook": ch.notebook_name,
                          "reason": why, "notes": [],
                          "grades": [], "crash": None, "findings": [], "autograded": None, "feedback": None})
            continue
        if why:  # graded under its expected name inside the task; the submission stays as it is
            renamed[(student_id, ch.id)] = why
        todo.append(tasks.make_task(student_id, kits[ch.id], notebook.read_bytes(), runtime, chosen))

    with warnings.catch_warnings():  # nbgrader's SQLAlchemy and nbformat chatter
        warnings.simplefilter("ignore")
        with Gradebook(a.coursedir.db_url, a.coursedir.course_id) as gb:
            for result in early:
                outcomes.append(record_result(gb, root, result))
            bar = tqdm(total=len(pairs), initial=len(early), desc="grading", unit="notebook",
                       disable=not progress or not pairs)
            for result in tasks.run_tasks(todo, jobs=jobs, cluster=cluster, started=started):
                t0 = time.perf_counter()
                outcomes.append(record_result(gb, root, result))
                if outcomes[-1].seconds:  # the one writer's share: what bounds many workers
                    outcomes[-1].seconds["record"] = time.perf_counter() - t0
                bar.update(1)
            bar.close()
        recorded = gradebook_rows(a.coursedir.db_url, a.coursedir.course_id)
        mark_pending(root, a.coursedir.db_url, a.coursedir.course_id,
                     [(o.student_id, o.chapter) for o in outcomes if o.ok])
    order = {(s, ch.id): i for i, (s, ch) in enumerate(pairs)}
    outcomes.sort(key=lambda o: order[(o.student_id, o.chapter)])

    csv_path = root / "grades.csv"
    rows = read_csv(csv_path)
    rows.update(recorded)
    for o in outcomes:
        key = (o.student_id, o.chapter)
        if key in renamed:
            o.notes.insert(0, renamed[key])
        row = rows.get(key) or {
            "student_id": o.student_id, "chapter": o.chapter, "auto_score": "0",
            "auto_max": "", "manual_score": "", "manual_max": "", "manual_pending": "", "total": "",
            "total_max": "", "notes": "",
        }
        if (not o.ok and not o.lost) or key not in recorded:  # no older score stands beside the status
            row.update(auto_score="0", manual_pending="")
        row["status"] = o.status
        row["notes"] = "; ".join(o.notes)
        rows[key] = row
    write_csv(csv_path, rows)
    records.claim_source(csv_path, a.coursedir.db_url)
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
    return grade(names, ["demo-solution", "demo-untouched"], root=root, progress=progress, trusted=True)
