"""course_utils.grading.gradescope: the autograder zip, and results.json for every kind of submission."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import nbformat
import pytest

from course_utils.grading import gradescope
from course_utils.grading.exercises import find_lesson, lessons
from course_utils.grading.gradebook import gradebook_csv
from course_utils.grading.grader import ExerciseResult, Graded, Limits
from course_utils.grading.prefetch import prefetch, readable_by_all
from course_utils.server import serve_course_data

LESSON = find_lesson("01_data")
SCHEMA = json.loads((Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text())


def _valid(results: dict) -> None:
    """What Gradescope requires of results.json (its specification, as a JSON Schema), and a sum that adds up."""
    jsonschema.validate(results, SCHEMA)
    assert all(0 <= t["score"] <= t["max_score"] for t in results["tests"])
    assert results["score"] == sum(t["score"] for t in results["tests"])


def test_the_schema_refuses_what_gradescope_would_not_take():
    good = {"score": 1, "output": "", "tests": [{"name": "a", "score": 1, "max_score": 1, "status": "passed",
                                                  "output": ""}]}
    jsonschema.validate(good, SCHEMA)
    for bad in ({**good, "visibility": "public"}, {**good, "tests": [{**good["tests"][0], "status": "ok"}]},
                {**good, "tests": [{**good["tests"][0], "max_scor": 1}]}, {"output": "", "score": 0}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, SCHEMA)


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


def test_setup_leaves_the_system_python_alone_and_both_scripts_parse(tmp_path):
    setup = gradescope.setup_script(LESSON, "esc50")
    assert f"uv venv --python {gradescope.PYTHON_VERSION} /opt/course" in setup
    assert "update-alternatives" not in setup and "ln -s" not in setup
    for name, script in (("setup.sh", setup), ("run_autograder", gradescope.RUN_AUTOGRADER)):
        (tmp_path / name).write_text(script)
        checked = subprocess.run(["bash", "-n", str(tmp_path / name)], capture_output=True, text=True)
        assert checked.returncode == 0 and checked.stderr == "", (name, checked.stderr)


def _installs(script: str) -> list[str]:
    return [line for line in script.splitlines() if re.search(r"\b(pip|uv|apt-get) .*\binstall\b|\bsync\b", line)]


def test_setup_installs_only_from_the_hashed_locks_a_pinned_python_and_the_zips_own_course():
    setup = gradescope.setup_script(find_lesson("7"), "https://mirror.example/esc50")
    locks = '"$source/course/course_utils/grading'
    assert _installs(setup) == [
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip > /dev/null",
        f'python3 -m pip install --quiet --no-deps --require-hashes -r "$locks/autograder-uv.lock"',
        f"python3 -m uv python install {gradescope.PYTHON_VERSION}",
        f'python3 -m uv pip sync --python /opt/course/bin/python --require-hashes "$locks/autograder.lock"',
        'python3 -m uv pip install --python /opt/course/bin/python --no-deps --no-build-isolation "$source/course"']
    assert f'locks={locks}"' in setup and "index-url" not in setup and "torch" not in setup
    assert re.fullmatch(r"3\.11\.\d+", gradescope.PYTHON_VERSION)
    assert setup.rstrip().endswith("prefetch --lesson 07_transfer_learning --source "
                                   "https://mirror.example/esc50 /opt/course-data")
    assert "--source 'a b; rm -rf /'" in gradescope.setup_script(LESSON, "a b; rm -rf /")  # quoted for the shell
    lock = (gradescope.PACKAGE / "grading" / "autograder.lock").read_text()
    assert f"CPython {gradescope.PYTHON_VERSION};" in lock.splitlines()[1]
    assert f"uv=={gradescope.UV_VERSION} " in (gradescope.PACKAGE / "grading" / "autograder-uv.lock").read_text()


def test_two_exports_of_one_commit_are_byte_identical_and_carry_the_locks(tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    gradescope.build_zip(LESSON, first)
    (gradescope.PACKAGE / "grading" / "autograder.lock").touch()  # a newer date on disk changes nothing
    gradescope.build_zip(LESSON, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        for name in gradescope.LOCKS:
            assert archive.read(f"course/course_utils/grading/{name}") == (gradescope.PACKAGE / "grading" / name).read_bytes()


def _emulated_root(files: dict[str, bytes], lesson=LESSON, limits: Limits = Limits(cell_seconds=60)) -> Path:
    """Gradescope's /autograder in a fresh folder anyone may enter, as readable as Gradescope leaves it:
    only run_autograder's own chmod may keep the learner out of source/ and results/."""
    root = Path(tempfile.mkdtemp(prefix="autograder-", dir="/tmp"))
    root.chmod(0o755)
    gradescope.build_zip(lesson, root / "autograder.zip", limits=limits)
    with zipfile.ZipFile(root / "autograder.zip") as archive:
        archive.extractall(root / "source")
    for name in ("submission", "results"):
        (root / name).mkdir()
    for name, content in files.items():
        (root / "submission" / name).write_bytes(content)
    readable_by_all(root)
    return root


