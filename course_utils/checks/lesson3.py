"""Lesson 3's checks: a Dataset's items, and a transform applied when an item is read."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from ..audio import load_audio, mel_spectrogram_db
from ..synthetic import standin_metadata, write_standin
from .core import AnswerError, call, exercise, expect, shape_of

THEN = "The lesson goes on with the course's `WavDataset`."


def tiny_clips(folder: Path, train: dict[str, int], val: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    """A few stand-in clips written under `folder`: (train rows, validation rows, audio folder).
    Rows come in no particular order and keep the metadata's index (not 0, 1, 2, ...)."""
    metadata = standin_metadata()
    rows = {}
    for name, counts, folds in (("train", train, [2, 3]), ("val", val, [1])):
        picked = [metadata[(metadata["category"] == c) & metadata["fold"].isin(folds)].head(n) for c, n in counts.items()]
        rows[name] = pd.concat(picked).sample(frac=1.0, random_state=3) if picked else metadata.head(0)
    root = write_standin(folder, list(pd.concat(rows.values())["filename"]))
    return rows["train"], rows["val"], root / "audio"


@contextlib.contextmanager
def as_if_a_gpu_were_there():
    """torch.cuda.is_available() says True inside, so that a Dataset that moves its items to a GPU
    shows it on a machine without one too (the move then fails)."""
    saved = torch.cuda.is_available
    torch.cuda.is_available = lambda: True
    try:
        yield
    except AnswerError as error:
        if "cuda" in str(error.error).lower() and not saved():
            raise error.with_hint("Keep items on the CPU: the training loop moves whole batches to the device, "
                                  "and a Dataset that moves items breaks with worker processes.",
                                  "moved-to-device") from error.error
        raise
    finally:
        torch.cuda.is_available = saved


def check_item(item, row: pd.Series, index: int, categories: list[str], want: torch.Tensor, what: str) -> None:
    """One item against what the exercise asks: (float32 features on the CPU, target, label)."""
    expect(isinstance(item, tuple | list) and len(item) == 3, "not-a-triple",
           f"{what} should be a triple: (features, target, label), got {type(item).__name__}.")
    features, target, label = item
    expect(isinstance(features, torch.Tensor), "not-a-tensor",
           f"Return the features as a tensor (torch.as_tensor), not {type(features).__name__}.")
    expect(features.dtype == torch.float32, "not-float32",
           f"Return float32 features (dtype=torch.float32), not {features.dtype}.")
    expect(features.device.type == "cpu", "moved-to-device", "Keep items on the CPU: the training loop moves batches.")
    expect(shape_of(features) == tuple(want.shape) and torch.allclose(features, want, atol=1e-4), "wrong-clip",
           f"{what}'s features are not those of row {index} of the metadata (its {index}th row, whatever the "
           "DataFrame's index says: .iloc).")
    expect(label == row["category"], "wrong-label", f"{what}'s label should be its row's category, {row['category']!r}.")
    expect(isinstance(target, int | np.integer) or (isinstance(target, torch.Tensor) and target.numel() == 1),
           "target-not-an-integer", f"The target should be a whole number, not {type(target).__name__}.")
    expect(int(target) == categories.index(label), "target-not-from-categories",
           f"The target of a {label!r} clip should be {categories.index(label)}, its position in `categories` "
           f"({categories}), not {int(target)}.")


@exercise("3.1", then=THEN)
def check_getitem(dataset_class: type) -> None:
    """Exercise 3.1: a Dataset whose items are (waveform tensor, integer target, label)."""
    categories = ["rain", "dog", "cow"]  # neither in ESC-50's order nor alphabetical
    with tempfile.TemporaryDirectory() as folder:
        train, _, audio_dir = tiny_clips(Path(folder), {"dog": 2, "rain": 2}, {})
        given = train.copy()
        mine = call(f"{dataset_class.__name__}(metadata, audio_dir, categories)", dataset_class, given, audio_dir,
                    list(categories))
        expect(call("len(dataset)", len, mine) == len(train), "wrong-length",
               f"len(dataset) should be the number of rows in the metadata, {len(train)}.")
        for index in [2, 0, 3, 1, 2]:  # out of order, and one item read twice
            want = torch.from_numpy(load_audio(audio_dir / train.iloc[index]["filename"]))
            with as_if_a_gpu_were_there():
                item = call(f"dataset[{index}]", mine.__getitem__, index)
            check_item(item, train.iloc[index], index, categories, want, f"dataset[{index}]")
        expect(given.equals(train), "metadata-changed", "Do not change the metadata you are given.")


@exercise("3.2", then=THEN)
def check_transform_dataset(dataset_class: type) -> None:
    """Exercise 3.2: items are transform(waveform) as float32 tensors, transformed when read."""
    categories = ["rain", "dog"]
    with tempfile.TemporaryDirectory() as folder:
        train, _, audio_dir = tiny_clips(Path(folder), {"dog": 2, "rain": 1}, {})
        calls = []

        def transform(waveform):
            expect(isinstance(waveform, np.ndarray), "transform-gets-tensor",
                   f"Pass the transform the waveform as load_audio returns it (a NumPy array), not {type(waveform).__name__}.")
            calls.append(len(waveform))
            return mel_spectrogram_db(waveform).astype(np.float64)  # float64 on purpose

        plain = call(f"{dataset_class.__name__}(metadata, audio_dir, categories)", dataset_class, train, audio_dir,
                     categories)
        waveform = torch.from_numpy(load_audio(audio_dir / train.iloc[1]["filename"]))
        check_item(call("dataset[1]", plain.__getitem__, 1), train.iloc[1], 1, categories, waveform,
                   "Without a transform (transform=None), dataset[1]")
        dataset = call(f"{dataset_class.__name__}(..., transform=...)", dataset_class, train, audio_dir, categories,
                       transform=transform)
        expect(not calls, "transform-in-init", f"Creating the Dataset already called the transform {len(calls)} times: "
               "a Dataset reads and transforms a clip only when that item is asked for.")
        for reads, index in enumerate([2, 0, 2], start=1):
            item = call(f"dataset[{index}]", dataset.__getitem__, index)
            expect(bool(calls), "transform-ignored", "The transform was never called: in __getitem__, apply "
                   "`self.transform` to the waveform when it is not None.")
            expect(len(calls) == reads, "transform-not-once-per-read",
                   f"Reading {reads} item(s) called the transform {len(calls)} times: call it once per item read.")
            want = torch.from_numpy(mel_spectrogram_db(load_audio(audio_dir / train.iloc[index]["filename"])))
            check_item(item, train.iloc[index], index, categories, want, f"dataset[{index}]")
        tensors = call(f"{dataset_class.__name__}(..., transform=...)", dataset_class, train, audio_dir, categories,
                       transform=lambda w: torch.from_numpy(w[:100].astype(np.float64)))
        item = call("dataset[0] with a transform that returns a tensor", tensors.__getitem__, 0)
        head = torch.from_numpy(load_audio(audio_dir / train.iloc[0]["filename"])[:100])
        check_item(item, train.iloc[0], 0, categories, head, "With a transform that returns a float64 tensor, dataset[0]")
