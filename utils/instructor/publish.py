"""``python -m utils publish DEST``: write the student edition into a git repository.

The student edition is what students may see, and nothing else: the release notebooks (one folder
per chapter, ``01_complexity/complexity.ipynb``), the notebook runtime (``utils/`` without
``utils/instructor/``), the packages those two need, a README and a licence notice. Solutions,
hidden tests, chapter sources, mutants, alternatives and the instructor tooling stay in the
instructor repository, which stays private.

``DEST`` is a git repository (made when absent) that can be pushed to ``config.STUDENT_REPO`` and
serve as a GitHub Classroom template. Publishing is deterministic: the same course gives the same
files, and the commit (fixed author, date of the course's last commit) is made only when a file
changed, so publishing twice makes one commit.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import config
from . import build, course
from . import notebooks as nbs

#: Requirement names students install (the notebooks' imports, Jupyter, and what ``check`` runs
#: on); their pins are read from the instructor's ``requirements.txt``.
STUDENT_PACKAGES = (
    "numpy", "numba", "llvmlite", "torch", "matplotlib", "psutil",
    "jupyterlab", "notebook", "ipykernel", "jupyter_client", "nbclient", "nbformat",
)

#: Who the edition's commits are from; with a fixed date, the same tree gives the same commit.
AUTHOR_NAME, AUTHOR_EMAIL = "Course staff", "course-staff@users.noreply.github.com"
COMMIT_MESSAGE = "Student edition of Performance Engineering for ML Systems"

LICENSE_NOTICE = """\
Performance Engineering for ML Systems, student edition.
Copyright (c) the course staff.

These notebooks and the course helpers in utils/ are shared with the students of the course for
their own study and coursework. The course has not yet chosen a licence for redistribution; until
it does, ask the course staff before publishing or sharing these files beyond the course.

The packages in requirements.txt keep their own licences.
"""

README_TEMPLATE = """\
# Performance Engineering for ML Systems

{count} Jupyter notebooks on making ML code fast and lean. Each has exercises you complete and tests
you can run; the course grades them automatically with [nbgrader](https://nbgrader.readthedocs.io).

| chapter | open |
| --- | --- |
{chapter_rows}

## Open in Colab

Click a badge above. Run the first cell (course set-up) before anything else: it fetches this
repository's helpers onto the Colab machine, installs only what Colab lacks, and prints one line
saying whether your CUDA kernels run on a GPU or on Numba's simulator (Runtime > Change runtime
type > GPU gives you one). Save your work with File > Save a copy in Drive.

## Or clone and run locally

With Python 3.11:

```bash
git clone https://github.com/{repo}.git && cd {name}
python -m pip install -r requirements.txt
jupyter lab
```

Open `NN_topic/topic.ipynb` and run its first cell before anything else.

## Check your work

```bash
python -m utils check 01_complexity/complexity.ipynb   # from this folder
cd 01_complexity && python -m utils check              # from a chapter folder (after pip install)
!python -m utils check complexity.ipynb                # in a notebook cell, after the set-up cell
```

On Colab your notebook lives in Drive, not on the Colab machine: mount Drive (the folder icon,
then "Mount Drive") and name the saved file, e.g.
`!python -m utils check "/content/drive/MyDrive/Colab Notebooks/complexity.ipynb"`.

It runs your notebook as it is in a fresh kernel (showing which cell it has reached) and lists
each graded cell as passed or failed with its points, cells that ran out of time, and reflections
you have not answered yet. The grader also runs hidden tests, so a pass here is necessary, not
sufficient: when a hidden test fails, your feedback shows its message.

## Submit

Hand in each chapter's `.ipynb` as your course asks: commit and push it to your own copy of this
repository (GitHub Classroom makes one for you), keeping its folder; a notebook saved by Colab as
`Copy of complexity.ipynb` is accepted too. Leave the locked cells as they are: the grader puts
back its own copy of every locked and test cell before grading.

## Licence

See `LICENSE`.
"""

GITIGNORE = "__pycache__/\n.ipynb_checkpoints/\n*.egg-info/\n"

# Makes ``utils`` importable from any folder once ``pip install -r requirements.txt`` has run
# (its last line installs this folder in editable mode), so that ``python -m utils check`` works
# from a chapter folder too.
PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "perf-eng-ml-student"
version = "1.0"
description = "Course helpers for the Performance Engineering for ML Systems notebooks"
requires-python = ">=3.10"

[tool.setuptools]
packages = ["utils"]
"""


@dataclass
class PublishResult:
    dest: Path
    files: list[str]
    changed: list[str]
    commit: str | None  # the new commit, or None when nothing changed


def runtime_files(root: Path = course.ROOT) -> list[Path]:
    """The runtime modules of ``utils`` (every module outside ``utils/instructor/``)."""
    return sorted((Path(root) / "utils").glob("*.py"))


