"""The notebooks: student copies up to date and well formed; how their executed outputs are judged.

The learners' copies are executed by `scripts/run_chapter.py --learner-copies`, which CI runs in
the Colab emulation (scripts/emulate.py colab); the solutions are executed under nbval by `make test`.
"""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

from course_utils import notebook_format as fmt
from scripts.repo import REPO, lesson_files

SOLUTIONS = lesson_files()


def test_there_are_seven_lessons_and_three_optional_ones():
    assert [p.stem for p in SOLUTIONS] == [
        "01_data", "02_waveforms_and_spectrograms", "03_datasets_from_disk", "04_rnn_on_waveforms",
        "05_cnn_on_spectrograms", "06_augmentation", "07_transfer_learning", "08_going_further",
        "09_transfer_from_other_sounds", "10_your_own_sounds",
    ]
    for optional in SOLUTIONS[7:]:
        assert "optional" in nbformat.read(optional, as_version=4).cells[0].source


MAX_PROSE_WORDS = 1500
WITHOUT_EXERCISES = {"09_transfer_from_other_sounds"}  # an optional lesson to read and run
ONE_EXERCISE = {"10_your_own_sounds"}  # an optional lesson whose one exercise is its windowing


def prose_words(notebook: nbformat.NotebookNode) -> int:
    """Words in a lesson's Markdown, without code blocks and badges: what a learner reads."""
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    text = re.sub(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)", "", text)
    return len(re.findall(r"[A-Za-z0-9][\w'’.,-]*", text))


def test_prose_words_counts_what_a_learner_reads():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\n[![Open in Colab](x.svg)](y) Two words, 3.5 dB.\n```\nnot counted\n```"),
        nbformat.v4.new_code_cell("print('code is not prose')")])
    assert prose_words(notebook) == 5  # Title, Two, words, 3.5, dB


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_each_lesson_reads_as_a_lesson_not_a_report(solution):
    notebook = nbformat.read(solution, as_version=4)
    assert prose_words(notebook) <= MAX_PROSE_WORDS, f"{solution.name}: {prose_words(notebook)} words of prose"
    prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert not re.search(r"\b(scripts|results)/", prose), f"{solution.name} sends the learner to the maintainers' files"


def structure_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """What keeps a screen-reader user from finding their way: not exactly one `#` title, first;
    a heading level skipped; an image without alt text (Markdown `![](…)` or `<img>`)."""
    problems, levels = [], []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            fenced ^= line.lstrip().startswith("```")
            heading = None if fenced else re.match(r"(#{1,6})\s+\S", line)
            if heading:
                level = len(heading.group(1))
                if levels and level > levels[-1] + 1:
                    problems.append(f"cell {number}: heading level {level} after {levels[-1]}: {line.strip()!r}")
                levels.append(level)
        for image in re.finditer(r"!\[([^\]]*)\]\(", cell.source):
            if not image.group(1).strip():
                problems.append(f"cell {number}: an image without alt text")
        for tag in re.finditer(r"<img\b[^>]*>", cell.source, re.IGNORECASE):
            if not re.search(r"\balt\s*=\s*([\"'])\s*[^\"'\s]", tag.group(0)):
                problems.append(f"cell {number}: an <img> without alt text")
    if levels[:1] != [1] or levels.count(1) != 1:
        problems.append(f"the lesson needs one `#` title, first; its heading levels are {levels}")
    return problems


