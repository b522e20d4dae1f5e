"""Gradescope's autograder for one lesson: the zip to upload, and what runs inside it.

    python -m course_utils export gradescope --lesson 1 autograder-01.zip

Gradescope unzips the file into /autograder/source and runs its setup.sh once, when it builds the
image (pinned Python and packages from the hashed lock files; the lesson's clips fetched into
/opt/course-data); then, for every submission, its run_autograder, offline, with the learner's files in
/autograder/submission. That runs `python -m course_utils.grading.gradescope run`, which grades the
one notebook there with the course's grader (pristine checks, time limits inside Gradescope's) and
always writes /autograder/results/results.json: one test per exercise, or one failed test that
says why the notebook could not be graded.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import stat
import sys
import time
import zipfile
from pathlib import Path

from ..atomic import atomic_path, write_text_atomically
from ..constants import METADATA_PATH
from .exercises import Lesson, NotALesson, find_lesson
from .grader import Graded, Limits, find_submissions, grade_submission

PACKAGE = Path(__file__).resolve().parents[1]
RESOURCES = Path(__file__).with_name("resources.json")  # measured by benchmarks/grading_lessons.py
MARGIN_SECONDS = 60  # inside Gradescope's timeout: starting Python, reading the notebook, writing results
CHECK_SECONDS = 90  # for each check, run after the notebook on the answer it handed over
GRADESCOPE_MAX_MINUTES = 40  # the longest autograder timeout Gradescope allows
LEARNER = "learner"  # the unprivileged user setup.sh creates; the learner's code runs as it
VENV = "/opt/course"

PYTHON_VERSION = "3.11.18"  # CPython for the course, installed by uv (not Ubuntu's 3.11 release candidate)
UV_VERSION = "0.13.9"  # installs that Python and the lock; scripts/lock_autograder.py pins both lock files with it
PREFETCHED = "/opt/course-data"  # the lesson's clips (and weights), fetched when the image is built
LOCKS = ("autograder.lock", "autograder-uv.lock")  # beside this module; written by scripts/lock_autograder.py


def setup_script(lesson: Lesson, data: str) -> str:
    """setup.sh for `lesson`, which prefetches its clips from `data`."""
    return f"""\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the image (Ubuntu 22.04). Everything is pinned: uv from
# its hashed lock, CPython {PYTHON_VERSION} (uv checks the download against the SHA-256 it carries), every
# package from the course's hashed lock, and the course from this zip. Then the lesson's clips are
# fetched once, so that grading needs no network. The system's python3 stays as it is (Gradescope's
# harness uses it).
set -euo pipefail
source=/autograder/source
locks="$source/course/course_utils/grading"
export UV_PYTHON_INSTALL_DIR=/opt/uv-python UV_NO_CACHE=1
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip > /dev/null
python3 -m pip install --quiet --no-deps --require-hashes -r "$locks/{LOCKS[1]}"
python3 -m uv python install {PYTHON_VERSION}
python3 -m uv venv --python {PYTHON_VERSION} {VENV}
python3 -m uv pip sync --python {VENV}/bin/python --require-hashes "$locks/{LOCKS[0]}"
python3 -m uv pip install --python {VENV}/bin/python --no-deps --no-build-isolation "$source/course"
python3 -m uv pip freeze --python {VENV}/bin/python > "$source/environment.txt"
id -u {LEARNER} > /dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin {LEARNER}
{VENV}/bin/python -m course_utils.grading.prefetch --lesson {lesson.name} --source {shlex.quote(data)} {PREFETCHED}
"""


RUN_AUTOGRADER = f"""\
#!/usr/bin/env bash
# Gradescope runs this for every submission. The learner's code runs as the user {LEARNER}, who
# cannot read the autograder's source or results; results.json is written even if all else fails.
# (The four variables are for trying it outside Gradescope: tests/test_gradescope.py does.)
root="${{AUTOGRADER_ROOT:-/autograder}}"
venv="${{COURSE_VENV:-{VENV}}}"
learner="${{COURSE_LEARNER:-{LEARNER}}}"
prefetched="${{COURSE_PREFETCHED:-{PREFETCHED}}}"
chmod 700 "$root/source" "$root/results"
"$venv/bin/python" -m course_utils.grading.gradescope run --config "$root/source/config.json" \\
    --root "$root" --user "$learner" --prefetched "$prefetched"
[ -s "$root/results/results.json" ] || printf '%s\\n' \\
    '{{"score": 0, "output": "The autograder could not start; please tell your instructor.", "tests": []}}' \\
    > "$root/results/results.json"
