""".ci/run's own control flow, on stand-ins for its phases: its exit status is the phases' outcome, and
the environment it builds in the background never outlives it. (CI itself runs the real phases.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from scripts.repo import REPO

# Each stand-in phase records that it ran, then fails where FAIL names it; the background build
# sleeps first, so that a phase failing before it ends leaves it running.
EMULATE = """import os, sys, time
place = sys.argv[1]
name = place + ("-build" if "--build-only" in sys.argv else "")
if name == "colab-build":
    with open("build.pid", "w") as pid:
        pid.write(str(os.getpid()))
    time.sleep(float(os.environ.get("BUILD_SECONDS", "0")))
with open("ran.txt", "a") as log:
    log.write(name + "\\n")
if name == "binder-build":
    os.makedirs("artifacts/envs/binder/bin", exist_ok=True)
sys.exit(3 if os.environ.get("FAIL") == name else 0)
"""
MAKEFILE = "test:\n\t@echo make-test >> ran.txt\n\t@test \"$$FAIL\" != make-test\n"


def _run(tmp_path: Path, fail: str = "", build_seconds: float = 0) -> tuple[int, list[str]]:
    (tmp_path / ".ci").mkdir()
    shutil.copy(REPO / ".ci" / "run", tmp_path / ".ci" / "run")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "__init__.py").write_text("")
    (tmp_path / "scripts" / "emulate.py").write_text(EMULATE)
    (tmp_path / "Makefile").write_text(MAKEFILE)
    env = os.environ | {"FAIL": fail, "BUILD_SECONDS": str(build_seconds)}
    done = subprocess.run(["bash", ".ci/run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    ran = (tmp_path / "ran.txt").read_text().split() if (tmp_path / "ran.txt").exists() else []
    return done.returncode, ran


@pytest.fixture(autouse=True)
def _what_the_script_needs(tmp_path):
    for program in ("/usr/bin/chromium", shutil.which("python3.11"), shutil.which("make"), shutil.which("pkill")):
        if not program or not Path(program).exists():
            pytest.skip(f".ci/run needs {program or 'python3.11, make and pkill'} before its phases start")
    if shutil.disk_usage(tmp_path).free < 40 * 2**30:
        pytest.skip(".ci/run builds in the background only with 40 GiB free, and there is less here")


def test_when_every_phase_passes_the_run_passes(tmp_path):
    status, ran = _run(tmp_path)
    assert status == 0 and ran[-2:] == ["make-test", "colab"], ran
    assert {"colab-build", "binder-build"} <= set(ran)


@pytest.mark.parametrize("phase", ["colab-build", "binder-build", "make-test", "colab"])
def test_a_failing_phase_fails_the_run(tmp_path, phase):
    status, ran = _run(tmp_path, fail=phase)
    assert status != 0 and phase in ran, ran
    assert "colab" not in ran or phase == "colab"  # nothing runs in an environment whose build failed


def test_a_run_that_fails_early_leaves_no_build_running(tmp_path):
    status, ran = _run(tmp_path, fail="binder-build", build_seconds=60)
    assert status != 0 and "colab-build" not in ran  # stopped while it slept, before it could record itself
    pid = int((tmp_path / "build.pid").read_text())
    deadline = time.monotonic() + 10  # a signalled process takes a moment to go
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid), f"the background build (pid {pid}) outlived the run"


def _alive(pid: int) -> bool:
    """Running, not gone or a zombie waiting to be reaped."""
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
