"""nbgrader configuration for the course.

nbgrader names its folders after the steps of an assignment's life. This course maps them onto
its own layout on purpose (see README, "Folders and nbgrader's names"):

    nbgrader step   folder here      committed   made by
    source          source/          no          python -m utils build (jupytext from modules/)
    release         release/         yes         python -m utils build
    solution        solutions/       yes         python -m utils build
    submitted       submitted/       no          students' files, collected by the instructor
    autograded      autograded/      no          python -m utils grade
    feedback        feedback/        no          python -m utils grade

Every path is relative to ``CourseDirectory.root``, the folder that holds this file. The gradebook
is an SQLite file in that folder unless ``COURSE_DB_URL`` (or ``python -m utils grade --db``)
names another SQLAlchemy URL, e.g. ``postgresql://user@host/course``.
"""

import os
import sys

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    CheckCellMetadata, ClearMarkScheme, ClearOutput, GetGrades, IncludeHeaderFooter, LockCells,
    OverwriteCells, OverwriteKernelspec,
)

c = get_config()  # noqa: F821 - injected by traitlets when nbgrader loads this file

ROOT = os.path.dirname(os.path.abspath(__file__))
# The course's own preprocessors live in utils/. A grading task loads a copy of this file from a
# scratch folder without utils/, in a process that has imported them already.
if ROOT not in sys.path and os.path.isdir(os.path.join(ROOT, "utils")):
    sys.path.insert(0, ROOT)
from utils.instructor.preprocessors import DropDuplicateIds, HideHiddenTests  # noqa: E402

c.CourseDirectory.root = ROOT
c.CourseDirectory.course_id = "perf-eng-ml"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.solution_directory = "solutions"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = os.environ.get(
    "COURSE_DB_URL", "sqlite:///" + os.path.join(ROOT, "gradebook.db")
)

# nbgrader's exchange, for a course on a shared JupyterHub: the instructor releases to it, students
# fetch and submit from the Assignment List, the instructor collects from it. A shared hub sets
# COURSE_EXCHANGE to a folder every user can reach (nbgrader's usual /srv/nbgrader/exchange); alone,
# the course keeps it in exchange/ here, which `python -m utils formgrader` creates.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", os.path.join(ROOT, "exchange"))

# `nbgrader export` writes its own file (or --to FILE), never grades.csv of `python -m utils grade`.
c.ExportPlugin.to = os.path.join(ROOT, "nbgrader_grades.csv")

# Per-cell time limit while autograding. A whole solution notebook runs in under a minute on
# 2 cores (chapter 03, the slowest, in about 40 s); 180 s per cell leaves room for busy machines
# and slow-but-correct answers, while an infinite loop in one answer costs at most 3 minutes:
# the cell is interrupted, scored as an error, and the rest of the notebook and the batch go on.
c.Execute.timeout = 180
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = False

# Limits of each grading kernel, which runs in a bubblewrap sandbox (README, "How grading works";
# utils/instructor/sandbox.py). Memory is the kernel's address space; processes count every
# process and thread of the grading user; the budget is wall-clock time for the whole notebook and
# holds even when a kernel ignores interrupts; output beyond the byte cap is cut per cell. A grade
# cell's results count as plain displays: only an error or stderr output costs its points.
c.CourseGrading.memory_bytes = 4 * 1024**3
c.CourseGrading.processes = 1024
c.CourseGrading.cpu_s = 1200
c.CourseGrading.file_bytes = 1024**3
c.CourseGrading.tmp_bytes = 1024**3  # the kernel's private /tmp, also its working folder
c.CourseGrading.notebook_budget_s = 600
c.CourseGrading.output_bytes = 1_000_000
c.CourseGrading.submission_bytes = 20 * 1024**2  # a bigger notebook is refused before it is read

# What a student sees in place of each solution region.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Restore deleted grade cells from the gradebook before grading (nbgrader >= 0.9), and keep one
# copy of a duplicated cell (nbgrader's own de-duplication breaks the restoring step).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput, DropDuplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata,
]

# Grading kernels keep no history file and log only errors (no transport notices on the console).
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=40"]

# The committed solution notebooks are not executed: a build is then quick and byte-for-byte
# repeatable (no timings or timestamps in outputs). Run them yourself to see the outputs.
c.GenerateSolution.preprocessors = [IncludeHeaderFooter, LockCells, ClearOutput, ClearMarkScheme]

# Feedback shows what a failing hidden check says, never its code: each hidden-test region becomes
# a one-line notice, and traceback frames that quote hidden lines are dropped.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
