"""Generated "own recordings" for learners without any (and for CI): varied as a phone's or a laptop's.

They are made from the offline stand-in's sounds, or from real ESC-50 clips when given some, and
re-recorded here: not a learner's recordings, and the lesson that uses them says so.
Formats, rates, channel counts and lengths vary as real recordings do, and three files cannot be
used at all (an empty file, a text file named .wav, a silent recording).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import soundfile as sf

from .atomic import atomic_path
from .audio import load_audio
from .constants import CLIP_SAMPLE_RATE, ESC50_CATEGORIES, NOT_IN_CATEGORIES
from .synthetic import generate_clip

# (name pattern, which of the chosen categories (or None), sample rate, channels, seconds)
RECORDINGS = (
    ("{0}_phone.wav", 0, 8_000, 1, 12.0),
    ("{1}_field.flac", 1, 48_000, 2, 7.0),
    ("{2}_garden.ogg", 2, 22_050, 1, 40.0),
    ("{3}_kitchen.mp3", 3, 44_100, 2, 60.0),
    ("{0}_short.wav", 0, 16_000, 1, 1.3),
    ("{1}_half_second.flac", 1, 44_100, 1, 0.5),
    ("kettle.wav", None, 44_100, 1, 6.0),
)
UNUSABLE = {"empty.wav": "empty", "notes.wav": "not a sound file", "silence.wav": "silent"}


def _category_sound(category: str, seconds: float, seed: int, clips: Sequence[Path] = ()) -> np.ndarray:
    """`seconds` of `category` at 44.1 kHz: five-second clips one after another, from `clips`
    (real ones, taken in turn from the `seed`-th) or else the stand-in's."""
    target = ESC50_CATEGORIES.index(category)
    pieces, needed = [], int(seconds * CLIP_SAMPLE_RATE)
    while sum(map(len, pieces)) < needed:
        if clips:
            pieces.append(load_audio(clips[(seed + len(pieces)) % len(clips)], CLIP_SAMPLE_RATE))
        else:
            pieces.append(generate_clip(f"9-{seed + len(pieces)}-A-{target}.wav"))
    return np.concatenate(pieces)[:needed]


def _kettle(seconds: float, seed: int = 7, start_hz: float = 1500, end_hz: float = 3000,
            hiss: float = 0.05) -> np.ndarray:
    """A kettle's whistle, rising from `start_hz` to `end_hz` over hiss: a sound of none of ESC-50's categories."""
    t = np.arange(int(seconds * CLIP_SAMPLE_RATE)) / CLIP_SAMPLE_RATE
    pitch = start_hz + (end_hz - start_hz) * t / seconds
    rng = np.random.default_rng(seed)
    sound = 0.5 * np.sin(2 * np.pi * np.cumsum(pitch) / CLIP_SAMPLE_RATE) + hiss * rng.standard_normal(len(t))
    return (0.8 * sound / np.abs(sound).max()).astype(np.float32)


def _as_recorded(sound: np.ndarray, rate: int, channels: int) -> np.ndarray:
    """`sound` (44.1 kHz mono) at `rate` Hz with `channels` channels (the second a little quieter and later)."""
    resampled = librosa.resample(sound, orig_sr=CLIP_SAMPLE_RATE, target_sr=rate, res_type="soxr_hq")
    if channels == 1:
        return resampled
    return np.stack([resampled, 0.8 * np.roll(resampled, rate // 1000)], axis=1)


def write_own_recordings(folder: str | os.PathLike, categories: Sequence[str],
                         clips: Mapping[str, Sequence[Path]] | None = None) -> pd.DataFrame:
    """Write the generated recordings into `folder`; a table of them: file, holds, format, rate, channels, seconds.

    `clips` gives real clips per category to make them from (the stand-in's sounds otherwise).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for seed, (pattern, which, rate, channels, seconds) in enumerate(RECORDINGS):
        holds = categories[which] if which is not None else NOT_IN_CATEGORIES
        name = pattern.format(*categories)
        fmt = name.rsplit(".", 1)[1].upper()
        if fmt not in sf.available_formats():  # libsndfile before 1.1 reads no MP3
            name, fmt = name.rsplit(".", 1)[0] + ".wav", "WAV"
        sound = _kettle(seconds) if which is None else _category_sound(holds, seconds, 100 * seed,
                                                                      (clips or {}).get(holds, ()))
        with atomic_path(folder / name) as temporary:
            sf.write(temporary, _as_recorded(sound, rate, channels), rate, format=fmt)
        rows.append({"file": name, "holds": holds, "format": fmt, "sample_rate": rate, "channels": channels,
                     "seconds": seconds})
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.wav").write_text("Remember to record the kettle.\n")
    with atomic_path(folder / "silence.wav") as temporary:
        sf.write(temporary, np.zeros(5 * 16_000, np.float32), 16_000, format="WAV")
    for name, why in UNUSABLE.items():
        rows.append({"file": name, "holds": f"nothing usable ({why})", "format": "WAV", "sample_rate": None,
                     "channels": None, "seconds": None})
    return pd.DataFrame(rows).astype({"sample_rate": "Int64", "channels": "Int64"})


# (sample rate, channels, seconds, start and end of the whistle in Hz, hiss): eight kettles, none alike
KETTLES = ((44_100, 1, 6.0, 1500, 3000, 0.05), (16_000, 1, 3.0, 1800, 2600, 0.10),
           (48_000, 2, 9.5, 1200, 2800, 0.03), (22_050, 1, 4.0, 2000, 3400, 0.08),
           (44_100, 2, 12.0, 1400, 2400, 0.06), (8_000, 1, 5.0, 1600, 3000, 0.12),
           (32_000, 1, 7.5, 1300, 3200, 0.04), (44_100, 1, 2.5, 2200, 3000, 0.07))


def write_new_category(folder: str | os.PathLike, name: str = "kettle") -> list[Path]:
    """Write eight generated recordings of one sound none of ESC-50's categories holds (a kettle's
    whistle, each with its own pitch, length, hiss, rate and channels); their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (rate, channels, seconds, start_hz, end_hz, hiss) in enumerate(KETTLES, start=1):
        sound = _kettle(seconds, seed=100 + number, start_hz=start_hz, end_hz=end_hz, hiss=hiss)
        path = folder / f"{name}_{number}.{'flac' if number % 2 == 0 else 'wav'}"
        with atomic_path(path) as temporary:
            sf.write(temporary, _as_recorded(sound, rate, channels), rate, format=path.suffix[1:].upper())
        written.append(path)
    return written
