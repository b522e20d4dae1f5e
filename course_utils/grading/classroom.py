"""GitHub Classroom: a workflow that grades a learner's repository on every push, point by exercise.

    python -m course_utils export classroom --lesson 1        # writes .github/workflows/classroom.yml
    python -m course_utils export classroom --lesson 1 --template DIR   # a learner's template repository

The workflow installs the course, grades the lesson's notebook once (`... classroom grade`), then
runs one `autograding-command-grader` step per exercise (`... classroom result`, which passes only
if that exercise was correct) and hands them to `autograding-grading-reporter`, so Classroom shows
a point per exercise. The learner owns the repository, workflow included: this grades honest work
and shows learners their progress; it is no defence against a learner who edits the workflow.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tomllib
from pathlib import Path

from ..atomic import write_text_atomically
from .exercises import Lesson, NotALesson, find_lesson
from .grader import Limits, grade_submission
from .gradescope import PYTHON_VERSION, UV_VERSION

PACKAGE = Path(__file__).resolve().parents[1]
LOCK = Path(__file__).with_name("autograder.lock")  # the pinned, hashed environment Gradescope's image installs too
LOCK_IN_REPOSITORY = ".github/course.lock"  # where the workflow finds it, and keys uv's cache on it
RESULTS_FILE = "grading.json"
MARGIN_SECONDS = 120  # starting the grader, the kernel and the checks' processes


def runner_id(exercise_id: str) -> str:
    return "exercise-" + exercise_id.replace(".", "-")


def default_install() -> str:
    """The requirement for this release of the course (its tag), from pyproject.toml next to the package."""
    pyproject = PACKAGE.parent / "pyproject.toml"
    if not pyproject.is_file():
        raise ValueError("cannot tell where the course comes from (no pyproject.toml beside the package): "
                         "pass --install, e.g. 'course_utils[grade] @ git+https://github.com/OWNER/REPO@TAG'")
    settings = tomllib.loads(pyproject.read_text())
    repository, release = settings["tool"]["course"]["repository"], settings["project"]["version"]
    return f"course_utils[grade] @ git+{repository.rstrip('/')}@v{release}"


def time_limits(lesson: Lesson) -> tuple[int, int]:
    """(seconds for the notebook, minutes for the grading step) on GitHub's runner: the default 600 s,
    or twice the lesson's measured two-core grading time where that is longer (resources.json), then
    each check's limit and a margin."""
    from .gradescope import measured

    two_cores = measured(lesson).get("2", {}).get("seconds", 0)
    notebook = max(int(Limits().submission_seconds), math.ceil(2 * two_cores))
    return notebook, math.ceil((notebook + Limits().check_seconds * len(lesson.exercises) + MARGIN_SECONDS) / 60)


def workflow(lesson: Lesson, install: str, data: str = "esc50") -> str:
    """.github/workflows/classroom.yml for `lesson`'s notebook in notebooks/. Every exercise's step and
    the reporter run even when installing or grading failed, so a score (0 then) always reaches Classroom."""
    notebook = f"notebooks/{lesson.name}.ipynb"
    seconds, minutes = time_limits(lesson)
    steps = [f"""\
    - name: Check out the learner's work
      uses: actions/checkout@v4
    - name: Set up uv, with its cache kept while the lock file is unchanged
      uses: astral-sh/setup-uv@v7
      with:
        version: "{UV_VERSION}"
        enable-cache: true
        cache-dependency-glob: {LOCK_IN_REPOSITORY}
        prune-cache: true  # keeps what uv built; PyPI's wheels download faster than a cache restores
    - name: Install Python {PYTHON_VERSION} and the course (every package pinned, with its hash)
      run: |
        uv venv --python {PYTHON_VERSION} "$RUNNER_TEMP/course"
        uv pip sync --python "$RUNNER_TEMP/course/bin/python" --require-hashes {LOCK_IN_REPOSITORY}
        uv pip install --python "$RUNNER_TEMP/course/bin/python" --no-deps --no-build-isolation {json.dumps(install)}
        echo "$RUNNER_TEMP/course/bin" >> "$GITHUB_PATH"
    - name: Grade {notebook}
      timeout-minutes: {minutes}
      env:
        COURSE_DATA: {json.dumps(data)}
      run: python -m course_utils.grading.classroom grade {notebook} --lesson {lesson.name} --out {RESULTS_FILE} --time-limit {seconds}"""]
    for exercise in lesson.exercises:
        steps.append(f"""\
    - name: Exercise {exercise.id}
      id: {runner_id(exercise.id)}
      if: always()
      uses: classroom-resources/autograding-command-grader@v1
      with:
        test-name: Exercise {exercise.id} ({exercise.check_function})
        command: python -m course_utils.grading.classroom result {RESULTS_FILE} {exercise.id}
        timeout: 1
        max-score: 1""")
    runners = [runner_id(e.id) for e in lesson.exercises]
    results = "\n".join(f'        {r.upper()}_RESULTS: "${{{{steps.{r}.outputs.result}}}}"' for r in runners)
    steps.append(f"""\
    - name: Report the points
      if: always()
      uses: classroom-resources/autograding-grading-reporter@v1
      env:
{results}
      with:
        runners: {",".join(runners)}""")
    return f"""\
# Grades {notebook} on every push: a point per exercise ({len(lesson.exercises)} in all).
# Written by `python -m course_utils export classroom --lesson {lesson.name}`.
name: Autograding
"on":  # quoted: YAML 1.1 reads a bare on as true
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
""" + "\n".join(steps) + "\n"


