"""scripts/lock_autograder.py: the autograder's lock files pin all it installs, with hashes, and can be made again."""

from __future__ import annotations

import re
import urllib.request

import pytest
from packaging.requirements import Requirement

from course_utils.grading.gradescope import PYTHON_VERSION, UV_VERSION
from scripts import lock_autograder


def _pins(text: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) for each requirement of a hashed lock file."""
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if match:
            pins[match[1].lower().replace("_", "-")] = (match[2], re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return pins


def test_every_requirement_is_pinned_to_a_version_it_allows_with_hashes():
    pins = _pins(lock_autograder.LOCK.read_text())
    for line in lock_autograder.requirements():
        wanted = Requirement(line)
        version, hashes = pins[wanted.name.lower()]
        assert wanted.specifier.contains(version), (line, version)
    assert all(hashes for _, hashes in pins.values())
    assert all(re.fullmatch(r"\S+==\S+ \\", line) or line.startswith(("    --hash", "#"))
               for line in lock_autograder.LOCK.read_text().splitlines()), "only pins and hashes"
    assert pins["torch"][0] == "2.14.1" and {"pytest", "nbval", "cloudpickle", "psutil", "setuptools"} <= set(pins)


def test_the_requirements_are_the_packages_dependencies_the_grade_extra_and_the_tested_torch():
    names = [Requirement(line).name for line in lock_autograder.requirements()]
    assert names[:2] == ["torch", "torchvision"] and len(names) == len(set(names))
    assert {"librosa", "torchsummary", "ipywidgets", "nbval", "psutil", "setuptools"} <= set(names)


def test_the_headers_name_the_python_and_the_uv_that_made_them():
    lock, uv_lock = lock_autograder.LOCK.read_text(), lock_autograder.UV_LOCK.read_text()
    assert f"# CPython {PYTHON_VERSION}; resolved by uv {UV_VERSION} " in lock
    assert lock_autograder.EXCLUDE_NEWER in lock and lock_autograder.EXCLUDE_NEWER in uv_lock
    assert list(_pins(uv_lock)) == ["uv"] and _pins(uv_lock)["uv"][0] == UV_VERSION


@pytest.fixture
def pypi() -> None:
    try:
        urllib.request.urlopen("https://pypi.org/simple/uv/", timeout=5).close()
    except OSError as error:
        pytest.skip(f"PyPI cannot be reached ({error})")


@pytest.mark.network
def test_locking_again_gives_the_same_bytes(pypi, capsys):
    assert lock_autograder.main(["--check"]) == 0, capsys.readouterr().out
