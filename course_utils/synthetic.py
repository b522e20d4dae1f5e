"""An offline stand-in for ESC-50: same metadata schema and file names, generated sound.

Four categories (dog, cow, chirping_birds, vacuum_cleaner) get hand-made recipes that
sound roughly like their names; the other 46 come from one parametric family. Every clip
is generated deterministically from its file name, so two machines build identical data.
The stand-in is for running the course without internet: its accuracies say nothing
about real ESC-50.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf

from .atomic import atomic_path
from .constants import (
    AUDIO_DIR,
    CLIP_SAMPLE_RATE,
    CLIP_SAMPLES,
    CLIPS_PER_CATEGORY,
    ESC10_CATEGORIES,
    ESC50_CATEGORIES,
    FOLDS,
    METADATA_COLUMNS,
    METADATA_PATH,
)

SR = CLIP_SAMPLE_RATE
_SOURCE_ID_BASE = 900_000  # fake freesound ids, well clear of ESC-50's real ones


def standin_metadata() -> pd.DataFrame:
    """The stand-in's metadata: 50 categories x 40 clips, 8 per fold, ESC-50 columns."""
    clips_per_fold = CLIPS_PER_CATEGORY // len(FOLDS)
    rows = []
    for target, category in enumerate(ESC50_CATEGORIES):
        for i in range(CLIPS_PER_CATEGORY):
            fold = FOLDS[i // clips_per_fold]
            src_file = _SOURCE_ID_BASE + target * CLIPS_PER_CATEGORY + i
            rows.append({
                "filename": f"{fold}-{src_file}-A-{target}.wav",
                "fold": fold,
                "target": target,
                "category": category,
                "esc10": category in ESC10_CATEGORIES,
                "src_file": src_file,
                "take": "A",
            })
    return pd.DataFrame(rows, columns=list(METADATA_COLUMNS))


def _rng_for(text: str) -> np.random.Generator:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    return np.random.default_rng(seed)


def _envelope(n: int, attack: float, release: float) -> np.ndarray:
    """A linear attack followed by an exponential decay, `n` samples long."""
    t = np.arange(n) / SR
    env = np.exp(-t / max(release, 1e-3))
    n_attack = max(1, int(attack * SR))
    env[:n_attack] *= np.linspace(0.0, 1.0, n_attack)
    return env


def _harmonic(freq: np.ndarray, weights: Iterable[float]) -> np.ndarray:
    """A harmonic tone following the instantaneous fundamental `freq` (Hz per sample)."""
    phase = 2 * np.pi * np.cumsum(freq) / SR
    return sum(w * np.sin(k * phase) for k, w in enumerate(weights, start=1))


def _band_noise(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """White noise band-limited to [low, high] Hz, unit peak."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SR)
    spectrum[(freqs < low) | (freqs > high)] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.abs(noise).max() + 1e-12)


def _place(clip: np.ndarray, event: np.ndarray, start: int) -> None:
    end = min(len(clip), start + len(event))
    clip[start:end] += event[: end - start]


def _dog(rng: np.random.Generator) -> np.ndarray:
    clip = np.zeros(CLIP_SAMPLES)
    for _ in range(rng.integers(2, 6)):
        n = int(rng.uniform(0.12, 0.3) * SR)
        f0 = rng.uniform(250, 800) * np.linspace(1.0, rng.uniform(0.75, 0.95), n)
        bark = _harmonic(f0, [1.0, 0.6, 0.4, 0.25]) + 0.3 * _band_noise(rng, n, 300, 3000)
        _place(clip, bark * _envelope(n, 0.01, 0.08), rng.integers(0, CLIP_SAMPLES - n))
    return clip


def _cow(rng: np.random.Generator) -> np.ndarray:
    clip = np.zeros(CLIP_SAMPLES)
    for _ in range(rng.integers(1, 3)):
        n = int(rng.uniform(1.0, 2.2) * SR)
        u = np.linspace(0, 1, n)
        f0 = rng.uniform(80, 220) * (1 + 0.15 * np.sin(np.pi * u))
        moo = _harmonic(f0, [1 / k for k in range(1, 11)]) * np.sin(np.pi * u) ** 0.5
        _place(clip, moo, rng.integers(0, CLIP_SAMPLES - n))
    return clip


def _chirping_birds(rng: np.random.Generator) -> np.ndarray:
    clip = np.zeros(CLIP_SAMPLES)
    for _ in range(rng.integers(8, 26)):
        n = int(rng.uniform(0.03, 0.09) * SR)
        f_start = rng.uniform(2500, 5000)
        freq = np.linspace(f_start, f_start * rng.choice([0.7, 1.4]) * rng.uniform(0.9, 1.2), n)
        chirp = _harmonic(freq, [1.0]) * np.hanning(n)
        _place(clip, chirp * rng.uniform(0.4, 1.0), rng.integers(0, CLIP_SAMPLES - n))
    return clip


def _vacuum_cleaner(rng: np.random.Generator) -> np.ndarray:
    f0 = rng.uniform(120, 250)
    hum = _harmonic(np.full(CLIP_SAMPLES, f0), [1.0, 0.7, 0.5, 0.3, 0.2])
    noise = _band_noise(rng, CLIP_SAMPLES, 200, rng.uniform(3000, 6000))
    t = np.arange(CLIP_SAMPLES) / SR
    flutter = 1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.5, 3) * t)
    clip = (0.3 * hum / 2.7 + noise) * flutter
    onset = rng.integers(0, SR)  # switched on within the first second
    clip[:onset] = 0
    return clip


def _parametric(category: str, rng: np.random.Generator) -> np.ndarray:
    """Events whose kind, pitch and rhythm are fixed per category and jittered per clip."""
    style = _rng_for(category)
    kind = style.choice(["tone", "noise", "steady", "pulses"])
    centre = float(np.exp(style.uniform(np.log(150), np.log(6000))))
    event_seconds = style.uniform(0.05, 0.8)
    events = int(style.integers(1, 12))
    centre *= rng.uniform(0.85, 1.15)
    if kind == "steady":
        return _band_noise(rng, CLIP_SAMPLES, centre / 2, centre * 2) + 0.3 * _harmonic(
            np.full(CLIP_SAMPLES, centre), [1.0]
        )
    clip = np.zeros(CLIP_SAMPLES)
    for _ in range(max(1, events + rng.integers(-1, 2))):
        n = int(event_seconds * rng.uniform(0.8, 1.2) * SR)
        if kind == "tone":
            event = _harmonic(np.full(n, centre), [1.0, 0.5, 0.25]) * _envelope(n, 0.02, n / SR / 3)
        elif kind == "noise":
            event = _band_noise(rng, n, centre / 1.5, centre * 1.5) * _envelope(n, 0.005, n / SR / 4)
        else:
            period = int(SR / rng.uniform(8, 30))
            event = np.zeros(n)
            event[::period] = 1.0
            event = np.convolve(event, _band_noise(rng, 200, centre / 2, centre * 2))[:n]
        _place(clip, event, rng.integers(0, CLIP_SAMPLES - n))
    return clip


_RECIPES: dict[str, Callable[[np.random.Generator], np.ndarray]] = {
    "dog": _dog,
    "cow": _cow,
    "chirping_birds": _chirping_birds,
    "vacuum_cleaner": _vacuum_cleaner,
}


def category_of(filename: str) -> str:
    """The category encoded in an ESC-50 file name `{fold}-{source}-{take}-{target}.wav`."""
    try:
        target = int(Path(filename).stem.split("-")[3])
        return ESC50_CATEGORIES[target]
    except (IndexError, ValueError) as error:
        raise ValueError(
            f"{filename!r} is not an ESC-50 file name of the form "
            "'{fold}-{source}-{take}-{target}.wav' with a target from 0 to 49"
        ) from error


def _background(rng: np.random.Generator) -> np.ndarray:
    """Room noise: a random mix of white and low-pass noise, unit peak."""
    low = _band_noise(rng, CLIP_SAMPLES, 20, rng.uniform(300, 2000))
    white = rng.standard_normal(CLIP_SAMPLES)
    noise = rng.uniform(0.2, 1.0) * low + rng.uniform(0.0, 0.3) * white / np.abs(white).max()
    return noise / np.abs(noise).max()


def _render(category: str, rng: np.random.Generator) -> np.ndarray:
    recipe = _RECIPES.get(category)
    clip = recipe(rng) if recipe else _parametric(category, rng)
    return clip / (np.abs(clip).max() + 1e-12)


def generate_clip(filename: str) -> np.ndarray:
    """The stand-in clip for `filename`: 5 s of float32 audio at 44.1 kHz, peak below 1.

    The category's sound, sometimes a quieter sound of another category on top, and room
    noise at a random level: learnable, but not without mistakes.
    """
    category = category_of(filename)
    rng = _rng_for(filename)
    clip = _render(category, rng)
    if rng.uniform() < 0.5:
        other = ESC50_CATEGORIES[rng.integers(len(ESC50_CATEGORIES))]
        if other != category:
            clip += rng.uniform(0.1, 0.4) * _render(other, rng)
    clip += rng.uniform(0.05, 0.5) * _background(rng)
    clip *= rng.uniform(0.3, 0.9) / (np.abs(clip).max() + 1e-12)
    return np.clip(clip, -0.99, 0.99).astype(np.float32)


def write_clip(filename: str, audio_dir: str | os.PathLike) -> Path:
    """Generate `filename` into `audio_dir` as 16-bit PCM WAV, written atomically."""
    audio_dir = Path(audio_dir)
    audio_dir.mkdir(parents=True, exist_ok=True)
    target = audio_dir / filename
    with atomic_path(target) as temporary:
        sf.write(temporary, generate_clip(filename), SR, subtype="PCM_16", format="WAV")
    return target


def write_standin(root: str | os.PathLike, filenames: Iterable[str] | None = None) -> Path:
    """Write the stand-in in ESC-50 layout under `root`: all metadata, audio for `filenames`.

    With `filenames=None` all 2000 clips are generated. Existing clips are kept.
    """
    root = Path(root)
    metadata = standin_metadata()
    meta_file = root / METADATA_PATH
    meta_file.parent.mkdir(parents=True, exist_ok=True)
    if not meta_file.exists():
        with atomic_path(meta_file) as temporary:
            metadata.to_csv(temporary, index=False)
    names = metadata["filename"] if filenames is None else filenames
    for name in names:
        if not (root / AUDIO_DIR / name).exists():
            write_clip(name, root / AUDIO_DIR)
    return root
