"""Checks for the notebooks' exercises.

Each check calls the learner's code on small inputs that it makes itself (it reads no notebook
variable), compares the result with the course's tested helpers, and either prints the
exercise's verdict (notebook_format.verdict) or raises:
- WrongAnswer, with a hint, when the code ran but its result is not what the exercise asks;
- AnswerError, naming the learner's exception with a hint, when their code raised;
- NotImplementedError unchanged when the exercise's stub is still there.
The grader (course_utils.grading) tells these apart by their class. A check leaves the random
number generators as it found them, so a lesson's seeded results do not depend on it.

`answer_or_course` lets a lesson go on with the course's version of an exercise that is not
solved yet.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from . import augment, models, training
from .audio import load_audio, mel_spectrogram_db
from .crossval import CrossValidation, compare_folds
from .data import select_categories, split_by_fold
from .datasets import spectrogram_datasets
from .notebook_format import verdict
from .server import Faults, serve_directory
from .synthetic import standin_metadata, write_standin


class WrongAnswer(AssertionError):
    """The learner's code ran, but its result is not what the exercise asks for."""


class AnswerError(Exception):
    """The learner's code raised an exception; the message names it and gives a hint."""


def _expect(condition: bool, hint: str) -> None:
    if not condition:
        raise WrongAnswer(hint)


def _call(what: str, function: Callable, *args, **kwargs):
    """Call the learner's code; an exception from it becomes an AnswerError that names it."""
    try:
        return function(*args, **kwargs)
    except (NotImplementedError, WrongAnswer, AnswerError):
        raise
    except Exception as error:  # noqa: BLE001  (whatever the learner's code raised)
        hint = f"{what} raised {type(error).__name__}: {error}"
        if isinstance(error, TypeError):
            given = ", ".join(_type_name(a) for a in args)
            hint += f"\nThe check called it with arguments of these types: ({given}). Check what the exercise says each argument is."
        elif isinstance(error, ValueError) and "unpack" in str(error):
            hint += "\nItems and batches of the course's Datasets and DataLoaders have three parts: (features, targets, labels)."
        raise AnswerError(hint) from error


def _type_name(value) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _exercise(exercise: str):
    """Decorate a check: random state kept as found, verdict printed when nothing was raised."""

    def decorate(check: Callable) -> Callable:
        @functools.wraps(check)
        def run(*args, **kwargs) -> None:
            python_state, numpy_state = random.getstate(), np.random.get_state()
            try:
                with torch.random.fork_rng(devices=[]):
                    check(*args, **kwargs)
            finally:
                random.setstate(python_state)
                np.random.set_state(numpy_state)
            print(verdict(exercise), end="")

        run.exercise = exercise
        return run

    return decorate


