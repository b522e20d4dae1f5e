"""A pytest plugin for the grader: nbval runs the cells, this records what each one did.

Loaded with `-p course_utils.grading.nbval_recorder`; it appends one JSON object per line to the file
named by $COURSE_GRADE_RECORD, flushed at once, so that what ran before a kill is kept:

    {"event": "start", "cell": 4, "tag": ["1.1", "check"], "line": "the cell's first two lines"}
    {"event": "end", "cell": 4, "tag": [...], "error": {"ename": ..., "evalue": ...} | null,
     "failure": null | "timeout" | "kernel dead", "stdout": "last lines printed"}
    {"event": "kernel died", "cell": 4}

nbval notices a dead kernel only when the cell's time limit runs out; a watchdog thread
notices within half a second, records it and ends pytest, so that the grader moves on.
"""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from . import OUTPUT_TAIL
from .exercises import exercise_tag


class _Record:
    def __init__(self, path: str):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115  (open for the whole session)
        self.lock = threading.Lock()
        self.running: tuple[int, object] | None = None  # (cell number, the kernel's process)

    def write(self, **event) -> None:
        with self.lock:
            self.file.write(json.dumps(event) + "\n")
            self.file.flush()

    def watch(self) -> None:
        while True:
            time.sleep(0.5)
            running = self.running
            if running and running[1].poll() is not None:
                self.write(event="kernel died", cell=running[0])
                os._exit(0)


_record: _Record | None = None


def pytest_configure(config) -> None:
    global _record
    path = os.environ.get("COURSE_GRADE_RECORD")
    if path:
        _record = _Record(path)
        threading.Thread(target=_record.watch, daemon=True).start()


def _kernel_process(item):
    manager = getattr(getattr(item.parent, "kernel", None), "km", None)
    provisioner = getattr(manager, "provisioner", None)
    return getattr(provisioner, "process", None) or getattr(manager, "kernel", None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    if _record is None or not hasattr(item, "cell_num"):
        yield
        return
    lines = [line.strip() for line in item.cell.source.splitlines() if line.strip()]
    _record.write(event="start", cell=item.cell_num, tag=exercise_tag(item.cell), line=" / ".join(lines[:2])[:120])
    process = _kernel_process(item)
    _record.running = (item.cell_num, process) if process is not None else None
    try:
        yield
    finally:
        _record.running = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    yield
    if _record is None or call.when != "call" or not hasattr(item, "cell_num"):
        return
    outputs = getattr(item, "test_outputs", None) or []
    error = next(({"ename": o["ename"], "evalue": str(o["evalue"])[:OUTPUT_TAIL]}
                  for o in outputs if o.get("output_type") == "error"), None)
    stdout = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"
                     and o.get("name") == "stdout")[-OUTPUT_TAIL:]
    message = str(call.excinfo.value) if call.excinfo else ""
    failure = ("timeout" if message.startswith("Timeout") else
               "kernel dead" if message.startswith("Kernel dead") else None)
    if error or failure or exercise_tag(item.cell):
        _record.write(event="end", cell=item.cell_num, tag=exercise_tag(item.cell), error=error, failure=failure,
                      stdout=stdout)
