import numpy as np
import torch
from torch.utils.data import Dataset

from course_utils.audio import load_audio


class _SimpleWavDataset(Dataset):
    """Exercise 3.1's class, as the notebook's TransformedWavDataset builds on it."""

    def __init__(self, metadata, audio_dir, categories):
        self.metadata = metadata.reset_index(drop=True)
        self.audio_dir = audio_dir
        self.categories = list(categories)

    def __len__(self):
        return len(self.metadata)

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        return torch.from_numpy(waveform).float(), self.categories.index(row["category"]), row["category"]


class TransformedWavDataset__right_as_tensor(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        if self.transform is not None:
            features = self.transform(features)
        if isinstance(features, torch.Tensor):
            features = features.detach().clone().to(torch.float32)
        else:
            features = torch.tensor(np.ascontiguousarray(features), dtype=torch.float32)
        label = row["category"]
        return features, self.categories.index(label), label


class TransformedWavDataset__right_numpy_first(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform

    def __getitem__(self, index):
        filename, label = self.metadata.loc[index, ["filename", "category"]]
        waveform = load_audio(self.audio_dir / filename)
        out = waveform if self.transform is None else self.transform(waveform)
        if torch.is_tensor(out):
            out = out.detach().cpu().numpy()
        array = np.array(out, dtype=np.float32)  # always a fresh float32 copy
        return torch.from_numpy(array), self.categories.index(label), label


# WRONG: runs the transform on every clip in __init__ (eager), not when an item is read.
class TransformedWavDataset__wrong_eager_in_init(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform
        self.features = []
        for index in range(len(self.metadata)):
            waveform = load_audio(self.audio_dir / self.metadata.iloc[index]["filename"])
            out = waveform if transform is None else transform(waveform)
            self.features.append(torch.as_tensor(np.asarray(out), dtype=torch.float32))

    def __getitem__(self, index):
        label = self.metadata.iloc[index]["category"]
        return self.features[index].clone(), self.categories.index(label), label


# WRONG: caches each item's transformed features, so the transform does not run once per read.
class TransformedWavDataset__wrong_caches_per_index(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform
        self._cache = {}

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        if index not in self._cache:
            waveform = load_audio(self.audio_dir / row["filename"])
            out = waveform if self.transform is None else self.transform(waveform)
            self._cache[index] = torch.as_tensor(np.asarray(out), dtype=torch.float32)
        return self._cache[index].clone(), self.categories.index(row["category"]), row["category"]


# WRONG: a tensor returned by the transform is passed through unchanged, so float64 tensors stay float64.
class TransformedWavDataset__wrong_tensor_dtype_kept(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        if self.transform is not None:
            features = self.transform(features)
        if not isinstance(features, torch.Tensor):
            features = torch.from_numpy(np.asarray(features, dtype=np.float32))
        return features, self.categories.index(row["category"]), row["category"]


# WRONG: without a transform it returns the NumPy array itself, not a float32 tensor.
class TransformedWavDataset__wrong_numpy_when_no_transform(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        if self.transform is None:
            features = waveform
        else:
            features = torch.as_tensor(np.asarray(self.transform(waveform)), dtype=torch.float32)
        return features, self.categories.index(row["category"]), row["category"]


# WRONG: calls the transform twice per read (once to test its return type, once to use it).
class TransformedWavDataset__wrong_transform_called_twice(_SimpleWavDataset):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        if self.transform is None:
            features = torch.from_numpy(waveform).float()
        elif isinstance(self.transform(waveform), torch.Tensor):
            features = self.transform(waveform).float()
        else:
            features = torch.from_numpy(np.asarray(self.transform(waveform), dtype=np.float32))
        return features, self.categories.index(row["category"]), row["category"]
