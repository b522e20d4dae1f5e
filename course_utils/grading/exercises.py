"""The course's exercises: which lesson a notebook is, and its check cells as the course wrote them.

scripts/build_notebooks.py writes exercises.json beside this file from the solution notebooks,
and stamps every notebook with its lesson and each exercise's answer and check cells with the
exercise's id, in the metadata that course_utils.notebook_format describes.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import notebook_format as fmt
from ..notebook_format import KEY

# nbformat is imported only where cells are made: with jsonschema under it, it takes about a second,
# which each check's fresh process (grading/judge.py, which needs only the catalogue) should not pay.
if TYPE_CHECKING:
    import nbformat

CATALOGUE = Path(__file__).with_name("exercises.json")


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id ("1.1"), its check cell's source, what that prints when the answer is right."""

    id: str
    check: str
    expected: str
    defines: tuple[str, ...]  # the names the answer cell defines (`def`/`class`)

    @property
    def check_function(self) -> str:
        return re.search(r"import (\w+)", self.check).group(1)

    @property
    def answer_name(self) -> str:
        """The name the check cell hands to its check: the learner's function or class."""
        return re.search(rf"^{self.check_function}\((\w+)\)", self.check, re.MULTILINE).group(1)


@dataclass(frozen=True)
class Lesson:
    name: str  # the notebook's file name without .ipynb, e.g. "01_data"
    title: str
    exercises: tuple[Exercise, ...]


class NotALesson(ValueError):
    """A notebook that is none of the course's lessons, or not the one asked for."""


@cache
def _catalogue() -> dict[str, Lesson]:
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    return {name: Lesson(name, entry["title"], tuple(
        Exercise(e["id"], e["check"], e["expected"], tuple(e["defines"])) for e in entry["exercises"]))
        for name, entry in entries.items()}


def lessons() -> dict[str, Lesson]:
    """Every lesson with exercises, by name, from the package's exercises.json."""
    return {name: lesson for name, lesson in _catalogue().items() if lesson.exercises}


def _gradable(name: str) -> Lesson:
    if name in _catalogue() and name not in lessons():
        raise NotALesson(f"lesson {name!r} has no exercises to grade")
    return lessons()[name]


def find_lesson(name: str) -> Lesson:
    """A lesson with exercises, by its name ("01_data") or number ("1", "01")."""
    by_number = {str(int(n[:2])): n for n in _catalogue()}
    found = name if name in _catalogue() else by_number.get(name.lstrip("0") or "0")
    if found is None:
        raise NotALesson(f"no lesson {name!r}; the lessons with exercises are {', '.join(lessons())}")
    return _gradable(found)


def exercise_by_id(exercise: str) -> Exercise:
    """An exercise by its id ("1.1")."""
    found = [e for lesson in lessons().values() for e in lesson.exercises if e.id == exercise]
    if not found:
        raise NotALesson(f"no exercise {exercise!r} in this course")
    return found[0]


def identify_lesson(notebook: nbformat.NotebookNode, filename: str) -> Lesson:
    """The lesson named in the notebook's metadata, else in its file name; NotALesson says why not."""
    named = fmt.course_stamp(notebook.get("metadata", {})).get("lesson")
    if named:
        if named not in _catalogue():
            raise NotALesson(f"its metadata names lesson {named!r}, which this course does not have")
        return _gradable(named)
    in_name = [lesson for name, lesson in lessons().items() if name in Path(filename).stem]
    if len(in_name) == 1:
        return in_name[0]
    raise NotALesson(f"it has no course metadata, and its file name {Path(filename).name!r} names "
                     f"no lesson ({', '.join(lessons())})")


def exercise_tag(cell: nbformat.NotebookNode) -> tuple[str, str] | None:
    """(exercise id, "answer" | "check") from a cell's stamp, or None."""
    return fmt.exercise_tag(cell.get("metadata", {}))


def _calls(source: str, function: str) -> bool:
    return re.search(rf"\b{re.escape(function)}\s*\(", source) is not None


def _defines(source: str, exercise: Exercise) -> bool:
    return exercise.id in fmt.stubbed_exercises(source) or any(re.search(rf"^\s*(def|class)\s+{re.escape(name)}\b", source, re.MULTILINE)
                                 for name in exercise.defines)


def check_cell(exercise: Exercise) -> nbformat.NotebookNode:
    """The exercise's check cell as the course wrote it, with the output nbval expects."""
    from nbformat.v4 import new_code_cell, new_output

    output = new_output("stream", name="stdout", text=exercise.expected)
    return new_code_cell(exercise.check, execution_count=1, outputs=[output],
                                     metadata=fmt.tag(exercise.id, "check"))


def grading_cell(exercise: Exercise) -> nbformat.NotebookNode:
    """What runs in place of the check cell when grading: the answer handed over to be checked
    in a process of its own (course_utils.grading.carry and .judge). It imports the check as the
    check cell does, for later cells of the learner's that call it."""
    source = (f"from course_utils.checks import {exercise.check_function}\n"
              f"from course_utils.grading.carry import carry\n\ncarry({exercise.id!r}, {exercise.answer_name})")
    from nbformat.v4 import new_code_cell

    return new_code_cell(source, metadata=fmt.tag(exercise.id, "check"))


@dataclass
class Restored:
    notebook: nbformat.NotebookNode
    notes: list[str]  # what had to be restored, for the feedback
    unanswered: set[str]  # exercises whose answer cell is gone


def _position(cells: list, cell: nbformat.NotebookNode) -> int:
    return next(i for i, other in enumerate(cells) if other is cell)


def restore_checks(notebook: nbformat.NotebookNode, lesson: Lesson) -> Restored:
    """The notebook to grade: every stored output dropped, every check cell (found by its exercise
    id, else by the check it calls) replaced by the course's grading cell; a deleted check goes
    back after its exercise's answer cell, or at the end if that is gone too."""
    notebook = copy.deepcopy(notebook)
    cells = [cell for cell in notebook.cells if cell.get("cell_type") in ("code", "markdown", "raw")]
    tags = {id(cell): exercise_tag(cell) for cell in cells}
    for cell in cells:
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in (KEY, "tags")}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notes, unanswered = [], set()
    for exercise in lesson.exercises:
        code = [c for c in cells if c.cell_type == "code"]
        checks = [c for c in code if tags[id(c)] == (exercise.id, "check")] or [
            c for c in code if tags[id(c)] is None and _calls(c.source, exercise.check_function)]
        answers = [c for c in code if tags[id(c)] == (exercise.id, "answer")] or [
            c for c in code if tags[id(c)] is None and _defines(c.source, exercise)]
        pristine = grading_cell(exercise)
        tags[id(pristine)] = (exercise.id, "restored")
        if checks:
            cells[_position(cells, checks[0])] = pristine
            cells = [c for c in cells if not any(c is other for other in checks[1:])]
        elif answers:
            cells.insert(_position(cells, answers[-1]) + 1, pristine)
            notes.append(f"exercise {exercise.id}: its check cell was missing; restored after its answer")
        else:
            cells.append(pristine)
            notes.append(f"exercise {exercise.id}: its answer and check cells were missing; check restored at the end")
        if not answers:
            unanswered.add(exercise.id)
        for answer in answers:
            answer.metadata.update(fmt.tag(exercise.id, "answer"))
    for number, cell in enumerate(cells):
        cell["id"] = f"graded-{number}"
    notebook.cells = cells
    notebook.nbformat, notebook.nbformat_minor = 4, max(5, notebook.get("nbformat_minor", 0))
    return Restored(notebook, notes, unanswered)
