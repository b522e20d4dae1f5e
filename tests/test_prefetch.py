"""course_utils.grading.prefetch: a lesson's clips (and weights) fetched once, whole or not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from course_utils.constants import AUDIO_DIR, DEFAULT_CATEGORIES, METADATA_PATH
from course_utils.download import clip_problem
from course_utils.few_shot import pick_source_categories, prepare_source_data
from course_utils.grading import grader, prefetch
from course_utils.grading.exercises import find_lesson, lessons
from course_utils.grading.grader import Limits
from course_utils.server import serve_course_data
from scripts.repo import lesson_files

LESSON = find_lesson("01_data")


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    with serve_course_data(None, tmp_path_factory.mktemp("standin")) as url:
        yield url


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir())


def test_the_folder_holds_the_metadata_and_exactly_the_lessons_clips_each_valid(standin, tmp_path):
    into = tmp_path / "data"
    written = prefetch.prefetch(LESSON, standin, into)
    metadata = pd.read_csv(into / METADATA_PATH)
    wanted = metadata[metadata["category"].isin(DEFAULT_CATEGORIES)]
    assert len(metadata) == 2000 and len(wanted) == 160
    assert sorted(p.name for p in (into / AUDIO_DIR).iterdir()) == sorted(wanted["filename"])
    assert all(clip_problem(p) is None for p in (into / AUDIO_DIR).iterdir())
    assert sorted(written) == sorted(p for p in into.rglob("*") if p.is_file())
    assert not (into / prefetch.WEIGHTS_DIR).exists() and prefetch.weights_folder(into) is None
    assert into.stat().st_mode & 0o777 == 0o755 and _leftovers(tmp_path) == ["data"]
    assert _modes(into) == {"folders": {0o755}, "files": {0o644}}  # submissions run as another user


def _modes(folder: Path) -> dict[str, set[int]]:
    """The permission bits found under `folder`, folders and files apart."""
    paths = list(folder.rglob("*"))
    return {"folders": {p.stat().st_mode & 0o777 for p in paths if p.is_dir()},
            "files": {p.stat().st_mode & 0o777 for p in paths if p.is_file()}}


def test_other_categories_are_fetched_when_the_lessons_are_asked_for_them(standin, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_CATEGORIES", "rooster,rain")
    prefetch.prefetch(LESSON, standin, tmp_path / "data")
    names = {p.name for p in (tmp_path / "data" / AUDIO_DIR).iterdir()}
    metadata = pd.read_csv(tmp_path / "data" / METADATA_PATH).set_index("filename")
    assert len(names) == 80 and set(metadata.loc[sorted(names), "category"]) == {"rooster", "rain"}


def test_a_clip_that_cannot_be_had_leaves_nothing_behind_and_is_named(standin, tmp_path):
    source = tmp_path / "source"
    prefetch.prefetch(LESSON, standin, source)
    missing = sorted((source / AUDIO_DIR).iterdir())[3]
    missing.unlink()
    work = tmp_path / "work"
    work.mkdir()
    assert prefetch.main(["--lesson", "1", "--source", str(source), str(work / "data")]) == 1
    assert _leftovers(work) == []
    assert prefetch.main(["--lesson", "1", "--source", str(source), str(source)]) == 1  # exists: refused, kept
    assert len(list((source / AUDIO_DIR).iterdir())) == 159


def test_the_message_names_the_file_that_failed(standin, tmp_path, capsys):
    source = tmp_path / "source"
    prefetch.prefetch(LESSON, standin, source)
    broken = sorted((source / AUDIO_DIR).iterdir())[0]
    broken.write_bytes(b"not a wav file")
    assert prefetch.main(["--lesson", "1", "--source", str(source), str(tmp_path / "data")]) == 1
    error = capsys.readouterr().err
    assert "nothing was written" in error and broken.name in error and not (tmp_path / "data").exists()


def test_a_lesson_that_builds_resnet18_gets_its_weights_and_others_do_not(standin, tmp_path, monkeypatch):
    fetched = []

    def fake_fetch(torch_home: Path) -> Path:
        fetched.append(torch_home)
        path = torch_home / "hub" / "checkpoints" / "resnet18-f37072fd.pth"
        path.parent.mkdir(parents=True)
        path.write_bytes(b"weights")
        path.chmod(0o600)  # as torch.hub's temporary file leaves it
        return path

    monkeypatch.setattr(prefetch, "_fetch_imagenet_weights", fake_fetch)
    prefetch.prefetch(find_lesson("7"), standin, tmp_path / "seven")
    prefetch.prefetch(find_lesson("5"), standin, tmp_path / "five")
    assert len(fetched) == 1 and prefetch.weights_folder(tmp_path / "seven") == tmp_path / "seven" / "torch"
    assert prefetch.weights_folder(tmp_path / "five") is None
    assert _modes(tmp_path / "seven") == {"folders": {0o755}, "files": {0o644}}


def test_a_failed_weights_download_leaves_nothing_behind(standin, tmp_path, monkeypatch):
    def unreachable(torch_home: Path) -> Path:
        (torch_home / "hub").mkdir(parents=True)
        raise OSError("could not fetch the weights: connection failed")

    monkeypatch.setattr(prefetch, "_fetch_imagenet_weights", unreachable)
    work = tmp_path / "work"
    work.mkdir()
    assert prefetch.main(["--lesson", "7", "--source", standin, str(work / "data")]) == 1
    assert _leftovers(work) == []


def test_exactly_the_graded_lessons_that_build_resnet18_are_given_its_weights():
    uses = {path.stem for path in lesson_files() if "resnet18_transfer(" in path.read_text()}
    assert prefetch.USES_IMAGENET == uses & set(lessons()) != set()


def test_exactly_the_graded_lessons_that_use_other_categories_get_their_clips_too(standin, tmp_path):
    uses = {path.stem for path in lesson_files() if "prepare_source_data(" in path.read_text()}
    assert prefetch.USES_OTHER_CATEGORIES == uses & set(lessons()) != set()
    into = tmp_path / "ten"
    prefetch.prefetch(find_lesson("10"), standin, into)
    metadata = pd.read_csv(into / METADATA_PATH).set_index("filename")
    held = set(metadata.loc[[p.name for p in (into / AUDIO_DIR).iterdir()], "category"])
    others = pick_source_categories(DEFAULT_CATEGORIES)
    assert held == {*DEFAULT_CATEGORIES, *others} and len(held) == 12
    data = prepare_source_data(DEFAULT_CATEGORIES, source=str(into), cache_dir=tmp_path / "cache")
    assert data.categories == others  # what the lesson picks from the folder is what was fetched


@pytest.mark.parametrize("data", ["esc50", "auto", "synthetic", "https://mirror.example/esc50", None])
def test_only_a_prefetched_folder_gives_the_grader_a_torch_home(tmp_path, data):
    folder = tmp_path / "run"
    folder.mkdir()
    env = grader._environment(folder, tmp_path / "record", data, Limits())
    assert "TORCH_HOME" not in env


def test_the_grader_points_torch_home_at_a_prefetched_folders_weights(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", "/the/graders/own")
    data = tmp_path / "data"
    (data / "torch").mkdir(parents=True)
    folder = tmp_path / "run"
    folder.mkdir()
    env = grader._environment(folder, tmp_path / "record", str(data), Limits())
    assert env["TORCH_HOME"] == str(data / "torch") and env["COURSE_DATA"] == str(data)
    shutil.rmtree(data / "torch")
    (tmp_path / "run2").mkdir()
    assert "TORCH_HOME" not in grader._environment(tmp_path / "run2", tmp_path / "record", str(data), Limits())
    assert json.dumps(env)  # every value a string, as subprocess needs