@pytest.mark.parametrize("path", SOLUTIONS + lesson_files(REPO / "notebooks"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_lesson_has_one_title_headings_in_order_and_images_with_alt_text(path):
    assert structure_problems(nbformat.read(path, as_version=4)) == []


def test_the_structure_check_finds_each_problem():
    markdown = nbformat.v4.new_markdown_cell
    notebook = nbformat.v4.new_notebook(cells=[
        markdown("# Title\n\n```python\n# a comment in code, not a heading\n```"), markdown("### Skipped a level"),
        markdown("![](figure.png) and ![A bar chart of clips per category](bars.png)"),
        markdown('<img src="a.png"> <img src="b.png" alt=""> <img src="c.png" alt="Waveform of a dog bark">'),
        markdown("# A second title")])
    assert structure_problems(notebook) == [
        "cell 1: heading level 3 after 1: '### Skipped a level'", "cell 2: an image without alt text",
        "cell 3: an <img> without alt text", "cell 3: an <img> without alt text",
        "the lesson needs one `#` title, first; its heading levels are [1, 3, 1]"]


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_every_clip_is_played_with_its_caption(solution):
    """A bare IPython Audio player has no description; lessons play clips through listen.play."""
    notebook = nbformat.read(solution, as_version=4)
    bare = [cell.source.splitlines()[0] for cell in notebook.cells
            if cell.cell_type == "code" and re.search(r"\bAudio\(", cell.source)]
    assert bare == [], f"cells that show a player without a description: {bare}"


def test_student_copies_are_up_to_date():
    result = subprocess.run([sys.executable, "-m", "scripts.build_notebooks", "--check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, "run `python -m scripts.build_notebooks`:\n" + result.stdout


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_each_exercise_has_a_stub_and_a_check(solution):
    student = nbformat.read(REPO / "notebooks" / solution.name, as_version=4)
    code = [cell for cell in student.cells if cell.cell_type == "code"]
    stubs = list(dict.fromkeys(m for cell in code for m in fmt.stubbed_exercises(cell.source)))
    checks = [cell for cell in code if fmt.is_check(cell.source)]
    if solution.stem in WITHOUT_EXERCISES:
        assert stubs == [] and checks == []
        return
    assert (len(stubs) == 1) if solution.stem in ONE_EXERCISE else (2 <= len(stubs) <= 4)
    assert len(checks) == len(stubs)
    assert not any(fmt.has_solution(cell.source) for cell in code)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_learner_copies_store_no_output_and_solutions_only_the_verdicts(solution):
    student = nbformat.read(REPO / "notebooks" / solution.name, as_version=4)
    assert [(c.outputs, c.execution_count) for c in student.cells if c.cell_type == "code"
            if c.outputs or c.execution_count is not None] == []
    code = [cell for cell in nbformat.read(solution, as_version=4).cells if cell.cell_type == "code"]
    checks = [cell for cell in code if fmt.is_check(cell.source)]
    assert [fmt.verdicts(c.outputs[0]["text"]) for c in checks] == [[fmt.exercise_tag(c.metadata)[0]] for c in checks]
    assert sum(len(cell.outputs) for cell in code) == len(checks)


def test_the_build_refuses_a_learner_copy_with_outputs(load_script, monkeypatch):
    build = load_script("build_notebooks")
    monkeypatch.setattr(build, "student_copy", lambda solution: solution)  # outputs left in
    monkeypatch.setattr(sys, "argv", ["build_notebooks.py", "--check"])
    with pytest.raises(SystemExit, match=r"01_data.ipynb: a learner's copy would carry outputs"):
        build.main()


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
def run_chapter(load_script):
    return load_script("run_chapter")


def _executed(*cells: tuple[str, list[dict]]) -> nbformat.NotebookNode:
    """A notebook as nbclient leaves it: code cells with their outputs."""
    notebook = nbformat.v4.new_notebook()
    for source, outputs in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        notebook.cells.append(cell)
    return notebook


def _error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": []}


def _stdout(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


STUB_CELL = f"def f():\n    {fmt.stub('1.1')}"
CHECK_CELL = f"{fmt.CHECK_MARK}\ncheck(f)"
NOT_ANSWERED = fmt.verdict_head("1.1", "not attempted") + ". Write your code ...\n"
WAITING = [(STUB_CELL, []), (CHECK_CELL, [_stdout(NOT_ANSWERED)])]


def test_a_learner_copy_whose_checks_all_say_not_answered_passes(run_chapter):
    notebook = _executed(("x = 1", []), *WAITING, ("print(x)", [_stdout("1")]))
    assert run_chapter.problems(notebook, learner_copy=True) == []


def test_any_error_is_reported_even_a_stubs(run_chapter):
    notebook = _executed(*WAITING, ("f()", [_error("NotImplementedError", "Exercise 1.1")]))
    assert run_chapter.problems(notebook, learner_copy=True) == [
        "NotImplementedError: Exercise 1.1 in the cell starting 'f()'"]


def test_a_widget_that_a_saved_notebook_cannot_show_is_reported(run_chapter):
    widget = {"output_type": "display_data", "metadata": {},
              "data": {"text/plain": "Training: 0%", "application/vnd.jupyter.widget-view+json": {"model_id": "1"}}}
    explorer = {**widget, "metadata": {fmt.SNAPSHOT_KEY: {"png": ""}}}
    notebook = _executed(("fit(model)", [widget]), ("Explorer().show()", [explorer]))
    assert run_chapter.problems(notebook, learner_copy=False) == [
        "a widget without a snapshot (saved, it shows 'model not found') in the cell starting 'fit(model)'"]


def test_stderr_is_reported_even_in_a_passing_cell(run_chapter):
    notebook = _executed(("import warnings", [{"output_type": "stream", "name": "stderr", "text": "Warn"}]))
    assert run_chapter.problems(notebook, learner_copy=False) == [
        "stderr output in the cell starting 'import warnings'"]


def test_a_check_that_says_nothing_or_the_wrong_thing_is_reported(run_chapter):
    silent = _executed((STUB_CELL, []), (CHECK_CELL, []))
    assert run_chapter.problems(silent, learner_copy=True) == [
        "the check cell 'check(f)' said ''; expected one verdict, 'not attempted'",
        "exercises ['1.1'] should each get a verdict; these did: []"]
    raised = _executed((STUB_CELL, []), (CHECK_CELL, [_error("NotImplementedError", "Exercise 1.1")]))
    assert run_chapter.problems(raised, learner_copy=True)[0] == (
        f"NotImplementedError: Exercise 1.1 in the cell starting {fmt.CHECK_MARK!r}")


def test_in_a_solution_every_check_must_say_correct(run_chapter):
    notebook = _executed(*WAITING)
    assert run_chapter.problems(notebook, learner_copy=False) == [
        "the check cell 'check(f)' said [('1.1', 'not attempted')]; expected one verdict, 'correct'"]
    right = _executed((CHECK_CELL, [_stdout(fmt.verdict("1.1"))]))
    assert run_chapter.problems(right, learner_copy=False) == []


@pytest.mark.slow
def test_the_nbval_run_keeps_each_cells_outputs(tmp_path):
    """run_chapter.KeepOutputs: the copies nbval executed, outputs and data stamp included."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A lesson"),
        nbformat.v4.new_code_cell('print("first")'),
        nbformat.v4.new_code_cell("from IPython.display import HTML\nHTML('<b>shown</b>')"),
        nbformat.v4.new_code_cell("6 * 7"),
        nbformat.v4.new_code_cell("6 * 7;  # a value the ';' keeps quiet"),
    ])
    nbformat.write(notebook, tmp_path / "01_lesson.ipynb")
    driver = ("import sys; from pathlib import Path; import pytest; from scripts import run_chapter; "
              "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '--nbval-lax', '--nbval-current-env', sys.argv[2]], "
              "plugins=[run_chapter.KeepOutputs(Path(sys.argv[3]), {'data': 'offline stand-in'})]))")
    result = subprocess.run([sys.executable, "-c", driver, "unused", tmp_path / "01_lesson.ipynb",
                             tmp_path / "out"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    executed = nbformat.read(tmp_path / "out" / "01_lesson.ipynb", as_version=4)
    printed, shown, answer, quiet = executed.cells[1:]
    assert printed.outputs[0].text == "first\n" and printed.execution_count == 1
    assert shown.outputs[0].data["text/html"] == "<b>shown</b>"
    assert answer.outputs[0].data["text/plain"] == "42" and answer.outputs[0].execution_count == 3
    assert quiet.outputs == []  # as in JupyterLab, though nbval's kernel returned it
    assert executed.metadata.course.executed == {"data": "offline stand-in"}
    assert not list((tmp_path / "out").glob("*.part"))


def test_flags_that_nbval_would_ignore_are_refused():
    result = subprocess.run([sys.executable, "-m", "scripts.run_chapter", "--nbval", "--max-memory-mib", "100",
                             "--memory-by-cell"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 2
    assert "--nbval cannot be combined with --max-memory-mib, --memory-by-cell" in result.stderr


@pytest.mark.slow
def test_a_dead_kernel_or_a_stuck_cell_fails_its_lesson_and_the_others_still_run(tmp_path):
    lessons = {"a_dies.ipynb": "import os\nos._exit(1)", "b_runs.ipynb": "print('still here')",
               "c_hangs.ipynb": "import time\ntime.sleep(60)", "d_runs.ipynb": "print('and here')"}
    for name, source in lessons.items():
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), tmp_path / name)
    result = subprocess.run([sys.executable, "-m", "scripts.run_chapter", "--out", tmp_path / "out",
                             "--cell-timeout", "5", *(tmp_path / name for name in lessons)],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 1, result.stdout + result.stderr
    report = result.stdout.split("a_dies.ipynb", 1)[1]
    assert "DeadKernelError" in report.split("b_runs.ipynb")[0]
    assert "CellTimeoutError" in report.split("c_hangs.ipynb")[1].split("d_runs.ipynb")[0]
    for name in ("b_runs.ipynb", "d_runs.ipynb"):
        executed = nbformat.read(tmp_path / "out" / name, as_version=4)
        assert "here" in executed.cells[0].outputs[0]["text"]
