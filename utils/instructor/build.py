"""``python -m utils build``: chapter sources -> instructor, student and solution notebooks.

For each chapter, ``modules/NN_topic/topic.py`` is converted by jupytext into the instructor
notebook (nbgrader's *source*), then nbgrader's ``generate_assignment`` makes the student notebook
(solutions replaced by stubs, hidden tests removed, cells locked) and ``generate_solution`` the
solution notebook. Everything is generated in a scratch course folder and written back in a
canonical form, so a build with nothing changed writes identical bytes.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import course, nbg
from . import notebooks as nbs

AREAS = ("release", "solutions")


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)


def render(chapters: list[course.Chapter]) -> dict[Path, str]:
    """Generate every notebook of ``chapters``; return {path relative to the root: text}."""
    out: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="course-build-") as tmp:
        scratch = Path(tmp)
        for ch in chapters:
            nb = nbs.instructor_notebook(ch)
            nbs.write(nb, scratch / "source" / ch.id / ch.notebook_name)
            out[Path("source") / ch.id / ch.notebook_name] = nbs.dumps(nb)
        a = nbg.api(scratch, db_url=f"sqlite:///{scratch / 'build.db'}")
        for ch in chapters:
            nbg.check(a.generate_assignment(ch.id, force=True, create=True), f"generate_assignment {ch.id}")
            nbg.check(nbg.generate_solution(a, ch.id), f"generate_solution {ch.id}")
            for area in AREAS:
                nb = nbs.read(scratch / area / ch.id / ch.notebook_name)
                if area == "solutions":
                    nb.cells[0].source = nbs.SOLUTION_NOTICE
                out[Path(area) / ch.id / ch.notebook_name] = nbs.dumps(nb)
    return out


def build(names: list[str] | None = None, root: Path = course.ROOT, check: bool = False) -> BuildResult:
    """Build (or, with ``check``, compare against) the notebooks of the named chapters.

    Args:
        names: chapter names (see ``course.resolve``); none means every chapter.
        root: the course root.
        check: write nothing; list every committed notebook that differs from a fresh build.

    Returns:
        What was written, unchanged, or (with ``check``) stale.
    """
    chapters = course.resolve(names, root)
    if not chapters:
        raise ValueError(f"no chapters under {root / 'modules'}")
    result = BuildResult()
    for rel, text in render(chapters).items():
        target = root / rel
        if rel.parts[0] == "source":
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            continue
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            result.unchanged.append(target)
        elif check:
            result.stale.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            result.written.append(target)
    if not names:
        result.stale.extend(_orphans(root, chapters, check))
    return result


def _orphans(root: Path, chapters: list[course.Chapter], check: bool) -> list[Path]:
    """Generated folders whose chapter no longer exists: stale in a check, removed in a build."""
    known = {ch.id for ch in chapters}
    found = []
    for area in AREAS:
        folder = root / area
        if not folder.is_dir():
            continue
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and sub.name not in known:
                if check:
                    found.append(sub)
                else:
                    shutil.rmtree(sub)
    return found