LEARNER_README = """# {title}

Your work for this assignment: open `notebooks/{name}.ipynb` (in JupyterLab, or in Colab from
GitHub), answer each exercise in place of `raise NotImplementedError`, and run the check cell
under it: it tells you whether your code is right, and never stops the notebook.

Every time you push, GitHub grades the notebook as your instructor will (the Actions tab shows
it): one point per exercise whose check says correct. Commit the notebook with your answers; its
outputs do not count, your code does.
"""


def template(lesson: Lesson, folder: Path, install: str, data: str = "esc50") -> list[Path]:
    """A learner's template repository for `lesson` in `folder` (new or empty): the learner's copy of
    the notebook, the grading workflow with its lock file, and a short README; no solution."""
    from ..notebook_format import BEGIN_SOLUTION

    learner_copy = PACKAGE.parent / "notebooks" / f"{lesson.name}.ipynb"
    if not learner_copy.is_file():
        raise ValueError(f"no learner's copy at {learner_copy}: export the template from a clone of the course")
    if folder.exists() and any(folder.iterdir()):
        raise ValueError(f"{folder} is not empty: the template goes into a new folder")
    files = {f"notebooks/{lesson.name}.ipynb": learner_copy.read_text(encoding="utf-8"),
             ".github/workflows/classroom.yml": workflow(lesson, install, data),
             LOCK_IN_REPOSITORY: LOCK.read_text(),
             "README.md": LEARNER_README.format(title=lesson.title, name=lesson.name)}
    if any(BEGIN_SOLUTION in text for text in files.values()):
        raise ValueError(f"{learner_copy} holds a solution: run python -m scripts.build_notebooks")
    written = []
    for relative, text in files.items():
        write_text_atomically(folder / relative, text)
        written.append(folder / relative)
    return written


def grade(notebook: Path, lesson: Lesson, out: Path, limits: Limits = Limits()) -> dict:
    """Grade `notebook` once and write each exercise's result (or why it could not be graded) to `out`."""
    graded = grade_submission(notebook, os.environ.get("COURSE_DATA"), limits, expected=lesson)
    record = {"problem": graded.problem,
              "exercises": {r.exercise: {"result": r.result, "detail": r.detail} for r in graded.results}}
    write_text_atomically(out, json.dumps(record, indent=2) + "\n")
    return record


def result(record_file: Path, exercise_id: str) -> tuple[bool, str]:
    """(whether the exercise was correct, a line for the learner) from what `grade` wrote."""
    try:
        record = json.loads(record_file.read_text())
    except (OSError, ValueError) as error:
        return False, f"grader failed: no grading results ({error}); see the steps that install and grade"
    if record["problem"]:
        return False, f"the notebook could not be graded: {record['problem']}"
    found = record["exercises"].get(exercise_id)
    if found is None:
        return False, f"exercise {exercise_id} is not in the results"
    line = f"Exercise {exercise_id}: {found['result']}" + (f" ({found['detail']})" if found["detail"] else "")
    return found["result"] == "correct", line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.grading.classroom", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("workflow", help="write the workflow for one lesson")
    export.add_argument("--lesson", required=True, help="e.g. 01_data or 1")
    export.add_argument("--install", help="the course's requirement (default: the course's repository, from pyproject.toml)")
    export.add_argument("--data", default="esc50", help='COURSE_DATA while grading: "esc50" (default) or a mirror URL')
    export.add_argument("--out", type=Path, default=Path(".github/workflows/classroom.yml"),
                        help=f"the workflow; its lock file goes to {LOCK_IN_REPOSITORY} in the same repository")
    export.add_argument("--template", type=Path, metavar="DIR",
                        help="write a learner's template repository here instead: notebook, workflow, README")
    grading = commands.add_parser("grade", help="grade the notebook once (the workflow's grading step)")
    grading.add_argument("notebook", type=Path)
    grading.add_argument("--lesson", required=True)
    grading.add_argument("--out", type=Path, default=Path(RESULTS_FILE))
    grading.add_argument("--time-limit", type=float, default=Limits().submission_seconds,
                         help="seconds for running the notebook (the workflow sets it per lesson)")
    one = commands.add_parser("result", help="pass if one exercise was correct (one step per exercise)")
    one.add_argument("record", type=Path)
    one.add_argument("exercise")
    args = parser.parse_args(argv)
    try:
        lesson = find_lesson(args.lesson) if args.command != "result" else None
        if args.command == "workflow" and args.template:
            written = template(lesson, args.template, args.install or default_install(), args.data)
            print(f"{args.template}: a template repository for {lesson.name} ({len(written)} files, no solution)")
            return 0
        if args.command == "workflow":
            out = args.out.resolve()
            lock = (out.parents[2] if out.parent.match(".github/workflows") else Path.cwd()) / LOCK_IN_REPOSITORY
            write_text_atomically(args.out, workflow(lesson, args.install or default_install(), args.data))
            write_text_atomically(lock, LOCK.read_text())
            print(f"{args.out}: grades notebooks/{lesson.name}.ipynb, {len(lesson.exercises)} exercises; "
                  f"installs what {lock} pins (commit both)")
            return 0
    except (NotALesson, ValueError) as error:
        parser.error(str(error))
    if args.command == "grade":
        record = grade(args.notebook, lesson, args.out, Limits(submission_seconds=args.time_limit))
        print(record["problem"] or "; ".join(f"{k}: {v['result']}" for k, v in record["exercises"].items()))
        return 0
    correct, line = result(args.record, args.exercise)
    print(line)
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
