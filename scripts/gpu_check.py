"""Run every lesson on the GPU and show that its training really ran there.

    make gpu-check                           # CUDA (Colab's GPU runtime, a workstation)
    python -m scripts.gpu_check --mps        # Apple silicon
    python -m scripts.gpu_check notebooks/solutions/05_cnn_on_spectrograms.ipynb

Each solution runs as `make chapter` runs it (the stand-in, or COURSE_DATA, served on 127.0.0.1),
with a cell added before the lesson that counts every optimizer step by the device and dtype of
the parameters it updates, and one added after it that reports the counts and the device's peak
memory. A lesson fails if it errs or writes to stderr, if any step ran off the GPU or in float64,
or if a lesson that trains took no step there. Without the GPU it stops at once with exit status 2:
this check never passes on a machine that cannot run it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from scripts.repo import ARTIFACTS, SOLUTIONS, lesson_files

TAG = "gpu-check"
REPORT_PREFIX = "GPU-CHECK "

# Registered before the lesson's first cell: counts optimizer steps by (device type, dtype).
COUNT_STEPS = """\
import collections as _collections

import torch as _torch
from torch.optim.optimizer import register_optimizer_step_pre_hook as _register_step_hook

_gpu_check_steps = _collections.Counter()


def _gpu_check_count(optimizer, args, kwargs):
    kinds = {(p.device.type, str(p.dtype).removeprefix("torch."))
             for group in optimizer.param_groups for p in group["params"] if p.requires_grad}
    _gpu_check_steps.update(f"{device} {dtype}" for device, dtype in kinds)


_gpu_check_hook = _register_step_hook(_gpu_check_count)
"""

# Run after the lesson's last cell: one line of JSON on stdout.
REPORT = f"""\
import json as _json

_gpu_check_report = {{"steps": dict(_gpu_check_steps), "peak_mib": None, "name": None}}
if _torch.cuda.is_available():
    _gpu_check_report.update(peak_mib=_torch.cuda.max_memory_allocated() / 2**20,
                             name=_torch.cuda.get_device_name())
elif _torch.backends.mps.is_available():
    _gpu_check_report.update(peak_mib=_torch.mps.driver_allocated_memory() / 2**20, name="mps")
print({REPORT_PREFIX!r} + _json.dumps(_gpu_check_report))
"""

TRAINING_CALLS = re.compile(r"\b(fit|cross_validate|few_shot_study|cached_pretrain|train_one_epoch)\(")
# Lessons that train only when a model saved by an earlier lesson is missing; run after it, they train nothing.
TRAINS_WITHOUT_SAVED_MODEL = {"10_your_own_sounds"}


def trains(notebook) -> bool:
    """Whether a lesson trains a model: a code cell calls one of the course's training loops."""
    return any(cell.cell_type == "code" and TRAINING_CALLS.search(_code(cell.source)) for cell in notebook.cells)


def _code(source: str) -> str:
    """`source` without comment lines and `def` lines (a definition of a loop is not a call to it)."""
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("#", "def ")))


def instrumented(notebook):
    """A copy of `notebook` with the step counter before its cells and the report after them."""
    import copy

    import nbformat

    copied = copy.deepcopy(notebook)
    first = nbformat.v4.new_code_cell(COUNT_STEPS, metadata={"tags": [TAG]})
    last = nbformat.v4.new_code_cell(REPORT, metadata={"tags": [TAG]})
    copied.cells = [first, *copied.cells, last]
    return copied


def read_report(notebook) -> dict | None:
    """The report the last added cell printed, or None if it did not run."""
    for cell in reversed(notebook.cells):
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            if output.get("output_type") == "stream" and text.startswith(REPORT_PREFIX):
                return json.loads(text[len(REPORT_PREFIX):])
    return None


