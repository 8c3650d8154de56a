"""Where things are: the course root, its chapters, and nbgrader's configuration.

A chapter is a folder ``modules/NN_topic/`` holding one jupytext source ``topic.py``. Its id,
``NN_topic``, is nbgrader's assignment id and the name of its folders in ``release/`` and
``solutions/``; ``topic`` is the notebook's name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CHAPTER_RE = re.compile(r"^(\d\d)_([a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class Chapter:
    """One chapter: ``id`` like ``01_complexity``, ``topic`` like ``complexity``."""

    id: str
    topic: str
    root: Path

    @property
    def source(self) -> Path:
        """The jupytext source under ``modules/``."""
        return self.root / "modules" / self.id / f"{self.topic}.py"

    @property
    def notebook_name(self) -> str:
        return f"{self.topic}.ipynb"

    def path(self, area: str) -> Path:
        """The notebook's path in ``area`` (``release``, ``solutions`` or ``source``)."""
        return self.root / area / self.id / self.notebook_name


def chapters(root: Path = ROOT) -> list[Chapter]:
    """Every chapter under ``root/modules``, in order."""
    found = []
    modules = Path(root) / "modules"
    if not modules.is_dir():
        return found
    for folder in sorted(modules.iterdir()):
        m = CHAPTER_RE.match(folder.name)
        if m and (folder / f"{m.group(2)}.py").is_file():
            found.append(Chapter(folder.name, m.group(2), Path(root)))
    return found


def resolve(names: list[str] | tuple[str, ...] | None, root: Path = ROOT) -> list[Chapter]:
    """Chapters named by id (``01_complexity``), number (``01``, ``1``) or topic (``complexity``).

    An empty or missing list means every chapter.

    Raises:
        ValueError: a name matches no chapter.
    """
    every = chapters(root)
    if not names:
        return every
    picked: list[Chapter] = []
    for name in names:
        key = name.strip().rstrip("/").split("/")[-1]
        hits = [
            ch
            for ch in every
            if key in (ch.id, ch.topic, ch.id[:2]) or (key.isdigit() and int(key) == int(ch.id[:2]))
        ]
        if not hits:
            known = ", ".join(ch.id for ch in every) or "none"
            raise ValueError(f"unknown chapter {name!r}; known chapters: {known}")
        for ch in hits:
            if ch not in picked:
                picked.append(ch)
    return picked


def short_prefix(chapter: Chapter) -> str:
    """The grade-id prefix of a chapter (``complexity``, ``tensors``, ``kernels``, ``memory``)."""
    return chapter.topic.split("_")[0]


def nbgrader_config(root: Path = ROOT, db_url: str | None = None, config_dir: Path | None = None, **overrides):
    """nbgrader's configuration for a course rooted at ``root``.

    Reads ``nbgrader_config.py`` of this repository (so every tool shares the instructor's
    settings; a grading task passes ``config_dir``, where it wrote the copy it carries), then
    points ``CourseDirectory.root`` at ``root`` and applies ``db_url`` and ``overrides``
    (``{"Execute": {"timeout": 10}}``).
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(config_dir or ROOT)).load_config()
    cfg.CourseDirectory.root = str(Path(root).resolve())
    if db_url or os.environ.get("COURSE_DB_URL"):
        cfg.CourseDirectory.db_url = db_url or os.environ["COURSE_DB_URL"]
    elif Path(root).resolve() != ROOT:
        cfg.CourseDirectory.db_url = "sqlite:///" + str(Path(root).resolve() / "gradebook.db")
    if Path(root).resolve() != ROOT:  # a course elsewhere keeps its exchange and nbgrader's export at home
        cfg.ExportPlugin.to = str(Path(root).resolve() / "nbgrader_grades.csv")
        if not os.environ.get("COURSE_EXCHANGE"):
            cfg.Exchange.root = str(Path(root).resolve() / "exchange")
    for section, values in overrides.items():
        for key, value in values.items():
            cfg[section][key] = value
    return Config(cfg)
