"""The course's grade records: rows read from nbgrader's gradebook, and ``grades.csv``.

Manual grades survive a regrade. nbgrader keeps a manual score when it autogrades a submission
again, but flags the cell for review whatever happened to the answer. ``snapshot_manual`` and
``restore_manual`` run around each autograde: a cell graded by hand whose answer did not change
gets its score and comment back and is no longer flagged; a changed answer stays flagged. What the
answer was is kept as a checksum in one small table of the gradebook's own database
(``course_manual_answers``), so it works the same on SQLite and PostgreSQL and on any worker.
"""

from __future__ import annotations

import csv
import hashlib
import os
from pathlib import Path

CSV_FIELDS = (
    "student_id", "chapter", "auto_score", "auto_max", "manual_score", "manual_max", "manual_pending",
    "total", "total_max", "status", "notes",
)


def gradebook_rows(db_url: str, course_id: str, chapters: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """One row per recorded submission, with its scores.

    ``auto_*`` counts the code grade cells as the autograder scored them, ``manual_*`` the cells
    graded by hand (written answers), ``manual_pending`` the points still waiting for a grader, and
    ``total`` every grade already given (a manual override of an autograded cell included) out of
    ``total_max``.
    """
    from nbgrader.api import Gradebook

    rows: dict[tuple[str, str], dict] = {}
    with Gradebook(db_url, course_id) as gb:
        for assignment in gb.assignments:
            if chapters is not None and assignment.name not in chapters:
                continue
            for sub in assignment.submissions:
                auto = auto_max = manual = manual_max = pending = total = total_max = 0.0
                for snb in sub.notebooks:
                    for g in snb.grades:
                        total_max += g.max_score
                        if g.cell.cell_type == "code":
                            auto += g.auto_score or 0.0
                            auto_max += g.max_score
                        else:
                            manual_max += g.max_score
                        if g.needs_manual_grade:
                            pending += g.max_score
                            continue
                        total += g.score or 0.0
                        if g.cell.cell_type != "code":
                            manual += g.score or 0.0
                rows[(sub.student.id, assignment.name)] = {
                    "student_id": sub.student.id,
                    "chapter": assignment.name,
                    "auto_score": _num(auto),
                    "auto_max": _num(auto_max),
                    "manual_score": _num(manual),
                    "manual_max": _num(manual_max),
                    "manual_pending": _num(pending),
                    "total": _num(total),
                    "total_max": _num(total_max),
                    "status": "graded",
                    "notes": "",
                }
    return rows


def _answers_table(gb):
    """The gradebook's table of answer checksums, created on first use."""
    from sqlalchemy import Column, MetaData, String, Table

    meta = MetaData()
    table = Table(
        "course_manual_answers", meta,
        Column("course_id", String(128), primary_key=True),
        Column("student_id", String(128), primary_key=True),
        Column("assignment", String(128), primary_key=True),
        Column("notebook", String(128), primary_key=True),
        Column("cell", String(128), primary_key=True),
        Column("checksum", String(64), nullable=False),
    )
    try:
        meta.create_all(gb.engine)
    except Exception:  # noqa: BLE001 - two workers creating it at once: one wins, the other finds it
        from sqlalchemy import inspect

        if not inspect(gb.engine).has_table("course_manual_answers"):
            raise
    return table


def _answer_checksums(notebook) -> dict[str, str]:
    """For each grade cell of a notebook, a checksum of the answer a grader judges.

    A written answer is its own cell; a code grade cell judges the code, so its answer is every
    solution cell of the notebook.
    """
    cells = notebook.cells if hasattr(notebook, "cells") else notebook["cells"]

    def meta(c):
        return (c.get("metadata") or {}).get("nbgrader") or {}

    def text(c):
        src = c.get("source", "")
        return "".join(src) if isinstance(src, list) else src

    code_answers = "\x00".join(text(c) for c in cells if meta(c).get("solution") and c.get("cell_type") == "code")
    sums = {}
    for c in cells:
        m = meta(c)
        if not m.get("grade") or not m.get("grade_id"):
            continue
        answer = text(c) if c.get("cell_type") != "code" else text(c) + "\x00" + code_answers
        sums[m["grade_id"]] = hashlib.sha256(answer.encode("utf-8")).hexdigest()
    return sums


def _is_manual(grade) -> bool:
    return grade.cell.cell_type != "code" or grade.manual_score is not None


def snapshot_manual(gb, student_id: str, chapter_id: str) -> dict:
    """What a grader gave one submission by hand, read before it is autograded again.

    Args:
        gb: an open ``nbgrader.api.Gradebook``.
        student_id: the student.
        chapter_id: the chapter (nbgrader's assignment id).

    Returns:
        ``{(notebook, cell): {"manual_score", "extra_credit", "comment", "checksum"}}`` for every
        cell graded by hand; ``checksum`` is that of the answer it was graded on (``None`` if
        unknown). Empty when the submission was never graded.
    """
    from nbgrader.api import MissingEntry
    from sqlalchemy import select

    try:
        sub = gb.find_submission(chapter_id, student_id)
    except MissingEntry:
        return {}
    table = _answers_table(gb)
    known = {
        (r.notebook, r.cell): r.checksum
        for r in gb.db.execute(select(table).where(
            table.c.course_id == gb.course_id, table.c.student_id == student_id, table.c.assignment == chapter_id))
    }
    snap = {}
    for snb in sub.notebooks:
        comments = {c.cell.name: c.manual_comment for c in snb.comments}
        for g in snb.grades:
            if not _is_manual(g) or g.needs_manual_grade:  # never graded, or flagged and not yet seen
                continue
            snap[(snb.name, g.cell.name)] = {
                "manual_score": g.manual_score,
                "extra_credit": g.extra_credit,
                "comment": comments.get(g.cell.name),
                "checksum": known.get((snb.name, g.cell.name)),
            }
    return snap


def restore_manual(gb, snapshot: dict, student_id: str, chapter_id: str, new_notebook) -> list[str]:
    """Put back the hand grading of every answer that did not change; record the new answers.

    Args:
        gb: an open ``nbgrader.api.Gradebook``.
        snapshot: what ``snapshot_manual`` returned before the autograde.
        student_id: the student.
        chapter_id: the chapter (nbgrader's assignment id).
        new_notebook: the notebook just graded, as a path (its stem names the notebook) or a
            notebook node (the chapter's only notebook).

    Returns:
        The grade ids of manual cells flagged for a grader because their answer changed.
    """
    import nbformat
    from nbgrader.api import MissingEntry
    from sqlalchemy import delete, insert

    if isinstance(new_notebook, (str, Path)):
        name = Path(new_notebook).stem
        notebook = nbformat.read(str(new_notebook), as_version=nbformat.NO_CONVERT)
    else:
        notebook = new_notebook
        name = gb.find_assignment(chapter_id).notebooks[0].name
    sums = _answer_checksums(notebook)
    try:
        snb = gb.find_submission_notebook(name, chapter_id, student_id)
    except MissingEntry:
        return []
    comments = {c.cell.name: c for c in snb.comments}
    changed = []
    for g in snb.grades:
        before = snapshot.get((name, g.cell.name))
        if before is None:
            continue
        if before["checksum"] is not None and before["checksum"] == sums.get(g.cell.name):
            g.manual_score = before["manual_score"]
            g.extra_credit = before["extra_credit"]
            g.needs_manual_grade = False
            if g.cell.name in comments and before["comment"] is not None:
                comments[g.cell.name].manual_comment = before["comment"]
        else:
            g.needs_manual_grade = True
            changed.append(g.cell.name)
    table = _answers_table(gb)
    key = (table.c.course_id == gb.course_id) & (table.c.student_id == student_id) & (table.c.assignment == chapter_id) & (table.c.notebook == name)
    gb.db.execute(delete(table).where(key))
    graded = {g.cell.name for g in snb.grades}  # every grade cell: a later override needs a baseline
    rows = [
        {"course_id": gb.course_id, "student_id": student_id, "assignment": chapter_id, "notebook": name,
         "cell": cell, "checksum": checksum}
        for cell, checksum in sums.items() if cell in graded
    ]
    if rows:
        gb.db.execute(insert(table), rows)
    gb.db.commit()
    return changed


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def read_csv(path: Path) -> dict[tuple[str, str], dict]:
    """The rows of a course grades file (none if it does not exist).

    Raises:
        ValueError: the file is not one the course wrote (``nbgrader export --to grades.csv``).
    """
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [k for k in ("student_id", "chapter") if k not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path} has no {' or '.join(missing)} column, so it is not the course's grades "
                             "file (nbgrader export writes nbgrader_grades.csv); move it away and run again")
        return {(r["student_id"], r["chapter"]): {k: r.get(k) or "" for k in CSV_FIELDS} for r in reader}


