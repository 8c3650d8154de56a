"""The course machinery: lint, build, the release's contents, grading rules, self-check, CLI."""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, cell_by_id, load, submit

from utils import check, colab
from utils.instructor import build, course, grade, lint
from utils.instructor import notebooks as nbs

pytestmark = pytest.mark.pipeline
CHAPTERS = course.chapters()
CHAPTER_IDS = [ch.id for ch in CHAPTERS]


def test_every_chapter_of_the_course_is_present():
    """Are the five chapters there, each with one source?"""
    assert CHAPTER_IDS == ["01_complexity", "02_tensors", "03_kernels", "04_memory_profiling", "05_capstone"]


def test_lint_passes_for_every_chapter():
    """Does every chapter source pass lint?"""
    problems = [p.format() for p in lint.lint()]
    assert problems == []


def test_lint_reports_file_and_line(tmp_path):
    """Does lint name the file and line of a cell with a broken header?"""
    folder = tmp_path / "modules" / "00_fixture"
    folder.mkdir(parents=True)
    text = (ROOT / "tests/fixtures/course/modules/00_fixture/fixture.py").read_text()
    text = text.replace('"points": 3, "schema_version": 3', '"points": 0, "schema_version": 2')
    text = text.replace("# Fixture chapter", "# Fixture chapter, BEGIN SOLUTION in prose")
    (folder / "fixture.py").write_text(text)
    problems = [p.format(tmp_path) for p in lint.lint(None, tmp_path)]
    line = next(i + 1 for i, ln in enumerate(text.splitlines()) if '"points": 0' in ln)
    assert f"modules/00_fixture/fixture.py:{line}: nbgrader metadata needs schema_version 3, got 2" in problems
    assert any(p.startswith(f"modules/00_fixture/fixture.py:{line}:") and "points > 0" in p for p in problems)
    assert any("outside a solution or grade cell" in p for p in problems)


def test_build_check_passes():
    """Do the committed release/ and solutions/ match a fresh build of modules/?"""
    result = build.build(None, check=True)
    assert [str(p.relative_to(ROOT)) for p in result.stale] == []


def test_build_is_byte_identical_when_nothing_changed(fixture_course):
    """Does a second build write nothing?"""
    before = {p: p.read_bytes() for p in fixture_course.rglob("*.ipynb") if "source" not in p.parts}
    result = build.build(None, root=fixture_course)
    assert result.written == []
    assert before == {p: p.read_bytes() for p in before}


def test_build_check_names_a_stale_notebook(fixture_course):
    """Does build --check name a notebook whose source changed, and exit non-zero?"""
    src = fixture_course / "modules/00_fixture/fixture.py"
    src.write_text(src.read_text().replace("A two-exercise chapter", "A changed chapter"))
    result = build.build(None, root=fixture_course, check=True)
    assert {p.relative_to(fixture_course).as_posix() for p in result.stale} == {
        "release/00_fixture/fixture.ipynb",
        "solutions/00_fixture/fixture.ipynb",
    }


