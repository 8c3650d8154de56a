"""Run a notebook's cells in a fresh kernel and read what its grade cells scored.

This is the part of grading a student needs for a self-check (``python -m utils check``): nbgrader
metadata readers, a kernel run through nbclient, and the score of one grade cell by nbgrader's
rule (an error or anything on stderr scores 0; otherwise full points). The instructor's grader
uses nbgrader itself; ``tests/`` prove the two agree.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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


def read(path: Path):
    """Read a notebook file (``.ipynb``) as nbformat 4."""
    import nbformat

    return nbformat.read(str(path), as_version=4)


def kernel_environment(root: Path = ROOT) -> dict[str, str]:
    """Environment variables every course kernel gets: the course root and the GPU choice."""
    from . import gpu

    env = {"COURSE_ROOT": str(root), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
           # idle OpenMP threads sleep rather than spin: several kernels share 2 cores when grading
           "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "passive")}
    gpu.configure(env=env)
    return env


def cell_score(cell) -> tuple[float, float]:
    """(score, max points) of an executed code grade cell, by nbgrader's rule."""
    max_points = float(nbgrader_meta(cell).get("points", 0))
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error" or (out.get("output_type") == "stream" and out.get("name") == "stderr"):
            return 0.0, max_points
    return max_points, max_points


def first_failure_line(cell) -> str:
    """A one-line reason why a grade cell lost points, from its outputs."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            value = str(out.get("evalue", "")).strip().splitlines()
            return f"{out.get('ename')}: {value[0]}" if value else str(out.get("ename"))
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = str(out.get("text", "")).strip().splitlines()
            return f"wrote to stderr: {text[0] if text else ''}"
    return "partial credit"