def _tiny_clips(folder: Path, train: dict[str, int], val: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    """A few stand-in clips written under `folder`: (train rows, validation rows, audio folder)."""
    metadata = standin_metadata()
    rows = {}
    for name, counts, folds in (("train", train, [2, 3]), ("val", val, [1])):
        picked = [metadata[(metadata["category"] == c) & metadata["fold"].isin(folds)].head(n) for c, n in counts.items()]
        rows[name] = pd.concat(picked) if picked else metadata.head(0)
    root = write_standin(folder, list(pd.concat(rows.values())["filename"]))
    return rows["train"], rows["val"], root / "audio"


# Lesson 1 -----------------------------------------------------------------------------------

@_exercise("1.1")
def check_split(train_val_split: Callable) -> None:
    """Exercise 1.1: train_val_split(metadata, categories, val_fold) -> (train, val)."""
    metadata = standin_metadata()
    for categories, fold in [(["dog", "cow"], 1), (["rain", "siren", "cow"], 4)]:
        result = _call("train_val_split", train_val_split, metadata.copy(), list(categories), fold)
        _expect(isinstance(result, tuple) and len(result) == 2, "Return a pair: (train, val).")
        train, val = result
        want_train, want_val = split_by_fold(select_categories(metadata, categories), fold)
        _expect(isinstance(train, pd.DataFrame) and isinstance(val, pd.DataFrame),
                "Return two DataFrames: (train, val).")
        _expect(set(val["fold"]) == {fold}, f"Every validation row should come from fold {fold}.")
        _expect(fold not in set(train["fold"]), f"No training row may come from fold {fold}.")
        _expect(set(train["category"]) == set(categories),
                "Keep only the chosen categories (hint: .isin).")
        _expect(sorted(train["filename"]) == sorted(want_train["filename"])
                and sorted(val["filename"]) == sorted(want_val["filename"]),
                f"Expected {len(want_train)} training and {len(want_val)} validation rows.")


@_exercise("1.2")
def check_download(download_file: Callable) -> None:
    """Exercise 1.2: download_file(url, destination) saves the body, or raises and leaves nothing."""
    good_name, missing, cut = "1-900000-A-0.wav", "1-900001-A-0.wav", "1-900002-A-0.wav"
    with tempfile.TemporaryDirectory() as folder:
        root = write_standin(Path(folder) / "server", [good_name, cut])
        faults = Faults(status={missing: 404}, truncate={cut})
        with serve_directory(root, faults) as server:
            good = Path(folder) / "good" / "clip.wav"
            good.parent.mkdir()
            _call("download_file", download_file, f"{server.url}/audio/{good_name}", good)
            _expect(good.is_file(), "The file should exist at `destination` after the download.")
            _expect(good.read_bytes() == (root / "audio" / good_name).read_bytes(),
                    "The saved bytes differ from the server's file.")
            _expect([p.name for p in good.parent.iterdir()] == ["clip.wav"],
                    "After a download, only `destination` should be in its folder: remove the temporary file.")
            for name, what in [(missing, "A 404 answer"), (cut, "A connection that breaks off halfway")]:
                bad = Path(folder) / name / "clip.wav"
                bad.parent.mkdir()
                try:
                    download_file(f"{server.url}/audio/{name}", bad)
                except NotImplementedError:
                    raise
                except Exception:  # noqa: BLE001  (any exception is the right reaction)
                    pass
                else:
                    raise WrongAnswer(f"{what} must raise an error (hint: response.raise_for_status(); "
                                      "requests raises by itself when the body is cut short).")
                _expect(not bad.exists(), f"{what} left a file at `destination`: write to a temporary file "
                        "in the same folder and rename it only when the download is complete.")
                _expect(not any(bad.parent.iterdir()),
                        f"{what} left {[p.name for p in bad.parent.iterdir()]} behind: delete the temporary "
                        "file when the download fails (try/finally).")


# Lesson 2 -----------------------------------------------------------------------------------

@_exercise("2.1")
def check_frame_count(n_frames: Callable) -> None:
    """Exercise 2.1: n_frames(n_samples, hop_length) -> number of spectrogram columns."""
    for n_samples, hop in [(80_000, 512), (16_000, 256), (1_000, 1_000), (44_100, 441)]:
        want = 1 + n_samples // hop  # librosa's count with centred frames (tested in tests/test_audio.py)
        got = _call("n_frames", n_frames, n_samples, hop)
        _expect(got == want, f"n_frames({n_samples}, {hop}) should be {want}, got {got}. "
                "librosa centres frames: one frame at sample 0, then one every hop_length samples.")


def _test_waveform(sr: int, seconds: float) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    tone = np.sin(2 * np.pi * (300 + 2000 * t) * t) * (t < seconds / 2)
    return (0.5 * tone + 0.05 * np.random.default_rng(0).standard_normal(t.size)).astype(np.float32)


@_exercise("2.2")
def check_mel_spectrogram(mel_spectrogram: Callable) -> None:
    """Exercise 2.2: mel_spectrogram(waveform, sr) -> float32 dB mel spectrogram, (128, frames)."""
    for sr, seconds in [(16_000, 1.0), (22_050, 0.5)]:
        waveform = _test_waveform(sr, seconds)
        want = mel_spectrogram_db(waveform, sr=sr)
        got = _call("mel_spectrogram", mel_spectrogram, waveform.copy(), sr)
        _expect(isinstance(got, np.ndarray), f"Return a NumPy array (librosa's result), not {type(got).__name__}.")
        _expect(got.shape != want.shape[::-1] or got.shape == want.shape,
                f"Expected shape {want.shape} (mel bands, frames), got {got.shape}: rows are mel bands.")
        _expect(got.shape == want.shape, f"For {len(waveform)} samples expected shape {want.shape} (128 mel bands, "
                f"1 + samples // 512 frames), got {got.shape}. Check n_mels, n_fft and hop_length.")
        _expect(got.dtype == np.float32, f"Return float32 values (the models' type), not {got.dtype}: .astype(np.float32).")
        _expect(got.min() < -1 or got.max() > 1, "These look like power or amplitude values: convert them to dB.")
        _expect(abs(float(got.max())) < 1e-3, f"The loudest bin should be 0 dB, got {got.max():.1f}: "
                "measure relative to the maximum (ref=np.max).")
        _expect(float(got.min()) >= -80.001, f"Nothing should be below -80 dB, got {got.min():.1f} (top_db=80).")
        _expect(np.allclose(got, want, atol=0.05),
                f"At sr={sr} the values differ from the expected spectrogram by up to "
                f"{np.abs(got - want).max():.1f} dB. Use power (not amplitude) to dB, n_fft=2048, "
                "hop_length=512, n_mels=128 and fmax=8000 whatever the sampling rate.")


# Lesson 3 -----------------------------------------------------------------------------------

@_exercise("3.1")
def check_getitem(dataset_class: type) -> None:
    """Exercise 3.1: a Dataset whose items are (waveform tensor, integer target, label)."""
    categories = ["rain", "dog"]  # not in ESC-50's order, nor alphabetical
    with tempfile.TemporaryDirectory() as folder:
        train, _, audio_dir = _tiny_clips(Path(folder), {"dog": 2, "rain": 2}, {})
        mine = _call(f"{dataset_class.__name__}(...)", dataset_class, train, audio_dir, categories)
        _expect(_call("len(dataset)", len, mine) == len(train), "__len__ should be the number of rows in the metadata.")
        for index in range(len(train)):
            item = _call(f"dataset[{index}]", mine.__getitem__, index)
            _expect(isinstance(item, tuple) and len(item) == 3, "Return a triple: (features, target, label).")
            features, target, label = item
            row = train.iloc[index]
            _expect(isinstance(features, torch.Tensor) and features.dtype == torch.float32,
                    "Return the waveform as a float32 tensor (torch.tensor(..., dtype=torch.float32)).")
            _expect(features.device.type == "cpu", "Keep items on the CPU: the training loop moves batches.")
            _expect(torch.allclose(features, torch.from_numpy(load_audio(audio_dir / row["filename"])), atol=1e-5),
                    f"Item {index}'s waveform differs from load_audio's for row {index}.")
            _expect(label == row["category"], "The label is the row's category.")
            _expect(isinstance(target, int | np.integer | torch.Tensor) and int(target) == categories.index(label),
                    f"The target of a {label!r} clip should be {categories.index(label)}, its position in "
                    f"`categories` ({categories}), not {target!r}.")


@_exercise("3.2")
def check_transform_dataset(dataset_class: type) -> None:
    """Exercise 3.2: items are transform(waveform) as float32 tensors, transformed when read."""
    categories = ["dog", "rain"]
    with tempfile.TemporaryDirectory() as folder:
        train, _, audio_dir = _tiny_clips(Path(folder), {"dog": 1, "rain": 1}, {})
        calls = []

        def transform(waveform):
            _expect(isinstance(waveform, np.ndarray),
                    f"Pass the transform the waveform as load_audio returns it (a NumPy array), not {type(waveform).__name__}.")
            calls.append(len(waveform))
            return mel_spectrogram_db(waveform).astype(np.float64)

        plain = _call(f"{dataset_class.__name__}(...)", dataset_class, train, audio_dir, categories)
        features = _call("dataset[0]", plain.__getitem__, 0)[0]
        _expect(isinstance(features, torch.Tensor) and tuple(features.shape) == (len(load_audio(audio_dir / train.iloc[0]["filename"])),),
                "Without a transform (transform=None), an item's features are the waveform, as in exercise 3.1.")
        dataset = _call(f"{dataset_class.__name__}(..., transform=...)", dataset_class, train, audio_dir, categories,
                        transform=transform)
        _expect(not calls, f"Creating the Dataset already called the transform {len(calls)} times: a Dataset reads "
                "and transforms a clip only when that item is asked for.")
        for index in (1, 0):
            features, target, label = _call(f"dataset[{index}]", dataset.__getitem__, index)
            want = mel_spectrogram_db(load_audio(audio_dir / train.iloc[index]["filename"]))
            _expect(calls, "Apply `transform` to the waveform in __getitem__.")
            _expect(isinstance(features, torch.Tensor), "Return the transformed features as a tensor.")
            _expect(features.dtype == torch.float32, f"Return float32 features whatever the transform returns, not {features.dtype}.")
            _expect(tuple(features.shape) == want.shape and torch.allclose(features, torch.from_numpy(want), atol=1e-4),
                    f"Item {index}'s features should be transform(waveform) of row {index}.")
            _expect(label == train.iloc[index]["category"] and int(target) == categories.index(label),
                    "Targets and labels as in exercise 3.1.")
        _expect(len(calls) == 2, f"Reading two items called the transform {len(calls)} times: call it once per item read.")


# Lesson 4 -----------------------------------------------------------------------------------

@_exercise("4.1")
def check_frames(frame_waveforms: Callable) -> None:
    """Exercise 4.1: frame_waveforms(batch, frame_length) -> (batch, frames, frame_length)."""
    batch = torch.arange(2 * 12.0).reshape(2, 12)
    got = _call("frame_waveforms", frame_waveforms, batch.clone(), 4)
    _expect(isinstance(got, torch.Tensor), "Return a tensor.")
    _expect(tuple(got.shape) == (2, 3, 4), f"Expected shape (2, 3, 4), got {tuple(got.shape)}.")
    _expect(torch.equal(got[1, 0], torch.tensor([12.0, 13, 14, 15])),
            "Each row of a clip should hold consecutive samples of that clip only.")
    _expect(torch.equal(got[0, 2], torch.tensor([8.0, 9, 10, 11])), "Frames must follow each other in time.")
    got = _call("frame_waveforms", frame_waveforms, torch.zeros(5, 800 * 3), 800)
    _expect(tuple(got.shape) == (5, 3, 800), f"For 5 clips of 2,400 samples expected (5, 3, 800), got {tuple(got.shape)}.")


@_exercise("4.2")
def check_count_trainable(count_trainable: Callable) -> None:
    """Exercise 4.2: count_trainable(model) -> number of parameters that training changes."""
    model = models.SpectrogramCNN(4)
    _expect(_call("count_trainable", count_trainable, model) == 134_020, "Sum p.numel() over model.parameters().")
    model.features.requires_grad_(False)
    _expect(_call("count_trainable", count_trainable, model) == 36_868,
            "Count only parameters with requires_grad set.")


def _load_by_shape(model: nn.Module, reference: nn.Module, what: str) -> None:
    """Copy reference's parameters into model, matching them by shape (in order among equal shapes)."""
    mine, theirs = list(model.parameters()), list(reference.parameters())
    shapes = sorted(tuple(p.shape) for p in mine)
    _expect(shapes == sorted(tuple(p.shape) for p in theirs),
            f"{what}'s weight tensors have shapes {shapes}; the exercise's layers give "
            f"{sorted(tuple(p.shape) for p in theirs)}.")
    pool: dict[tuple, list[torch.Tensor]] = {}
    for p in theirs:
        pool.setdefault(tuple(p.shape), []).append(p)
    with torch.no_grad():
        for p in mine:
            p.copy_(pool[tuple(p.shape)].pop(0))


@_exercise("4.3")
def check_lstm(model_class: type) -> None:
    """Exercise 4.3: WaveformLSTM(n_classes, frame_length, hidden_size): (batch, samples) -> (batch, n_classes)."""
    torch.manual_seed(0)
    model = _call(f"{model_class.__name__}(3, frame_length=10, hidden_size=5)", model_class, 3,
                  frame_length=10, hidden_size=5)
    _expect(isinstance(model, nn.Module), "The model should be an nn.Module (class ...(nn.Module)).")
    reference = models.FramedLSTM(3, frame_length=10, hidden_size=5)
    _expect(models.count_parameters(model)[1] == models.count_parameters(reference)[1],
            f"With frame_length=10 and hidden_size=5 expected {models.count_parameters(reference)[1]} parameters "
            f"(nn.LSTM(frame_length, hidden_size, batch_first=True), then nn.Linear(hidden_size, n_classes)), "
            f"got {models.count_parameters(model)[1]}.")
    _load_by_shape(model, reference, model_class.__name__)
    model.eval()
    clips = torch.randn(4, 60)
    with torch.no_grad():
        scores = _call("model(batch)", model, clips)
        _expect(isinstance(scores, torch.Tensor) and tuple(scores.shape) == (4, 3),
                f"For 4 clips and 3 classes expected scores of shape (4, 3), got {tuple(getattr(scores, 'shape', ()))}.")
        alone = torch.cat([_call("model(batch)", model, clips[i : i + 1]) for i in range(4)])
        _expect(torch.allclose(scores, alone, atol=1e-5),
                "A clip's scores change with the other clips in its batch: the LSTM is running across the batch. "
                "Frame each clip, (batch, frames, frame_length), and create the LSTM with batch_first=True.")
        late = clips.clone()
        late[:, -10:] += 1.0
        _expect(not torch.allclose(_call("model(batch)", model, late), scores),
                "The scores ignore the end of the clip: classify the LSTM's state after the last frame.")
        _expect(torch.allclose(scores, reference(clips), atol=1e-5),
                "The scores differ from those of an LSTM over the frames whose last hidden state goes "
                "through the linear layer (no activation after it: cross-entropy wants raw scores).")


# Lesson 5 -----------------------------------------------------------------------------------

@_exercise("5.1")
def check_cnn(model_class: type) -> None:
    """Exercise 5.1: the chapter's CNN, ChapterCNN(n_classes, n_mels, n_frames)."""
    torch.manual_seed(0)
    full = _call(f"{model_class.__name__}(4)", model_class, 4)
    _expect(isinstance(full, nn.Module), "The model should be an nn.Module (class ...(nn.Module)).")
    count = models.count_parameters(full)[1]
    _expect(count == 134_020, f"For 4 classes and 128 x 157 spectrograms expected 134,020 parameters, got {count:,}. "
            "Four conv(3x3, padding=1)/ReLU/max-pool(2) blocks with 16, 32, 64, 128 channels, then one linear "
            "layer from 128 x 8 x 9 = 9,216 inputs.")
    model = _call(f"{model_class.__name__}(3, n_mels=40, n_frames=101)", model_class, 3, n_mels=40, n_frames=101)
    reference = models.SpectrogramCNN(3, n_mels=40, n_frames=101)
    _expect(models.count_parameters(model)[1] == models.count_parameters(reference)[1],
            f"For 40 mel bands and 101 frames the linear layer has 128 x 2 x 6 inputs: expected "
            f"{models.count_parameters(reference)[1]:,} parameters, got {models.count_parameters(model)[1]:,}. "
            "Compute its input size from n_mels and n_frames (each pooling halves both, rounding down).")
    _load_by_shape(model, reference, model_class.__name__)
    spectrograms = torch.randn(2, 40, 101) * 20 - 40
    with torch.no_grad():
        try:
            scores = _call("model(spectrograms)", model.eval(), spectrograms)
        except AnswerError as error:
            raise AnswerError(f"{error}\nThe model receives (batch, mels, frames); Conv2d wants (batch, channels, "
                              "mels, frames): add the channel axis in forward, spec.unsqueeze(1).") from error.__cause__
        _expect(isinstance(scores, torch.Tensor) and tuple(scores.shape) == (2, 3),
                f"For a batch of 2 spectrograms (2, 40, 101) expected scores (2, 3), got {tuple(getattr(scores, 'shape', ()))}. "
                "Add the channel axis inside forward: spec.unsqueeze(1).")
        want = reference(spectrograms)
    _expect(not torch.allclose(scores.sum(dim=1), torch.ones(2), atol=1e-4) or torch.allclose(scores, want, atol=1e-4),
            "Return raw scores: no softmax at the end (cross-entropy applies it itself).")
    _expect(torch.allclose(scores, want, atol=1e-4),
            "Same weights, different scores: check each block is Conv2d(3x3, padding=1), ReLU, MaxPool2d(2), "
            "and that the linear layer reads the flattened maps with no activation after it.")


class _Tracked(torch.Tensor):
    """A tensor that notes where it is sent with .to(), to see whether a loop moves its batches."""

    sent_to: list = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") == "to":
            cls.sent_to.append([*args[1:], *(kwargs or {}).values()])
        return super().__torch_function__(func, types, args, kwargs or {})


class _Batches(list):
    """A list of batches with what a DataLoader also offers: .dataset and .batch_size."""

    dataset: list
    batch_size: int


def _tracked_batches(features: torch.Tensor, targets: torch.Tensor, sizes: list[int]) -> _Batches:
    """Batches like a course DataLoader's, (features, targets, labels), of the given sizes."""
    batches, start = _Batches(), 0
    for size in sizes:
        x = features[start : start + size].as_subclass(_Tracked)
        y = targets[start : start + size].as_subclass(_Tracked)
        batches.append([x, y, [f"clip {i}" for i in range(start, start + size)]])
        start += size
    batches.dataset = [(features[i], int(targets[i]), f"clip {i}") for i in range(len(targets))]
    batches.batch_size = sizes[0]
    return batches


def _moved_every_batch(device: str, n_batches: int) -> bool:
    moves = [m for m in _Tracked.sent_to if any(str(a) == device for a in m)]
    return len(moves) >= 2 * n_batches


class _Recorder(nn.Module):
    """A linear model that notes, at every call, its mode and whether gradients are on."""

    def __init__(self, n_inputs: int, n_classes: int):
        super().__init__()
        self.linear = nn.Linear(n_inputs, n_classes)
        self.calls: list[tuple[bool, bool]] = []

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        self.calls.append((self.training, torch.is_grad_enabled()))
        return self.linear(features.as_subclass(torch.Tensor))


@_exercise("5.2")
def check_evaluate(evaluate_accuracy: Callable) -> None:
    """Exercise 5.2: evaluate_accuracy(model, loader, device) -> accuracy, in eval mode, without gradients."""
    model = _Recorder(2, 2)
    with torch.no_grad():
        model.linear.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        model.linear.bias.zero_()
    features = torch.tensor([[1.0, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]])
    targets = torch.tensor([0, 0, 1, 0, 1, 0, 0, 1])  # right on 5 of 8; batches of 3, 3, 2 score 1, 0, 1
    _Tracked.sent_to = []
    model.train()
    got = _call("evaluate_accuracy", evaluate_accuracy, model, _tracked_batches(features, targets, [3, 3, 2]), "cpu")
    _expect(model.calls, "Run the model on every batch.")
    _expect(not any(training for training, _ in model.calls),
            "The model ran in training mode: call model.eval() before evaluating (dropout and batch norm behave "
            "differently in training).")
    _expect(not any(grad for _, grad in model.calls),
            "Gradients were on while evaluating: wrap the loop in `with torch.no_grad():`.")
    _expect(_moved_every_batch("cpu", 3), "Move each batch's features and targets to `device` (.to(device)), "
            "as the training loop does.")
    _expect(len(model.calls) == 3, f"The model ran {len(model.calls)} times for 3 batches: once per batch.")
    try:
        value = float(got)
    except (TypeError, ValueError):
        raise WrongAnswer(f"Return the accuracy as a number, not {type(got).__name__}.") from None
    _expect(abs(value - 0.375) > 1e-6, "That is the error rate: return the fraction of clips predicted right.")
    _expect(abs(value - 5) > 1e-6, "That is the number of right predictions: divide by the number of clips.")
    _expect(abs(value - 2 / 3) > 1e-6,
            "That is the mean of the batches' accuracies; the last batch is smaller, so count right "
            "predictions and clips over all batches and divide once.")
    _expect(abs(value - 0.625) < 1e-6, f"Expected an accuracy of 0.625 (5 of 8 clips), got {value}.")


def _epoch_reference(variant: str, features, targets, sizes) -> tuple[torch.Tensor, float]:
    """Weights after one epoch of SGD done right ("right"), or with a known mistake."""
    torch.manual_seed(1)
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    total = 0.0
    for x, y, _ in _tracked_batches(features, targets, sizes):
        if variant != "no zero_grad":
            optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x.as_subclass(torch.Tensor)), y.as_subclass(torch.Tensor))
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return torch.cat([model.weight.detach().flatten(), model.bias.detach()]), total / len(targets)


