"""``python -m utils export``: the grades from the gradebook, as the course's CSV or Canvas's import.

Read straight from the gradebook, so marks given in the formgrader count without regrading.

- ``course`` (default): ``grades.csv``, the file ``grade`` writes. Each row's status is kept;
  a note that an answer changed since it was graded by hand is dropped once a grader has graded
  it again. A sidecar ``grades.csv.gradebook`` names the gradebook the file came from; exporting
  another gradebook into the same file is refused.
- ``canvas``: ``grades_canvas.csv`` in Canvas's gradebook import format: one row per student,
  one column per chapter with its total, and a "Points Possible" row. Canvas matches rows by its
  user id, taken from the ``--map`` CSV (``lms_id,student_id[,name]``, the same file ``collect``
  reads); a student missing from it is skipped and reported. Without a map, rows carry the student
  id as SIS Login ID. A total with manual points pending is left blank (``include_pending``
  exports it as it stands). Canvas's import matches columns by the assignment's header
  (``Assignment Name (12345)``, as in a Canvas gradebook export): ``--columns`` names it per
  chapter (``chapter,canvas_column``), or ``--template`` reads it from a Canvas gradebook export
  (the column whose name holds the chapter id or topic); without either the column is the chapter
  id. Chapters left without a column are left out and reported.

nbgrader's own ``nbgrader export`` writes ``nbgrader_grades.csv`` (``nbgrader_config.py``), so the
two never overwrite each other.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import course, records

FORMATS = ("course", "canvas")
DEFAULT_NAMES = {"course": "grades.csv", "canvas": "grades_canvas.csv"}


@dataclass
class ExportReport:
    path: Path
    rows: int
    pending: list[tuple[str, str]]  # (student, chapter) with manual points still to grade
    skipped: list[str] = field(default_factory=list)  # students missing from the id map (Canvas)
    unmapped: list[str] = field(default_factory=list)  # chapters with no Canvas column (--columns)


def _canvas_people(id_map: Path | None) -> dict[str, tuple[str, str]]:
    """student id -> (Canvas user id, display name) from the id map."""
    if id_map is None:
        return {}
    if not Path(id_map).is_file():
        raise ValueError(f"no id map at {id_map}")
    people: dict[str, tuple[str, str]] = {}
    with Path(id_map).open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.reader(fh):
            if len(r) >= 2 and r[0].strip().isdigit():
                people[r[1].strip()] = (r[0].strip(), r[2].strip() if len(r) > 2 else "")
    return people


def read_columns(path: Path | None) -> dict[str, str] | None:
    """chapter id -> Canvas column header, from a ``chapter,canvas_column`` CSV (``None``: no file)."""
    if path is None:
        return None
    if not Path(path).is_file():
        raise ValueError(f"no column map at {path}")
    columns = {}
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.reader(fh):
            if len(r) >= 2 and r[0].strip() and r[0].strip() != "chapter":
                columns[r[0].strip()] = r[1].strip()
    if not columns:
        raise ValueError(f"{path}: expected rows of chapter,canvas_column")
    return columns


def template_columns(path: Path, chapter_ids: list[str]) -> dict[str, str]:
    """chapter id -> Canvas column header, read from the header row of a Canvas gradebook export.

    A Canvas assignment column reads ``Name (12345)``; a chapter takes the one column whose name,
    in lower case with punctuation as spaces, holds its id (``01_complexity``) or its topic words
    (``complexity``). Chapters with no such column are left out.

    Raises:
        ValueError: no such file, or a chapter that matches several columns.
    """
    if not Path(path).is_file():
        raise ValueError(f"no Canvas export at {path}")
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh), [])
    assignments = [h for h in header if re.search(r"\(\d+\)\s*$", h)]

    def words(text: str) -> str:
        return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "

    found = {}
    for ch in chapter_ids:
        topic = words(ch.split("_", 1)[-1])
        hits = [h for h in assignments if ch.lower() in h.lower() or topic in words(re.sub(r"\(\d+\)\s*$", "", h))]
        if len(hits) > 1:
            raise ValueError(f"{path}: chapter {ch} matches several Canvas columns ({'; '.join(hits)}); "
                             "name one with --columns")
        if hits:
            found[ch] = hits[0]
    return found


def _write(path: Path, header: list[str], body: list[list[str]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(body)
    os.replace(tmp, path)


def export(fmt: str = "course", root: Path = course.ROOT, db_url: str | None = None, out: Path | None = None,
           id_map: Path | None = None, columns: Path | None = None, include_pending: bool = False,
           template: Path | None = None) -> ExportReport:
    """Write the gradebook's grades in ``fmt`` (``course`` or ``canvas``).

    Args:
        fmt: ``course`` (the course's ``grades.csv``) or ``canvas`` (Canvas gradebook import).
        root: the course root.
        db_url: SQLAlchemy URL of the gradebook (default: ``COURSE_DB_URL`` or the SQLite file).
        out: where to write (default: ``grades.csv`` or ``grades_canvas.csv`` in the course root).
        id_map: CSV of LMS id, student id and optionally name (Canvas rows use the LMS id).
        columns: CSV of chapter id and Canvas column header (Canvas only).
        include_pending: export Canvas totals that still have manual points pending.
        template: a Canvas gradebook export whose assignment headers name the columns (Canvas only).

    Raises:
        ValueError: an unknown format, or no gradebook to read.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if id_map is not None and not Path(id_map).is_file():
        raise ValueError(f"no id map at {id_map}")
    root = Path(root).resolve()
    cfg = course.nbgrader_config(root, db_url=db_url)
    url, course_id = cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        raise ValueError(f"no gradebook at {url[len('sqlite:///'):]}; run 'python -m utils grade' first")
    path = Path(out) if out else root / DEFAULT_NAMES[fmt]
    if fmt == "course":
        records.check_source(path, url)
        previous = records.read_csv(path)
    else:
        people = _canvas_people(id_map)
        mapping = read_columns(columns)
    rows = records.gradebook_rows(url, course_id)
    pending = sorted(k for k, r in rows.items() if r["manual_pending"] not in ("", "0"))
    if fmt == "course":
        still_open = records.open_cells(url, course_id)
        for key, row in rows.items():
            if key in previous:
                row["status"] = previous[key]["status"] or row["status"]
                row["notes"] = records.current_notes(previous[key]["notes"], still_open.get(key, set()))
        previous.update(rows)
        records.write_csv(path, previous)
        records.claim_source(path, url)
        return ExportReport(path, len(previous), pending)
    chapters = sorted({ch for _, ch in rows})
    if template is not None:
        mapping = {**template_columns(template, chapters), **(mapping or {})}
    unmapped = [ch for ch in chapters if mapping is not None and ch not in mapping]
    chapters = [ch for ch in chapters if ch not in unmapped]
    maxima = {ch: next(r["total_max"] for (s, c), r in sorted(rows.items()) if c == ch) for ch in chapters}
    students = sorted({s for s, _ in rows})
    skipped = [s for s in students if id_map is not None and s not in people]
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
              *((mapping or {}).get(ch, ch) for ch in chapters)]
    body = [["    Points Possible", "", "", "", "", *(maxima[ch] for ch in chapters)]]

    def cell(key: tuple[str, str]) -> str:
        if key not in rows or (key in pending and not include_pending):
            return ""
        return rows[key]["total"]

    for s in students:
        if s in skipped:
            continue
        canvas_id, name = people.get(s, ("", ""))
        body.append([name or s, canvas_id, "", s, "", *(cell((s, ch)) for ch in chapters)])
    _write(path, header, body)
    return ExportReport(path, len(students) - len(skipped), pending, skipped, unmapped)
