"""course_utils.new_category: a new head on fixed features, each new recording left out in turn."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import new_category
from course_utils.constants import N_FRAMES, N_MELS
from course_utils.models import SpectrogramCNN
from course_utils.new_category import body_features, learn_new_category, recording_features, train_head

BODY = nn.AvgPool2d((32, 40), ceil_mode=True)  # 128 x 157 -> 4 x 4: sixteen features, a band's loudness each


def _spectrograms(loud_band: int, count: int, seed: int) -> torch.Tensor:
    """Spectrograms quiet everywhere (-80 dB) except one quarter of the mel bands, plus noise."""
    rng = torch.Generator().manual_seed(seed)
    specs = -80 + 5 * torch.rand(count, N_MELS, N_FRAMES, generator=rng)
    specs[:, 32 * loud_band:32 * (loud_band + 1)] += 60
    return specs


def _whistles(count: int) -> list[np.ndarray]:
    """Recordings of a high whistle (a band none of the known categories is loud in), 2 to 9 s long."""
    out = []
    for i in range(count):
        t = np.arange(int((2 + i) * 16_000)) / 16_000
        out.append((0.5 * np.sin(2 * np.pi * (5_000 + 200 * i) * t)).astype(np.float32))
    return out


def test_the_cnns_body_gives_one_row_of_features_per_spectrogram_and_per_recording():
    body = SpectrogramCNN(4).features
    assert body_features(body, torch.zeros(3, N_MELS, N_FRAMES)).shape == (3, 128 * 8 * 9)
    rows = recording_features(body, [np.zeros(200_000, np.float32), np.ones(8_000, np.float32)])
    assert rows.shape == (2, 128 * 8 * 9)


def test_a_head_on_fixed_features_learns_even_a_category_with_two_examples():
    noise = torch.randn(32, 5, generator=torch.Generator().manual_seed(0))
    features = noise + torch.tensor([[4.0, 0, 0, 0, 0]] * 30 + [[0, 0, 0, 0, 4.0]] * 2)
    targets = torch.tensor([0] * 30 + [1] * 2)
    head = train_head(features, targets, 2)
    assert torch.equal(head(features).argmax(dim=1), targets)
    assert torch.equal(train_head(features, targets, 2).weight, head.weight)  # seeded: the same head again


def _study(monkeypatch=None, **kwargs):
    train_x = torch.cat([_spectrograms(band, 6, seed=band) for band in range(3)])
    val_x = torch.cat([_spectrograms(band, 3, seed=10 + band) for band in range(3)])
    train_y, val_y = torch.arange(3).repeat_interleave(6), torch.arange(3).repeat_interleave(3)
    own_head = train_head(body_features(BODY, train_x), train_y, 3)
    return learn_new_category(BODY, own_head, train_x, train_y, val_x, val_y, _whistles(5), "whistle", **kwargs)


def test_each_recording_is_judged_by_a_head_that_never_saw_it_and_the_report_counts(monkeypatch):
    sizes = []
    real = new_category.train_head
    monkeypatch.setattr(new_category, "train_head", lambda x, y, n, seed=0: sizes.append((len(x), int((y == 3).sum())))
                        or real(x, y, n, seed))
    result = _study()
    assert sizes == [(18 + 4, 4)] * 5 + [(18 + 5, 5)]  # five heads without one recording each, then one with all
    assert result.named == (True,) * 5 and result.named_new == 0
    assert result.right_before == result.right_after == (True,) * 9
    lines = result.lines()
    assert lines[0].startswith("each of the 5 recordings of whistle left out in turn: 5 of 5 named whistle (95% interval")
    assert "57% to 100%" in lines[0]
    assert lines[1].endswith("0 named whistle") and "within the noise of 9 clips" in lines[2]


def test_one_recording_cannot_be_left_out():
    with pytest.raises(ValueError, match="whistle: leaving one recording out needs at least 2 recordings, got 1"):
        learn_new_category(BODY, nn.Identity(), torch.zeros(2, N_MELS, N_FRAMES), torch.tensor([0, 1]),
                           torch.zeros(1, N_MELS, N_FRAMES), torch.tensor([0]), _whistles(1), "whistle")