@_exercise("5.3")
def check_train_epoch(train_one_epoch: Callable) -> None:
    """Exercise 5.3: train_one_epoch(model, loader, optimizer, device) -> mean training loss per clip."""
    features = torch.tensor([[1.0, 0], [0.5, 1], [0, 1], [-1, 0.5], [1, 1], [0, -1], [2, 0], [0.5, -0.5]])
    targets = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    sizes = [3, 3, 2]
    torch.manual_seed(1)
    model = _Recorder(2, 2)
    model.eval()
    start = torch.cat([model.linear.weight.detach().flatten(), model.linear.bias.detach()]).clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    _Tracked.sent_to = []
    got = _call("train_one_epoch", train_one_epoch, model, _tracked_batches(features, targets, sizes), optimizer, "cpu")
    weights = torch.cat([model.linear.weight.detach().flatten(), model.linear.bias.detach()])
    right, mean_loss = _epoch_reference("right", features, targets, sizes)
    accumulated, _ = _epoch_reference("no zero_grad", features, targets, sizes)
    _expect(model.calls and all(training for training, _ in model.calls),
            "The model ran in eval mode: call model.train() at the start of the epoch.")
    _expect(all(grad for _, grad in model.calls), "Gradients were off: training needs them (no torch.no_grad() here).")
    _expect(len(model.calls) == 3, f"The model ran {len(model.calls)} times for 3 batches: once per batch.")
    _expect(_moved_every_batch("cpu", 3), "Move each batch's features and targets to `device` (.to(device)).")
    _expect(not torch.allclose(weights, start), "The weights did not change: call loss.backward(), then "
            "optimizer.step() (and zero the gradients before backward, not between backward and step).")
    _expect(not torch.allclose(weights, accumulated, atol=1e-6),
            "Gradients add up from batch to batch: call optimizer.zero_grad() before each backward().")
    _expect(torch.allclose(weights, right, atol=1e-5),
            "The weights after one epoch differ from those of one step per batch with the cross-entropy of the "
            "raw scores: per batch, zero_grad, forward, loss, backward, step.")
    try:
        value = float(got)
    except (TypeError, ValueError):
        raise WrongAnswer(f"Return the mean loss as a number (loss.item()), not {type(got).__name__}.") from None
    _expect(abs(value - mean_loss) < 1e-5,
            f"Expected a mean loss per clip of {mean_loss:.4f}, got {value:.4f}: add loss.item() x batch size "
            "over the batches, then divide by the number of clips (the last batch is smaller).")


