"""Progress bars: text on the cell's output in a notebook (kept when the notebook is saved), tqdm's
usual bar on standard error elsewhere."""

from __future__ import annotations

import IPython

from course_utils import progress


class _KernelShell:
    kernel = object()  # what ipykernel's shell has and a terminal's IPython lacks


def test_outside_a_notebook_the_bar_goes_to_standard_error(capsys):
    assert not progress.in_notebook()
    for _ in progress.progress_bar(range(3), desc="Folds", mininterval=0):
        pass
    captured = capsys.readouterr()
    assert captured.out == "" and "Folds: 100%" in captured.err


def test_in_a_notebook_the_bar_is_text_on_standard_output(capsys, monkeypatch):
    monkeypatch.setattr(IPython, "get_ipython", lambda: _KernelShell())
    assert progress.in_notebook()
    for _ in progress.progress_bar(range(3), desc="Training", unit="epoch"):
        pass
    captured = capsys.readouterr()
    assert captured.err == "" and "Training: 100%" in captured.out and "3/3" in captured.out
