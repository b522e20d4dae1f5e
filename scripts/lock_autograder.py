"""Write the autograder's lock files: every package Gradescope's image installs, pinned with its hashes.

    python -m scripts.lock_autograder          # rewrite both lock files
    python -m scripts.lock_autograder --check  # exit 1 if either would change

`course_utils/grading/autograder.lock` is the course's grading environment: its dependencies and
the grade extra, for CPython 3.11 on x86_64 Linux (glibc 2.28 or newer), with torch and torchvision
at the versions CI tests. `autograder-uv.lock` is uv itself, which setup.sh installs first and which
then installs the Python and the lock. uv resolves as of EXCLUDE_NEWER, so running this again later
gives the same bytes; move that date forward to take newer releases, then run the tests.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from course_utils.grading.gradescope import PYTHON_VERSION, UV_VERSION
from scripts.repo import REPO

LOCK = REPO / "course_utils" / "grading" / "autograder.lock"
UV_LOCK = REPO / "course_utils" / "grading" / "autograder-uv.lock"
EXCLUDE_NEWER = "2026-12-04T00:00:00Z"
PLATFORM = "x86_64-manylinux_2_28"  # Gradescope's Ubuntu 22.04 has glibc 2.35
INDEX = "https://pypi.org/simple"
# PyPI's builds: the CPU-only ones live on download.pytorch.org, which not every machine that
# locks can reach; these run on the CPU as they are, and are the files CI's environment installs.
TORCH = ("torch==2.14.1", "torchvision==0.29.1")
SYSTEM_PYTHON = "3.10"  # Ubuntu 22.04's python3, which installs uv


def requirements() -> list[str]:
    """What the autograder's environment must hold: the package's dependencies, the grade extra,
    the tested torch, and setuptools (the course is built from the zip without a build environment)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    project = pyproject["project"]
    pinned = {r.split("==")[0] for r in TORCH}
    wanted = [r for r in project["dependencies"] + project["optional-dependencies"]["grade"]
              if r.split(">")[0].split("=")[0].strip() not in pinned]
    return [*TORCH, *dict.fromkeys(wanted), *pyproject["build-system"]["requires"]]


def compile_lock(lines: list[str], python: str, header: str) -> str:
    """uv's hashed lock of `lines` for `python` on PLATFORM, as of EXCLUDE_NEWER, after `header`."""
    with tempfile.TemporaryDirectory() as folder:
        wanted, out = Path(folder) / "requirements.in", Path(folder) / "requirements.txt"
        wanted.write_text("\n".join(lines) + "\n")
        subprocess.run([sys.executable, "-m", "uv", "pip", "compile", str(wanted), "-o", str(out), "--quiet",
                        "--python-version", python, "--python-platform", PLATFORM, "--generate-hashes",
                        "--no-header", "--index-url", INDEX, "--exclude-newer", EXCLUDE_NEWER,
                        "--no-annotate"], check=True)
        return header + out.read_text()


def locks() -> dict[Path, str]:
    """Each lock file and the text it should hold."""
    command = "# Written by `python -m scripts.lock_autograder`; do not edit by hand.\n"
    resolved = f"resolved by uv {UV_VERSION} for {PLATFORM} from PyPI as of {EXCLUDE_NEWER}.\n"
    return {
        LOCK: compile_lock(requirements(), PYTHON_VERSION, command + f"# CPython {PYTHON_VERSION}; " + resolved),
        UV_LOCK: compile_lock([f"uv=={UV_VERSION}"], SYSTEM_PYTHON,
                              command + f"# uv for the system's Python {SYSTEM_PYTHON}; " + resolved),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a lock file would change")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in locks().items():
        old = path.read_text() if path.exists() else ""
        if old == text:
            print(f"{path.relative_to(REPO)}: up to date")
        elif args.check:
            stale += 1
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), str(path), "now"))
        else:
            path.write_text(text)
            print(f"{path.relative_to(REPO)}: written ({text.count('==')} packages)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
