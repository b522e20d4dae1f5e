"""Rebuild the places where learners open the course, and run every lesson there.

    python -m scripts.emulate colab     # Colab's packages on Python 3.13 (.ci/colab-2026-08.txt)
    python -m scripts.emulate binder    # binder/ alone, on the Python that binder/runtime.txt names

colab: a virtual environment holding Colab's package set; then the course installed exactly as
each lesson's first cell installs it, from this checkout's committed state through git+file://.
Fails if pip would change any package already there, and prints what it would add.
binder: a virtual environment built only from binder/requirements.txt and binder/postBuild.
Then every lesson runs there (scripts.run_chapter), with each lesson's time and peak memory:
in Colab the learners' copies, which the Colab badges open (nothing may fail, every check must say
that its exercise is not answered yet, nothing may write to stderr); in Binder the solutions, each kernel
under 1.5 GiB. The environments stay in artifacts/envs/, so that the browser test can start
JupyterLab from Binder's: COURSE_LAB_PYTHON=artifacts/envs/binder/bin/python.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from scripts.repo import ARTIFACTS, LEARNER_COPIES, REPO

ENVS = ARTIFACTS / "envs"
COLAB_SET = REPO / ".ci" / "colab-2026-08.txt"
COLAB_PYTHON = "3.13"
FIRST_LESSON = LEARNER_COPIES / "01_data.ipynb"
BINDER = REPO / "binder"
BINDER_MEMORY_MIB = 1536  # mybinder.org gives a session about 2 GiB; leave room for JupyterLab


def say(message: str) -> None:
    print(f"emulate: {message}", flush=True)


def find_python(version: str) -> Path:
    """An interpreter for `version` ("3.13") that runs: on PATH, or installed by pyenv."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return Path(candidate)
    sys.exit(f"emulate: no working Python {version} found (looked on PATH and in ~/.pyenv/versions); "
             f"install it, e.g. `pyenv install {version}`")


def run(*command: str | os.PathLike, **options) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, **options)


