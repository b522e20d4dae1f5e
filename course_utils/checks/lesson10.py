"""Lesson 10's check: cutting a recording of any length into the model's five-second windows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..windows import cut_windows, window_starts
from .core import AnswerError, WrongAnswer, call, exercise, expect, shape_of

# (samples, length, hop, dtype); None for length or hop: the argument is not given.
CASES = [(10, 4, None, np.float32), (12, 4, None, np.float64), (10, 4, 2, np.float32), (7, 4, 3, np.float32),
         (6, 5, 1, np.float32), (5, 5, 1, np.float64), (3, 5, 2, np.float32), (9, 3, 3, np.float32),
         (10, 4, 1, np.int16), (200_000, None, None, np.float32), (80_000, None, None, np.float32),
         (80_001, None, None, np.float32), (1_000, None, None, np.float32), (160_000, None, None, np.float64),
         (200_000, None, 40_000, np.float32)]  # small ones first: their hints show every sample


def _shown(n: int, length: int | None, hop: int | None) -> str:
    given = [f"<{n} samples>"] + ([str(length)] if length is not None else []) + \
        ([f"hop={hop}"] if hop is not None else [])
    return f"cut_windows({', '.join(given)})"


def _call(answer: Callable, waveform: np.ndarray, length: int | None, hop: int | None):
    args = (waveform,) if length is None else (waveform, length)
    return call(_shown(len(waveform), length, hop), answer, *args, **({} if hop is None else {"hop": hop}))


def _row_mistake(got: np.ndarray, want: np.ndarray, n: int, starts: list[int]) -> str:
    """Which mistake wrong window contents show: the padding, or where windows start."""
    sound = np.zeros(want.shape, dtype=bool)  # where a window holds the recording, not padding
    for row, start in enumerate(starts):
        sound[row, :max(0, min(want.shape[1], n - start))] = True
    return "not-zero-padded" if np.array_equal(got[sound], want[sound]) else "wrong-starts"


@exercise("10.1", then="The lesson goes on with the course's `cut_windows`.")
def check_cut_windows(answer: Callable) -> None:
    """Exercise 10.1: cut_windows(waveform, length=80_000, hop=None) -> (windows, length), zero-padded."""
    for n, length, hop, dtype in CASES:
        waveform = np.arange(1, n + 1).astype(dtype)  # no sample is 0, so padding shows
        given = waveform.copy()
        shown = _shown(n, length, hop)
        got = _call(answer, given, length, hop)
        want = cut_windows(waveform, *(() if length is None else (length,)), hop=hop)
        size = want.shape[1]
        expect(np.array_equal(given, waveform), "input-changed", "Do not change `waveform`: copy what goes into a window.")
        expect(isinstance(got, np.ndarray), "not-an-array",
               f"{shown} should return a NumPy array of shape {want.shape}, not {type(got).__name__}.")
        expect(shape_of(got) != want.shape[::-1] or want.shape[0] == size, "transposed",
               f"{shown} should have shape (windows, length) = {want.shape}, got {got.shape}: one row per window.")
        expect(got.ndim == 2 and got.shape[1] == size, "wrong-window-length",
               f"{shown} should give windows of {size} samples each (shape {want.shape}), got shape {got.shape}.")
        starts = [int(s) for s in window_starts(n, size, hop)]
        rows = got.shape[0]
        count_hint = (f"{shown} should give {len(starts)} window{'s' * (len(starts) != 1)}, starting at samples "
                      f"{starts[:6]}{' ...' if len(starts) > 6 else ''}, got {rows}: windows are added until one reaches "
                      "the end of the recording, and no more.")
        expect(rows != len(starts) - 1, "end-not-covered", count_hint)
        expect(rows != len(starts) + 1, "extra-window", count_hint)
        expect(rows == len(starts), "window-count", count_hint)
        expect(got.dtype == want.dtype, "wrong-dtype",
               f"{shown} on a {np.dtype(dtype).name} waveform should keep its dtype, got {got.dtype}. "
               "The model takes float32; np.zeros makes float64 unless told `dtype=waveform.dtype`.")
        expect(np.array_equal(got, want), _row_mistake(got, want, n, starts),
               f"{shown} gave the wrong samples. Window i holds waveform[i * hop : i * hop + length] "
               f"(hop = {hop if hop is not None else 'length'}), and zeros where that runs past the end. "
               f"Expected\n{_preview(want)}\ngot\n{_preview(got)}")
    waveform = np.ones(100, dtype=np.float32)
    for length, hop in [(10, 11), (80_000, 80_001)]:
        shown = _shown(len(waveform), length, hop)
        try:
            call(shown, answer, waveform, length, hop=hop)
        except AnswerError as error:
            expect(isinstance(error.error, ValueError), "not-value-error",
                   f"{shown}: a hop longer than the window should raise ValueError, not {type(error.error).__name__}.")
        else:
            raise WrongAnswer(f"{shown} would skip {hop - length} sample{'s' * (hop - length != 1)} between windows: "
                              "raise ValueError.",
                              "skip-accepted")


def _preview(windows: np.ndarray) -> str:
    with np.printoptions(threshold=40, edgeitems=3, linewidth=100):
        return str(windows)