"""


def test_name(exercise_id: str, check: str) -> str:
    return f"Exercise {exercise_id} ({check})"


def results_json(graded: Graded, lesson: Lesson, seconds: float) -> dict:
    """Gradescope's results.json for one graded submission: a test per exercise, 1 point each,
    or, if the notebook could not be graded, one failed test worth them all that says why."""
    out_of = len(lesson.exercises)
    common = {"output_format": "md", "visibility": "visible"}
    if graded.problem:
        tests = [{"name": "Not graded", "number": "0", "score": 0, "max_score": out_of, "status": "failed",
                  "output": f"This submission could not be graded: {graded.problem}.", **common}]
    else:
        checks = {e.id: e.check_function for e in lesson.exercises}
        tests = [{"name": test_name(r.exercise, checks[r.exercise]), "number": r.exercise,
                  "score": int(r.result == "correct"), "max_score": 1,
                  "status": "passed" if r.result == "correct" else "failed",
                  "output": f"**{r.result}**" + (f": {r.detail}" if r.detail else ""), **common}
                 for r in graded.results]
    score = sum(t["score"] for t in tests)
    notes = "".join(f"\n- {note}" for note in graded.notes)
    return {"score": score, "execution_time": round(seconds),
            "output": f"Lesson {lesson.title}: {score} of {out_of} exercises correct." + (
                f"\n\nWhile grading:{notes}" if notes else ""),
            "output_format": "md", "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def the_notebook(submission: Path) -> Path | str:
    """The one notebook in the submission folder, or why there is none to grade."""
    found = find_submissions([submission])
    if not found:
        return "no notebook (.ipynb file) was submitted; upload the lesson's notebook"
    if len(found) > 1:
        return f"{len(found)} notebooks were submitted ({', '.join(p.name for p in found)}); upload only the lesson's"
    return found[0]


def run(root: Path, lesson: Lesson, data: str | None, limits: Limits) -> dict:
    """Grade the submission under `root` (Gradescope's /autograder) and write results/results.json there."""
    start = time.monotonic()
    try:
        notebook = the_notebook(root / "submission")
        if isinstance(notebook, str):
            graded = Graded(root / "submission", problem=notebook)
        else:
            graded = grade_submission(notebook, data, limits, expected=lesson)
    except Exception as error:  # noqa: BLE001  (whatever happens, the learner gets results.json)
        graded = Graded(root / "submission", problem=f"the grader failed ({type(error).__name__}: {error})")
    results = results_json(graded, lesson, time.monotonic() - start)
    write_text_atomically(root / "results" / "results.json", json.dumps(results, indent=2) + "\n")
    return results


def gradescope_settings(one_core_seconds: float, peak_mib: float, n_exercises: int) -> dict:
    """What to set on Gradescope: CPUs and a timeout (half a vCPU, its default, unless that would need
    more than its longest timeout), and memory with a quarter's headroom."""
    for cpus, slowdown in ((0.5, 2), (1, 1)):
        seconds = one_core_seconds * slowdown * 1.5 + CHECK_SECONDS * n_exercises + MARGIN_SECONDS
        minutes = max(10, math.ceil(seconds / 60))
        if minutes <= GRADESCOPE_MAX_MINUTES:
            break
    memory = max(768, 256 * math.ceil(peak_mib * 1.25 / 256))
    return {"cpus": cpus, "timeout_minutes": minutes, "memory_mb": memory}


def measured(lesson: Lesson) -> dict:
    """What benchmarks/grading_lessons.py measured for `lesson` (by core count, and "gradescope"), or {}."""
    lessons = json.loads(RESOURCES.read_text())["lessons"] if RESOURCES.exists() else {}
    return lessons.get(lesson.name, {})


def suggested(lesson: Lesson) -> dict:
    """Gradescope's settings for `lesson` as measured (cpus, timeout_minutes, memory_mb), else its defaults."""
    defaults = {"cpus": 0.5, "timeout_minutes": 10, "memory_mb": 768}
    return measured(lesson).get("gradescope", defaults)


def limits_within(minutes: float, lesson: Lesson) -> Limits:
    """The grader's limits inside a Gradescope timeout of `minutes`: each check its share, the notebook the rest."""
    notebook = minutes * 60 - MARGIN_SECONDS - CHECK_SECONDS * len(lesson.exercises)
    if notebook < 60:
        raise ValueError(f"a timeout of {minutes:g} minutes leaves the notebook of lesson {lesson.name} "
                         f"{notebook:g} s; allow at least {math.ceil((60 - notebook) / 60 + minutes)} minutes")
    # No cell limit of its own: on half a vCPU one cell of lesson 8 takes more than the usual 300 s.
    return Limits(submission_seconds=notebook, cell_seconds=notebook, check_seconds=CHECK_SECONDS)


ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # every entry's date, so that one commit always gives the same bytes


def _entry(name: str, executable: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def build_zip(lesson: Lesson, out: Path, data: str = "esc50", limits: Limits = Limits()) -> list[str]:
    """Write Gradescope's autograder zip for `lesson`; the names it holds. `data` is where setup.sh
    fetches the lesson's clips from when the image is built: "esc50" (the real clips) or a mirror URL."""
    config = {"lesson": lesson.name, "data": data, "prefetched": PREFETCHED,
              "submission_seconds": limits.submission_seconds, "cell_seconds": limits.cell_seconds,
              "check_seconds": limits.check_seconds}
    package = [p for p in sorted(PACKAGE.rglob("*")) if p.is_file() and (p.suffix in (".py", ".json") or p.name in LOCKS)
               and "__pycache__" not in p.parts]
    with atomic_path(out) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        archive.writestr(_entry("setup.sh", executable=True), setup_script(lesson, data))
        archive.writestr(_entry("run_autograder", executable=True), RUN_AUTOGRADER)
        archive.writestr(_entry("config.json"), json.dumps(config, indent=2) + "\n")
        for name in ("pyproject.toml", "README.md"):  # what pip needs to install the package
            archive.writestr(_entry(f"course/{name}"), (PACKAGE.parent / name).read_bytes())
        for path in package:
            archive.writestr(_entry(f"course/{path.relative_to(PACKAGE.parent).as_posix()}"), path.read_bytes())
        names = archive.namelist()
    return names


def grading_data(config: dict, prefetched: Path | None) -> str:
    """What COURSE_DATA is while grading: $COURSE_DATA if set, else the folder setup.sh prefetched
    (no network needed), else the config's source (each submission downloads its clips)."""
    if os.environ.get("COURSE_DATA"):
        return os.environ["COURSE_DATA"]
    if prefetched and (prefetched / METADATA_PATH).is_file():
        return str(prefetched)
    return config["data"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils.grading.gradescope", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="write the autograder zip for one lesson")
    build.add_argument("--lesson", required=True, help="e.g. 01_data or 1")
    build.add_argument("--data", default="esc50", help='where setup.sh fetches the clips from when Gradescope builds the '
                       'image: "esc50" (default) or a mirror URL; grading then needs no network')
    build.add_argument("--timeout", type=float, default=None, metavar="MINUTES",
                       help="the autograder timeout set on Gradescope (default: the lesson's measured need, "
                            "course_utils/grading/resources.json); the grader's limits are set inside it")
    build.add_argument("out", type=Path)
    grade = commands.add_parser("run", help="grade the submission inside Gradescope (run_autograder calls this)")
    grade.add_argument("--config", type=Path, required=True)
    grade.add_argument("--root", type=Path, default=Path("/autograder"))
    grade.add_argument("--user", default=None, help="run the learner's code as this user")
    grade.add_argument("--prefetched", type=Path, default=None, help="the folder setup.sh filled with the lesson's clips")
    args = parser.parse_args(argv)
    if args.command == "build":
        try:
            lesson = find_lesson(args.lesson)
        except NotALesson as error:
            parser.error(str(error))
        need = suggested(lesson)
        minutes = args.timeout or need["timeout_minutes"]
        try:
            limits = limits_within(minutes, lesson)
        except ValueError as error:
            parser.error(str(error))
        names = build_zip(lesson, args.out, args.data, limits)
        print(f"{args.out}: Gradescope autograder for lesson {lesson.name} ({len(names)} files); "
              f"the clips fetched from {args.data} when the image is built.\nOn Gradescope, set the autograder's timeout to "
              f"{minutes:g} minutes, its memory to at least {need['memory_mb']} MB and its CPUs to at least "
              f"{need['cpus']:g} (its defaults: 10 minutes, 768 MB, 0.5); the notebook may run "
              f"{limits.submission_seconds:g} s, then each check {limits.check_seconds:g} s.")
        return 0
    config = json.loads(args.config.read_text())
    limits = Limits(config["submission_seconds"], config["cell_seconds"], config["check_seconds"], user=args.user)
    results = run(args.root, find_lesson(config["lesson"]), grading_data(config, args.prefetched), limits)
    print(results["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
