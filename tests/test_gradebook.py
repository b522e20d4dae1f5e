"""The grader's reports: table, CSV gradebook, feedback files; and the command line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from course_utils.grading.exercises import lessons
from course_utils.grading.gradebook import exercise_ids, feedback, gradebook_csv, names, table, write_feedback
from course_utils.grading.grader import ExerciseResult, Graded
from scripts.repo import REPO



def _class(tmp_path) -> list[Graded]:
    lesson_1, lesson_2 = lessons()["01_data"], lessons()["02_waveforms_and_spectrograms"]
    return [
        Graded(tmp_path / "alice" / "01_data.ipynb", lesson_1,
               [ExerciseResult("1.1", "correct"), ExerciseResult("1.2", "wrong", "A 404 answer must raise an error.")]),
        Graded(tmp_path / "bob" / "01_data.ipynb", lesson_1,
               [ExerciseResult("1.1", "correct"), ExerciseResult("1.2", "not reached", "the kernel died")],
               notes=["the kernel died"]),
        Graded(tmp_path / "carol" / "02.ipynb", lesson_2,
               [ExerciseResult("2.1", "error", "TypeError: bad"), ExerciseResult("2.2", "correct")]),
        Graded(tmp_path / "dan" / "empty.ipynb", problem="the file is empty"),
    ]


def test_names_are_paths_below_the_shared_folder(tmp_path):
    assert names(_class(tmp_path)) == ["alice/01_data.ipynb", "bob/01_data.ipynb", "carol/02.ipynb",
                                       "dan/empty.ipynb"]


def test_exercises_in_course_order():
    graded = [Graded(Path("x"), None, [ExerciseResult(i, "correct") for i in ("10.1", "2.2", "2.10", "1.1")])]
    assert exercise_ids(graded) == ["1.1", "2.2", "2.10", "10.1"]


def test_the_csv_has_a_row_per_submission_and_a_column_per_exercise(tmp_path):
    rows = list(csv.DictReader(io.StringIO(gradebook_csv(_class(tmp_path)))))
    assert list(rows[0]) == ["submission", "lesson", "1.1", "1.2", "2.1", "2.2", "score", "out_of", "problem", "notes"]
    assert [(r["submission"], r["1.1"], r["1.2"], r["2.1"], r["score"], r["out_of"]) for r in rows] == [
        ("alice/01_data.ipynb", "correct", "wrong", "", "1", "2"),
        ("bob/01_data.ipynb", "correct", "not reached", "", "1", "2"),
        ("carol/02.ipynb", "", "", "error", "1", "2"),
        ("dan/empty.ipynb", "", "", "", "0", "0"),
    ]
    assert rows[3]["problem"] == "the file is empty" and rows[1]["notes"] == "the kernel died"


def test_the_table_shows_results_scores_and_reasons(tmp_path):
    lines = table(_class(tmp_path)).splitlines()
    assert lines[0].split() == ["submission", "lesson", "1.1", "1.2", "2.1", "2.2", "score", "notes"]
    assert lines[2].split()[:5] == ["alice/01_data.ipynb", "01_data", "correct", "wrong", "-"]
    assert "1/2" in lines[2]
    assert lines[5].endswith("not graded: the file is empty")


def test_feedback_carries_the_hints(tmp_path):
    graded = _class(tmp_path)
    text = feedback(graded[0], "alice/01_data.ipynb")
    assert "**1 of 2** exercises correct" in text
    assert "- **Exercise 1.2: wrong** (A 404 answer must raise an error.)" in text
    assert "could not be graded: the file is empty" in feedback(graded[3], "dan/empty.ipynb")
    written = write_feedback(graded, tmp_path / "feedback")
    assert [p.name for p in written] == ["alice__01_data.md", "bob__01_data.md", "carol__02.md", "dan__empty.md"]
    assert "the kernel died" in written[1].read_text()


def test_the_command_line_grades_a_folder_into_a_gradebook(load_script, tmp_path):
    load_script("make_submissions").write(tmp_path / "class", ["empty.ipynb", "invalid_json.ipynb"])
    (tmp_path / "class" / "notes.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    command = [sys.executable, "-m", "course_utils", "grade", str(tmp_path / "class"), "--csv",
               str(tmp_path / "book.csv"), "--feedback", str(tmp_path / "feedback")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "not graded: the file is empty" in result.stdout
    assert "not graded: it has no course metadata, and its file name 'notes.ipynb' names no lesson" in result.stdout
    rows = list(csv.DictReader((tmp_path / "book.csv").open()))
    assert [r["submission"] for r in rows] == ["empty.ipynb", "invalid_json.ipynb", "notes.ipynb"]
    assert len(list((tmp_path / "feedback").glob("*.md"))) == 3


def test_the_command_line_refuses_an_unknown_lesson(tmp_path):
    command = [sys.executable, "-m", "course_utils", "grade", str(tmp_path), "--lesson", "11"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2 and "no lesson '11'" in result.stderr
