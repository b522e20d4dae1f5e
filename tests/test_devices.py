"""Helpers that take a trained model feed it on the model's own device, wherever that is.

A CPU-only suite cannot run CUDA or MPS, so the model here lives on torch's `meta` device and
refuses any input that is not there too. A helper may still fail later (a meta tensor holds no
numbers to print), but never with a device mismatch.
"""

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils.training import accuracy_on, evaluate, model_device, train_one_epoch
from course_utils.evaluation import correct_per_clip, prediction_table

MISMATCH = "device mismatch"


class _OnMeta(nn.Module):
    """Two-class scores for spectrograms; its weights, and so its device, are on `meta`."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(2, device="meta"))

    def forward(self, spectrograms):
        if spectrograms.device != self.weight.device:
            raise RuntimeError(f"{MISMATCH}: input on {spectrograms.device}, model on {self.weight.device}")
        return spectrograms.flatten(1)[:, :2] * self.weight


class _Clips:
    """Three spectrogram items on the CPU, as a WavDataset gives them."""

    filenames = ["a.wav", "b.wav", "c.wav"]

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return torch.zeros(4, 5), i % 2, ["dog", "cow"][i % 2]


def _loader():
    return DataLoader(TensorDataset(torch.zeros(3, 4, 5), torch.tensor([0, 1, 0])), batch_size=2)


HELPERS = {
    "prediction_table": lambda model: prediction_table(model, _Clips(), ["dog", "cow"]),
    "correct_per_clip": lambda model: correct_per_clip(model, _Clips(), ["dog", "cow"]),
    "evaluate": lambda model: evaluate(model, _loader()),
    "accuracy_on": lambda model: accuracy_on(model, _loader()),
    "train_one_epoch": lambda model: train_one_epoch(model, _loader(), torch.optim.SGD(model.parameters(), lr=0.1)),
}


@pytest.mark.parametrize("name", HELPERS)
def test_helpers_feed_the_model_on_its_own_device(name):
    model = _OnMeta()
    try:
        HELPERS[name](model)
    except (RuntimeError, NotImplementedError, ValueError) as error:
        assert MISMATCH not in str(error), f"{name} gave the model CPU inputs: {error}"
    assert model_device(model) == torch.device("meta")  # and left the model where it was


def test_the_spy_does_catch_a_cpu_input():
    with pytest.raises(RuntimeError, match=MISMATCH):
        _OnMeta()(torch.zeros(1, 4, 5))


def test_model_device_is_that_of_its_first_parameter_or_buffer():
    assert model_device(nn.Linear(2, 2)) == torch.device("cpu")
    assert model_device(_OnMeta()) == torch.device("meta")
    assert model_device(nn.ReLU()) == torch.device("cpu")  # nothing to go by
    only_buffer = nn.BatchNorm1d(3, affine=False).to("meta")
    assert model_device(only_buffer) == torch.device("meta")


def test_training_goes_to_the_picked_device_unless_told_otherwise(monkeypatch):
    from course_utils import few_shot, training
    from course_utils.training import fit

    picked = []
    monkeypatch.setattr(training, "pick_device", lambda: picked.append("picked") or torch.device("cpu"))
    model = nn.Linear(20, 2)
    fit(model, _loader_flat(), torch.optim.SGD(model.parameters(), lr=0.1), 1, progress=False)
    assert picked == ["picked"]
    fit(model, _loader_flat(), torch.optim.SGD(model.parameters(), lr=0.1), 1, device="cpu", progress=False)
    assert picked == ["picked"]  # told otherwise
    few_shot.body_outputs(nn.Flatten(), TensorDataset(torch.zeros(3, 4, 5), torch.tensor([0, 1, 0])))
    assert picked == ["picked", "picked"]


def _loader_flat():
    return DataLoader(TensorDataset(torch.zeros(4, 20), torch.tensor([0, 1, 0, 1])), batch_size=2)
