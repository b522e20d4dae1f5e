"""Grade 20 submissions of lesson 1 with 1 job, then with 2; print submissions per minute for each.

    python -m benchmarks.grading                 # the offline stand-in
    COURSE_DATA=../shared/esc50-sample python -m benchmarks.grading

The submissions are scripts/make_submissions.py's honest, wrong, untouched, tampered-check,
deleted-check, inserted-cells and error cases, repeated to 20: notebooks that run to their end.
Both runs happen one after the other in this process, so that their ratio compares like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections import Counter
from pathlib import Path

from course_utils.grading.grader import Limits, grade_all
from course_utils.server import serve_course_data
from scripts import make_submissions

CASES = ["honest.ipynb", "wrong.ipynb", "untouched.ipynb", "tampered_check.ipynb", "deleted_check.ipynb",
         "inserted_cells.ipynb", "error.ipynb"]


def submissions(folder: Path, count: int) -> list[Path]:
    """`count` lesson-1 submissions in `folder`, cycling through CASES."""
    originals = {p.name: p.read_text() for p in make_submissions.write(folder / "cases", CASES)}
    paths = []
    for number in range(count):
        name = CASES[number % len(CASES)]
        path = folder / f"{number:02d}_{name.removesuffix('.ipynb')}_01_data.ipynb"
        path.write_text(originals[name])
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    data = os.environ.get("COURSE_DATA")
    figures = {}
    with tempfile.TemporaryDirectory() as temporary, serve_course_data(data, Path(temporary) / "standin") as url:
        paths = submissions(Path(temporary), args.count)
        for jobs in args.jobs:
            start = time.perf_counter()
            graded = grade_all(paths, url, Limits(), jobs=jobs, progress=False)
            seconds = time.perf_counter() - start
            results = Counter(r.result for g in graded for r in g.results)
            figures[jobs] = {"seconds": round(seconds, 1), "per_minute": round(60 * len(paths) / seconds, 2),
                             "results": dict(sorted(results.items()))}
            print(f"{jobs} job(s): {len(paths)} submissions in {seconds:6.1f} s = "
                  f"{60 * len(paths) / seconds:5.2f} per minute; results {dict(sorted(results.items()))}", flush=True)
    if len(figures) > 1:
        first, last = args.jobs[0], args.jobs[-1]
        print(f"{last} jobs / {first} job: {figures[first]['seconds'] / figures[last]['seconds']:.2f}x")
    print(json.dumps({"data": data or "stand-in", "cores": os.cpu_count(), "machine": platform.machine(),
                      "count": args.count, "runs": figures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
