"""What every check shares: how it judges, and what it shows the learner.

A check is written as a function that raises: `expect(condition, mistake, hint)` raises
WrongAnswer when the learner's code ran but got something wrong; `call(what, function, ...)` runs
the learner's code and turns what it raises into an AnswerError; the stub's NotImplementedError
passes through. `exercise("5.1")` makes such a function into the check that check cells call,
which never raises: it prints one verdict line (notebook_format.VERDICT_WORDS), then the hint or
the learner's own lines where their code raised, so that Run All reaches the end of a lesson.
Its `.strict` form raises as written and prints the verdict only when the answer is right; the
grader's judge and `answer_or_course` use that. Every hint has a `mistake` id, a short stable
name of the mistake, which the verdict shows and gradebooks can count.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import random
import site
import sysconfig
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .. import notebook_format as fmt


class WrongAnswer(AssertionError):
    """The learner's code ran, but its result is not what the exercise asks for."""

    def __init__(self, hint: str, mistake: str = "wrong"):
        super().__init__(hint)
        self.hint, self.mistake = hint, mistake


class AnswerError(Exception):
    """The learner's code raised; the message names the exception, then gives a hint."""

    def __init__(self, what: str, error: BaseException | None, hint: str = "", mistake: str = "raised"):
        said = f"{what} raised {type(error).__name__}: {error}" if error is not None else what
        super().__init__(f"{said}\n{hint}" if hint else said)
        self.what, self.error, self.hint, self.mistake = what, error, hint, mistake

    def with_hint(self, hint: str, mistake: str) -> AnswerError:
        """The same error with a hint that knows what the check was doing when it happened."""
        more = f"{self.hint}\n{hint}" if self.hint else hint
        return AnswerError(self.what, self.error, more, mistake)


def expect(condition: bool, mistake: str, hint: str) -> None:
    """Raise WrongAnswer(hint) naming `mistake` unless `condition` holds."""
    if not condition:
        raise WrongAnswer(hint, mistake)


def call(what: str, function: Callable, *args, **kwargs):
    """Call the learner's code; what it raises becomes an AnswerError that names it."""
    try:
        return function(*args, **kwargs)
    except (WrongAnswer, AnswerError):
        raise
    except NotImplementedError as error:
        if fmt.stub_exercise(str(error)) is not None:
            raise  # a stub: not answered yet
        raise AnswerError(what, error) from error
    except Exception as error:  # noqa: BLE001  (whatever the learner's code raised)
        hint = ""
        if isinstance(error, TypeError):
            given = ", ".join([*map(type_name, args), *(f"{k}={type_name(v)}" for k, v in kwargs.items())])
            hint = (f"The check called it with arguments of these types: ({given}). "
                    "Check what the exercise says each argument is.")
        elif isinstance(error, ValueError) and "unpack" in str(error):
            hint = "Items and batches of the course's Datasets and DataLoaders have three parts: (features, targets, labels)."
        raise AnswerError(what, error, hint) from error


@contextlib.contextmanager
def on_error(hint: str, mistake: str):
    """Inside this block, an error of the learner's code gets `hint` and `mistake` added."""
    try:
        yield
    except AnswerError as error:
        raise error.with_hint(hint, mistake) from error.error


def type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def shape_of(value) -> tuple | None:
    """The shape of a tensor or array as a tuple of ints, else None."""
    shape = getattr(value, "shape", None)
    return tuple(int(n) for n in shape) if shape is not None else None


# What the learner sees -----------------------------------------------------------------------

_COURSE = str(Path(__file__).resolve().parents[1])
_LIBRARIES = tuple({os.path.realpath(p) for p in [*(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib",
                    "purelib", "platlib")), *site.getsitepackages(), site.getusersitepackages()]})


def _is_learners(filename: str) -> bool:
    """Whether a traceback frame's file is the learner's (a notebook cell, their own module)."""
    if filename.startswith("<"):
        return not filename.startswith("<frozen")
    path = os.path.realpath(filename)
    return not path.startswith(_COURSE) and not path.startswith(_LIBRARIES)


