"""nbgrader preprocessors the course configures in ``nbgrader_config.py``."""

from __future__ import annotations

from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import DeduplicateIds


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