def _a_venv_the_learner_can_run(learner: str, folder: Path) -> str:
    """This environment's prefix if `learner` can run its Python; else a virtual environment of the
    system's Python of the same version (as /opt/course is on Gradescope) that sees this one's packages.
    (pyenv's Pythons live under /root, where an unprivileged user cannot go.)"""
    try:
        subprocess.run([sys.executable, "-c", "0"], user=learner, check=True, capture_output=True, cwd="/tmp")
        return sys.prefix
    except (PermissionError, subprocess.CalledProcessError):
        pass
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    system = next((p for p in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}") if os.access(p, os.X_OK)),
                  None)
    if system is None:
        pytest.skip(f"{learner} cannot run {sys.executable}, and there is no system Python {version} to use instead")
    subprocess.run([system, "-m", "venv", "--without-pip", str(folder)], check=True, capture_output=True)
    packages = sysconfig.get_paths()["purelib"]
    (folder / "lib" / f"python{version}" / "site-packages" / "course.pth").write_text(
        f"import site; site.addsitedir({packages!r})\n")
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    return str(folder)


def _run_autograder(root: Path, url: str | None, learner: str, prefetched: Path | None = None) -> dict:
    """run_autograder on `root`; with `prefetched` instead of `url`, in a network namespace of its own
    where only its own loopback works (no other host, and not this machine's servers)."""
    venv = _a_venv_the_learner_can_run(learner, root / "venv")
    env = {k: v for k, v in os.environ.items() if k != "COURSE_DATA"} | {
        "AUTOGRADER_ROOT": str(root), "COURSE_VENV": venv, "COURSE_LEARNER": learner}
    command = ["bash", str(root / "source" / "run_autograder")]
    if url:
        env["COURSE_DATA"] = url
    if prefetched:
        env["COURSE_PREFETCHED"] = str(prefetched)
        if not (shutil.which("unshare") and shutil.which("ip")):
            pytest.skip("blocking the network needs unshare (util-linux) and ip (iproute2)")
        command = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
    return json.loads((root / "results" / "results.json").read_text())


