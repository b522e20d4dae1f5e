"""Exercise 10.1: cut_windows(waveform, length=80_000, hop=None): windows every hop samples, zero-padded."""
import math

import numpy as np


def cut_windows__right_index_matrix(waveform, length=80_000, hop=None):
    step = length if hop is None else hop
    if step > length:
        raise ValueError("hop longer than the window would skip samples")
    n = len(waveform)
    windows = 1 if n <= length else 1 + math.ceil((n - length) / step)
    total = (windows - 1) * step + length
    padded = np.concatenate([waveform, np.zeros(total - n, dtype=waveform.dtype)])
    index = np.arange(windows)[:, None] * step + np.arange(length)[None, :]
    return padded[index]


def cut_windows__right_while_loop(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    elif hop > length:
        raise ValueError("hop must be <= length")
    starts = [0]
    while starts[-1] + length < len(waveform):
        starts.append(starts[-1] + hop)
    result = np.zeros((len(starts), length), dtype=waveform.dtype)
    for row, start in enumerate(starts):
        chunk = waveform[start : start + length]
        result[row, : chunk.shape[0]] = chunk
    return result


def cut_windows__right_as_strided(waveform, length=80_000, hop=None):
    hop = hop or length
    if hop > length:
        raise ValueError("hop > length")
    n = waveform.shape[0]
    windows = max(1, math.ceil((n - length) / hop) + 1)
    buffer = np.zeros((windows - 1) * hop + length, dtype=waveform.dtype)
    buffer[:n] = waveform
    itemsize = buffer.strides[0]
    view = np.lib.stride_tricks.as_strided(
        buffer, shape=(windows, length), strides=(hop * itemsize, itemsize), writeable=False
    )
    return np.array(view)


# WRONG: starts from range(0, n, hop): one window per hop of the whole recording, so with hop < length
# there are extra windows after the recording is already covered (200,000 samples, hop 40,000 -> 5, not 4).
def cut_windows__wrong_range_starts(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    starts = list(range(0, n, hop)) or [0]
    out = np.zeros((len(starts), length), dtype=waveform.dtype)
    for r, s in enumerate(starts):
        chunk = waveform[s : s + length]
        out[r, : len(chunk)] = chunk
    return out


# WRONG: uses the hint's formula for every n (no "n > length" case): a short recording with hop < length
# gets a count of 0 or less (50 samples, hop 40,000 -> 1 + ceil(-1.99875) = 0 windows).
def cut_windows__wrong_formula_without_guard(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    windows = max(0, 1 + math.ceil((n - length) / hop))
    buffer = np.zeros(max(n, (windows - 1) * hop + length), dtype=waveform.dtype)
    buffer[:n] = waveform
    return np.array([buffer[i * hop : i * hop + length] for i in range(windows)], dtype=waveform.dtype).reshape(windows, length)


# WRONG: the last window is moved back to end at the recording's end (starts at n - length) instead of
# starting at its hop position and being padded with zeros.
def cut_windows__wrong_last_window_end_aligned(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    if n <= length:
        out = np.zeros((1, length), dtype=waveform.dtype)
        out[0, :n] = waveform
        return out
    windows = 1 + math.ceil((n - length) / hop)
    starts = [i * hop for i in range(windows - 1)] + [n - length]
    return np.stack([waveform[s : s + length] for s in starts])


# WRONG: shape transposed: returns (length, windows), one window per column.
def cut_windows__wrong_transposed(waveform, length=80_000, hop=None):
    step = length if hop is None else hop
    if step > length:
        raise ValueError("hop > length")
    n = len(waveform)
    windows = 1 if n <= length else 1 + math.ceil((n - length) / step)
    total = (windows - 1) * step + length
    padded = np.concatenate([waveform, np.zeros(total - n, dtype=waveform.dtype)])
    index = np.arange(length)[:, None] + np.arange(windows)[None, :] * step
    return padded[index]


# WRONG: tests hop >= length (before the default is filled in): an explicit hop equal to length,
# which is allowed, raises ValueError.
def cut_windows__wrong_raises_for_equal_hop(waveform, length=80_000, hop=None):
    if hop is not None and hop >= length:
        raise ValueError("hop must be shorter than length")
    hop = length if hop is None else hop
    n = len(waveform)
    windows = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    result = np.zeros((windows, length), dtype=waveform.dtype)
    for i in range(windows):
        chunk = waveform[i * hop : i * hop + length]
        result[i, : len(chunk)] = chunk
    return result


# WRONG: output dtype typed in as float32 ("the model wants float32"): a float64 (or int16) waveform
# does not keep its dtype.
def cut_windows__wrong_hardcoded_float32(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    windows = 1 if n <= length else 1 + math.ceil((n - length) / hop)
    result = np.zeros((windows, length), dtype=np.float32)
    for i in range(windows):
        chunk = waveform[i * hop : i * hop + length]
        result[i, : len(chunk)] = chunk
    return result


# WRONG: hop only checked, never used: windows always step by `length` (no overlap even with hop < length).
def cut_windows__wrong_ignores_hop(waveform, length=80_000, hop=None):
    if hop is not None and hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    windows = max(1, math.ceil(n / length))
    padded = np.zeros(windows * length, dtype=waveform.dtype)
    padded[:n] = waveform
    return padded.reshape(windows, length)


# WRONG: round() instead of ceil() in the count: the last partial window is lost whenever it holds
# less than half a hop of sound (100,000 samples -> 1 window instead of 2).
def cut_windows__wrong_round_count(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    windows = 1 if n <= length else 1 + round((n - length) / hop)
    total = (windows - 1) * hop + length
    padded = np.concatenate([waveform[:total], np.zeros(max(0, total - n), dtype=waveform.dtype)])
    index = np.arange(windows)[:, None] * hop + np.arange(length)[None, :]
    return padded[index]


# WRONG: a short recording is zero-padded at the FRONT (sound at the end of the window) instead of after it.
def cut_windows__wrong_short_left_padded(waveform, length=80_000, hop=None):
    if hop is None:
        hop = length
    if hop > length:
        raise ValueError("hop > length")
    n = len(waveform)
    if n < length:
        return np.pad(waveform, (length - n, 0))[None, :]
    windows = 1 + math.ceil((n - length) / hop)
    total = (windows - 1) * hop + length
    padded = np.pad(waveform, (0, total - n))
    return np.stack([padded[i * hop : i * hop + length] for i in range(windows)])
