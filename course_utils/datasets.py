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

from .audio import load_audio, mel_spectrogram_db
from .cache import DiskCache
from .constants import CLIP_SECONDS, SAMPLE_RATE

Features = np.ndarray | torch.Tensor


class WavDataset(Dataset):
    """Clips listed in `metadata`, read from `audio_dir` on demand.

    Item i is `(features, target, label)`: features is a float32 tensor, target the index of
    the label in `categories`. Features are made in two steps:

    - `transform` (deterministic, e.g. a mel spectrogram) turns the 5 s waveform into features;
    - `augment` (random, e.g. a time shift) changes them afresh on every access.

    The output of the first step can be kept after its first computation, so that later
    epochs skip decoding, resampling and the transform: `cache=True` keeps it in memory,
    `cache=<folder>` as `.npy` files on disk (see course_utils.cache), for data that does
    not fit in memory.
    """

    def __init__(
        self,
        metadata: pd.DataFrame,
        audio_dir: str | os.PathLike,
        categories: Sequence[str],
        transform: Callable[[np.ndarray], Features] | None = None,
        augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
        sr: int = SAMPLE_RATE,
        cache: bool | str | os.PathLike = False,
    ):
        unknown = sorted(set(metadata["category"]) - set(categories))
        if unknown:
            raise ValueError(f"metadata has categories {unknown} that are not in {list(categories)}")
        self.filenames = list(metadata["filename"])
        self.labels = list(metadata["category"])
        self.categories = list(categories)
        self.audio_dir = Path(audio_dir)
        self.transform = transform
        self.augment = augment
        self.sr = sr
        self._memory: dict[int, torch.Tensor] | None = {} if cache is True else None
        self._disk = DiskCache(cache) if cache not in (True, False, None) else None

    def __len__(self) -> int:
        return len(self.filenames)

    def waveform(self, index: int) -> np.ndarray:
        """The clip's samples at `sr` Hz, padded or trimmed to exactly 5 seconds."""
        samples = load_audio(self.audio_dir / self.filenames[index], sr=self.sr)
        return librosa.util.fix_length(samples, size=int(self.sr * CLIP_SECONDS))

    def features(self, index: int) -> torch.Tensor:
        """The deterministic features of clip `index`, from the cache if there is one; do not modify."""
        if self._memory is not None and index in self._memory:
            return self._memory[index]
        if self._disk is not None:
            key = self._disk.key(self.audio_dir / self.filenames[index], self.sr, self.transform)
            stored = self._disk.load(key)
            if stored is not None:
                return torch.tensor(stored)  # a copy of the memory-mapped file
        tensor = self._compute(index)
        if self._memory is not None:
            self._memory[index] = tensor
        if self._disk is not None:
            self._disk.save(key, tensor.numpy())
        return tensor

    def _compute(self, index: int) -> torch.Tensor:
        features = self.waveform(index)
        if self.transform is not None:
            features = self.transform(features)
        if isinstance(features, torch.Tensor):
            return features.to(torch.float32)
        return torch.as_tensor(np.asarray(features), dtype=torch.float32)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int, str]:
        features = self.features(index).clone()  # nothing done to an item can reach the cache
        if self.augment is not None:
            features = self.augment(features)
        label = self.labels[index]
        return features, self.categories.index(label), label


def spectrogram_datasets(train: pd.DataFrame, val: pd.DataFrame, audio_dir: str | os.PathLike,
                         categories: Sequence[str], augment: Callable | None = None) -> tuple[WavDataset, WavDataset]:
    """Cached mel-spectrogram Datasets for training and validation; `augment` applies to training only."""
    return (WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True),
            WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True))
