"""pyproject.toml, environment.yml and binder/ install the same packages; Colab needs no upgrade."""

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.version import Version
from scripts.repo import REPO

COLAB_SET = REPO / ".ci" / "colab-2026-08.txt"


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _pip_lines(lines):
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith(("#", "-", "."))]


def _what_learners_install() -> set[str]:
    project = _pyproject()
    extras = project["optional-dependencies"]
    return {_name(r) for r in project["dependencies"] + extras["lab"] + extras["grade"]}


def _colab_versions() -> dict[str, Version]:
    pins = [Requirement(line) for line in _pip_lines(COLAB_SET.read_text().splitlines())]
    return {_name(pin.name): Version(next(iter(pin.specifier)).version) for pin in pins}


def test_package_dependencies_have_lower_bounds_only():
    for requirement in _pyproject()["dependencies"]:
        assert ">=" in requirement and "==" not in requirement and "<" not in requirement, requirement


def test_runtime_dependencies_leave_jupyterlab_and_test_tools_to_extras():
    runtime = {_name(r) for r in _pyproject()["dependencies"]}
    for tool in ("jupyterlab", "notebook", "pytest", "nbval", "nbclient", "playwright", "pyyaml"):
        assert tool not in runtime, f"{tool} belongs in an extra, not in what every learner installs"


def test_colab_already_meets_every_runtime_lower_bound():
    """Installing the course in Colab must upgrade none of the packages Colab ships."""
    colab = _colab_versions()
    for text in _pyproject()["dependencies"]:
        requirement = Requirement(text)
        name = _name(requirement.name)
        assert name in colab, f"{name} is missing from {COLAB_SET.name}"
        assert requirement.specifier.contains(colab[name]), f"Colab has {name} {colab[name]}, not {requirement}"


def test_colab_set_keeps_colab_jupyter_stack():
    colab = _colab_versions()
    assert colab["ipywidgets"] < Version("8") and colab["ipython"] < Version("8")
    assert "jupyterlab" not in colab


def test_environment_yml_matches_pyproject():
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert {_name(r) for r in _pip_lines(pip_section)} == _what_learners_install()
    assert any(re.fullmatch(r"python=3\.\d+", str(d)) for d in environment["dependencies"])
    assert "-e ." in pip_section


def test_binder_matches_pyproject():
    requirements = (REPO / "binder" / "requirements.txt").read_text().splitlines()
    assert {_name(r) for r in _pip_lines(requirements)} == _what_learners_install()
    assert "download.pytorch.org/whl/cpu" in (REPO / "binder" / "requirements.txt").read_text()
    assert re.fullmatch(r"python-3\.\d+\s*", (REPO / "binder" / "runtime.txt").read_text())
    assert "pip install --no-deps -e ." in (REPO / "binder" / "postBuild").read_text()


def test_supported_pythons_agree():
    """requires-python, Binder's and conda's Python, and the Colab emulation's lie in one range."""
    oldest = Version(re.fullmatch(r">=(3\.\d+)", _pyproject()["requires-python"]).group(1))
    binder = Version((REPO / "binder" / "runtime.txt").read_text().strip().removeprefix("python-"))
    conda = Version(re.search(r"python=(3\.\d+)", (REPO / "environment.yml").read_text()).group(1))
    assert oldest <= binder and oldest <= conda
    from course_utils.doctor import MIN_PYTHON

    assert Version(".".join(map(str, MIN_PYTHON))) == oldest
    readme = (REPO / "README.md").read_text()
    assert f"Python {oldest} to 3.13" in readme


def test_the_wheel_carries_the_pristine_checks(tmp_path):
    """`pip install` from git must bring exercises.json, or the grader has nothing to restore from."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source)
    for folder in ("course_utils", "scripts", "benchmarks"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "wheels"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "wheels").glob("course_utils-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "course_utils/grading/exercises.json" in names
    assert not [n for n in names if n.startswith(("scripts/", "benchmarks/"))]  # the maintainers' tools stay out
