"""Recordings no one curated: any file in; the chapter's samples out, or the reason a file cannot be used."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import AudioFileError, load_audio
from .constants import SAMPLE_RATE

SILENT_BELOW_DB = -60.0  # a loudest sample quieter than this (dB full scale) holds nothing to classify


class RecordingProblem(ValueError):
    """A file that cannot be used as a recording; the message names it and says why."""


@dataclass(frozen=True)
class Recording:
    path: Path
    waveform: np.ndarray  # mono float32 at `sample_rate`

    sample_rate: int = SAMPLE_RATE

    @property
    def seconds(self) -> float:
        return len(self.waveform) / self.sample_rate


def read_recording(path: str | os.PathLike, sr: int = SAMPLE_RATE) -> Recording:
    """`path` as mono samples at `sr` Hz, whatever its format, rate and channels; RecordingProblem if unusable."""
    path = Path(path)
    if not path.is_file():
        raise RecordingProblem(f"{path.name}: no such file")
    if path.stat().st_size == 0:
        raise RecordingProblem(f"{path.name}: the file is empty (0 bytes)")
    try:
        waveform = load_audio(path, sr)
    except AudioFileError as error:
        reason = getattr(error.__cause__, "error_string", "") or str(error).removeprefix(f"{path}: ")
        raise RecordingProblem(f"{path.name}: not a sound file this course can read ({reason.rstrip('.')})") from None
    peak = float(np.abs(waveform).max())
    if peak == 0:
        raise RecordingProblem(f"{path.name}: silent (every sample is zero)")
    loudest = 20 * math.log10(peak)
    if loudest < SILENT_BELOW_DB:
        raise RecordingProblem(f"{path.name}: silent (its loudest sample is {loudest:.0f} dB full scale, "
                               f"below {SILENT_BELOW_DB:.0f})")
    return Recording(path, waveform, sr)


def read_folder(folder: str | os.PathLike, sr: int = SAMPLE_RATE) -> tuple[list[Recording], dict[str, str]]:
    """Every file in `folder` (hidden ones skipped), in name order: (those read, {file name: why not})."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}")
    read, problems = [], {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            read.append(read_recording(path, sr))
        except RecordingProblem as problem:
            problems[path.name] = str(problem).removeprefix(f"{path.name}: ")
    return read, problems
