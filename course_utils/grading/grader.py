"""Grade learners' notebooks: `python -m course_utils grade SUBMISSION_OR_FOLDER...`.

Each submission is read, its check cells are replaced by the course's grading cells
(course_utils.grading.exercises), and it runs under nbval in a process of its own, with a fresh
kernel, a temporary working folder and HOME, and time limits; course_utils.grading.nbval_recorder
notes what each cell did. A grading cell hands its exercise's answer over by value
(course_utils.grading.carry), and the check runs on it afterwards in a fresh process of its own
(course_utils.grading.judge), so that nothing the notebook did to its kernel reaches the check.
Every exercise then gets one result: correct, wrong (with the check's hint), error (in the
learner's code), not attempted (the stub still raises), not reached (the kernel died or the
time ran out before its check), or grader failed (the grading machinery itself did not run the
notebook: never the learner's fault, and worth no point until graded again). Grading runs the
submitted code: run untrusted submissions in a container.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from .carry import ANSWERS, answer_file
from .exercises import Exercise, Lesson, NotALesson, identify_lesson, restore_checks
from .prefetch import weights_folder
from ..notebook_format import stub_message

GRADER_FAILED = "grader failed"
RESULTS = ("correct", "wrong", "error", "not attempted", "not reached", GRADER_FAILED)
# Settings that would let the grader's own configuration (or another submission's) leak in.
PRIVATE_SETTINGS = ("IPYTHONDIR", "MPLCONFIGDIR", "PYTHONSTARTUP", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
                    "JUPYTER_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                    "XDG_RUNTIME_DIR", "TORCH_HOME")


@dataclass(frozen=True)
class Limits:
    submission_seconds: float = 600.0  # for running the notebook
    cell_seconds: float = 300.0
    check_seconds: float = 120.0  # for each check, run on its answer after the notebook
    threads: int = 1  # for PyTorch and NumPy in each kernel
    user: str | None = None  # run as this unprivileged user, one submission at a time (the grader must be root;
    # every process of the user is ended after the notebook and after the checks)


@dataclass
class ExerciseResult:
    exercise: str
    result: str  # one of RESULTS
    detail: str = ""
    mistake: str = ""  # for "wrong" and "error": the id of the mistake the check's hint names


@dataclass
class Graded:
    submission: Path
    lesson: Lesson | None = None
    results: list[ExerciseResult] = field(default_factory=list)
    problem: str = ""  # why the submission could not be graded at all
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(r.result == "correct" for r in self.results)


def find_submissions(paths: list[Path]) -> list[Path]:
    """The notebooks named, and those in the folders named (checkpoints left out), in order."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def read_submission(path: Path) -> nbformat.NotebookNode:
    """The notebook in `path`; ValueError with a reason a learner understands if it is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the file ({error})") from None
    if not text.strip():
        raise ValueError("the file is empty")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001  (nbformat raises many kinds for a broken file)
        raise ValueError(f"not a notebook ({type(error).__name__}: {str(error).splitlines()[0][:200]})") from None
    if not isinstance(notebook.get("cells"), list):
        raise ValueError("not a notebook (no list of cells)")
    return notebook


def _environment(folder: Path, record: Path, data: str | None, limits: Limits) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PRIVATE_SETTINGS}
    for name in ("home", "tmp", "cache"):
        (folder / name).mkdir()
    threads = str(limits.threads)
    env.update(HOME=str(folder / "home"), TMPDIR=str(folder / "tmp"), COURSE_DATA_DIR=str(folder / "cache"),
               COURSE_GRADE_RECORD=str(record), OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads,
               PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="agg")
    if data:
        env["COURSE_DATA"] = data
        weights = weights_folder(data)
        if weights:  # a prefetched folder (course_utils.grading.prefetch) carries the pre-trained weights too
            env["TORCH_HOME"] = str(weights)
    return env


def _run(notebook: nbformat.NotebookNode, lesson: Lesson, data: str | None,
         limits: Limits) -> tuple[list[dict], str, dict[str, dict]]:
    """Run the notebook under nbval in a fresh process, then check each answer it handed over in a
    process of its own; (the recorder's events, why it ended early or "", the checks' outcomes)."""
    # A killed kernel may still be writing for a moment while the folder is removed.
    with tempfile.TemporaryDirectory(prefix="course-grade-", ignore_cleanup_errors=True) as temporary:
        folder = Path(temporary)
        work, record, log, answers = folder / "work", folder / "record.jsonl", folder / "pytest.log", folder / "answers"
        work.mkdir()
        answers.mkdir()
        nbformat.write(notebook, work / f"{lesson.name}.ipynb")
        (folder / "pytest.ini").write_text("[pytest]\n")
        command = [sys.executable, "-m", "pytest", "-p", "nbval.plugin", "-p", "course_utils.grading.nbval_recorder",
                   "-p", "no:cacheprovider", "-c", str(folder / "pytest.ini"), "--rootdir", str(work), "-q",
                   "--nbval-lax", "--nbval-current-env", f"--nbval-cell-timeout={limits.cell_seconds:g}",
                   f"{lesson.name}.ipynb"]
        env = _environment(folder, record, data, limits) | {ANSWERS: str(answers)}
        if limits.user:
            _hand_over(folder, limits.user)
        as_user = {"user": limits.user, "group": limits.user, "extra_groups": []} if limits.user else {}
        with open(log, "wb") as output:
            process = subprocess.Popen(command, cwd=work, env=env, stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True, **as_user)
            code = None
            try:
                code = process.wait(timeout=limits.submission_seconds)
                ended = "" if code in (0, 1) else f"pytest stopped with exit code {code}: {_tail(log)}"
            except subprocess.TimeoutExpired:
                ended = f"the time limit of {limits.submission_seconds:g} s per submission ran out"
            finally:
                _kill(process)
                _end_processes(record, limits.user)  # what the notebook left running stops before the checks
        events = _read_events(record)
        if not events:  # not even the first cell started: nbval, pytest or the recorder did not run
            return [], f"pytest ran no cell of the notebook (exit code {code}: {_tail(log)})", {}
        judged = {}
        try:
            for exercise in lesson.exercises:
                if _handed_over(events, exercise):
                    judged[exercise.id] = _check_outside(exercise, answers, work, env, as_user, limits.check_seconds)
        finally:
            _end_processes(record, limits.user)
        return events, ended, judged


def _handed_over(events: list[dict], exercise: Exercise) -> bool:
    """Whether the exercise's grading cell ran to its end without an error."""
    return any(e["event"] == "end" and e.get("tag") == [exercise.id, "check"] and not e["error"] and not e["failure"]
               for e in events)


