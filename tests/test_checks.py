"""The exercise checks, judged like code: for every exercise, differently written right answers
that its check must accept, and plausible wrong answers (the mistakes the lessons warn about)
that it must reject with a hint."""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import statistics
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import pytest
import requests
import torch
from torch import nn
from torch.nn import functional as F

from course_utils import checks, crossval, datasets, models, training, windows
from course_utils import notebook_format as fmt
from course_utils.audio import load_audio, mel_spectrogram_db
from course_utils.augment import RandomTimeShift, time_shift
from course_utils.esc50 import select_categories, split_by_fold
from course_utils.grading.exercises import lessons

# 1.1 ----------------------------------------------------------------------------------------


def split_query(metadata, categories, val_fold=1):
    subset = metadata.query("category in @categories")
    return subset.query("fold != @val_fold"), subset.query("fold == @val_fold")


def split_loop(metadata, categories, val_fold=1):
    rows = [row for _, row in metadata.iterrows() if row["category"] in categories]
    train = pd.DataFrame([r for r in rows if r["fold"] != val_fold])
    return train, pd.DataFrame([r for r in rows if r["fold"] == val_fold])


def split_no_filter(metadata, categories, val_fold=1):
    return metadata[metadata["fold"] != val_fold], metadata[metadata["fold"] == val_fold]


