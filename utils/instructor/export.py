"""``python -m utils export``: the grades from the gradebook, as the course's CSV or Canvas's import.

Read straight from the gradebook, so marks given in the formgrader count without regrading.

- ``course`` (default): ``grades.csv``, the file ``grade`` writes (status and notes kept).
- ``canvas``: ``grades_canvas.csv`` in Canvas's gradebook import format: one row per student,
  one column per chapter with the points given so far, and a "Points Possible" row. Canvas
  matches rows by its user id, taken from the ``--map`` CSV (``lms_id,student_id[,name]``, the
  same file ``collect`` reads); without one, rows carry the student id as SIS Login ID.

nbgrader's own ``nbgrader export`` writes ``nbgrader_grades.csv`` (``nbgrader_config.py``), so the
two never overwrite each other.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from . import course, records

FORMATS = ("course", "canvas")
DEFAULT_NAMES = {"course": "grades.csv", "canvas": "grades_canvas.csv"}


@dataclass
class ExportReport:
    path: Path
    rows: int
    pending: list[tuple[str, str]]  # (student, chapter) with manual points still to grade


def _canvas_people(id_map: Path | None) -> dict[str, tuple[str, str]]:
    """student id -> (Canvas user id, display name) from the id map."""
    if id_map is None:
        return {}
    people: dict[str, tuple[str, str]] = {}
    with Path(id_map).open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.reader(fh):
            if len(r) >= 2 and r[0].strip().isdigit():
                people[r[1].strip()] = (r[0].strip(), r[2].strip() if len(r) > 2 else "")
    return people


def _write(path: Path, header: list[str], body: list[list[str]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(body)
    os.replace(tmp, path)


def export(fmt: str = "course", root: Path = course.ROOT, db_url: str | None = None, out: Path | None = None,
           id_map: Path | None = None) -> ExportReport:
    """Write the gradebook's grades in ``fmt`` (``course`` or ``canvas``).

    Args:
        fmt: ``course`` (the course's ``grades.csv``) or ``canvas`` (Canvas gradebook import).
        root: the course root.
        db_url: SQLAlchemy URL of the gradebook (default: ``COURSE_DB_URL`` or the SQLite file).
        out: where to write (default: ``grades.csv`` or ``grades_canvas.csv`` in the course root).
        id_map: CSV of LMS id, student id and optionally name (Canvas rows use the LMS id).

    Raises:
        ValueError: an unknown format, or no gradebook to read.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    root = Path(root).resolve()
    cfg = course.nbgrader_config(root, db_url=db_url)
    url, course_id = cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        raise ValueError(f"no gradebook at {url[len('sqlite:///'):]}; run 'python -m utils grade' first")
    rows = records.gradebook_rows(url, course_id)
    path = Path(out) if out else root / DEFAULT_NAMES[fmt]
    pending = sorted(k for k, r in rows.items() if r["manual_pending"] not in ("", "0"))
    if fmt == "course":
        previous = records.read_csv(path)
        for key, row in rows.items():
            if key in previous:
                row["status"], row["notes"] = previous[key]["status"] or row["status"], previous[key]["notes"]
        previous.update(rows)
        records.write_csv(path, previous)
        return ExportReport(path, len(previous), pending)
    chapters = sorted({ch for _, ch in rows})
    maxima = {ch: next(r["total_max"] for (s, c), r in sorted(rows.items()) if c == ch) for ch in chapters}
    people = _canvas_people(id_map)
    students = sorted({s for s, _ in rows})
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *chapters]
    body = [["    Points Possible", "", "", "", "", *(maxima[ch] for ch in chapters)]]
    for s in students:
        canvas_id, name = people.get(s, ("", ""))
        body.append([name or s, canvas_id, "", s, "", *(rows[(s, ch)]["total"] if (s, ch) in rows else "" for ch in chapters)])
    _write(path, header, body)
    return ExportReport(path, len(students), pending)