def judge(report: dict | None, device: str, lesson_trains: bool) -> list[str]:
    """What is wrong with a lesson's run on `device` ("cuda" or "mps"), from its report; [] if nothing."""
    if report is None:
        return ["the lesson did not reach its end, so there is no report"]
    found = []
    steps = {tuple(kind.split()): count for kind, count in report["steps"].items()}
    elsewhere = {f"{d} {t}": n for (d, t), n in steps.items() if d != device}
    if elsewhere:
        found.append(f"optimizer steps off the {device}: {elsewhere}")
    wide = {f"{d} {t}": n for (d, t), n in steps.items() if t == "float64"}
    if wide:
        found.append(f"float64 parameters, which MPS cannot hold: {wide}")
    on_device = sum(n for (d, _), n in steps.items() if d == device)
    if lesson_trains and on_device == 0:
        found.append(f"the lesson trains, but no optimizer step ran on the {device}")
    return found


def device_available(device: str) -> bool:
    """Whether torch can use `device` ("cuda" or "mps") here."""
    import torch

    return torch.cuda.is_available() if device == "cuda" else torch.backends.mps.is_available()


def why_unavailable(device: str) -> str:
    """One line on why `device` cannot be used, with what torch was built with."""
    import torch

    if device == "cuda":
        build = f"built with CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
        return (f"no CUDA GPU: torch {torch.__version__} ({build}) sees none. On Colab: Runtime > Change "
                "runtime type > a GPU; elsewhere, a CUDA build of torch and a GPU it supports.")
    return (f"no MPS device: torch {torch.__version__} reports torch.backends.mps.is_available() False "
            f"(built with MPS: {torch.backends.mps.is_built()}). MPS needs Apple silicon and macOS 12.3 or later.")


def run_lesson(path: Path, device: str, out_dir: Path, cell_timeout: int = 900) -> tuple[float, dict | None, list[str]]:
    """Execute one instrumented lesson; (seconds, its report, what went wrong)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from scripts.run_chapter import problems, write_notebook

    original = nbformat.read(path, as_version=4)
    notebook = instrumented(original)
    client = NotebookClient(notebook, timeout=cell_timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    stopped = []
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError:
        pass  # the error is in the notebook, where problems() finds it
    except (DeadKernelError, CellTimeoutError) as error:
        stopped.append(f"{type(error).__name__}: {str(error).strip()[:200]}")
    seconds = time.perf_counter() - start
    write_notebook(notebook, out_dir / path.name)
    report = read_report(notebook)
    return seconds, report, stopped + problems(notebook, learner_copy=False) + judge(report, device, trains(original) and path.stem not in TRAINS_WITHOUT_SAVED_MODEL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--mps", action="store_true", help="check Apple's MPS instead of CUDA")
    parser.add_argument("--out", type=Path, default=ARTIFACTS / "executed-gpu", help="where the executed copies go")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every solution")
    args = parser.parse_args(argv)
    device = "mps" if args.mps else "cuda"
    if not device_available(device):
        print(f"gpu_check: {why_unavailable(device)} Nothing was checked.", file=sys.stderr)
        return 2
    from scripts.run_chapter import course_data_served

    args.out.mkdir(parents=True, exist_ok=True)
    failures, total = 0, 0.0
    with course_data_served("gpu_check"):
        print(f"{'lesson':40s} {'time':>8s} {'peak ' + device + ' memory':>18s}  optimizer steps", flush=True)
        for path in args.notebooks or lesson_files(SOLUTIONS):
            seconds, report, found = run_lesson(path, device, args.out)
            total += seconds
            peak = f"{report['peak_mib']:9.0f} MiB" if report and report["peak_mib"] is not None else "n/a"
            steps = ", ".join(f"{n} on {kind}" for kind, n in sorted(report["steps"].items())) if report else "n/a"
            print(f"{path.name:40s} {seconds:6.1f} s {peak:>18s}  {steps or 'none (no training)'}", flush=True)
            for problem in found:
                print(f"  FAILED: {problem}", flush=True)
            failures += bool(found)
        name = report["name"] if report else device
        print(f"{'all lessons':40s} {total:6.1f} s  on {name}; {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
