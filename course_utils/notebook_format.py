"""The course's notebook format: every marker and metadata key, and the small functions that
write and read them. The package, the scripts, the site's template and the tests all use this
module, so a marker is spelt in one place. Imports neither torch nor nbformat.

- A solution notebook marks each exercise's solution between BEGIN_SOLUTION and END_SOLUTION;
  the learner's copy has `stub(exercise)` there instead.
- A check cell starts with CHECK_MARK (nbval then compares its output) and prints one verdict
  line: `verdict(exercise)` when the answer is right, otherwise "Exercise N.M: " and one of
  VERDICT_WORDS' other entries (what `verdict_lines` reads back).
- Notebooks carry `{KEY: {"lesson": ...}}` in their metadata, exercise cells
  `{KEY: {"exercise": "1.1", "part": "answer" | "check"}}`, executed copies
  `{KEY: {"executed": ...}}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

KEY = "course"
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
SNAPSHOT_KEY = "course_utils/snapshot"  # an explorer's first state, in its output's metadata
STANDIN_MARK = "OFFLINE STAND-IN IN USE"  # the first words of the stand-in's banner
EXERCISE_HEADING = re.compile(r"^## Exercise (\d+\.\d+)", re.MULTILINE)
SOLUTION_LINE = re.compile(rf"^[ \t]*({re.escape(BEGIN_SOLUTION)}|{re.escape(END_SOLUTION)})[ \t]*\n?", re.MULTILINE)
CHECK_LINE = re.compile(rf"^{re.escape(CHECK_MARK)}[ \t]*\n", re.MULTILINE)
_STUB = re.compile(r'raise NotImplementedError\("Exercise (\d+\.\d+)"\)')
_VERDICT = re.compile(r"^Exercise (\d+\.\d+): correct\.$", re.MULTILINE)
# What a check cell can say of an answer, by the grader's names for the outcomes.
VERDICT_WORDS = {"correct": "correct", "not attempted": "not answered yet", "wrong": "not correct yet",
                 "error": "your code raised", "check failed": "the check itself failed"}
_VERDICT_LINE = re.compile(rf"^Exercise (\d+\.\d+): ({'|'.join(map(re.escape, VERDICT_WORDS.values()))})",
                           re.MULTILINE)


def stub_message(exercise: str) -> str:
    """The message of the NotImplementedError that a learner's unanswered exercise raises."""
    return f"Exercise {exercise}"


def stub(exercise: str) -> str:
    """The line that stands in a learner's copy where the solution was."""
    return f'raise NotImplementedError("{stub_message(exercise)}")'


def stub_exercise(message: str) -> str | None:
    """The exercise whose stub raised NotImplementedError(`message`), or None."""
    prefix = stub_message("")
    return message.removeprefix(prefix) if message.startswith(prefix) else None


def stubbed_exercises(source: str) -> list[str]:
    """The exercises whose stub is in `source`."""
    return _STUB.findall(source)


def verdict(exercise: str) -> str:
    """What a check prints when the answer is right (with its newline)."""
    return f"Exercise {exercise}: correct.\n"


def verdicts(text: str) -> list[str]:
    """The exercises that `text` declares correct."""
    return _VERDICT.findall(text)


def verdict_head(exercise: str, outcome: str) -> str:
    """The start of a check's verdict line for an outcome named as in VERDICT_WORDS."""
    return f"Exercise {exercise}: {VERDICT_WORDS[outcome]}"


def verdict_lines(text: str) -> list[tuple[str, str]]:
    """(exercise, outcome) for every verdict line in `text`, outcomes named as in VERDICT_WORDS."""
    outcome_of = {words: outcome for outcome, words in VERDICT_WORDS.items()}
    return [(exercise, outcome_of[words]) for exercise, words in _VERDICT_LINE.findall(text)]


def is_check(source: str) -> bool:
    """Whether a code cell is a check cell."""
    return source.startswith(CHECK_MARK)


def has_solution(source: str) -> bool:
    return BEGIN_SOLUTION in source


def strip_markers(source: str) -> str:
    """The source without solution markers and check mark, as the site shows it."""
    return CHECK_LINE.sub("", SOLUTION_LINE.sub("", source))


def remove_solution_markers(source: str) -> str:
    """The solution's code as a learner would write it: markers gone, code kept."""
    return "\n".join(line for line in source.split("\n") if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION))


def strip_solution(source: str, exercise: str) -> str:
    """Replace each solution block by the exercise's stub, indented like the block's marker."""
    out, inside = [], False
    for line in source.split("\n"):
        if line.strip() == BEGIN_SOLUTION:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + stub(exercise))
            inside = True
        elif line.strip() == END_SOLUTION:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"exercise {exercise}: {BEGIN_SOLUTION} without {END_SOLUTION}")
    return "\n".join(out)


def course_stamp(metadata: Mapping) -> dict:
    """The course's part of a notebook's or cell's metadata ({} if none)."""
    stamp = metadata.get(KEY) if isinstance(metadata, Mapping) else None
    return stamp if isinstance(stamp, dict) else {}


def exercise_tag(metadata: Mapping) -> tuple[str, str] | None:
    """(exercise id, "answer" | "check") from a cell's metadata, or None."""
    stamp = course_stamp(metadata)
    if "exercise" in stamp and "part" in stamp:
        return str(stamp["exercise"]), str(stamp["part"])
    return None


def tag(exercise: str, part: str) -> dict:
    """The metadata entry that marks a cell as an exercise's answer or check."""
    return {KEY: {"exercise": exercise, "part": part}}