@pytest.mark.parametrize("chapter", CHAPTERS, ids=CHAPTER_IDS)
def test_release_holds_no_solution_code_and_no_hidden_tests(chapter):
    """Are solution regions stubbed and hidden tests gone from the student notebook?"""
    release = nbs.read(chapter.path("release"))
    source = nbs.instructor_notebook(chapter)
    text = json.dumps(release)
    for word in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
        assert word not in text
    released = {nbs.grade_id(c): c for c in release.cells if nbs.grade_id(c)}
    for cell in source.cells:
        gid = nbs.grade_id(cell)
        if nbs.is_solution(cell) and cell.cell_type == "code":
            assert "raise NotImplementedError()" in released[gid].source, gid
            hidden = _between(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
            for line in hidden:
                assert line not in released[gid].source.splitlines(), f"{gid}: solution line {line!r} leaked"
        if nbs.is_grade(cell) and cell.cell_type == "code":
            for line in _between(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"):
                assert line not in released[gid].source.splitlines(), f"{gid}: hidden test {line!r} leaked"


def _between(text: str, begin: str, end: str) -> list[str]:
    """Lines found only inside marker regions: the ones that must not reach students.

    Short lines (``return x``) and lines that also stand outside the regions (a visible test
    repeated in the hidden ones) may appear in the release legitimately."""
    inside_lines, outside_lines, inside = [], set(), False
    for line in text.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside:
            inside_lines.append(line)
        else:
            outside_lines.add(line)
    return [ln for ln in inside_lines if len(ln.strip()) > 25 and ln not in outside_lines]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=CHAPTER_IDS)
def test_release_starts_with_colab_badge_and_setup_cell(chapter):
    """Does every student notebook open with the Colab badge (pointing at itself) and the set-up cell?"""
    release = nbs.read(chapter.path("release"))
    badge, setup = release.cells[0], release.cells[1]
    assert badge.cell_type == "markdown"
    assert nbs.notebook_url(chapter) in badge.source
    assert f"/{chapter.id}/{chapter.notebook_name})" in badge.source
    assert setup.cell_type == "code" and nbs.is_locked(setup)
    assert "setup_notebook(" in setup.source


def test_setup_cell_runs_offline_and_picks_the_simulator():
    """Does the set-up cell work from release/ with no network, make utils importable, and choose
    the simulator when there is no GPU?"""
    chapter = CHAPTERS[0]
    code = nbs.setup_cell_source(chapter) + (
        "\nimport os, utils\nprint(GPU_PATH, os.environ['NUMBA_ENABLE_CUDASIM'], utils.__file__)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_ROOT", "NUMBA_ENABLE_CUDASIM", "PYTHONPATH")}
    env["COURSE_GPU"] = "sim"
    env["no_proxy"] = env["NO_PROXY"] = "*"
    env["http_proxy"] = env["https_proxy"] = "http://127.0.0.1:9"  # any download would fail
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "release" / chapter.id, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    said, ours = out.stdout.splitlines()
    assert said == f"Course found at {ROOT}; no GPU: CUDA kernels run on Numba's simulator"
    path, flag, where = ours.split()
    assert (path, flag) == ("sim", "1")
    assert Path(where).resolve() == (ROOT / "utils" / "__init__.py").resolve()
    assert out.stderr == ""


