"""``python -m utils feedback``: regenerate feedback from the gradebook, and pack it per student.

Feedback is nbgrader's HTML report of each graded notebook, in
``feedback/<student>/<chapter>/<topic>.html``. ``grade`` writes it; after grading by hand in the
formgrader, run ``feedback`` so the reports show the marks and comments. Points still waiting for
a grader read "pending", never 0, and the command names the submissions that have them. ``--pack DIR`` writes one zip per student
(``DIR/<student>.zip``, a folder per chapter inside) to upload to the LMS.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import course, nbg


@dataclass
class FeedbackReport:
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "student chapter: reason"
    packs: list[Path] = field(default_factory=list)
    folder: Path | None = None
    pending: list[tuple[str, str]] = field(default_factory=list)  # (student, chapter) with points to grade


def _pending_cells(db_url: str, course_id: str, pairs: list[tuple[str, str]]) -> dict[tuple[str, str, str], list]:
    """(student, chapter, notebook) -> [(grade id, points)] still waiting for a grader."""
    from nbgrader.api import Gradebook, MissingEntry

    found = {}
    with Gradebook(db_url, course_id) as gb:
        for student, chapter in pairs:
            try:
                sub = gb.find_submission(chapter, student)
            except MissingEntry:
                continue
            for snb in sub.notebooks:
                found[(student, chapter, snb.name)] = [(g.cell.name, g.max_score) for g in snb.grades if g.needs_manual_grade]
    return found


def _pts(x: float) -> str:
    return str(round(float(x), 2))


def mark_pending(root: Path, db_url: str, course_id: str, pairs: list[tuple[str, str]]) -> None:
    """Rewrite the feedback of ``pairs`` so points not yet graded by hand read "pending"."""
    for (student, chapter, notebook), cells in _pending_cells(db_url, course_id, pairs).items():
        path = Path(root) / "feedback" / student / chapter / f"{notebook}.html"
        if not cells or not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        for gid, points in cells:
            g = re.escape(gid)
            html = re.sub(rf'(<a href="#{g}">[^<]*</a> \(Score: )[^/<]*/', r"\g<1>pending /", html)
            html = re.sub(rf'(<a name="{g}"></a>.*?Score: )[^/<]*/', r"\g<1>pending /", html, count=1, flags=re.S)
        waiting = sum(p for _, p in cells)
        html = re.sub(r"(\(Score: [^)<]*)\)</h4>", rf"\g<1>, {_pts(waiting)} points pending grading by hand)</h4>",
                      html, count=1)
        path.write_text(html, encoding="utf-8")


def graded_pairs(db_url: str, course_id: str, students: list[str] | None = None,
                 chapters: list[str] | None = None) -> list[tuple[str, str]]:
    """(student, chapter) of every submission the gradebook has scores for."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        return sorted(
            (sub.student.id, a.name)
            for a in gb.assignments if chapters is None or a.name in chapters
            for sub in a.submissions if students is None or sub.student.id in students
        )


def feedback(names: list[str] | None = None, students: list[str] | None = None, root: Path = course.ROOT,
             db_url: str | None = None, pack: Path | None = None, progress: bool = False) -> FeedbackReport:
    """Regenerate the feedback of every graded submission; optionally pack it per student.

    Raises:
        ValueError: no gradebook, or nothing graded yet for the chapters and students asked.
    """
    from tqdm import tqdm

    root = Path(root).resolve()
    chapters = [ch.id for ch in course.resolve(names, root)] if names else None
    a = nbg.api(root, db_url=db_url)
    url, course_id = a.coursedir.db_url, a.coursedir.course_id
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        raise ValueError(f"no gradebook at {url[len('sqlite:///'):]}; run 'python -m utils grade' first")
    pairs = graded_pairs(url, course_id, students, chapters)
    if not pairs:
        raise ValueError("nothing graded yet for these chapters and students; run 'python -m utils grade' first")
    report = FeedbackReport(folder=root / "feedback")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for student, chapter in tqdm(pairs, desc="feedback", unit="notebook", disable=not progress):
            result = a.generate_feedback(chapter, student, force=True)
            if not result.get("success"):
                text = ((result.get("error") or "") + "\n" + (result.get("log") or "")).strip().splitlines()
                report.failed.append(f"{student} {chapter}: {text[-1] if text else 'nbgrader failed'}")
                continue
            report.written += sorted((root / "feedback" / student / chapter).glob("*.html"))
    mark_pending(root, url, course_id, pairs)
    report.pending = sorted({(s, c) for (s, c, _), cells in _pending_cells(url, course_id, pairs).items() if cells})
    if pack is not None:
        report.packs = pack_feedback(root, Path(pack), sorted({s for s, _ in pairs}))
    return report


def pack_feedback(root: Path, dest: Path, students: list[str]) -> list[Path]:
    """One zip per student under ``dest`` holding ``<chapter>/<file>`` of their feedback."""
    dest.mkdir(parents=True, exist_ok=True)
    packs = []
    for student in students:
        folder = Path(root) / "feedback" / student
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        if not files:
            continue
        target = dest / f"{student}.zip"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for f in files:
                info = zipfile.ZipInfo(f.relative_to(folder).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, f.read_bytes())
        packs.append(target)
    return packs
