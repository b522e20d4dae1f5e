"""Exercise 3.1: SimpleWavDataset.__getitem__ -> (float32 waveform tensor, target, label)."""
import numpy as np
import torch
from torch.utils.data import Dataset

from course_utils.audio import load_audio
from course_utils.constants import DEFAULT_CATEGORIES


class _Base(Dataset):
    """The notebook's given __init__ and __len__."""

    def __init__(self, metadata, audio_dir, categories):
        self.metadata = metadata.reset_index(drop=True)
        self.audio_dir = audio_dir
        self.categories = list(categories)

    def __len__(self):
        return len(self.metadata)


class SimpleWavDataset__right_iloc_index(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"])).float()
        label = row["category"]
        return waveform, self.categories.index(label), label


class SimpleWavDataset__right_lookup_dict(_Base):
    def __init__(self, metadata, audio_dir, categories):
        super().__init__(metadata, audio_dir, categories)
        self.target_of = {name: position for position, name in enumerate(self.categories)}

    def __getitem__(self, index):
        filename = self.metadata.at[index, "filename"]
        label = str(self.metadata.at[index, "category"])
        samples = load_audio(self.audio_dir / filename)
        return torch.tensor(samples, dtype=torch.float32), int(self.target_of[label]), label


# WRONG: target taken from the metadata's ESC-50 "target" column (0..49), not the position in `categories`.
class SimpleWavDataset__wrong_esc50_target_column(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"]))
        return waveform, int(row["target"]), row["category"]


# WRONG: targets from sorted(categories): right only when the categories passed in happen to be sorted.
class SimpleWavDataset__wrong_sorted_categories(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"]))
        return waveform, sorted(self.categories).index(row["category"]), row["category"]


# WRONG: mapping from a global list (the course's default categories), not the `categories` passed in.
class SimpleWavDataset__wrong_global_categories(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"]))
        label = row["category"]
        return waveform, list(DEFAULT_CATEGORIES).index(label), label


# WRONG: returns the waveform as a NumPy array, not a float32 tensor.
class SimpleWavDataset__wrong_numpy_not_tensor(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        label = row["category"]
        return load_audio(self.audio_dir / row["filename"]), self.categories.index(label), label


# WRONG: (features, label, target) order: label and target swapped.
class SimpleWavDataset__wrong_label_target_swapped(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"]))
        return waveform, row["category"], self.categories.index(row["category"])


# WRONG: off by one (thinks items are numbered from 1): item i reads row i-1 (item 0 reads the LAST row).
class SimpleWavDataset__wrong_off_by_one_row(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index - 1]
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"]))
        return waveform, self.categories.index(row["category"]), row["category"]
