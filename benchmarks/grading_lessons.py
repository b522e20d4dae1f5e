"""Grade each lesson's solution once, as one submission: how long it takes and how much memory all
of its grading processes hold together at their peak; and the Gradescope settings that follow.

    python -m benchmarks.grading_lessons                 # both core counts, the offline stand-in
    python -m benchmarks.grading_lessons --cores 1 --lessons 1 7
    python -m benchmarks.grading_lessons --write         # also store the figures for the export
    python -m benchmarks.grading_lessons --data ../shared/esc50-sample --categories dog,cow,rooster,vacuum_cleaner --write

Each grading is `python -m course_utils grade SOLUTION --jobs 1` in a process of its own, pinned to
the first `--cores` cores (with as many threads). A thread samples every 0.1 s the proportional set
size (PSS: resident memory, a page shared by n processes counted 1/n in each) of that process and
all of its descendants (grader, pytest, kernel, the checks' processes), summed: the memory they hold
together, which is what a container's memory limit counts. Gradescope's default container has half a vCPU:
the notebook's suggested time there is the one-core grading time doubled, plus half again for
headroom; the timeout adds each check's time limit and a margin (course_utils.grading.gradescope).
Where that would pass Gradescope's longest timeout (40 minutes), it suggests 1 vCPU instead.
--write stores the figures in course_utils/grading/resources.json, which
`python -m course_utils export gradescope` reads to set its time limits and to say what to set.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from course_utils.grading.exercises import find_lesson
from course_utils.grading.exercises import lessons as graded_lessons
from course_utils.grading.gradescope import gradescope_settings

from course_utils.server import serve_course_data
from scripts.repo import SOLUTIONS

RESOURCES = Path(__file__).resolve().parents[1] / "course_utils" / "grading" / "resources.json"


def _tree_pss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_full_info().pss
        except psutil.Error:
            pass  # ended between the listing and the reading
    return total


def grade_measured(notebook: Path, url: str, cores: int, gradebook: Path, categories: str = "") -> dict:
    """Grade one notebook in a pinned process of its own: seconds, peak MiB, its gradebook row."""
    env = os.environ | {"COURSE_DATA": url} | ({"COURSE_CATEGORIES": categories} if categories else {})
    # No cell limit short of the notebook's: a cell cut off would make the lesson look faster than it is.
    command = [sys.executable, "-m", "course_utils", "grade", str(notebook), "--jobs", "1", "--csv", str(gradebook),
               "--time-limit", "3600", "--cell-time-limit", "3600"]
    allowed = sorted(os.sched_getaffinity(0))[:cores]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               preexec_fn=lambda: os.sched_setaffinity(0, allowed))
    watched, peak, done = psutil.Process(process.pid), 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss(watched))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    row = gradebook.read_text().strip().splitlines()[-1] if gradebook.exists() else "(no gradebook)"
    return {"seconds": round(seconds, 1), "peak_mib": round(peak / 2**20), "row": row}


def settle(figures: dict[str, dict], data: str, write: bool) -> None:
    """Add each lesson's Gradescope settings to `figures` and print them; with `write`, store them in
    resources.json, keeping the figures not measured this time if they were measured on the same data."""
    if write and RESOURCES.exists():
        stored = json.loads(RESOURCES.read_text())
        kept = stored["lessons"] if stored.get("data") == data else {}
        figures = {name: kept.get(name, {}) | figures.get(name, {}) for name in dict.fromkeys([*kept, *figures])}
    print(f"\n{'lesson':<32}{'Gradescope CPUs':>16}{'timeout':>10}{'memory':>10}")
    for name, by_cores in figures.items():
        if "1" not in by_cores:
            continue
        peak = max(m["peak_mib"] for cores, m in by_cores.items() if cores != "gradescope")
        by_cores["gradescope"] = settings = gradescope_settings(by_cores["1"]["seconds"], peak,
                                                                len(find_lesson(name).exercises))
        print(f"{name:<32}{settings['cpus']:>16g}{settings['timeout_minutes']:>6} min{settings['memory_mb']:>7} MB")
    if write:
        record = {"measured": datetime.date.today().isoformat(), "machine": f"{platform.machine()}, "
                  f"{os.cpu_count()} cores", "data": data, "lessons": figures}
        RESOURCES.write_text(json.dumps(record, indent=1) + "\n")
        print(f"written: {RESOURCES}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--lessons", nargs="+", default=None, help="lesson numbers; default: every graded lesson")
    parser.add_argument("--cores", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--data", type=Path, help="a folder with ESC-50's layout (real clips, read as a prefetched "
                        "autograder reads them); default: the offline stand-in, served on 127.0.0.1")
    parser.add_argument("--categories", default="", help="COURSE_CATEGORIES for the lessons, e.g. when --data "
                        "lacks some of the chapter's four")
    parser.add_argument("--write", action="store_true", help=f"store the figures in {RESOURCES.name}")
    args = parser.parse_args()
    data = (f"real clips ({args.data.name}; {args.categories or 'the chapter' + chr(39) + 's categories'})"
            if args.data else "the offline stand-in")
    lessons = [find_lesson(n) for n in args.lessons] if args.lessons else list(graded_lessons().values())
    figures: dict[str, dict] = {lesson.name: {} for lesson in lessons}
    with tempfile.TemporaryDirectory() as temporary, serve_course_data(None, Path(temporary) / "standin") as standin:
        url = str(args.data.resolve()) if args.data else standin
        print(f"{'lesson':<32}{'cores':>6}{'seconds':>9}{'peak MiB':>10}  scores (every exercise must be correct)")
        for lesson in lessons:
            for cores in args.cores:
                gradebook = Path(temporary) / f"{lesson.name}-{cores}.csv"
                measured = grade_measured(SOLUTIONS / f"{lesson.name}.ipynb", url, cores, gradebook, args.categories)
                figures[lesson.name][str(cores)] = measured
                print(f"{lesson.name:<32}{cores:>6}{measured['seconds']:>9.1f}{measured['peak_mib']:>10}  "
                      f"{measured['row']}", flush=True)
    settle(figures, data, args.write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
