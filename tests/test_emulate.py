"""scripts/emulate.py: the Colab and Binder emulations' own logic (the emulations themselves run in CI)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest
from scripts.repo import LEARNER_COPIES, REPO, lesson_files

LESSONS = lesson_files(LEARNER_COPIES)


@pytest.fixture(scope="module")
def emulate(load_script):
    return load_script("emulate")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_installs_the_course_the_same_way(emulate, lesson):
    arguments = emulate.colab_install_arguments(lesson)
    assert arguments == emulate.colab_install_arguments(LESSONS[0])
    assert arguments[-1] == f"course_utils @ git+file://{REPO}"


def test_install_line_without_a_repository_is_refused(emulate, tmp_path):
    notebook = tmp_path / "lesson.ipynb"
    notebook.write_text('{"cells": [{"cell_type": "code", "source": ["%pip install course_utils"]}]}')
    with pytest.raises(SystemExit, match="names no GitHub repository"):
        emulate.colab_install_arguments(notebook)


def test_plan_is_split_into_added_and_changed_packages(emulate):
    before = {"ipywidgets": "7.7.1", "numpy": "2.1.3"}
    plan = [("course-utils", "0.1.0"), ("ipywidgets", "8.1.9"), ("numpy", "2.1.3")]
    assert emulate.compare(before, plan) == (["course-utils 0.1.0"], ["ipywidgets 7.7.1 -> 8.1.9"])
    assert emulate.compare(before, [("course-utils", "0.1.0")]) == (["course-utils 0.1.0"], [])


def test_names_are_compared_as_pip_normalises_them(emulate):
    assert emulate.normalise("Jupyter_Client") == emulate.normalise("jupyter-client") == "jupyter-client"


def test_unreachable_index_is_dropped_and_said(emulate, tmp_path, monkeypatch, capsys, server):
    from course_utils.server import free_port

    binder = tmp_path / "binder"
    binder.mkdir()
    dead = f"http://127.0.0.1:{free_port()}/whl/cpu"
    (binder / "requirements.txt").write_text(
        f"--extra-index-url {dead}\n--extra-index-url {server.url}/meta/esc50.csv\ntorch>=2.1\n")
    monkeypatch.setattr(emulate, "BINDER", binder)
    kept = emulate.binder_requirements(tmp_path).read_text().splitlines()
    assert kept == [f"--extra-index-url {server.url}/meta/esc50.csv", "torch>=2.1"]
    assert f"{dead} is unreachable here" in capsys.readouterr().out


def test_python_is_found_by_version(emulate):
    version = "%d.%d" % sys.version_info[:2]
    found = emulate.find_python(version)
    assert found.name == f"python{version}"
    with pytest.raises(SystemExit, match="no working Python 3.99"):
        emulate.find_python("3.99")


def test_build_only_builds_colabs_environment_and_runs_nothing_in_it(emulate, tmp_path, monkeypatch):
    built, ran = [], []
    monkeypatch.setattr(emulate, "venv", lambda name, python, recipe, build: built.append(name) or tmp_path)
    monkeypatch.setattr(emulate, "run", lambda *command, **options: ran.append(command))
    monkeypatch.setattr(emulate, "run_lessons", lambda *args, **kwargs: ran.append("lessons"))
    monkeypatch.setattr(emulate, "installed", lambda env: ran.append("installed") or {})
    emulate.colab(argparse.Namespace(python=sys.executable, build_only=True))
    assert built == ["colab"] and ran == []


def test_an_environment_built_with_the_same_recipe_is_reused_and_a_half_built_one_is_not(emulate, tmp_path,
                                                                                           monkeypatch):
    monkeypatch.setattr(emulate, "ENVS", tmp_path)
    monkeypatch.setattr(emulate, "run", lambda *command, **options: (tmp_path / "colab").mkdir(exist_ok=True))
    builds = []
    first = emulate.venv("colab", Path(sys.executable), "recipe", builds.append)
    assert emulate.venv("colab", Path(sys.executable), "recipe", builds.append) == first and len(builds) == 1
    emulate.venv("colab", Path(sys.executable), "another recipe", builds.append)
    assert len(builds) == 2

    def fails(env):
        raise RuntimeError("pip failed")

    with pytest.raises(RuntimeError):
        emulate.venv("colab", Path(sys.executable), "a third", fails)
    emulate.venv("colab", Path(sys.executable), "a third", builds.append)
    assert len(builds) == 3
