"""The instructor's command line, reached as ``python -m utils <verb> [options]``.

Run ``python -m utils --help`` for the verbs and ``python -m utils <verb> --help`` for examples.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
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
  python -m utils grade --db postgresql://u@h/db  use another gradebook (or set COURSE_DB_URL)
  python -m utils grade --jobs 1                  grade one notebook at a time, in this process
  python -m utils grade --cluster tcp://h:8786    grade on the workers of a Dask scheduler
Submissions go in submitted/<student id>/<chapter>/<topic>.ipynb. Writes autograded/, feedback/
and grades.csv (one row per student and chapter), then prints the table.""",
    "check": CHECK_EPILOG,
    "demo": """examples:
  python -m utils demo                  build, then grade the solution and the untouched release
                                        as two example students, and print the grade table""",
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

    d = verb("demo", "build, then grade two example students and print the table")
    d.add_argument("chapters", nargs="*", metavar="CHAPTER")

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


def _print_report(report) -> int:
    from . import grade

    keys = [(o.student_id, o.chapter) for o in report.outcomes]
    print(grade.format_table(report.rows, keys))
    path = report.csv_path
    print(f"grades: {path.relative_to(course.ROOT) if path.is_relative_to(course.ROOT) else path}")
    if report.failed:
        print(f"{len(report.failed)} submission(s) could not be graded; see the status column", file=sys.stderr)
        return 1
    return 0


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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["bench", "grading"]:  # the grading benchmark parses its own options
        from . import gradebench

        return gradebench.main(argv[2:])
    if argv[:1] == ["bench"]:  # the benchmark parses its own options
        from . import bench

        return bench.main(argv[1:])
    args = _parser().parse_args(argv)
    handlers = {"build": _build, "lint": _lint, "grade": _grade, "check": run_check, "demo": _demo}
    try:
        return handlers[args.verb](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"python -m utils {args.verb}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