# Lesson 6 -----------------------------------------------------------------------------------

@_exercise("6.1")
def check_time_shift(shift_fn: Callable) -> None:
    """Exercise 6.1: shift_fn(spec, shift, fill) moves columns without wrapping around."""
    spec = torch.arange(1.0, 13.0).reshape(2, 6)
    for shift in (2, -1, 0, 7, -6):
        want = augment.time_shift(spec, shift, fill=-80.0)
        got = torch.as_tensor(_call("shift_spectrogram", shift_fn, spec.clone(), shift, -80.0))
        _expect(torch.equal(got, want), f"For shift={shift} expected\n{want}\ngot\n{got}\n"
                "Vacated columns get `fill`; nothing wraps around to the other side.")


def _shift_of(got: torch.Tensor, spec: torch.Tensor, fill: float) -> int | None:
    width = spec.shape[-1]
    return next((s for s in range(-width, width + 1) if torch.equal(got, augment.time_shift(spec, s, fill))), None)


@_exercise("6.2")
def check_random_shift(shift_class: type) -> None:
    """Exercise 6.2: RandomShift(max_fraction, fill)(spec) shifts by a random whole number of frames."""
    for n_mels, n_frames, fraction in [(3, 50, 0.2), (30, 20, 0.5)]:
        spec = torch.arange(1.0, n_mels * n_frames + 1).reshape(n_mels, n_frames)
        limit = int(fraction * n_frames)
        shift = _call(f"{shift_class.__name__}(max_fraction={fraction}, fill=-80.0)", shift_class,
                      max_fraction=fraction, fill=-80.0)
        training.seed_everything(0)
        shifts = []
        for _ in range(200):
            got = torch.as_tensor(_call("shift(spec)", shift, spec))
            _expect(tuple(got.shape) == tuple(spec.shape), f"Keep the shape {tuple(spec.shape)}, got {tuple(got.shape)}.")
            moved = _shift_of(got, spec, -80.0)
            _expect(moved is not None, "Each output should be the input shifted by a whole number of frames along "
                    "the last axis, vacated frames set to `fill`, nothing wrapping round (see exercise 6.1).")
            shifts.append(moved)
        _expect(torch.equal(spec, torch.arange(1.0, n_mels * n_frames + 1).reshape(n_mels, n_frames)),
                "Do not change the input spectrogram: return a shifted copy.")
        _expect(set(shifts) != {0}, f"Every shift was 0: with max_fraction={fraction} and {n_frames} frames (the last "
                f"axis, spec.shape[-1]) shifts go up to int(max_fraction * frames) = {limit}.")
        _expect(len(set(shifts)) > 1, "Every call gave the same shift: draw a new one at every call, not once in __init__.")
        _expect(max(map(abs, shifts)) <= limit, f"With max_fraction={fraction} and {n_frames} frames no shift may "
                f"exceed {limit} frames; got {max(map(abs, shifts))}. The frames are the last axis.")
        _expect(min(shifts) < 0 < max(shifts), "Shift both ways: later (positive) and earlier (negative).")
        _expect(len(set(shifts)) >= limit and (min(shifts), max(shifts)) == (-limit, limit),
                f"In 200 draws the shifts went from {min(shifts)} to {max(shifts)}: draw uniformly from "
                f"-{limit} to {limit} frames, both included, i.e. limit = int(max_fraction * frames) "
                "(torch.randint's upper bound is excluded).")
        training.seed_everything(0)
        again = [_shift_of(torch.as_tensor(shift(spec)), spec, -80.0) for _ in range(20)]
        _expect(again == shifts[:20], "After seeding (seed_everything), the same shifts should come again: draw "
                "them with torch.randint (or the seeded `random` module).")


