import numpy as np
import torch
from torch.utils.data import Dataset

from course_utils.audio import load_audio

# Module-level category list copied from the notebook.
CATEGORIES = ["dog", "cow", "chirping_birds", "vacuum_cleaner"]


class _Base(Dataset):
    """The notebook's given __init__ and __len__."""

    def __init__(self, metadata, audio_dir, categories):
        self.metadata = metadata.reset_index(drop=True)
        self.audio_dir = audio_dir
        self.categories = list(categories)

    def __len__(self):
        return len(self.metadata)


class SimpleWavDataset__right_iloc(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        label = row["category"]
        return torch.from_numpy(waveform).float(), self.categories.index(label), label


class SimpleWavDataset__right_lookup_dict(_Base):
    def __init__(self, metadata, audio_dir, categories):
        super().__init__(metadata, audio_dir, categories)
        self.target_of = {name: position for position, name in enumerate(self.categories)}

    def __getitem__(self, index):
        filename = self.metadata.at[index, "filename"]
        label = str(self.metadata.at[index, "category"])
        samples = load_audio(self.audio_dir / filename)
        return torch.tensor(samples, dtype=torch.float32), self.target_of[label], label


# WRONG: target is the position in the module-level CATEGORIES, not in the `categories` passed in.
class SimpleWavDataset__wrong_global_categories(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        return torch.from_numpy(waveform).float(), CATEGORIES.index(row["category"]), row["category"]


# WRONG: target is the position in the *sorted* categories, not in `categories` as given.
class SimpleWavDataset__wrong_sorted_categories(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        return torch.from_numpy(waveform).float(), sorted(self.categories).index(row["category"]), row["category"]


# WRONG: returns ESC-50's own `target` column (0..49), not the position in `categories`.
class SimpleWavDataset__wrong_esc50_target_column(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        return torch.from_numpy(waveform).float(), int(row["target"]), row["category"]


# WRONG: peak-normalises the waveform, so the features are not the waveform load_audio returns.
class SimpleWavDataset__wrong_peak_normalised(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        waveform = waveform / (np.abs(waveform).max() + 1e-8)
        return torch.from_numpy(waveform.astype(np.float32)), self.categories.index(row["category"]), row["category"]


# WRONG: moves the item to the GPU inside the Dataset (when one is available), which the exercise forbids.
class SimpleWavDataset__wrong_moves_to_cuda(_Base):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        device = "cuda" if torch.cuda.is_available() else "cpu"
        waveform = torch.from_numpy(load_audio(self.audio_dir / row["filename"])).float().to(device)
        return waveform, self.categories.index(row["category"]), row["category"]
