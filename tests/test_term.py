"""One instructor's term on the fixture chapter: collect, grade, grade by hand, regrade, export,
return feedback; on SQLite and on a real PostgreSQL server. Plus the formgrader over HTTP, the
LMS naming schemes, nbgrader's exchange and the command line's failure modes."""

from __future__ import annotations

import copy
import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, cell_by_id, load, make_fixture_course

from utils.instructor import collect, course, export, feedback, formgrader, grade, records

pytestmark = pytest.mark.pipeline

CH = "00_fixture"


def _with_reflection(nb: dict, text: str) -> dict:
    nb = copy.deepcopy(nb)
    cell_by_id(nb, "fixture_reflection")["source"] = text
    return nb


def _with_wrong_hypot(nb: dict) -> dict:
    nb = copy.deepcopy(nb)
    cell = cell_by_id(nb, "fixture_hypot")
    cell["source"] = cell["source"].replace("return math.sqrt(a * a + b * b)", "return a + b")
    return nb


def _canvas_zip(path: Path, notebooks: dict[str, dict], extra: dict[str, str] | None = None) -> Path:
    """A Canvas "download submissions" zip: ``name_userid_submissionid_file`` per notebook."""
    with zipfile.ZipFile(path, "w") as z:
        for i, (name, nb) in enumerate(sorted(notebooks.items())):
            z.writestr(f"{name}_{1001 + i}_{5001 + i}_fixture.ipynb", json.dumps(nb))
        for name, text in (extra or {}).items():
            z.writestr(name, text)
    return path


def _grades(path: Path) -> dict[str, dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh) if r["chapter"] == CH}


def _numbers(row: dict) -> dict:
    keys = ("auto_score", "auto_max", "manual_score", "manual_max", "manual_pending", "total", "total_max")
    return {k: row[k] for k in keys}


def _grade_by_hand(db_url: str, student: str, score: float, comment: str) -> None:
    """What the formgrader's API does when a grader types a score and a comment."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "perf-eng-ml") as gb:
        g = gb.find_grade("fixture_reflection", "fixture", CH, student)
        g.manual_score = score
        g.needs_manual_grade = g.manual_score is None and g.auto_score is None
        c = gb.find_comment("fixture_reflection", "fixture", CH, student)
        c.manual_comment = comment
        gb.db.commit()


def _manual(db_url: str, student: str) -> tuple:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "perf-eng-ml") as gb:
        g = gb.find_grade("fixture_reflection", "fixture", CH, student)
        c = gb.find_comment("fixture_reflection", "fixture", CH, student)
        return g.manual_score, g.needs_manual_grade, c.manual_comment


def _nbgrader_export(root: Path, db_url: str) -> None:
    """``nbgrader export`` with the course's configuration, in-process."""
    from nbgrader.apps import ExportApp

    app = ExportApp(config=course.nbgrader_config(root, db_url=db_url))
    app.initialize([])
    app.start()
    ExportApp.clear_instance()


