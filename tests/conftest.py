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


def _start_postgres(where: Path) -> str:
    import os
    import subprocess

    port = str(54340 + os.getpid() % 500)  # one server per xdist worker
    out = subprocess.run([str(ROOT / ".ci" / "start-postgres"), str(where), port],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a running PostgreSQL server: ``COURSE_TEST_PG_URL`` (``.ci/run`` starts one), or
    one started here with Debian's server. Never skipped: a missing server fails the test."""
    import os
    import subprocess
    import tempfile

    if os.environ.get("COURSE_TEST_PG_URL"):
        yield os.environ["COURSE_TEST_PG_URL"]
        return
    where = Path(tempfile.mkdtemp(prefix="course-pg-", dir="/tmp"))  # the server's user must reach it
    yield _start_postgres(where)
    pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    subprocess.run([*user, str(pg_ctl), "-D", str(where / "data"), "-m", "fast", "stop"], capture_output=True)


@pytest.fixture
def pg_url(postgres_server: str) -> str:
    """A fresh, empty database on the test server, as a SQLAlchemy URL."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.rsplit("/", 1)[0] + "/" + name


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
