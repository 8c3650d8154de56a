"""Hostile submissions (``tests/hostile/``) graded as one cohort, an honest student before and after
each attacker: can any of them change a grade but its own, read a secret, or outlive the batch?"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import cell_by_id, load, make_fixture_course, submit

from utils.instructor import grade

pytestmark = pytest.mark.pipeline
HOSTILE = Path(__file__).resolve().parent / "hostile"
MARKER = "4242"
SOLUTION_LINE = "return math.sqrt(a * a + b * b)"
HIDDEN_LINE = "hypot(5.0, 12.0)"


def parse(path: Path) -> dict:
    """An attacker file: its header directives, its cell and the file it submits beside the notebook."""
    text = path.read_text()
    text, _, beside = text.partition("# --- beside ---\n")
    spec = {"name": path.stem, "answers": "blank", "where": "after fixture_setup", "expect": "0", "status": "",
            "metadata": "", "beside": "", "cell": text, "beside_text": beside}
    for line in text.splitlines():
        m = re.match(r"# (attack|answers|where|expect|status|metadata|beside): (.*)", line)
        if m:
            spec[m.group(1)] = m.group(2).strip()
    return spec


ATTACKS = [parse(p) for p in sorted(HOSTILE.glob("*.py"))]


def _cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": "attack", "metadata": {}, "outputs": [],
            "source": source}


def attacker(root: Path, spec: dict) -> dict:
    nb = load(root, "solutions" if spec["answers"] == "solution" else "release", "00")
    after = cell_by_id(nb, spec["where"].split()[-1])
    nb["cells"].insert(nb["cells"].index(after) + 1, _cell(spec["cell"]))
    kind = spec["metadata"]
    if kind == "grade-false":
        cell_by_id(nb, "fixture_add_correct")["metadata"]["nbgrader"]["grade"] = False
    elif kind == "strip":
        for cell in nb["cells"]:
            cell["metadata"].pop("nbgrader", None)
    elif kind == "extra-grade-cell":
        extra = copy.deepcopy(cell_by_id(nb, "fixture_add_correct"))
        extra.update(id="extra", source="assert True")
        extra["metadata"]["nbgrader"].update(grade_id="bonus_points", points=100)
        nb["cells"].append(extra)
    elif kind == "surrogate-id":
        extra = _cell("pass")
        extra.update(id="odd", metadata={"nbgrader": {"grade_id": "x\ud800\r\x1b[2K\x1b[1Afake 5/5 graded", "grade": False,
                                                      "solution": False, "locked": False, "schema_version": 3}})
        nb["cells"].append(extra)
    elif kind == "markdown-html":
        cell_by_id(nb, "fixture_reflection")["source"] = '<img src=x onerror="alert(2)"> closed under addition'
    return nb


def honest(root: Path, i: int) -> tuple[dict, str]:
    """A full solution (5 points) or one with a wrong ``add`` (3 points), by turns."""
    nb = load(root, "solutions", "00")
    if i % 2:
        return nb, "5"
    cell_by_id(nb, "fixture_add")["source"] = "def add(a, b):\n    return a - b\n"
    return nb, "3"


def _processes_with_marker() -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if MARKER in cmd and "pytest" not in cmd:
                found.append(f"{proc.name}: {cmd[:80]}")
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = make_fixture_course(tmp_path_factory.mktemp("hostile") / "course")
    expected: dict[str, tuple[str, str]] = {}
    for i, spec in enumerate(ATTACKS):
        nb, score = honest(root, i)
        submit(root, f"h{2 * i:02d}", "00", nb)
        expected[f"h{2 * i:02d}"] = (score, "graded")
        sid = f"h{2 * i + 1:02d}-{spec['name']}"
        path = submit(root, sid, "00", attacker(root, spec))
        if spec["beside"]:
            (path.parent / spec["beside"]).write_text(spec["beside_text"])
        expected[sid] = (spec["expect"], spec["status"])
    nb, score = honest(root, len(ATTACKS))
    submit(root, f"h{2 * len(ATTACKS):02d}", "00", nb)
    expected[f"h{2 * len(ATTACKS):02d}"] = (score, "graded")

    (root / ".gitignore").write_text("/source/\n/autograded/\n/feedback/\n/gradebook.db\n/grades.csv\n/grades.csv.gradebook\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "course"], check=True)
    start = time.perf_counter()
    report = grade.grade(root=root, timeout_s=10, progress=False)
    elapsed = time.perf_counter() - start
    time.sleep(3)  # the detached forger sleeps 2 s before it writes
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout
    return root, report, expected, status, elapsed


def test_every_attack_file_names_the_bullet_it_covers():
    """Does every hostile file say what it attacks, and is every bullet of the issue covered?"""
    kinds = {spec["attack"].split(":")[0] for spec in ATTACKS}
    assert kinds == {"Forging", "Cross-student", "Secrets", "Silenced checks", "Killers", "Resources",
                     "Metadata", "HTML"}


def test_every_honest_row_is_right(batch):
    """Does every honest student, before and after each attacker, get exactly their score?"""
    _, report, expected, _, _ = batch
    wrong = {sid: report.rows[(sid, "00_fixture")] for sid, (score, _) in expected.items()
             if "-" not in sid and (report.rows[(sid, "00_fixture")]["auto_score"], report.rows[(sid, "00_fixture")]["status"])
             != (score, "graded")}
    assert wrong == {}


def test_no_attacker_gains_a_point(batch):
    """Does every attacker end with the points it earned honestly, and a status that says why?"""
    _, report, expected, _, _ = batch
    wrong = {}
    for sid, (score, status) in expected.items():
        if "-" not in sid:
            continue
        row = report.rows[(sid, "00_fixture")]
        if row["auto_score"] not in score.split("|") or not row["status"].startswith(status) or row["auto_max"] != "5":
            wrong[sid] = (row["auto_score"], row["auto_max"], row["status"], row["notes"])
    assert wrong == {}


def test_silenced_checks_are_held_for_review(batch):
    """Is every silencing trick that would have paid reported as 'needs review' with what was found?"""
    _, report, _, _, _ = batch
    for name in ("silence_custom_exc", "silence_run_cell", "silence_input_transformer",
                 "silence_ast_transformer", "silence_assert_helpers"):
        row = report.rows[(f"{[s for s in report.rows if s[0].endswith(name)][0][0]}", "00_fixture")]
        assert row["status"].startswith("needs review: "), (name, row)


def test_the_course_tree_is_unchanged(batch):
    """Is ``git status`` of the course clean after the batch (nothing written outside the outputs)?"""
    assert batch[3] == ""


def test_no_process_outlives_the_batch(batch):
    """Has every process an attacker started ended with its notebook?"""
    assert _processes_with_marker() == []


def _outputs_text(path: Path) -> str:
    """The outputs and markdown of an autograded notebook: what the student's code produced."""
    nb = json.loads(path.read_text())
    return json.dumps([c.get("outputs", []) if c["cell_type"] == "code" else c["source"] for c in nb["cells"]])