def write_csv(path: Path, rows: dict[tuple[str, str], dict]) -> None:
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for key in sorted(rows):
            writer.writerow(rows[key])
    os.replace(tmp, path)  # never leave a half-written grades file


def _manual_cell(r: dict) -> str:
    if not r.get("manual_max") or r["manual_max"] == "0":
        return "-"
    text = f"{r['manual_score']}/{r['manual_max']}"
    if r.get("manual_pending") and r["manual_pending"] != "0":
        text += f" ({r['manual_pending']} pending)"
    return text


def _total_cell(r: dict) -> str:
    if not r.get("total_max"):
        return "-"
    text = f"{r['total']}/{r['total_max']}"
    return text + " + pending" if r.get("manual_pending") not in ("", "0", None) else text


def format_table(rows: dict[tuple[str, str], dict], keys: list[tuple[str, str]] | None = None) -> str:
    """A plain-text table of ``rows`` (all, or those in ``keys``); points not yet graded by hand
    read as pending, never as zero."""
    chosen = [rows[k] for k in (keys if keys is not None else sorted(rows)) if k in rows]
    header = ("student", "chapter", "auto", "manual", "total", "status")
    body = [
        (r["student_id"], r["chapter"], f"{r['auto_score']}/{r['auto_max'] or '?'}", _manual_cell(r), _total_cell(r),
         r["status"] + (f" ({r['notes']})" if r.get("notes") else ""))
        for r in chosen
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)] if body else [len(h) for h in header]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