@_exercise("6.3")
def check_augmented_datasets(make_datasets: Callable) -> None:
    """Exercise 6.3: make_datasets(train, val, audio_dir, categories, augment) -> (train set, val set)."""
    categories = ["dog", "rain"]
    counter = itertools.count(1)
    calls = []

    def marking_shift(spec: torch.Tensor) -> torch.Tensor:
        calls.append(spec.shape)
        return augment.time_shift(torch.as_tensor(spec), next(counter))

    with tempfile.TemporaryDirectory() as folder:
        train, val, audio_dir = _tiny_clips(Path(folder), {"dog": 1, "rain": 1}, {"dog": 1, "rain": 1})
        result = _call("make_datasets", make_datasets, train, val, audio_dir, categories, marking_shift)
        _expect(isinstance(result, tuple) and len(result) == 2, "Return a pair: (training Dataset, validation Dataset).")
        train_set, val_set = result
        _expect(len(train_set) == len(train) and len(val_set) == len(val),
                "The first Dataset holds the training rows, the second the validation rows.")
        for index in range(len(val)):
            want = torch.from_numpy(mel_spectrogram_db(load_audio(audio_dir / val.iloc[index]["filename"])))
            before = len(calls)
            first, second = (_call(f"val_set[{index}]", val_set.__getitem__, index)[0] for _ in range(2))
            _expect(len(calls) == before and torch.equal(first, second) and torch.allclose(first, want, atol=1e-4),
                    "The validation set must not be augmented: it measures the clips as they are, the same way every time.")
        for index in range(len(train)):
            plain = torch.from_numpy(mel_spectrogram_db(load_audio(audio_dir / train.iloc[index]["filename"])))
            first, second = (_call(f"train_set[{index}]", train_set.__getitem__, index)[0] for _ in range(2))
            _expect(not torch.allclose(first, plain, atol=1e-4) or calls,
                    "The training items are not augmented: pass `augment` to the training Dataset.")
            _expect(not torch.equal(first, second),
                    "Reading a training item twice gave the same 'random' version: the augmentation went into the "
                    "cached transform. Pass it as `augment`, which runs afresh on every read.")
            _expect(_shift_of(first, plain, -80.0) is not None and _shift_of(second, plain, -80.0) is not None,
                    "A training item should be augment(mel spectrogram of the clip).")
            _expect(int(train_set[index][1]) == categories.index(train.iloc[index]["category"]),
                    "Targets follow `categories`.")


