"""The course's version is stated once and stamped everywhere a lesson installs the helpers."""

import re
import tomllib

import nbformat
import pytest

import course_utils
from course_utils.grading import classroom
from scripts.repo import LEARNER_COPIES, REPO, SOLUTIONS, lesson_files, release_tag, repository, version

INSTALL_LINE = re.compile(r"%pip install .*\"course_utils @ (git\+\S+)\"")
NOTEBOOKS = lesson_files(SOLUTIONS) + lesson_files(LEARNER_COPIES)


def test_the_version_is_a_release_number_and_the_package_reports_it():
    assert re.fullmatch(r"\d+\.\d+\.\d+", version())
    assert course_utils.__version__ == version()


def test_the_readme_names_this_version_and_its_tag():
    readme = (REPO / "README.md").read_text()
    assert f"version {version()} of the course" in readme and f"`{release_tag(version())}`" in readme


def test_the_changelog_opens_with_this_version_after_what_is_not_released_yet():
    headings = re.findall(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text(), re.MULTILINE)
    released = [h for h in headings if h != "Unreleased"]
    assert headings[:1] in (["Unreleased"], released[:1]) and headings.count("Unreleased") <= 1
    assert released and released[0] == version(), f"CHANGELOG.md's newest release is {released[:1]}, pyproject says {version()}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_lesson_installs_the_release_it_was_written_for(notebook):
    first_code = next(c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    found = INSTALL_LINE.search(first_code.source)
    assert found, f"{notebook.name}: no install line"
    url, _ = repository()
    assert found.group(1) == f"git+{url}@{release_tag(version())}"


def test_the_stamp_replaces_a_branch_an_older_tag_or_none(load_script):
    build = load_script("build_notebooks")
    for old in ("git+https://github.com/a/b", "git+https://github.com/a/b@main", "git+https://github.com/a/b@v0.1.0"):
        line = f'%pip install --quiet "course_utils @ {old}"'
        assert build.stamp(line, "https://github.com/o/n", "main", "v9.8.7") == \
            '%pip install --quiet "course_utils @ git+https://github.com/o/n@v9.8.7"'


def test_the_grading_install_names_the_release_too():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert classroom.default_install().endswith(f"@v{pyproject['project']['version']}")


def test_the_colab_emulation_installs_this_commit_whatever_tag_the_line_names(load_script, tmp_path):
    emulate = load_script("emulate")
    notebook = tmp_path / "lesson.ipynb"
    line = '%pip install --quiet "course_utils @ git+https://github.com/o/n@v9.8.7"'
    notebook.write_text(nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(line)])))
    assert emulate.colab_install_arguments(notebook)[-1] == f"course_utils @ git+file://{REPO}"
