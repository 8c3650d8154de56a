"""The course's grade records: rows read from nbgrader's gradebook, and ``grades.csv``."""

from __future__ import annotations

import csv
import os
from pathlib import Path

CSV_FIELDS = ("student_id", "chapter", "auto_score", "auto_max", "manual_pending", "status", "notes")


def gradebook_rows(db_url: str, course_id: str, chapters: list[str] | None = None) -> dict[tuple[str, str], dict]:
    """One row per recorded submission: auto score, auto maximum and manual points pending."""
    from nbgrader.api import Gradebook

    rows: dict[tuple[str, str], dict] = {}
    with Gradebook(db_url, course_id) as gb:
        for assignment in gb.assignments:
            if chapters is not None and assignment.name not in chapters:
                continue
            for sub in assignment.submissions:
                auto = auto_max = pending = 0.0
                for snb in sub.notebooks:
                    for g in snb.grades:
                        if g.cell_type == "code":
                            auto += g.auto_score or 0.0
                            auto_max += g.max_score
                        if g.needs_manual_grade:
                            pending += g.max_score
                rows[(sub.student.id, assignment.name)] = {
                    "student_id": sub.student.id,
                    "chapter": assignment.name,
                    "auto_score": _num(auto),
                    "auto_max": _num(auto_max),
                    "manual_pending": _num(pending),
                    "status": "graded",
                    "notes": "",
                }
    return rows


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.2f}"


def read_csv(path: Path) -> dict[tuple[str, str], dict]:
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {(r["student_id"], r["chapter"]): {k: r.get(k, "") for k in CSV_FIELDS} for r in csv.DictReader(fh)}


def write_csv(path: Path, rows: dict[tuple[str, str], dict]) -> None:
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for key in sorted(rows):
            writer.writerow(rows[key])
    os.replace(tmp, path)  # never leave a half-written grades file


def format_table(rows: dict[tuple[str, str], dict], keys: list[tuple[str, str]] | None = None) -> str:
    """A plain-text table of ``rows`` (all, or those in ``keys``)."""
    chosen = [rows[k] for k in (keys if keys is not None else sorted(rows)) if k in rows]
    header = ("student", "chapter", "auto", "manual pending", "status")
    body = [
        (r["student_id"], r["chapter"], f"{r['auto_score']}/{r['auto_max'] or '?'}", r["manual_pending"] or "-",
         r["status"] + (f" ({r['notes']})" if r.get("notes") else ""))
        for r in chosen
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)] if body else [len(h) for h in header]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