def run_term(tmp_path: Path, db_url: str) -> None:
    root = make_fixture_course(tmp_path / "course")
    sol, blank = load(root, "solutions", CH), load(root, "release", CH)
    ids = tmp_path / "ids.csv"
    ids.write_text("lms_id,student_id,name\n1001,alice,Alice Ames\n1002,bob,Bob Berg\n1003,carol,Carol Cruz\n",
                   encoding="utf-8")

    # collect: Canvas names, an id map, a file that names no student, a receipt
    download = _canvas_zip(tmp_path / "canvas.zip", {
        "amesalice": _with_reflection(sol, "Addition of integers never leaves the integers."),
        "bergbob": _with_wrong_hypot(_with_reflection(sol, "Because.")),
        "cruzcarol": blank,
    }, extra={"notes.ipynb": json.dumps(sol), "receipt.txt": "uploaded"})
    got = collect.collect(download, root, id_map=ids)
    assert [(p.student_id, p.chapter) for p in got.placed] == [("alice", CH), ("bob", CH), ("carol", CH)]
    assert len(got.unplaced) == 1 and got.unplaced[0].startswith("notes.ipynb:")
    assert got.ignored == ["receipt.txt"]
    (root / "submitted" / "frank" / "01").mkdir(parents=True)  # misfiled by hand

    # grade: the reflections wait for a grader; carol's untouched one scores 0 ("No response")
    report = grade.grade(root=root, db_url=db_url, timeout_s=20, progress=False)
    assert not report.failed
    assert report.stray == ["submitted/frank/01/ matches no chapter"]
    rows = _grades(root / "grades.csv")
    assert _numbers(rows["alice"]) == dict(auto_score="5", auto_max="5", manual_score="0", manual_max="1",
                                           manual_pending="1", total="5", total_max="6")
    assert _numbers(rows["bob"]) == dict(auto_score="2", auto_max="5", manual_score="0", manual_max="1",
                                         manual_pending="1", total="2", total_max="6")
    assert _numbers(rows["carol"]) == dict(auto_score="0", auto_max="5", manual_score="0", manual_max="1",
                                           manual_pending="0", total="0", total_max="6")
    table = grade.format_table(report.rows)
    assert "0/1 (1 pending)" in table and "5/6 + pending" in table
    html = (root / "feedback/alice/00_fixture/fixture.html").read_text(encoding="utf-8")
    assert "Score: pending / 1.0" in html and "1.0 points pending grading by hand" in html

    # grade by hand, as the formgrader does; export sees it without a regrade
    _grade_by_hand(db_url, "alice", 1.0, "Closure, well put.")
    _grade_by_hand(db_url, "bob", 0.5, "Say why.")
    out = export.export("course", root=root, db_url=db_url)
    assert out.pending == []
    rows = _grades(out.path)
    assert (rows["alice"]["manual_score"], rows["alice"]["manual_pending"], rows["alice"]["total"]) == ("1", "0", "6")
    assert (rows["bob"]["manual_score"], rows["bob"]["manual_pending"], rows["bob"]["total"]) == ("0.50", "0", "2.50")

    # regrade: alice's unchanged answer keeps its grade and comment; bob's changed answer is flagged
    resubmitted = _with_wrong_hypot(_with_reflection(sol, "Integers are closed under addition."))
    (root / "submitted/bob/00_fixture/fixture.ipynb").write_text(json.dumps(resubmitted), encoding="utf-8")
    report = grade.grade(root=root, db_url=db_url, timeout_s=20, progress=False)
    assert not report.failed
    assert _manual(db_url, "alice") == (1.0, False, "Closure, well put.")
    assert _manual(db_url, "bob")[1] is True
    rows = _grades(root / "grades.csv")
    assert _numbers(rows["alice"]) == dict(auto_score="5", auto_max="5", manual_score="1", manual_max="1",
                                           manual_pending="0", total="6", total_max="6")
    assert _numbers(rows["bob"]) == dict(auto_score="2", auto_max="5", manual_score="0", manual_max="1",
                                         manual_pending="1", total="2", total_max="6")
    assert "answer fixture_reflection changed since it was graded by hand" in rows["bob"]["notes"]
    assert set(rows) == {"alice", "bob", "carol"}  # a stray folder adds no row

    # export to both formats; nbgrader's own export and ours never overwrite each other
    ours = (root / "grades.csv").read_bytes()
    _nbgrader_export(root, db_url)
    theirs = (root / "nbgrader_grades.csv").read_bytes()
    assert (root / "grades.csv").read_bytes() == ours and b"assignment" in theirs.splitlines()[0]
    export.export("course", root=root, db_url=db_url)
    assert (root / "nbgrader_grades.csv").read_bytes() == theirs
    assert (root / "grades.csv").read_bytes() == ours
    canvas = export.export("canvas", root=root, db_url=db_url, id_map=ids)
    assert canvas.pending == [("bob", CH)]
    with canvas.path.open(newline="", encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    assert lines == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", CH],
        ["    Points Possible", "", "", "", "", "6"],
        ["Alice Ames", "1001", "", "alice", "", "6"],
        ["Bob Berg", "1002", "", "bob", "", "2"],
        ["Carol Cruz", "1003", "", "carol", "", "0"],
    ]

    # return feedback: regenerated from the gradebook, packed per student, pending still pending
    fb = feedback.feedback(root=root, db_url=db_url, pack=tmp_path / "upload")
    assert not fb.failed and len(fb.written) == 3
    assert sorted(p.name for p in fb.packs) == ["alice.zip", "bob.zip", "carol.zip"]
    with zipfile.ZipFile(tmp_path / "upload" / "alice.zip") as z:
        assert z.namelist() == ["00_fixture/fixture.html"]
        alice = z.read("00_fixture/fixture.html").decode()
    assert "Closure, well put." in alice and "Score: 6.0 / 6.0" in alice and "pending" not in alice
    bob = (root / "feedback/bob/00_fixture/fixture.html").read_text(encoding="utf-8")
    assert "Score: pending / 1.0" in bob