def venv(name: str, python: Path, recipe: str, build: Callable[[Path], None]) -> Path:
    """A virtual environment in artifacts/envs/NAME, made by `build`; reused while the recipe is the same."""
    env = ENVS / name
    stamp = env / ".recipe"
    digest = hashlib.sha256(f"{python}\n{recipe}".encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        say(f"reusing {env} (same recipe; delete it to rebuild)")
        return env
    shutil.rmtree(env, ignore_errors=True)
    run(python, "-m", "venv", env)
    run(env / "bin" / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    build(env)
    stamp.write_text(digest)  # last, so that a build that failed halfway is never reused
    return env


def installed(env: Path) -> dict[str, str]:
    """{normalised name: version} of every package in the environment."""
    listing = run(env / "bin" / "python", "-m", "pip", "list", "--format=json",
                  capture_output=True, text=True).stdout
    return {normalise(item["name"]): item["version"] for item in json.loads(listing)}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_install_arguments(lesson: Path = FIRST_LESSON) -> list[str]:
    """The arguments of the `%pip install` line in the lesson's first code cell, for this checkout."""
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    first = next("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    line = next((l.strip() for l in first.splitlines() if l.strip().startswith("%pip install")), None)
    if line is None:
        sys.exit(f"emulate: no `%pip install` line in the first code cell of {lesson}")
    arguments = shlex.split(line)[2:]
    local = f"git+file://{REPO}"
    # The release tag the line names need not exist yet: what is tested is this commit.
    replaced = [re.sub(r"git\+https://github\.com/[\w.-]+/[\w.-]+(@[\w.-]+)?", local, a) for a in arguments]
    if replaced == arguments:
        sys.exit(f"emulate: the install line of {lesson} names no GitHub repository: {line}")
    return replaced


def pip_plan(env: Path, arguments: list[str]) -> list[tuple[str, str]]:
    """(name, version) of every package `pip install ARGUMENTS` would install, from a dry run."""
    report = env / "install-plan.json"
    run(env / "bin" / "python", "-m", "pip", "install", "--dry-run", "--quiet", "--report", report,
        *arguments)
    plan = json.loads(report.read_text())["install"]
    return [(normalise(item["metadata"]["name"]), item["metadata"]["version"]) for item in plan]


def compare(before: dict[str, str], plan: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Split a pip plan into packages it would add and packages of `before` it would change."""
    added = [f"{name} {version}" for name, version in plan if name not in before]
    changed = [f"{name} {before[name]} -> {version}" for name, version in plan
               if name in before and before[name] != version]
    return added, changed


def run_lessons(env: Path, name: str, learner_copies: bool = False, max_memory_mib: float | None = None) -> None:
    command = [env / "bin" / "python", "-m", "scripts.run_chapter", "--out", ARTIFACTS / f"executed-{name}"]
    if learner_copies:
        command.append("--learner-copies")
    if max_memory_mib:
        command += ["--max-memory-mib", str(max_memory_mib)]
    which = "learners' copy" if learner_copies else "solution"
    say(f"executing every lesson ({which}) in the {name} environment")
    # Colab's ipykernel 6.17 imports debugpy, which on Python 3.11+ prints a note about frozen
    # modules, meant for someone attaching a debugger, when the runner looks up the kernel.
    run(*command, cwd=REPO, env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})


def colab(args: argparse.Namespace) -> None:
    python = Path(args.python) if args.python else find_python(COLAB_PYTHON)

    def build(env: Path) -> None:
        say(f"installing Colab's package set ({COLAB_SET.name}) on {python}")
        run(env / "bin" / "python", "-m", "pip", "install", "--quiet", "-r", COLAB_SET)

    env = venv("colab", python, COLAB_SET.read_text(), build)
    if args.build_only:
        return
    before = installed(env)
    if before.pop("course-utils", None):  # left by a previous run in a reused environment
        run(env / "bin" / "python", "-m", "pip", "uninstall", "--quiet", "--yes", "course_utils")
    arguments = colab_install_arguments()
    head = run("git", "-C", REPO, "rev-parse", "--short", "HEAD", capture_output=True, text=True).stdout.strip()
    say(f"the lessons' install line, pointed at this checkout (commit {head}): pip install {shlex.join(arguments)}")
    added, changed = compare(before, pip_plan(env, arguments))
    say(f"pip would add {len(added)} package(s): {', '.join(added) or 'none'}")
    if changed:
        sys.exit("emulate: installing the course would change Colab's packages:\n  " + "\n  ".join(changed))
    say("pip would change none of the packages Colab ships")
    run(env / "bin" / "python", "-m", "pip", "install", *arguments)
    after = installed(env)
    changed = [f"{n} {v} -> {after.get(n, 'removed')}" for n, v in before.items() if after.get(n) != v]
    if changed:
        sys.exit("emulate: the install changed Colab's packages:\n  " + "\n  ".join(changed))
    run_lessons(env, "colab", learner_copies=True)


def reachable(url: str, seconds: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=seconds):
            return True
    except OSError:
        return False


def binder_requirements(env: Path) -> Path:
    """binder/requirements.txt, less any index this machine cannot reach (said aloud)."""
    kept = []
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        option = re.match(r"\s*--(?:extra-)?index-url[ =]\s*(\S+)", line)
        if option and not reachable(option.group(1)):
            say(f"{option.group(1)} is unreachable here: installing from the default index instead "
                "(on Binder, torch comes from that CPU-only index)")
            continue
        kept.append(line)
    path = env / "requirements-reachable.txt"
    path.write_text("\n".join(kept) + "\n")
    return path


def binder_python() -> Path:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", runtime)
    if not match:
        sys.exit(f"emulate: binder/runtime.txt should read python-X.Y, not {runtime!r}")
    return find_python(match.group(1))


def binder(args: argparse.Namespace) -> None:
    python = Path(args.python) if args.python else binder_python()
    recipe = "".join(p.read_text() for p in sorted(BINDER.iterdir()))

    def build(env: Path) -> None:
        say(f"building Binder's environment from binder/ on {python}")
        run(env / "bin" / "python", "-m", "pip", "install", "--quiet", "-r", binder_requirements(env),
            cwd=REPO)
        # repo2docker runs postBuild from the repository's root with the environment first on PATH
        path = f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}"
        run("bash", BINDER / "postBuild", cwd=REPO, env={**os.environ, "PATH": path, "VIRTUAL_ENV": str(env)})

    env = venv("binder", python, recipe, build)
    run(env / "bin" / "python", "-m", "pip", "check")
    if not args.build_only:
        run_lessons(env, "binder", max_memory_mib=BINDER_MEMORY_MIB)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("place", choices=["colab", "binder"])
    parser.add_argument("--python", help="the interpreter to build the environment with")
    parser.add_argument("--build-only", action="store_true",
                        help="build the environment (a later run reuses it), do not run the lessons")
    args = parser.parse_args()
    start = time.perf_counter()
    {"colab": colab, "binder": binder}[args.place](args)
    say(f"{args.place}: done in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
