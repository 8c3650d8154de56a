"""Colab support: the badge, the course set-up cell, and what that cell calls.

The set-up cell is the first code cell of every notebook. On Colab it clones the student edition
(for ``utils``), then calls ``setup_notebook``, which installs only the packages Colab lacks;
everywhere else (JupyterLab, the grader, the tests) the cell only finds the course folder, and
``setup_notebook`` makes the GPU/simulator choice and prints one line saying what it found.
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


def course_root() -> Path:
    """The folder that holds this ``utils`` package: the course (or its student edition)."""
    return Path(__file__).resolve().parent.parent


def setup_notebook(chapter_id: str, choice: str | None = None) -> str:
    """What the set-up cell does once ``utils`` is importable; prints one line.

    On Colab: installs, quietly, the pinned versions of the notebook packages Colab lacks.
    Everywhere: chooses the GPU path (``utils.gpu.configure``) and puts the course root on
    ``PYTHONPATH`` so that ``!python -m utils check NOTEBOOK`` works from the notebook's folder, and
    shows Python warnings on stdout (``utils.testing.warnings_to_stdout``): a warning is not a failure.
    The line says where the course is and whether kernels run on a GPU or the simulator.

    Args:
        chapter_id: the chapter whose notebook is running, e.g. ``"03_kernels"``.
        choice: ``auto``, ``sim`` or ``cuda`` (default: the ``COURSE_GPU`` setting).

    Returns:
        ``"cuda"`` or ``"sim"``.
    """
    root = course_root()
    installed = []
    if on_colab():
        missing = missing_packages()
        if missing:
            installed = _pinned(missing, root / "requirements.txt")
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *installed], check=True,
                           stdout=subprocess.DEVNULL)
    os.environ.setdefault("COURSE_CHAPTER", chapter_id)
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    if str(root) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, paths)])
    testing.warnings_to_stdout()  # a warning is not a failure: stderr would zero a grade cell
    path = gpu.configure(choice)
    where = f"GPU: {gpu.gpu_name() or 'cuda'}" if path == "cuda" else "no GPU: CUDA kernels run on Numba's simulator"
    extra = f"; installed {' '.join(installed)}" if installed else ""
    print(f"Course found at {root}{extra}; {where}")
    return path
