"""Sounds of none of a model's categories: how sure the model is about them, and a "none of these" threshold."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


def probability_text(p: float) -> str:
    """`p` with two decimals, or as many more (up to six) as it takes to tell it from 1."""
    digits = 6 if p >= 1 else min(6, max(2, math.floor(-math.log10(1 - p)) + 1))
    return f"{p:.{digits}f}"


def probability_pair(a: float, b: float) -> tuple[str, str]:
    """`a` and `b` with one number of decimals: enough to tell each from 1 and, up to six, from each other."""
    digits = max(len(probability_text(a)), len(probability_text(b))) - 2
    while digits < 6 and f"{a:.{digits}f}" == f"{b:.{digits}f}":
        digits += 1
    return f"{a:.{digits}f}", f"{b:.{digits}f}"


def top_probabilities(model: nn.Module, inputs: torch.Tensor, batch_size: int = 32) -> np.ndarray:
    """Each input's highest class probability under `model` (in evaluation mode, no gradients)."""
    model.eval()
    with torch.no_grad():
        tops = [torch.softmax(model(batch), dim=1).max(dim=1).values for batch in inputs.split(batch_size)]
    return torch.cat(tops).numpy()


def threshold_keeping(known_top: np.ndarray, keep: float = 0.95) -> float:
    """The highest threshold under which at least `keep` of these clips of known categories stay answered."""
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be a share above 0 and at most 1, not {keep}")
    ordered = np.sort(np.asarray(known_top, dtype=float))
    if len(ordered) == 0:
        raise ValueError("no clips of the known categories to set a threshold on")
    answered = math.ceil(round(keep * len(ordered), 9))  # 0.7 * 10 is 7.000000000000001 in floats
    return float(ordered[len(ordered) - answered])


@dataclass(frozen=True)
class OpenSetReport:
    threshold: float
    known: int
    known_answered: int  # top probability at or above the threshold: the model names a category
    other: int
    other_refused: int  # below the threshold: "none of these", the right answer for another category
    other_confident: int  # at or above `confident`: sure, and necessarily wrong
    confident: float

    def lines(self) -> list[str]:
        """The report in words, every figure a count out of its total."""
        return [f"threshold {probability_text(self.threshold)}: {self.known_answered} of {self.known} clips of the model's "
                f"categories still get a category; {self.other_refused} of {self.other} clips of other categories "
                f"get \"none of these\"",
                f"without a threshold, {self.other_confident} of {self.other} clips of other categories get a "
                f"category with probability {self.confident:.2f} or more"]


def open_set_report(known_top: np.ndarray, other_top: np.ndarray, threshold: float,
                    confident: float = 0.9) -> OpenSetReport:
    """What `threshold` does to clips of the model's categories and to clips of others."""
    known_top, other_top = np.asarray(known_top), np.asarray(other_top)
    return OpenSetReport(threshold, len(known_top), int((known_top >= threshold).sum()), len(other_top),
                         int((other_top < threshold).sum()), int((other_top >= confident).sum()), confident)
