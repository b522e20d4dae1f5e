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
    assert (tmp_path / ".github" / "course.lock").read_text() == classroom.LOCK.read_text()
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


@pytest.mark.parametrize("name", sorted(lessons()))
def test_the_grading_step_has_the_time_the_grader_allows_and_a_failure_still_reports(name):
    lesson = find_lesson(name)
    seconds, minutes = classroom.time_limits(lesson)
    steps = yaml.safe_load(classroom.workflow(lesson, INSTALL))["jobs"]["run-autograding-tests"]["steps"]
    grading = next(s for s in steps if s.get("name", "").startswith("Grade "))
    assert grading["timeout-minutes"] == minutes and grading["run"].endswith(f"--time-limit {seconds}")
    assert minutes * 60 >= seconds + 120 * len(lesson.exercises)  # the notebook's time and every check's
    after = steps[steps.index(grading) + 1:]
    assert after and all(step["if"] == "always()" for step in after)  # exercises and reporter run after a failure


def test_a_three_exercise_lesson_gets_more_than_fifteen_minutes():
    assert classroom.time_limits(find_lesson("4"))[1] > 15 and len(find_lesson("4").exercises) == 3


def test_the_template_repository_holds_the_learners_copy_the_workflow_and_no_solution(tmp_path):
    import nbformat

    from course_utils import notebook_format as fmt
    from scripts.repo import LEARNER_COPIES, SOLUTIONS

    lesson = find_lesson("5")
    written = classroom.template(lesson, tmp_path / "repo", INSTALL)
    assert sorted(p.relative_to(tmp_path / "repo").as_posix() for p in written) == [
        ".github/course.lock", ".github/workflows/classroom.yml", "README.md", f"notebooks/{lesson.name}.ipynb"]
    everything = "".join(p.read_text() for p in written)
    assert fmt.BEGIN_SOLUTION not in everything and "solutions" not in everything
    solution = nbformat.read(SOLUTIONS / f"{lesson.name}.ipynb", as_version=4)
    answers = [fmt.remove_solution_markers(c.source) for c in solution.cells if fmt.has_solution(c.source)]
    assert answers and not any(answer.strip() in everything for answer in answers)
    assert (tmp_path / "repo" / "notebooks" / f"{lesson.name}.ipynb").read_bytes() == (
        LEARNER_COPIES / f"{lesson.name}.ipynb").read_bytes()
    with pytest.raises(ValueError, match="is not empty"):
        classroom.template(lesson, tmp_path / "repo", INSTALL)


def test_the_export_command_writes_a_template(tmp_path, capsys):
    assert classroom.main(["workflow", "--lesson", "1", "--install", INSTALL, "--template", str(tmp_path / "t")]) == 0
    assert (tmp_path / "t" / "notebooks" / "01_data.ipynb").is_file()
    assert "no solution" in capsys.readouterr().out


def test_the_install_takes_only_what_the_lock_pins_and_the_cache_is_keyed_on_it():
    from course_utils.grading.gradescope import PYTHON_VERSION, UV_VERSION

    steps = yaml.safe_load(classroom.workflow(find_lesson("1"), INSTALL))["jobs"]["run-autograding-tests"]["steps"]
    uv = next(s for s in steps if s.get("uses", "").startswith("astral-sh/setup-uv@"))
    assert uv["with"] == {"version": UV_VERSION, "enable-cache": True, "cache-dependency-glob": ".github/course.lock",
                          "prune-cache": True}
    install = next(s for s in steps if s.get("name", "").startswith("Install"))["run"].splitlines()
    venv = '"$RUNNER_TEMP/course/bin/python"'
    assert install == [f'uv venv --python {PYTHON_VERSION} "$RUNNER_TEMP/course"',
                       f"uv pip sync --python {venv} --require-hashes .github/course.lock",
                       f"uv pip install --python {venv} --no-deps --no-build-isolation {json.dumps(INSTALL)}",
                       'echo "$RUNNER_TEMP/course/bin" >> "$GITHUB_PATH"']


def test_a_failed_install_still_gives_every_exercise_a_failing_line(tmp_path):
    correct, line = classroom.result(tmp_path / "grading.json", "1.1")
    assert not correct and line.startswith("grader failed: no grading results")
