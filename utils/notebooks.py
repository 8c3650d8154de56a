"""Turn a chapter source into the instructor notebook, and read nbgrader cell metadata.

The instructor notebook is the jupytext conversion of ``modules/NN_topic/topic.py`` with two
cells put in front (the Colab badge and the course set-up cell), stable cell ids, and jupytext's
own bookkeeping removed, so that builds are byte-for-byte repeatable.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from . import colab
from .course import Chapter

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
_JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "cell_marker")


def nbgrader_meta(cell) -> dict:
    """The cell's nbgrader metadata, or an empty dict."""
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_grade(cell) -> bool:
    return bool(nbgrader_meta(cell).get("grade"))


def is_solution(cell) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_locked(cell) -> bool:
    return bool(nbgrader_meta(cell).get("locked"))


def grade_id(cell) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


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
        nbformat.v4.new_markdown_cell(colab.badge_markdown(chapter, area="release")),
        nbformat.v4.new_code_cell(
            colab.setup_cell_source(chapter),
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


def read(path: Path):
    """Read a notebook file (``.ipynb``) as nbformat 4."""
    return nbformat.read(str(path), as_version=4)
