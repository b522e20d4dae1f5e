"""course_utils.classify: windows scored, probabilities averaged, the threshold applied, bad files named."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf
import torch
from torch import nn

from course_utils.classify import classify, describe, main, model_inputs
from course_utils.models import SpectrogramCNN
from course_utils.own_sounds import NOT_IN_CATEGORIES, write_own_recordings
from course_utils.recordings import Recording
from course_utils.saved_model import ModelCard, save_model

CATEGORIES = ("dog", "cow", "rain")


class Loudness(nn.Module):
    """Scores rise with a window's mean level: a model whose answer is known for every window."""

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        level = spec.mean(dim=(1, 2))
        return torch.stack([level / 10, torch.zeros_like(level), -level / 10], dim=1)


def test_a_recording_becomes_one_input_per_window_of_either_kind():
    waveform = np.random.default_rng(0).standard_normal(12 * 16_000).astype(np.float32)
    assert model_inputs(waveform, "spectrogram").shape == (3, 128, 157)
    assert model_inputs(waveform, "waveform").shape == (3, 80_000)
    assert model_inputs(waveform[:8_000], "spectrogram").shape == (1, 128, 157)


def test_the_verdict_averages_the_windows_probabilities_and_applies_the_threshold(tmp_path):
    rng = np.random.default_rng(1)
    recording = Recording(tmp_path / "r.wav", (rng.standard_normal(11 * 16_000) * np.linspace(0, 1, 11 * 16_000))
                          .astype(np.float32))
    card = ModelCard("SpectrogramCNN", CATEGORIES)
    verdict = classify(Loudness(), card, recording)
    expected = torch.softmax(Loudness()(model_inputs(recording.waveform, "spectrogram")), dim=1).mean(dim=0)
    assert list(verdict.probabilities.values()) == pytest.approx(expected.tolist())
    assert verdict.windows == 3 and verdict.label == CATEGORIES[int(expected.argmax())]
    top = max(verdict.probabilities.values())
    refused = classify(Loudness(), ModelCard("SpectrogramCNN", CATEGORIES, threshold=top + 1e-6), recording)
    assert refused.label == NOT_IN_CATEGORIES
    said = describe(refused)  # the top probability and the threshold told apart, however close
    assert f"none of these ({verdict.label} {top:.6f}, " in said and said.endswith(f", below the threshold {top + 1e-6:.6f})")
    assert classify(Loudness(), ModelCard("SpectrogramCNN", CATEGORIES, threshold=top - 1e-6), recording).label \
        == verdict.label
    assert describe(verdict).startswith("r.wav (11.0 s, 3 windows): ")


def test_the_command_scores_each_usable_file_and_names_each_unusable_one(tmp_path, capsys):
    torch.manual_seed(0)
    save_model(SpectrogramCNN(n_classes=4), ["dog", "cow", "chirping_birds", "vacuum_cleaner"], tmp_path / "m.pt")
    table = write_own_recordings(tmp_path / "own", ["dog", "cow", "chirping_birds", "vacuum_cleaner"])
    files = [str(tmp_path / "own" / name) for name in table["file"]]
    assert main([str(tmp_path / "m.pt"), *files]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 7 and "dog_phone.wav (12.0 s, 3 windows): " in out
    assert "vacuum_cleaner_kitchen.mp3 (60.0 s, 12 windows)" in out and "cow_half_second.flac (0.5 s, 1 window)" in out
    assert err.splitlines() == ["empty.wav: the file is empty (0 bytes)",
                                "notes.wav: not a sound file this course can read (Format not recognised)",
                                "silence.wav: silent (every sample is zero)"]


def test_the_command_refuses_a_model_it_cannot_use(tmp_path, capsys):
    sf.write(tmp_path / "a.wav", np.zeros(100, np.float32), 16_000)
    (tmp_path / "m.pt").write_text("not a model")
    assert main([str(tmp_path / "m.pt"), str(tmp_path / "a.wav")]) == 2
    assert "cannot use the model: " in capsys.readouterr().err
    assert main([str(tmp_path / "none.pt"), str(tmp_path / "a.wav")]) == 2
