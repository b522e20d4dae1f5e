"""A saved model on recordings of any length: each five-second window scored, the windows' probabilities averaged.

    python -m course_utils classify MODEL FILE...

prints each file's top categories, or "none of these" where the model's top probability is below
the threshold saved with it; a file that cannot be used is named with the reason, and the rest go on.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .audio import mel_spectrogram_db
from .constants import NOT_IN_CATEGORIES
from .open_set import probability_pair, probability_text
from .recordings import Recording, RecordingProblem, read_recording
from .saved_model import INPUTS, IncompatibleModel, ModelCard, load_model
from .windows import cut_windows


@dataclass(frozen=True)
class Verdict:
    file: str
    seconds: float
    windows: int
    probabilities: dict[str, float]  # per category, the mean over the windows
    label: str  # the most probable category, or NOT_IN_CATEGORIES below the threshold
    threshold: float | None = None

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        return sorted(self.probabilities.items(), key=lambda item: -item[1])[:k]


def model_inputs(waveform: np.ndarray, kind: str) -> torch.Tensor:
    """The windows of `waveform` as a batch the model takes: waveforms, or dB mel spectrograms."""
    windows = cut_windows(waveform)
    if kind == "spectrogram":
        windows = np.stack([mel_spectrogram_db(window) for window in windows])
    return torch.from_numpy(windows)


def classify(model: nn.Module, card: ModelCard, recording: Recording) -> Verdict:
    """Score every window of `recording`, average the probabilities, and name the category (or none)."""
    with torch.no_grad():
        probabilities = torch.softmax(model(model_inputs(recording.waveform, INPUTS[card.architecture])), dim=1)
    mean = probabilities.mean(dim=0).tolist()
    by_category = dict(zip(card.categories, mean))
    best = max(by_category, key=by_category.get)
    below = card.threshold is not None and by_category[best] < card.threshold
    return Verdict(recording.path.name, recording.seconds, len(probabilities), by_category,
                   NOT_IN_CATEGORIES if below else best, card.threshold)



def describe(verdict: Verdict) -> str:
    """One line for a verdict: the file, its length and windows, the label and the top three."""
    shown = [[name, probability_text(p)] for name, p in verdict.top()]
    below = ""
    if verdict.label == NOT_IN_CATEGORIES:
        shown[0][1], threshold = probability_pair(verdict.top(1)[0][1], verdict.threshold)
        below = f", below the threshold {threshold}"
    top = ", ".join(f"{name} {p}" for name, p in shown)
    return (f"{verdict.file} ({verdict.seconds:.1f} s, {verdict.windows} window{'s' * (verdict.windows != 1)}): "
            f"{verdict.label} ({top}{below})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course_utils classify", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a model saved by course_utils.saved_model.save_model")
    parser.add_argument("files", nargs="+", type=Path, help="recordings: WAV, FLAC, OGG, MP3, any rate and length")
    args = parser.parse_args(argv)
    try:
        model, card = load_model(args.model)
    except (OSError, IncompatibleModel) as error:
        print(f"cannot use the model: {error}", file=sys.stderr)
        return 2
    unusable = 0
    for path in args.files:
        try:
            print(describe(classify(model, card, read_recording(path))))
        except RecordingProblem as problem:
            unusable += 1
            print(f"{problem}", file=sys.stderr)
    return 1 if unusable else 0


if __name__ == "__main__":
    sys.exit(main())
