"""scripts/gpu_check.py: it refuses to pass without a GPU, counts where training ran, and judges that."""

import json

import nbformat
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils.training import fit
from scripts import gpu_check
from scripts.repo import SOLUTIONS, lesson_files


def test_without_the_gpu_it_stops_at_once_and_does_not_pass(monkeypatch, capsys):
    monkeypatch.setattr(gpu_check, "device_available", lambda device: False)
    assert gpu_check.main([]) == 2
    assert "no CUDA GPU" in capsys.readouterr().err
    assert gpu_check.main(["--mps"]) == 2
    assert "no MPS device" in capsys.readouterr().err


def _report(steps: dict) -> dict:
    return {"steps": steps, "peak_mib": 100.0, "name": "a GPU"}


def test_judge_accepts_training_on_the_device_only():
    assert gpu_check.judge(_report({"cuda float32": 40}), "cuda", lesson_trains=True) == []
    assert gpu_check.judge(_report({}), "cuda", lesson_trains=False) == []


@pytest.mark.parametrize("steps, trains, complaint", [
    ({"cpu float32": 40}, True, "off the cuda"),
    ({"cuda float32": 40, "cpu float32": 1}, True, "off the cuda"),
    ({}, True, "no optimizer step ran on the cuda"),
    ({"mps float64": 3}, True, "float64"),
])
def test_judge_rejects(steps, trains, complaint):
    device = "mps" if any(k.startswith("mps") for k in steps) else "cuda"
    found = gpu_check.judge(_report(steps), device, trains)
    assert any(complaint in problem for problem in found), found


def test_judge_rejects_a_lesson_that_never_reached_its_report():
    assert gpu_check.judge(None, "cuda", lesson_trains=False)


def test_the_added_cells_count_real_optimizer_steps_by_device_and_dtype(capsys):
    namespace: dict = {}
    exec(gpu_check.COUNT_STEPS, namespace)
    try:
        model = nn.Linear(3, 2)
        loader = DataLoader(TensorDataset(torch.zeros(8, 3), torch.tensor([0, 1] * 4)), batch_size=4)
        fit(model, loader, torch.optim.SGD(model.parameters(), lr=0.1), 2, device="cpu", progress=False)
        exec(gpu_check.REPORT, namespace)
    finally:
        namespace["_gpu_check_hook"].remove()
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    assert printed.startswith(gpu_check.REPORT_PREFIX)
    report = json.loads(printed[len(gpu_check.REPORT_PREFIX):])
    assert report["steps"] == {"cpu float32": 4}  # 2 epochs of 2 batches
    assert gpu_check.judge(report, "cuda", lesson_trains=True)  # on the CPU, so not a pass


def test_read_report_finds_the_line_in_an_executed_notebook():
    notebook = gpu_check.instrumented(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
    assert [c.metadata.get("tags") for c in notebook.cells] == [[gpu_check.TAG], None, [gpu_check.TAG]]
    assert gpu_check.read_report(notebook) is None
    line = gpu_check.REPORT_PREFIX + json.dumps(_report({"cuda float32": 1}))
    notebook.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=line + "\n")]
    assert gpu_check.read_report(notebook)["steps"] == {"cuda float32": 1}


def test_the_lessons_that_train_are_those_from_lesson_4_on():
    training = [path.name[:2] for path in lesson_files(SOLUTIONS) if gpu_check.trains(nbformat.read(path, 4))]
    assert training == ["04", "05", "06", "07", "08", "09", "10"]
    assert {p.stem for p in lesson_files(SOLUTIONS) if p.name[:2] == "10"} == gpu_check.TRAINS_WITHOUT_SAVED_MODEL


def test_a_definition_or_a_comment_is_not_training():
    def cells(*sources):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])

    assert not gpu_check.trains(cells("def fit(model):\n    pass", "# then fit(model, loader)"))
    assert gpu_check.trains(cells("history = fit(model, loader, optimizer, 3)"))
    assert not gpu_check.trains(cells("benefit(3)"))