def _check_outside(exercise: Exercise, answers: Path, work: Path, env: dict[str, str], as_user: dict,
                   seconds: float) -> dict:
    """The exercise's check on its handed-over answer, in a fresh process (course_utils.grading.judge),
    as an "end" event of its check cell."""
    path = answer_file(answers, exercise.id)
    if not path.is_file():
        return {"error": {"ename": "AnswerError", "evalue": "the check cell ran, but no answer reached the grader "
                          "(did the notebook change course_utils?)"}, "failure": None, "stdout": ""}
    token = secrets.token_hex(16)
    command = [sys.executable, "-m", "course_utils.grading.judge", exercise.id, str(path)]
    process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True, **as_user)
    try:
        printed, _ = process.communicate(f"{token}\n".encode(), timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return {"error": None, "failure": "timeout", "stdout": "", "seconds": seconds}
    _kill_group(process)
    lines = printed.decode(errors="replace").splitlines()
    verdict = next((line[len(token) + 1:] for line in reversed(lines) if line.startswith(f"{token} ")), None)
    if verdict is None:
        return {"error": None, "failure": "no verdict", "stdout": "",
                "detail": f"exit code {process.returncode}: {' | '.join(lines[-3:])[-300:]}"}
    return {**json.loads(verdict), "failure": None}


def _kill_group(process: subprocess.Popen) -> None:
    """End a process started in a session of its own and, where there are process groups
    (not on Windows), whatever it started."""
    with contextlib.suppress(OSError):  # already gone
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()


def _hand_over(folder: Path, user: str) -> None:
    """Give `user` the submission's working folder (and nothing else) before its code runs there."""
    for path in [folder, *folder.rglob("*")]:
        shutil.chown(path, user, user)


def _read_events(record: Path) -> list[dict]:
    """The recorder's events; a last line cut short by a kill is left out."""
    events = []
    for line in record.read_text(encoding="utf-8").splitlines() if record.exists() else []:
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return events


def _end_processes(record: Path, user: str | None) -> None:
    """Kill every process still running for this submission: those whose environment names its
    record (every process its notebook started inherits it) and, when the learner's code runs as
    `user`, every process of that user. Nothing a notebook left running goes on through the checks
    or after grading."""
    import psutil

    mine, found = os.getpid(), []
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if process.pid != mine and (process.environ().get("COURSE_GRADE_RECORD") == str(record)
                                        or (user and process.username() == user)):
                process.kill()
                found.append(process)
    psutil.wait_procs(found, timeout=5)


def _kill(process: subprocess.Popen) -> None:
    """End pytest; its kernel exits on its own when its parent does (ipykernel watches for that)."""
    if process.poll() is None:
        process.kill()
        process.wait()


def _tail(log: Path, lines: int = 3) -> str:
    return " | ".join(log.read_text(errors="replace").strip().splitlines()[-lines:])


def classify(lesson: Lesson, events: list[dict], ended: str = "", unanswered: frozenset[str] = frozenset(),
             cell_seconds: float = 300.0, judged: dict[str, dict] | None = None) -> tuple[list[ExerciseResult], list[str]]:
    """One result per exercise from the recorder's events and the outcomes of the checks run outside
    the kernel (`judged`, by exercise id), and notes on the run."""
    ends = {(e["tag"][0], e["tag"][1]): e for e in events if e["event"] == "end" and e.get("tag")}
    for exercise, outcome in (judged or {}).items():
        ends[(exercise, "check")] = outcome
    starts = {e["cell"]: e for e in events if e["event"] == "start"}
    died = next((e["cell"] for e in events if e["event"] == "kernel died"), None)
    notes, stopped = [], ended
    if died is not None:
        stopped = f"the kernel died in the cell {starts[died]['line']!r}"
    for event in (e for e in events if e["event"] == "end" and not e.get("tag")):
        line = starts.get(event["cell"], {}).get("line", "")
        if event["failure"] == "timeout":
            notes.append(f"the cell {line!r} ran past {cell_seconds:g} s and was interrupted")
        elif event["error"]:
            notes.append(f"the cell {line!r} raised {event['error']['ename']}: {event['error']['evalue'][:200]}")
    if ended and events and events[-1]["event"] == "start":
        stopped = f"{ended}, in the cell {events[-1]['line']!r}"
    results = []
    for exercise in lesson.exercises:
        check = ends.get((exercise.id, "check"))
        answer = ends.get((exercise.id, "answer"))
        check_start = next((c for c, e in starts.items() if e.get("tag") == [exercise.id, "check"]), None)
        if check is None and died is not None and died == check_start:
            results.append(ExerciseResult(exercise.id, "error", "the kernel died during the check "
                                          "(os._exit, a crash, or too little memory)"))
        elif check is None or check["failure"] == "kernel dead":
            results.append(ExerciseResult(exercise.id, "not reached", stopped or "its check did not run"))
        else:
            results.append(_judge(exercise, check, answer, exercise.id in unanswered, cell_seconds))
    if stopped:
        notes.append(stopped)
    return results, notes


def _judge(exercise, check: dict, answer: dict | None, unanswered: bool, cell_seconds: float) -> ExerciseResult:
    error = check["error"]
    if check["failure"] == "timeout":
        seconds = check.get("seconds", cell_seconds)
        return ExerciseResult(exercise.id, "error", f"the check ran past {seconds:g} s (an endless loop?)")
    if check["failure"] == "no verdict":
        return ExerciseResult(exercise.id, "error", "the check stopped without a verdict (os._exit, a crash, or too "
                              f"little memory; {check['detail']})")
    if error is None:
        printed = check["stdout"].strip().splitlines()
        if printed and printed[-1] == exercise.expected.strip():
            return ExerciseResult(exercise.id, "correct")
        return ExerciseResult(exercise.id, "error", "the check ran but did not print its verdict")
    name, value = error["ename"], error["evalue"]
    mistake = error.get("mistake") or ""
    if name == "WrongAnswer":
        return ExerciseResult(exercise.id, "wrong", value, mistake)
    if name in ("AnswerError", "CannotCarry"):  # the message names the learner's exception itself
        return ExerciseResult(exercise.id, "error", value, mistake)
    if name == "NotImplementedError" and value == stub_message(exercise.id):
        return ExerciseResult(exercise.id, "not attempted", "the exercise's stub still raises NotImplementedError")
    if name == "NameError" and unanswered:
        return ExerciseResult(exercise.id, "not attempted", f"its answer cell is missing ({value})")
    detail = f"{name}: {value}"
    if answer and answer["error"] and name == "NameError":
        detail += f" (the answer cell itself raised {answer['error']['ename']}: {answer['error']['evalue']})"
    return ExerciseResult(exercise.id, "error", detail)


def grade_submission(path: Path, data: str | None, limits: Limits, expected: Lesson | None = None) -> Graded:
    """Grade one notebook; whatever is wrong with it becomes part of the result, never an exception."""
    graded = Graded(path)
    try:
        notebook = read_submission(path)
        lesson = identify_lesson(notebook, path.name)
        if expected and lesson != expected:
            raise NotALesson(f"it is lesson {lesson.name}, not {expected.name}")
    except (ValueError, NotALesson) as reason:
        graded.problem = str(reason)
        return graded
    graded.lesson = lesson
    try:
        restored = restore_checks(notebook, lesson)
        events, ended, judged = _run(restored.notebook, lesson, data, limits)
    except Exception as error:  # noqa: BLE001  (one submission's trouble must not stop the others)
        graded.problem = f"the grader could not run it ({type(error).__name__}: {error})"
        return graded
    if not events:
        graded.results = [ExerciseResult(e.id, GRADER_FAILED, ended) for e in lesson.exercises]
        graded.notes = [f"{GRADER_FAILED}: {ended}"]
        return graded
    graded.results, notes = classify(lesson, events, ended, frozenset(restored.unanswered), limits.cell_seconds,
                                     judged)
    graded.notes = restored.notes + notes
    return graded


def grade_all(paths: list[Path], data: str | None, limits: Limits, jobs: int = 1,
              expected: Lesson | None = None, progress: bool = True) -> list[Graded]:
    """Grade every submission, `jobs` at a time, in the order given; each kernel gets cores / jobs threads."""
    from tqdm.auto import tqdm

    limits = replace(limits, threads=max(1, (os.cpu_count() or 1) // max(1, jobs)))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade_submission, p, data, limits, expected): p for p in paths}
        with tqdm(total=len(paths), desc="grading", unit="notebook", disable=not progress) as bar:
            for _ in as_completed(futures):
                bar.update()
        return [future.result() for future in futures]
