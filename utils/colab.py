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
from . import gpu, testing

#: import name -> requirement name, for what a notebook imports at the top.
NOTEBOOK_PACKAGES = {
    "numpy": "numpy",
    "matplotlib": "matplotlib",
    "numba": "numba",
    "torch": "torch",
    "psutil": "psutil",
}


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
    chooses the GPU path (``utils.gpu.configure``) and shows warnings on stdout
    (``utils.testing.warnings_to_stdout``). Prints nothing when there is nothing to say.

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
    testing.warnings_to_stdout()  # a warning is not a failure: stderr would zero a grade cell
    return gpu.configure(choice)
