"""What the grader found, written for people: a table, a CSV gradebook, one feedback file each."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from ..atomic import write_text_atomically
from .grader import Graded


def names(graded: list[Graded], folders_above: int = 0) -> list[str]:
    """A short, distinct name per submission: its path below the folder that all of them share
    (and `folders_above` folders more, for names that a folder carries)."""
    paths = [g.submission.resolve() for g in graded]
    if not paths:
        return []
    common = Path(os.path.commonpath([p.parents[folders_above] for p in paths]))
    return [str(p.relative_to(common)) for p in paths]


def exercise_ids(graded: list[Graded]) -> list[str]:
    """Every exercise of the lessons graded, in the course's order."""
    ids = {r.exercise for g in graded for r in g.results}
    return sorted(ids, key=lambda i: tuple(int(part) for part in i.split(".")))


def _out_of(g: Graded) -> int:
    return len(g.lesson.exercises) if g.lesson else 0


def table(graded: list[Graded]) -> str:
    """The results as a plain-text table, one row per submission."""
    ids = exercise_ids(graded)
    header = ["submission", "lesson", *ids, "score", "notes"]
    rows = []
    for name, g in zip(names(graded), graded):
        by_id = {r.exercise: r.result for r in g.results}
        note = g.problem and f"not graded: {g.problem}" or "; ".join(g.notes)
        rows.append([name, g.lesson.name if g.lesson else "-", *(by_id.get(i, "-") for i in ids),
                     f"{g.score}/{_out_of(g)}" if g.lesson else "-", note])
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = ["  ".join([*(str(c).ljust(w) for c, w in zip(row, widths)), row[-1]]).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def gradebook_csv(graded: list[Graded]) -> str:
    """One row per submission, one column per exercise, the score and why a submission was not graded."""
    ids = exercise_ids(graded)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["submission", "lesson", *ids, "score", "out_of", "problem", "notes"])
    for name, g in zip(names(graded), graded):
        by_id = {r.exercise: r.result for r in g.results}
        writer.writerow([name, g.lesson.name if g.lesson else "", *(by_id.get(i, "") for i in ids),
                         g.score, _out_of(g), g.problem, "; ".join(g.notes)])
    return text.getvalue()


def feedback(g: Graded, name: str) -> str:
    """A short Markdown note for the learner: the score, then each exercise with its hint."""
    if g.problem:
        return f"# Feedback on {name}\n\nThis notebook could not be graded: {g.problem}.\n"
    lines = [f"# Feedback on {name}", "", f"Lesson {g.lesson.title}", "",
             f"**{g.score} of {_out_of(g)}** exercises correct.", ""]
    for r in g.results:
        lines.append(f"- **Exercise {r.exercise}: {r.result}**" + (f" ({r.detail})" if r.detail else ""))
    if g.notes:
        lines += ["", "While grading:", *(f"- {note}" for note in g.notes)]
    return "\n".join(lines) + "\n"


def write_feedback(graded: list[Graded], folder: Path) -> list[Path]:
    """One Markdown file per submission in `folder`, named after the submission's path."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, g in zip(names(graded), graded):
        path = folder / (re.sub(r"[\\/]+", "__", name).removesuffix(".ipynb") + ".md")
        write_text_atomically(path, feedback(g, name))
        written.append(path)
    return written
