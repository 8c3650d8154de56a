"""Turn a chapter source into the instructor notebook, and read nbgrader cell metadata.

The instructor notebook is the jupytext conversion of ``modules/NN_topic/topic.py`` with two
cells put in front (the Colab badge and the course set-up cell), stable cell ids, and jupytext's
own bookkeeping removed, so that builds are byte-for-byte repeatable.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from .. import config
from ..runner import grade_id, is_grade, is_locked, is_solution, nbgrader_meta, read  # noqa: F401
from .course import Chapter


def notebook_url(chapter: Chapter, area: str = "release") -> str:
    """Colab's address for the chapter's notebook in ``area`` on the course repository."""
    return (
        f"https://colab.research.google.com/github/{config.COURSE_REPO}/blob/"
        f"{config.COURSE_BRANCH}/{area}/{chapter.id}/{chapter.notebook_name}"
    )


def badge_markdown(chapter: Chapter, area: str = "release") -> str:
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({notebook_url(chapter, area)})"
    )


SETUP_TEMPLATE = '''\
# Course set-up: run this cell first. It finds the course helpers (on Colab it fetches them)
# and chooses the GPU or Numba's CUDA simulator before numba is first imported.
import os, sys, subprocess
from pathlib import Path

COURSE_REPO, COURSE_BRANCH, COLAB_CHECKOUT = {repo!r}, {branch!r}, {checkout!r}
if "google.colab" in sys.modules and not Path(COLAB_CHECKOUT, "utils").is_dir():
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", "--branch", COURSE_BRANCH,
                    f"https://github.com/{{COURSE_REPO}}.git", COLAB_CHECKOUT], check=True)
_here = Path.cwd().resolve()
_roots = [Path(os.environ.get("COURSE_ROOT", COLAB_CHECKOUT)), _here, *_here.parents]
_root = next((p for p in _roots if (p / "utils" / "colab.py").is_file()), None)
if _root is None:
    raise RuntimeError("Course helpers not found: open this notebook inside the course folder "
                       "or set COURSE_ROOT to it.")
if str(_root) not in sys.path:
    sys.path.insert(0, str(_root))
from utils.colab import setup_notebook
GPU_PATH = setup_notebook({chapter!r})'''


def setup_cell_source(chapter: Chapter) -> str:
    """The set-up cell's code for ``chapter``, with the repository settings filled in."""
    return SETUP_TEMPLATE.format(
        repo=config.COURSE_REPO,
        branch=config.COURSE_BRANCH,
        checkout=config.COLAB_CHECKOUT,
        chapter=chapter.id,
    )


MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
_JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "cell_marker")


def is_setup(cell) -> bool:
    """A locked, ungraded code cell: imports and helpers that later cells need."""
    meta = nbgrader_meta(cell)
    return (
        cell.cell_type == "code"
        and bool(meta.get("locked"))
        and not meta.get("grade")
        and not meta.get("solution")
    )


def read_source(chapter: Chapter):
    """The chapter's jupytext source as a notebook, exactly as written (no cells added)."""
    import jupytext

    return jupytext.read(str(chapter.source), fmt="py:percent")


def instructor_notebook(chapter: Chapter):
    """The instructor notebook: source plus badge and set-up cells, with stable ids."""
    nb = read_source(chapter)
    nb.cells[0:0] = [
        nbformat.v4.new_markdown_cell(badge_markdown(chapter, area="release")),
        nbformat.v4.new_code_cell(
            setup_cell_source(chapter),
            metadata={
                "nbgrader": {
                    "grade": False,
                    "grade_id": f"setup_{chapter.id}",
                    "locked": True,
                    "schema_version": 3,
                    "solution": False,
                }
            },
        ),
    ]
    nb.metadata.pop("jupytext", None)
    nb.metadata["language_info"] = {"name": "python"}
    counts = {"markdown": 0, "code": 0, "raw": 0}
    for cell in nb.cells:
        for key in _JUPYTEXT_CELL_KEYS:
            cell.metadata.pop(key, None)
        gid = grade_id(cell)
        if gid:
            cell.id = gid
        else:
            counts[cell.cell_type] += 1
            cell.id = f"{cell.cell_type[:2]}-{counts[cell.cell_type]:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def dumps(nb) -> str:
    """Canonical JSON text of a notebook (sorted keys, one-space indent, final newline)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write(nb, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(nb), encoding="utf-8")
