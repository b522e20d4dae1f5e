"""Lesson 2's checks: counting librosa's frames, and the chapter's mel spectrogram."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..audio import mel_spectrogram_db
from .core import call, exercise, expect, shape_of

NOT_NEEDED = "The rest of the lesson does not need it."


@exercise("2.1", then=NOT_NEEDED)
def check_frame_count(n_frames: Callable) -> None:
    """Exercise 2.1: n_frames(n_samples, hop_length) -> number of spectrogram columns."""
    cases = [(80_000, 512), (16_000, 256), (1_000, 1_000), (44_100, 441), (100, 512), (1_023, 512), (7, 3), (1, 1)]
    for n_samples, hop in cases:
        want = 1 + n_samples // hop  # librosa's count with centred frames (tested in tests/test_audio.py)
        got = call(f"n_frames({n_samples}, {hop})", n_frames, n_samples, hop)
        expect(isinstance(got, int | np.integer) and not isinstance(got, bool), "not-an-integer",
               f"n_frames({n_samples}, {hop}) should return a whole number (an int: a count of columns), "
               f"not {type(got).__name__} {got!r}. Integer division, //, keeps it an int.")
        expect(got == want, "frame-count", f"n_frames({n_samples}, {hop}) should be {want}, got {got}. "
               "librosa centres frames: one frame at sample 0, then one every hop_length samples.")


def _test_waveform(sr: int, seconds: float) -> np.ndarray:
    """A rising tone with a little noise, then digital silence: a floor and a top to find."""
    t = np.arange(int(sr * seconds)) / sr
    tone = np.sin(2 * np.pi * (300 + 0.5 * sr * t / seconds) * t)
    noise = 0.05 * np.random.default_rng(sr).standard_normal(t.size)
    return np.where(t < 0.6 * seconds, 0.5 * tone + noise, 0.0).astype(np.float32)


@exercise("2.2", then=NOT_NEEDED)
def check_mel_spectrogram(mel_spectrogram: Callable) -> None:
    """Exercise 2.2: mel_spectrogram(waveform, sr=16000) -> float32 dB mel spectrogram, (128, frames)."""
    for sr, seconds in [(None, 1.0), (22_050, 0.5), (44_100, 0.4)]:
        waveform = _test_waveform(sr or 16_000, seconds)
        given = waveform.copy()
        shown = "mel_spectrogram(waveform)" if sr is None else f"mel_spectrogram(waveform, {sr})"
        got = call(shown, mel_spectrogram, *([given] if sr is None else [given, sr]))
        want = mel_spectrogram_db(waveform, sr=sr or 16_000)
        rate = f"{sr or 16_000} Hz" + (" (the default sr)" if sr is None else "")
        expect(isinstance(got, np.ndarray), "not-numpy", f"Return a NumPy array (librosa's result), not {type(got).__name__}.")
        expect(np.array_equal(given, waveform), "waveform-changed", "Do not change the waveform you are given.")
        expect(shape_of(got) != want.shape[::-1] or want.shape[0] == want.shape[1], "transposed",
               f"Expected shape {want.shape} (mel bands, frames), got {got.shape}: rows are mel bands.")
        expect(shape_of(got) == want.shape, "wrong-shape",
               f"For {len(waveform)} samples at {rate} expected shape {want.shape} (128 mel bands, "
               f"1 + samples // 512 frames), got {got.shape}. Check n_mels, n_fft and hop_length.")
        expect(got.dtype == np.float32, "not-float32",
               f"Return float32 values (the models' type), not {got.dtype}: .astype(np.float32).")
        expect(bool(np.isfinite(got).all()), "not-finite",
               f"At {rate} some values are not finite: convert power to dB with librosa.power_to_db, which "
               "handles silence.")
        expect(got.min() < -1 or got.max() > 1, "not-db", "These look like power or amplitude values: convert them to dB.")
        expect(abs(float(got.max())) < 1e-3, "not-relative-to-max", f"At {rate} the loudest bin should be 0 dB, got "
               f"{got.max():.1f}: measure relative to the maximum (ref=np.max).")
        expect(float(got.min()) >= -80.001 and float(got.min()) < -79.999, "floor",
               f"At {rate} the quietest bin should be -80 dB, the floor (top_db=80), got {got.min():.1f}; "
               "the test sound ends in digital silence.")
        worst = float(np.abs(got - want).max())
        expect(worst < 0.01, "values-differ",
               f"At {rate} the values differ from the expected spectrogram by up to {worst:.2f} dB. Use power "
               "(not amplitude) to dB, n_fft=2048, hop_length=512, n_mels=128 and fmax=8000 whatever the "
               "sampling rate.")
