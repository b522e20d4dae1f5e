"""Lessons recognised, check cells restored from the package's catalogue (course_utils.grading.exercises)."""

from __future__ import annotations


import nbformat
import pytest

from course_utils import notebook_format as fmt
from course_utils.grading.exercises import (KEY, NotALesson, exercise_by_id, find_lesson, grading_cell,
                                            identify_lesson, lessons, restore_checks)
from scripts.repo import LEARNER_COPIES, SOLUTIONS, lesson_files

LEARNER_COPY_FILES = lesson_files(LEARNER_COPIES)


def _lesson_1() -> nbformat.NotebookNode:
    return nbformat.read(LEARNER_COPIES / "01_data.ipynb", as_version=4)


def _tagged(notebook, exercise, part):
    return [c for c in notebook.cells if c.metadata.get(KEY) == {"exercise": exercise, "part": part}]


def _checks(notebook) -> list[tuple[str, str, str]]:
    return [(c.metadata[KEY]["exercise"], c.source, "".join(o.get("text", "") for o in c.outputs))
            for c in notebook.cells if c.metadata.get(KEY, {}).get("part") == "check"]


WITHOUT_EXERCISES = {"09_transfer_from_other_sounds"}
GRADED_COPIES = [p for p in LEARNER_COPY_FILES if p.stem not in WITHOUT_EXERCISES]


@pytest.mark.parametrize("path", [p for p in lesson_files(SOLUTIONS) if p.stem not in WITHOUT_EXERCISES],
                         ids=lambda p: p.stem)
def test_the_packaged_checks_are_the_solutions_checks(path):
    notebook = nbformat.read(path, as_version=4)
    lesson = lessons()[path.stem]
    assert notebook.metadata[KEY] == {"lesson": path.stem}
    assert _checks(notebook) == [(e.id, e.check, e.expected) for e in lesson.exercises]
    assert (1 if path.stem == "10_your_own_sounds" else 2) <= len(lesson.exercises) <= 3


def test_every_learner_copy_is_stamped_and_restores_to_itself_with_grading_cells():
    assert [p.stem for p in GRADED_COPIES] == list(lessons())
    for path in GRADED_COPIES:
        notebook = nbformat.read(path, as_version=4)
        lesson = identify_lesson(notebook, "anything.ipynb")
        assert lesson.name == path.stem
        restored = restore_checks(notebook, lesson)
        assert restored.notes == [] and restored.unanswered == set()
        graded = {e.check: grading_cell(e).source for e in lesson.exercises}
        assert [c.source for c in restored.notebook.cells] == [graded.get(c.source, c.source) for c in notebook.cells]
        assert _checks(restored.notebook) == [(e.id, grading_cell(e).source, "") for e in lesson.exercises]
        nbformat.validate(restored.notebook)


def test_a_grading_cell_hands_over_what_the_check_cell_checks():
    exercise = exercise_by_id("3.1")
    assert exercise.check.endswith("check_getitem(SimpleWavDataset)")
    assert grading_cell(exercise).source.endswith("carry('3.1', SimpleWavDataset)")
    assert [e.answer_name for e in lessons()["07_transfer_learning"].exercises] == ["replace_head", "finetune_optimizer"]
    with pytest.raises(NotALesson, match="no exercise '9.9'"):
        exercise_by_id("9.9")


def test_lessons_by_name_or_number():
    assert find_lesson("1").name == find_lesson("01").name == find_lesson("01_data").name == "01_data"
    assert find_lesson("8").name == "08_going_further"
    assert find_lesson("10").name == "10_your_own_sounds"
    with pytest.raises(NotALesson, match="no lesson '11'"):
        find_lesson("11")


def test_a_lesson_without_exercises_is_named_as_such_not_graded():
    with pytest.raises(NotALesson, match="lesson '09_transfer_from_other_sounds' has no exercises to grade"):
        find_lesson("9")
    notebook = nbformat.read(next(p for p in LEARNER_COPY_FILES if p.stem in WITHOUT_EXERCISES), as_version=4)
    with pytest.raises(NotALesson, match="has no exercises to grade"):
        identify_lesson(notebook, "anything.ipynb")


