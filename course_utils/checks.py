"""Checks for the notebooks' exercises.

Each check calls the learner's function on small inputs, compares the result with the
course's tested helpers, and either raises WrongAnswer with a hint or prints one line:
its verdict (notebook_format.verdict). Any other exception comes from the learner's code; the grader
(course_utils.grader) tells the two apart by that class.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from . import augment, models
from .crossval import CrossValidation
from .notebook_format import verdict
from .data import select_categories, split_by_fold
from .server import Faults, serve_directory
from .synthetic import standin_metadata, write_standin


class WrongAnswer(AssertionError):
    """The learner's code ran, but its result is not what the exercise asks for."""


def _passed(exercise: str) -> None:
    print(verdict(exercise), end="")


def _expect(condition: bool, hint: str) -> None:
    if not condition:
        raise WrongAnswer(hint)


def check_split(train_val_split: Callable) -> None:
    """Exercise 1.1: train_val_split(metadata, categories, val_fold) -> (train, val)."""
    metadata = standin_metadata()
    for categories, fold in [(["dog", "cow"], 1), (["rain", "siren", "cow"], 4)]:
        train, val = train_val_split(metadata, categories, fold)
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
    _passed("1.1")


def check_download(download_file: Callable) -> None:
    """Exercise 1.2: download_file(url, destination) saves the body, or raises on an HTTP error."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_standin(Path(folder) / "server", ["1-900000-A-0.wav"])
        faults = Faults(status={"1-900001-A-0.wav": 404})
        with serve_directory(root, faults) as server:
            good = Path(folder) / "good.wav"
            download_file(f"{server.url}/audio/1-900000-A-0.wav", good)
            _expect(good.is_file(), "The file should exist at `destination` after the download.")
            _expect(good.read_bytes() == (root / "audio" / "1-900000-A-0.wav").read_bytes(),
                    "The saved bytes differ from the server's file.")
            bad = Path(folder) / "bad.wav"
            try:
                download_file(f"{server.url}/audio/1-900001-A-0.wav", bad)
            except Exception:  # noqa: BLE001  (any exception is the right reaction)
                pass
            else:
                raise WrongAnswer("A 404 answer must raise an error (hint: response.raise_for_status()).")
            _expect(not bad.exists(), "After a failed download no file may be left at `destination`.")
    _passed("1.2")


def check_frame_count(n_frames: Callable) -> None:
    """Exercise 2.1: n_frames(n_samples, hop_length) -> number of spectrogram columns."""
    for n_samples, hop in [(80_000, 512), (16_000, 256), (1_000, 1_000), (44_100, 441)]:
        want = 1 + n_samples // hop  # librosa's count with centred frames (tested in tests/test_audio.py)
        got = n_frames(n_samples, hop)
        _expect(got == want, f"n_frames({n_samples}, {hop}) should be {want}, got {got}. "
                "librosa centres frames: one frame at sample 0, then one every hop_length samples.")
    _passed("2.1")


def check_to_db(to_db: Callable) -> None:
    """Exercise 2.2: to_db(power) -> dB relative to the maximum, floored at -80 dB."""
    power = np.array([[1e-12, 1e-4, 0.01], [0.5, 1.0, 4.0]])
    got = np.asarray(to_db(power))
    want = 10 * np.log10(np.maximum(power, 1e-10) / power.max())
    want = np.maximum(want, -80)
    _expect(got.shape == power.shape, "Keep the shape of the input.")
    _expect(np.isclose(got.max(), 0), "The loudest bin should be 0 dB (divide by the maximum).")
    _expect(np.allclose(got, want, atol=1e-4), f"Expected {np.round(want, 1)}, got {np.round(got, 1)}.")
    _passed("2.2")


def check_getitem(dataset_class: type, metadata: pd.DataFrame, audio_dir: Path, categories) -> None:
    """Exercise 3.1: a Dataset whose items are (waveform tensor, integer target, label)."""
    from .datasets import WavDataset

    mine = dataset_class(metadata, audio_dir, categories)
    reference = WavDataset(metadata, audio_dir, categories)
    _expect(len(mine) == len(reference), "__len__ should be the number of rows in the metadata.")
    for index in (0, len(reference) - 1):
        features, target, label = mine[index]
        want = reference[index]
        _expect(isinstance(features, torch.Tensor) and features.dtype == torch.float32,
                "Return the waveform as a float32 tensor.")
        _expect(torch.allclose(features, want[0], atol=1e-5), "The waveform differs from load_audio's.")
        _expect(label == want[2], "The label is the row's category.")
        _expect(int(target) == want[1], "The target is the label's position in `categories`.")
    _passed("3.1")


def check_frames(frame_waveforms: Callable) -> None:
    """Exercise 4.1: frame_waveforms(batch, frame_length) -> (batch, frames, frame_length)."""
    batch = torch.arange(2 * 12.0).reshape(2, 12)
    got = frame_waveforms(batch, 4)
    _expect(tuple(got.shape) == (2, 3, 4), f"Expected shape (2, 3, 4), got {tuple(got.shape)}.")
    _expect(torch.equal(got[1, 0], torch.tensor([12.0, 13, 14, 15])),
            "Each row of a clip should hold consecutive samples of that clip only.")
    _expect(torch.equal(got[0, 2], torch.tensor([8.0, 9, 10, 11])), "Frames must follow each other in time.")
    _passed("4.1")


def check_count_trainable(count_trainable: Callable) -> None:
    """Exercise 4.2: count_trainable(model) -> number of parameters that training changes."""
    model = models.SpectrogramCNN(4)
    _expect(count_trainable(model) == 134_020, "Sum p.numel() over model.parameters().")
    model.features.requires_grad_(False)
    _expect(count_trainable(model) == 36_868, "Count only parameters with requires_grad set.")
    _passed("4.2")


def check_flatten_size(flatten_size: Callable) -> None:
    """Exercise 5.1: flatten_size(n_mels, n_frames) for the CNN's four pooling blocks."""
    for n_mels, n_frames in [(128, 157), (64, 63), (40, 101)]:
        want = models.SpectrogramCNN(2, n_mels, n_frames).classifier[1].in_features
        got = flatten_size(n_mels, n_frames)
        _expect(got == want, f"flatten_size({n_mels}, {n_frames}) should be {want}, got {got}. "
                "Each max-pool halves both sizes, rounding down; 128 channels remain.")
    _passed("5.1")


