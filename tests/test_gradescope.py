"""course_utils.grading.gradescope: the autograder zip, and results.json for every kind of submission."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from course_utils.grading import gradescope
from course_utils.grading.exercises import find_lesson
from course_utils.grading.grader import ExerciseResult, Graded, Limits
from course_utils.server import serve_course_data

LESSON = find_lesson("01_data")
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def _valid(results: dict) -> None:
    """What Gradescope requires of results.json, as its specification lists it."""
    assert results["output_format"] in FORMATS and results["visibility"] in VISIBILITY
    assert results["stdout_visibility"] in VISIBILITY and isinstance(results["execution_time"], int)
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output"} <= test.keys()
        assert test["status"] in ("passed", "failed") and test["output_format"] in FORMATS
        assert test["visibility"] in VISIBILITY and 0 <= test["score"] <= test["max_score"]
    assert results["score"] == sum(t["score"] for t in results["tests"])


def test_the_zip_holds_the_scripts_gradescope_runs_and_the_whole_package(tmp_path):
    out = tmp_path / "autograder.zip"
    names = gradescope.build_zip(LESSON, out, data="https://mirror.example/esc50")
    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == set(names)
        for script in ("setup.sh", "run_autograder"):
            info = archive.getinfo(script)
            assert stat.S_IMODE(info.external_attr >> 16) == 0o755, script
            assert archive.read(script).startswith(b"#!/usr/bin/env bash\n")
        config = json.loads(archive.read("config.json"))
    assert config["lesson"] == "01_data" and config["data"] == "https://mirror.example/esc50"
    package = gradescope.PACKAGE
    expected = {f"course/{p.relative_to(package.parent)}" for p in package.rglob("*")
                if p.suffix in (".py", ".json") and "__pycache__" not in p.parts}
    assert expected <= set(names)
    assert {"course/pyproject.toml", "course/README.md", "course/course_utils/grading/exercises.json"} <= set(names)


def test_setup_leaves_the_system_python_alone_and_run_autograder_always_leaves_results():
    assert "python3.11 -m venv /opt/course" in gradescope.SETUP_SH
    assert "update-alternatives" not in gradescope.SETUP_SH and "ln -s" not in gradescope.SETUP_SH
    assert "--user learner" in gradescope.RUN_AUTOGRADER
    assert "chmod 700 /autograder/source /autograder/results" in gradescope.RUN_AUTOGRADER
    assert "[ -s /autograder/results/results.json ] ||" in gradescope.RUN_AUTOGRADER


def test_results_give_a_test_per_exercise_with_its_feedback():
    graded = Graded(Path("x.ipynb"), LESSON, [ExerciseResult("1.1", "correct"),
                                             ExerciseResult("1.2", "wrong", "fold 1 must validate")])
    results = gradescope.results_json(graded, LESSON, 12.4)
    _valid(results)
    first, second = results["tests"]
    assert (first["status"], first["score"], second["status"], second["score"]) == ("passed", 1, "failed", 0)
    assert first["name"].startswith("Exercise 1.1 (") and second["output"] == "**wrong**: fold 1 must validate"
    assert results["score"] == 1 and results["execution_time"] == 12


def test_a_submission_that_cannot_be_graded_gets_one_failed_test_worth_every_point():
    results = gradescope.results_json(Graded(Path("x.txt"), problem="not a notebook (empty)"), LESSON, 1.0)
    _valid(results)
    [test] = results["tests"]
    assert test["status"] == "failed" and test["max_score"] == len(LESSON.exercises) and test["score"] == 0
    assert "not a notebook (empty)" in test["output"]


def _root(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "autograder"
    for name, content in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (root / "submission").mkdir(parents=True, exist_ok=True)
    return root


@pytest.mark.parametrize("files, reason", [
    ({}, "no notebook"),
    ({"answers.txt": "x"}, "no notebook"),
    ({"a.ipynb": "{}", "b.ipynb": "{}"}, "2 notebooks were submitted"),
    ({"01_data.ipynb": "not json"}, "not a notebook"),
])
def test_results_json_is_written_for_what_cannot_be_graded(tmp_path, files, reason):
    root = _root(tmp_path, files)
    gradescope.run(root, LESSON, None, Limits())
    results = json.loads((root / "results" / "results.json").read_text())
    _valid(results)
    assert reason in results["tests"][0]["output"] and results["score"] == 0


def test_results_json_is_written_even_when_the_grader_itself_fails(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(gradescope, "grade_submission", broken)
    root = _root(tmp_path, {"01_data.ipynb": "{}"})
    gradescope.run(root, LESSON, None, Limits())
    results = json.loads((root / "results" / "results.json").read_text())
    assert "the grader failed (MemoryError: out of memory)" in results["tests"][0]["output"]


@pytest.mark.slow
@pytest.mark.parametrize("submission, scores", [("honest.ipynb", [1, 1]), ("wrong.ipynb", [0, 1]),
                                                ("patched_check.ipynb", [0, 1]), ("other_lesson.ipynb", [0])])
def test_a_submission_is_graded_as_the_grade_command_grades_it(load_script, tmp_path, submission, scores):
    path = load_script("make_submissions").write(tmp_path / "made", [submission])[0]
    root = _root(tmp_path, {"notebook.ipynb": path.read_bytes()})
    with serve_course_data(None, tmp_path / "standin") as url:
        results = gradescope.run(root, LESSON, url, Limits(cell_seconds=60))
    _valid(results)
    assert [t["score"] for t in results["tests"]] == scores
    assert json.loads((root / "results" / "results.json").read_text()) == results


def test_the_export_command_writes_the_zip_and_refuses_an_unknown_lesson(tmp_path, capsys):
    assert gradescope.main(["build", "--lesson", "1", str(tmp_path / "a.zip")]) == 0
    assert zipfile.is_zipfile(tmp_path / "a.zip") and "lesson 01_data" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        gradescope.main(["build", "--lesson", "99", str(tmp_path / "b.zip")])
    assert not (tmp_path / "b.zip").exists()
