"""Instructor tooling: build, lint, grade, the test harness, nbgrader glue and the benchmark.

Never shipped to students (see ``python -m utils publish``); the notebook runtime in ``utils``
never imports it.
"""