def _a_learner_account() -> str:
    """An unprivileged user to run learners' code as; this needs root, as Gradescope's run_autograder has."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("switching to an unprivileged user needs root and useradd (Gradescope's image has both)")
    import pwd  # POSIX only, as is what needs it

    name = "course-learner-test"
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    return name


PRYING = """import pathlib
ROOT = pathlib.Path({root!r})
"""


@pytest.mark.slow
def test_in_the_emulated_autograder_the_learners_code_cannot_reach_its_files(load_script, prefetched):
    learner = _a_learner_account()
    made = load_script("make_submissions")
    notebook = made.answered({"1.1": made.WRONG_SPLIT})
    root = _emulated_root({})
    new = nbformat.v4.new_code_cell
    notebook.cells[1:1] = [
        new(PRYING.format(root=str(root))),
        new("print((ROOT / 'source' / 'course' / 'course_utils' / 'checks.py').read_text()[:80])"),
        new("print((ROOT / 'source' / 'config.json').read_text())"),
        new("(ROOT / 'results' / 'results.json').write_text('{\"score\": 100, \"output\": \"\", \"tests\": []}')"),
        new("import os\nprint(os.getuid())")]
    (root / "submission" / "prying.ipynb").write_bytes(nbformat.writes(notebook).encode())
    try:
        results = _run_autograder(root, None, learner, prefetched=prefetched)  # the network blocked
    finally:
        shutil.rmtree(root, ignore_errors=True)
    _valid(results)
    assert [t["score"] for t in results["tests"]] == [0, 1], [t["output"] for t in results["tests"]]  # the wrong answer, graded as such
    for attempt in ("source/course/course_utils/checks.py", "source/config.json", "results/results.json"):
        assert f"PermissionError: [Errno 13] Permission denied: '{root}/{attempt}'" in results["output"], attempt


def test_grading_reads_the_prefetched_folder_unless_course_data_says_otherwise(tmp_path, monkeypatch):
    config = {"data": "esc50"}
    monkeypatch.delenv("COURSE_DATA", raising=False)
    assert gradescope.grading_data(config, tmp_path) == "esc50"  # nothing prefetched there: each download
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / "esc50.csv").write_text("filename\n")
    assert gradescope.grading_data(config, tmp_path) == str(tmp_path)
    assert gradescope.grading_data(config, None) == "esc50"
    monkeypatch.setenv("COURSE_DATA", "http://127.0.0.1:9/")
    assert gradescope.grading_data(config, tmp_path) == "http://127.0.0.1:9/"


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


COMPARED = ["honest.ipynb", "wrong.ipynb", "patched_check.ipynb", "other_lesson.ipynb"]


@pytest.fixture(scope="module")
def course_data(tmp_path_factory):
    with serve_course_data(None, tmp_path_factory.mktemp("standin")) as url:
        yield url


@pytest.fixture(scope="module")
def gradebook(graded_submissions) -> dict[str, dict[str, str]]:
    """grade's gradebook rows of the compared submissions (graded once in conftest): file name -> row."""
    rows = gradebook_csv([graded_submissions[name] for name in COMPARED])
    return {row["submission"]: row for row in csv.DictReader(io.StringIO(rows))}


@pytest.fixture(scope="module")
def prefetched(course_data):
    """The lesson's clips as setup.sh prefetches them, where an unprivileged user may read them."""
    folder = Path(tempfile.mkdtemp(prefix="course-data-", dir="/tmp"))
    folder.chmod(0o755)
    prefetch(LESSON, course_data, folder / "data")
    yield folder / "data"
    shutil.rmtree(folder, ignore_errors=True)


def _root_user_available() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and all(map(shutil.which, ("useradd", "unshare", "ip")))


@pytest.mark.slow
@pytest.mark.parametrize("submission", COMPARED)
def test_with_the_network_blocked_a_submission_gets_the_score_grade_gives_it(load_script, tmp_path, prefetched,
                                                                             gradebook, submission):
    """As root (as on Gradescope): the real run_autograder, as the learner's user, in a network namespace
    of its own; otherwise the same grading in this process, from the prefetched folder."""
    path = load_script("make_submissions").write(tmp_path / "made", [submission])[0]
    if _root_user_available():
        root = _emulated_root({"notebook.ipynb": path.read_bytes()})
        try:
            results = _run_autograder(root, None, _a_learner_account(), prefetched=prefetched)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    else:
        root = _root(tmp_path, {"notebook.ipynb": path.read_bytes()})
        results = gradescope.run(root, LESSON, gradescope.grading_data({"data": "esc50"}, prefetched),
                                 Limits(cell_seconds=60))
        assert json.loads((root / "results" / "results.json").read_text()) == results
    _valid(results)
    row = gradebook[submission]  # graded by `grade` with the stand-in served, as the truth
    if row["lesson"] != LESSON.name:  # another lesson: one failed test, no exercise of lesson 1 graded
        assert [t["score"] for t in results["tests"]] == [0] and results["tests"][0]["name"] == "Not graded"
        return
    assert {t["number"]: t["score"] for t in results["tests"]} == {e.id: int(row[e.id] == "correct")
                                                                    for e in LESSON.exercises}, results["output"]
    # and nothing went differently on the way (a clip the learner's user could not read, a cell cut short)
    assert ("While grading:" in results["output"]) == bool(row["notes"]), (results["output"], row["notes"])


