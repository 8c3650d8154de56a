"""The course's grade records: rows read from nbgrader's gradebook, and ``grades.csv``.

Manual grades survive a regrade. nbgrader keeps a manual score when it autogrades a submission
again, but flags the cell for review whatever happened to the answer. ``snapshot_manual`` and
``restore_manual`` run around each autograde: a cell graded by hand whose answer did not change
gets its score and comment back and is no longer flagged. A changed answer loses its hand score
and extra credit: a code cell keeps the autograder's new score, a written answer is flagged for a
grader; its old comment is kept, marked as about the previous answer. What the
answer was is kept as a checksum in one small table of the gradebook's own database
(``course_manual_answers``), so it works the same on SQLite and PostgreSQL and on any worker.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from pathlib import Path

CSV_FIELDS = (
    "student_id", "chapter", "auto_score", "auto_max", "manual_score", "manual_max", "manual_pending",
    "extra_credit", "total", "total_max", "status", "notes",
)


def gradebook_rows(db_url: str, course_id: str, chapters: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """One row per recorded submission, with its scores.

    ``auto_*`` counts the code grade cells: the autograder's score, or the grader's where a grader
    overrode it by hand. ``manual_*`` counts the written answers (graded by hand only),
    ``manual_pending`` the points of cells still waiting for a grader (counted in neither score),
    ``extra_credit`` the extra credit given by hand, and ``total = auto_score + manual_score +
    extra_credit`` out of ``total_max``.
    """
    from nbgrader.api import Gradebook

    rows: dict[tuple[str, str], dict] = {}
    with Gradebook(db_url, course_id) as gb:
        for assignment in gb.assignments:
            if chapters is not None and assignment.name not in chapters:
                continue
            for sub in assignment.submissions:
                auto = auto_max = manual = manual_max = pending = extra = total_max = 0.0
                for snb in sub.notebooks:
                    for g in snb.grades:
                        total_max += g.max_score
                        code = g.cell.cell_type == "code"
                        if code:
                            auto_max += g.max_score
                        else:
                            manual_max += g.max_score
                        if g.needs_manual_grade:
                            pending += g.max_score
                            continue
                        given = g.manual_score if g.manual_score is not None else (g.auto_score or 0.0)
                        if code:
                            auto += given
                        else:
                            manual += given
                        extra += g.extra_credit or 0.0
                rows[(sub.student.id, assignment.name)] = {
                    "student_id": sub.student.id,
                    "chapter": assignment.name,
                    "auto_score": _num(auto),
                    "auto_max": _num(auto_max),
                    "manual_score": _num(manual),
                    "manual_max": _num(manual_max),
                    "manual_pending": _num(pending),
                    "extra_credit": _num(extra),
                    "total": _num(auto + manual + extra),
                    "total_max": _num(total_max),
                    "status": "graded",
                    "notes": "",
                }
    return rows


PREVIOUS_ANSWER = "[on your previous answer, since changed]"


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

    A changed answer's hand score and extra credit are cleared: a code cell then scores what the
    autograder gave the new answer, a written answer is flagged for a grader. The grader's old
    comment stays, prefixed with ``PREVIOUS_ANSWER``.

    Returns:
        The grade ids of cells whose hand grade was cleared because their answer changed.
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
            g.manual_score = None
            g.extra_credit = None
            g.needs_manual_grade = g.cell.cell_type != "code" or g.auto_score is None
            comment = comments.get(g.cell.name)
            old = before["comment"]
            if comment is not None and old and not old.startswith(PREVIOUS_ANSWER):
                comment.manual_comment = f"{PREVIOUS_ANSWER} {old}"
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


def printable(text) -> str:
    """``text`` safe to print and to store: control characters and lone surrogates (which a
    submission can put in a cell id that reaches a note) become visible escapes."""
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


def write_csv(path: Path, rows: dict[tuple[str, str], dict]) -> None:
    tmp = path.with_suffix(".csv.tmp")
    rows = {key: {k: printable(v) if isinstance(v, str) else v for k, v in row.items()} for key, row in rows.items()}
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
    body = [tuple(printable(x) for x in row) for row in body]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)] if body else [len(h) for h in header]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- which gradebook a grades file came from ----------------------------------------------------

def _plain_url(db_url: str) -> str:
    """``db_url`` without its password, as it is written down."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL SQLAlchemy reads: written as given
        return db_url


def source_file(path: Path) -> Path:
    """The sidecar naming the gradebook ``path`` (a grades file) was written from."""
    return Path(path).with_name(Path(path).name + ".gradebook")


def check_source(path: Path, db_url: str) -> None:
    """Refuse to merge into a grades file written from another gradebook.

    ``grade`` must call this before grading (after ``read_csv``), and ``claim_source`` after
    ``write_csv``, as ``export`` does.

    Raises:
        ValueError: ``path`` exists and its sidecar names another gradebook.
    """
    side = source_file(path)
    if not Path(path).is_file() or not side.is_file():
        return
    was = side.read_text(encoding="utf-8").strip()
    if was and was != _plain_url(db_url):
        raise ValueError(f"{path} was written from gradebook {was}, not {_plain_url(db_url)}; "
                         "move it away (or export with --out) to keep both")


def claim_source(path: Path, db_url: str) -> None:
    """Record that ``path`` now holds the grades of gradebook ``db_url``."""
    source_file(path).write_text(_plain_url(db_url) + "\n", encoding="utf-8")


# --- notes that stay true -----------------------------------------------------------------------

_CHANGED_NOTE = re.compile(r"^answer (\S+) changed since it was graded by hand$")


def open_cells(db_url: str, course_id: str) -> dict[tuple[str, str], set[str]]:
    """(student, chapter) -> grade ids with no hand score (so a note about a changed answer holds)."""
    from nbgrader.api import Gradebook

    found: dict[tuple[str, str], set[str]] = {}
    with Gradebook(db_url, course_id) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                found[(sub.student.id, assignment.name)] = {
                    g.cell.name for snb in sub.notebooks for g in snb.grades if g.manual_score is None}
    return found


def current_notes(notes: str, open_ids: set[str]) -> str:
    """``notes`` of a grades row without the "answer X changed" notes a grader has since dealt with."""
    kept = []
    for note in (n.strip() for n in notes.split(";")):
        m = _CHANGED_NOTE.match(note)
        if note and (m is None or m.group(1) in open_ids):
            kept.append(note)
    return "; ".join(kept)


# --- the gradebook URL, checked before use ------------------------------------------------------

def check_db_url(db_url: str) -> None:
    """One clear line for the gradebook URLs people type by mistake.

    Raises:
        ValueError: a path instead of a URL, or a PostgreSQL URL without the psycopg driver.
    """
    if "://" not in db_url:
        raise ValueError(f"--db {db_url}: expected a SQLAlchemy URL; for a file, use sqlite:///{db_url}")
    scheme = db_url.split("://", 1)[0]
    if scheme in ("postgres", "postgresql", "postgresql+psycopg2"):
        raise ValueError(f"--db {scheme}://...: use postgresql+psycopg://... (psycopg is the driver the "
                         "course installs)")
