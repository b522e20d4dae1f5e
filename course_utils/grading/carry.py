"""Hand an exercise's answer from the learner's kernel to the grader, by value.

When grading, each check cell is replaced by one that calls `carry`: the answer (a function or
a class) is serialised with cloudpickle into the folder named by $COURSE_GRADE_ANSWERS; what
the notebook defined travels by value, the course's and libraries' modules by name. The grader
then checks it in a fresh process (course_utils.grading.judge) that imports the course's checks
untouched, so nothing the notebook did to its kernel's modules reaches the check.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..atomic import atomic_path

ANSWERS = "COURSE_GRADE_ANSWERS"


class CannotCarry(Exception):
    """The answer cannot be copied out of the kernel; the message says why and what to change."""


def answer_file(folder: Path, exercise: str) -> Path:
    return folder / f"{exercise}.pickle"


def carry(exercise: str, answer: object) -> None:
    """Write `answer` for the grader, whole or not at all."""
    import cloudpickle

    try:
        data = cloudpickle.dumps(answer)
    except Exception as error:  # noqa: BLE001  (pickling fails in many ways)
        raise CannotCarry(f"the answer to exercise {exercise} could not be copied out of the notebook to be "
                          f"checked on its own ({type(error).__name__}: {error}). An answer should not rely on "
                          "open files, locks or running loaders kept in global variables.") from None
    with atomic_path(answer_file(Path(os.environ[ANSWERS]), exercise)) as temporary:
        temporary.write_bytes(data)