@pytest.mark.slow
@pytest.mark.xdist_group("term")
def test_a_whole_term_on_sqlite(tmp_path):
    """Collect, grade, grade by hand, regrade, export and feedback: is every number right?"""
    run_term(tmp_path, "sqlite:///" + str(tmp_path / "gradebook.db"))


@pytest.mark.slow
@pytest.mark.xdist_group("term")
def test_the_same_term_on_postgresql(tmp_path, pg_url):
    """Does the same term give the same numbers on a real PostgreSQL server?"""
    run_term(tmp_path, pg_url)


# --- the formgrader, over HTTP ------------------------------------------------------------------


def _fetch(url: str, token: str, timeout_s: float = 30) -> str:
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=timeout_s) as r:
        assert r.status == 200, url
        return r.read().decode("utf-8")


def _wait_until_up(base: str, token: str, proc: subprocess.Popen, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s  # a limit on waiting, not a measurement
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode}")
        try:
            _fetch(base + "/api/status", token, timeout_s=2)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("the formgrader did not answer")


def formgrader_pages(root: Path, db_url: str, students: list[str]) -> None:
    """Start the formgrader on ``root`` and check its pages show the graded chapter."""
    server = formgrader.prepare(root, db_url)
    proc = formgrader.start(server, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = server.url.split("/formgrader")[0]
    try:
        _wait_until_up(base, server.token, proc)
        manage = _fetch(base + "/formgrader/manage_assignments", server.token)
        assert "Manage Assignments" in manage and "warning-exchange" not in manage
        assert "does not exist" not in manage
        for page in ("/formgrader/gradebook", f"/formgrader/gradebook/{CH}", "/formgrader/manage_students"):
            _fetch(base + page, server.token)
        assignments = json.loads(_fetch(base + "/formgrader/api/assignments", server.token))
        assert [(a["name"], a["max_score"]) for a in assignments] == [(CH, 6.0)]
        subs = json.loads(_fetch(base + f"/formgrader/api/submissions/{CH}", server.token))
        assert sorted(s["student"] for s in subs) == students
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.xdist_group("term")
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_formgrader_serves_the_gradebook_over_http(tmp_path, request, database):
    """Does the formgrader show the course's graded submissions, on SQLite and PostgreSQL, with
    no exchange warning?"""
    db_url = request.getfixturevalue("pg_url") if database == "postgresql" else f"sqlite:///{tmp_path}/gb.db"
    root = make_fixture_course(tmp_path / "course")
    from conftest import submit

    submit(root, "alice", CH, load(root, "solutions", CH))
    assert not grade.grade(root=root, db_url=db_url, timeout_s=20, progress=False).failed
    formgrader_pages(root, db_url, ["alice"])
    assert (root / "exchange").is_dir()


@pytest.mark.slow
def test_formgrader_command_starts_from_any_folder_on_its_db(tmp_path):
    """Does ``python -m utils formgrader`` run from another folder, print its URL, follow --db
    and serve pages without an exchange warning?"""
    db = tmp_path / "elsewhere.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT), COURSE_EXCHANGE=str(tmp_path / "exchange"),
               PATH="/usr/bin:/bin")
    proc = subprocess.Popen([sys.executable, "-m", "utils", "formgrader", "--db", f"sqlite:///{db}"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = proc.stdout.readline().split()
        assert first[0] == "formgrader:", first
        url = first[1]
        base, token = url.split("/formgrader")[0], url.split("token=")[1]
        _wait_until_up(base, token, proc)
        page = _fetch(base + "/formgrader/manage_assignments", token)
        assert "warning-exchange" not in page
        assert json.loads(_fetch(base + "/formgrader/api/students", token)) == []
        assert db.is_file() and (tmp_path / "exchange").is_dir()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
