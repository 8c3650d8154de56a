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


#: The longest error message a hidden check's feedback keeps.
MESSAGE_CHARS = 300
_SCRUBBED = "[hidden check text removed]"


def _scrub_text(text: str, hidden: list[str]) -> str:
    """``text`` with every line that quotes a hidden line replaced by a notice."""
    return "\n".join(_SCRUBBED if quotes_hidden(line, hidden) else line for line in text.split("\n"))


def _scrub_output(out, hidden: list[str]) -> None:
    """Remove quotes of hidden lines from one output: stream text, rich data, error fields."""
    if "text" in out:
        out["text"] = _scrub_text("".join(out["text"]) if isinstance(out["text"], list) else str(out["text"]), hidden)
    for mime, value in list(out.get("data", {}).items()):
        if isinstance(value, (str, list)) and mime.startswith("text/"):
            out["data"][mime] = _scrub_text("".join(value) if isinstance(value, list) else value, hidden)
    if "evalue" in out:
        out["evalue"] = _scrub_text(str(out["evalue"]), hidden)
    if "traceback" in out:
        out["traceback"] = [_scrub_text(t, hidden) for t in out["traceback"]]


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

    Each grade cell's hidden-test region becomes one notice line. A grade cell with hidden checks
    keeps only its error output (type and message, capped; traceback frames that quote a hidden
    line dropped): a student's code runs inside the check and could print the check's source. Any
    line of any output that quotes a hidden line is replaced by a notice. Configured for
    ``GenerateFeedback``.
    """

    def preprocess(self, nb, resources):
        hidden_all: list[str] = []
        for cell in nb.cells:
            if cell.cell_type == "code" and _HIDDEN_BEGIN in cell.source:
                hidden_all += split_hidden(cell.source)[1]
        hidden_all += [_HIDDEN_BEGIN, _HIDDEN_END]
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            if _HIDDEN_BEGIN in cell.source:
                cell.source, hidden = split_hidden(cell.source)
                # Student code runs inside this check and could print what it reads of the check's
                # own source: keep only the check's verdict, its error type and message.
                cell.outputs = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
                for out in cell.outputs:
                    out["evalue"] = str(out.get("evalue", ""))[:MESSAGE_CHARS]
                    out["traceback"] = [t for t in out.get("traceback", []) if not quotes_hidden(t, hidden)]
            for out in cell.get("outputs", []):
                _scrub_output(out, hidden_all)
        return nb, resources
