"""Spectrogram augmentation: pure functions that do exactly what they say, and random wrappers.

The pure functions take a spectrogram of shape (..., mels, frames) and never change it in
place. The wrappers draw their parameters from `generator` (a torch.Generator) or, if none
is given, from torch's global generator, which DataLoader seeds differently in each worker.
"""

from __future__ import annotations

import numpy as np
import torch

from .constants import TOP_DB

SILENCE_DB = -TOP_DB  # the floor of our dB spectrograms: what "nothing" looks like


def _as_tensor(spec: torch.Tensor | np.ndarray) -> torch.Tensor:
    return spec if isinstance(spec, torch.Tensor) else torch.as_tensor(np.asarray(spec))


def time_shift(spec: torch.Tensor | np.ndarray, shift: int, fill: float = SILENCE_DB) -> torch.Tensor:
    """Move the spectrogram `shift` frames later (earlier if negative); vacated frames get `fill`."""
    spec = _as_tensor(spec)
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        out[..., shift:] = spec[..., : max(width - shift, 0)]
    else:
        out[..., : max(width + shift, 0)] = spec[..., -shift:]
    return out


def frequency_mask(spec: torch.Tensor | np.ndarray, start: int, width: int, fill: float = SILENCE_DB) -> torch.Tensor:
    """Set mel bands start .. start+width-1 to `fill`."""
    out = _as_tensor(spec).clone()
    out[..., start : start + width, :] = fill
    return out


def time_mask(spec: torch.Tensor | np.ndarray, start: int, width: int, fill: float = SILENCE_DB) -> torch.Tensor:
    """Set frames start .. start+width-1 to `fill`."""
    out = _as_tensor(spec).clone()
    out[..., start : start + width] = fill
    return out


def _randint(low: int, high: int, generator: torch.Generator | None) -> int:
    """A uniform integer in [low, high], both ends included."""
    return int(torch.randint(low, high + 1, (1,), generator=generator))


class RandomTimeShift:
    """Shift by a uniform random number of frames, up to `max_fraction` of the width either way."""

    def __init__(self, max_fraction: float = 0.2, fill: float = SILENCE_DB,
                 generator: torch.Generator | None = None):
        if not 0 <= max_fraction <= 1:
            raise ValueError(f"max_fraction must be between 0 and 1, got {max_fraction}")
        self.max_fraction, self.fill, self.generator = max_fraction, fill, generator

    def __call__(self, spec: torch.Tensor | np.ndarray) -> torch.Tensor:
        limit = int(self.max_fraction * spec.shape[-1])
        return time_shift(spec, _randint(-limit, limit, self.generator), self.fill)

    def __repr__(self) -> str:
        return f"RandomTimeShift(max_fraction={self.max_fraction}, fill={self.fill})"


class RandomFrequencyMask:
    """Mask a random band of 0 to `max_width` mel bands (SpecAugment)."""

    def __init__(self, max_width: int = 16, fill: float = SILENCE_DB,
                 generator: torch.Generator | None = None):
        self.max_width, self.fill, self.generator = max_width, fill, generator

    def __call__(self, spec: torch.Tensor | np.ndarray) -> torch.Tensor:
        width = _randint(0, self.max_width, self.generator)
        start = _randint(0, spec.shape[-2] - width, self.generator)
        return frequency_mask(spec, start, width, self.fill)

    def __repr__(self) -> str:
        return f"RandomFrequencyMask(max_width={self.max_width}, fill={self.fill})"


class RandomTimeMask:
    """Mask a random run of 0 to `max_width` frames (SpecAugment)."""

    def __init__(self, max_width: int = 20, fill: float = SILENCE_DB,
                 generator: torch.Generator | None = None):
        self.max_width, self.fill, self.generator = max_width, fill, generator

    def __call__(self, spec: torch.Tensor | np.ndarray) -> torch.Tensor:
        width = _randint(0, self.max_width, self.generator)
        start = _randint(0, spec.shape[-1] - width, self.generator)
        return time_mask(spec, start, width, self.fill)

    def __repr__(self) -> str:
        return f"RandomTimeMask(max_width={self.max_width}, fill={self.fill})"
