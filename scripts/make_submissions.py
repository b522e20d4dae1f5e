"""Write example submissions of lesson 1, one for each case the grader has to handle.

    python -m scripts.make_submissions DIR          # then: python -m course_utils grade DIR

Each is made from the learner's copy (notebooks/01_data.ipynb) the way a learner could have
made it: answered from the solution, answered wrongly, left untouched, with its check cell
rewritten, deleted or moved, with a cell that loops forever or kills the kernel, stripped of
its metadata; wrongly answered and trying to pass anyway (replacing the check in the kernel,
stopping the answer's hand-over, forging the grader's verdict); and a few files that are not
submissions at all. The tests and the grading
benchmark use them.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import nbformat

from course_utils import notebook_format as fmt
from scripts.repo import LEARNER_COPIES, SOLUTIONS

LEARNER_COPY = LEARNER_COPIES / "01_data.ipynb"
SOLUTION = SOLUTIONS / "01_data.ipynb"
OTHER_LESSON = LEARNER_COPIES / "02_waveforms_and_spectrograms.ipynb"

WRONG_SPLIT = '''def train_val_split(metadata, categories, val_fold=1):
    """(train, val) rows of the chosen categories; fold `val_fold` validates."""
    chosen = metadata[metadata["category"].isin(categories)]
    return chosen, chosen[chosen["fold"] == val_fold]  # forgot to leave the validation fold out
'''
BROKEN_SPLIT = '''def train_val_split(metadata, categories, val_fold=1):
    """(train, val) rows of the chosen categories; fold `val_fold` validates."""
    chosen = metadata[metadata["categry"].isin(categories)]
    return chosen[chosen["fold"] != val_fold], chosen[chosen["fold"] == val_fold]
'''
# Tried by a learner who wants the points: each must still grade as what its answer is.
PATCHED_CHECK = f"""import course_utils.checks
course_utils.checks.check_split = lambda answer: print({fmt.verdict("1.1")!r}, end="")
"""
PATCHED_CARRY = """import course_utils.grading.carry
course_utils.grading.carry.carry = lambda exercise, answer: None
"""
FORGED_LINE = "\nforged " + json.dumps({"stdout": fmt.verdict("1.1"), "error": None}) + "\n"
FORGED_VERDICT = WRONG_SPLIT.replace("    chosen = ", f"""    import os, sys
    if sys.argv[0].endswith("judge.py"):  # in the grader's checking process: claim success and leave
        sys.stdin.read()  # whatever the grader sent that is still unread
        sys.__stdout__.write({FORGED_LINE!r})
        sys.__stdout__.flush()
        os._exit(0)
    chosen = """)


def _cell(notebook: nbformat.NotebookNode, exercise: str, part: str) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if fmt.exercise_tag(c.metadata) == (exercise, part))


def _solution_source(exercise: str) -> str:
    source = _cell(nbformat.read(SOLUTION, as_version=4), exercise, "answer").source
    return fmt.remove_solution_markers(source)


def learner_copy() -> nbformat.NotebookNode:
    return nbformat.read(LEARNER_COPY, as_version=4)


def answered(wrong: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The learner's copy with every exercise answered from the solution, except those in `wrong`."""
    notebook = learner_copy()
    for exercise in ("1.1", "1.2"):
        _cell(notebook, exercise, "answer").source = (wrong or {}).get(exercise) or _solution_source(exercise)
    return notebook


def _after(notebook: nbformat.NotebookNode, exercise: str, part: str, source: str) -> nbformat.NotebookNode:
    notebook = copy.deepcopy(notebook)
    index = notebook.cells.index(_cell(notebook, exercise, part))
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return notebook


def tampered() -> nbformat.NotebookNode:
    notebook = answered({"1.1": WRONG_SPLIT})
    _cell(notebook, "1.1", "check").source = f"{fmt.CHECK_MARK}\nprint({fmt.verdict('1.1')!r}, end='')"
    return notebook


def deleted_check() -> nbformat.NotebookNode:
    notebook = answered()
    notebook.cells.remove(_cell(notebook, "1.1", "check"))
    return notebook


def inserted_cells() -> nbformat.NotebookNode:
    """Cells added at the top and between, a check moved down, and a learner's own call of a check."""
    notebook = answered()
    new = nbformat.v4
    notebook.cells.insert(0, new.new_markdown_cell("My notes: lesson 1."))
    notebook.cells.insert(1, new.new_code_cell("import math\nprint(math.pi)"))
    check = _cell(notebook, "1.2", "check")
    notebook.cells.remove(check)
    answer = notebook.cells.index(_cell(notebook, "1.2", "answer"))
    notebook.cells[answer + 1:answer + 1] = [new.new_code_cell("print('testing my download')"), check,
                                             new.new_code_cell("check_split(train_val_split)")]
    return notebook


def stripped() -> nbformat.NotebookNode:
    notebook = answered()
    notebook.metadata.pop(fmt.KEY)
    for cell in notebook.cells:
        cell.metadata.clear()
    return notebook


def cases() -> dict[str, nbformat.NotebookNode | str]:
    """File name -> notebook (or raw text) for each case."""
    return {
        "honest.ipynb": answered(),
        "wrong.ipynb": answered({"1.1": WRONG_SPLIT}),
        "untouched.ipynb": learner_copy(),
        "tampered_check.ipynb": tampered(),
        "deleted_check.ipynb": deleted_check(),
        "inserted_cells.ipynb": inserted_cells(),
        "error.ipynb": answered({"1.1": BROKEN_SPLIT}),
        "patched_check.ipynb": _after(answered({"1.1": WRONG_SPLIT}), "1.1", "answer", PATCHED_CHECK),
        "patched_carry.ipynb": _after(answered({"1.1": WRONG_SPLIT}), "1.1", "answer", PATCHED_CARRY),
        "forged_verdict.ipynb": answered({"1.1": FORGED_VERDICT}),
        "endless_loop.ipynb": _after(answered(), "1.1", "check", "while True:\n    pass"),
        "kernel_death.ipynb": _after(answered(), "1.1", "check", "import os\nos._exit(1)"),
        "prints_megabytes.ipynb": _after(answered(), "1.1", "answer", "print('x' * 20_000_000)"),
        "stripped_01_data.ipynb": stripped(),
        "other_lesson.ipynb": nbformat.read(OTHER_LESSON, as_version=4),
        "invalid_json.ipynb": '{"cells": [',
        "empty.ipynb": "",
    }


def write(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Write the cases (or only `names`) into `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in cases().items():
        if names and name not in names:
            continue
        path = folder / name
        path.write_text(content if isinstance(content, str) else nbformat.writes(content), encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    for path in write(args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