def split_keeps_val_in_train(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset, subset[subset["fold"] == val_fold]


def split_swapped(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset[subset["fold"] == val_fold], subset[subset["fold"] != val_fold]


def split_at_random(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)].sample(frac=1, random_state=0)
    cut = len(subset) // 5
    return subset[cut:], subset[:cut]


# 1.2 ----------------------------------------------------------------------------------------


def stream(url, path):
    """Write the body at `url` to `path` as it arrives (a step of several answers below)."""
    with requests.get(url, stream=True, timeout=10) as response:
        response.raise_for_status()
        with open(path, "wb") as handle:
            for chunk in response.iter_content(8192):
                handle.write(chunk)


def download_streaming_to_part(url, destination):
    partial = destination.with_name(destination.name + ".part")
    try:
        stream(url, partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)


def download_urllib(url, destination):
    fd, temporary = tempfile.mkstemp(dir=destination.parent)
    try:
        with urllib.request.urlopen(url, timeout=10) as response, os.fdopen(fd, "wb") as handle:
            handle.write(response.read())
        os.replace(temporary, destination)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def download_copying_the_raw_stream(url, destination):
    partial = destination.parent / (destination.name + ".download")
    try:
        with requests.get(url, stream=True, timeout=10) as response:
            response.raise_for_status()
            with open(partial, "wb") as handle:
                shutil.copyfileobj(response.raw, handle)
        partial.rename(destination)
    except Exception:
        partial.unlink(missing_ok=True)
        raise


def download_saves_error_pages(url, destination):
    destination.write_bytes(requests.get(url, timeout=10).content)


def download_streams_into_destination(url, destination):
    stream(url, destination)


def download_leaves_temporary_file(url, destination):
    partial = destination.with_name(destination.name + ".part")
    stream(url, partial)
    os.replace(partial, destination)


def download_wants_a_string(url, destination):
    return download_streaming_to_part(url, Path(destination + ".wav"))  # str + Path: TypeError


# 2.2 ----------------------------------------------------------------------------------------


def mel_librosa(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max).astype(np.float32)


def mel_by_hand(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_mels=128, fmax=8000.0)
    db = 10 * np.log10(np.maximum(power, 1e-10) / power.max())
    return np.maximum(db, -80).astype(np.float32)


def mel_in_librosa_defaults(waveform, sr=16_000):
    return librosa.power_to_db(librosa.feature.melspectrogram(y=waveform, sr=sr, fmax=8000), ref=np.max)


def mel_without_fmax(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128)
    return librosa.power_to_db(power, ref=np.max).astype(np.float32)


def mel_amplitude_db(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_mels=128, fmax=8000)
    return librosa.amplitude_to_db(power, ref=np.max).astype(np.float32)


def mel_without_ref(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_mels=128, fmax=8000)
    return librosa.power_to_db(power).astype(np.float32)


def mel_transposed(waveform, sr=16_000):
    return mel_librosa(waveform, sr).T


def mel_float64(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform.astype(np.float64), sr=sr, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max)


def mel_power_only(waveform, sr=16_000):
    return librosa.feature.melspectrogram(y=waveform, sr=sr, n_mels=128, fmax=8000).astype(np.float32)


def mel_short_hop(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, hop_length=256, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max).astype(np.float32)


# 3.1 and 3.2 --------------------------------------------------------------------------------


class Given(torch.utils.data.Dataset):
    """The part of exercise 3.1's class that the notebook gives."""

    def __init__(self, metadata, audio_dir, categories):
        self.metadata = metadata.reset_index(drop=True)
        self.audio_dir = audio_dir
        self.categories = list(categories)

    def __len__(self):
        return len(self.metadata)


class ItemRight(Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        label = row["category"]
        return torch.tensor(load_audio(self.audio_dir / row["filename"]), dtype=torch.float32), self.categories.index(label), label


class ItemFromNumpy(Given):
    def __getitem__(self, index):
        filename, label = self.metadata.loc[index, ["filename", "category"]]
        return torch.from_numpy(load_audio(Path(self.audio_dir, filename))), torch.tensor(self.categories.index(label)), label


class ItemEsc50Target(Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        return torch.tensor(load_audio(self.audio_dir / row["filename"])), int(row["target"]), row["category"]


class ItemSortedTarget(Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        label = row["category"]
        return torch.tensor(load_audio(self.audio_dir / row["filename"])), sorted(self.categories).index(label), label


class ItemNumpy(Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        return load_audio(self.audio_dir / row["filename"]), self.categories.index(row["category"]), row["category"]


class ItemFloat64(Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = torch.tensor(load_audio(self.audio_dir / row["filename"]), dtype=torch.float64)
        return waveform, self.categories.index(row["category"]), row["category"]


class ItemNoLabel(Given):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        return torch.tensor(load_audio(self.audio_dir / row["filename"])), self.categories.index(row["category"])


class TransformRight(ItemRight):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform

    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        if self.transform is not None:
            features = self.transform(features)
        return torch.as_tensor(features, dtype=torch.float32), self.categories.index(row["category"]), row["category"]


class TransformRightOtherwise(ItemRight):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.transform = transform or (lambda waveform: waveform)

    def __getitem__(self, index):
        waveform, target, label = super().__getitem__(index)
        return torch.as_tensor(self.transform(waveform.numpy())).float(), target, label


class TransformIgnored(TransformRight):
    def __getitem__(self, index):
        return ItemRight.__getitem__(self, index)


class TransformEager(ItemRight):
    def __init__(self, metadata, audio_dir, categories, transform=None):
        super().__init__(metadata, audio_dir, categories)
        self.items = [torch.as_tensor((transform or (lambda w: w))(load_audio(audio_dir / f)), dtype=torch.float32)
                      for f in self.metadata["filename"]]

    def __getitem__(self, index):
        label = self.metadata.iloc[index]["category"]
        return self.items[index], self.categories.index(label), label


class TransformKeepsDtype(TransformRight):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        features = load_audio(self.audio_dir / row["filename"])
        features = self.transform(features) if self.transform else features
        return torch.as_tensor(features), self.categories.index(row["category"]), row["category"]


class TransformGetsTensor(TransformRight):
    def __getitem__(self, index):
        waveform, target, label = ItemRight.__getitem__(self, index)
        return torch.as_tensor(self.transform(waveform) if self.transform else waveform).float(), target, label


class TransformTwice(TransformRight):
    def __getitem__(self, index):
        row = self.metadata.iloc[index]
        waveform = load_audio(self.audio_dir / row["filename"])
        shape = self.transform(waveform).shape if self.transform else None  # "just to look at the shape"
        features = self.transform(waveform) if shape else waveform
        return torch.as_tensor(features, dtype=torch.float32), self.categories.index(row["category"]), row["category"]


# 4.x ----------------------------------------------------------------------------------------


def frames_view(batch, frame_length):
    return batch.view(len(batch), batch.shape[1] // frame_length, frame_length)


def frames_unfold(batch, frame_length):
    return batch.unfold(1, frame_length, frame_length)


def frames_flat(batch, frame_length):
    return batch.reshape(-1, frame_length)


def frames_interleaved(batch, frame_length):
    return batch.reshape(len(batch), frame_length, -1).transpose(1, 2)


def frames_wrong_order(batch, frame_length):
    return batch.reshape(len(batch), frame_length, -1)


class LstmRight(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveforms):
        frames = waveforms.reshape(len(waveforms), -1, self.frame_length)
        _, (hidden, _) = self.lstm(frames)
        return self.head(hidden[-1])


class LstmLastOutput(nn.Module):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__()
        self.head = nn.Linear(hidden_size, n_classes)  # defined first: parameters in another order
        self.rnn = nn.LSTM(input_size=frame_length, hidden_size=hidden_size, batch_first=True)
        self.frame_length = frame_length

    def forward(self, x):
        output, _ = self.rnn(x.unfold(1, self.frame_length, self.frame_length))
        return self.head(output[:, -1, :])


class LstmNotBatchFirst(LstmRight):
    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__(n_classes, frame_length, hidden_size)
        self.lstm = nn.LSTM(frame_length, hidden_size)


class LstmFirstStep(LstmRight):
    def forward(self, waveforms):
        output, _ = self.lstm(waveforms.reshape(len(waveforms), -1, self.frame_length))
        return self.head(output[:, 0])


class LstmSoftmax(LstmRight):
    def forward(self, waveforms):
        return super().forward(waveforms).softmax(dim=1)


class LstmUnframed(LstmRight):
    """The chapter's mistake: the 2-D batch goes to the LSTM as it is."""

    def __init__(self, n_classes, frame_length=800, hidden_size=64):
        super().__init__(n_classes, frame_length, hidden_size)
        self.lstm = nn.LSTM(frame_length, hidden_size)

    def forward(self, waveforms):
        output, _ = self.lstm(waveforms[:, : self.frame_length])
        return self.head(output)


# 5.1 ----------------------------------------------------------------------------------------


class CnnExplicit(nn.Module):
    def __init__(self, n_classes=4, n_mels=128, n_frames=157):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv4 = nn.Conv2d(64, 128, 3, padding=1)
        self.fc = nn.Linear(128 * (n_mels // 16) * (n_frames // 16), n_classes)

    def with_channel_axis(self, x):
        return x.unsqueeze(1)

    def block(self, conv, x):
        return F.max_pool2d(F.relu(conv(x)), 2)

    def forward(self, x):
        x = self.with_channel_axis(x)
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4):
            x = self.block(conv, x)
        return self.fc(x.flatten(1))


class CnnPoolThenRelu(CnnExplicit):
    def forward(self, x):
        x = x[:, None]
        for conv in (self.conv1, self.conv2, self.conv3, self.conv4):
            x = torch.relu(F.max_pool2d(conv(x), 2))
        return self.fc(torch.flatten(x, start_dim=1))


class CnnNoPadding(CnnExplicit):
    def __init__(self, n_classes=4, n_mels=128, n_frames=157):
        super().__init__(n_classes, n_mels, n_frames)
        for name in ("conv1", "conv2", "conv3", "conv4"):
            conv = getattr(self, name)
            setattr(self, name, nn.Conv2d(conv.in_channels, conv.out_channels, 3))
        h, w = n_mels, n_frames
        for _ in range(4):
            h, w = (h - 2) // 2, (w - 2) // 2
        self.fc = nn.Linear(128 * h * w, n_classes)


class CnnAveragePooling(CnnExplicit):
    def block(self, conv, x):
        return F.avg_pool2d(F.relu(conv(x)), 2)


class CnnSoftmax(CnnExplicit):
    def forward(self, x):
        return F.softmax(super().forward(x), dim=1)


class CnnFixedFlatten(CnnExplicit):
    def __init__(self, n_classes=4, n_mels=128, n_frames=157):
        super().__init__(n_classes, n_mels, n_frames)
        self.fc = nn.Linear(9216, n_classes)  # read off the summary for 128 x 157


class CnnNoRelu(CnnExplicit):
    def block(self, conv, x):
        return F.max_pool2d(conv(x), 2)


class CnnNoChannelAxis(CnnExplicit):
    def with_channel_axis(self, x):
        return x


# 5.2 ----------------------------------------------------------------------------------------


def accuracy_counting(model, loader, device):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for features, targets, _ in loader:
            features, targets = features.to(device), targets.to(device)
            correct += (model(features).argmax(dim=1) == targets).sum().item()
            total += len(targets)
    return correct / total


def accuracy_concatenated(model, loader, device):
    model.to(device).eval()
    predictions, truth = [], []
    with torch.inference_mode():
        for batch in loader:
            x, y = batch[0].to(device), batch[1].to(device)
            predictions.append(model(x).argmax(1))
            truth.append(y)
    return (torch.cat(predictions) == torch.cat(truth)).float().mean().item()


def accuracy_over_the_dataset(model, loader, device):
    model.to(device)
    model.eval()
    correct = 0
    with torch.no_grad():
        for features, targets, labels in loader:
            predictions = model(features.to(device)).argmax(dim=1)
            correct += int((predictions == targets.to(device)).sum())
    return correct / len(loader.dataset)


def accuracy_in_train_mode(model, loader, device):
    with torch.no_grad():
        hits = [(model(x.to(device)).argmax(1) == y.to(device)) for x, y, _ in loader]
    return torch.cat(hits).float().mean().item()


def accuracy_with_gradients(model, loader, device):
    model.eval()
    hits = [(model(x.to(device)).argmax(1) == y.to(device)) for x, y, _ in loader]
    return torch.cat(hits).float().mean().item()


def accuracy_not_moved(model, loader, device):
    model.eval()
    with torch.no_grad():
        hits = [(model(x).argmax(1) == y) for x, y, _ in loader]
    return torch.cat(hits).float().mean().item()


def error_rate(model, loader, device):
    model.eval()
    with torch.no_grad():
        misses = [(model(x.to(device)).argmax(1) != y.to(device)) for x, y, _ in loader]
    return torch.cat(misses).float().mean().item()


def accuracy_mean_of_batches(model, loader, device):
    model.eval()
    with torch.no_grad():
        scores = [(model(x.to(device)).argmax(1) == y.to(device)).float().mean().item() for x, y, _ in loader]
    return sum(scores) / len(scores)


def accuracy_pairs(model, loader, device):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:  # the course's batches are triples
            correct += (model(x.to(device)).argmax(1) == y.to(device)).sum().item()
            total += len(y)
    return correct / total


# 5.3 ----------------------------------------------------------------------------------------


def epoch_right(model, loader, optimizer, device):
    model.train()
    total, count = 0.0, 0
    for features, targets, _ in loader:
        features, targets = features.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(features), targets)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(targets)
        count += len(targets)
    return total / count


def epoch_zero_grad_last(model, loader, optimizer, device):
    model.train()
    criterion = nn.CrossEntropyLoss(reduction="sum")
    total, count = 0.0, 0
    for batch in loader:
        x, y = (t.to(device) for t in batch[:2])
        loss = criterion(model(x), y) / len(y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        total, count = total + loss.item() * len(y), count + len(y)
    return total / count


def epoch_over_the_dataset(model, loader, optimizer, device):
    criterion = nn.CrossEntropyLoss()
    model.train()
    running = 0.0
    for inputs, labels, _ in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        running += loss.item() * inputs.size(0)
    return running / len(loader.dataset)


def _epoch_with(mistake):
    def epoch(model, loader, optimizer, device):
        if mistake != "eval mode":
            model.train()
        losses, sizes = [], []
        for x, y, _ in loader:
            if mistake != "not moved":
                x, y = x.to(device), y.to(device)
            if mistake not in ("no zero_grad", "zero_grad before step"):
                optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y) if mistake != "nll on scores" else F.nll_loss(model(x), y)
            loss.backward()
            if mistake == "zero_grad before step":
                optimizer.zero_grad()
            if mistake != "no step":
                optimizer.step()
            losses.append(loss.item())
            sizes.append(len(y))
        if mistake == "last loss":
            return losses[-1]
        if mistake == "mean of batches":
            return sum(losses) / len(losses)
        return sum(l * n for l, n in zip(losses, sizes)) / sum(sizes)

    return epoch


# 6.x ----------------------------------------------------------------------------------------


def shift_by_concatenation(spec, shift, fill=-80.0):
    width = spec.shape[-1]
    shift = max(-width, min(width, shift))
    pad = torch.full((*spec.shape[:-1], abs(shift)), fill, dtype=spec.dtype)
    return torch.cat([pad, spec[..., : width - shift]], -1) if shift >= 0 else torch.cat([spec[..., -shift:], pad], -1)


def shift_rolled(spec, shift, fill=-80.0):
    return torch.roll(spec, shift, dims=-1)


def shift_backwards(spec, shift, fill=-80.0):
    return time_shift(spec, -shift, fill)


def shift_fills_zero(spec, shift, fill=-80.0):
    return time_shift(spec, shift, 0.0)


class ShiftRight:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction, self.fill = max_fraction, fill

    def limit(self, spec):
        return int(self.max_fraction * spec.shape[-1])

    def draw(self, limit):
        return int(torch.randint(-limit, limit + 1, ()))

    def __call__(self, spec):
        return time_shift(spec, self.draw(self.limit(spec)), self.fill)


class ShiftWithRandom:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[1])
        return shift_by_concatenation(spec, random.randint(-limit, limit), self.fill)


class ShiftWithNumpy(ShiftRight):
    def draw(self, limit):
        return int(np.random.randint(-limit, limit + 1))


class ShiftUpperBoundExcluded(ShiftRight):
    def draw(self, limit):
        return torch.randint(-limit, limit, (1,)).item()


class ShiftDrawnOnce(ShiftRight):
    def __init__(self, max_fraction=0.2, fill=-80.0):
        super().__init__(max_fraction, fill)
        self.shift = random.randint(1, 5)

    def draw(self, limit):
        return self.shift


class ShiftOnlyLater(ShiftRight):
    def draw(self, limit):
        return random.randint(0, limit)


class ShiftAlongMels(ShiftRight):
    def limit(self, spec):
        return int(self.max_fraction * spec.shape[0])


class ShiftRolled(ShiftRight):
    def __call__(self, spec):
        return torch.roll(spec, self.draw(self.limit(spec)), dims=-1)


class ShiftFixedFraction(ShiftRight):
    def limit(self, spec):
        return int(0.2 * spec.shape[-1])


class ShiftUnseeded(ShiftRight):
    def draw(self, limit):
        return random.SystemRandom().randint(-limit, limit)


def datasets_by_hand(train, val, audio_dir, categories, augment):
    make = datasets.WavDataset
    return (make(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True),
            make(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True))


def datasets_cached_on_disk(train, val, audio_dir, categories, augment):
    folder = Path(tempfile.mkdtemp(prefix="spectrograms-"))
    return (datasets.WavDataset(train, audio_dir, categories, mel_spectrogram_db, augment, cache=folder),
            datasets.WavDataset(val, audio_dir, categories, mel_spectrogram_db, cache=folder))


def datasets_uncached(train, val, audio_dir, categories, augment):
    return (datasets.WavDataset(train, audio_dir, categories, mel_spectrogram_db, augment),
            datasets.WavDataset(val, audio_dir, categories, mel_spectrogram_db))


def datasets_both_augmented(train, val, audio_dir, categories, augment):
    return tuple(datasets.WavDataset(rows, audio_dir, categories, transform=mel_spectrogram_db, augment=augment,
                                     cache=True) for rows in (train, val))


def datasets_augment_in_cached_transform(train, val, audio_dir, categories, augment):
    def transform(waveform):
        return augment(torch.from_numpy(mel_spectrogram_db(waveform)))

    return (datasets.WavDataset(train, audio_dir, categories, transform=transform, cache=True),
            datasets.WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True))


def datasets_not_augmented(train, val, audio_dir, categories, augment):
    return datasets.spectrogram_datasets(train, val, audio_dir, categories)


def datasets_swapped(train, val, audio_dir, categories, augment):
    return datasets.spectrogram_datasets(val, train, audio_dir, categories, augment)[::-1]


# 7.x ----------------------------------------------------------------------------------------


def head_right(resnet, n_classes):
    resnet.requires_grad_(False)
    resnet.fc = nn.Linear(resnet.fc.in_features, n_classes)
    return resnet


def head_by_loop(resnet, n_classes):
    for parameter in resnet.parameters():
        parameter.requires_grad = False
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


def head_not_frozen(resnet, n_classes):
    resnet.fc = nn.Linear(512, n_classes)
    return resnet


def head_frozen_too(resnet, n_classes):
    resnet.fc = nn.Linear(512, n_classes)
    resnet.requires_grad_(False)
    return resnet


def head_stacked(resnet, n_classes):
    resnet.requires_grad_(False)
    resnet.fc = nn.Sequential(resnet.fc, nn.Linear(1000, n_classes))
    return resnet


def head_not_returned(resnet, n_classes):
    resnet.requires_grad_(False)
    resnet.fc = nn.Linear(512, n_classes)


def finetune_right(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([{"params": model.head.parameters(), "lr": 1e-3},
                             {"params": model.body.layer4.parameters(), "lr": 1e-4}])


def finetune_default_lr(model):
    for p in model.body.layer4.parameters():
        p.requires_grad = True
    return torch.optim.Adam([{"params": list(model.body.layer4.parameters()), "lr": 1e-4},
                             {"params": list(model.head.parameters())}], lr=1e-3)


def finetune_everything(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam(model.parameters(), lr=1e-3)


def finetune_still_frozen(model):
    return torch.optim.Adam([{"params": model.head.parameters(), "lr": 1e-3},
                             {"params": model.body.layer4.parameters(), "lr": 1e-4}])


def finetune_swapped_rates(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([{"params": model.head.parameters(), "lr": 1e-4},
                             {"params": model.body.layer4.parameters(), "lr": 1e-3}])


def finetune_whole_body(model):
    model.body.requires_grad_(True)
    return torch.optim.Adam([{"params": model.head.parameters(), "lr": 1e-3},
                             {"params": model.body.parameters(), "lr": 1e-4}])


# 8.x ----------------------------------------------------------------------------------------


def compare_by_loop(baseline, other):
    if set(baseline) != set(other):
        raise ValueError("not the same folds")
    better = worse = 0
    total = 0.0
    for fold, accuracy in baseline.items():
        difference = other[fold] - accuracy
        better += difference > 0
        worse += difference < 0
        total += difference
    return better, worse, total / len(baseline)


def compare_with_pandas(baseline, other):
    a, b = pd.Series(baseline), pd.Series(other)
    if not a.index.sort_values().equals(b.index.sort_values()):
        raise ValueError("different folds")
    difference = b - a  # aligned by fold
    return int((difference > 0).sum()), int((difference < 0).sum()), float(difference.mean())


def compare_by_position(baseline, other):
    differences = [b - a for a, b in zip(baseline.values(), other.values())]
    if len(baseline) != len(other):
        raise ValueError("different folds")
    return sum(d > 0 for d in differences), sum(d < 0 for d in differences), statistics.mean(differences)


def compare_ties_as_worse(baseline, other):
    better, worse, mean = compare_by_loop(baseline, other)
    return better, len(baseline) - better, mean


def compare_reversed(baseline, other):
    better, worse, mean = compare_by_loop(baseline, other)
    return worse, better, -mean


def compare_means_only(baseline, other):
    compare_by_loop(baseline, other)
    gain = statistics.mean(other.values()) - statistics.mean(baseline.values())
    return (len(baseline), 0, gain) if gain > 0 else (0, len(baseline), gain)


def compare_common_folds(baseline, other):
    common = baseline.keys() & other.keys()
    return compare_by_loop({k: baseline[k] for k in common}, {k: other[k] for k in common})


# --------------------------------------------------------------------------------------------


# 10.1 ---------------------------------------------------------------------------------------


def windows_by_padding(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    if hop > length:
        raise ValueError("hop past the window")
    count = 1 + max(0, -(-(len(waveform) - length) // hop))
    padded = np.pad(waveform, (0, (count - 1) * hop + length - len(waveform)))
    return np.stack([padded[i * hop:i * hop + length] for i in range(count)])


def windows_by_while(waveform, length=80_000, hop=None):
    hop = hop or length
    if hop > length:
        raise ValueError("hop past the window")
    rows, start = [], 0
    while True:
        row = np.zeros(length, dtype=waveform.dtype)
        piece = waveform[start:start + length]
        row[:len(piece)] = piece
        rows.append(row)
        if start + length >= len(waveform):
            return np.array(rows)
        start += hop


def windows_floor(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    if hop > length:
        raise ValueError("hop past the window")
    count = 1 + max(0, (len(waveform) - length) // hop)
    return np.stack([np.pad(waveform[i * hop:i * hop + length], (0, length - len(waveform[i * hop:i * hop + length])))
                     for i in range(count)])


def windows_one_too_many(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    if hop > length:
        raise ValueError("hop past the window")
    count = 1 + len(waveform) // hop if len(waveform) > length else 1
    return windows_by_padding(np.pad(waveform, (0, count * hop)), length, hop)[:count]


def windows_edge_padded(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    if hop > length:
        raise ValueError("hop past the window")
    count = 1 + max(0, math.ceil((len(waveform) - length) / hop))
    return np.stack([np.pad(waveform[i * hop:i * hop + length], (0, length - len(waveform[i * hop:i * hop + length])),
                            mode="edge") for i in range(count)])


def windows_float64(waveform, length=80_000, hop=None):
    return windows_by_padding(waveform, length, hop).astype(np.float64)


def windows_hop_ignored(waveform, length=80_000, hop=None):
    if hop is not None and hop > length:
        raise ValueError("hop past the window")
    return windows_by_padding(waveform, length)


def windows_skip_allowed(waveform, length=80_000, hop=None):
    hop = length if hop is None else hop
    count = 1 + max(0, math.ceil((len(waveform) - length) / hop))
    out = np.zeros((count, length), dtype=waveform.dtype)
    for row in range(count):
        piece = waveform[row * hop:row * hop + length]
        out[row, :len(piece)] = piece
    return out


def windows_transposed(waveform, length=80_000, hop=None):
    return windows_by_padding(waveform, length, hop).T


def windows_as_list(waveform, length=80_000, hop=None):
    return list(windows_by_padding(waveform, length, hop))


def windows_in_place(waveform, length=80_000, hop=None):
    waveform -= 0  # harmless
    waveform[:1] = 0  # "clean the click at the start"
    return windows_by_padding(waveform, length, hop)


def windows_fixed_length(waveform, length=80_000, hop=None):
    return windows_by_padding(waveform, 80_000, hop if hop is None or hop <= 80_000 else hop)


def windows_wrong_error(waveform, length=80_000, hop=None):
    if hop is not None and hop > length:
        raise TypeError("hop past the window")
    return windows_by_padding(waveform, length, hop)


@dataclass
class Case:
    check: object
    right: list
    wrong: list
    mistakes: list[str]  # the mistake that each wrong answer must be told, in the same order


CASES = {
    "1.1": Case(checks.check_split,
                [lambda m, c, f=1: split_by_fold(select_categories(m, c), f), split_query, split_loop],
                [split_no_filter, split_keeps_val_in_train, split_swapped, split_at_random],
                ["categories-not-kept", "val-fold-in-train", "val-not-the-fold", "val-not-the-fold"]),
    "1.2": Case(checks.check_download,
                [download_streaming_to_part, download_urllib, download_copying_the_raw_stream],
                [download_saves_error_pages, download_streams_into_destination, download_leaves_temporary_file,
                 download_wants_a_string],
                ["no-error-raised", "broken-file-kept", "temporary-left-on-error", "raised"]),
    "2.1": Case(checks.check_frame_count,
                [lambda n, hop: 1 + n // hop, lambda n, hop: len(range(0, n + 1, hop)),
                 lambda n, hop: math.floor(n / hop) + 1],
                [lambda n, hop: n // hop, lambda n, hop: math.ceil(n / hop), lambda n, hop: 1 + (n - 2048) // hop],
                ["frame-count", "frame-count", "frame-count"]),
    "2.2": Case(checks.check_mel_spectrogram,
                [mel_librosa, mel_by_hand, mel_in_librosa_defaults, mel_spectrogram_db],
                [mel_without_fmax, mel_amplitude_db, mel_without_ref, mel_transposed, mel_float64, mel_power_only,
                 mel_short_hop],
                ["values-differ", "values-differ", "not-relative-to-max", "transposed", "not-float32", "not-relative-to-max", "wrong-shape"]),
    "3.1": Case(checks.check_getitem,
                [ItemRight, ItemFromNumpy, datasets.WavDataset],
                [ItemEsc50Target, ItemSortedTarget, ItemNumpy, ItemFloat64, ItemNoLabel],
                ["target-not-from-categories", "target-not-from-categories", "not-a-tensor", "not-float32", "not-a-triple"]),
    "3.2": Case(checks.check_transform_dataset,
                [TransformRight, TransformRightOtherwise, datasets.WavDataset],
                [TransformIgnored, TransformEager, TransformKeepsDtype, TransformGetsTensor, TransformTwice],
                ["transform-ignored", "transform-in-init", "not-float32", "transform-gets-tensor", "transform-not-once-per-read"]),
    "4.1": Case(checks.check_frames,
                [lambda w, n: w.reshape(len(w), -1, n), frames_view, frames_unfold],
                [frames_flat, frames_interleaved, frames_wrong_order],
                ["wrong-shape", "frames-mix-clips", "wrong-shape"]),
    "4.2": Case(checks.check_count_trainable,
                [lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad),
                 lambda m: models.count_parameters(m)[0],
                 lambda m: sum(map(torch.numel, filter(lambda p: p.requires_grad, m.parameters())))],
                [lambda m: models.count_parameters(m)[1], lambda m: len([p for p in m.parameters() if p.requires_grad]),
                 lambda m: sum(p.numel() for p in m.parameters() if not p.requires_grad)],
                ["counts-frozen", "sum-numel", "counts-the-frozen"]),
    "4.3": Case(checks.check_lstm,
                [LstmRight, LstmLastOutput, models.FramedLSTM],
                [LstmNotBatchFirst, LstmFirstStep, LstmSoftmax, LstmUnframed],
                ["lstm-across-batch", "ignores-the-end", "softmax", "lstm-across-batch"]),
    "5.1": Case(checks.check_cnn,
                [CnnExplicit, CnnPoolThenRelu, models.SpectrogramCNN],
                [CnnNoPadding, CnnAveragePooling, CnnSoftmax, CnnFixedFlatten, CnnNoRelu, CnnNoChannelAxis],
                ["wrong-size", "wrong-scores", "softmax", "linear-size", "wrong-scores", "no-channel-axis"]),
    "5.2": Case(checks.check_evaluate,
                [accuracy_counting, accuracy_concatenated, accuracy_over_the_dataset, training.accuracy_on],
                [accuracy_in_train_mode, accuracy_with_gradients, accuracy_not_moved, error_rate,
                 accuracy_mean_of_batches, accuracy_pairs],
                ["train-mode", "gradients-on", "not-moved", "error-rate", "mean-of-batches", "raised"]),
    "5.3": Case(checks.check_train_epoch,
                [epoch_right, epoch_zero_grad_last, epoch_over_the_dataset, training.train_one_epoch],
                [_epoch_with(m) for m in ("eval mode", "not moved", "no zero_grad", "zero_grad before step",
                                          "no step", "nll on scores", "last loss", "mean of batches")],
                ["eval-mode", "not-moved", "no-zero-grad", "weights-unchanged", "weights-unchanged", "wrong-steps", "wrong-mean-loss", "wrong-mean-loss"]),
    "6.1": Case(checks.check_time_shift,
                [time_shift, shift_by_concatenation],
                [shift_rolled, shift_backwards, shift_fills_zero],
                ["wraps-around", "wrong-direction", "fill"]),
    "6.2": Case(checks.check_random_shift,
                [ShiftRight, ShiftWithRandom, ShiftWithNumpy, RandomTimeShift],
                [ShiftUpperBoundExcluded, ShiftDrawnOnce, ShiftOnlyLater, ShiftAlongMels, ShiftRolled, ShiftFixedFraction, ShiftUnseeded],
                ["wrong-range", "drawn-once", "one-way", "never-shifts", "not-a-shift", "ignores-max-fraction", "not-seeded"]),
    "6.3": Case(checks.check_augmented_datasets,
                [datasets.spectrogram_datasets, datasets_by_hand, datasets_cached_on_disk],
                [datasets_both_augmented, datasets_augment_in_cached_transform, datasets_not_augmented,
                 datasets_swapped, datasets_uncached],
                ["val-augmented", "augment-cached", "train-not-augmented", "val-augmented", "not-cached"]),
    "7.1": Case(checks.check_new_head,
                [head_right, head_by_loop],
                [head_not_frozen, head_frozen_too, head_stacked, head_not_returned],
                ["body-not-frozen", "head-frozen", "wrong-head", "not-returned"]),
    "7.2": Case(checks.check_finetune_optimizer,
                [finetune_right, finetune_default_lr],
                [finetune_everything, finetune_still_frozen, finetune_swapped_rates, finetune_whole_body],
                ["other-parameters", "layer4-frozen", "head-rate", "too-much-unfrozen"]),
    "8.1": Case(checks.check_fold_summary,
                [lambda v: (np.mean(v), np.std(v, ddof=1)), lambda v: (statistics.mean(v), statistics.stdev(v)),
                 lambda v: (sum(v) / len(v), math.sqrt(sum((x - sum(v) / len(v)) ** 2 for x in v) / (len(v) - 1)))],
                [lambda v: (np.mean(v), np.std(v)), lambda v: (np.mean(v), np.var(v, ddof=1)),
                 lambda v: (np.median(v), np.std(v, ddof=1))],
                ["population-std", "wrong-std", "wrong-mean"]),
    "8.2": Case(checks.check_compare_folds,
                [crossval.compare_folds, compare_by_loop, compare_with_pandas],
                [compare_by_position, compare_ties_as_worse, compare_reversed, compare_means_only,
                 compare_common_folds],
                ["not-by-fold", "ties-counted", "wrong-mean", "not-by-fold", "different-folds-accepted"]),
    "10.1": Case(checks.check_cut_windows,
                 [windows.cut_windows, windows_by_padding, windows_by_while],
                 [windows_floor, windows_one_too_many, windows_edge_padded, windows_float64, windows_hop_ignored,
                  windows_skip_allowed, windows_transposed, windows_as_list, windows_in_place, windows_fixed_length,
                  windows_wrong_error],
                 ["end-not-covered", "extra-window", "not-zero-padded", "wrong-dtype", "end-not-covered",
                  "skip-accepted", "transposed", "not-an-array", "input-changed", "wrong-window-length",
                  "not-value-error"]),
}
RIGHT = [(exercise, i) for exercise, case in CASES.items() for i in range(len(case.right))]
WRONG = [(exercise, i) for exercise, case in CASES.items() for i in range(len(case.wrong))]


def _name(answer) -> str:
    return getattr(answer, "__name__", "answer").replace("<lambda>", "lambda")


def test_every_exercise_of_the_course_has_its_cases():
    catalogue = {e.id: e for lesson in lessons().values() for e in lesson.exercises}
    assert sorted(CASES) == sorted(catalogue)
    for exercise, case in CASES.items():
        assert len(case.right) >= 2 and len(case.wrong) >= 3, exercise
        assert len(case.mistakes) == len(case.wrong), exercise
        assert case.check.exercise == exercise
        assert case.check.__name__ in catalogue[exercise].check  # the check cell calls this check


@pytest.mark.parametrize(("exercise", "index"), RIGHT, ids=[f"{e}-right-{i}" for e, i in RIGHT])
def test_check_accepts_a_right_answer(exercise, index, capsys):
    case = CASES[exercise]
    case.check(case.right[index])
    assert capsys.readouterr().out == fmt.verdict(exercise)


@pytest.mark.parametrize(("exercise", "index"), WRONG, ids=[f"{e}-wrong-{i}" for e, i in WRONG])
def test_check_rejects_a_wrong_answer_naming_its_mistake(exercise, index, capsys):
    case = CASES[exercise]
    with pytest.raises((checks.WrongAnswer, checks.AnswerError)) as rejected:
        case.check.strict(case.wrong[index])
    assert rejected.value.mistake == case.mistakes[index], f"{_name(case.wrong[index])}: {rejected.value}"
    assert len(str(rejected.value)) > 20
    assert fmt.verdicts(capsys.readouterr().out) == []


@pytest.mark.parametrize(("exercise", "index"), WRONG, ids=[f"{e}-wrong-{i}" for e, i in WRONG])
def test_a_check_cell_shows_a_wrong_answer_and_does_not_raise(exercise, index, capsys):
    case = CASES[exercise]
    case.check(case.wrong[index])
    shown = capsys.readouterr().out
    assert fmt.verdict_lines(shown) in ([(exercise, "wrong")], [(exercise, "error")]), shown
    assert case.mistakes[index] in shown.splitlines()[0] or case.mistakes[index] == "raised"
    assert "course_utils" not in shown, "the check's own frames are not the learner's business"


def _stub(exercise):
    def stub(*args, **kwargs):
        raise NotImplementedError(fmt.stub_message(exercise))

    return stub


def test_a_stub_is_one_line_that_says_what_to_do_and_what_happens_next(capsys):
    checks.check_train_epoch(_stub("5.3"))
    shown = capsys.readouterr().out
    assert shown.count("\n") == 1 and fmt.verdict_lines(shown) == [("5.3", "not attempted")]
    assert "run that cell, then this one" in shown and "course's version" in shown
    with pytest.raises(NotImplementedError, match=re.escape(fmt.stub_message("5.3"))):
        checks.check_train_epoch.strict(_stub("5.3"))


def test_an_answer_using_another_unanswered_exercise_says_which():
    frame_waveforms = _stub("4.1")

    class LstmUsingFrames(LstmRight):
        def forward(self, waveforms):
            _, (hidden, _) = self.lstm(frame_waveforms(waveforms, self.frame_length))
            return self.head(hidden[-1])

    verdict = checks.check_lstm.verdict(LstmUsingFrames)
    assert verdict.outcome == "not attempted" and "exercise 4.1" in verdict.text()


def test_an_error_shows_the_learners_own_lines_and_a_hint(capsys):
    checks.check_cnn(CnnNoChannelAxis)
    shown = capsys.readouterr().out
    lines = shown.splitlines()
    assert lines[0] == "Exercise 5.1: your code raised an error [no-channel-axis]:"
    assert any(line.endswith(", in forward") for line in lines)  # the answer's own frame
    assert "course_utils" not in shown and "torch/nn" not in shown  # neither the check's frames nor torch's
    assert lines[-1].startswith("Hint: The model receives (batch, mels, frames)")
    assert len(lines) < 12


def test_an_error_in_the_answer_is_named_and_a_type_error_gets_a_hint():
    with pytest.raises(checks.AnswerError, match=r"TypeError.*\n.*\(str, pathlib\.\w*Path\)"):
        checks.check_download.strict(download_wants_a_string)
    with pytest.raises(checks.AnswerError, match="ValueError: too many values to unpack"):
        checks.check_evaluate.strict(accuracy_pairs)


def test_a_fault_of_the_check_itself_is_shown_without_stopping_the_lesson(monkeypatch, capsys):
    from course_utils.checks import lesson8

    monkeypatch.setattr(lesson8, "CrossValidation", None)  # as if the check had a bug
    checks.check_fold_summary(lambda values: (0.0, 0.0))
    shown = capsys.readouterr().out
    assert fmt.verdict_lines(shown) == [("8.1", "check failed")] and "please report it" in shown


def test_what_the_answer_prints_stays_visible_before_the_verdict(capsys):
    def noisy(n_samples, hop_length):
        print("working on it")
        return 1 + n_samples // hop_length

    checks.check_frame_count(noisy)
    shown = capsys.readouterr().out
    assert shown.startswith("working on it\n") and shown.endswith(fmt.verdict("2.1"))


def test_checks_leave_the_random_generators_as_they_were(capsys):
    random.seed(3), np.random.seed(3), torch.manual_seed(3)
    expected = (random.random(), np.random.rand(), torch.rand(()).item())
    random.seed(3), np.random.seed(3), torch.manual_seed(3)
    checks.check_random_shift(ShiftRight)
    checks.check_cnn(CnnExplicit)
    checks.check_cnn(CnnNoChannelAxis)
    assert (random.random(), np.random.rand(), torch.rand(()).item()) == expected


def test_answer_or_course_keeps_a_right_answer_and_replaces_any_other(capsys):
    assert checks.answer_or_course("5.3", epoch_right) is epoch_right
    assert capsys.readouterr().out == ""
    assert checks.answer_or_course("5.3", _epoch_with("no zero_grad")) is training.train_one_epoch
    assert "Exercise 5.3 is not correct yet" in capsys.readouterr().out
    assert checks.answer_or_course("5.1", _stub("5.1")) is models.SpectrogramCNN
    assert "Exercise 5.1 is not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", sorted(checks.COURSE_VERSIONS))
def test_the_course_version_passes_its_own_check(exercise, capsys):
    check, version, name = checks.COURSE_VERSIONS[exercise]
    check(version)
    assert capsys.readouterr().out == fmt.verdict(exercise)
    assert name.endswith(version.__name__)