def test_no_secret_reaches_an_attacker(batch):
    """Do the secret reader's outputs and feedback hold no solution line or hidden test?

    (The autograded notebook itself holds the hidden tests: it is the instructor's copy.)"""
    root, report, _, _, _ = batch
    sid = next(s for s, _ in report.rows if s.endswith("secrets_read"))
    shown = (_outputs_text(root / "autograded" / sid / "00_fixture" / "fixture.ipynb"),
             (root / "feedback" / sid / "00_fixture" / "fixture.html").read_text())
    for text in shown:
        assert SOLUTION_LINE not in text and HIDDEN_LINE not in text


def test_an_answer_that_prints_its_own_check_leaks_no_hidden_test(batch):
    """Does an answer that prints the calling grade cell's source (history, frames) get none of the
    hidden test into the feedback the student receives?"""
    root, report, _, _, _ = batch
    sid = next(s for s, _ in report.rows if s.endswith("secrets_print_own_check"))
    feedback = (root / "feedback" / sid / "00_fixture" / "fixture.html").read_text()
    assert HIDDEN_LINE not in feedback and "HIDDEN TESTS" not in feedback


def test_odd_cell_ids_cannot_break_or_fake_the_table(batch):
    """Does a cell id with a lone surrogate and terminal escapes leave grades.csv written and the
    printed table free of control characters?"""
    root, report, _, _, _ = batch
    from utils.instructor.records import format_table

    text = (root / "grades.csv").read_text(encoding="utf-8")
    assert "surrogate_id" in text and "\x1b" not in text
    table = format_table(report.rows)
    assert "\x1b" not in table and "\r" not in table


