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
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]  # nbformat writes lines
    cell["source"] = source.replace("return math.sqrt(a * a + b * b)", "return a + b")
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


def _grade_by_hand(db_url: str, student: str, score: float, comment: str | None = None,
                   cell: str = "fixture_reflection") -> None:
    """What the formgrader's API does when a grader types a score and a comment."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "perf-eng-ml") as gb:
        g = gb.find_grade(cell, "fixture", CH, student)
        g.manual_score = score
        g.needs_manual_grade = g.manual_score is None and g.auto_score is None
        if comment is not None:
            c = gb.find_comment(cell, "fixture", CH, student)
            c.manual_comment = comment
        gb.db.commit()


def _manual(db_url: str, student: str, cell: str = "fixture_reflection") -> tuple:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "perf-eng-ml") as gb:
        g = gb.find_grade(cell, "fixture", CH, student)
        if cell != "fixture_reflection":
            return g.manual_score, g.needs_manual_grade
        c = gb.find_comment(cell, "fixture", CH, student)
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
    _grade_by_hand(db_url, "bob", 1.0, cell="fixture_hypot_correct")  # partial credit over the autograder's 0
    _grade_by_hand(db_url, "carol", 1.0, cell="fixture_add_correct")
    out = export.export("course", root=root, db_url=db_url)
    assert out.pending == []
    rows = _grades(out.path)
    assert (rows["alice"]["manual_score"], rows["alice"]["manual_pending"], rows["alice"]["total"]) == ("1", "0", "6")
    assert _numbers(rows["bob"]) == dict(auto_score="3", auto_max="5", manual_score="0.50", manual_max="1",
                                         manual_pending="0", total="3.50", total_max="6")  # the override counts as auto
    assert _numbers(rows["carol"]) == dict(auto_score="1", auto_max="5", manual_score="0", manual_max="1",
                                           manual_pending="0", total="1", total_max="6")

    # regrade: alice's unchanged answer keeps its grade and comment; bob's changed written answer
    # waits for a grader, while his partial credit on unchanged code stays; carol's new code scores
    # what the autograder gives it, her old hand score gone
    resubmitted = _with_wrong_hypot(_with_reflection(sol, "Integers are closed under addition."))
    (root / "submitted/bob/00_fixture/fixture.ipynb").write_text(json.dumps(resubmitted), encoding="utf-8")
    (root / "submitted/carol/00_fixture/fixture.ipynb").write_text(json.dumps(sol), encoding="utf-8")  # new code
    report = grade.grade(root=root, db_url=db_url, timeout_s=20, progress=False)
    assert not report.failed
    assert _manual(db_url, "alice") == (1.0, False, "Closure, well put.")
    assert _manual(db_url, "bob") == (None, True, f"{records.PREVIOUS_ANSWER} Say why.")
    assert _manual(db_url, "bob", "fixture_hypot_correct") == (1.0, False)
    assert _manual(db_url, "carol", "fixture_add_correct") == (None, False)  # the code changed: the autograde stands
    rows = _grades(root / "grades.csv")
    assert _numbers(rows["alice"]) == dict(auto_score="5", auto_max="5", manual_score="1", manual_max="1",
                                           manual_pending="0", total="6", total_max="6")
    assert _numbers(rows["bob"]) == dict(auto_score="3", auto_max="5", manual_score="0", manual_max="1",
                                         manual_pending="1", total="3", total_max="6")
    assert _numbers(rows["carol"]) == dict(auto_score="5", auto_max="5", manual_score="0", manual_max="1",
                                           manual_pending="1", total="5", total_max="6")
    assert "answer fixture_reflection changed since it was graded by hand" in rows["bob"]["notes"]
    assert "answer fixture_add_correct changed since it was graded by hand" in rows["carol"]["notes"]
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
    assert canvas.pending == [("bob", CH), ("carol", CH)]
    with canvas.path.open(newline="", encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    assert lines == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", CH],
        ["    Points Possible", "", "", "", "", "6"],
        ["Alice Ames", "1001", "", "alice", "", "6"],
        ["Bob Berg", "1002", "", "bob", "", ""],  # manual points pending: left blank
        ["Carol Cruz", "1003", "", "carol", "", ""],
    ]

    # return feedback: regenerated from the gradebook, packed per student, pending still pending
    fb = feedback.feedback(root=root, db_url=db_url, pack=tmp_path / "upload")
    assert not fb.failed and len(fb.written) == 3 and fb.pending == [("bob", CH), ("carol", CH)]
    assert sorted(p.name for p in fb.packs) == ["alice.zip", "bob.zip", "carol.zip"]
    with zipfile.ZipFile(tmp_path / "upload" / "alice.zip") as z:
        assert z.namelist() == ["00_fixture/fixture.html"]
        alice = z.read("00_fixture/fixture.html").decode()
    assert "Closure, well put." in alice and "Score: 6.0 / 6.0" in alice and "pending" not in alice
    bob = (root / "feedback/bob/00_fixture/fixture.html").read_text(encoding="utf-8")
    assert "Score: pending / 1.0" in bob and "on your previous answer, since changed" in bob


@pytest.mark.slow
def test_a_whole_term_on_sqlite(tmp_path):
    """Collect, grade, grade by hand, regrade, export and feedback: is every number right?"""
    run_term(tmp_path, "sqlite:///" + str(tmp_path / "gradebook.db"))


@pytest.mark.slow
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
def test_formgrader_command_follows_its_db_and_sigterm_stops_its_server(tmp_path):
    """Does ``python -m utils formgrader`` (started in another folder, the course on PYTHONPATH)
    print its URL, follow --db, serve pages without an exchange warning, and take its Jupyter
    server down with it on SIGTERM?"""
    import signal

    from nbgrader.api import Gradebook

    db = tmp_path / "elsewhere.db"
    with Gradebook(f"sqlite:///{db}", "perf-eng-ml"):
        pass  # the formgrader refuses a gradebook that does not exist
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
        assert (tmp_path / "exchange").is_dir()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        with pytest.raises(OSError):  # the server went down with the command
            _fetch(base + "/api/status", token, timeout_s=5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --- collecting: each LMS's naming, GitHub Classroom, the id map ---------------------------------


def test_collect_reads_moodle_blackboard_and_github_classroom_names(tmp_path):
    """Are Moodle folders and flat names, Blackboard attempts and GitHub Classroom clones each
    filed under the right student and chapter, with the later Blackboard attempt kept?"""
    root = make_fixture_course(tmp_path / "course")
    sol, blank = json.dumps(load(root, "solutions", CH)), json.dumps(load(root, "release", CH))
    with zipfile.ZipFile(tmp_path / "moodle.zip", "w") as z:
        z.writestr("Dana Diaz_301_assignsubmission_file_/fixture.ipynb", sol)
        z.writestr("Eli Enge_302_assignsubmission_file_Copy of fixture.ipynb", blank)
    with zipfile.ZipFile(tmp_path / "bb.zip", "w") as z:
        z.writestr("HW0_fgomez_attempt_2026-01-30-15-00-00_fixture.ipynb", blank)
        z.writestr("HW0_fgomez_attempt_2026-02-01-09-00-00_fixture.ipynb", sol)
        z.writestr("HW0_fgomez_attempt_2026-02-01-09-00-00.txt", "receipt")
    classroom = tmp_path / "classroom"
    for user, nb in (("gina", sol), ("hal", blank)):
        clone = classroom / f"fixture-chapter-{user}"
        (clone / ".git").mkdir(parents=True)
        (clone / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        (clone / "release" / CH).mkdir(parents=True)
        (clone / "release" / CH / "answers.ipynb").write_text(nb)  # renamed: the grade ids tell the chapter
        (clone / "README.md").write_text("# fixture\n")

    moodle = collect.collect(tmp_path / "moodle.zip", root)
    assert [(p.student_id, p.chapter) for p in moodle.placed] == [("dana-diaz", CH), ("eli-enge", CH)]
    bb = collect.collect(tmp_path / "bb.zip", root)
    assert [p.student_id for p in bb.placed] == ["fgomez"] and "2026-01-30" in bb.unplaced[0]
    assert json.loads((root / "submitted/fgomez/00_fixture/fixture.ipynb").read_text()) == json.loads(sol)
    gh = collect.collect(classroom, root)
    assert [(p.student_id, p.chapter) for p in gh.placed] == [("gina", CH), ("hal", CH)]
    assert gh.unplaced == [] and len(gh.ignored) == 2  # the READMEs; .git is skipped
    assert (root / "submitted/hal/00_fixture/fixture.ipynb").is_file()
    with zipfile.ZipFile(tmp_path / "classroom.zip", "w") as z:  # the same clones, zipped in one folder
        for f in sorted(classroom.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(tmp_path).as_posix())
    zipped = collect.collect(tmp_path / "classroom.zip", root, dry_run=True)
    assert [(p.student_id, p.chapter) for p in zipped.placed] == [("gina", CH), ("hal", CH)]


def test_collect_with_a_map_reports_every_student_it_does_not_know(tmp_path):
    """Does a student missing from the id map get reported instead of filed under an LMS id?"""
    root = make_fixture_course(tmp_path / "course")
    ids = tmp_path / "ids.csv"
    ids.write_text("lms_id,student_id\n1001,alice\n", encoding="utf-8")
    sol = load(root, "solutions", CH)
    report = collect.collect(_canvas_zip(tmp_path / "c.zip", {"amesalice": sol, "bergbob": sol}), root, id_map=ids)
    assert [p.student_id for p in report.placed] == ["alice"]
    assert report.unplaced == [f"bergbob_1002_5002_fixture.ipynb: 1002 or bergbob is not in {ids}"]
    assert not (root / "submitted" / "bergbob").exists()


def test_nbgrader_exchange_releases_fetches_submits_and_collects_with_the_course_config(tmp_path, monkeypatch):
    """Do nbgrader's own exchange apps work with this course's configuration on a shared exchange
    folder: release, a student's fetch and submit, then collect into submitted/?"""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import (
        ExchangeCollect, ExchangeFetchAssignment, ExchangeReleaseAssignment, ExchangeSubmit,
    )

    root = make_fixture_course(tmp_path / "course")
    monkeypatch.setenv("COURSE_EXCHANGE", str(tmp_path / "srv" / "exchange"))
    (tmp_path / "srv" / "exchange").mkdir(parents=True)
    cfg = course.nbgrader_config(root)
    assert cfg.Exchange.root == str(tmp_path / "srv" / "exchange")

    def run(app_class, **exchange):
        for key, value in exchange.items():
            cfg.Exchange[key] = value
        coursedir = CourseDirectory(config=cfg)
        coursedir.assignment_id = CH
        app_class(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg).start()

    run(ExchangeReleaseAssignment)
    assert (tmp_path / "srv/exchange/perf-eng-ml/outbound/00_fixture/fixture.ipynb").is_file()
    home = tmp_path / "home"
    home.mkdir()
    run(ExchangeFetchAssignment, assignment_dir=str(home))
    fetched = home / CH / "fixture.ipynb"
    assert json.loads(fetched.read_text()) == load(root, "release", CH)
    fetched.write_text(json.dumps(load(root, "solutions", CH)))
    run(ExchangeSubmit, assignment_dir=str(home))
    del cfg.Exchange["assignment_dir"]
    run(ExchangeCollect)
    collected = list(root.glob("submitted/*/00_fixture/fixture.ipynb"))
    assert len(collected) == 1
    assert json.loads(collected[0].read_text()) == load(root, "solutions", CH)


