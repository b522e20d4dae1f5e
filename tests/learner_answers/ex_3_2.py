"""Exercise 3.2: TransformedWavDataset: lazy transform, float32 tensor whatever the transform returns."""
import numpy as np
import torch
from torch.utils.data import Dataset

from course_utils.audio import load_audio


class _SimpleWavDataset(Dataset):
    """A correct answer to 3.1, as the notebook's base class."""

    def __init__(self, metadata, audio_dir, categories):
        self.metadata = metadata.reset_index(drop=True)
        self.audio_dir = audio_dir
        self.categories = list(categories)

    def __len__(self):
        return len(self.metadata)

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"])).float()
        return waveform, self.categories.index(row["category"]), row["category"]


class _Given(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform


class TransformedWavDataset__right_as_tensor(_Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        if self.transform is not None:
            features = self.transform(features)
        if isinstance(features, torch.Tensor):
            features = features.to(torch.float32)
        else:
            features = torch.as_tensor(np.asarray(features), dtype=torch.float32)
        label = row["category"]
        return features, self.categories.index(label), label


class TransformedWavDataset__right_via_super(_Given):
    def __getitem__(self, index):
        waveform, target, label = super().__getitem__(index)
        if self.transform is None:
            return waveform, target, label
        features = self.transform(waveform.numpy())
        return torch.as_tensor(features).float(), target, label


# WRONG: runs the transform on every clip in __init__ (eager, not lazy); items then never re-run it.
class TransformedWavDataset__wrong_eager_in_init(_Given):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories, transform)
        self.features = []
        for i in range(len(self.metadata)):
            waveform = load_audio(self.audio_dir / self.metadata.iloc[i]["filename"])
            out = transform(waveform) if transform is not None else waveform
            self.features.append(torch.as_tensor(out, dtype=torch.float32))

    def __getitem__(self, index):
        label = self.metadata.iloc[index]["category"]
        return self.features[index], self.categories.index(label), label


# WRONG: memoises the transform's output per index: the transform runs once per item, not once per read.
class TransformedWavDataset__wrong_memoised(_Given):
    def __getitem__(self, index):
        if not hasattr(self, "_memo"):
            self._memo = {}
        row = self.metadata.iloc[index]
        if index not in self._memo:
            waveform = load_audio(self.audio_dir / row["filename"])
            out = self.transform(waveform) if self.transform is not None else waveform
            self._memo[index] = torch.as_tensor(out, dtype=torch.float32)
        return self._memo[index], self.categories.index(row["category"]), row["category"]


# WRONG: passes the transform a torch tensor (from 3.1's item) instead of the NumPy array load_audio returns.
class TransformedWavDataset__wrong_transform_gets_tensor(_Given):
    def __getitem__(self, index):
        waveform, target, label = super().__getitem__(index)
        features = self.transform(waveform) if self.transform is not None else waveform
        return torch.as_tensor(features, dtype=torch.float32), target, label


# WRONG: keeps whatever dtype the transform returned (float64 stays float64): not always float32.
class TransformedWavDataset__wrong_keeps_dtype(_Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        if self.transform is not None:
            features = self.transform(features)
        return torch.as_tensor(features), self.categories.index(row["category"]), row["category"]


# WRONG: torch.from_numpy only: breaks (TypeError) when the transform returns a tensor, which is allowed.
class TransformedWavDataset__wrong_from_numpy_only(_Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        if self.transform is not None:
            features = self.transform(features)
        return torch.from_numpy(features).float(), self.categories.index(row["category"]), row["category"]
