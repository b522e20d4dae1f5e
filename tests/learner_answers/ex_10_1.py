"""Exercise 10.1: cut_windows(waveform, length=80_000, hop=None) -> zero-padded (windows, length) array."""
import math

import numpy as np


def cut_windows__right_loop(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop must not be longer than length")
    n = len(waveform)
    count = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    out = np.zeros((count, length), dtype=waveform.dtype)
    for i in range(count):
        piece = waveform[i * hop : i * hop + length]
        out[i, : len(piece)] = piece
    return out


def cut_windows__right_pad_and_stack(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    if hop > length:
        raise ValueError(f"hop={hop} > length={length} would skip samples")
    n = waveform.shape[0]
    count = 1 + max(0, -(-(n - length) // hop))  # integer ceil, no float rounding
    needed = (count - 1) * hop + length
    padded = np.pad(waveform, (0, needed - n), mode="constant", constant_values=0)
    return np.stack([padded[start : start + length] for start in range(0, count * hop, hop)])


def cut_windows__right_sliding_view(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = waveform.size
    extra = max(0, n - length)
    count = 1 + (extra + hop - 1) // hop
    padded = np.zeros((count - 1) * hop + length, dtype=waveform.dtype)
    padded[:n] = waveform
    windows = np.lib.stride_tricks.sliding_window_view(padded, length)[::hop]
    return windows.copy()


# WRONG: floor instead of ceil in the count: the last partial window is dropped (200,000 samples -> 2 windows).
def cut_windows__wrong_floor_count(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    count = 1 if n <= length else 1 + (n - length) // hop
    out = np.zeros((count, length), dtype=waveform.dtype)
    for i in range(count):
        piece = waveform[i * hop : i * hop + length]
        out[i, : len(piece)] = piece
    return out


# WRONG: pads by `length - n % length` always, so when n is an exact multiple of length a whole
# extra window of zeros is added (160,000 samples -> 3 windows instead of 2).
def cut_windows__wrong_extra_zero_window(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    padded = np.pad(waveform, (0, length - len(waveform) % length))
    starts = range(0, len(padded) - length + 1, hop)
    return np.stack([padded[s : s + length] for s in starts])


# WRONG: pads with the last sample repeated (mode="edge") instead of zeros.
def cut_windows__wrong_edge_padding(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    if hop > length:
        raise ValueError("hop > length")
    n = waveform.shape[0]
    count = 1 + max(0, -(-(n - length) // hop))
    needed = (count - 1) * hop + length
    padded = np.pad(waveform, (0, needed - n), mode="edge")
    return np.stack([padded[i * hop : i * hop + length] for i in range(count)])


# WRONG: np.zeros without dtype gives float64, not the waveform's dtype (float32 in, float64 out).
def cut_windows__wrong_float64_output(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    count = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    out = np.zeros((count, length))
    for i in range(count):
        piece = waveform[i * hop : i * hop + length]
        out[i, : len(piece)] = piece
    return out


# WRONG: pads by resizing the caller's array in place (ndarray.resize zero-fills): the input is changed.
def cut_windows__wrong_resize_in_place(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = waveform.size
    count = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    waveform.resize((count - 1) * hop + length, refcheck=False)
    return np.stack([waveform[i * hop : i * hop + length] for i in range(count)])


# WRONG: never checks hop > length: silently skips samples between windows instead of raising ValueError.
def cut_windows__wrong_no_hop_check(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    n = len(waveform)
    count = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    out = np.zeros((count, length), dtype=waveform.dtype)
    for i in range(count):
        piece = waveform[i * hop : i * hop + length]
        out[i, : len(piece)] = piece
    return out


# WRONG: 80000 typed in for the window size inside the body: ignores `length` (right only for the default).
def cut_windows__wrong_hardcoded_80000(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    count = 1 if n <= 80000 else 1 + math.ceil((n - 80000) / hop)
    out = np.zeros((count, 80000), dtype=waveform.dtype)
    for i in range(count):
        piece = waveform[i * hop : i * hop + 80000]
        out[i, : len(piece)] = piece
    return out


# WRONG: default hop is half a window (50% overlap, "usual in audio") instead of hop = length.
def cut_windows__wrong_default_half_overlap(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length // 2
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    count = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    out = np.zeros((count, length), dtype=waveform.dtype)
    for i in range(count):
        piece = waveform[i * hop : i * hop + length]
        out[i, : len(piece)] = piece
    return out


# WRONG: returns a Python list of 1-D windows instead of a (windows, length) NumPy array.
def cut_windows__wrong_returns_list(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    count = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    padded = np.zeros((count - 1) * hop + length, dtype=waveform.dtype)
    padded[:n] = waveform
    return [padded[i * hop : i * hop + length] for i in range(count)]