def check_accuracy(accuracy: Callable) -> None:
    """Exercise 5.2: accuracy(scores, targets) -> fraction of rows whose largest score is the target."""
    scores = torch.tensor([[2.0, 1.0, 0.0], [0.0, 3.0, 1.0], [1.0, 0.0, 5.0], [9.0, 0.0, 0.0]])
    targets = torch.tensor([0, 1, 1, 2])
    got = float(accuracy(scores, targets))
    _expect(abs(got - 0.5) < 1e-6, f"Expected 0.5, got {got}. Hint: scores.argmax(dim=1).")
    _passed("5.2")


def check_time_shift(shift_fn: Callable) -> None:
    """Exercise 6.1: shift_fn(spec, shift, fill) moves columns without wrapping around."""
    spec = torch.arange(1.0, 13.0).reshape(2, 6)
    for shift in (2, -1, 0, 7):
        want = augment.time_shift(spec, shift, fill=-80.0)
        got = torch.as_tensor(shift_fn(spec.clone(), shift, -80.0))
        _expect(torch.equal(got, want), f"For shift={shift} expected\n{want}\ngot\n{got}\n"
                "Vacated columns get `fill`; nothing wraps around to the other side.")
    _passed("6.1")


def check_time_mask(mask_fn: Callable) -> None:
    """Exercise 6.2: mask_fn(spec, start, width, fill) blanks `width` frames from `start`."""
    spec = torch.arange(1.0, 13.0).reshape(2, 6)
    for start, width in [(1, 2), (4, 5), (0, 0)]:
        want = augment.time_mask(spec, start, width, fill=-80.0)
        got = torch.as_tensor(mask_fn(spec.clone(), start, width, -80.0))
        _expect(torch.equal(got, want), f"For start={start}, width={width} expected\n{want}\ngot\n{got}")
    original = spec.clone()
    mask_fn(original, 1, 2, -80.0)
    _expect(torch.equal(original, spec), "Do not change the input: work on a copy (spec.clone()).")
    _passed("6.2")


