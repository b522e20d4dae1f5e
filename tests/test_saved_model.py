"""course_utils.saved_model: a model and its card round-trip; foreign or mismatched files are refused by name."""

from __future__ import annotations

import os
import pickle

import pytest
import torch

from course_utils.constants import N_FRAMES, N_MELS
from course_utils.models import FramedLSTM, SpectrogramCNN
from course_utils.saved_model import FEATURES, FORMAT, IncompatibleModel, load_model, save_model

CATEGORIES = ["rooster", "rain", "dog"]


def test_a_saved_model_gives_the_same_outputs_and_card_after_loading(tmp_path):
    torch.manual_seed(0)
    model = SpectrogramCNN(n_classes=3).eval()
    card = save_model(model, CATEGORIES, tmp_path / "cnn.pt", threshold=0.6)
    loaded, read = load_model(tmp_path / "cnn.pt")
    spec = torch.randn(2, N_MELS, N_FRAMES)
    assert torch.equal(model(spec), loaded(spec)) and not loaded.training
    assert read == card and read.categories == tuple(CATEGORIES) and read.threshold == 0.6
    assert read.features == FEATURES and read.architecture == "SpectrogramCNN"


def test_an_architectures_own_arguments_travel_with_it(tmp_path):
    torch.manual_seed(0)
    model = FramedLSTM(n_classes=3, frame_length=400, hidden_size=16).eval()
    save_model(model, CATEGORIES, tmp_path / "lstm.pt", arguments={"frame_length": 400, "hidden_size": 16})
    loaded, card = load_model(tmp_path / "lstm.pt")
    wave = torch.randn(1, 80_000)
    assert torch.allclose(model(wave), loaded(wave)) and card.arguments == {"frame_length": 400, "hidden_size": 16}


def _write(path, card_changes=None, state=None, fmt=FORMAT):
    model = SpectrogramCNN(n_classes=3)
    card = {"architecture": "SpectrogramCNN", "categories": CATEGORIES, "arguments": {}, "features": dict(FEATURES),
            "threshold": None, "course_version": "0.2.0"} | (card_changes or {})
    torch.save({"format": fmt, "card": card, "state_dict": state or model.state_dict()}, path)


def test_a_model_made_with_other_sound_settings_is_refused_naming_each(tmp_path):
    _write(tmp_path / "m.pt", {"features": FEATURES | {"n_mels": 64, "fmax": 4000.0}})
    with pytest.raises(IncompatibleModel, match=r"other sound settings.*n_mels=64 \(this course: 128\), "
                                                 r"fmax=4000.0 \(this course: 8000.0\)"):
        load_model(tmp_path / "m.pt")


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a model"), "not a saved model of this course"),
    (lambda p: p.write_bytes(b""), "not a saved model of this course"),
    (lambda p: torch.save({"weights": 1}, p), "no 'course_utils.saved_model/1' format mark"),
    (lambda p: _write(p, fmt="other/1"), "format mark"),
    (lambda p: _write(p, {"architecture": "Net"}), "unknown architecture 'Net'"),
    (lambda p: _write(p, {"categories": ["a", "b"]}), "do not fit a SpectrogramCNN for 2 categories"),
])
def test_what_is_not_a_usable_model_is_refused_naming_the_file(tmp_path, make, message):
    path = tmp_path / "model.pt"
    make(path)
    with pytest.raises(IncompatibleModel, match=message) as raised:
        load_model(path)
    assert str(path) in str(raised.value)


class _Payload:
    def __reduce__(self):
        return (os.mkdir, (str(_Payload.target),))


def test_loading_never_runs_code_hidden_in_the_file(tmp_path):
    _Payload.target = tmp_path / "ran"
    (tmp_path / "evil.pt").write_bytes(pickle.dumps({"format": FORMAT, "card": _Payload()}))
    with pytest.raises(IncompatibleModel):
        load_model(tmp_path / "evil.pt")
    assert not _Payload.target.exists()


def test_saving_refuses_other_models_and_leaves_nothing_behind(tmp_path):
    with pytest.raises(IncompatibleModel, match="cannot save a Linear"):
        save_model(torch.nn.Linear(2, 2), CATEGORIES, tmp_path / "x.pt")
    with pytest.raises(ValueError, match="n_classes comes from the categories"):
        save_model(SpectrogramCNN(3), CATEGORIES, tmp_path / "x.pt", arguments={"n_classes": 3})
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(FileNotFoundError, match="no saved model at"):
        load_model(tmp_path / "x.pt")


def test_a_class_of_ones_own_is_saved_as_the_architecture_its_weights_fit(tmp_path):
    class MyCNN(torch.nn.Module):  # another class, the same layers under the same names
        def __init__(self, n_classes):
            super().__init__()
            self.features, self.classifier = SpectrogramCNN(n_classes).features, SpectrogramCNN(n_classes).classifier

        def forward(self, x):
            return self.classifier(self.features(x.unsqueeze(1)))

    torch.manual_seed(0)
    mine = MyCNN(3).eval()
    card = save_model(mine, CATEGORIES, tmp_path / "m.pt", as_architecture="SpectrogramCNN")
    loaded, _ = load_model(tmp_path / "m.pt")
    x = torch.randn(2, N_MELS, N_FRAMES)
    assert card.architecture == "SpectrogramCNN" and torch.equal(loaded(x), mine(x))
    with pytest.raises(IncompatibleModel, match="cannot save a Sequential as a SpectrogramCNN: its weights do not fit"):
        save_model(torch.nn.Sequential(torch.nn.Linear(2, 3)), CATEGORIES, tmp_path / "s.pt", as_architecture="SpectrogramCNN")
    with pytest.raises(IncompatibleModel, match="cannot save a ResNet"):
        save_model(mine, CATEGORIES, tmp_path / "r.pt", as_architecture="ResNet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.pt"]
