"""A PyTorch Dataset that reads clips from disk only when an item is asked for."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import torch
from torch.utils.data import Dataset

from .audio import load_audio
from .constants import CLIP_SECONDS, SAMPLE_RATE


class WavDataset(Dataset):
    """Clips listed in `metadata`, read from `audio_dir` on demand.

    Item i is `(features, target, label)`: features is a float32 tensor (the waveform, or
    whatever `transform` makes of it), target the index of the label in `categories`.
    With `cache_audio=True` decoded, resampled waveforms are kept in memory, so epochs
    after the first skip decoding; random transforms still run on every access.
    """

    def __init__(
        self,
        metadata: pd.DataFrame,
        audio_dir: str | os.PathLike,
        categories: Sequence[str],
        transform: Callable[[np.ndarray], np.ndarray | torch.Tensor] | None = None,
        sr: int = SAMPLE_RATE,
        cache_audio: bool = False,
    ):
        unknown = sorted(set(metadata["category"]) - set(categories))
        if unknown:
            raise ValueError(f"metadata has categories {unknown} that are not in {list(categories)}")
        self.filenames = list(metadata["filename"])
        self.labels = list(metadata["category"])
        self.categories = list(categories)
        self.audio_dir = Path(audio_dir)
        self.transform = transform
        self.sr = sr
        self._waveforms: dict[int, np.ndarray] | None = {} if cache_audio else None

    def __len__(self) -> int:
        return len(self.filenames)

    def waveform(self, index: int) -> np.ndarray:
        """The clip's samples at `sr` Hz, padded or trimmed to exactly 5 seconds."""
        if self._waveforms is not None and index in self._waveforms:
            return self._waveforms[index]
        samples = load_audio(self.audio_dir / self.filenames[index], sr=self.sr)
        samples = librosa.util.fix_length(samples, size=int(self.sr * CLIP_SECONDS))
        if self._waveforms is not None:
            samples.setflags(write=False)  # shared between epochs: nobody may change it
            self._waveforms[index] = samples
        return samples

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int, str]:
        features = self.waveform(index)
        if self.transform is not None:
            features = self.transform(features)
        if isinstance(features, torch.Tensor):
            tensor = features.to(torch.float32)
        else:
            tensor = torch.tensor(np.asarray(features), dtype=torch.float32)  # a copy
        label = self.labels[index]
        return tensor, self.categories.index(label), label