def test_the_export_command_writes_the_zip_and_refuses_an_unknown_lesson(tmp_path, capsys):
    assert gradescope.main(["build", "--lesson", "1", str(tmp_path / "a.zip")]) == 0
    assert zipfile.is_zipfile(tmp_path / "a.zip") and "lesson 01_data" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        gradescope.main(["build", "--lesson", "99", str(tmp_path / "b.zip")])
    assert not (tmp_path / "b.zip").exists()


def test_every_lesson_has_its_measured_needs_and_the_zip_fits_inside_them(tmp_path, capsys):
    measured = json.loads(gradescope.RESOURCES.read_text())
    assert set(measured["lessons"]) == set(lessons())
    for name, figures in measured["lessons"].items():
        lesson = find_lesson(name)
        need = gradescope.suggested(lesson)
        peak = max(m["peak_mib"] for k, m in figures.items() if k != "gradescope")
        assert need == figures["gradescope"] == gradescope.gradescope_settings(figures["1"]["seconds"], peak, len(lesson.exercises))
        assert need["memory_mb"] >= peak
        limits = gradescope.limits_within(need["timeout_minutes"], lesson)
        total = limits.submission_seconds + limits.check_seconds * len(lesson.exercises) + gradescope.MARGIN_SECONDS
        slowdown = 1 / need["cpus"]  # Gradescope's CPUs against one core here
        assert total == need["timeout_minutes"] * 60 <= 40 * 60
        assert limits.submission_seconds >= slowdown * figures["1"]["seconds"]
    assert gradescope.main(["build", "--lesson", "8", str(tmp_path / "08.zip")]) == 0
    printed = capsys.readouterr().out
    need = gradescope.suggested(find_lesson("8"))
    assert (f"set the autograder's timeout to {need['timeout_minutes']} minutes, its memory to at least "
            f"{need['memory_mb']} MB and its CPUs to at least {need['cpus']:g}") in printed
    with zipfile.ZipFile(tmp_path / "08.zip") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["submission_seconds"] == gradescope.limits_within(need["timeout_minutes"], find_lesson("8")).submission_seconds


def test_a_timeout_too_short_for_the_lesson_is_refused_with_what_would_do(tmp_path):
    with pytest.raises(ValueError, match="leaves the notebook of lesson 07_transfer_learning 0 s; allow at least 5 minutes"):
        gradescope.limits_within(4, find_lesson("7"))
    with pytest.raises(SystemExit):
        gradescope.main(["build", "--lesson", "7", "--timeout", "4", str(tmp_path / "07.zip")])
    assert not (tmp_path / "07.zip").exists()


def test_the_instructors_table_shows_the_measured_figures():
    text = (gradescope.PACKAGE.parent / "docs" / "instructors.md").read_text()
    measured = json.loads(gradescope.RESOURCES.read_text())
    assert measured["data"].startswith("real clips") and measured["measured"] in text
    for name, figures in measured["lessons"].items():
        need, peak = figures["gradescope"], max(figures[c]["peak_mib"] for c in ("1", "2"))
        row = (f"| {name} | {round(figures['2']['seconds'])} s | {round(figures['1']['seconds'])} s | {peak:,} MiB | "
               f"{need['cpus']:g} | {need['timeout_minutes']} min | {need['memory_mb']:,} MB |")
        assert row in text, row
