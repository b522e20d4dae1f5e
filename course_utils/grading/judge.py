"""Check one carried answer in a fresh process: `python -m course_utils.grading.judge EXERCISE ANSWER_FILE`.

The grader starts one such process per exercise (as the submission's user, in its folder) and
writes a one-time token to its standard input. The process reads the token, imports the
course's checks, loads the answer (course_utils.grading.carry) and runs the exercise's check on
it; its last line of output is the token, a space, and the outcome as JSON:
{"stdout": what the check printed, "error": {"ename": ..., "evalue": ..., "mistake": ...} | null},
where "mistake" is the id of the mistake the check's hint names (course_utils.checks.core).
A process that ends without that line (killed, os._exit, too little memory) gave no verdict.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import pickle
import sys
from pathlib import Path

from . import OUTPUT_TAIL


def judge(exercise: str, answer_path: Path) -> dict:
    """The outcome of the exercise's check on the answer stored in `answer_path`."""
    from .exercises import exercise_by_id

    checks = importlib.import_module("course_utils.checks")
    check = getattr(checks, exercise_by_id(exercise).check_function).strict  # raises where the check cell shows
    printed, error = io.StringIO(), None
    try:
        with contextlib.redirect_stdout(printed):
            try:
                answer = pickle.loads(answer_path.read_bytes())
            except Exception as problem:  # noqa: BLE001  (whatever stops the answer from loading)
                raise checks.AnswerError(f"the answer could not be loaded in the grader's own process "
                                         f"({type(problem).__name__}: {problem})", None, mistake="not-loadable") from None
            check(answer)
    except BaseException as problem:  # noqa: BLE001  (SystemExit and KeyboardInterrupt are the learner's too)
        error = {"ename": type(problem).__name__, "evalue": str(problem)[:OUTPUT_TAIL],
                 "mistake": getattr(problem, "mistake", None)}
    return {"stdout": printed.getvalue()[-OUTPUT_TAIL:], "error": error}


def main(argv: list[str]) -> int:
    token = sys.stdin.readline().strip()
    exercise, path = argv
    outcome = judge(exercise, Path(path))
    sys.__stdout__.write(f"\n{token} {json.dumps(outcome)}\n")
    sys.__stdout__.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
