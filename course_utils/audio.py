"""Reading clips and turning them into features."""

from __future__ import annotations

import os
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

from .constants import FMAX, HOP_LENGTH, N_FFT, N_MELS, SAMPLE_RATE, TOP_DB


class AudioFileError(ValueError):
    """A file that should hold a clip cannot be read as one."""


def load_audio(path: str | os.PathLike, sr: int = SAMPLE_RATE) -> np.ndarray:
    """Read a sound file as mono float32 samples resampled to `sr` Hz."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"audio file not found: {path}")
    try:
        samples, native_sr = sf.read(path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as error:
        raise AudioFileError(f"{path}: cannot be decoded as audio ({error})") from error
    if samples.shape[0] == 0:
        raise AudioFileError(f"{path}: contains no samples")
    mono = samples.mean(axis=1)
    if native_sr != sr:
        mono = librosa.resample(mono, orig_sr=native_sr, target_sr=sr, res_type="soxr_hq")
    return mono.astype(np.float32, copy=False)


def mel_spectrogram_db(
    waveform: np.ndarray,
    sr: int = SAMPLE_RATE,
    n_mels: int = N_MELS,
    fmax: float = FMAX,
    hop_length: int = HOP_LENGTH,
) -> np.ndarray:
    """Mel power spectrogram in dB relative to its loudest bin: shape (n_mels, frames), values in [-80, 0]."""
    power = librosa.feature.melspectrogram(
        y=waveform, sr=sr, n_fft=N_FFT, hop_length=hop_length, n_mels=n_mels, fmax=fmax
    )
    return librosa.power_to_db(power, ref=np.max, top_db=TOP_DB).astype(np.float32)
