"""Colab support: the badge, the course set-up cell, and what that cell calls.

The set-up cell is the first code cell of every notebook. On Colab it fetches a copy of the
course (for ``utils``) and installs only the packages Colab lacks; everywhere else (JupyterLab,
the grader, the tests) it only finds the course folder and makes the GPU/simulator choice.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import config, gpu

if TYPE_CHECKING:  # pragma: no cover
    from .course import Chapter

#: import name -> requirement name, for what a notebook imports at the top.
NOTEBOOK_PACKAGES = {
    "numpy": "numpy",
    "matplotlib": "matplotlib",
    "numba": "numba",
    "torch": "torch",
    "psutil": "psutil",
}


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


def on_colab() -> bool:
    return "google.colab" in sys.modules


def missing_packages() -> list[str]:
    """Requirement names of the notebook packages that cannot be imported here."""
    return [req for mod, req in NOTEBOOK_PACKAGES.items() if importlib.util.find_spec(mod) is None]


def _pinned(names: list[str], requirements: Path) -> list[str]:
    """The pinned lines of ``requirements`` for ``names`` (bare names if not pinned there)."""
    pins = {}
    if requirements.is_file():
        for line in requirements.read_text().splitlines():
            line = line.split("#")[0].strip()
            if "==" in line:
                pins[line.split("==")[0].strip().lower()] = line
    return [pins.get(n.lower(), n) for n in names]


def setup_notebook(chapter_id: str, choice: str | None = None) -> str:
    """What the set-up cell does once ``utils`` is importable.

    On Colab: installs the pinned versions of the notebook packages Colab lacks. Everywhere:
    chooses the GPU path (``utils.gpu.configure``). Prints nothing when there is nothing to say.

    Args:
        chapter_id: the chapter whose notebook is running, e.g. ``"03_kernels"``.
        choice: ``auto``, ``sim`` or ``cuda`` (default: the ``COURSE_GPU`` setting).

    Returns:
        ``"cuda"`` or ``"sim"``.
    """
    if on_colab():
        missing = missing_packages()
        if missing:
            reqs = _pinned(missing, Path(__file__).resolve().parent.parent / "requirements.txt")
            print("Installing:", " ".join(reqs))
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *reqs], check=True)
    os.environ.setdefault("COURSE_CHAPTER", chapter_id)
    return gpu.configure(choice)
