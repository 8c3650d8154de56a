"""Shared fixtures: a tiny fixture course for the grading machinery, and the real course's
demo cohort (solution and untouched release of every chapter, graded once per test run)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from utils.instructor import build, course, grade  # noqa: E402

FIXTURE_MODULES = ROOT / "tests" / "fixtures" / "course" / "modules"


def make_fixture_course(where: Path) -> Path:
    """A course root with the fixture chapter, built."""
    shutil.copytree(FIXTURE_MODULES, where / "modules")
    build.build(None, root=where)
    return where


@pytest.fixture
def fixture_course(tmp_path: Path) -> Path:
    return make_fixture_course(tmp_path / "course")


def submit(root: Path, student: str, chapter_id: str, notebook: dict | str, name: str | None = None) -> Path:
    """Put ``notebook`` (a dict, or raw text) where a collected submission goes."""
    ch = course.resolve([chapter_id], root)[0]
    target = root / "submitted" / student / ch.id / (name or ch.notebook_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook), encoding="utf-8")
    return target


def load(root: Path, area: str, chapter_id: str) -> dict:
    ch = course.resolve([chapter_id], root)[0]
    return json.loads(ch.path(area).read_text(encoding="utf-8"))


def cell_by_id(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


@pytest.fixture(scope="session")
def cohort(tmp_path_factory) -> tuple[Path, grade.GradeReport]:
    """The real course graded once: the solution as one student, the untouched release as another.

    Runs every solution notebook top to bottom through nbgrader, so it is the slowest fixture;
    the tests that use it share one xdist group, hence one worker and one run.
    """
    root = tmp_path_factory.mktemp("cohort")
    for area in ("modules", "release", "solutions"):
        shutil.copytree(ROOT / area, root / area)
    report = grade.demo(root=root, progress=False)
    return root, report