def test_importing_utils_has_no_side_effects():
    """Does importing every utils module print nothing and leave the environment alone?"""
    code = (
        "import os, json; before = dict(os.environ)\n"
        "import utils, utils.instructor.build, utils.check, utils.colab, utils.config, utils.instructor.course, utils.gpu, "
        "utils.instructor.grade, utils.instructor.harness, utils.instructor.lint, utils.instructor.notebooks, utils.plotting, utils.testing, utils.timing\n"
        "assert dict(os.environ) == before, 'environment changed'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "" and out.stderr == ""


# --- grading rules, on the two-exercise fixture chapter --------------------------------------


def _grade(root, **kw):
    return grade.grade(root=root, timeout_s=kw.pop("timeout_s", 20), progress=False, **kw)


def _row(report, student):
    return report.rows[(student, "00_fixture")]


def test_solution_full_marks_and_untouched_release_zero(fixture_course):
    """Does the solution get every automatic point and the untouched release none?"""
    submit(fixture_course, "sol", "00", load(fixture_course, "solutions", "00"))
    submit(fixture_course, "blank", "00", load(fixture_course, "release", "00"))
    report = _grade(fixture_course)
    assert (_row(report, "sol")["auto_score"], _row(report, "sol")["auto_max"]) == ("5", "5")
    assert _row(report, "sol")["manual_pending"] == "1"
    assert (_row(report, "blank")["auto_score"], _row(report, "blank")["auto_max"]) == ("0", "5")
    assert (fixture_course / "feedback/sol/00_fixture/fixture.html").is_file()
    assert (fixture_course / "autograded/sol/00_fixture/fixture.ipynb").is_file()


def test_a_warning_from_a_correct_answer_costs_nothing(fixture_course):
    """Does a correct answer whose own code emits a UserWarning keep full marks, while a wrong
    answer that warns too still loses its cell?"""
    warns = "import warnings\n\n\ndef add(a, b):\n    warnings.warn('add: ints only', UserWarning)\n    return a + {}\n"
    for student, body in (("warns", "b"), ("warns_wrong", "b + 1")):
        nb = load(fixture_course, "solutions", "00")
        cell_by_id(nb, "fixture_add")["source"] = warns.format(body)
        submit(fixture_course, student, "00", nb)
    report = _grade(fixture_course)
    assert _row(report, "warns")["auto_score"] == "5"
    assert _row(report, "warns_wrong")["auto_score"] == "3"  # add's 2 points lost, hypot's 3 kept


def test_tampered_submissions_are_repaired_or_reported_and_the_batch_goes_on(fixture_course):
    """Edited locked cell, deleted grade cell, changed cell type, duplicated locked cell, invalid
    JSON, missing notebook: is each restored or reported, and is everyone else still graded?"""
    sol = load(fixture_course, "solutions", "00")

    edited = copy.deepcopy(sol)
    cell_by_id(edited, "fixture_add_correct")["source"] = "assert True"
    cell_by_id(edited, "fixture_add")["source"] = "def add(a, b):\n    return 0\n"
    submit(fixture_course, "edited", "00", edited)

    deleted = copy.deepcopy(sol)
    deleted["cells"] = [c for c in deleted["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != "fixture_hypot_correct"]
    submit(fixture_course, "deleted", "00", deleted)

    retyped = copy.deepcopy(sol)
    cell = cell_by_id(retyped, "fixture_add_correct")
    cell.update(cell_type="markdown")
    cell.pop("outputs"), cell.pop("execution_count")
    submit(fixture_course, "retyped", "00", retyped)

    duplicated = copy.deepcopy(sol)
    index = duplicated["cells"].index(cell_by_id(duplicated, "fixture_setup"))
    twin = copy.deepcopy(duplicated["cells"][index])
    twin["id"] = "twin"
    duplicated["cells"].insert(index, twin)
    submit(fixture_course, "duplicated", "00", duplicated)

    submit(fixture_course, "broken", "00", '{"cells": [')
    submit(fixture_course, "misnamed", "00", sol, name="Copy of fixture.ipynb")
    submit(fixture_course, "sol", "00", sol)

    report = _grade(fixture_course)
    status = {o.student_id: o for o in report.outcomes}
    assert _row(report, "edited")["auto_score"] == "3"  # add is wrong; its edited test was restored
    assert "restored edited locked cell fixture_add_correct" in status["edited"].notes
    assert _row(report, "deleted")["auto_score"] == "5"
    assert "restored deleted grade cell fixture_hypot_correct" in status["deleted"].notes
    assert _row(report, "retyped")["auto_score"] == "5"
    assert "restored the cell type of fixture_add_correct" in status["retyped"].notes
    assert _row(report, "duplicated")["auto_score"] == "5"
    assert any("duplicate" in n for n in status["duplicated"].notes)
    assert not status["broken"].ok and "not a valid notebook" in status["broken"].reason
    assert _row(report, "broken")["status"].startswith("not graded: not a valid notebook")
    assert _row(report, "misnamed")["auto_score"] == "5"
    assert "graded 'Copy of fixture.ipynb' as fixture.ipynb" in status["misnamed"].notes
    assert _row(report, "sol")["auto_score"] == "5"


def test_an_infinite_loop_costs_only_the_cells_that_depend_on_it(fixture_course):
    """Does a never-ending answer time out, cost only its own grade cell, and let the batch go on?"""
    looping = load(fixture_course, "solutions", "00")
    cell_by_id(looping, "fixture_add")["source"] = "def add(a, b):\n    while True:\n        pass\n"
    submit(fixture_course, "looping", "00", looping)
    submit(fixture_course, "sol", "00", load(fixture_course, "solutions", "00"))
    report = _grade(fixture_course, timeout_s=3)
    assert _row(report, "looping")["auto_score"] == "3"  # hypot still earns its 3 points
    assert any("ran past the time limit" in n for n in report.outcomes[0].notes)
    assert _row(report, "sol")["auto_score"] == "5"


def test_regrading_neither_duplicates_nor_loses_rows(fixture_course, tmp_path):
    """Does grading again (all, then one student) keep exactly one row per student and chapter?"""
    submit(fixture_course, "a", "00", load(fixture_course, "solutions", "00"))
    submit(fixture_course, "b", "00", load(fixture_course, "release", "00"))
    db = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    _grade(fixture_course, db_url=db)
    _grade(fixture_course, db_url=db)
    report = _grade(fixture_course, students=["b"], db_url=db)
    with report.csv_path.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["student_id"], r["chapter"], r["auto_score"]) for r in rows] == [
        ("a", "00_fixture", "5"),
        ("b", "00_fixture", "0"),
    ]
    assert (tmp_path / "elsewhere.db").is_file() and not (fixture_course / "gradebook.db").exists()


def test_check_reports_each_graded_cell(fixture_course):
    """Does the self-check pass the solution, and fail a stub with the reason and the points?"""
    good = check.check(fixture_course / "solutions/00_fixture/fixture.ipynb", timeout_s=30)
    assert [(r.grade_id, r.passed) for r in good if r.reason != "manual"] == [
        ("fixture_add_correct", True), ("fixture_hypot_correct", True)]
    bad = check.check(fixture_course / "release/00_fixture/fixture.ipynb", timeout_s=30)
    failed = {r.grade_id: r for r in bad if r.reason != "manual"}
    assert failed["fixture_add_correct"].reason.startswith("NotImplementedError")
    assert failed["fixture_add_correct"].points == 0 and failed["fixture_add_correct"].max_points == 2
    text = check.format_results(bad)
    assert "FAILED" in text and "0/5 automatic points" in text


# --- the command line ----------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["build", "lint", "grade", "check", "demo", "publish"])
def test_every_verb_has_help_with_examples(verb):
    """Does each verb's --help show examples?"""
    out = subprocess.run([sys.executable, "-m", "utils", verb, "--help"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "examples:" in out.stdout


def test_a_bad_chapter_name_fails_with_one_line_and_non_zero_exit():
    """Does an unknown chapter give a one-line reason and exit 2?"""
    out = subprocess.run([sys.executable, "-m", "utils", "build", "99_nothing"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "unknown chapter '99_nothing'" in out.stderr


def test_check_of_a_missing_notebook_fails_cleanly():
    out = subprocess.run([sys.executable, "-m", "utils", "check", "nope.ipynb"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "no such notebook" in out.stderr


# --- the real course, graded once ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("cohort")
@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_solution_scores_full_marks(cohort, chapter):
    """Does every solution notebook run top to bottom and pass every grade cell?"""
    _, report = cohort
    row = report.rows[("demo-solution", chapter)]
    assert row["status"] == "graded", row
    assert float(row["auto_max"]) > 0 and row["auto_score"] == row["auto_max"], row


@pytest.mark.slow
@pytest.mark.xdist_group("cohort")
@pytest.mark.parametrize("chapter", CHAPTER_IDS)
def test_untouched_release_scores_zero(cohort, chapter):
    """Does the untouched student notebook score no automatic points (no grading holes)?"""
    _, report = cohort
    row = report.rows[("demo-untouched", chapter)]
    assert row["status"] == "graded", row
    assert row["auto_score"] == "0" and float(row["auto_max"]) > 0, row


@pytest.mark.slow
@pytest.mark.xdist_group("cohort")
def test_solution_grade_cells_are_silent(cohort):
    """Does every grade cell of every graded solution print nothing at all (stderr above all)?"""
    root, _ = cohort
    for ch in CHAPTERS:
        nb = nbs.read(root / "autograded" / "demo-solution" / ch.id / ch.notebook_name)
        for cell in nb.cells:
            if nbs.is_grade(cell) and cell.cell_type == "code":
                shown = [o.get("name") or o.get("output_type") for o in cell.outputs]
                assert shown == [], f"{nbs.grade_id(cell)} printed {shown}: {cell.outputs[0]}"


@pytest.mark.slow
@pytest.mark.xdist_group("cohort")
@pytest.mark.parametrize("chapter", CHAPTERS, ids=CHAPTER_IDS)
def test_solution_notebook_runs_top_to_bottom_without_error(cohort, chapter):
    """Does every cell of the graded solution notebook (analysis and plots too) run without error?"""
    root, _ = cohort
    nb = nbs.read(root / "autograded" / "demo-solution" / chapter.id / chapter.notebook_name)
    errors = [
        f"{nbs.grade_id(c) or c.get('id')}: {o.get('ename')}: {o.get('evalue')}"
        for c in nb.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []


def test_demo_without_bubblewrap_grades_the_course_unsandboxed(fixture_course, monkeypatch, capsys):
    """Without bubblewrap, does the demo still grade the course's own notebooks (with a notice),
    while grading students' submissions is refused?"""
    from utils.instructor import sandbox

    monkeypatch.setattr(sandbox, "BWRAP", "/nonexistent/bwrap")
    report = grade.demo(root=fixture_course, progress=False)
    assert report.rows[("demo-solution", "00_fixture")]["auto_score"] == "5"
    assert report.rows[("demo-untouched", "00_fixture")]["auto_score"] == "0"
    assert "without the sandbox" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match="bubblewrap"):
        grade.grade(None, ["demo-solution"], root=fixture_course, progress=False)
