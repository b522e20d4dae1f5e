"""A recording of any length as the chapter's input: five-second windows, the last one padded."""

from __future__ import annotations

import math

import numpy as np

from .constants import N_SAMPLES


def window_starts(n_samples: int, length: int = N_SAMPLES, hop: int | None = None) -> list[int]:
    """Where each window starts: every `hop` samples (default: `length`, no overlap) until the
    recording is covered; one window for a recording shorter than a window."""
    if n_samples < 1:
        raise ValueError(f"a recording of {n_samples} samples has no window: it is empty")
    hop = length if hop is None else hop
    if length < 1 or hop < 1:
        raise ValueError(f"window length and hop must be positive (got {length} and {hop})")
    if hop > length:
        raise ValueError(f"a hop of {hop} samples past a window of {length} would skip part of the recording")
    count = 1 + max(0, math.ceil((n_samples - length) / hop))
    return [i * hop for i in range(count)]


def cut_windows(waveform: np.ndarray, length: int = N_SAMPLES, hop: int | None = None) -> np.ndarray:
    """(windows, length) array of `waveform` cut at window_starts; zeros pad what runs past the end."""
    waveform = np.asarray(waveform)
    if waveform.ndim != 1:
        raise ValueError(f"expected a mono waveform (one axis), got shape {waveform.shape}")
    starts = window_starts(len(waveform), length, hop)
    out = np.zeros((len(starts), length), dtype=waveform.dtype)
    for row, start in enumerate(starts):
        piece = waveform[start:start + length]
        out[row, :len(piece)] = piece
    return out
