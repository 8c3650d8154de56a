"""The instructor's command line, reached as ``python -m utils <verb> [options]``.

Run ``python -m utils --help`` for the verbs and ``python -m utils <verb> --help`` for examples.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

from ..__main__ import CHECK_EPILOG, check_parser, run_check
from . import course

EXAMPLES = {
    "build": """examples:
  python -m utils build                 build every chapter into release/ and solutions/
  python -m utils build 02              build chapter 02 only
  python -m utils build --check         exit 1 and name each stale notebook, writing nothing""",
    "lint": """examples:
  python -m utils lint                  check every chapter source
  python -m utils lint 03_kernels       check one chapter (grade ids are still checked course-wide)""",
    "grade": """examples:
  python -m utils grade                           grade every submission under submitted/
  python -m utils grade 01 --student alice        one chapter, one student
  python -m utils grade --db postgresql+psycopg://u@h/db  another gradebook (or set COURSE_DB_URL)
  python -m utils grade --jobs 1                  grade one notebook at a time, in this process
  python -m utils grade --cluster tcp://h:8786    grade on the workers of a Dask scheduler
Submissions go in submitted/<student id>/<chapter>/<topic>.ipynb. Writes autograded/, feedback/
and grades.csv (one row per student and chapter), then prints the table.""",
    "collect": """examples:
  python -m utils collect submissions.zip            a Canvas, Moodle or Blackboard download
  python -m utils collect classroom/ --map ids.csv   GitHub Classroom clones; ids.csv maps LMS ids
  python -m utils collect submissions.zip --dry-run  show where each notebook would go