# Lesson 7 -----------------------------------------------------------------------------------

@_exercise("7.1")
def check_new_head(replace_head: Callable) -> None:
    """Exercise 7.1: replace_head(resnet, n_classes) freezes the body and adds a trainable head."""
    from torchvision.models import resnet18

    model = _call("replace_head", replace_head, resnet18(weights=None), 4)
    _expect(isinstance(model, nn.Module), "Return the model: end replace_head with `return resnet`.")
    trainable, total = models.count_parameters(model)
    _expect(isinstance(model.fc, nn.Linear) and model.fc.out_features == 4,
            "model.fc should be a new nn.Linear(512, n_classes).")
    _expect(trainable == 2_052, f"Expected 2,052 trainable parameters (the head), got {trainable:,}.")
    _expect(total == 11_178_564, f"Expected 11,178,564 parameters in all, got {total:,}.")


@_exercise("7.2")
def check_finetune_optimizer(finetune_optimizer: Callable) -> None:
    """Exercise 7.2: unfreeze layer4 and return Adam with lr 1e-3 for the head and 1e-4 for layer4."""
    model = models.resnet18_transfer(4, pretrained=False)
    optimizer = _call("finetune_optimizer", finetune_optimizer, model)
    _expect(isinstance(optimizer, torch.optim.Adam), "Return a torch.optim.Adam optimizer.")
    _expect(all(p.requires_grad for p in model.body.layer4.parameters()), "Unfreeze model.body.layer4 first.")
    rates = {id(p): group["lr"] for group in optimizer.param_groups for p in group["params"]}
    _expect(all(rates.get(id(p)) == 1e-3 for p in model.head.parameters()),
            "Every parameter of model.head should train with lr=1e-3.")
    _expect(all(rates.get(id(p)) == 1e-4 for p in model.body.layer4.parameters()),
            "Every parameter of model.body.layer4 should train with lr=1e-4.")
    expected = {id(p) for p in model.head.parameters()} | {id(p) for p in model.body.layer4.parameters()}
    _expect(set(rates) == expected, "Give the optimizer the head and layer4, nothing else.")


