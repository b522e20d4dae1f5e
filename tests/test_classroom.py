"""course_utils.grading.classroom: the GitHub Classroom workflow and its per-exercise results."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from course_utils.grading import classroom
from course_utils.grading.exercises import find_lesson, lessons
from course_utils.server import serve_course_data

INSTALL = "course_utils[grade] @ git+https://github.com/example/course@v1"


@pytest.mark.parametrize("name", sorted(lessons()))
def test_the_workflow_has_a_graded_step_per_exercise_and_reports_them_all(name):
    lesson = find_lesson(name)
    flow = yaml.safe_load(classroom.workflow(lesson, INSTALL))
    assert flow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    assert set(flow["on"]) == {"push", "workflow_dispatch", "repository_dispatch"}
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    graders = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command-grader")]
    assert [g["id"] for g in graders] == [classroom.runner_id(e.id) for e in lesson.exercises]
    for grader, exercise in zip(graders, lesson.exercises):
        assert grader["with"]["max-score"] == 1  # whole points only
        assert grader["with"]["command"].endswith(f"result {classroom.RESULTS_FILE} {exercise.id}")
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"].split(",") == [g["id"] for g in graders]
    assert set(reporter["env"]) == {f"{g['id'].upper()}_RESULTS" for g in graders}
    assert all(value == f"${{{{steps.{key[:-8].lower()}.outputs.result}}}}" for key, value in reporter["env"].items())
    grading = next(s for s in steps if s.get("name", "").startswith("Grade "))
    assert f"notebooks/{lesson.name}.ipynb --lesson {lesson.name}" in grading["run"]
    install = next(s for s in steps if s.get("name", "").startswith("Install"))
    assert json.dumps(INSTALL) in install["run"]


def _schema_check(paths) -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub workflow schema it ships (no network)."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           *map(str, paths)], capture_output=True, text=True)


def test_every_lessons_workflow_validates_against_githubs_workflow_schema(tmp_path):
    paths = []
    for name in lessons():
        paths.append(tmp_path / f"{name}.yml")
        paths[-1].write_text(classroom.workflow(find_lesson(name), INSTALL))
    checked = _schema_check(paths)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(paths[0].read_text().replace("checks: write", "checks: writ"))
    assert _schema_check([broken]).returncode == 1


def _record(tmp_path, record):
    path = tmp_path / "grading.json"
    path.write_text(json.dumps(record))
    return path


def test_result_passes_only_a_correct_exercise(tmp_path):
    path = _record(tmp_path, {"problem": "", "exercises": {"1.1": {"result": "correct", "detail": ""},
                                                           "1.2": {"result": "wrong", "detail": "fold 1 validates"}}})
    assert classroom.result(path, "1.1") == (True, "Exercise 1.1: correct")
    assert classroom.result(path, "1.2") == (False, "Exercise 1.2: wrong (fold 1 validates)")
    assert classroom.result(path, "9.9")[0] is False
    assert classroom.main(["result", str(path), "1.1"]) == 0
    assert classroom.main(["result", str(path), "1.2"]) == 1


def test_result_fails_every_exercise_of_an_ungradable_notebook_or_a_missing_record(tmp_path):
    path = _record(tmp_path, {"problem": "the file is empty", "exercises": {}})
    assert classroom.result(path, "1.1") == (False, "the notebook could not be graded: the file is empty")
    assert classroom.result(tmp_path / "absent.json", "1.1")[0] is False


def test_the_default_install_is_the_courses_repository():
    assert classroom.default_install().startswith("course_utils[grade] @ git+https://github.com/")


def test_the_export_command_writes_the_workflow(tmp_path, capsys):
    out = tmp_path / ".github" / "workflows" / "classroom.yml"
    assert classroom.main(["workflow", "--lesson", "1", "--install", INSTALL, "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["name"] == "Autograding"
    with pytest.raises(SystemExit):
        classroom.main(["workflow", "--lesson", "99", "--out", str(tmp_path / "x.yml")])


@pytest.mark.slow
def test_grading_once_then_reading_each_exercise(load_script, tmp_path, monkeypatch):
    path = load_script("make_submissions").write(tmp_path / "made", ["wrong.ipynb"])[0]
    with serve_course_data(None, tmp_path / "standin") as url:
        monkeypatch.setenv("COURSE_DATA", url)
        assert classroom.main(["grade", str(path), "--lesson", "1", "--out", str(tmp_path / "g.json")]) == 0
    assert classroom.result(tmp_path / "g.json", "1.1")[0] is False  # the wrong answer
    assert classroom.result(tmp_path / "g.json", "1.2") == (True, "Exercise 1.2: correct")