def test_feedback_runs_no_student_script(batch):
    """Do the feedback page and the stored outputs hold no live script, event handler or JavaScript?"""
    root, report, _, _, _ = batch
    sid = next(s for s, _ in report.rows if s.endswith("html_outputs"))
    shown = (_outputs_text(root / "autograded" / sid / "00_fixture" / "fixture.ipynb"),
             (root / "feedback" / sid / "00_fixture" / "fixture.html").read_text())
    for text in shown:
        assert not re.search(r"<script[^>]*>[^<]*HOSTILE", text)
        assert not re.search(r"<img[^>]*onerror", text, re.IGNORECASE)
        assert "application/javascript" not in text


def test_outputs_are_capped(batch):
    """Is a 30 MB line cut to the per-cell byte limit in the autograded notebook and the feedback?"""
    root, report, _, _, _ = batch
    sid = next(s for s, _ in report.rows if s.endswith("resource_huge_output"))
    assert (root / "autograded" / sid / "00_fixture" / "fixture.ipynb").stat().st_size < 3_000_000
    assert (root / "feedback" / sid / "00_fixture" / "fixture.html").stat().st_size < 4_000_000
    assert "cut to" in report.rows[(sid, "00_fixture")]["notes"]


def test_broken_metadata_notes_say_what_was_restored(batch):
    """Does a solution with broken nbgrader metadata keep full marks, with a note of the repair?"""
    _, report, _, _, _ = batch
    notes = {s: report.rows[(s, c)]["notes"] for s, c in report.rows if "-metadata" in s}
    assert any("restored the nbgrader metadata of fixture_add_correct" in n for n in notes.values()), notes
    assert any("unknown grade id bonus_points" in n for n in notes.values()), notes


def test_a_crashing_resubmission_keeps_no_old_score(fixture_course):
    """Does a resubmission that cannot be graded lose the score its earlier version had?"""
    submit(fixture_course, "s", "00", load(fixture_course, "solutions", "00"))
    first = grade.grade(root=fixture_course, timeout_s=10, progress=False)
    assert first.rows[("s", "00_fixture")]["auto_score"] == "5"
    submit(fixture_course, "s", "00", '{"cells": [')
    again = grade.grade(root=fixture_course, timeout_s=10, progress=False)
    row = again.rows[("s", "00_fixture")]
    assert (row["auto_score"], row["status"][:12]) == ("0", "not graded: "), row


def test_a_locked_gradebook_is_waited_out(fixture_course):
    """Does grading wait for a gradebook another program holds locked, then record every row?"""
    import sqlite3

    submit(fixture_course, "a", "00", load(fixture_course, "solutions", "00"))
    grade.grade(root=fixture_course, timeout_s=10, progress=False)  # creates the gradebook
    submit(fixture_course, "b", "00", load(fixture_course, "release", "00"))
    holding = threading.Event()

    def hold():
        db = sqlite3.connect(fixture_course / "gradebook.db", timeout=0, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        holding.set()
        time.sleep(8)
        db.execute("COMMIT")
        db.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(30)
    report = grade.grade(root=fixture_course, timeout_s=10, progress=False)
    thread.join()
    assert [(k, r["auto_score"], r["status"]) for k, r in sorted(report.rows.items())] == [
        (("a", "00_fixture"), "5", "graded"), (("b", "00_fixture"), "0", "graded")]


def test_batch_cost_is_reported(batch, capsys):
    """How long did the hostile batch take (printed for the record, not asserted)?"""
    _, report, _, _, elapsed = batch
    with capsys.disabled():
        print(f"\nhostile batch: {len(report.outcomes)} notebooks in {elapsed:.0f} s")


# --- Resource limits, set small: a second cohort (``tests/hostile/limits/``) ---------------------

LIMITS = {"cpu_s": 8, "processes": 64, "submission_bytes": 2 << 20}
LIMIT_ATTACKS = [parse(p) for p in sorted((HOSTILE / "limits").glob("*.py"))]


def _rss_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1))