def _place(filename: str) -> str:
    """'Cell In[7]' for a notebook cell where IPython says which it was, else the file's name."""
    with contextlib.suppress(Exception):  # outside IPython, or an IPython that keeps no such map
        number = get_ipython().compile._filename_map.get(filename)  # type: ignore[name-defined]  # noqa: F821
        if number:
            return f"Cell In[{number}]"
    return filename


def learner_trace(error: BaseException) -> str:
    """The traceback of `error` cut to the learner's own frames, then its last line."""
    lines = []
    for frame in traceback.extract_tb(error.__traceback__):
        if _is_learners(frame.filename):
            lines.append(f"  {_place(frame.filename)}, line {frame.lineno}, in {frame.name}")
            if frame.line:
                lines.append(f"    {frame.line.strip()}")
    lines += traceback.format_exception_only(type(error), error)[-1:]
    return "\n".join(line.rstrip("\n") for line in lines)


@dataclass(frozen=True)
class Verdict:
    """What a check found: its outcome (a key of notebook_format.VERDICT_WORDS) and why."""

    exercise: str
    outcome: str
    mistake: str = ""
    hint: str = ""
    trace: str = ""  # the learner's frames, when their code raised
    then: str = ""  # what happens next, for an answer not there yet

    @property
    def correct(self) -> bool:
        return self.outcome == "correct"

    def text(self) -> str:
        head = fmt.verdict_head(self.exercise, self.outcome)
        if self.outcome == "correct":
            return fmt.verdict(self.exercise).rstrip("\n")
        if self.outcome == "not attempted":
            return f"{head}. Write your code in place of `raise NotImplementedError` above, run that cell, then this one. {self.then}".rstrip()
        if self.outcome == "wrong":
            return f"{head} [{self.mistake}].\n{self.hint}"
        if self.outcome == "error":
            named = "" if self.mistake == "raised" else f" [{self.mistake}]"
            return f"{head} an error{named}:\n{self.trace}" + (f"\nHint: {self.hint}" if self.hint else "")
        return (f"{head} ({self.hint}). This is a fault of the course, not of your answer; "
                "please report it with this message.")


def _verdict(exercise: str, run: Callable[[], None], then: str) -> Verdict:
    try:
        run()
    except NotImplementedError as stub:
        unanswered = fmt.stub_exercise(str(stub))
        if unanswered == exercise:
            return Verdict(exercise, "not attempted", "not-answered", then=then)
        return Verdict(exercise, "not attempted", "uses-unanswered",
                       then=f"Your answer uses exercise {unanswered}'s code, which is not answered yet. {then}".rstrip())
    except WrongAnswer as wrong:
        return Verdict(exercise, "wrong", wrong.mistake, wrong.hint)
    except AnswerError as error:
        trace = learner_trace(error.error) if error.error is not None else error.what
        return Verdict(exercise, "error", error.mistake, error.hint, trace)
    except Exception as bug:  # noqa: BLE001  (a fault of the check itself must not stop the lesson either)
        return Verdict(exercise, "check failed", "check-failed", f"{type(bug).__name__}: {bug}")
    return Verdict(exercise, "correct")


def exercise(exercise_id: str, then: str = ""):
    """Make a raising check function into exercise `exercise_id`'s check; `then` says what the
    lesson does while the answer is not there yet."""

    def decorate(check: Callable[[object], None]) -> Callable[[object], None]:
        def strict(answer) -> None:
            """The check as written: raises when the answer is not right; prints the verdict when it is."""
            python_state, numpy_state = random.getstate(), np.random.get_state()
            try:
                with torch.random.fork_rng(devices=[]):
                    check(answer)
            finally:
                random.setstate(python_state)
                np.random.set_state(numpy_state)
            print(fmt.verdict(exercise_id), end="")

        def verdict(answer) -> Verdict:
            with contextlib.redirect_stdout(io.StringIO()) as printed:
                found = _verdict(exercise_id, lambda: strict(answer), then)
            # What the learner's code printed stays visible; the verdict line replaces strict's.
            print(printed.getvalue().removesuffix(fmt.verdict(exercise_id)), end="")
            return found

        @functools.wraps(check)
        def show(answer) -> None:
            print(verdict(answer).text())

        show.exercise, show.strict, show.verdict = exercise_id, strict, verdict
        return show

    return decorate