# Lesson 8 -----------------------------------------------------------------------------------

@_exercise("8.1")
def check_fold_summary(fold_summary: Callable) -> None:
    """Exercise 8.1: fold_summary(accuracies) -> (mean, sample standard deviation)."""
    for values in ([0.5, 1.0, 0.75], [0.9, 0.8, 0.95, 0.85, 0.9]):
        want = CrossValidation(dict(enumerate(values)))
        result = _call("fold_summary", fold_summary, list(values))
        _expect(isinstance(result, tuple | list) and len(result) == 2, "Return a pair: (mean, standard deviation).")
        mean, std = (float(v) for v in result)
        _expect(abs(mean - want.mean) < 1e-9, f"For {values} the mean is {want.mean:.4f}, got {mean:.4f}.")
        _expect(abs(std - want.std) < 1e-9, f"For {values} expected a standard deviation of {want.std:.4f}, "
                f"got {std:.4f}. Hint: divide by n - 1 (the sample standard deviation, ddof=1).")


@_exercise("8.2")
def check_compare_folds(compare: Callable) -> None:
    """Exercise 8.2: compare(baseline, other) -> (folds better, folds worse, mean difference), fold by fold."""
    baseline = {1: 0.5, 2: 0.6, 3: 0.7, 4: 0.8, 5: 0.9}
    other = {5: 0.95, 4: 0.8, 3: 0.65, 2: 0.7, 1: 0.55}  # another order: pair by fold, not by position
    for a, b in [(baseline, other), (other, baseline), ({1: 0.25, 2: 0.5}, {2: 0.5, 1: 0.75})]:
        result = _call("compare_folds", compare, dict(a), dict(b))
        _expect(isinstance(result, tuple | list) and len(result) == 3,
                "Return a triple: (folds where `other` is better, folds where it is worse, mean difference).")
        better, worse, mean = compare_folds(a, b)
        got = (int(result[0]), int(result[1]), float(result[2]))
        _expect(abs(got[2] - mean) < 1e-9, f"Expected a mean difference (other - baseline) of {mean:+.3f}, got {got[2]:+.3f}.")
        _expect(got[:2] == (better, worse),
                f"Expected better on {better} and worse on {worse} folds, got {got[0]} and {got[1]}. Pair the "
                "accuracies by fold number (the dicts' keys), and count a fold with equal accuracies as neither.")
    try:
        compare({1: 0.5, 2: 0.6}, {1: 0.5, 3: 0.6})
    except NotImplementedError:
        raise
    except ValueError:
        pass
    except Exception as error:  # noqa: BLE001
        raise WrongAnswer(f"For results on different folds raise ValueError, not {type(error).__name__}.") from None
    else:
        raise WrongAnswer("Results measured on different folds cannot be compared fold by fold: raise ValueError.")


