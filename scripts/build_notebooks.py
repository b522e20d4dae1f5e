"""Stamp the repository URL into the notebooks and README, and generate the student copies.

notebooks/solutions/ holds the complete lessons, the source of truth. Each student copy in
notebooks/ is the same notebook with every solution block replaced by the exercise's stub,
which raises NotImplementedError, and with no outputs and no execution counts: a learner's copy
says nothing before it runs. The solutions keep only what nbval compares: the expected line of
each check cell. The markers are those of course_utils.notebook_format.

Both copies carry the lesson's name in their metadata, and each exercise's answer and check
cells carry the exercise's id, so that the grader (course_utils.grading.grader) finds them wherever a
learner moved them. The pristine check cells go into the package, course_utils/grading/exercises.json,
from which the grader restores them.

    python -m scripts.build_notebooks           # write
    python -m scripts.build_notebooks --check   # exit 1 if anything is out of date
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import sys
from pathlib import Path

import nbformat

from course_utils import notebook_format as fmt
from course_utils.atomic import write_text_atomically
from course_utils.grading.exercises import CATALOGUE
from scripts.repo import BINDER, COLAB, LEARNER_COPIES, README, REPO, SOLUTIONS, lesson_files, release_tag, repository, restamp, version


INSTALL_SOURCE = re.compile(r"git\+https://github\.com/[\w.-]+/[\w.-]+(@[\w.-]+)?")


def stamp(text: str, url: str, branch: str, tag: str) -> str:
    """Point install commands at the release `tag` of the repository at `url`, and badges at `branch`.

    A lesson saved this term then installs, next term, the helpers it was written for.
    """
    text = INSTALL_SOURCE.sub(f"git+{url}@{tag}".replace("\\", r"\\"), text)
    for template in (COLAB, BINDER):
        text = restamp(text, template, url, branch)
    return text


def clean_outputs(notebook: nbformat.NotebookNode, keep_checks: bool = True) -> nbformat.NotebookNode:
    """Clear every output, except (with `keep_checks`) the check cells' expected lines.

    nbval compares a cell's output only when the cell has an execution count, so check cells
    keep one: their position among the code cells.
    """
    notebook = copy.deepcopy(notebook)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        is_check = keep_checks and fmt.is_check(cell.source)
        cell.execution_count = number if is_check else None
        if not is_check:
            cell.outputs = []
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = number
    return notebook


def stamp_exercises(notebook: nbformat.NotebookNode, lesson: str) -> nbformat.NotebookNode:
    """Name the lesson in the notebook's metadata, and each exercise in its answer and check cells'."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata[fmt.KEY] = {"lesson": lesson}
    exercise, seen = None, []
    for cell in notebook.cells:
        cell.metadata.pop(fmt.KEY, None)
        if cell.cell_type == "markdown":
            headings = fmt.EXERCISE_HEADING.findall(cell.source)
            exercise = headings[-1] if headings else exercise
            continue
        part = "answer" if fmt.has_solution(cell.source) else "check" if fmt.is_check(cell.source) else None
        if part is None:
            continue
        if exercise is None:
            raise ValueError(f"{lesson}: an exercise's {part} cell comes before any '## Exercise N.M' heading")
        cell.metadata.update(fmt.tag(exercise, part))
        seen.append((exercise, part))
    for exercise in dict.fromkeys(e for e, _ in seen):
        parts = [p for e, p in seen if e == exercise]
        if parts != ["answer", "check"]:
            raise ValueError(f"{lesson}: exercise {exercise} should have one answer cell, then one check "
                             f"cell; it has {parts}")
    return notebook


def store_verdicts(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Give every check cell the one output nbval expects of it: its exercise's verdict."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        tag = fmt.exercise_tag(cell.metadata)
        if tag and tag[1] == "check":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=fmt.verdict(tag[0]))]
    return notebook


def catalogue_entry(solution: nbformat.NotebookNode) -> dict:
    """The lesson's title and, per exercise, its pristine check cell and the names its answer defines."""
    cells = {fmt.exercise_tag(c.metadata): c for c in solution.cells if fmt.exercise_tag(c.metadata)}
    exercises = []
    for exercise in dict.fromkeys(e for e, _ in cells):
        answer = ast.parse(cells[exercise, "answer"].source)
        defines = [n.name for n in answer.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        exercises.append({"id": exercise, "check": cells[exercise, "check"].source, "expected": fmt.verdict(exercise),
                          "defines": defines})
    title = next(c.source.splitlines()[0].lstrip("# ") for c in solution.cells if c.cell_type == "markdown")
    return {"title": title, "exercises": exercises}


def student_copy(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The learner's version of a solution notebook."""
    notebook = copy.deepcopy(solution)
    exercise = None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = fmt.EXERCISE_HEADING.findall(cell.source)
            exercise = headings[-1] if headings else exercise
        elif fmt.has_solution(cell.source):
            if exercise is None:
                raise ValueError(f"a solution block comes before any '## Exercise N.M' heading:\n{cell.source}")
            cell.source = fmt.strip_solution(cell.source, exercise)
    return clean_outputs(notebook, keep_checks=False)


def stored_outputs(notebook: nbformat.NotebookNode) -> list[int]:
    """Positions of the code cells that carry an output or an execution count."""
    return [n for n, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]


def _write_if_changed(path: Path, notebook: nbformat.NotebookNode, check: bool) -> bool:
    return _write_text_if_changed(path, nbformat.writes(notebook) + "\n", check)


def _write_text_if_changed(path: Path, text: str, check: bool) -> bool:
    if path.exists() and path.read_text() == text:
        return False
    if not check:
        write_text_atomically(path, text)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if out of date")
    args = parser.parse_args()
    url, branch = repository()
    tag = release_tag(version())
    stale, catalogue = [], {}
    for path in lesson_files(SOLUTIONS):
        solution = nbformat.reads(stamp(path.read_text(), url, branch, tag), as_version=4)
        solution = clean_outputs(store_verdicts(stamp_exercises(solution, path.stem)))
        catalogue[path.stem] = catalogue_entry(solution)
        if _write_if_changed(path, solution, args.check):
            stale.append(path)
        target = LEARNER_COPIES / path.name
        learner = student_copy(solution)
        carrying = stored_outputs(learner)
        if carrying:
            raise SystemExit(f"{target}: a learner's copy would carry outputs in cells {carrying}")
        if _write_if_changed(target, learner, args.check):
            stale.append(target)
    if _write_text_if_changed(CATALOGUE, json.dumps(catalogue, indent=1, ensure_ascii=False) + "\n", args.check):
        stale.append(CATALOGUE)
    if _write_text_if_changed(README, stamp(README.read_text(), url, branch, tag), args.check):
        stale.append(README)
    for path in stale:
        print(("out of date: " if args.check else "wrote ") + str(path.relative_to(REPO)))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
