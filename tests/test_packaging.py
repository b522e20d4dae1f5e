"""pyproject.toml, environment.yml and binder/ must install the same packages, without hard pins."""

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _pip_lines(lines):
    return [line for line in lines if line.strip() and not line.strip().startswith(("#", "-", "."))]


def test_package_dependencies_have_lower_bounds_only():
    for requirement in _pyproject()["dependencies"]:
        assert ">=" in requirement and "==" not in requirement and "<" not in requirement, requirement


def test_environment_yml_matches_pyproject():
    environment = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert {_name(r) for r in _pip_lines(pip_section)} == {_name(r) for r in _pyproject()["dependencies"]}
    assert any(re.fullmatch(r"python=3\.\d+", str(d)) for d in environment["dependencies"])
    assert "-e ." in pip_section


def test_binder_matches_pyproject():
    requirements = (REPO / "binder" / "requirements.txt").read_text().splitlines()
    assert {_name(r) for r in _pip_lines(requirements)} == {_name(r) for r in _pyproject()["dependencies"]}
    assert "download.pytorch.org/whl/cpu" in (REPO / "binder" / "requirements.txt").read_text()
    assert re.fullmatch(r"python-3\.\d+\s*", (REPO / "binder" / "runtime.txt").read_text())
    assert "pip install --no-deps -e ." in (REPO / "binder" / "postBuild").read_text()
