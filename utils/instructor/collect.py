"""``python -m utils collect SOURCE``: file an LMS download under ``submitted/<student>/<chapter>/``.

SOURCE is a zip (or a folder) as Canvas, Moodle or Blackboard hand out "download all
submissions", or a folder of GitHub Classroom clones (one folder per student). Archives, nested
ones included, are unpacked by nbgrader's zip-collect ``ExtractorPlugin``; each notebook's student
is read from its name by ``LmsCollectorPlugin`` (an nbgrader ``FileNameCollectorPlugin``, so
``nbgrader zip_collect`` can use it too), and its chapter from its name or, failing that, from the
grade ids inside it. A CSV (``--map``) turns LMS ids into the course's student ids. Every notebook
that could not be placed is reported with the reason.

Canvas     ``smithjane_12345_67890_complexity.ipynb`` (``_LATE_`` and ``-1`` resubmissions too)
Moodle     ``Jane Smith_12345_assignsubmission_file_/complexity.ipynb`` (or one flat name)
Blackboard ``HW1_jsmith_attempt_2026-01-30-15-00-00_complexity.ipynb``
GitHub     ``01-complexity-janesmith/release/01_complexity/complexity.ipynb``
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import FileNameCollectorPlugin

from . import course

SKIP_PARTS = {".git", "__MACOSX", ".ipynb_checkpoints"}
ARCHIVES = (".zip", ".gz", ".tar", ".tgz", ".bz2", ".xz")

# Each LMS's file name, as a regular expression with nbgrader's group names. ``lms_id`` is the
# number an LMS gives a student; ``student_id`` the readable name the course uses by default.
PATTERNS = {
    "canvas": re.compile(
        r"^(?P<student_id>[a-z0-9]+)_(?P<late>LATE_)?(?P<lms_id>\d+)_\d+_(?P<file_id>.+?)(?:-(?P<attempt>\d+))?\.ipynb$"),
    "moodle": re.compile(
        r"^(?P<student_id>[^/_]+)_(?P<lms_id>\d+)_assignsubmission_(?:file|onlinetext)_/?(?P<file_id>.*?)\.ipynb$"),
    "blackboard": re.compile(
        r"^.+_(?P<student_id>[^_/]+)_attempt_(?P<timestamp>\d{4}(?:-\d\d){5})_(?P<file_id>.+)\.ipynb$"),
}


class LmsCollectorPlugin(FileNameCollectorPlugin):
    """Reads the student and the file from a Canvas, Moodle or Blackboard file name.

    ``collect`` takes a path relative to the unpacked download (a Moodle folder counts as part of
    the name) and returns nbgrader's groups (``student_id``, ``file_id``, ``timestamp``) plus
    ``lms`` and ``lms_id``, or ``None`` when no LMS's naming fits.
    """

    def collect(self, submitted_file: str) -> dict | None:
        rel = Path(submitted_file).as_posix()
        for lms, pattern in PATTERNS.items():
            for candidate in (rel, rel.rsplit("/", 1)[-1]):
                m = pattern.match(candidate)
                if m:
                    found = {k: v for k, v in m.groupdict().items() if v is not None}
                    found["lms"] = lms
                    return found
        return None


@dataclass
class Placed:
    student_id: str
    chapter: str
    source: str  # the file in the download
    target: Path
    rank: tuple = ()  # later attempts rank higher
    late: bool = False  # Canvas marked it _LATE_ (recorded in the report only: no timestamp.txt)


@dataclass
class CollectReport:
    placed: list[Placed] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # "file: reason"
    ignored: list[str] = field(default_factory=list)  # files that are not notebooks, each named by the CLI


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.@-]+", "-", text.strip()).strip("-").lower()


def read_map(path: Path | None) -> dict[str, str]:
    """LMS id (or LMS name) -> student id, from a CSV whose first two columns are those.

    Raises:
        ValueError: the file is missing or has fewer than two columns.
    """
    if path is None:
        return {}
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"no id map at {path}")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = [r for r in csv.reader(fh) if r and any(x.strip() for x in r)]
    if not rows or len(rows[0]) < 2:
        raise ValueError(f"{path}: expected two columns, LMS id and student id (e.g. 'lms_id,student_id')")
    body = rows[1:] if not rows[0][0].strip().isdigit() and rows[0][0].strip().lower() in {
        "lms_id", "id", "lms", "canvas_id", "user", "username", "login"} else rows
    return {r[0].strip(): r[1].strip() for r in body if len(r) >= 2 and r[1].strip()}


def chapter_of(path: Path, chapters: list[course.Chapter]) -> course.Chapter | None:
    """The chapter a notebook belongs to: from a folder or file name, else from its grade ids."""
    for part in reversed(path.parts[:-1]):
        for ch in chapters:
            if part == ch.id:
                return ch
    stem = re.sub(r"^(copy of |copy_of_)", "", path.stem.lower())
    stem = re.sub(r"(-\d+| \(\d+\)|_late)$", "", stem)
    for ch in chapters:
        if stem in (ch.topic, ch.id) or stem.endswith(("_" + ch.topic, "-" + ch.topic)):
            return ch
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    ids = {((c.get("metadata") or {}).get("nbgrader") or {}).get("grade_id") for c in cells if isinstance(c, dict)}
    ids.discard(None)
    hits = [ch for ch in chapters if any(str(i).startswith(course.short_prefix(ch) + "_") for i in ids)]
    return hits[0] if len(hits) == 1 else None


def _unpack(source: Path, into: Path) -> Path:
    """Unpack ``source`` (an archive or a folder holding archives) with nbgrader's extractor."""
    from nbgrader.plugins import ExtractorPlugin

    plugin = ExtractorPlugin()
    plugin.log.disabled = True
    if source.is_dir():
        staging = source
    else:
        staging = into / "archive"
        staging.mkdir()
        shutil.copy(source, staging / source.name)
    extracted = into / "extracted"
    extracted.mkdir()
    plugin.extract(str(staging), str(extracted))
    # step into wrapper folders (the archive's own, an export's top folder), but never into one
    # that names a student: a Moodle submission folder or a single git clone
    base = extracted
    while True:
        inner = [p for p in base.iterdir() if p.name not in SKIP_PARTS]
        if len(inner) != 1 or not inner[0].is_dir() or (inner[0] / ".git").exists() or "_assignsubmission_" in inner[0].name:
            return base
        base = inner[0]