def check_new_head(replace_head: Callable) -> None:
    """Exercise 7.1: replace_head(resnet, n_classes) freezes the body and adds a trainable head."""
    from torchvision.models import resnet18

    model = replace_head(resnet18(weights=None), 4)
    trainable, total = models.count_parameters(model)
    _expect(isinstance(model.fc, nn.Linear) and model.fc.out_features == 4,
            "model.fc should be a new nn.Linear(512, n_classes).")
    _expect(trainable == 2_052, f"Expected 2,052 trainable parameters (the head), got {trainable:,}.")
    _expect(total == 11_178_564, f"Expected 11,178,564 parameters in all, got {total:,}.")
    _passed("7.1")


def check_cache_megabytes(cache_megabytes: Callable) -> None:
    """Exercise 3.2: cache_megabytes(n_clips, n_mels, n_frames) for float32 features, in MB (10**6 bytes)."""
    for args, want in [((160, 128, 157), 160 * 128 * 157 * 4 / 1e6), ((2000, 64, 313), 2000 * 64 * 313 * 4 / 1e6)]:
        got = cache_megabytes(*args)
        _expect(abs(got - want) < 1e-6 * want, f"cache_megabytes{args} should be {want:.2f}, got {got}. "
                "A float32 value takes 4 bytes; a megabyte is 10**6 bytes.")
    _passed("3.2")


def check_finetune_optimizer(finetune_optimizer: Callable) -> None:
    """Exercise 7.2: unfreeze layer4 and return Adam with lr 1e-3 for the head and 1e-4 for layer4."""
    model = models.resnet18_transfer(4, pretrained=False)
    optimizer = finetune_optimizer(model)
    _expect(isinstance(optimizer, torch.optim.Adam), "Return a torch.optim.Adam optimizer.")
    _expect(all(p.requires_grad for p in model.body.layer4.parameters()), "Unfreeze model.body.layer4 first.")
    rates = {id(p): group["lr"] for group in optimizer.param_groups for p in group["params"]}
    _expect(all(rates.get(id(p)) == 1e-3 for p in model.head.parameters()),
            "Every parameter of model.head should train with lr=1e-3.")
    _expect(all(rates.get(id(p)) == 1e-4 for p in model.body.layer4.parameters()),
            "Every parameter of model.body.layer4 should train with lr=1e-4.")
    expected = {id(p) for p in model.head.parameters()} | {id(p) for p in model.body.layer4.parameters()}
    _expect(set(rates) == expected, "Give the optimizer the head and layer4, nothing else.")
    _passed("7.2")


def check_standard_error(standard_error: Callable) -> None:
    """Exercise 8.1: standard_error(accuracy, n) -> sqrt(accuracy * (1 - accuracy) / n)."""
    for accuracy, n in [(0.9, 32), (0.5, 100), (1.0, 32), (0.75, 160)]:
        want = (accuracy * (1 - accuracy) / n) ** 0.5
        got = float(standard_error(accuracy, n))
        _expect(abs(got - want) < 1e-9, f"For accuracy={accuracy}, n={n} expected {want:.5f}, got {got:.5f}. "
                "Hint: the variance of a fraction of n is p(1 - p) / n; take its square root.")
    _passed("8.1")


def check_fold_summary(fold_summary: Callable) -> None:
    """Exercise 8.2: fold_summary(accuracies) -> (mean, sample standard deviation)."""
    for values in ([0.5, 1.0, 0.75], [0.9, 0.8, 0.95, 0.85, 0.9]):
        want = CrossValidation(dict(enumerate(values)))
        mean, std = (float(v) for v in fold_summary(values))
        _expect(abs(mean - want.mean) < 1e-9, f"For {values} the mean is {want.mean:.4f}, got {mean:.4f}.")
        _expect(abs(std - want.std) < 1e-9, f"For {values} expected a standard deviation of {want.std:.4f}, "
                f"got {std:.4f}. Hint: divide by n - 1 (the sample standard deviation, ddof=1).")
    _passed("8.2")
