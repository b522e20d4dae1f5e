"""Gradebooks that Canvas and Moodle import: a roster says who the learners are, file names say whose is which.

A submission belongs to the roster row whose identity (Canvas: ID, SIS User ID or SIS Login ID;
Moodle: email address, username, ID number or "First Last") appears in its path as a whole
part, as Canvas's downloads name files (`smithjane_12345_678_01_data.ipynb`) and Moodle's name
folders (`Jane Smith_123_assignsubmission_file_`). The score is the number of exercises correct.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .gradebook import names
from .grader import Graded

IDENTITIES = {
    "canvas": ("ID", "SIS User ID", "SIS Login ID"),
    "moodle": ("Email address", "Username", "ID number"),
}


def read_roster(path: Path, lms: str) -> list[dict[str, str]]:
    """The roster's rows (Canvas's or Moodle's own gradebook export will do); ValueError naming the file
    if it has none of the columns that identify a learner."""
    with open(path, newline="", encoding="utf-8-sig") as handle:  # -sig: Excel's and Canvas's byte-order mark
        rows = list(csv.DictReader(handle))
    columns = set(rows[0]) if rows else set()
    if not columns & set(IDENTITIES[lms]):
        raise ValueError(f"{path}: a {lms} roster needs one of the columns {', '.join(IDENTITIES[lms])}; "
                         f"it has {', '.join(sorted(columns)) or 'no rows'}")
    return [row for row in rows if not row.get("Student", "").strip().startswith("Points Possible")]


def identities(row: dict[str, str], lms: str) -> list[str]:
    """The values that identify the learner of a roster row."""
    values = [row.get(column, "").strip() for column in IDENTITIES[lms]]
    if lms == "moodle" and row.get("First name") and row.get("Last name"):
        values.append(f"{row['First name'].strip()} {row['Last name'].strip()}")
    return [v for v in values if v]


def match(graded: list[Graded], roster: list[dict[str, str]], lms: str) -> tuple[dict[int, Graded], list[str]]:
    """(roster row index -> its submission, the submissions no learner matched); ValueError naming the
    files when a submission matches two learners or a learner two submissions."""
    found: dict[int, Graded] = {}
    unmatched = []
    for name, path, g in zip(names(graded), names(graded, folders_above=1), graded):  # Moodle names folders
        rows = [i for i, row in enumerate(roster) if any(_whole_part(value, path) for value in identities(row, lms))]
        if len(rows) > 1:
            raise ValueError(f"{name} matches {len(rows)} learners of the roster: "
                             f"{', '.join(identities(roster[i], lms)[0] for i in rows)}")
        if not rows:
            unmatched.append(name)
        elif rows[0] in found:
            raise ValueError(f"two submissions for {identities(roster[rows[0]], lms)[0]}: "
                             f"{found[rows[0]].submission} and {g.submission}")
        else:
            found[rows[0]] = g
    return found, unmatched


def _whole_part(value: str, name: str) -> bool:
    return re.search(rf"(^|[/\\_]){re.escape(value)}($|[/\\_.])", name, re.IGNORECASE) is not None


def _one_lesson(graded: list[Graded]) -> int:
    lessons = {g.lesson.name for g in graded if g.lesson}
    if len(lessons) > 1:
        raise ValueError(f"one assignment per gradebook: these submissions are of {len(lessons)} lessons "
                         f"({', '.join(sorted(lessons))}); grade with --lesson")
    return next(len(g.lesson.exercises) for g in graded if g.lesson) if lessons else 0


def scaled(score: int, out_of: int, points_possible: float | None) -> float | int:
    """`score` of `out_of` exercises as points of an assignment worth `points_possible` (rounded to
    two decimals); the number of exercises correct when there is no such worth."""
    if points_possible is None or out_of == 0:
        return score
    return round(score * points_possible / out_of, 2)


def canvas_csv(graded: list[Graded], roster: list[dict[str, str]], assignment: str,
               points_possible: float | None = None) -> tuple[str, list[str]]:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment
    (name it "Title (id)" to fill an existing one); a Points Possible row, which Canvas applies to
    the assignment (the number of exercises, or `points_possible`, to which scores are scaled); a
    blank score leaves a learner without a submission as they were. Returns (the CSV, the
    submissions no learner matched)."""
    exercises = _one_lesson(graded)
    out_of = exercises if points_possible is None else points_possible
    found, unmatched = match(graded, roster, "canvas")
    columns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([*columns, assignment])
    writer.writerow(["Points Possible", "", "", "", "", out_of])
    for i, row in enumerate(roster):
        writer.writerow([*(row.get(c, "") for c in columns),
                         scaled(found[i].score, exercises, points_possible) if i in found else ""])
    return text.getvalue(), unmatched


def moodle_csv(graded: list[Graded], roster: list[dict[str, str]], assignment: str) -> tuple[str, list[str]]:
    """Moodle's grade import: the roster's identifying columns and the assignment's score, one row per
    learner with a submission (map the identity column and the score column when importing)."""
    _one_lesson(graded)
    found, unmatched = match(graded, roster, "moodle")
    columns = [c for c in ("First name", "Last name", *IDENTITIES["moodle"]) if c in roster[0]] if roster else []
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([*columns, assignment])
    for i, g in sorted(found.items()):
        writer.writerow([*(roster[i].get(c, "") for c in columns), g.score])
    return text.getvalue(), unmatched
