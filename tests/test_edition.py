"""The student edition: what ships to students, how its notebooks are written, what feedback shows,
and the runtime half of ``utils`` standing on its own."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT

from utils.instructor import course, nbg
from utils.instructor import notebooks as nbs

pytestmark = pytest.mark.pipeline
CHAPTERS = course.chapters()
CHAPTER_IDS = [ch.id for ch in CHAPTERS]


# --- notebooks as Jupyter writes them -------------------------------------------------------


@pytest.mark.parametrize("area", ["release", "solutions"])
@pytest.mark.parametrize("chapter", CHAPTERS, ids=CHAPTER_IDS)
def test_saving_a_built_notebook_as_jupyter_does_changes_no_byte(chapter, area):
    """Does reading a committed notebook with nbformat and writing it back as Jupyter does (what
    JupyterLab's save and its autosave do) give exactly the committed bytes?"""
    path = chapter.path(area)
    committed = path.read_bytes()
    nb = nbformat.read(str(path), as_version=nbformat.NO_CONVERT)
    saved = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    saved += "" if saved.endswith("\n") else "\n"  # nbformat.write, which Jupyter calls, adds it
    assert saved.encode("utf-8") == committed


def test_nbgrader_generate_leaves_release_unchanged(fixture_course):
    """Does formgrader's Generate (nbgrader generate_assignment from source/) write the release
    notebook byte for byte as the build did?"""
    release = fixture_course / "release/00_fixture/fixture.ipynb"
    before = release.read_bytes()
    a = nbg.api(fixture_course)
    nbg.check(a.generate_assignment("00_fixture", force=True, create=True), "generate_assignment")
    assert release.read_bytes() == before


# --- the runtime stands apart from the instructor tooling -----------------------------------

RUNTIME_MODULES = sorted(
    f"utils.{p.stem}" for p in (ROOT / "utils").glob("*.py") if p.stem not in ("__init__", "__main__")
)


@pytest.mark.parametrize("module", ["utils", "utils.__main__", *RUNTIME_MODULES])
def test_runtime_module_imports_no_instructor_tooling_and_has_no_side_effects(module):
    """Does importing a runtime module, in a fresh interpreter, leave utils.instructor unimported,
    print nothing and leave the environment and the working folder alone?"""
    code = (
        "import os, sys, json\n"
        "before, files = dict(os.environ), sorted(os.listdir('.'))\n"
        f"import {module}\n"
        "print(json.dumps({'instructor': sorted(m for m in sys.modules if m.startswith('utils.instructor')),\n"
        "                  'env': dict(os.environ) == before, 'files': sorted(os.listdir('.')) == files}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    assert out.stdout.strip() == '{"instructor": [], "env": true, "files": true}'


# --- the grader finds a notebook saved under another name -----------------------------------


@pytest.mark.parametrize("name", ["Copy of complexity.ipynb", "complexity (1).ipynb"])
def test_grader_takes_the_only_notebook_under_another_name_and_says_so(tmp_path, name):
    """Does a chapter folder holding one notebook named as Colab or a browser saves it get graded,
    with a note naming the file?"""
    from utils.instructor.grade import find_notebook

    (tmp_path / name).write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    assert find_notebook(tmp_path, "complexity.ipynb") == (tmp_path / name, f"graded {name!r} as complexity.ipynb")


def test_grader_refuses_a_folder_with_several_candidate_notebooks_and_names_them(tmp_path):
    """Are several notebooks, none with the expected name, refused with their names?"""
    from utils.instructor.grade import find_notebook

    for name in ("Copy of complexity.ipynb", "complexity (1).ipynb"):
        (tmp_path / name).write_text("{}")
    path, reason = find_notebook(tmp_path, "complexity.ipynb")
    assert path is None
    assert reason == ("no complexity.ipynb and several notebooks in the submission: "
                      "'Copy of complexity.ipynb', 'complexity (1).ipynb'")
    (tmp_path / "complexity.ipynb").write_text("{}")
    assert find_notebook(tmp_path, "complexity.ipynb") == (tmp_path / "complexity.ipynb", "")


# --- feedback -------------------------------------------------------------------------------


def _visible_text(html_text: str) -> str:
    """What a browser shows of an HTML page: tags dropped (syntax highlighting splits code into
    spans), entities decoded."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def test_feedback_shows_a_failing_hidden_checks_message_but_no_hidden_code(fixture_course):
    """Does the feedback of a submission that passes the visible test and fails a hidden one show
    the hidden check's message, and none of the hidden tests' code (failing or passing)?"""
    import copy

    from conftest import cell_by_id, load, submit

    from utils.instructor import grade
    from utils.instructor.preprocessors import HIDDEN_NOTICE, split_hidden

    answer = copy.deepcopy(load(fixture_course, "solutions", "00"))
    cell_by_id(answer, "fixture_add")["source"] = "def add(a, b):\n    return 3\n"  # right for add(1, 2) only
    submit(fixture_course, "shortcut", "00", answer)
    report = grade.grade(root=fixture_course, timeout_s=20, progress=False)
    assert report.rows[("shortcut", "00_fixture")]["auto_score"] == "3"

    shown = _visible_text((fixture_course / "feedback/shortcut/00_fixture/fixture.html").read_text())
    assert "add(40, 2) should be 42" in shown  # the failing hidden check explains itself
    assert HIDDEN_NOTICE in shown
    hidden = []
    for cell in nbs.instructor_notebook(course.chapters(fixture_course)[0]).cells:
        hidden += split_hidden(cell.source)[1] if cell.cell_type == "code" else []
    assert len(hidden) == 2
    for line in hidden:
        assert line.strip() not in shown
    for word in ("HIDDEN TESTS", "13.0", "add(40, 2) =="):
        assert word not in shown


# --- the student's self-check ---------------------------------------------------------------


def test_check_runs_from_the_notebooks_own_folder_with_progress_and_unanswered_reflections(fixture_course):
    """Run as a notebook's `!python -m utils check` would (in the notebook's folder, the course on
    PYTHONPATH, no argument): does it find the notebook, show cell k of n on stderr, and list the
    reflection still unanswered?"""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("COURSE_ROOT", "NUMBA_ENABLE_CUDASIM")}
    env.update(PYTHONPATH=str(ROOT), COURSE_GPU="sim")
    out = subprocess.run([sys.executable, "-m", "utils", "check", "--timeout", "30"], env=env,
                         cwd=fixture_course / "release/00_fixture", capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stderr
    assert "FAILED  fixture_add_correct" in out.stdout
    assert "manual  fixture_reflection      1 pts  not answered yet" in out.stdout
    assert "Reflections still unanswered ('YOUR ANSWER HERE' left in): fixture_reflection" in out.stdout
    assert "fixture.ipynb: code cell 1 of 6\n" in out.stderr and "fixture.ipynb: code cell 6 of 6\n" in out.stderr
    assert len(out.stderr.splitlines()) <= 11, out.stderr  # about ten progress lines, nothing else


def test_check_names_a_cell_that_ran_out_of_time_as_a_timeout(fixture_course):
    """Is a grade cell that never finishes reported as a timeout, not as KeyboardInterrupt, while
    the rest of the notebook is still checked?"""
    import copy
    import json

    from conftest import cell_by_id, load

    from utils import check

    looping = copy.deepcopy(load(fixture_course, "solutions", "00"))
    cell_by_id(looping, "fixture_add")["source"] = "def add(a, b):\n    while True:\n        pass\n"
    path = fixture_course / "release/00_fixture/looping.ipynb"
    path.write_text(json.dumps(looping))
    results = {r.grade_id: r for r in check.check(path, timeout_s=3)}
    assert results["fixture_add_correct"].reason == "timed out: ran past the 3 s limit"
    assert results["fixture_add_correct"].points == 0
    assert results["fixture_hypot_correct"].passed
    assert results["fixture_reflection"].answered
    assert "KeyboardInterrupt" not in check.format_results(list(results.values()))


def test_check_finds_the_course_root_from_the_notebook_path(tmp_path):
    """Is the course root the nearest folder above the notebook that holds utils/?"""
    from utils import check, runner

    (tmp_path / "utils").mkdir()
    (tmp_path / "utils/colab.py").write_text("")
    (tmp_path / "01_complexity").mkdir()
    assert check.find_course_root(tmp_path / "01_complexity/complexity.ipynb") == tmp_path.resolve()
    assert check.find_course_root(tmp_path.parent / "x.ipynb") == runner.ROOT


# --- publishing the student edition ---------------------------------------------------------


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The real course published once into a fresh folder (made a git repository by publish)."""
    from utils.instructor import publish

    dest = tmp_path_factory.mktemp("edition") / "student"
    return dest, publish.publish(dest)


def _regions(chapter) -> tuple[list[str], set[str]]:
    """(stripped lines inside the chapter's solution and hidden-test regions, the other lines)."""
    inside, visible = [], set()
    for cell in nbs.instructor_notebook(chapter).cells:
        region = False
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                region = True
            elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                region = False
            else:
                (inside.append if region else visible.add)(line.strip().lstrip("# ").strip())
    return inside, visible


def _secret_lines(chapter) -> list[str]:
    """Lines of the chapter's solution regions and hidden tests that must never reach students.

    Left out: trivial lines (blank, brackets, ``pass``), lines that also stand in a notebook's
    visible code (a visible test repeated among the hidden ones is no secret), and short lines the
    runtime helpers also hold (``start = time.perf_counter()``)."""
    visible = set().union(*(_regions(ch)[1] for ch in CHAPTERS))
    runtime = {ln.strip() for p in (ROOT / "utils").glob("*.py") for ln in p.read_text().splitlines()}
    trivial = lambda s: not s.strip("()[]{},:;. ") or s in ("pass", "else:", "try:", "finally:")  # noqa: E731
    return sorted({s for s in _regions(chapter)[0]
                   if not trivial(s) and s not in visible and not (len(s) < 40 and s in runtime)})


def _published_lines(dest) -> dict[str, set[str]]:
    """Every published file's stripped lines (a notebook's: of its cells and metadata)."""
    import json

    lines = {}
    for path in dest.rglob("*"):
        if ".git" in path.relative_to(dest).parts or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            text = "\n".join(["".join(c["source"]) for c in nb["cells"]] + [json.dumps(nb["metadata"])])
        lines[path.relative_to(dest).as_posix()] = {ln.strip().lstrip("# ").strip() for ln in text.splitlines()}
    return lines


def test_published_edition_holds_no_solution_or_hidden_test_line(edition):
    """Does no line of any solution region or hidden-test block of modules/ appear in any file of
    the student edition, which holds the release notebooks, the runtime, README, LICENSE and
    requirements and nothing of the instructor's?"""
    dest, result = edition
    published = _published_lines(dest)
    assert sorted(published) == sorted(result.files)
    assert not any(p.startswith(("utils/instructor", "modules", "solutions", "tests", "release/")) for p in published)
    assert {"README.md", "LICENSE", "requirements.txt", "utils/check.py", "utils/colab.py"} <= set(published)
    leaks = []
    for chapter in CHAPTERS:
        secrets = _secret_lines(chapter)
        solution = _published_lines(chapter.path("solutions").parent)[chapter.notebook_name]
        assert len(secrets) > 100 and all(s in solution for s in secrets)  # the search finds them where they are
        for name, lines in published.items():
            leaks += [f"{name}: {s!r} ({chapter.id})" for s in secrets if s in lines]
    assert leaks == []


def test_publishing_is_deterministic_and_commits_only_on_change(edition, tmp_path):
    """Does publishing the same course again make no commit, a second repository get the same
    commit, and a changed or stray file get put right (untracked files left alone)?"""
    import shutil

    from utils.instructor import publish

    dest, first = edition
    assert first.commit and len(first.changed) == len(first.files)
    assert publish.publish(dest, check_build=False).commit is None
    other = publish.publish(tmp_path / "other", check_build=False)
    assert other.commit == first.commit

    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "other", copy)
    (copy / "README.md").write_text("edited\n")
    (copy / "utils/instructor.py").write_text("tracked stray\n")
    subprocess.run(["git", "add", "README.md", "utils/instructor.py"], cwd=copy, check=True)
    subprocess.run(["git", "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "-qm", "edit"],
                   cwd=copy, check=True)
    (copy / "notes.txt").write_text("untracked, the publisher's own\n")
    again = publish.publish(copy, check_build=False)
    assert sorted(again.changed) == ["README.md", "utils/instructor.py"]
    assert not (copy / "utils/instructor.py").exists() and (copy / "notes.txt").is_file()
    assert (copy / "README.md").read_bytes() == (dest / "README.md").read_bytes()


def test_publish_refuses_a_folder_that_is_not_its_repository(tmp_path):
    """Is a non-empty folder that is not a git repository, or the course itself, refused?"""
    from utils.instructor import publish

    (tmp_path / "work.txt").write_text("someone's work")
    with pytest.raises(ValueError, match="not a git repository"):
        publish.publish(tmp_path, check_build=False)
    with pytest.raises(ValueError, match="outside the course folder"):
        publish.publish(ROOT / "edition", check_build=False)


def test_a_clone_of_the_edition_runs_the_setup_cell_and_first_visible_test_offline(edition, tmp_path, monkeypatch):
    """Cloned as the Colab set-up cell clones it (here from the local repository, with no network
    and no google.colab), does chapter 01's set-up cell find the clone's utils, print its one line,
    and does the first visible test run there (passing on the reference answer)?"""
    import nbformat
    from nbclient import NotebookClient

    dest, _ = edition
    clone = tmp_path / "perf-engineering-course"
    subprocess.run(["git", "clone", "-q", "--depth=1", f"file://{dest}", str(clone)], check=True)
    chapter = CHAPTERS[0]
    nb = nbformat.read(str(clone / chapter.id / chapter.notebook_name), as_version=4)
    answers = {nbs.grade_id(c): c for c in nbs.read(chapter.path("solutions")).cells}
    first_test = next(i for i, c in enumerate(nb.cells) if nbs.is_grade(c) and c.cell_type == "code")
    cells = [c for c in nb.cells[:first_test] if c.cell_type == "code" and nbs.grade_id(c)]  # set-up, exercises
    cells = [answers[nbs.grade_id(c)] if nbs.is_solution(c) else c for c in cells] + [nb.cells[first_test]]
    cells.append(nbformat.v4.new_code_cell("import utils; print(utils.__file__)"))
    nb.cells = cells

    content = tmp_path / "content"  # Colab's working folder: not inside the clone
    content.mkdir()
    for key in ("PYTHONPATH", "NUMBA_ENABLE_CUDASIM"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COURSE_ROOT", str(clone))
    monkeypatch.setenv("COURSE_GPU", "sim")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # any download would fail
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(content)}},
                   extra_arguments=["--IPKernelApp.log_level=40"]).execute()  # raises on any error

    said = [o["text"] for o in nb.cells[0].outputs]
    assert said == [f"Course found at {clone}; no GPU: CUDA kernels run on Numba's simulator\n"]
    assert nb.cells[-2].outputs == []  # the visible test passed, silently
    assert nb.cells[-1].outputs[0]["text"].strip() == str(clone / "utils" / "__init__.py")

    cli = [sys.executable, "-m", "utils"]
    helped = subprocess.run([*cli, "--help"], cwd=clone, capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "the only verb is 'check'" in helped.stdout
    refused = subprocess.run([*cli, "build"], cwd=clone, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "student edition" in refused.stderr
