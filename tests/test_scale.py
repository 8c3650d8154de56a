"""Grading on many processes: the same answers as serial, no row lost or doubled when a worker dies,
and the whole pipeline on PostgreSQL with a Dask cluster of two worker processes."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import cell_by_id, load, make_fixture_course, submit

from utils.instructor import grade

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]


def mixed_cohort(root: Path, n: int = 6) -> dict[str, str]:
    """Solutions, blanks, a wrong answer and a crash, by turns; returns the expected scores."""
    expected = {}
    for i in range(n):
        kind = ("solution", "blank", "wrong", "crash")[i % 4]
        nb = load(root, "release" if kind == "blank" else "solutions", "00")
        if kind == "wrong":
            cell_by_id(nb, "fixture_add")["source"] = "def add(a, b):\n    return a * b\n"
        if kind == "crash":
            cell = cell_by_id(nb, "fixture_hypot")
            cell["source"] = "import os\nos._exit(1)\n" + "".join(cell["source"])
        submit(root, f"s{i:02d}-{kind}", "00", nb)
        expected[f"s{i:02d}-{kind}"] = {"solution": "5", "blank": "0", "wrong": "3", "crash": "2"}[kind]
    return expected


def _csv(path: Path) -> list[dict]:
    with path.open() as fh:
        return list(csv.DictReader(fh))


def _without_outputs(path: Path) -> list:
    nb = json.loads(path.read_text())
    return [(c["cell_type"], "".join(c["source"]), c["metadata"].get("nbgrader")) for c in nb["cells"]]


def _feedback_scores(path: Path) -> list[str]:
    return re.findall(r"Score: [0-9.]+ / [0-9.]+|Points: [0-9.]+", path.read_text())


def test_serial_and_parallel_grading_agree(tmp_path):
    """Do --jobs 1 and --jobs 2 give the same grades.csv, autograded notebooks and feedback?"""
    one = make_fixture_course(tmp_path / "one")
    expected = mixed_cohort(one)
    two = tmp_path / "two"
    shutil.copytree(one, two)
    serial = grade.grade(root=one, timeout_s=20, progress=False, jobs=1)
    parallel = grade.grade(root=two, timeout_s=20, progress=False, jobs=2)
    assert {s: r["auto_score"] for (s, _), r in serial.rows.items()} == expected
    assert _csv(one / "grades.csv") == _csv(two / "grades.csv")
    for sid in expected:
        a, b = (r / "autograded" / sid / "00_fixture" / "fixture.ipynb" for r in (one, two))
        assert _without_outputs(a) == _without_outputs(b), sid
        fa, fb = (r / "feedback" / sid / "00_fixture" / "fixture.html" for r in (one, two))
        assert _feedback_scores(fa) == _feedback_scores(fb) and _feedback_scores(fa), sid
    assert [o.student_id for o in serial.outcomes] == [o.student_id for o in parallel.outcomes]


def _worker_pids() -> list[int]:
    """Dask worker processes started by this test process: its multiprocessing descendants (the
    local cluster's workers are forked from a fork server, itself a child of this process)."""
    parent, cmds = {}, {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        cmds[int(proc.name)] = cmd

    def descends(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return [pid for pid, cmd in cmds.items() if "multiprocessing" in cmd and descends(pid)]


def _has_kernel(pid: int) -> bool:
    """Is a sandboxed kernel (bwrap) running under process ``pid``?"""
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            if "(bwrap)" in stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                return True
    return False


def test_a_worker_killed_mid_batch_loses_and_doubles_no_row(tmp_path):
    """Is a worker killed by PID while grading replaced, its task retried, and every row there once?"""
    root = make_fixture_course(tmp_path / "course")
    expected = mixed_cohort(root, 8)
    killed = []

    def kill_one():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not killed:
            for pid in _worker_pids():
                if _has_kernel(pid):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.2)

    thread = threading.Thread(target=kill_one)
    thread.start()
    report = grade.grade(root=root, timeout_s=20, progress=False, jobs=2)
    thread.join()
    assert killed, "no worker was seen grading"
    rows = _csv(root / "grades.csv")
    assert sorted(r["student_id"] for r in rows) == sorted(expected)
    assert {r["student_id"]: r["auto_score"] for r in rows} == expected
    assert len(report.outcomes) == len(expected)


def test_whole_pipeline_on_postgresql_with_two_workers(fixture_course, pg_url):
    """Does grading record every row in a PostgreSQL gradebook from a two-worker Dask cluster, twice?"""
    expected = mixed_cohort(fixture_course, 4)
    grade.grade(root=fixture_course, db_url=pg_url, timeout_s=20, progress=False, jobs=2)
    report = grade.grade(root=fixture_course, db_url=pg_url, timeout_s=20, progress=False, jobs=2)
    assert {s: r["auto_score"] for (s, _), r in report.rows.items()} == expected
    assert len(_csv(fixture_course / "grades.csv")) == len(expected)
    assert not (fixture_course / "gradebook.db").exists()


def test_gradebooks_are_stamped_with_nbgraders_own_schema_head(tmp_path):
    """The in-process stamp (no ``alembic`` subprocess per new gradebook) is the revision nbgrader's
    own command reports, and a gradebook created through the course's API carries it."""
    import sqlite3
    import subprocess

    from nbgrader import dbutil
    from nbgrader.api import Gradebook

    from utils.instructor import nbg

    with dbutil._temp_alembic_ini(f"sqlite:///{tmp_path / 'probe.db'}") as ini:
        heads = subprocess.check_output([str(Path(os.sys.executable).parent / "alembic"), "-c", ini, "heads"])
    assert nbg.alembic_head() == heads.decode().split()[0]
    nbg.api(tmp_path)  # installs the in-process stamp
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}", "course"):
        pass
    with sqlite3.connect(tmp_path / "gradebook.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(nbg.alembic_head(),)]


def _local_worker_facts() -> dict:
    import dask

    return {"profile": dask.config.get("distributed.worker.profile.enabled"),
            "tick": dask.config.get("distributed.admin.tick.interval"),
            "forked": b"forkserver" in Path(f"/proc/{os.getppid()}/cmdline").read_bytes()}


def test_local_workers_are_forked_ready_with_dask_monitoring_off():
    """Do local workers start from the fork server (which imported nbgrader once), and without Dask's
    10 ms stack sampler (which took about 10% of the CPU from the kernels on 2 cores)?"""
    from utils.instructor import tasks

    started = tasks.local_cluster(1)
    try:
        facts = list(started[1].run(_local_worker_facts).values())
    finally:
        tasks.close_cluster(started)
    assert facts == [{"profile": False, "tick": "1s", "forked": True}]


def test_grading_on_a_scheduler_and_workers_started_by_hand(fixture_course, pg_url, tmp_path):
    """The README's recipe for many machines: ``dask scheduler``, ``dask worker ADDRESS --nthreads 1
    --nworkers 2`` started in a folder with no checkout (the grading code is sent to the workers),
    and ``grade --cluster`` into PostgreSQL, twice. The scheduler never needs the course's code; a
    worker that ran another version of it, and a worker that joins later, run this one."""
    import io
    import subprocess
    import sys
    import zipfile

    from distributed import Client

    from utils.instructor import tasks

    expected = mixed_cohort(fixture_course, 4)
    dask_cli = [sys.executable, "-c", "import sys; from dask.cli import run_cli; sys.argv[0] = 'dask'; run_cli()"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    elsewhere = tmp_path / "worker-machine"
    elsewhere.mkdir()
    info = tmp_path / "scheduler.json"

    def start(*args: str) -> subprocess.Popen:
        proc = subprocess.Popen([*dask_cli, *args], cwd=elsewhere, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(proc)
        return proc

    def code_in_use() -> str:  # runs on a worker: which archive its grading code comes from
        import importlib

        return importlib.import_module("utils.instructor.tasks").__file__

    def has_course_code() -> bool:  # runs on the scheduler
        import sys

        return any(k == "utils" or k.startswith("utils.") for k in sys.modules)

    procs: list[subprocess.Popen] = []
    try:
        start("scheduler", "--port", "0", "--no-dashboard", "--scheduler-file", str(info))
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(info.read_text())["address"]
        start("worker", address, "--nthreads", "1", "--nworkers", "2", "--no-dashboard")
        for _ in range(2):
            report = grade.grade(root=fixture_course, db_url=pg_url, timeout_s=20, progress=False, cluster=address)
            assert {s: r["auto_score"] for (s, _), r in report.rows.items()} == expected
            assert all(o.status == "graded" or o.student_id.endswith("crash") for o in report.outcomes), \
                [o.status for o in report.outcomes]

        name, _ = tasks.code_archive()
        with Client(address) as client:
            assert client.run_on_scheduler(has_course_code) is False
            # another version of the code (here: an empty package), then this one again
            old = io.BytesIO()
            with zipfile.ZipFile(old, "w") as z:
                z.writestr("utils/__init__.py", "")
                z.writestr("utils/instructor/__init__.py", "")
                z.writestr("utils/instructor/tasks.py", "")
            monkey = tasks.code_archive
            tasks.code_archive = lambda: ("course_grader_old.zip", old.getvalue())
            try:
                tasks.send_code(client)
            finally:
                tasks.code_archive = monkey
            assert all("course_grader_old.zip" in f for f in client.run(code_in_use).values())
            report = grade.grade(root=fixture_course, db_url=pg_url, timeout_s=20, progress=False, cluster=address)
            assert {s: r["auto_score"] for (s, _), r in report.rows.items()} == expected
            start("worker", address, "--nthreads", "1", "--no-dashboard")
            client.wait_for_workers(3, timeout=120)
            files = client.run(code_in_use)
            assert len(files) == 3 and all(name in f for f in files.values()), files
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_a_task_the_cluster_lost_keeps_the_earlier_grades(fixture_course, monkeypatch):
    """When Dask loses a task (its workers died, the scheduler failed it), nothing is known of the
    notebook: the gradebook, autograded/ and feedback/ keep what an earlier run recorded, and the
    row says the task was lost, with the score that the gradebook still holds."""
    from utils.instructor import tasks

    expected = mixed_cohort(fixture_course, 2)
    first = grade.grade(root=fixture_course, timeout_s=20, progress=False, jobs=1)
    assert {s: r["auto_score"] for (s, _), r in first.rows.items()} == expected

    def lost(todo, **kwargs):
        for task in todo:
            yield tasks._result(task, False, lost=True, reason="the grading task was lost (KilledWorker: ...)")

    monkeypatch.setattr(tasks, "run_tasks", lost)
    again = grade.grade(root=fixture_course, timeout_s=20, progress=False, jobs=1)
    rows = {r["student_id"]: r for r in _csv(fixture_course / "grades.csv")}
    assert {s: r["auto_score"] for s, r in rows.items()} == expected
    assert all(r["status"].startswith("not graded: the grading task was lost") and "kept" in r["status"]
               for r in rows.values()), rows
    assert len(again.failed) == len(expected)
    for sid in expected:
        assert (fixture_course / "autograded" / sid / "00_fixture" / "fixture.ipynb").is_file()
        assert (fixture_course / "feedback" / sid / "00_fixture" / "fixture.html").is_file()
