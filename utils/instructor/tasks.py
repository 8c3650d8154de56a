"""One submission graded as one self-contained task, and the one place its result is recorded.

A task is a plain dict of bytes and settings, so it can run in this process, in a local worker
process or on another machine (a Dask worker) without a shared filesystem:

- ``kit``: what every submission of a chapter needs, made once by ``chapter_kit``: the instructor
  notebook, a scratch SQLite gradebook holding only that chapter, the locked cells as released,
  and the instructor's ``nbgrader_config.py``;
- ``submission``: the student's notebook file as bytes;
- ``runtime``: the course runtime (``utils/`` without ``utils/instructor``) as bytes;
- ``settings``: time limits, resource limits and the kernel's environment.

The grading code itself reaches the workers of a remote scheduler as a zip in a worker plugin
(``send_code``), so a worker machine needs only the requirements and bubblewrap, not a checkout.

``grade_task`` builds a scratch course from these, runs nbgrader's autograde and feedback there
with the kernel in the sandbox (``sandbox.py``), and returns the autograded notebook, the feedback
HTML and the score of each grade cell. It never touches the course root. ``record`` is the one
writer: it puts a task's result into the real gradebook and the course's ``autograded/`` and
``feedback/`` folders.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
import warnings
from pathlib import Path

from . import course, nbg
from . import notebooks as nbs

#: Default limits of a grading kernel (``nbgrader_config.py`` may set ``c.CourseGrading.<name>``).
DEFAULT_SETTINGS = {
    "memory_bytes": 4 << 30,      # address space of the kernel process
    "processes": 1024,            # processes and threads of the grading user, counted by the kernel
    "cpu_s": 1200,                # CPU seconds of the kernel process
    "file_bytes": 1 << 30,        # largest file the notebook may write
    "tmp_bytes": 1 << 30,         # size of the kernel's private /tmp (its working folder; host memory)
    "notebook_budget_s": 600,     # wall clock for the whole notebook
    "output_bytes": 1_000_000,    # output kept per cell (plots included)
    "submission_bytes": 20 << 20, # largest notebook file graded; a bigger one is refused unread
}


def too_big(size: int, chosen: dict) -> str | None:
    """Why a submitted notebook of ``size`` bytes is refused, or ``None``."""
    limit = int(chosen.get("submission_bytes") or DEFAULT_SETTINGS["submission_bytes"])
    if size <= limit:
        return None
    return (f"the notebook is {size / 2**20:.1f} MiB, over the {limit / 2**20:.1f} MiB limit "
            "(c.CourseGrading.submission_bytes)")


def settings(timeout_s: int | None = None, **overrides) -> dict:
    """Grading settings: defaults, then ``c.CourseGrading`` of ``nbgrader_config.py``, then ``overrides``."""
    from ..runner import kernel_environment

    cfg = course.nbgrader_config()
    chosen = dict(DEFAULT_SETTINGS)
    for key in DEFAULT_SETTINGS:
        if key in cfg.CourseGrading:
            chosen[key] = cfg.CourseGrading[key]
    chosen.update({k: v for k, v in overrides.items() if v is not None})
    chosen["cell_timeout_s"] = int(timeout_s or cfg.Execute.get("timeout", 180))
    chosen["kernel_env"] = {**kernel_environment(course.ROOT), "COURSE_ROOT": "/course"}
    return chosen


def runtime_files(root: Path = course.ROOT) -> dict[str, bytes]:
    """The runtime helpers a notebook imports: ``utils/*.py``, not the instructor tooling."""
    base = Path(root) / "utils"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.glob("*.py"))}


#: nbgrader's tables that describe an assignment (not its students), parents first.
_ASSIGNMENT_TABLES = ("assignment", "notebook", "base_cell", "source_cell", "grade_cells", "solution_cells", "task_cells")


def chapter_kit(ch: course.Chapter, db_url: str, course_id: str, source: Path,
                locked: dict[str, set[str]] | None = None) -> dict:
    """What grading any submission of ``ch`` needs, as bytes: the instructor notebook at ``source``
    and a scratch SQLite gradebook holding only this chapter.

    The chapter's rows (assignment, notebook and cells, no students) are copied from the gradebook
    at ``db_url``, where ``generate_assignment`` has just recorded them, so nbgrader converts each
    chapter once per run rather than twice. The copy is made with nbgrader's own table definitions
    and works from SQLite and PostgreSQL alike."""
    import sqlalchemy as sa
    from nbgrader.api import Base, Gradebook

    tables = Base.metadata.tables
    with tempfile.TemporaryDirectory(prefix="course-kit-") as tmp:
        kit_db = Path(tmp) / "gradebook.db"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Gradebook(f"sqlite:///{kit_db}", course_id).close()  # nbgrader's schema, stamped, with the course row
        src, dst = sa.create_engine(db_url), sa.create_engine(f"sqlite:///{kit_db}")
        try:
            with src.connect() as read, dst.begin() as write:
                keys = {"assignment": set(), "notebook": set(), "base_cell": set()}
                for name in _ASSIGNMENT_TABLES:
                    t = tables[name]
                    if name == "assignment":
                        where = (t.c.name == ch.id) & (t.c.course_id == course_id)
                    elif name == "notebook":
                        where = t.c.assignment_id.in_(keys["assignment"])
                    elif name in ("base_cell", "source_cell"):
                        where = t.c.notebook_id.in_(keys["notebook"])
                    else:  # grade, solution and task cells extend base_cell rows
                        where = t.c.id.in_(keys["base_cell"])
                    rows = [dict(r._mapping) for r in read.execute(sa.select(t).where(where))]
                    if name in keys:
                        keys[name] = {r["id"] for r in rows}
                    if rows:
                        write.execute(t.insert(), rows)
        finally:
            src.dispose()
            dst.dispose()
        if not keys["assignment"]:
            raise nbg.NbgraderError(f"preparing {ch.id} failed: the gradebook has no assignment {ch.id}")
        return {
            "chapter": ch.id, "notebook": ch.notebook_name, "course_id": course_id,
            "source": Path(source).read_bytes(), "gradebook": kit_db.read_bytes(),
            "config": (course.ROOT / "nbgrader_config.py").read_bytes(),
            "locked": {k: sorted(v) for k, v in (locked or {}).items()},
        }


def make_task(student_id: str, kit: dict, submission: bytes, runtime: dict[str, bytes], chosen: dict) -> dict:
    return {"student_id": student_id, "kit": kit, "submission": submission, "runtime": runtime, "settings": chosen}


def _result(task: dict, ok: bool, **fields) -> dict:
    base = {"student_id": task["student_id"], "chapter": task["kit"]["chapter"], "ok": ok, "reason": "",
            "notes": [], "grades": [], "crash": None, "findings": [], "autograded": None, "feedback": None,
            "seconds": {}}
    base.update(fields)
    return base


_KEYS = ("grade", "solution", "locked", "points", "schema_version")


def repair_metadata(nb, source) -> list[str]:
    """Put back the nbgrader metadata of cells the student changed; drop metadata the source lacks.

    nbgrader's clean-up fails on a grade cell marked ``grade: false``, on a cell whose nbgrader
    metadata is gone or broken, and on a grade cell with an id it does not know. Cells are matched
    by grade id, or by cell id where the metadata was stripped; a cell with an unknown grade id
    becomes a plain cell. Deleted grade cells are put back by
    nbgrader itself (``add_missing_cells``)."""
    known = {nbs.grade_id(c): c for c in source.cells if nbs.grade_id(c)}
    by_cell_id = {c.get("id"): c for c in known.values() if c.get("id")}
    notes: list[str] = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            twin = by_cell_id.get(cell.get("id"))
            if twin is not None and twin.cell_type == cell.cell_type:  # stripped: the cell id still says which
                cell.setdefault("metadata", {})["nbgrader"] = dict(twin.metadata["nbgrader"])
                notes.append(f"restored the stripped nbgrader metadata of {nbs.grade_id(twin)}")
            continue
        gid = meta.get("grade_id") if isinstance(meta, dict) else None
        if gid not in known:
            del cell.metadata["nbgrader"]
            notes.append(f"ignored a cell with unknown grade id {gid}" if gid else "ignored a cell with broken nbgrader metadata")
            continue
        wanted = known[gid].metadata["nbgrader"]
        changed = [k for k in _KEYS if meta.get(k) != wanted.get(k)]
        if changed:
            for k in _KEYS:
                if k in wanted:
                    meta[k] = wanted[k]
                else:
                    meta.pop(k, None)
            notes.append(f"restored the nbgrader metadata of {gid} ({', '.join(changed)})")
    return notes


def grade_task(task: dict) -> dict:
    """Grade one submission in a scratch course with the kernel sandboxed; see the module doc."""
    from .sandbox import runtime_modules, setup_names
    from nbgrader.api import Gradebook

    t0, c0 = time.perf_counter(), time.process_time()
    kit, chosen = task["kit"], task["settings"]
    sid, ch_id, name = task["student_id"], kit["chapter"], kit["notebook"]
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        scratch = Path(tmp)
        root = scratch / "course"
        (root / "source" / ch_id).mkdir(parents=True)
        (root / "source" / ch_id / name).write_bytes(kit["source"])
        (root / "gradebook.db").write_bytes(kit["gradebook"])
        (root / "nbgrader_config.py").write_bytes(kit["config"])  # the instructor's, wherever this runs
        submitted = root / "submitted" / sid / ch_id / name
        submitted.parent.mkdir(parents=True)
        runtime = scratch / "runtime" / "utils"
        runtime.mkdir(parents=True)
        for rel, data in task["runtime"].items():
            (runtime / rel).write_bytes(data)
        work = scratch / "kernel"
        work.mkdir(mode=0o700)

        big = too_big(len(task["submission"]), chosen)
        if big:
            return _result(task, False, reason=big)
        try:
            import nbformat

            nb = nbformat.reads(task["submission"].decode("utf-8"), as_version=4)
            nbformat.validate(nb)
        except Exception as exc:  # noqa: BLE001 - nbformat raises several kinds
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return _result(task, False, reason=f"not a valid notebook ({first[:120]})")
        source = nbs.read(root / "source" / ch_id / name)
        notes = _tamper_notes(nb, kit["locked"]) + repair_metadata(nb, source)
        nbformat.write(nb, str(submitted))

        report_path = scratch / "report.json"
        overrides = {
            "Execute": {"timeout": chosen["cell_timeout_s"]},
            "GuardedExecute": {"notebook_budget_s": float(chosen["notebook_budget_s"]),
                               "output_bytes": int(chosen["output_bytes"]), "report_path": str(report_path),
                               "setup_names": setup_names(source), "guard_modules": runtime_modules(source),
                               "shutdown_kernel": "immediate"},
            "SandboxKernelManager": {"work_dir": str(work), "runtime_dir": str(runtime.parent),
                                     "limits": {k: chosen[k] for k in ("memory_bytes", "processes", "cpu_s", "file_bytes", "tmp_bytes")},
                                     "kernel_env": dict(chosen["kernel_env"]),
                                     "isolate": bool(chosen.get("isolate", True))},
            "HTMLExporter": {"sanitize_html": True},
        }
        a = nbg.api(root, db_url=f"sqlite:///{root / 'gradebook.db'}", config_dir=root, **overrides)
        _use_guarded_execute(a)
        t1 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = a.autograde(ch_id, sid, force=True, create=True)
        t2 = time.perf_counter()
        log = (result.get("error") or "") + "\n" + (result.get("log") or "")
        notes += [n for n in notes_from_log(log) if n not in notes]
        autograded = root / "autograded" / sid / ch_id / name
        if not result.get("success") or not autograded.is_file():
            return _result(task, False, reason=first_reason(log), notes=notes)
        report = json.loads(report_path.read_text()) if report_path.is_file() else {
            "crash": {"cause": "the grader wrote no report", "cell": "?"}, "findings": [], "timeouts": [], "cut": []}
        notes += [f"cell {c} ran past the time limit" for c in report["timeouts"]]
        if report.get("restored"):
            notes.append("set-up names an answer rebound were put back before the grade cells: "
                         + ", ".join(report["restored"])[:200])
        notes += [f"output of {c} cut to {chosen['output_bytes']} bytes" for c in report["cut"]]
        notes += report.get("limits", [])

        grades = []
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}", kit["course_id"]) as gb:
            snb = gb.find_submission_notebook(Path(name).stem, ch_id, sid)
            for g in snb.grades:
                grades.append({"name": g.name, "cell_type": g.cell_type, "auto_score": g.auto_score,
                               "max_score": g.max_score, "needs_manual_grade": bool(g.needs_manual_grade)})

        _sanitize(autograded)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fb = a.generate_feedback(ch_id, sid, force=True)
        feedback = root / "feedback" / sid / ch_id / (Path(name).stem + ".html")
        if not fb.get("success") or not feedback.is_file():
            notes.append("feedback not written: " + first_reason((fb.get("error") or "") + (fb.get("log") or "")))
        t3 = time.perf_counter()
        return _result(task, True, notes=notes, grades=grades, crash=report["crash"], findings=report["findings"],
                       autograded=autograded.read_bytes(),
                       feedback=feedback.read_bytes() if feedback.is_file() else None,
                       seconds={"setup": t1 - t0, "autograde": t2 - t1, "feedback": t3 - t2,
                                "grader_cpu": time.process_time() - c0})


# nbgrader log lines worth passing on to the instructor, and how to say them.
_NOTES = [
    (re.compile(r"Missing grade cell (\S+)"), "restored deleted grade cell {0}"),
    (re.compile(r"Cell with id '([^']+)' exists multiple times"), "ignored a duplicate of cell {0}"),
    (re.compile(r"Attribute 'cell_type' for cell (\S+) has changed"), "restored the cell type of {0}"),
]


def notes_from_log(log: str) -> list[str]:
    notes: list[str] = []
    for line in log.splitlines():
        for pattern, text in _NOTES:
            m = pattern.search(line)
            if m:
                note = text.format(*(g.strip("'\".:,") for g in m.groups()))
                if note not in notes:
                    notes.append(note)
    return notes


def first_reason(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.search(r"(Error|Exception|error)\b", ln) and not ln.startswith("Traceback"):
            return ln[:200]
    return lines[-1][:200] if lines else "nbgrader failed without a message"


def _tamper_notes(nb, locked: dict[str, list[str]]) -> list[str]:
    notes = []
    for cell in nb.cells:
        gid = nbs.grade_id(cell)
        if gid in locked and cell.source not in locked[gid]:
            note = f"restored edited locked cell {gid}"
            if note not in notes:
                notes.append(note)
    return notes


def _use_guarded_execute(a) -> None:
    """Autograde with ``GuardedExecute`` in place of nbgrader's ``Execute``."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades,
    )

    from .sandbox import GuardedExecute

    a.config.Autograde.autograde_preprocessors = [  # nbgrader's list, Execute replaced
        GuardedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
        AssignLatePenalties, CheckCellMetadata,
    ]


def _sanitize(path: Path) -> None:
    """Make student HTML inert in the autograded notebook (what feedback and formgrader show)."""
    import nbformat
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    nb = nbformat.read(str(path), as_version=4)
    nb, _ = SanitizeHTML().preprocess(nb, {})
    nbformat.write(nb, str(path))


def status_of(result: dict) -> str:
    """The ``status`` column for a task's result."""
    if result.get("lost"):
        return f"not graded: {result['reason']}; an earlier grade, if any, is kept; grade again"
    if not result["ok"]:
        return f"not graded: {result['reason']}"
    if result["findings"]:
        return "needs review: " + "; ".join(result["findings"])
    if result["crash"]:
        return f"partly graded: {result['crash']['cause']} ({result['crash']['cell']}; later cells scored 0)"
    return "graded"


def record(gb, root: Path, result: dict, attempts: int = 20) -> None:
    """Record one task's result: the gradebook (the only writer), ``autograded/`` and ``feedback/``.

    A submission that could not be graded loses what an earlier run recorded, so no old score
    stands beside its status; a task the cluster lost (``lost``) changes nothing, since nothing
    is known of its notebook. A submission held for review has its automatic scores set to 0 and
    marked for manual grading. A locked gradebook is retried for about a minute.
    """
    from sqlalchemy.exc import OperationalError

    if result.get("lost"):  # the cluster failed, not the notebook: what an earlier run recorded stands
        return
    sid, ch_id = result["student_id"], result["chapter"]
    for attempt in range(attempts):
        try:
            _record_once(gb, result)
            break
        except OperationalError as exc:
            gb.db.rollback()
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise RuntimeError(f"gradebook busy (locked by another program) while recording {sid}/{ch_id}; "
                                   "close formgrader or other graders and run again") from None
            time.sleep(min(0.25 * (attempt + 1), 5))
    for area, data, fname in (("autograded", result["autograded"], None), ("feedback", result["feedback"], "html")):
        folder = root / area / sid / ch_id
        if folder.is_dir():
            shutil.rmtree(folder)
        if data is not None:
            folder.mkdir(parents=True)
            notebook = result.get("notebook") or f"{ch_id}.ipynb"
            target = folder / (Path(notebook).stem + ".html" if fname else notebook)
            target.write_bytes(data)


def _record_once(gb, result: dict) -> None:
    from nbgrader.api import MissingEntry

    sid, ch_id = result["student_id"], result["chapter"]
    if not result["ok"]:
        try:
            gb.remove_submission(ch_id, sid)
        except MissingEntry:
            pass
        return
    gb.update_or_create_student(sid)
    gb.update_or_create_submission(ch_id, sid)
    notebook = Path(result["notebook"]).stem
    held = bool(result["findings"])
    for g in result["grades"]:
        grade = gb.find_grade(g["name"], notebook, ch_id, sid)
        if held and g["cell_type"] == "code":
            grade.auto_score, grade.needs_manual_grade = 0.0, True
        else:
            grade.auto_score, grade.needs_manual_grade = g["auto_score"], g["needs_manual_grade"]
        grade.manual_score = None
    gb.db.commit()


#: Dask's own monitoring, off on a local cluster: its statistical profiler samples the grading
#: thread's stack every 10 ms and its event-loop watchdog ticks every 20 ms, CPU taken from the
#: kernels on a machine whose every core grades. Workers start from a fork server that has
#: imported what grading needs once, rather than each importing it again (about 2.5 CPU s each).
LOCAL_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.multiprocessing-method": "forkserver",
}

#: What a grading worker imports (see ``_warm_up``), loaded once by the fork server.
_PRELOAD = ["distributed", "bs4", "nbgrader.apps", "nbgrader.preprocessors", "nbconvert.exporters",
            __name__, f"{__package__}.sandbox"]


def local_cluster(jobs: int):
    """A local Dask cluster of ``jobs`` single-threaded worker processes, and its client."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.utils import get_mp_context

    logging.getLogger("distributed").setLevel(logging.ERROR)
    method = "distributed.worker.multiprocessing-method"
    # For good in this process: a nanny that restarts a dead worker reads it again. The fork server
    # lives as long as this process, with the environment and modules of its first start (a
    # kernel's environment comes with its task, not from there).
    dask.config.set({method: LOCAL_WORKERS[method]})
    with dask.config.set(LOCAL_WORKERS):  # nannies hand this configuration to their workers
        if LOCAL_WORKERS[method] == "forkserver":
            # Dask sets its own preload list on the first call; ours replaces it before the server starts
            get_mp_context().set_forkserver_preload(_PRELOAD)
        # Dask's own errors stay off the terminal (a heartbeat racing the scheduler's close prints a
        # traceback); what went wrong with a notebook is in its row
        local = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                             memory_limit=0, silence_logs=logging.CRITICAL)
    try:
        client = Client(local)
        client.run(_warm_up)  # while the caller records the chapters, not during the first task
        return local, client
    except BaseException:
        local.close()
        raise


def _warm_up() -> None:
    """Import what grading a task needs (nbgrader, nbconvert's HTML export, the sandbox)."""
    import bs4  # noqa: F401 - nbconvert's HTML export parses its page with it
    import nbgrader.apps  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401
    from nbconvert.exporters import HTMLExporter  # noqa: F401

    from . import sandbox  # noqa: F401


def code_archive(root: Path = course.ROOT) -> tuple[str, bytes]:
    """The grading code (``utils/`` with ``utils/instructor``) as a zip, and a file name that
    changes with its content only."""
    import hashlib
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(Path(root, "utils").rglob("*.py")):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    data = buf.getvalue()
    return f"course_grader_{hashlib.sha256(data).hexdigest()[:16]}.zip", data


#: The name under which the grading code is registered with a scheduler: registering it again
#: replaces the earlier version, on the workers and for workers that join later.
CODE_PLUGIN = "course-grader-code"


def send_code(client) -> None:
    """Give the workers of a remote scheduler this grader's code (``code_archive``), as a worker
    plugin of a fixed name: every worker, and every worker that joins later, puts this archive
    first on ``sys.path`` (no older archive left there) and imports the code afresh.

    The plugin's class is defined here, not at module level, so that Dask sends it by value to
    workers that do not have the code yet. One grading run per scheduler at a time: a second
    run's code replaces the first's on the workers."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class CourseCode(WorkerPlugin):
        def __init__(self, name: str, data: bytes):
            self.name, self.data = name, data

        def setup(self, worker):
            import importlib
            import os
            import sys

            path = os.path.join(worker.local_directory, self.name)
            with open(path, "wb") as fh:
                fh.write(self.data)
            sys.path[:] = [p for p in sys.path if not os.path.basename(p).startswith("course_grader_")]
            sys.path.insert(0, path)
            for key in [k for k in sys.modules if k == "utils" or k.startswith("utils.")]:
                del sys.modules[key]
            importlib.invalidate_caches()

    client.register_plugin(CourseCode(*code_archive()), name=CODE_PLUGIN)


def _grade_entry():
    """The function Dask runs for each task: defined in a function so that it travels by value,
    and the scheduler (which unpickles the tasks) needs none of the course's code."""
    def grade_submission(task: dict) -> dict:
        from utils.instructor.tasks import _safe

        return _safe(task)

    return grade_submission


def close_cluster(started) -> None:
    """Close what ``local_cluster`` started."""
    local, client = started
    client.close()
    local.close()


def run_tasks(tasks: list[dict], jobs: int = 1, cluster: str | None = None, started=None):
    """Yield each task's result as it is finished: in this process (``jobs=1``), on a local Dask
    cluster of ``jobs`` single-threaded worker processes, or on the Dask scheduler at ``cluster``.

    ``started`` is a ``concurrent.futures.Future`` of ``local_cluster(jobs)`` that the caller began
    earlier (its start overlaps the caller's own work); this function closes it."""
    if jobs <= 1 and not cluster:
        for task in tasks:
            yield _safe(task)
        return
    from distributed import Client, as_completed

    logging.getLogger("distributed").setLevel(logging.ERROR)
    local = None
    if cluster:
        client = Client(cluster)
        try:
            send_code(client)
        except BaseException:
            client.close()
            raise
    else:
        local, client = started.result() if started is not None else local_cluster(jobs)
    try:
        # Larger notebooks first (a full answer with outputs takes longer to grade than a blank one),
        # so that the batch does not end on one long notebook while the other workers wait.
        entry = _grade_entry()
        futures = {client.submit(entry, t, key=f"grade-{t['student_id']}-{t['kit']['chapter']}-{os.getpid()}-{i}",
                                 retries=2, pure=False, priority=len(t["submission"])): t for i, t in enumerate(tasks)}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # noqa: BLE001 - a task lost with its workers: nothing is known of the notebook
                why = f"{type(exc).__name__}: {exc}".strip()[:160]
                yield _result(futures[fut], False, lost=True, reason=f"the grading task was lost ({why})")
            fut.release()
    finally:
        client.close()
        if local is not None:
            local.close()


def _safe(task: dict) -> dict:
    """``grade_task``, with any failure of the grader itself turned into a 'not graded' result."""
    try:
        out = grade_task(task)
    except Exception as exc:  # noqa: BLE001 - one bad submission never stops the batch
        out = _result(task, False, reason=f"grader error: {type(exc).__name__}: {str(exc).strip()[:160]}")
    out["notebook"] = task["kit"]["notebook"]
    return out
