"""A category of your own from a few recordings: a new head on a frozen body, judged by leaving each recording out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .classify import model_inputs
from .stats import compare_on_same_clips, share_interval
from .training import seed_everything


def body_features(body: nn.Module, spectrograms: torch.Tensor, batch_size: int = 32) -> torch.Tensor:
    """What the CNN's frozen convolutional body makes of each (mels, frames) spectrogram, flattened."""
    body.eval()
    with torch.no_grad():
        return torch.cat([body(batch.unsqueeze(1)).flatten(1) for batch in spectrograms.split(batch_size)])


def recording_features(body: nn.Module, waveforms: Sequence[np.ndarray]) -> torch.Tensor:
    """One row per recording: the body's features of its five-second windows, averaged."""
    return torch.stack([body_features(body, model_inputs(waveform, "spectrogram")).mean(dim=0) for waveform in waveforms])


def train_head(features: torch.Tensor, targets: torch.Tensor, n_classes: int, seed: int = 0,
               steps: int = 300) -> nn.Linear:
    """A linear head on fixed features: full-batch Adam; each category weighs the same in the loss, however few its clips."""
    seed_everything(seed)
    head = nn.Linear(features.shape[1], n_classes)
    counts = torch.bincount(targets, minlength=n_classes).float()
    weight = counts.sum() / (n_classes * counts.clamp(min=1))
    optimizer = torch.optim.Adam(head.parameters(), lr=1e-2)
    for _ in range(steps):
        optimizer.zero_grad()
        F.cross_entropy(head(features), targets, weight=weight).backward()
        optimizer.step()
    return head.eval()


@dataclass(frozen=True)
class NewCategoryResult:
    category: str
    named: tuple[bool, ...]  # each new recording, left out of training: did the head name the new category?
    right_before: tuple[bool, ...]  # each validation clip of the known categories: the model's own head right?
    right_after: tuple[bool, ...]  # the same clips, the head trained with every new recording: right?
    named_new: int  # of those clips, how many the new head calls the new category

    def lines(self) -> list[str]:
        """The measurement in words, each figure a count, with how little so few recordings can show."""
        hits, total = sum(self.named), len(self.named)
        low, high = share_interval(hits, total)
        return [f"each of the {total} recordings of {self.category} left out in turn: {hits} of {total} named "
                f"{self.category} (95% interval for the share: {low:.0%} to {high:.0%}, as wide as {total} recordings leave it)",
                f"the head with {self.category}, on the {len(self.right_after)} validation clips of the model's categories: "
                f"{self.named_new} named {self.category}",
                compare_on_same_clips("the model's own head", self.right_before, f"the head with {self.category}",
                                      self.right_after)]


def learn_new_category(body: nn.Module, own_head: nn.Module, train_x: torch.Tensor, train_y: torch.Tensor,
                       val_x: torch.Tensor, val_y: torch.Tensor, new_waveforms: Sequence[np.ndarray],
                       category: str, seed: int = 0) -> NewCategoryResult:
    """Teach a frozen body's model one more category from a few recordings, and measure it honestly.

    The known categories' training spectrograms (targets 0..k-1) and the new recordings (target k)
    train a new linear head. Leave-one-out: for each new recording, a head trained without it says
    whether it is the new category. Then a head trained with them all is judged on the known
    categories' validation clips, beside the model's own head.
    """
    if len(new_waveforms) < 2:
        raise ValueError(f"{category}: leaving one recording out needs at least 2 recordings, got {len(new_waveforms)}")
    n_known = int(train_y.max()) + 1
    known, new = body_features(body, train_x), recording_features(body, new_waveforms)
    new_y = torch.full((len(new),), n_known)
    named = []
    for left_out in range(len(new)):
        kept = torch.arange(len(new)) != left_out
        head = train_head(torch.cat([known, new[kept]]), torch.cat([train_y, new_y[kept]]), n_known + 1, seed)
        with torch.no_grad():
            named.append(int(head(new[left_out:left_out + 1]).argmax()) == n_known)
    head = train_head(torch.cat([known, new]), torch.cat([train_y, new_y]), n_known + 1, seed)
    val_features = body_features(body, val_x)
    with torch.no_grad():
        before, after = own_head(val_features).argmax(dim=1), head(val_features).argmax(dim=1)
    return NewCategoryResult(category, tuple(named), tuple((before == val_y).tolist()), tuple((after == val_y).tolist()),
                             int((after == n_known).sum()))
