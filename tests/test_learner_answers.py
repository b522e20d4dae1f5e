"""Answers written from the learners' copies alone, by two people who had not read the checks: every
right one must be accepted and every wrong one rejected (tests/learner_answers/ex_N_M.py and
ex_N_M_second.py, one file per exercise and person, where
`NAME__right_*` and `NAME__wrong_*` are the answers and a comment above each wrong one says what
is wrong with it)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from course_utils import checks
from course_utils.grading.exercises import exercise_by_id

FOLDER = Path(__file__).with_name("learner_answers")


def _answers() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(FOLDER.glob("ex_*.py")):
        exercise = ".".join(path.stem.split("_")[1:3])  # ex_6_2.py and ex_6_2_second.py: 6.2
        for line in path.read_text(encoding="utf-8").splitlines():
            name = line.removeprefix("def ").removeprefix("class ").split("(")[0].split(":")[0]
            if line.startswith(("def ", "class ")) and ("__right_" in name or "__wrong_" in name):
                found.append((exercise, path.name, name))
    return found


ANSWERS = _answers()


def _load(filename: str, name: str):
    module_name = f"learner_answers_{Path(filename).stem}"  # one module per file
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, FOLDER / filename)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return getattr(sys.modules[module_name], name)


def test_every_exercise_has_right_and_wrong_answers():
    for exercise in {e for e, _, _ in ANSWERS} | {"1.1", "8.2"}:
        names = [n for e, _, n in ANSWERS if e == exercise]
        assert sum("__right_" in n for n in names) >= 2 and sum("__wrong_" in n for n in names) >= 4, exercise
    assert len({e for e, _, _ in ANSWERS}) == 20


@pytest.mark.parametrize(("exercise", "filename", "name"), ANSWERS, ids=[n for _, _, n in ANSWERS])
def test_the_check_judges_the_answer_right(exercise, filename, name, capsys):
    check = getattr(checks, exercise_by_id(exercise).check_function)
    verdict = check.verdict(_load(filename, name))
    if "__right_" in name:
        assert verdict.correct, verdict.text()
    else:
        assert verdict.outcome in ("wrong", "error"), verdict.text()
