"""A thin, quiet wrapper around nbgrader's Python API for one course root."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from . import course


class NbgraderError(RuntimeError):
    """An nbgrader step failed; the message holds the last lines of its log."""


@functools.lru_cache(maxsize=1)
def alembic_head() -> str:
    """The newest revision of nbgrader's gradebook schema, read in this process.

    nbgrader stamps every gradebook it creates with this revision, and finds it by running the
    ``alembic heads`` command: a second Python start (1-6 s here) for each new gradebook, and
    grading creates one per chapter per run. The value depends only on the installed nbgrader.
    """
    from alembic.script import ScriptDirectory
    from nbgrader import dbutil

    return ScriptDirectory(dbutil.ALEMBIC_DIR).get_current_head()


def _stamp_in_process() -> None:
    import nbgrader.api

    nbgrader.api.get_alembic_version = alembic_head


def api(root: Path = course.ROOT, db_url: str | None = None, config_dir: Path | None = None, **overrides):
    """An ``NbGraderAPI`` for the course at ``root`` whose log goes nowhere but its results
    (``config_dir``: see ``course.nbgrader_config``)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _stamp_in_process()

    cfg = course.nbgrader_config(root, db_url=db_url, config_dir=config_dir, **overrides)
    coursedir = CourseDirectory(config=cfg)
    a = NbGraderAPI(coursedir=coursedir, config=cfg)
    a.log.handlers[:] = [logging.NullHandler()]
    a.log.propagate = False
    return a


def check(result: dict, what: str) -> dict:
    """Raise ``NbgraderError`` with a short reason unless ``result`` reports success."""
    if not result.get("success"):
        text = (result.get("error") or "") + "\n" + (result.get("log") or "")
        lines = [ln for ln in text.strip().splitlines() if ln.strip()]
        raise NbgraderError(f"{what} failed: " + " | ".join(lines[-3:]))
    return result


def generate_solution(a, assignment_id: str) -> dict:
    """Run ``nbgrader generate_solution`` for one assignment through ``a`` (an NbGraderAPI)."""
    from nbgrader.converters import GenerateSolution
    from nbgrader.utils import capture_log, temp_attrs

    with temp_attrs(a.coursedir, assignment_id=assignment_id):
        app = GenerateSolution(coursedir=a.coursedir, parent=a)
        app.force = True
        return capture_log(app)