# --- the command line: one line and a non-zero exit for what a user can get wrong --------------


def _cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "utils", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("args, says", [
    (("collect", "no-such.zip"), "no download at no-such.zip"),
    (("collect", "README.md"), "README.md: expected a zip or tar archive, or a folder"),
    (("collect", "release", "--map", "nowhere.csv"), "no id map at nowhere.csv"),
    (("export", "--db", "sqlite:////nonexistent-dir/gb.db"), "no gradebook at /nonexistent-dir/gb.db"),
    (("export", "--format", "excel"), "invalid choice"),
    (("export", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/course"), "Connection refused"),
    (("feedback", "99"), "unknown chapter '99'"),
    (("export", "--db", "postgres://u@h/course"), "use postgresql+psycopg://"),
    (("grade", "--db", "gradebook.db"), "expected a SQLAlchemy URL; for a file, use sqlite:///gradebook.db"),
    (("export", "--map", "/nope/ids.csv"), "no id map at /nope/ids.csv"),
    (("formgrader", "--db", "sqlite:////nonexistent-dir/gb.db"), "no gradebook at /nonexistent-dir/gb.db"),
    (("formgrader", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/course"), "Connection refused"),
])
def test_a_user_error_is_one_line_and_a_non_zero_exit(args, says):
    """Does each mistake end in one clear line on stderr and a non-zero exit, never a traceback?"""
    out = _cli(*args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and says in out.stderr, out.stderr
    if "invalid choice" not in says:
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_a_damaged_zip_is_one_line(tmp_path):
    """Is a download that is not really a zip reported in one line?"""
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    out = _cli("collect", str(tmp_path / "bad.zip"))
    assert out.returncode == 2 and out.stderr.strip().endswith("bad.zip is not a readable zip file"), out.stderr


def test_commands_need_no_virtual_environment_on_path(tmp_path, pg_url):
    """Does ``export`` create a fresh gradebook (nbgrader runs ``alembic`` to do it) with a PATH
    that lacks the interpreter's bin/ folder?"""
    out = _cli("export", "--db", pg_url, "--out", str(tmp_path / "g.csv"), env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "g.csv").read_text().splitlines() == [",".join(records.CSV_FIELDS)]


def test_a_foreign_grades_csv_stops_grade_before_any_work(fixture_course):
    """Does ``grade`` refuse a grades.csv that ``nbgrader export --to grades.csv`` wrote, in one
    line, instead of grading everything and then crashing?"""
    (fixture_course / "grades.csv").write_text("student,assignment,score\nalice,00_fixture,5\n")
    with pytest.raises(ValueError, match="not the course's grades file"):
        grade.grade(root=fixture_course, progress=False)


def test_a_misfiled_folder_is_named_not_skipped(fixture_course):
    """Does ``grade --student frank`` say where frank's misfiled folder is and where it belongs?"""
    (fixture_course / "submitted" / "frank" / "00").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"submitted/frank/00/ matches no chapter; move it to submitted/frank/00_fixture/"):
        grade.grade(root=fixture_course, students=["frank"], progress=False)
    assert collect.stray_folders(fixture_course) == [
        "submitted/frank/00/ matches no chapter; move it to submitted/frank/00_fixture/"]


def test_grade_prints_where_the_feedback_went_and_the_folders_it_could_not_match(tmp_path, capsys):
    """Does the grade command's report name the feedback folder and each unmatched folder?"""
    from utils.instructor import cli

    rows = {("alice", CH): {"student_id": "alice", "chapter": CH, "auto_score": "5", "auto_max": "5",
                            "manual_score": "0", "manual_max": "1", "manual_pending": "1", "total": "5",
                            "total_max": "6", "status": "graded", "notes": ""}}
    report = grade.GradeReport([grade.Outcome("alice", CH, True)], rows, tmp_path / "grades.csv",
                               ["submitted/frank/01/ matches no chapter"])
    assert cli._print_report(report) == 1  # a misfiled submission is worth a non-zero exit
    out, err = capsys.readouterr()
    assert f"feedback: {tmp_path / 'feedback'}/<student>/<chapter>/ (1 report(s)" in out
    assert "0/1 (1 pending)" in out and "5/6 + pending" in out
    assert err == "not graded: submitted/frank/01/ matches no chapter\n"


@pytest.mark.parametrize("verb", ["collect", "export", "feedback", "formgrader"])
def test_each_term_verb_has_help_with_examples(verb):
    """Does each of the term's verbs show examples in --help?"""
    out = _cli(verb, "--help")
    assert out.returncode == 0 and "examples:" in out.stdout


# --- hand grades, the grades file and the Canvas export, on a gradebook built directly ----------


def _gradebook(db_url: str, students: list[str]) -> None:
    """The fixture chapter's grade cells and an empty submission per student, as nbgrader's
    ``generate_assignment`` and ``autograde`` would record them (no notebook is run)."""
    import warnings

    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(db_url, "perf-eng-ml") as gb:
        warnings.simplefilter("ignore")  # nbgrader's own session warnings while adding a submission
        gb.update_or_create_assignment(CH)
        gb.update_or_create_notebook("fixture", CH)
        for name, points, kind in (("fixture_add_correct", 2, "code"), ("fixture_hypot_correct", 3, "code"),
                                   ("fixture_reflection", 1, "markdown")):
            gb.update_or_create_grade_cell(name, "fixture", CH, max_score=points, cell_type=kind)
        gb.update_or_create_solution_cell("fixture_reflection", "fixture", CH)
        for student in students:
            gb.update_or_create_student(student)
            gb.add_submission(CH, student)


def _scores(db_url: str, student: str, **cells) -> None:
    """Set grades as the autograder and a grader leave them: ``cell=(auto, manual)`` or
    ``cell=(auto, manual, extra_credit)``; ``None`` auto and manual on a written answer: pending."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "perf-eng-ml") as gb:
        for cell, given in cells.items():
            g = gb.find_grade(cell, "fixture", CH, student)
            g.auto_score, g.manual_score = given[0], given[1]
            g.extra_credit = given[2] if len(given) > 2 else None
            g.needs_manual_grade = g.auto_score is None and g.manual_score is None
        gb.db.commit()


def test_a_changed_answer_loses_its_hand_grade_and_an_unchanged_one_keeps_it(tmp_path):
    """After a regrade, does a hand score on changed code give way to the autograder's new score,
    a changed written answer wait for a grader (old comment marked as about the previous answer),
    and an unchanged answer keep its hand grade?"""
    from nbgrader.api import Gradebook

    root = make_fixture_course(tmp_path / "course")
    db_url = f"sqlite:///{tmp_path}/gb.db"
    _gradebook(db_url, ["alice", "bob"])
    first = {s: _with_wrong_hypot(_with_reflection(load(root, "solutions", CH), "Because.")) for s in ("alice", "bob")}
    with Gradebook(db_url, "perf-eng-ml") as gb:
        for s in ("alice", "bob"):
            records.restore_manual(gb, {}, s, CH, first[s])  # the first autograde records the answers
    for s in ("alice", "bob"):
        _scores(db_url, s, fixture_add_correct=(2, None), fixture_hypot_correct=(0, 1, 0.5), fixture_reflection=(None, 0.5))
        _grade_by_hand(db_url, s, 0.5, "Say why.")
    fixed = _with_reflection(load(root, "solutions", CH), "Integers are closed under addition.")
    with Gradebook(db_url, "perf-eng-ml") as gb:
        snaps = {s: records.snapshot_manual(gb, s, CH) for s in ("alice", "bob")}
    for s in ("alice", "bob"):  # what nbgrader's autograde leaves: new auto scores, hand scores flagged
        _scores(db_url, s, fixture_hypot_correct=(3 if s == "bob" else 0, 1, 0.5), fixture_reflection=(None, 0.5))
        from nbgrader.api import Gradebook as _G

        with _G(db_url, "perf-eng-ml") as gb:
            for cell in ("fixture_hypot_correct", "fixture_reflection"):
                gb.find_grade(cell, "fixture", CH, s).needs_manual_grade = True
            gb.db.commit()
    with Gradebook(db_url, "perf-eng-ml") as gb:
        assert records.restore_manual(gb, snaps["alice"], "alice", CH, first["alice"]) == []
        assert sorted(records.restore_manual(gb, snaps["bob"], "bob", CH, fixed)) == [
            "fixture_hypot_correct", "fixture_reflection"]
    assert _manual(db_url, "alice") == (0.5, False, "Say why.")
    assert _manual(db_url, "alice", "fixture_hypot_correct") == (1.0, False)
    assert _manual(db_url, "bob", "fixture_hypot_correct") == (None, False)
    assert _manual(db_url, "bob") == (None, True, f"{records.PREVIOUS_ANSWER} Say why.")
    rows = records.gradebook_rows(db_url, "perf-eng-ml")
    assert _numbers(rows[("bob", CH)]) == dict(auto_score="5", auto_max="5", manual_score="0", manual_max="1",
                                               manual_pending="1", total="5", total_max="6")
    assert rows[("bob", CH)]["extra_credit"] == "0"
    assert rows[("alice", CH)]["extra_credit"] == "0.50" and rows[("alice", CH)]["total"] == "4"


def test_grades_columns_add_up_when_a_grader_overrides_an_autograded_cell(tmp_path):
    """Is ``total = auto_score + manual_score + extra_credit`` on every row, with a hand override of
    a code cell counted in auto_score's place (bob's and carol's cases from the term)?"""
    db_url = f"sqlite:///{tmp_path}/gb.db"
    _gradebook(db_url, ["bob", "carol", "dana"])
    _scores(db_url, "bob", fixture_add_correct=(2, None), fixture_hypot_correct=(0, 1), fixture_reflection=(None, 0.5))
    _scores(db_url, "carol", fixture_add_correct=(0, 1), fixture_hypot_correct=(0, None), fixture_reflection=(0, None))
    _scores(db_url, "dana", fixture_add_correct=(2, None, 0.5), fixture_hypot_correct=(3, None),
            fixture_reflection=(None, None))
    rows = records.gradebook_rows(db_url, "perf-eng-ml")
    line = {s: [rows[(s, CH)][k] for k in records.CSV_FIELDS[2:10]] for s in ("bob", "carol", "dana")}
    assert line["bob"] == ["3", "5", "0.50", "1", "0", "0", "3.50", "6"]
    assert line["carol"] == ["1", "5", "0", "1", "0", "0", "1", "6"]
    assert line["dana"] == ["5", "5", "0", "1", "1", "0.50", "5.50", "6"]
    for r in rows.values():
        assert float(r["total"]) == float(r["auto_score"]) + float(r["manual_score"]) + float(r["extra_credit"])


def test_export_drops_notes_that_no_longer_hold_and_refuses_another_gradebooks_file(tmp_path):
    """Does ``export`` drop "answer changed" notes once the answer is graded again (keeping other
    notes and the status), and refuse to merge another gradebook into the same grades.csv?"""
    root = make_fixture_course(tmp_path / "course")
    db_url, other = f"sqlite:///{tmp_path}/gb.db", f"sqlite:///{tmp_path}/other.db"
    _gradebook(db_url, ["bob", "carol"])
    _scores(db_url, "bob", fixture_add_correct=(2, None), fixture_hypot_correct=(0, None), fixture_reflection=(None, 1))
    _scores(db_url, "carol", fixture_add_correct=(2, None), fixture_hypot_correct=(0, None),
            fixture_reflection=(None, None))
    stale = "answer fixture_reflection changed since it was graded by hand"
    old = {(s, CH): {**dict.fromkeys(records.CSV_FIELDS, ""), "student_id": s, "chapter": CH, "status": "graded",
                     "notes": f"{stale}; cell fixture_hypot_correct ran past the time limit"} for s in ("bob", "carol")}
    records.write_csv(root / "grades.csv", old)
    export.export("course", root=root, db_url=db_url)
    rows = _grades(root / "grades.csv")
    assert rows["bob"]["notes"] == "cell fixture_hypot_correct ran past the time limit"
    assert rows["carol"]["notes"] == old[("carol", CH)]["notes"]  # still waiting for a grader
    assert (root / "grades.csv.gradebook").read_text().strip() == db_url
    _gradebook(other, ["erin"])
    with pytest.raises(ValueError, match=r"grades.csv was written from gradebook sqlite:///.*gb.db, not .*other.db"):
        export.export("course", root=root, db_url=other)
    export.export("course", root=root, db_url=other, out=tmp_path / "other.csv")
    assert set(_grades(tmp_path / "other.csv")) == {"erin"}


def test_canvas_export_skips_unknown_students_blanks_pending_and_names_canvas_columns(tmp_path):
    """Does the Canvas file leave out (and name) students missing from the id map, leave a total
    with pending points blank unless asked, and head each chapter with its Canvas column?"""
    root = make_fixture_course(tmp_path / "course")
    db_url = f"sqlite:///{tmp_path}/gb.db"
    _gradebook(db_url, ["alice", "bob", "dave"])
    for s in ("alice", "dave"):
        _scores(db_url, s, fixture_add_correct=(2, None), fixture_hypot_correct=(3, None), fixture_reflection=(None, 1))
    _scores(db_url, "bob", fixture_add_correct=(2, None), fixture_hypot_correct=(0, None), fixture_reflection=(None, None))
    ids = tmp_path / "ids.csv"
    ids.write_text("lms_id,student_id,name\n1001,alice,Alice Ames\n1002,bob,Bob Berg\n", encoding="utf-8")
    cols = tmp_path / "cols.csv"
    cols.write_text(f"chapter,canvas_column\n{CH},Fixture (12345)\n", encoding="utf-8")
    got = export.export("canvas", root=root, db_url=db_url, id_map=ids, columns=cols)
    assert got.skipped == ["dave"] and got.pending == [("bob", CH)] and got.rows == 2
    with got.path.open(newline="", encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    assert lines == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Fixture (12345)"],
        ["    Points Possible", "", "", "", "", "6"],
        ["Alice Ames", "1001", "", "alice", "", "6"],
        ["Bob Berg", "1002", "", "bob", "", ""],
    ]
    got = export.export("canvas", root=root, db_url=db_url, id_map=ids, include_pending=True)
    with got.path.open(newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh))[3] == ["Bob Berg", "1002", "", "bob", "", "2"]
    template = tmp_path / "canvas_gradebook.csv"
    template.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Complexity (11111),The Fixture (22222),"
                        "Current Score\n", encoding="utf-8")
    got = export.export("canvas", root=root, db_url=db_url, id_map=ids, template=template)
    with got.path.open(newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh))[5:] == ["The Fixture (22222)"]
    template.write_text("Student,ID,Complexity (11111)\n", encoding="utf-8")
    got = export.export("canvas", root=root, db_url=db_url, id_map=ids, template=template)
    assert got.unmapped == [CH]
    out = _cli("export", "--format", "canvas", "--db", db_url, "--map", str(ids), "--columns", str(cols),
               "--out", str(tmp_path / "c.csv"), cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert f"skipped (not in {ids}): dave" in out.stderr
    assert "1 submission(s) still have manual points pending (left blank in the Canvas file): bob 00_fixture" in out.stderr


def test_collect_names_each_ignored_file_and_marks_late_canvas_files(tmp_path, monkeypatch, capsys):
    """Does ``collect`` name every file it ignores, and say which Canvas files were marked _LATE_?"""
    import functools

    from utils.instructor import cli

    root = make_fixture_course(tmp_path / "course")
    sol = json.dumps(load(root, "solutions", CH))
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as z:
        z.writestr("amesalice_LATE_1001_5001_fixture.ipynb", sol)
        z.writestr("bergbob_1002_5002_fixture.ipynb", sol)
        z.writestr("receipt.txt", "uploaded")
        z.writestr("notes/readme.md", "hi")
    monkeypatch.setattr(collect, "collect", functools.partial(collect.collect, root=root))
    assert cli.main(["collect", str(tmp_path / "c.zip"), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "amesalice_LATE_1001_5001_fixture.ipynb -> " in out and "(late, per Canvas's _LATE_ marker)" in out
    assert out.count("late, per") == 1
    assert "ignored (not a notebook): notes/readme.md\nignored (not a notebook): receipt.txt\n" in err


def test_feedback_names_the_submissions_with_points_pending(monkeypatch, capsys):
    """Does ``feedback`` (with --pack or not) name each submission whose manual points are pending?"""
    from utils.instructor import cli

    report = feedback.FeedbackReport(folder=ROOT / "feedback", pending=[("bob", CH)])
    monkeypatch.setattr(feedback, "feedback", lambda *a, **k: report)
    assert cli.main(["feedback", "--pack", "upload"]) == 0
    err = capsys.readouterr().err
    assert err == ("1 submission(s) still have manual points pending: bob 00_fixture; "
                   "grade them with 'python -m utils formgrader'\n")
