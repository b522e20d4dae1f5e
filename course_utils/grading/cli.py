"""`python -m course_utils grade SUBMISSION_OR_FOLDER...`: grade notebooks, print a table, write a gradebook.

Grading runs the submitted code. Grade untrusted submissions in a container or a throwaway VM.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..atomic import write_text_atomically
from ..server import serve_course_data
from .exercises import NotALesson, find_lesson
from .gradebook import gradebook_csv, table, write_feedback
from .grader import Limits, find_submissions, grade_all
from .lms import canvas_csv, moodle_csv, read_roster
from .report import write_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, metavar="SUBMISSION_OR_FOLDER",
                        help="notebooks, or folders searched for *.ipynb")
    parser.add_argument("--lesson", help="the lesson every submission should be (e.g. 01_data or 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds for running each notebook (default 600)")
    parser.add_argument("--cell-time-limit", type=float, default=300, help="seconds per cell (default 300)")
    parser.add_argument("--check-time-limit", type=float, default=120,
                        help="seconds for each exercise's check, run after the notebook (default 120)")
    parser.add_argument("--csv", type=Path, help="write the gradebook here: a row per submission")
    parser.add_argument("--csv-format", choices=("plain", "canvas", "moodle"), default="plain",
                        help="plain: a row per submission, a column per exercise (default); canvas or moodle: "
                             "their gradebook import, a row per learner of --roster")
    parser.add_argument("--roster", type=Path, help="for canvas/moodle: the learners (the LMS's gradebook export)")
    parser.add_argument("--points-possible", type=float, metavar="N",
                        help="for canvas: what the assignment is worth; scores are scaled to it (2 decimals)")
    parser.add_argument("--assignment", help='for canvas/moodle: the score column\'s name (default "Lesson NN_name")')
    parser.add_argument("--feedback", type=Path, help="write one Markdown file per submission into this folder")
    parser.add_argument("--report", type=Path, metavar="OUT.md",
                        help="write what the class got wrong: per exercise, the outcomes and the mistakes most "
                             "often named (Markdown, with its chart beside it)")
    args = parser.parse_args(argv)
    if args.csv_format != "plain" and not (args.csv and args.roster):
        parser.error(f"--csv-format {args.csv_format} needs --csv FILE and --roster FILE")
    if args.points_possible is not None and (args.csv_format != "canvas" or args.points_possible <= 0):
        parser.error("--points-possible is for --csv-format canvas, and must be above 0")
    if args.roster and args.csv_format == "plain":
        parser.error("--roster is for --csv-format canvas or moodle")
    roster = []
    if args.roster:
        try:
            roster = read_roster(args.roster, args.csv_format)
        except (OSError, ValueError) as error:
            parser.error(str(error))
    try:
        expected = find_lesson(args.lesson) if args.lesson else None
    except NotALesson as error:
        parser.error(str(error))
    submissions = find_submissions(args.paths)
    if not submissions:
        parser.error(f"no notebooks (*.ipynb) in {', '.join(map(str, args.paths))}")
    jobs = max(1, min(args.jobs, len(submissions)))
    limits = Limits(args.time_limit, args.cell_time_limit, args.check_time_limit)
    data = os.environ.get("COURSE_DATA")
    with serve_course_data(data) as url:
        print(f"grading {len(submissions)} notebook(s), {jobs} at a time; data: "
              f"{data or 'the offline stand-in'} (COURSE_DATA={url})", flush=True)
        graded = grade_all(submissions, url, limits, jobs, expected)
    print(table(graded))
    unmatched: list[str] = []
    if args.csv:
        if args.csv_format == "plain":
            text = gradebook_csv(graded)
        else:
            lesson = expected or next((g.lesson for g in graded if g.lesson), None)
            assignment = args.assignment or f"Lesson {lesson.name if lesson else ''}".strip()
            try:
                if args.csv_format == "canvas":
                    text, unmatched = canvas_csv(graded, roster, assignment, args.points_possible)
                else:
                    text, unmatched = moodle_csv(graded, roster, assignment)
            except ValueError as error:
                print(f"no gradebook written: {error}", file=sys.stderr)
                return 1
        write_text_atomically(args.csv, text)
        print(f"gradebook: {args.csv}")
    if args.feedback:
        written = write_feedback(graded, args.feedback)
        print(f"feedback: {len(written)} file(s) in {args.feedback}")
    if args.report:
        written = write_report(graded, args.report)
        print(f"class report: {', '.join(map(str, written))}")
    if unmatched:
        print(f"not in the gradebook, no learner of {args.roster} matched: {', '.join(unmatched)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