def test_the_file_name_names_the_lesson_when_metadata_is_stripped():
    notebook = _lesson_1()
    notebook.metadata.pop(KEY)
    assert identify_lesson(notebook, "alice_01_data (2).ipynb").name == "01_data"
    with pytest.raises(NotALesson, match="'homework.ipynb' names no lesson"):
        identify_lesson(notebook, "homework.ipynb")


def test_metadata_naming_an_unknown_lesson_is_refused():
    notebook = _lesson_1()
    notebook.metadata[KEY] = {"lesson": "42_quantum"}
    with pytest.raises(NotALesson, match="42_quantum"):
        identify_lesson(notebook, "01_data.ipynb")


def test_a_rewritten_check_is_replaced_and_stored_outputs_dropped():
    notebook = _lesson_1()
    check = _tagged(notebook, "1.1", "check")[0]
    check.source = f"print({fmt.verdict('1.1')!r}, end='')"
    check.metadata["tags"] = ["nbval-skip"]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="old\n")]
            cell.execution_count = 7
    restored = restore_checks(notebook, lessons()["01_data"]).notebook
    pristine = grading_cell(lessons()["01_data"].exercises[0])
    new_check = _tagged(restored, "1.1", "check")[0]
    assert new_check.source == pristine.source and new_check.outputs == []
    assert "tags" not in new_check.metadata
    others = [c for c in restored.cells if c.cell_type == "code" and c.metadata.get(KEY, {}).get("part") != "check"]
    assert all(c.outputs == [] and c.execution_count is None for c in others)
    assert restored.cells.index(new_check) == notebook.cells.index(check)


def test_a_deleted_check_returns_after_its_answer():
    notebook = _lesson_1()
    notebook.cells.remove(_tagged(notebook, "1.2", "check")[0])
    notebook.cells.append(nbformat.v4.new_markdown_cell("my notes"))
    restored = restore_checks(notebook, lessons()["01_data"])
    cells = restored.notebook.cells
    answer = cells.index(_tagged(restored.notebook, "1.2", "answer")[0])
    assert cells[answer + 1].metadata[KEY] == {"exercise": "1.2", "part": "check"}
    assert restored.notes == ["exercise 1.2: its check cell was missing; restored after its answer"]


def test_moved_and_duplicated_checks_keep_the_first_position_once():
    notebook = _lesson_1()
    check = _tagged(notebook, "1.1", "check")[0]
    notebook.cells.remove(check)
    notebook.cells.insert(len(notebook.cells) - 1, check)
    notebook.cells.append(nbformat.v4.new_code_cell(check.source, metadata={KEY: dict(check.metadata[KEY])}))
    restored = restore_checks(notebook, lessons()["01_data"]).notebook
    positions = [i for i, c in enumerate(restored.cells) if c.metadata.get(KEY) == {"exercise": "1.1", "part": "check"}]
    assert positions == [len(notebook.cells) - 3]


def test_without_metadata_checks_and_answers_are_found_by_their_code():
    notebook = _lesson_1()
    for cell in notebook.cells:
        cell.metadata.clear()
    restored = restore_checks(notebook, lessons()["01_data"])
    assert restored.notes == [] and restored.unanswered == set()
    assert [e for e, _, _ in _checks(restored.notebook)] == ["1.1", "1.2"]
    assert len(_tagged(restored.notebook, "1.1", "answer")) == 1


def test_an_exercise_with_no_answer_cell_is_marked_unanswered():
    notebook = _lesson_1()
    for part in ("answer", "check"):
        notebook.cells.remove(_tagged(notebook, "1.1", part)[0])
    restored = restore_checks(notebook, lessons()["01_data"])
    assert restored.unanswered == {"1.1"}
    assert restored.notebook.cells[-1].metadata[KEY] == {"exercise": "1.1", "part": "check"}
