"""course_utils.windows: any recording as five-second windows, the last padded."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.constants import N_SAMPLES
from course_utils.windows import cut_windows, window_starts


@pytest.mark.parametrize("n_samples, hop, starts", [
    (N_SAMPLES, None, [0]),
    (N_SAMPLES + 1, None, [0, N_SAMPLES]),
    (N_SAMPLES // 2, None, [0]),
    (1, None, [0]),
    (5 * N_SAMPLES, None, [0, N_SAMPLES, 2 * N_SAMPLES, 3 * N_SAMPLES, 4 * N_SAMPLES]),
    (3 * N_SAMPLES // 2, N_SAMPLES // 2, [0, N_SAMPLES // 2]),
    (2 * N_SAMPLES, N_SAMPLES // 2, [0, N_SAMPLES // 2, N_SAMPLES]),
])
def test_windows_start_every_hop_until_the_recording_is_covered(n_samples, hop, starts):
    assert window_starts(n_samples, hop=hop) == starts


@pytest.mark.parametrize("n_samples", [1, 7, 99, 100, 101, 250, 1000])
@pytest.mark.parametrize("hop", [None, 1, 30, 99, 100])
def test_every_sample_is_in_a_window_and_no_window_is_needless(n_samples, hop):
    starts = window_starts(n_samples, length=100, hop=hop)
    covered = np.zeros(n_samples, bool)
    for start in starts:
        covered[start:start + 100] = True
    assert covered.all()
    assert len(starts) == 1 or starts[-2] + 100 < n_samples  # without the last window, something is missed


def test_windows_hold_the_recording_then_zeros_in_its_dtype():
    waveform = np.arange(1, 251, dtype=np.float32)
    windows = cut_windows(waveform, length=100)
    assert windows.shape == (3, 100) and windows.dtype == np.float32
    assert np.array_equal(windows.ravel()[:250], waveform) and not windows.ravel()[250:].any()
    overlapping = cut_windows(waveform, length=100, hop=75)
    assert [row[0] for row in overlapping] == [1, 76, 151] and overlapping[-1][-1] == 250
    assert np.array_equal(cut_windows(np.ones(N_SAMPLES)), np.ones((1, N_SAMPLES)))


@pytest.mark.parametrize("waveform, message", [
    (np.zeros(0), "empty"),
    (np.zeros((2, 100)), r"mono waveform \(one axis\), got shape \(2, 100\)"),
])
def test_what_cannot_be_cut_is_refused_with_the_reason(waveform, message):
    with pytest.raises(ValueError, match=message):
        cut_windows(waveform)


@pytest.mark.parametrize("length, hop", [(0, None), (100, 0), (-5, 10)])
def test_a_window_or_hop_that_is_not_positive_is_refused(length, hop):
    with pytest.raises(ValueError, match="must be positive"):
        window_starts(1000, length, hop)


def test_a_hop_longer_than_the_window_is_refused_as_it_would_skip_sound():
    with pytest.raises(ValueError, match="a hop of 101 samples past a window of 100 would skip"):
        window_starts(1000, 100, 101)
