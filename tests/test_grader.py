"""The grader: results read from the recorder's events, and real learner copies graded end to end."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from course_utils import notebook_format as fmt
from course_utils.grading import grader
from course_utils.grading.exercises import lessons
from course_utils.grading.grader import Limits, classify, find_submissions, grade_submission, read_submission
from course_utils.server import serve_course_data

from conftest import SUBMISSION_CELL_SECONDS

LESSON = lessons()["01_data"]


def _start(cell, tag=None, line="x = 1"):
    return {"event": "start", "cell": cell, "tag": tag, "line": line}


def _end(cell, tag=None, error=None, failure=None, stdout=""):
    return {"event": "end", "cell": cell, "tag": tag, "error": error, "failure": failure, "stdout": stdout}


def _check(cell, exercise, **outcome):
    return [_start(cell, [exercise, "check"]), _end(cell, [exercise, "check"], **outcome)]


def _results(events, **options):
    results, notes = classify(LESSON, events, **options)
    return [(r.result, r.detail) for r in results], notes


def test_each_kind_of_result_from_the_check_cells():
    events = (_check(1, "1.1", stdout="debugging\n" + fmt.verdict("1.1"))
              + _check(2, "1.2", error={"ename": "WrongAnswer", "evalue": "A 404 answer must raise an error."}))
    assert _results(events)[0] == [("correct", ""), ("wrong", "A 404 answer must raise an error.")]
    events = (_check(1, "1.1", error={"ename": "NotImplementedError", "evalue": "Exercise 1.1"})
              + _check(2, "1.2", error={"ename": "KeyError", "evalue": "'categry'"}))
    assert _results(events)[0] == [("not attempted", "the exercise's stub still raises NotImplementedError"),
                                   ("error", "KeyError: 'categry'")]


def test_an_error_the_check_named_is_reported_in_its_words():
    named = {"ename": "AnswerError", "evalue": "download_file raised TypeError: can't concat"}
    assert _results(_check(2, "1.2", error=named))[0][1] == ("error", "download_file raised TypeError: can't concat")


def test_a_stub_message_of_another_exercise_is_an_error_not_a_skip():
    events = _check(1, "1.1", error={"ename": "NotImplementedError", "evalue": "Exercise 1.2"})
    assert _results(events)[0][0] == ("error", "NotImplementedError: Exercise 1.2")


def test_a_check_that_prints_no_verdict_is_no_success():
    assert _results(_check(1, "1.1", stdout=fmt.verdict("1.1") + "more\n"))[0][0][0] == "error"


def test_a_missing_answer_is_not_attempted_and_a_broken_one_is_named():
    name_error = {"ename": "NameError", "evalue": "name 'train_val_split' is not defined"}
    assert _results(_check(1, "1.1", error=name_error), unanswered=frozenset({"1.1"}))[0][0][0] == "not attempted"
    events = [_start(0, ["1.1", "answer"]), _end(0, ["1.1", "answer"], error={"ename": "SyntaxError",
                                                                             "evalue": "invalid syntax"})]
    detail = _results(events + _check(1, "1.1", error=name_error))[0][0][1]
    assert detail.endswith("(the answer cell itself raised SyntaxError: invalid syntax)")


def test_after_a_kernel_death_the_rest_is_not_reached():
    events = _check(1, "1.1", stdout=fmt.verdict("1.1")) + [
        _start(2, line="import os / os._exit(1)"), {"event": "kernel died", "cell": 2}]
    results, notes = _results(events)
    assert results == [("correct", ""), ("not reached", "the kernel died in the cell 'import os / os._exit(1)'")]
    assert notes == ["the kernel died in the cell 'import os / os._exit(1)'"]


def test_a_kernel_death_inside_a_check_is_the_learners_error():
    events = [_start(1, ["1.1", "check"]), {"event": "kernel died", "cell": 1}]
    results, _ = _results(events)
    assert results[0][0] == "error" and "kernel died during the check" in results[0][1]
    assert results[1][0] == "not reached"


def test_time_limits_per_cell_and_per_submission():
    events = ([_start(1, line="while True:"), _end(1, failure="timeout",
                                                   error={"ename": "KeyboardInterrupt", "evalue": ""})]
              + _check(2, "1.1", failure="timeout", error={"ename": "KeyboardInterrupt", "evalue": ""})
              + [_start(3, ["1.2", "check"])])
    results, notes = _results(events, ended="the time limit of 60 s per submission ran out", cell_seconds=20)
    assert results == [("error", "the check ran past 20 s (an endless loop?)"),
                       ("not reached", "the time limit of 60 s per submission ran out, in the cell 'x = 1'")]
    assert notes[0] == "the cell 'while True:' ran past 20 s and was interrupted"


def test_errors_outside_the_exercises_are_noted():
    events = [_start(1, line="paths = download_clips(subset, source)"),
              _end(1, error={"ename": "DownloadError", "evalue": "3 clips failed"})] + _check(2, "1.1", stdout=fmt.verdict("1.1").strip())
    results, notes = _results(events)
    assert results[0] == ("correct", "")
    assert notes == ["the cell 'paths = download_clips(subset, source)' raised DownloadError: 3 clips failed"]


def test_a_record_cut_short_by_a_kill_keeps_its_whole_lines(tmp_path):
    record = tmp_path / "record.jsonl"
    record.write_text('{"event": "start", "cell": 0, "tag": null, "line": "x"}\n{"event": "end", "ce')
    assert grader._read_events(record) == [_start(0, line="x")]
    assert grader._read_events(tmp_path / "never-written.jsonl") == []


def test_a_kernel_that_nbval_found_dead_leaves_its_checks_not_reached():
    results, _ = _results([_start(1, ["1.1", "check"]), _end(1, ["1.1", "check"], failure="kernel dead")])
    assert [r for r, _ in results] == ["not reached", "not reached"]


@pytest.mark.parametrize("content, reason", [
    ("", "the file is empty"),
    ("  \n", "the file is empty"),
    ('{"cells": [', "not a notebook (NotJSONError"),
    ("[1, 2]", "not a notebook"),
    ('{"cells": [{"cell_type": "code"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
     "not a notebook (ValidationError"),
    (b"\xff\xfe\x00", "cannot read the file"),
])
def test_unreadable_submissions_say_why(tmp_path, content, reason):
    path = tmp_path / "submission.ipynb"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ValueError) as raised:
        read_submission(path)
    assert str(raised.value).startswith(reason)


def test_folders_are_searched_and_checkpoints_left_out(tmp_path):
    for name in ("b/2.ipynb", "a/1.ipynb", "a/.ipynb_checkpoints/1-checkpoint.ipynb", "a/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = find_submissions([tmp_path, tmp_path / "a" / "1.ipynb"])
    assert found == [tmp_path / "a" / "1.ipynb", tmp_path / "b" / "2.ipynb"]


def test_a_failure_of_the_grader_itself_becomes_the_submissions_row(load_script, tmp_path, monkeypatch):
    path = load_script("make_submissions").write(tmp_path, ["honest.ipynb"])[0]

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grader, "_run", full_disk)
    graded = grade_submission(path, None, Limits())
    assert graded.problem == "the grader could not run it (OSError: [Errno 28] No space left on device)"
    assert graded.lesson.name == "01_data" and graded.results == []


def test_a_notebook_of_another_lesson_than_asked_is_not_run(load_script, tmp_path):
    make = load_script("make_submissions")
    path = make.write(tmp_path, ["other_lesson.ipynb"])[0]
    graded = grade_submission(path, None, Limits(), expected=LESSON)
    assert graded.problem == "it is lesson 02_waveforms_and_spectrograms, not 01_data"
    assert graded.results == [] and graded.score == 0


# ---- real learner copies of lesson 1, graded end to end (scripts/make_submissions.py) ----

CELL_SECONDS = SUBMISSION_CELL_SECONDS


@pytest.fixture(scope="module")
def graded(graded_submissions) -> dict[str, grader.Graded]:
    return graded_submissions


def _row(graded, name):
    return [r.result for r in graded[name].results]


@pytest.mark.slow
@pytest.mark.parametrize("name, expected", [
    ("honest.ipynb", ["correct", "correct"]),
    ("wrong.ipynb", ["wrong", "correct"]),
    ("untouched.ipynb", ["not attempted", "not attempted"]),
    ("tampered_check.ipynb", ["wrong", "correct"]),
    ("deleted_check.ipynb", ["correct", "correct"]),
    ("inserted_cells.ipynb", ["correct", "correct"]),
    ("error.ipynb", ["error", "correct"]),
    ("patched_check.ipynb", ["wrong", "correct"]),
    ("patched_carry.ipynb", ["error", "error"]),
    ("forged_verdict.ipynb", ["error", "correct"]),
    ("endless_loop.ipynb", ["correct", "correct"]),
    ("kernel_death.ipynb", ["correct", "not reached"]),
    ("prints_megabytes.ipynb", ["correct", "correct"]),
    ("stripped_01_data.ipynb", ["correct", "correct"]),
    ("other_lesson.ipynb", ["not attempted", "not attempted"]),
])
def test_each_submission_gets_its_results(graded, name, expected):
    assert _row(graded, name) == expected, (graded[name].results, graded[name].notes)
    assert graded[name].problem == ""


@pytest.mark.slow
def test_the_details_a_learner_reads(graded):
    hint = "In train_val_split(metadata, ['cow', 'dog']) no training row may come from fold 1."
    for name in ("wrong.ipynb", "tampered_check.ipynb", "patched_check.ipynb"):
        assert (graded[name].results[0].detail, graded[name].results[0].mistake) == (hint, "val-fold-in-train")
    assert "no answer reached the grader" in graded["patched_carry.ipynb"].results[0].detail
    assert graded["forged_verdict.ipynb"].results[0].detail.startswith("the check stopped without a verdict")
    assert graded["error.ipynb"].results[0].detail == ("train_val_split(metadata, ['cow', 'dog']) raised "
                                                       "KeyError: 'categry'")
    assert graded["kernel_death.ipynb"].results[1].detail == "the kernel died in the cell 'import os / os._exit(1)'"
    assert graded["endless_loop.ipynb"].notes == [
        f"the cell 'while True: / pass' ran past {CELL_SECONDS} s and was interrupted"]
    assert graded["deleted_check.ipynb"].notes == ["exercise 1.1: its check cell was missing; restored after its answer"]
    assert graded["other_lesson.ipynb"].lesson.name == "02_waveforms_and_spectrograms"
    assert graded["honest.ipynb"].notes == []


@pytest.mark.slow
def test_files_that_are_no_notebooks_get_a_row(graded):
    assert graded["empty.ipynb"].problem == "the file is empty"
    assert graded["invalid_json.ipynb"].problem.startswith("not a notebook (NotJSONError")
    assert graded["empty.ipynb"].results == []


def _grading_processes() -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "course-grade-" in text:
            found.append(text)
    return found


@pytest.mark.slow
def test_the_time_limit_stops_a_submission_and_its_kernel(load_script, tmp_path):
    path = load_script("make_submissions").write(tmp_path, ["endless_loop.ipynb"])[0]
    with serve_course_data(None, tmp_path / "standin") as url:
        start = time.perf_counter()
        result = grade_submission(path, url, Limits(submission_seconds=25, cell_seconds=600))
        took = time.perf_counter() - start
    assert [r.result for r in result.results] == ["correct", "not reached"]
    assert result.results[1].detail == ("the time limit of 25 s per submission ran out, "
                                        "in the cell 'while True: / pass'")
    assert 25 <= took < 40
    if sys.platform.startswith("linux"):
        deadline = time.monotonic() + 10
        while _grading_processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _grading_processes() == []


@pytest.mark.slow
def test_the_class_report_counts_the_planted_mistakes(graded, tmp_path):
    from collections import Counter

    from course_utils.grading import report

    submissions = list(graded.values())
    counts = report.outcomes(submissions)
    assert counts["1.1"] == Counter({"correct": 7, "wrong": 3, "error": 3, "not attempted": 1})
    assert counts["1.2"] == Counter({"correct": 11, "error": 1, "not attempted": 1, "not reached": 1})
    assert report.mistakes(submissions)["1.1"].most_common(1) == [("val-fold-in-train", 3)]
    page = report.write_report(submissions, tmp_path / "class.md")[0].read_text()
    assert "`val-fold-in-train`, 3 learner(s). The hint they saw: In train_val_split(metadata, ['cow', 'dog']) " \
           "no training row may come from fold 1." in page


def test_a_grader_that_cannot_run_pytest_fails_every_exercise_as_its_own_fault(load_script, tmp_path, monkeypatch):
    path = load_script("make_submissions").write(tmp_path, ["honest.ipynb"])[0]
    python = tmp_path / "python-without-pytest"
    python.write_text("#!/bin/sh\necho '/usr/bin/python3: No module named pytest' >&2\nexit 1\n")
    python.chmod(0o755)
    monkeypatch.setattr(grader, "sys", type("Sys", (), {"executable": str(python)}))
    graded = grade_submission(path, None, Limits())
    reason = "pytest ran no cell of the notebook (exit code 1: /usr/bin/python3: No module named pytest)"
    assert [(r.exercise, r.result, r.detail) for r in graded.results] == [
        ("1.1", "grader failed", reason), ("1.2", "grader failed", reason)]
    assert graded.score == 0 and graded.notes == [f"grader failed: {reason}"] and graded.problem == ""


BACKGROUND = '''import subprocess, sys
background = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
open({pid_file!r}, "w").write(str(background.pid))
'''


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to see which processes live")
def test_no_process_the_notebook_started_outlives_its_grading(load_script, tmp_path):
    import nbformat

    path = load_script("make_submissions").write(tmp_path, ["honest.ipynb"])[0]
    notebook = nbformat.read(path, as_version=4)
    pid_file = tmp_path / "background.pid"
    notebook.cells.insert(3, nbformat.v4.new_code_cell(BACKGROUND.format(pid_file=str(pid_file))))
    nbformat.write(notebook, path)
    with serve_course_data(None, tmp_path / "standin") as url:
        graded = grade_submission(path, url, Limits(cell_seconds=60))
    assert [r.result for r in graded.results] == ["correct", "correct"], graded.notes
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
