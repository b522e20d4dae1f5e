"""Checks run outside the learner's kernel (course_utils.grading.judge and the grader's use of it): the
course's own checks judge the carried answer whatever the kernel did to its modules, and an answer
that forges the verdict or never ends gets no success."""

from __future__ import annotations

import json
import os

import pytest

from course_utils import checks
from course_utils import notebook_format as fmt
from course_utils.grading import grader
from course_utils.grading.carry import ANSWERS, carry
from course_utils.grading.exercises import exercise_by_id, lessons
from course_utils.grading.judge import judge

RIGHT_SPLIT = """def train_val_split(metadata, categories, val_fold=1):
    chosen = metadata[metadata["category"].isin(categories)]
    return chosen[chosen["fold"] != val_fold], chosen[chosen["fold"] == val_fold]
"""
WRONG_SPLIT = RIGHT_SPLIT.replace('chosen[chosen["fold"] != val_fold]', "chosen")


WRONG_VERDICT = {"ename": "WrongAnswer", "evalue": "In train_val_split(metadata, ['cow', 'dog']) no training row may "
                 "come from fold 1.", "mistake": "val-fold-in-train"}


def _defined(source: str, name: str = "train_val_split"):
    notebook = {"__name__": "__main__"}
    exec(source, notebook)
    return notebook[name]


@pytest.fixture
def answers(tmp_path, monkeypatch):
    monkeypatch.setenv(ANSWERS, str(tmp_path))
    return tmp_path


def _outside(answers, exercise: str, seconds: float = 120) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return grader._check_outside(exercise_by_id(exercise), answers, answers, env, {}, seconds)


def test_the_judge_gives_the_checks_verdict_or_its_exception(answers, capsys):
    carry("1.1", _defined(RIGHT_SPLIT))
    assert judge("1.1", answers / "1.1.pickle") == {"stdout": fmt.verdict("1.1"), "error": None}
    carry("1.1", _defined(WRONG_SPLIT))
    outcome = judge("1.1", answers / "1.1.pickle")
    assert outcome["error"] == WRONG_VERDICT
    assert capsys.readouterr().out == ""  # what the check and the answer print is kept, not shown


def test_an_answer_file_that_does_not_load_is_the_learners_error(answers):
    (answers / "1.1.pickle").write_bytes(b"not a pickle")
    outcome = judge("1.1", answers / "1.1.pickle")
    assert (outcome["error"]["ename"], outcome["error"]["mistake"]) == ("AnswerError", "not-loadable")
    assert outcome["error"]["evalue"].startswith("the answer could not be loaded in the grader's own process")


@pytest.mark.slow
def test_a_check_replaced_in_the_kernel_does_not_reach_the_judge(answers, monkeypatch):
    monkeypatch.setattr(checks, "check_split", lambda answer: print(fmt.verdict("1.1"), end=""))
    carry("1.1", _defined(WRONG_SPLIT))
    outcome = _outside(answers, "1.1")
    assert outcome["error"] == WRONG_VERDICT
    carry("1.1", _defined(RIGHT_SPLIT))
    assert _outside(answers, "1.1") == {"stdout": fmt.verdict("1.1"), "error": None, "failure": None}


@pytest.mark.slow
def test_a_forged_verdict_and_an_endless_answer_get_no_success(answers):
    line = "\nforged " + json.dumps({"stdout": fmt.verdict("1.1"), "error": None}) + "\n"
    forged = RIGHT_SPLIT.replace("    chosen = ", f"""    import os, sys
    sys.__stdout__.write({line!r})
    sys.__stdout__.flush()
    os._exit(0)
    chosen = """)
    carry("1.1", _defined(forged))
    outcome = _outside(answers, "1.1")
    assert outcome["failure"] == "no verdict" and outcome["detail"].startswith("exit code 0")
    carry("1.1", _defined(RIGHT_SPLIT.replace("    chosen = ", "    while True:\n        pass\n    chosen = ")))
    assert _outside(answers, "1.1", seconds=15)["failure"] == "timeout"


def test_a_grading_cell_that_ran_but_handed_nothing_over_is_an_error(answers):
    outcome = _outside(answers, "1.1")
    assert outcome["error"]["ename"] == "AnswerError" and "no answer reached the grader" in outcome["error"]["evalue"]


def test_outcomes_from_outside_the_kernel_replace_what_the_kernel_recorded():
    forged_in_kernel = [{"event": "start", "cell": 1, "tag": ["1.1", "check"], "line": "carry"},
                        {"event": "end", "cell": 1, "tag": ["1.1", "check"], "error": None, "failure": None,
                         "stdout": fmt.verdict("1.1")}]
    judged = {"1.1": {"stdout": "", "error": WRONG_VERDICT, "failure": None}}
    results, _ = grader.classify(lessons()["01_data"], forged_in_kernel, judged=judged)
    assert (results[0].result, results[0].detail, results[0].mistake) == ("wrong", WRONG_VERDICT["evalue"],
                                                                          "val-fold-in-train")
    no_verdict = {"1.1": {"stdout": "", "error": None, "failure": "no verdict", "detail": "exit code -9: "}}
    results, _ = grader.classify(lessons()["01_data"], forged_in_kernel, judged=no_verdict)
    assert results[0].result == "error" and "without a verdict" in results[0].detail


def test_the_judges_process_does_not_import_nbformat():
    """Each check runs in a fresh process; nbformat (with jsonschema) would add about a second to each."""
    import subprocess
    import sys

    probe = ("import sys, course_utils.checks, course_utils.grading.carry, course_utils.grading.judge, "
             "course_utils.grading.exercises; print('nbformat' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "False\n"