def student_requirements(root: Path = course.ROOT) -> str:
    """The student ``requirements.txt``: ``STUDENT_PACKAGES`` with the instructor's pins.

    Raises:
        ValueError: a student package has no ``==`` pin in the instructor's ``requirements.txt``.
    """
    pins = {}
    for line in (Path(root) / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name = line.split("==")[0].split("[")[0].strip().lower().replace("_", "-")
            pins[name] = line
    lines = []
    for name in STUDENT_PACKAGES:
        key = name.lower().replace("_", "-")
        if key not in pins:
            raise ValueError(f"requirements.txt: no '==' pin for {name}, which the student edition needs")
        lines.append(pins[key])
    return ("# What the course notebooks and `python -m utils check` need, pinned.\n"
            "# torch must stay at its pin: a looser one pulls gigabytes of CUDA libraries.\n"
            + "\n".join(lines) + "\n"
            + "# This folder itself, so that `python -m utils check` works from any folder.\n-e .\n")


def student_readme(chapters: list[course.Chapter]) -> str:
    rows = []
    for ch in chapters:
        nb = nbs.read(ch.path("release"))
        title = next((c.source.splitlines()[0].lstrip("# ").strip() for c in nb.cells
                      if c.cell_type == "markdown" and c.source.startswith("# ")), ch.id)
        rows.append(f"| [{title}]({ch.id}/{ch.notebook_name}) | {nbs.badge_markdown(ch)} |")
    words = {3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven"}
    return README_TEMPLATE.format(chapter_rows="\n".join(rows), repo=config.STUDENT_REPO,
                                  count=words.get(len(chapters), str(len(chapters))),
                                  name=config.STUDENT_REPO.split("/")[-1])


def edition(root: Path = course.ROOT) -> dict[str, bytes]:
    """Every file of the student edition: {path inside the edition: bytes}.

    Raises:
        ValueError: the course has no chapters, or a release notebook is missing.
    """
    root = Path(root)
    chapters = course.chapters(root)
    if not chapters:
        raise ValueError(f"no chapters under {root / 'modules'}")
    files: dict[str, bytes] = {}
    for ch in chapters:
        release = ch.path("release")
        if not release.is_file():
            raise ValueError(f"{release} is missing; run 'python -m utils build'")
        files[f"{ch.id}/{ch.notebook_name}"] = release.read_bytes()
    for path in runtime_files(root):
        files[f"utils/{path.name}"] = path.read_bytes()
    licence = root / "LICENSE"
    files["LICENSE"] = licence.read_bytes() if licence.is_file() else LICENSE_NOTICE.encode()
    files["README.md"] = student_readme(chapters).encode()
    files["requirements.txt"] = student_requirements(root).encode()
    files[".gitignore"] = GITIGNORE.encode()
    files["pyproject.toml"] = PYPROJECT.encode()
    return dict(sorted(files.items()))


def _git(dest: Path, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(["git", "-c", "core.autocrlf=false", "-c", "commit.gpgsign=false", *args],
                         cwd=dest, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"git {args[0]} in {dest} failed: {(out.stderr or out.stdout).strip().splitlines()[-1:]}")
    return out.stdout


def commit_date(root: Path) -> str:
    """The date the edition's commit carries: ``SOURCE_DATE_EPOCH`` if set, else the date of the
    course repository's last commit, else a fixed date (so the same tree makes the same commit)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return f"{int(os.environ['SOURCE_DATE_EPOCH'])} +0000"
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
    stamp = out.stdout.strip() if out.returncode == 0 else ""
    return f"{stamp or 946684800} +0000"


def _check_dest(dest: Path, root: Path) -> bool:
    """Refuse a destination that could lose work; return whether it is already a repository."""
    root = root.resolve()
    if dest == root or root in dest.parents or dest in root.parents:
        raise ValueError(f"{dest}: the student edition must go outside the course folder {root}")
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"{dest} is a file; expected a folder for the student edition")
    is_repo = (dest / ".git").exists()
    if dest.is_dir() and not is_repo and any(dest.iterdir()):
        raise ValueError(f"{dest} holds files but is not a git repository; publish into an empty "
                         "folder or a clone of the student edition")
    return is_repo


def publish(dest: Path, root: Path = course.ROOT, check_build: bool = True) -> PublishResult:
    """Write the student edition into the git repository ``dest`` and commit if anything changed.

    Files the edition no longer has are removed from ``dest`` when git tracks them; files git does
    not track are left alone.

    Args:
        dest: the student edition's repository (made when absent or empty).
        root: the course root.
        check_build: refuse when ``release/`` is out of date with ``modules/``.

    Raises:
        ValueError: ``dest`` is unsafe to write, or ``release/`` is stale.
        RuntimeError: a git command failed.
    """
    root = Path(root)
    dest = Path(dest).resolve()
    is_repo = _check_dest(dest, root)
    if check_build:
        stale = build.build(None, root=root, check=True).stale
        if stale:
            names = ", ".join(str(p.relative_to(root)) for p in stale)
            raise ValueError(f"release/ is out of date ({names}); run 'python -m utils build' first")
    files = edition(root)
    dest.mkdir(parents=True, exist_ok=True)
    if not is_repo:
        _git(dest, "init", "-q", "-b", config.STUDENT_BRANCH)
    tracked = [p for p in _git(dest, "ls-files", "-z").split("\0") if p]
    for rel in tracked:
        if rel not in files and (dest / rel).is_file():
            (dest / rel).unlink()
    for rel, data in files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        target.chmod(0o644)
    _git(dest, "add", "--", *files)
    _git(dest, "add", "-u")
    changed = [p for p in _git(dest, "diff", "--cached", "--name-only", "-z").split("\0") if p]
    if not changed:
        return PublishResult(dest, list(files), [], None)
    date = commit_date(root)
    env = {**os.environ, "GIT_AUTHOR_NAME": AUTHOR_NAME, "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
           "GIT_COMMITTER_NAME": AUTHOR_NAME, "GIT_COMMITTER_EMAIL": AUTHOR_EMAIL,
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    _git(dest, "commit", "-q", "--no-verify", "-m", COMMIT_MESSAGE, env=env)
    return PublishResult(dest, list(files), changed, _git(dest, "rev-parse", "HEAD").strip())
