"""course_utils.grading.lms: Canvas and Moodle gradebooks, learners found from a roster and file names."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from course_utils.grading.exercises import lessons
from course_utils.grading.grader import ExerciseResult, Graded
from course_utils.grading.lms import canvas_csv, match, moodle_csv, read_roster
from scripts.repo import REPO

LESSON = lessons()["01_data"]
CANVAS_ROSTER = """\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Lesson 1 (77)
    Points Possible,,,,,2
"Smith, Jane",12345,S001,jsmith,Mon,
"Lee, Ann",12346,S002,alee,Mon,
"Ng, Bo",12399,S003,bng,Tue,
"""
MOODLE_ROSTER = """First name,Last name,ID number,Institution,Department,Email address
Jane,Smith,S001,,,jane@uni.example
Ann,Lee,S002,,,ann@uni.example
"""


def _graded(tmp_path, *paths_and_scores):
    return [Graded(tmp_path / path, LESSON, [ExerciseResult("1.1", "correct" if score > 0 else "wrong"),
                                             ExerciseResult("1.2", "correct" if score > 1 else "wrong")])
            for path, score in paths_and_scores]


def _roster(tmp_path, text, lms):
    path = tmp_path / f"{lms}.csv"
    path.write_text(text, encoding="utf-8")
    return read_roster(path, lms)


def test_canvas_rows_follow_the_roster_with_points_possible_and_blanks_for_no_submission(tmp_path):
    roster = _roster(tmp_path, CANVAS_ROSTER, "canvas")
    graded = _graded(tmp_path, ("subs/smithjane_12345_901_01_data.ipynb", 2), ("subs/leeann_LATE_12346_902_01.ipynb", 1))
    text, unmatched = canvas_csv(graded, roster, "Lesson 1 (77)")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lesson 1 (77)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "2"]
    assert [r[1:] for r in rows[2:]] == [["12345", "S001", "jsmith", "Mon", "2"], ["12346", "S002", "alee", "Mon", "1"],
                                         ["12399", "S003", "bng", "Tue", ""]]
    assert unmatched == []


def test_moodle_rows_are_the_learners_with_a_submission_found_by_name_or_email(tmp_path):
    roster = _roster(tmp_path, MOODLE_ROSTER, "moodle")
    graded = _graded(tmp_path, ("d/Jane Smith_4411_assignsubmission_file_/01_data.ipynb", 1),
                     ("d/ann@uni.example_01_data.ipynb", 2), ("d/stranger.ipynb", 2))
    text, unmatched = moodle_csv(graded, roster, "Lesson 1")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["First name", "Last name", "Email address", "ID number", "Lesson 1"],
                    ["Jane", "Smith", "jane@uni.example", "S001", "1"], ["Ann", "Lee", "ann@uni.example", "S002", "2"]]
    assert unmatched == ["stranger.ipynb"]


def test_an_identity_must_be_a_whole_part_of_the_name(tmp_path):
    roster = _roster(tmp_path, CANVAS_ROSTER, "canvas")
    found, unmatched = match(_graded(tmp_path, ("x_123456_1.ipynb", 1), ("x_1234_1.ipynb", 1)), roster, "canvas")
    assert found == {} and unmatched == ["x_123456_1.ipynb", "x_1234_1.ipynb"]  # 12345 is inside, not whole


def test_two_submissions_of_one_learner_or_two_learners_in_one_name_are_refused(tmp_path):
    roster = _roster(tmp_path, CANVAS_ROSTER, "canvas")
    with pytest.raises(ValueError, match="two submissions for 12345"):
        match(_graded(tmp_path, ("a_12345_1.ipynb", 1), ("b_12345_2.ipynb", 2)), roster, "canvas")
    with pytest.raises(ValueError, match="matches 2 learners"):
        match(_graded(tmp_path, ("a_12345_12346.ipynb", 1)), roster, "canvas")


def test_a_gradebook_holds_one_lesson(tmp_path):
    roster = _roster(tmp_path, CANVAS_ROSTER, "canvas")
    other = Graded(tmp_path / "x_12346_1.ipynb", lessons()["02_waveforms_and_spectrograms"], [])
    with pytest.raises(ValueError, match="one assignment per gradebook"):
        canvas_csv([*_graded(tmp_path, ("a_12345_1.ipynb", 1)), other], roster, "Lesson 1")


def test_a_roster_without_identities_is_refused_by_name(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("Name,Score\nJane,3\n")
    with pytest.raises(ValueError, match="names.csv: a canvas roster needs one of the columns ID"):
        read_roster(path, "canvas")


def test_the_command_line_writes_a_canvas_gradebook_and_names_what_it_could_not_place(load_script, tmp_path):
    folder = tmp_path / "class"
    load_script("make_submissions").write(folder, ["empty.ipynb"])
    (folder / "empty.ipynb").rename(folder / "smithjane_12345_901_empty.ipynb")
    (folder / "stray.ipynb").write_text("")
    (tmp_path / "roster.csv").write_text(CANVAS_ROSTER, encoding="utf-8")
    command = [sys.executable, "-m", "course_utils", "grade", str(folder), "--csv", str(tmp_path / "book.csv"),
               "--csv-format", "canvas", "--roster", str(tmp_path / "roster.csv"), "--assignment", "Lesson 1 (77)"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 1 and "no learner of" in result.stderr and "stray.ipynb" in result.stderr
    rows = list(csv.reader((tmp_path / "book.csv").open()))
    assert rows[2][:2] == ["Smith, Jane", "12345"] and rows[2][-1] == "0"  # graded, though not gradable: 0
    refused = subprocess.run([*command[:5], "--roster", str(tmp_path / "roster.csv")], capture_output=True,
                             text=True, cwd=REPO, timeout=60)
    assert refused.returncode == 2 and "--roster is for --csv-format canvas or moodle" in refused.stderr


def test_a_download_of_one_moodle_folder_is_matched_by_the_folders_name(tmp_path):
    roster = _roster(tmp_path, MOODLE_ROSTER, "moodle")
    graded = _graded(tmp_path, ("Jane Smith_123_assignsubmission_file_/01_data.ipynb", 2))
    text, unmatched = moodle_csv(graded, roster, "Lesson 1")
    assert list(csv.reader(io.StringIO(text)))[1] == ["Jane", "Smith", "jane@uni.example", "S001", "2"]
    assert unmatched == []


@pytest.mark.parametrize("points", [10, 3, 7.5])
def test_canvas_scores_are_scaled_to_the_points_the_assignment_is_worth(tmp_path, points):
    roster = _roster(tmp_path, CANVAS_ROSTER, "canvas")
    graded = _graded(tmp_path, ("s/smithjane_12345_901_01_data.ipynb", 2), ("s/leeann_12346_902_01.ipynb", 1))
    text, _ = canvas_csv(graded, roster, "Lesson 1 (77)", points_possible=points)
    rows = list(csv.reader(io.StringIO(text)))
    assert float(rows[1][-1]) == points  # the row Canvas applies to the assignment
    assert [float(r[-1]) if r[-1] else None for r in rows[2:]] == [points, round(points / 2, 2), None]


def test_a_score_that_does_not_divide_evenly_is_rounded_to_two_decimals():
    from course_utils.grading.lms import scaled

    assert scaled(1, 3, 10) == 3.33 and scaled(2, 3, 10) == 6.67 and scaled(2, 2, None) == 2 and scaled(0, 0, 5) == 0


def test_points_possible_is_refused_outside_canvas_or_at_zero(tmp_path):
    for extra in (["--points-possible", "10"], ["--points-possible", "0", "--csv-format", "canvas", "--csv",
                                                 str(tmp_path / "g.csv"), "--roster", str(tmp_path / "r.csv")]):
        result = subprocess.run([sys.executable, "-m", "course_utils", "grade", str(tmp_path), *extra],
                                capture_output=True, text=True, cwd=REPO, timeout=60)
        assert result.returncode == 2 and "--points-possible is for --csv-format canvas" in result.stderr