# Going on without an answer -----------------------------------------------------------------

COURSE_VERSIONS: dict[str, tuple[Callable, object, str]] = {
    "4.3": (check_lstm, models.FramedLSTM, "course_utils.models.FramedLSTM"),
    "5.1": (check_cnn, models.SpectrogramCNN, "course_utils.models.SpectrogramCNN"),
    "5.2": (check_evaluate, training.accuracy_on, "course_utils.training.accuracy_on"),
    "5.3": (check_train_epoch, training.train_one_epoch, "course_utils.training.train_one_epoch"),
    "6.2": (check_random_shift, augment.RandomTimeShift, "course_utils.augment.RandomTimeShift"),
    "6.3": (check_augmented_datasets, spectrogram_datasets, "course_utils.datasets.spectrogram_datasets"),
}


def answer_or_course(exercise: str, answer):
    """The learner's answer if its check passes; otherwise the course's version, with a note saying so."""
    check, course_version, name = COURSE_VERSIONS[exercise]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(answer)
    except (NotImplementedError, WrongAnswer, AnswerError) as problem:
        why = "not answered yet" if isinstance(problem, NotImplementedError) else "not correct yet"
        print(f"Exercise {exercise} is {why}: from here on this lesson uses the course's version, {name}.")
        return course_version
    return answer
