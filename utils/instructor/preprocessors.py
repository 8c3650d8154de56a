"""nbgrader preprocessors the course configures in ``nbgrader_config.py``."""

from __future__ import annotations

import re

from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import DeduplicateIds, NbGraderPreprocessor


class DropDuplicateIds(DeduplicateIds):
    """Keep the last copy of a duplicated nbgrader cell; make the others plain cells.

    nbgrader's own ``DeduplicateIds`` empties the duplicate's nbgrader metadata instead of removing
    it, which makes ``OverwriteCells(add_missing_cells=True)`` fail on the empty dict and loses the
    whole submission. Removing the key keeps the submission gradable.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if not (nbgrader_utils.is_grade(cell) or nbgrader_utils.is_solution(cell) or nbgrader_utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists multiple times!", grade_id)
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_HIDDEN_BEGIN, _HIDDEN_END = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"  # as nbgrader matches them

#: What a student's feedback shows in place of a grade cell's hidden checks.
HIDDEN_NOTICE = "# (hidden checks run here; a failing one explains itself in the output below)"


def split_hidden(source: str) -> tuple[str, list[str]]:
    """``source`` with each hidden-test region replaced by ``HIDDEN_NOTICE``, and the hidden lines."""
    kept, hidden, inside = [], [], False
    for line in source.splitlines():
        if _HIDDEN_BEGIN in line:
            inside = True
            kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTICE)
        elif _HIDDEN_END in line:
            inside = False
        elif inside:
            hidden.append(line)
        else:
            kept.append(line)
    return "\n".join(kept), hidden


def quotes_hidden(text: str, hidden: list[str]) -> bool:
    """Does ``text`` (one traceback frame, ANSI colours and all) quote any hidden line?"""
    plain = _ANSI.sub("", text)
    return any(len(h.strip()) >= 4 and h.strip() in plain for h in hidden)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without the hidden tests' code.

    Each grade cell's hidden-test region becomes one notice line; in the cell's error output,
    traceback frames that quote a hidden line are dropped, so the exception's type and message
    (the check's explanation) stay and its code does not. Configured for ``GenerateFeedback``.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or _HIDDEN_BEGIN not in cell.source:
            return cell, resources
        cell.source, hidden = split_hidden(cell.source)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                out["traceback"] = [t for t in out.get("traceback", []) if not quotes_hidden(t, hidden)]
        return cell, resources
