"""The course's command line: ``python -m utils <verb> [options]``.

``check`` (a student's self-check) belongs to the notebook runtime and works in the student
edition; every other verb is instructor tooling in ``utils.instructor``, which the student edition
does not ship.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

CHECK_EPILOG = """examples:
  python -m utils check 01_complexity/complexity.ipynb     from the course folder
  !python -m utils check complexity.ipynb                  in a notebook cell, after the set-up cell
  python -m utils check                                    in a folder holding one notebook
Runs your notebook as it is and reports each graded cell, cells that ran out of time and
reflections not answered yet; exit 1 if any graded cell failed."""


def check_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    p = parser or argparse.ArgumentParser(
        prog="python -m utils check", description="run your own notebook and report each graded cell",
        epilog=CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebook", type=Path, nargs="?", metavar="NOTEBOOK",
                   help="the notebook to check (default: the only notebook in the current folder)")
    p.add_argument("--timeout", type=int, default=180, metavar="S", help="per-cell time limit (default 180)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def _only_notebook(folder: Path) -> Path:
    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise FileNotFoundError(f"name the notebook to check: {folder.resolve()} holds {len(found)} ({names})")
    return found[0]


def run_check(args) -> int:
    from . import check

    notebook = args.notebook if args.notebook is not None else _only_notebook(Path.cwd())
    results = check.check(notebook, timeout_s=args.timeout, progress=not args.quiet)
    print(check.format_results(results))
    return 0 if all(r.passed or r.reason == "manual" for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if importlib.util.find_spec(f"{__package__}.instructor") is not None:
        from .instructor import cli

        return cli.main(argv)
    if argv[:1] in ([], ["-h"], ["--help"]):
        check_parser().print_help()
        print("\nThis is the student edition of the course: the only verb is 'check'.")
        return 0
    if argv[:1] != ["check"]:
        print("python -m utils: this is the student edition; the only verb is 'check' "
              "(python -m utils check NOTEBOOK)", file=sys.stderr)
        return 2
    args = check_parser().parse_args(argv[1:])
    try:
        return run_check(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"python -m utils check: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