Files each notebook as submitted/<student id>/<chapter>/<topic>.ipynb and names every file it
could not place. ids.csv: two columns, LMS id (or LMS name) and student id; a third, the name.""",
    "export": """examples:
  python -m utils export                          grades.csv from the gradebook (manual grades included)
  python -m utils export --format canvas --map ids.csv   grades_canvas.csv for Canvas's gradebook import
  python -m utils export --format canvas --map ids.csv --columns cols.csv
                                                  cols.csv: chapter,canvas_column, e.g.
                                                  01_complexity,Complexity (12345), the header
                                                  of the assignment in a Canvas gradebook export
  python -m utils export --format canvas --map ids.csv --template canvas_gradebook.csv
                                                  the same, read from a Canvas gradebook export's
                                                  headers (a column holding the chapter's topic)
  python -m utils export --db postgresql+psycopg://user@host/course
Canvas: students missing from ids.csv are skipped and named; a total with manual points pending
is left blank (--include-pending exports it). nbgrader's own 'nbgrader export' writes
nbgrader_grades.csv, so neither overwrites the other.""",
    "feedback": """examples:
  python -m utils feedback                        rewrite feedback/ from the gradebook (after manual grading)
  python -m utils feedback 01 --pack upload/      and one zip per student in upload/ for the LMS""",
    "formgrader": """examples:
  python -m utils formgrader                      nbgrader's formgrader on 127.0.0.1; open the URL it prints
  python -m utils formgrader --port 8899 --db postgresql+psycopg://user@host/course
Run from the course root (python -m utils imports the course from there). The server's root is
the course root and its gradebook the course's (or --db), whatever folder Jupyter would otherwise
use. Ctrl-C (or SIGTERM) stops it and its Jupyter server.""",
    "check": CHECK_EPILOG,
    "demo": """examples:
  python -m utils demo                  build, then grade the solution and the untouched release
                                        as two example students, and print the grade table""",
    "publish": """examples:
  python -m utils publish ../student-edition      write the student edition there and commit it
Writes the release notebooks, the notebook runtime of utils/, the student requirements, README and
LICENSE into DEST, a git repository (made when absent); commits only when a file changed. Push
DEST to the student repository named in utils/config.py (STUDENT_REPO).""",
    "bench": """examples:
  python -m utils bench                 GFLOP/s of the chapter-03 kernels against BLAS
  python -m utils bench --help          the benchmark's own options
  python -m utils bench grading --students 16 --jobs 2   grading throughput, 1 job against 2""",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m utils",
        description="Build, check and grade the Performance Engineering for ML Systems course.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(EXAMPLES[v] for v in ("build", "grade", "check")),
    )
    sub = p.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    b = verb("build", "turn modules/ into release/ (students) and solutions/ (instructors)")
    b.add_argument("chapters", nargs="*", metavar="CHAPTER", help="chapter id, number or topic (default: all)")
    b.add_argument("--check", action="store_true", help="compare with a fresh build; write nothing")

    l = verb("lint", "check chapter sources: nbgrader metadata, markers, grade ids, round trip")
    l.add_argument("chapters", nargs="*", metavar="CHAPTER")

    g = verb("grade", "autograde submissions, write feedback and grades.csv")
    g.add_argument("chapters", nargs="*", metavar="CHAPTER")
    g.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    g.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the gradebook (default: COURSE_DB_URL or gradebook.db)")
    g.add_argument("--timeout", type=int, metavar="S", help="per-cell time limit in seconds (default: nbgrader_config.py)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    g.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="grading processes on this machine (default: the number of cores)")
    g.add_argument("--cluster", metavar="ADDRESS", help="a Dask scheduler (tcp://host:8786) whose workers grade")

    check_parser(verb("check", "run your own notebook and report each graded cell"))

    c = verb("collect", "file an LMS download or GitHub Classroom clones under submitted/")
    c.add_argument("source", type=Path, metavar="SOURCE", help="a zip or a folder")
    c.add_argument("--map", type=Path, metavar="CSV", help="CSV of LMS id, student id")
    c.add_argument("--dry-run", action="store_true", help="report, write nothing")

    e = verb("export", "write grades from the gradebook: the course's CSV or Canvas's import")
    e.add_argument("--format", choices=("course", "canvas"), default="course")
    e.add_argument("--out", type=Path, metavar="FILE", help="where to write (default grades.csv / grades_canvas.csv)")
    e.add_argument("--map", type=Path, metavar="CSV", help="CSV of LMS id, student id, name (Canvas user ids)")
    e.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the gradebook (default: COURSE_DB_URL or gradebook.db)")
    e.add_argument("--columns", type=Path, metavar="CSV", help="CSV of chapter, Canvas column header (canvas format)")
    e.add_argument("--template", type=Path, metavar="CSV",
                   help="canvas format: a Canvas gradebook export; its assignment headers name the columns")
    e.add_argument("--include-pending", action="store_true",
                   help="canvas format: export totals that still have manual points pending")

    f = verb("feedback", "regenerate feedback/ from the gradebook; optionally one zip per student")
    f.add_argument("chapters", nargs="*", metavar="CHAPTER")
    f.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    f.add_argument("--pack", type=Path, metavar="DIR", help="write DIR/<student>.zip for upload")
    f.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the gradebook")

    fg = verb("formgrader", "start nbgrader's formgrader for this course on 127.0.0.1")
    fg.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    fg.add_argument("--db", metavar="URL", help="SQLAlchemy URL of the gradebook")

    d = verb("demo", "build, then grade two example students and print the table")
    d.add_argument("chapters", nargs="*", metavar="CHAPTER")

    pub = verb("publish", "write the student edition (no solutions, hidden tests or tooling) into a git repository")
    pub.add_argument("dest", type=Path, metavar="DEST")

    verb("bench", "time the chapter-03 matmul kernels against BLAS (and cuBLAS on a GPU)")
    return p


def _build(args) -> int:
    from . import build

    start = time.perf_counter()
    result = build.build(args.chapters or None, check=args.check)
    if args.check:
        for path in result.stale:
            print(f"stale: {path.relative_to(course.ROOT)}")
        if result.stale:
            print(f"{len(result.stale)} notebook(s) out of date; run 'python -m utils build'", file=sys.stderr)
            return 1
        print(f"{len(result.unchanged)} notebooks match modules/")
        return 0
    for path in result.written:
        print(f"wrote {path.relative_to(course.ROOT)}")
    print(f"built {len(result.written) + len(result.unchanged)} notebooks "
          f"({len(result.written)} changed) in {time.perf_counter() - start:.1f} s")
    return 0


def _lint(args) -> int:
    from . import lint

    problems = lint.lint(args.chapters or None)
    for p in problems:
        print(p.format())
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"lint: {len(course.resolve(args.chapters or None))} chapter(s) clean")
    return 0


def _rel(path: Path) -> Path:
    return path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path


def _print_report(report) -> int:
    from . import grade

    keys = [(o.student_id, o.chapter) for o in report.outcomes]
    print(grade.format_table(report.rows, keys))
    path = report.csv_path
    print(f"grades: {_rel(path)}")
    graded = [o for o in report.outcomes if o.ok]
    if graded:
        print(f"feedback: {_rel(path.parent / 'feedback')}/<student>/<chapter>/ ({len(graded)} report(s); "
              "'python -m utils feedback --pack DIR' zips them per student)")
    stray = getattr(report, "stray", [])
    for line in stray:
        print(f"not graded: {line}", file=sys.stderr)
    if report.failed:
        print(f"{len(report.failed)} submission(s) could not be graded; see the status column", file=sys.stderr)
        return 1
    return 1 if stray else 0


def _grade(args) -> int:
    from . import grade

    if args.jobs < 1:
        raise ValueError(f"--jobs {args.jobs}: expected at least 1")
    report = grade.grade(args.chapters or None, args.student, db_url=args.db, timeout_s=args.timeout,
                         progress=not args.no_progress, jobs=args.jobs, cluster=args.cluster)
    if not report.outcomes:
        print("no submissions found under submitted/<student id>/<chapter>/", file=sys.stderr)
        return 1
    return _print_report(report)


def _demo(args) -> int:
    from . import build, grade

    build.build(args.chapters or None)
    return _print_report(grade.demo(names=args.chapters or None))


def _collect(args) -> int:
    from . import collect

    report = collect.collect(args.source, id_map=args.map, dry_run=args.dry_run)
    for p in report.placed:
        print(f"{p.source} -> {_rel(p.target)}" + (" (late, per Canvas's _LATE_ marker)" if p.late else ""))
    for line in report.unplaced:
        print(f"not placed: {line}", file=sys.stderr)
    for name in report.ignored:
        print(f"ignored (not a notebook): {name}", file=sys.stderr)
    verb = "would file" if args.dry_run else "filed"
    print(f"{verb} {len(report.placed)} notebook(s); {len(report.unplaced)} not placed")
    return 1 if report.unplaced or not report.placed else 0


def _export(args) -> int:
    from . import export

    report = export.export(args.format, db_url=args.db, out=args.out, id_map=args.map, columns=args.columns,
                           include_pending=args.include_pending, template=args.template)
    print(f"wrote {_rel(report.path)} ({report.rows} rows, {args.format} format)")
    if report.skipped:
        print(f"skipped (not in {args.map}): {', '.join(report.skipped)}", file=sys.stderr)
    if report.unmapped:
        print(f"left out (no Canvas column in {args.columns or args.template}): {', '.join(report.unmapped)}",
              file=sys.stderr)
    if report.pending:
        blank = " (left blank in the Canvas file)" if args.format == "canvas" and not args.include_pending else ""
        print(f"{len(report.pending)} submission(s) still have manual points pending{blank}: "
              f"{_pairs(report.pending)}; grade them with 'python -m utils formgrader'", file=sys.stderr)
    return 0


def _pairs(pairs) -> str:
    return ", ".join(f"{s} {c}" for s, c in pairs)


def _feedback(args) -> int:
    from . import feedback

    report = feedback.feedback(args.chapters or None, args.student, db_url=args.db, pack=args.pack, progress=True)
    print(f"feedback: {len(report.written)} report(s) in {_rel(report.folder)}/<student>/<chapter>/")
    for p in report.packs:
        print(f"packed {_rel(p)}")
    for line in report.failed:
        print(f"not written: {line}", file=sys.stderr)
    if report.pending:
        print(f"{len(report.pending)} submission(s) still have manual points pending: {_pairs(report.pending)}; "
              "grade them with 'python -m utils formgrader'", file=sys.stderr)
    return 1 if report.failed else 0


def _formgrader(args) -> int:
    from . import formgrader

    return formgrader.run(db_url=args.db, port=args.port)


def _one_line(exc: BaseException) -> str:
    """The real cause of ``exc`` in one line (a database driver's own message included)."""
    cause = getattr(exc, "orig", None) or exc
    text = " ".join(str(cause).split()) or type(cause).__name__
    return text if len(text) < 300 else text[:297] + "..."


def _publish(args) -> int:
    from . import publish

    result = publish.publish(args.dest)
    if result.commit is None:
        print(f"{result.dest}: student edition unchanged ({len(result.files)} files); no commit")
    else:
        print(f"{result.dest}: committed {result.commit[:12]} "
              f"({len(result.changed)} of {len(result.files)} files changed)")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["bench", "grading"]:  # the grading benchmark parses its own options
        from . import gradebench

        return gradebench.main(argv[2:])
    if argv[:1] == ["bench"]:  # the benchmark parses its own options
        from . import bench

        return bench.main(argv[1:])
    args = _parser().parse_args(argv)
    handlers = {"build": _build, "lint": _lint, "grade": _grade, "check": run_check, "demo": _demo,
                "collect": _collect, "export": _export, "feedback": _feedback, "formgrader": _formgrader,
                "publish": _publish}
    # nbgrader runs tools such as alembic as commands: find them next to this interpreter even when
    # the virtual environment's bin/ is not on PATH
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    try:
        if getattr(args, "db", None):
            from .records import check_db_url

            check_db_url(args.db)
        return handlers[args.verb](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, OSError, RuntimeError, ImportError, zipfile.BadZipFile) as exc:
        print(f"python -m utils {args.verb}: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # the gradebook's database: a server that refuses, a bad URL
        if type(exc).__module__.split(".")[0] in {"sqlalchemy", "psycopg", "nbgrader"}:
            print(f"python -m utils {args.verb}: gradebook: {_one_line(exc)}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
