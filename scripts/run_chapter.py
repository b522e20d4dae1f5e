"""Run every solution notebook against a local server, as CI and offline classrooms do.

The server (course_utils.server) serves the offline stand-in, or the ESC-50 folder named by
COURSE_DATA, on 127.0.0.1, so the lessons' download code runs for real without internet.

    python -m scripts.run_chapter                   # execute; executed copies go to artifacts/executed/
    python -m scripts.run_chapter --nbval           # check every notebook with nbval instead
                                                    # (it too keeps the executed copies)
    python -m scripts.run_chapter --learner-copies  # the learners' copies: every check says "not answered yet"

Each lesson's time and its kernel's peak memory (resident set; Linux only) are printed;
--max-memory-mib makes a lesson above that peak a failure (mybinder.org allows about 2 GiB).

Each executed copy records which data it ran on (metadata.course.executed), for the web version
that scripts.build_site builds from the copies.

Set RUN_CHAPTER_KERNEL_LOG=1 to see the kernels' own log (hidden by default, as nbval hides it).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from IPython.core.displayhook import DisplayHook

from course_utils import notebook_format as fmt
from course_utils.atomic import atomic_path
from scripts.repo import ARTIFACTS, LEARNER_COPIES, SOLUTIONS, lesson_files

WIDGET = "application/vnd.jupyter.widget-view+json"
PORT = 8765  # fixed, so that the cache (one folder per source URL) is reused from run to run


def _serve(data: str | None):
    """Serve the stand-in, or the ESC-50 folder named by COURSE_DATA, from a child process."""
    from course_utils.server import port_is_free, serve_course_data

    if not (data in (None, "", "synthetic") or Path(data).is_dir()):
        sys.exit(f"run_chapter: COURSE_DATA must be unset, 'synthetic' or a folder, not {data!r}")
    return serve_course_data(data, ARTIFACTS / "served-standin", port=PORT if port_is_free(PORT) else 0)


def executed_stamp(data: str | None) -> dict:
    """What an executed copy ran on: the data (as COURSE_DATA named it), its categories, and when."""
    from course_utils.esc50 import course_categories

    return {"data": "offline stand-in" if data in (None, "", "synthetic") else data,
            "categories": course_categories(),
            "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def write_notebook(notebook, path: Path) -> None:
    """Write all or nothing: a temporary file in the same folder, then a rename."""
    import nbformat

    with atomic_path(path) as temporary:
        nbformat.write(notebook, temporary)


class KeepOutputs:
    """pytest plugin: while nbval runs the notebooks, keep each cell's outputs; write the copies at the end.

    nbval compares outputs but does not save them; this saves running the chapter a second time
    to get executed copies.
    """

    def __init__(self, out_dir: Path, stamp: dict):
        self.out_dir, self.stamp, self.notebooks = out_dir, stamp, {}

    def pytest_runtest_makereport(self, item, call) -> None:
        outputs = getattr(item, "test_outputs", None)
        if call.when != "call" or outputs is None or not hasattr(item, "cell"):
            return
        # nbval runs cells without storing them in IPython's history, so IPython's check for a
        # trailing ";" reads the previous cell and lets the value through: apply the rule here, so
        # that the copy shows what JupyterLab would (a figure once, not twice).
        quiet = DisplayHook.semicolon_at_end_of_expression(item.cell.source)
        item.cell.outputs = [o for o in outputs if not (quiet and o.output_type == "execute_result")]
        item.cell.execution_count = item.cell_num + 1
        for output in item.cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = item.cell_num + 1
        self.notebooks[Path(str(item.parent.fspath)).name] = item.parent.nb

    def pytest_sessionfinish(self, session) -> None:
        for name, notebook in self.notebooks.items():
            notebook.metadata.setdefault(fmt.KEY, {})["executed"] = self.stamp
            write_notebook(notebook, self.out_dir / name)
        if self.notebooks:
            print(f"\nrun_chapter: {len(self.notebooks)} executed copies written to {self.out_dir}")


def kernel_peak_mib(client) -> float | None:
    """The kernel process's peak resident memory so far, in MiB (Linux's VmHWM); None elsewhere."""
    try:
        pid = client.km.provisioner.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def problems(notebook, learner_copy: bool) -> list[str]:
    """What went wrong in an executed notebook: stderr anywhere, any error, and check cells that did
    not print one verdict line each. In a learner's copy every exercise's check must say that it is
    not answered yet (and the run go on to the end); in a solution, that it is correct."""
    found = []
    stubs = {n for cell in notebook.cells if cell.cell_type == "code" for n in fmt.stubbed_exercises(cell.source)}
    expected = "not attempted" if learner_copy else "correct"
    verdicts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        first_line = cell.source.splitlines()[0] if cell.source else ""
        if any(o.output_type == "stream" and o.name == "stderr" for o in cell.outputs):
            found.append(f"stderr output in the cell starting {first_line!r}")
        for error in (o for o in cell.outputs if o.output_type == "error"):
            found.append(f"{error.ename}: {error.evalue} in the cell starting {first_line!r}")
        if any(WIDGET in o.get("data", {}) and fmt.SNAPSHOT_KEY not in o.get("metadata", {}) for o in cell.outputs):
            found.append(f"a widget without a snapshot (saved, it shows 'model not found') in the cell starting {first_line!r}")
        if fmt.is_check(cell.source):
            printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
            said = fmt.verdict_lines(printed)
            verdicts += said
            if len(said) != 1 or said[0][1] != expected:
                found.append(f"the check cell {cell.source.splitlines()[-1]!r} said {said or printed[:200]!r}; "
                             f"expected one verdict, {expected!r}")
    if learner_copy and sorted(e for e, _ in verdicts) != sorted(stubs):
        found.append(f"exercises {sorted(stubs)} should each get a verdict; these did: {sorted(e for e, _ in verdicts)}")
    return found


def _execute(notebooks: list[Path], out_dir: Path, max_memory_mib: float | None, stamp: dict,
             memory_by_cell: bool = False, learner_copies: bool = False, cell_timeout: int = 900,
             time_by_cell: float | None = None) -> int:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    out_dir.mkdir(parents=True, exist_ok=True)
    total, failures = 0.0, 0
    print(f"{'lesson':45s} {'time':>8s} {'peak memory':>12s}", flush=True)
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        peak, by_cell = [0.0], []
        last = [time.perf_counter()]

        def measure(cell, **_) -> None:
            # The peak only grows, so the reading after the last cell is the lesson's peak.
            now = kernel_peak_mib(client) or 0.0
            first_line = cell.source.splitlines()[0][:60] if cell.source else ""
            if memory_by_cell and now - peak[0] >= 20:
                by_cell.append(f"  {now:6.0f} MiB (+{now - peak[0]:4.0f}) after {first_line!r}")
            peak[0] = max(peak[0], now)
            seconds, last[0] = time.perf_counter() - last[0], time.perf_counter()
            if time_by_cell is not None and seconds >= time_by_cell:
                by_cell.append(f"  {seconds:6.1f} s {first_line!r}")

        start = last[0] = time.perf_counter()
        client = NotebookClient(notebook, timeout=cell_timeout, kernel_name="python3", allow_errors=False,
                                resources={"metadata": {"path": str(path.parent)}},
                                on_cell_executed=measure)
        # The kernel process's own log (as under nbval) is not shown; what cells write to
        # stderr still lands in the notebook, where problems() looks for it.
        stopped = None
        try:
            client.execute(stderr=None if os.environ.get("RUN_CHAPTER_KERNEL_LOG") else subprocess.DEVNULL)
        except CellExecutionError:
            pass  # the failed cell's error is in the notebook, and problems() reports it
        except (DeadKernelError, CellTimeoutError) as error:  # this lesson fails; the others still run
            stopped = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
        seconds = time.perf_counter() - start
        total += seconds
        notebook.metadata.setdefault(fmt.KEY, {})["executed"] = stamp
        write_notebook(notebook, out_dir / path.name)
        memory = f"{peak[0]:7.0f} MiB" if peak[0] else "n/a"
        print(f"{path.name:45s} {seconds:6.1f} s {memory:>12s}", flush=True)
        for line in by_cell:
            print(line, flush=True)
        found = ([stopped] if stopped else []) + problems(notebook, learner_copies)
        if max_memory_mib and peak[0] > max_memory_mib:
            found.append(f"peak memory {peak[0]:.0f} MiB is above the limit of {max_memory_mib:.0f} MiB")
        for problem in found:
            print(f"  {problem}", flush=True)
        failures += bool(found)
    print(f"{'all notebooks':45s} {total:6.1f} s")
    return 1 if failures else 0


@contextlib.contextmanager
def course_data_served(tool: str = "run_chapter") -> Iterator[dict]:
    """Serve COURSE_DATA (default: the stand-in) on 127.0.0.1 and point the lessons' COURSE_DATA at it,
    each data set with its own cache; yields executed_stamp()."""
    data = os.environ.get("COURSE_DATA")
    # One cache per served data set: the server's URL is the same whatever it serves.
    label = "standin" if data in (None, "", "synthetic") else "folder-" + hashlib.sha256(
        str(Path(data).resolve()).encode()).hexdigest()[:10]
    os.environ.setdefault("COURSE_DATA_DIR", str(ARTIFACTS / "cache" / label))
    stamp = executed_stamp(data)
    with _serve(data) as url:
        os.environ["COURSE_DATA"] = url
        print(f"{tool}: data ({data or 'stand-in'}) served at {url}", flush=True)
        try:
            yield stamp
        finally:
            if data is None:
                os.environ.pop("COURSE_DATA", None)
            else:
                os.environ["COURSE_DATA"] = data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--nbval", action="store_true", help="check the notebooks with nbval")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the executed copies go (default: artifacts/executed, "
                             "with --learner-copies artifacts/executed-learner)")
    parser.add_argument("--max-memory-mib", type=float, default=None,
                        help="fail a lesson whose kernel's peak memory exceeds this")
    parser.add_argument("--memory-by-cell", action="store_true",
                        help="name each cell that raised the kernel's peak memory by 20 MiB or more")
    parser.add_argument("--time-by-cell", type=float, default=None, metavar="SECONDS",
                        help="name each cell that took at least SECONDS to run")
    parser.add_argument("--cell-timeout", type=int, default=900,
                        help="seconds a cell may run before its lesson fails (default 900)")
    parser.add_argument("--learner-copies", action="store_true",
                        help="run the learners' copies (notebooks/*.ipynb): nothing may fail, and every "
                             "check must say that its exercise is not answered yet")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="default: notebooks/solutions/*.ipynb (with --learner-copies, notebooks/*.ipynb)")
    args = parser.parse_args()
    if args.nbval:
        refused = [flag for flag, given in [("--max-memory-mib", args.max_memory_mib is not None),
                                            ("--memory-by-cell", args.memory_by_cell),
                                            ("--time-by-cell", args.time_by_cell is not None),
                                            ("--learner-copies", args.learner_copies)] if given]
        if refused:
            parser.error(f"--nbval cannot be combined with {', '.join(refused)}: nbval runs the solutions "
                         "and measures no memory; run without --nbval for that")
    folder = LEARNER_COPIES if args.learner_copies else SOLUTIONS
    args.out = args.out or ARTIFACTS / ("executed-learner" if args.learner_copies else "executed")
    notebooks = args.notebooks or lesson_files(folder)
    if not notebooks:
        print("run_chapter: no notebooks to run yet")
        return 0
    with course_data_served() as stamp:
        if args.nbval:
            import pytest

            return pytest.main(["--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
                                *map(str, notebooks)], plugins=[KeepOutputs(args.out, stamp)])
        return _execute(notebooks, args.out, args.max_memory_mib, stamp, args.memory_by_cell,
                        args.learner_copies, args.cell_timeout, args.time_by_cell)


if __name__ == "__main__":
    sys.exit(main())
