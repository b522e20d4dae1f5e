"""`python -m course_utils grade SUBMISSION_OR_FOLDER...`: grade notebooks, print a table, write a gradebook.

Grading runs the submitted code. Grade untrusted submissions in a container or a throwaway VM.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..files import write_text_atomically
from ..server import serve_course_data
from .exercises import NotALesson, find_lesson
from .gradebook import gradebook_csv, table, write_feedback
from .grader import Limits, find_submissions, grade_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, metavar="SUBMISSION_OR_FOLDER",
                        help="notebooks, or folders searched for *.ipynb")
    parser.add_argument("--lesson", help="the lesson every submission should be (e.g. 01_data or 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds per submission (default 600)")
    parser.add_argument("--cell-time-limit", type=float, default=300, help="seconds per cell (default 300)")
    parser.add_argument("--csv", type=Path, help="write the gradebook here: a row per submission")
    parser.add_argument("--feedback", type=Path, help="write one Markdown file per submission into this folder")
    args = parser.parse_args(argv)
    try:
        expected = find_lesson(args.lesson) if args.lesson else None
    except NotALesson as error:
        parser.error(str(error))
    submissions = find_submissions(args.paths)
    if not submissions:
        parser.error(f"no notebooks (*.ipynb) in {', '.join(map(str, args.paths))}")
    jobs = max(1, min(args.jobs, len(submissions)))
    limits = Limits(args.time_limit, args.cell_time_limit)
    data = os.environ.get("COURSE_DATA")
    with serve_course_data(data) as url:
        print(f"grading {len(submissions)} notebook(s), {jobs} at a time; data: "
              f"{data or 'the offline stand-in'} (COURSE_DATA={url})", flush=True)
        graded = grade_all(submissions, url, limits, jobs, expected)
    print(table(graded))
    if args.csv:
        write_text_atomically(args.csv, gradebook_csv(graded))
        print(f"gradebook: {args.csv}")
    if args.feedback:
        written = write_feedback(graded, args.feedback)
        print(f"feedback: {len(written)} file(s) in {args.feedback}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
