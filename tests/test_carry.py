"""Answers handed from the kernel to the grader by value (course_utils.grading.carry): every right and
wrong answer of the check tests keeps its verdict after the trip; what cannot travel says why."""

from __future__ import annotations

import sys
import threading

import cloudpickle
import pytest

import test_checks
from course_utils import checks
from course_utils import notebook_format as fmt
from course_utils.grading.carry import ANSWERS, CannotCarry, answer_file, carry

CARRIED = [(exercise, kind, i) for exercise, case in test_checks.CASES.items()
           for kind in ("right", "wrong") for i in range(len(getattr(case, kind)))]


@pytest.fixture
def answers(tmp_path, monkeypatch):
    monkeypatch.setenv(ANSWERS, str(tmp_path))
    # What the check tests define travels by value, as what a notebook defines does.
    cloudpickle.register_pickle_by_value(test_checks)
    yield tmp_path
    cloudpickle.unregister_pickle_by_value(test_checks)


@pytest.mark.parametrize(("exercise", "kind", "index"), CARRIED, ids=[f"{e}-{k}-{i}" for e, k, i in CARRIED])
def test_an_answer_keeps_its_verdict_after_the_trip(answers, exercise, kind, index, capsys):
    case = test_checks.CASES[exercise]
    carry(exercise, getattr(case, kind)[index])
    copy = cloudpickle.loads(answer_file(answers, exercise).read_bytes())
    if kind == "right":
        case.check(copy)
        assert capsys.readouterr().out == fmt.verdict(exercise)
    else:
        with pytest.raises((checks.WrongAnswer, checks.AnswerError)) as rejected:
            case.check.strict(copy)
        assert rejected.value.mistake == case.mistakes[index]


def test_a_notebook_function_travels_by_value_with_the_globals_it_uses(answers):
    notebook = {"__name__": "__main__"}
    exec("OFFSET = 1\ndef n_frames(n, hop):\n    return OFFSET + n // hop\n", notebook)
    carry("2.1", notebook["n_frames"])
    data = answer_file(answers, "2.1").read_bytes()
    notebook["OFFSET"] = 100  # later changes in the kernel do not reach the copy
    copy = cloudpickle.loads(data)
    assert copy(10, 3) == 4 and copy is not notebook["n_frames"]


def test_an_answer_that_cannot_travel_says_why_and_leaves_no_file(answers):
    notebook = {"__name__": "__main__", "threading": threading}
    exec("LOCK = threading.Lock()\ndef n_frames(n, hop):\n    with LOCK:\n        return 1 + n // hop\n", notebook)
    with pytest.raises(CannotCarry, match=r"exercise 2\.1 could not be copied .*lock"):
        carry("2.1", notebook["n_frames"])
    assert list(answers.iterdir()) == []


def test_a_second_hand_over_replaces_the_first_whole(answers):
    carry("2.1", lambda n, hop: 0)
    carry("2.1", lambda n, hop: 1 + n // hop)
    assert [p.name for p in answers.iterdir()] == ["2.1.pickle"]
    assert cloudpickle.loads(answer_file(answers, "2.1").read_bytes())(10, 3) == 4
    assert "course_utils.grading.carry" in sys.modules
