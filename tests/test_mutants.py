"""Proof that the grade cells can fail: every mutant loses points, every alternative gets full marks.

Each file under ``tests/mutants/<chapter>/`` or ``tests/alternatives/<chapter>/`` replaces one
exercise cell (named in its ``# exercise:`` header), either whole or as conflict-style blocks that
patch the reference answer, and is graded with ``utils.instructor.harness``, which
runs the grader's own execute-and-score path on the set-up cells, the earlier exercises, the
replacement and that exercise's grade cells.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from utils.instructor import course, harness

HEADER = re.compile(r"^#\s*exercise:\s*(\S+)\s*$", re.MULTILINE)
MARKS = {"01_complexity": pytest.mark.ch01, "02_tensors": pytest.mark.ch02,
         "03_kernels": pytest.mark.ch03, "04_memory_profiling": pytest.mark.ch04,
         "05_capstone": pytest.mark.ch05}


def _cases(kind: str) -> list:
    cases = []
    for path in sorted((ROOT / "tests" / kind).glob("*/*.py")):
        chapter = path.parent.name
        marks = [MARKS[chapter]] if chapter in MARKS else []
        cases.append(pytest.param(path, id=f"{chapter}/{path.stem}", marks=marks))
    return cases


def _exercise(path: Path) -> tuple[str, str]:
    """The exercise a file replaces, and the cell source it stands for (patches applied)."""
    text = path.read_text(encoding="utf-8")
    m = HEADER.search(text)
    assert m, f"{path}: first lines need '# exercise: <grade id>'"
    return m.group(1), harness.replacement_source(path.parent.name, m.group(1), text)


@pytest.mark.parametrize("path", _cases("mutants"))
def test_mutant_is_rejected(path):
    """Does this plausible wrong answer lose points on at least one of its exercise's grade cells?"""
    exercise, code = _exercise(path)
    scores = harness.grade_exercise(path.parent.name, exercise, code)
    assert scores, f"no grade cells ran for {exercise}"
    assert any(got < most for got, most in scores.values()), f"{path.name} got full marks: {scores}"


@pytest.mark.parametrize("path", _cases("alternatives"))
def test_alternative_gets_full_marks(path):
    """Does this correct answer, written differently from the reference, get every point?"""
    exercise, code = _exercise(path)
    why = harness.failures(path.parent.name, exercise, code)
    assert why == {}, f"{path.name} lost points: {why}"


@pytest.mark.parametrize("chapter", [ch.id for ch in course.chapters()])
def test_every_exercise_has_a_mutant(chapter):
    """Is every graded exercise of the chapter covered by at least one mutant file?"""
    covered = {_exercise(p)[0] for p in (ROOT / "tests" / "mutants" / chapter).glob("*.py")}
    missing = [e for e in harness.exercise_ids(chapter) if e not in covered]
    assert missing == [], f"exercises without a mutant: {missing}"


def test_every_chapter_01_exercise_has_an_alternative():
    """Chapter 01 also proves that a different correct answer gets full marks, for every exercise."""
    covered = {_exercise(p)[0] for p in (ROOT / "tests" / "alternatives" / "01_complexity").glob("*.py")}
    missing = [e for e in harness.exercise_ids("01_complexity") if e not in covered]
    assert missing == [], f"exercises without an alternative: {missing}"


def test_a_patch_applies_to_whole_lines_once():
    """Does a patch block replace whole reference lines, and refuse an ambiguous one?"""
    reference = "def f(x):\n    y = x\n    return y\n"
    patch = "\n".join([harness.PATCH_BEGIN, "    y = x", harness.PATCH_MID, "    y = x + 1", harness.PATCH_END])
    assert harness.apply_patch(reference, patch) == "def f(x):\n    y = x + 1\n    return y\n"
    with pytest.raises(ValueError, match="occur 0 times"):
        harness.apply_patch(reference, patch.replace("    y = x\n", "y = x\n", 1))