def _github_students(top: list[str]) -> dict[str, str]:
    """Folder name -> student, dropping the assignment prefix GitHub Classroom puts on each clone."""
    if len(top) < 2:
        return {name: name for name in top}
    prefix = top[0]
    for name in top[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    prefix = prefix[: prefix.rfind("-") + 1] if "-" in prefix else ""
    return {name: name[len(prefix):] or name for name in top}


def collect(source: Path, root: Path = course.ROOT, id_map: Path | None = None, dry_run: bool = False) -> CollectReport:
    """File every notebook of an LMS download under ``root/submitted/<student>/<chapter>/``.

    Args:
        source: a zip (or tar) file, or a folder, as the LMS or GitHub Classroom gave it.
        root: the course root.
        id_map: a CSV mapping LMS ids (or LMS names) to student ids.
        dry_run: report what would be filed, write nothing.

    Returns:
        What was filed where, and every file that was not, with the reason.

    Raises:
        ValueError: ``source`` does not exist, or the map is unreadable.
    """
    source = Path(source)
    if not source.exists():
        raise ValueError(f"no download at {source}")
    if source.is_file():
        if not source.name.lower().endswith(ARCHIVES):
            raise ValueError(f"{source}: expected a zip or tar archive, or a folder")
        if source.name.lower().endswith(".zip") and not zipfile.is_zipfile(source):
            raise ValueError(f"{source} is not a readable zip file")
    chapters = course.chapters(root)
    mapping = read_map(id_map)
    plugin = LmsCollectorPlugin()
    report = CollectReport()
    chosen: dict[tuple[str, str], Placed] = {}
    with tempfile.TemporaryDirectory(prefix="course-collect-") as tmp:
        base = _unpack(source.resolve(), Path(tmp))
        files = sorted(p for p in base.rglob("*") if p.is_file() and not SKIP_PARTS & set(p.relative_to(base).parts))
        top = sorted({p.relative_to(base).parts[0] for p in files if len(p.relative_to(base).parts) > 1})
        folder_students = _github_students(top)
        for path in files:
            rel = path.relative_to(base).as_posix()
            if path.suffix != ".ipynb":
                report.ignored.append(rel)
                continue
            found = plugin.collect(rel)
            if found:
                lms_ids = [found.get("lms_id", ""), found["student_id"]]
            elif "/" in rel:
                folder = rel.split("/", 1)[0]
                found = {"student_id": folder_students[folder], "lms": "folder"}
                lms_ids = [folder, folder_students[folder]]
            else:
                report.unplaced.append(f"{rel}: the name shows no student (not Canvas, Moodle or Blackboard naming)")
                continue
            student = next((mapping[i] for i in lms_ids if i in mapping), None)
            if student is None:
                if mapping:
                    report.unplaced.append(f"{rel}: {' or '.join(i for i in lms_ids if i)} is not in {id_map}")
                    continue
                student = _slug(found["student_id"])
            ch = chapter_of(path, chapters)
            if ch is None:
                report.unplaced.append(f"{rel}: matches no chapter ({', '.join(c.id for c in chapters)}) by name or grade ids")
                continue
            rank = (found.get("timestamp", ""), int(found.get("attempt", 0) or 0), path.stat().st_mtime)
            placed = Placed(student, ch.id, rel, root / "submitted" / student / ch.id / ch.notebook_name, rank,
                            late=bool(found.get("late")))
            key = (student, ch.id)
            if key in chosen:
                older, newer = sorted([chosen[key], placed], key=lambda p: p.rank)
                report.unplaced.append(f"{older.source}: superseded by {newer.source} ({student}, {ch.id})")
                placed = newer
            chosen[key] = placed
        for placed in chosen.values():
            if not dry_run:
                placed.target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(base / placed.source, placed.target)
            report.placed.append(placed)
    report.placed.sort(key=lambda p: (p.student_id, p.chapter))
    return report


def stray_folders(root: Path, students: list[str] | None = None) -> list[str]:
    """Folders and files under ``submitted/<student>/`` that name no chapter, each with a hint."""
    base = Path(root) / "submitted"
    if not base.is_dir():
        return []
    ids = {ch.id for ch in course.chapters(root)}
    found = []
    for student_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        if students and student_dir.name not in students:
            continue
        for entry in sorted(student_dir.iterdir()):
            if entry.name in ids or entry.name.startswith("."):
                continue
            where = f"submitted/{student_dir.name}/{entry.name}" + ("/" if entry.is_dir() else "")
            try:
                guess = course.resolve([entry.stem], root)
                hint = f"; move it to submitted/{student_dir.name}/{guess[0].id}/" if len(guess) == 1 else ""
            except ValueError:
                hint = ""
            found.append(f"{where} matches no chapter{hint}")
    return found