@pytest.fixture(scope="module")
def limits_batch(tmp_path_factory):
    """The limit attackers, an honest student before and after each, graded with small limits in
    this process; the grader's peak memory (VmHWM, reset just before) is measured."""
    root = make_fixture_course(tmp_path_factory.mktemp("limits") / "course")
    expected: dict[str, tuple[str, str]] = {}
    for i, spec in enumerate(LIMIT_ATTACKS):
        nb, score = honest(root, i)
        submit(root, f"h{2 * i:02d}", "00", nb)
        expected[f"h{2 * i:02d}"] = (score, "graded")
        nb = attacker(root, spec)
        pad = re.search(r"^# pad: (\d+)$", spec["cell"], re.MULTILINE)
        if pad:
            nb["cells"].append({"cell_type": "markdown", "id": "pad", "metadata": {}, "source": "z" * int(pad.group(1))})
        submit(root, f"h{2 * i + 1:02d}-{spec['name']}", "00", nb)
        expected[f"h{2 * i + 1:02d}-{spec['name']}"] = (spec["expect"], spec["status"])
    nb, score = honest(root, len(LIMIT_ATTACKS))
    submit(root, f"h{2 * len(LIMIT_ATTACKS):02d}", "00", nb)
    expected[f"h{2 * len(LIMIT_ATTACKS):02d}"] = (score, "graded")
    grade.grade(root=root, timeout_s=30, progress=False, limits=LIMITS, students=["h00"])  # imports, gradebook
    before = _rss_kib("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from VmRSS
    report = grade.grade(root=root, timeout_s=30, progress=False, limits=LIMITS)
    growth_mib = (_rss_kib("VmHWM") - before) / 1024
    return root, report, expected, growth_mib


def test_limit_attackers_end_with_a_status_naming_the_cause(limits_batch):
    """Do a fork bomb, a CPU burner, an output flood and an oversized notebook each end with no
    point gained and a status (or note) that names the limit, while every honest row is right?"""
    _, report, expected, _ = limits_batch
    wrong = {}
    for sid, (score, status) in expected.items():
        row = report.rows[(sid, "00_fixture")]
        if row["auto_score"] not in score.split("|") or not row["status"].startswith(status):
            wrong[sid] = (row["auto_score"], row["status"], row["notes"])
    assert wrong == {}
    notes = {s.split("-", 1)[1]: report.rows[(s, c)]["notes"] for s, c in report.rows if "-" in s}
    bomb = next(r for (s, _), r in report.rows.items() if s.endswith("fork_bomb"))
    assert "process limit (64)" in bomb["notes"] + bomb["status"], bomb
    assert "cut" in notes["output_flood"], notes


def test_an_output_flood_does_not_grow_the_grader(limits_batch):
    """Does 200 MB printed in a loop leave the grader's peak memory far below 200 MB of growth
    (outputs past the per-cell cap are dropped while the cell runs)?"""
    root, report, _, growth_mib = limits_batch
    print(f"grader peak memory growth over the limits cohort: {growth_mib:.0f} MiB")
    assert growth_mib < 150
    sid = next(s for s, _ in report.rows if s.endswith("output_flood"))
    assert (root / "autograded" / sid / "00_fixture" / "fixture.ipynb").stat().st_size < 3_000_000


def test_no_limit_attacker_outlives_its_notebook(limits_batch):
    """Has the fork bomb's every process ended with its notebook, and its cgroup (root only) with it?"""
    assert _processes_with_marker() == []
    pids = Path("/sys/fs/cgroup/pids")
    assert not (pids.is_dir() and any(d.name.startswith(f"course-grading-{os.getpid()}-") for d in pids.iterdir()))


def test_the_socket_folder_is_bounded(limits_batch):
    """Is a notebook refused when it writes into the folder of its sockets (a 1 MiB tmpfs) or the
    folder of its connection file (read-only), so it cannot fill the grader's disk?"""
    root, report, _, _ = limits_batch
    sid = next(s for s, _ in report.rows if s.endswith("socket_folder_fill"))
    text = _outputs_text(root / "autograded" / sid / "00_fixture" / "fixture.ipynb")
    assert "FILLED" not in text and "REFUSED /ipc No space left on device" in text, text[:2000]
    assert "Read-only file system" in text, text[:2000]


def test_the_set_up_guard_watches_what_only_set_up_cells_bind():
    """``setup_names`` lists the names locked set-up cells bind and no answer or demo cell does."""
    import nbformat

    from utils.instructor.sandbox import bound_names, setup_names

    assert bound_names("import numpy as np\nfrom os import path as p, sep\nx, (y, z) = 1, (2, 3)\n"
                       "def f():\n    inner = 1\nclass K: pass\nn: int = 3\nm += 1\n") == {
        "np", "p", "sep", "x", "y", "z", "f", "K", "n", "m"}
    assert bound_names("def broken(:") == set()

    def cell(source, **meta):
        c = nbformat.v4.new_code_cell(source)
        if meta:
            c.metadata["nbgrader"] = {"schema_version": 3, **meta}
        return c

    nb = nbformat.v4.new_notebook(cells=[
        cell("import math\ndef close(x, y):\n    return x == y\nLIMIT = 3\n_ = 0\n", locked=True, grade=False, solution=False),
        cell("LIMIT = 4\ndef answer():\n    return 1\n", locked=False, grade=False, solution=True),
        cell("assert close(answer(), 1)\n", locked=True, grade=True, solution=False, points=1),
        cell("math = None  # a demo cell that rebinds a set-up name\n"),
    ])
    assert setup_names(nb) == ["close"]


def test_the_set_up_guard_puts_back_what_an_answer_changed():
    """The guard's two cells, run in one namespace as the kernel runs them: a rebound name is put
    back (a note), a swapped function body and a patched runtime class are put back and reported
    (a finding), and the ids it prints let the grader see a record altered in the kernel."""
    import json as _json

    import utils.cudatrace as cudatrace
    from utils.instructor.sandbox import _guard_sources

    nonce = "chk" + "0" * 16
    record, check = _guard_sources(nonce)
    ns: dict = {"__name__": "__main__"}
    exec("def close(x, y):\n    return x == y\n", ns)
    original = cudatrace.Trace.__dict__["bank_conflicts"]
    printed = []
    ns["print"] = None  # a notebook's own print does not silence the guard
    import builtins
    real_print = builtins.print
    builtins.print = lambda text: printed.append(text)
    try:
        exec(record.replace("NAMES", "['close']").replace("MODS", "['utils.cudatrace']"), ns)
        ns["close"] = lambda x, y: True
        exec("close_again = None", ns)
        cudatrace.Trace.bank_conflicts = property(lambda self: 0)
        exec(check, ns)
        first = _json.loads(printed[-1][len(nonce):])
        exec("close.__code__ = (lambda x, y: True).__code__", ns)
        exec(check, ns)
        second = _json.loads(printed[-1][len(nonce):])
    finally:
        builtins.print = real_print
        cudatrace.Trace.bank_conflicts = original
    recorded = _json.loads(printed[0][len(nonce):])
    assert first["restored"] == ["close"] and first["patched"] == ["utils.cudatrace.Trace.bank_conflicts"]
    assert ns["close"](1, 2) is False  # the set-up's own function is back, with its own code
    assert second["patched"] == ["close.__code__"]
    assert first["held"] == recorded == second["held"]
