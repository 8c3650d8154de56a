"""Turn a chapter source into the instructor notebook, and read nbgrader cell metadata.

The instructor notebook is the jupytext conversion of ``modules/NN_topic/topic.py`` with two
cells put in front (the Colab badge and the course set-up cell), stable cell ids, and jupytext's
own bookkeeping removed, so that builds are byte-for-byte repeatable.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .. import config
from ..runner import grade_id, is_grade, is_locked, is_solution, nbgrader_meta, read  # noqa: F401
from .course import Chapter


def notebook_url(chapter: Chapter) -> str:
    """Colab's address for the chapter's notebook in the student edition."""
    return (
        f"https://colab.research.google.com/github/{config.STUDENT_REPO}/blob/"
        f"{config.STUDENT_BRANCH}/{chapter.id}/{chapter.notebook_name}"
    )


def badge_markdown(chapter: Chapter) -> str:
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({notebook_url(chapter)})"
    )


#: What the first cell of a solution notebook says in place of the badge: solution notebooks
#: live only in the instructor repository, which Colab cannot open for students.
SOLUTION_NOTICE = "Solution notebook, for course staff: it is not part of the student edition."

SETUP_TEMPLATE = '''\
# Course set-up: run this cell first. It finds the course helpers (on Colab it fetches them).
import os, sys, subprocess
from pathlib import Path
REPO, BRANCH, CHECKOUT = {repo!r}, {branch!r}, {checkout!r}
if "google.colab" in sys.modules and not Path(CHECKOUT, "utils").is_dir():
    subprocess.run(["git", "clone", "-q", "--depth=1", "-b", BRANCH, f"https://github.com/{{REPO}}", CHECKOUT],
                   check=True)
_roots = [p for p in (Path(os.environ.get("COURSE_ROOT", CHECKOUT)), Path.cwd(), *Path.cwd().parents)
          if (p / "utils" / "colab.py").is_file()]
if not _roots:
    raise RuntimeError("course helpers not found: open this notebook inside the course folder or set COURSE_ROOT")
sys.path.insert(0, str(_roots[0]))
from utils.colab import setup_notebook
GPU_PATH = setup_notebook({chapter!r})'''


def setup_cell_source(chapter: Chapter) -> str:
    """The set-up cell's code for ``chapter``, with the student edition's settings filled in."""
    return SETUP_TEMPLATE.format(
        repo=config.STUDENT_REPO,
        branch=config.STUDENT_BRANCH,
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
        nbformat.v4.new_markdown_cell(badge_markdown(chapter)),
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
    """The notebook's text exactly as Jupyter saves it: nbformat's writer (sorted keys, one-space
    indent, multi-line sources as lists of lines) and a final newline, so that opening and saving
    a built notebook in JupyterLab, or nbgrader writing it, changes no byte."""
    text = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"


def write(nb, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(nb), encoding="utf-8")
