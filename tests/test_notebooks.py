"""The notebooks: student copies up to date, and runnable with only the exercises left to do."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((REPO / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
STUDENTS = [REPO / "notebooks" / path.name for path in SOLUTIONS]
STUB = re.compile(r'raise NotImplementedError\("Exercise (\d+\.\d+)"\)')


def test_there_are_seven_lessons_and_an_optional_eighth():
    assert [p.stem for p in SOLUTIONS] == [
        "01_data", "02_waveforms_and_spectrograms", "03_datasets_from_disk", "04_rnn_on_waveforms",
        "05_cnn_on_spectrograms", "06_augmentation", "07_transfer_learning", "08_going_further",
    ]


def test_student_copies_are_up_to_date():
    result = subprocess.run([sys.executable, REPO / "scripts" / "build_notebooks.py", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, "run `python scripts/build_notebooks.py`:\n" + result.stdout


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_each_exercise_has_a_stub_and_a_stored_check(solution):
    student = nbformat.read(REPO / "notebooks" / solution.name, as_version=4)
    code = [cell for cell in student.cells if cell.cell_type == "code"]
    stubs = [m for cell in code for m in STUB.findall(cell.source)]
    checks = [cell for cell in code if cell.source.startswith("# NBVAL_CHECK_OUTPUT")]
    assert 2 <= len(stubs) <= 3
    assert len(checks) == len(stubs)
    for exercise, check in zip(stubs, checks):
        assert check.outputs[0]["text"] == f"Exercise {exercise}: correct.\n"
    assert all("BEGIN SOLUTION" not in cell.source for cell in code)
    assert sum(len(cell.outputs) for cell in code) == len(checks)  # only the expected lines are stored


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_each_notebook_installs_itself_on_colab_first(solution):
    notebook = nbformat.read(solution, as_version=4)
    first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert '"google.colab" in sys.modules' in first_code.source and "%pip install" in first_code.source
    assert "from course_utils.doctor import report; report()" in first_code.source
    header = notebook.cells[0].source
    assert header.startswith("# ") and "colab.research.google.com" in header and "**Time:**" in header
    assert notebook.cells[-1].source.startswith("## Summary")


@pytest.fixture(scope="module")
def served_standin(tmp_path_factory):
    import os

    from course_utils.server import serve_in_subprocess

    with serve_in_subprocess(tmp_path_factory.mktemp("served"), standin=True) as url:
        saved = {key: os.environ.get(key) for key in ("COURSE_DATA", "COURSE_DATA_DIR")}
        os.environ["COURSE_DATA"] = url
        os.environ["COURSE_DATA_DIR"] = str(tmp_path_factory.mktemp("cache"))
        yield url
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.mark.slow
@pytest.mark.parametrize("student", STUDENTS, ids=lambda p: p.stem)
def test_student_copy_runs_except_for_the_exercises(student, served_standin, monkeypatch):
    """Executed top to bottom, only stubs and their checks fail, and nothing writes to stderr."""
    from nbclient import NotebookClient

    monkeypatch.setenv("COURSE_DATA", served_standin)  # the autouse fixture reset it
    notebook = nbformat.read(student, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(student.parent)}}).execute(stderr=subprocess.DEVNULL)
    failed = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        stderr = [o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"stderr in {student.name}:\n{cell.source}\n{stderr}"
        if errors:
            assert errors[0].ename == "NotImplementedError", f"{errors[0].ename}: {errors[0].evalue}\n{cell.source}"
            assert STUB.search(cell.source) or cell.source.startswith("# NBVAL_CHECK_OUTPUT"), cell.source
            failed.append(errors[0].evalue)
    stubs = [m for cell in notebook.cells for m in STUB.findall(cell.source)]
    assert sorted(set(failed)) == sorted(f"Exercise {n}" for n in stubs)  # every exercise is waiting
