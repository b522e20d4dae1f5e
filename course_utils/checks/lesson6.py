"""Lesson 6's checks: a time shift, a random shift as a transform, and augmenting the training set only."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch

from .. import augment, datasets, training
from ..audio import load_audio, mel_spectrogram_db
from .core import call, exercise, expect, shape_of
from .lesson3 import tiny_clips

DEFAULT_FILL = -80.0


def _spectrogram(n_mels: int, n_frames: int) -> torch.Tensor:
    """Distinct values 1, 2, 3, ..., none equal to a fill the checks use."""
    return torch.arange(1.0, n_mels * n_frames + 1).reshape(n_mels, n_frames)


def _shift_mistake(got: torch.Tensor, spec: torch.Tensor, shift: int, want: torch.Tensor) -> str:
    """Which mistake a wrong shift shows: the direction, wrapping round, the fill, or another."""
    if torch.equal(got, torch.roll(spec, shift, dims=-1)):
        return "wraps-around"
    vacated = want != spec.roll(shift, dims=-1)  # where the course's shift differs from a roll
    if torch.equal(got[~vacated], want[~vacated]):
        return "fill"
    if shift and torch.equal(got, augment.time_shift(spec, -shift, want[vacated][0].item() if vacated.any() else 0)):
        return "wrong-direction"
    return "wrong-shift"


@exercise("6.1", then="The lesson goes on with the course's `time_shift`.")
def check_time_shift(shift_fn: Callable) -> None:
    """Exercise 6.1: shift_fn(spec, shift, fill=-80.0) moves columns without wrapping around."""
    for n_mels, n_frames, shifts, fill in [(2, 6, (2, -1, 0, 7, -6), None), (3, 5, (1, -4, 5, -9), -100.0),
                                           (1, 4, (3, -2), 0.0)]:
        spec = _spectrogram(n_mels, n_frames)
        for shift in shifts:
            given = spec.clone()
            shown = f"shift_spectrogram(spec, {shift})" if fill is None else f"shift_spectrogram(spec, {shift}, {fill})"
            got = call(shown, shift_fn, *((given, shift) if fill is None else (given, shift, fill)))
            expect(torch.equal(given, spec), "input-changed", "Do not change `spec`: return a shifted copy.")
            expect(isinstance(got, torch.Tensor), "not-a-tensor", f"Return a tensor, not {type(got).__name__}.")
            want = augment.time_shift(spec, shift, fill=DEFAULT_FILL if fill is None else fill)
            expect(shape_of(got) == tuple(want.shape), "wrong-shape",
                   f"{shown} should keep the shape {tuple(want.shape)}, got {shape_of(got)}.")
            expect(torch.equal(got, want), _shift_mistake(got, spec, shift, want),
                   f"For a {n_mels} x {n_frames} spectrogram {shown} should give\n{want}\ngot\n{got}\n"
                   "Vacated columns get `fill` (-80.0 when it is not given); nothing wraps around to the other side.")


def _shift_of(got: torch.Tensor, spec: torch.Tensor, fill: float) -> int | None:
    width = spec.shape[-1]
    return next((s for s in range(-width, width + 1) if torch.equal(got, augment.time_shift(spec, s, fill))), None)


@exercise("6.2", then="The lesson goes on with the course's `RandomTimeShift`.")
def check_random_shift(shift_class: type) -> None:
    """Exercise 6.2: RandomShift(max_fraction=0.2, fill=-80.0)(spec) shifts by a random whole number of frames."""
    for n_mels, n_frames, fraction, fill in [(3, 50, None, None), (30, 20, 0.5, -50.0), (2, 9, 0.35, 0.0)]:
        spec = _spectrogram(n_mels, n_frames)
        limit = int((0.2 if fraction is None else fraction) * n_frames)
        fill_used = DEFAULT_FILL if fill is None else fill
        options = {} if fraction is None else {"max_fraction": fraction, "fill": fill}
        shown = f"{shift_class.__name__}({', '.join(f'{k}={v}' for k, v in options.items())})"
        shift = call(shown, shift_class, **options)
        training.seed_everything(0)
        shifts = []
        for _ in range(200):
            got = call(f"{shown}(spec)", shift, spec)
            expect(isinstance(got, torch.Tensor), "not-a-tensor", f"Return a tensor, not {type(got).__name__}.")
            expect(shape_of(got) == tuple(spec.shape), "wrong-shape",
                   f"Keep the shape {tuple(spec.shape)}, got {shape_of(got)}.")
            moved = _shift_of(got, spec, fill_used)
            if moved is None and _shift_of(got, spec, DEFAULT_FILL) is not None:
                expect(False, "fill-ignored", f"{shown} should fill vacated frames with {fill_used}, not -80.0.")
            expect(moved is not None, "not-a-shift", f"Each output of {shown} should be the input shifted by a whole "
                   f"number of frames along the last axis, vacated frames set to {fill_used}, nothing wrapping round "
                   "(see exercise 6.1).")
            shifts.append(moved)
        expect(torch.equal(spec, _spectrogram(n_mels, n_frames)), "input-changed",
               "Do not change the input spectrogram: return a shifted copy.")
        expect(set(shifts) != {0}, "never-shifts", f"Every shift was 0: with max_fraction={fraction or 0.2} and "
               f"{n_frames} frames (the last axis, spec.shape[-1]) shifts go up to int(max_fraction * frames) = {limit}.")
        expect(len(set(shifts)) > 1, "drawn-once", "Every call gave the same shift: draw a new one at every call, not once in __init__.")
        expect(max(map(abs, shifts)) <= limit, "too-far", f"With max_fraction={fraction or 0.2} and {n_frames} frames "
               f"no shift may exceed {limit} frames; got {max(map(abs, shifts))}. The frames are the last axis.")
        expect(min(shifts) < 0 < max(shifts), "one-way", "Shift both ways: later (positive) and earlier (negative).")
        default_limit = int(0.2 * n_frames)
        expect(limit == default_limit or (min(shifts), max(shifts)) != (-default_limit, default_limit),
               "ignores-max-fraction", f"{shown} shifted by up to {default_limit} frames, as max_fraction=0.2 would: "
               f"use the max_fraction given, here {fraction} (limit {limit}).")
        expect((min(shifts), max(shifts)) == (-limit, limit) and len(set(shifts)) == 2 * limit + 1, "wrong-range",
               f"In 200 draws of {shown} on {n_frames} frames the shifts went from {min(shifts)} to {max(shifts)}: draw "
               f"uniformly from -{limit} to {limit} frames, both included, i.e. limit = int(max_fraction * frames) "
               "(torch.randint's upper bound is excluded).")
        training.seed_everything(0)
        again = [_shift_of(torch.as_tensor(shift(spec)), spec, fill_used) for _ in range(20)]
        expect(again == shifts[:20], "not-seeded", "After seeding (seed_everything), the same shifts should come again: "
               "draw them with torch.randint (or the seeded `random` module).")


@exercise("6.3", then="The lesson goes on with the course's `spectrogram_datasets`.")
def check_augmented_datasets(make_datasets: Callable) -> None:
    """Exercise 6.3: make_datasets(train, val, audio_dir, categories, augment) -> (train set, val set)."""
    categories = ["rain", "dog"]
    counter = itertools.count(1)
    calls = []

    def marking_shift(spec: torch.Tensor) -> torch.Tensor:
        calls.append(spec.shape)
        return augment.time_shift(torch.as_tensor(spec), next(counter))

    with tempfile.TemporaryDirectory() as folder:
        train, val, audio_dir = tiny_clips(Path(folder), {"dog": 2, "rain": 1}, {"dog": 1, "rain": 1})
        result = call("shifted_datasets(train, val, audio_dir, categories, augment)", make_datasets, train, val,
                      audio_dir, categories, marking_shift)
        expect(isinstance(result, tuple | list) and len(result) == 2, "not-a-pair",
               "Return a pair: (training Dataset, validation Dataset).")
        train_set, val_set = result
        expect(call("len(train_set)", len, train_set) == len(train) and call("len(val_set)", len, val_set) == len(val),
               "sets-swapped", "The first Dataset holds the training rows, the second the validation rows.")
        plain = {(name, index): torch.from_numpy(mel_spectrogram_db(load_audio(audio_dir / rows.iloc[index]["filename"])))
                 for name, rows in (("val", val), ("train", train)) for index in range(len(rows))}
        first = {(name, index): call(f"{name}_set[{index}]", dataset.__getitem__, index)
                 for name, dataset in (("val", val_set), ("train", train_set)) for index in [2, 0, 1][-len(dataset):]}
        augmented = len(calls)
        # A second read must come from the cache, not from decoding the clip again.
        decoded = []

        def counting_load(*args, **kwargs):
            decoded.append(args[0])
            return load_audio(*args, **kwargs)

        saved, datasets.load_audio = datasets.load_audio, counting_load
        try:
            second = {(name, index): call(f"{name}_set[{index}], read a second time", dataset.__getitem__, index)
                      for name, dataset in (("val", val_set), ("train", train_set)) for index in range(len(dataset))}
        finally:
            datasets.load_audio = saved
        expect(not decoded, "not-cached", f"Reading items a second time decoded {len(decoded)} clips again: create both "
               "Datasets with cache=True, so that each spectrogram is kept after its first read.")
        for (name, index), item in first.items():
            row = (val if name == "val" else train).iloc[index]
            expect(int(item[1]) == categories.index(row["category"]), "targets", f"Targets follow `categories` ({categories}).")
            again = second[(name, index)][0]
            want_shape = tuple(plain[(name, index)].shape)
            expect(shape_of(item[0]) == want_shape and shape_of(again) == want_shape, "not-mel",
                   f"{name}_set[{index}]'s features have shape {shape_of(item[0])}, not the mel spectrogram's "
                   f"{want_shape}: give both Datasets transform=mel_spectrogram_db.")
            if name == "val":
                expect(torch.equal(item[0], again) and torch.allclose(item[0], plain[(name, index)], atol=1e-4),
                       "val-augmented", "The validation set must not be augmented: it measures the clips as they are, "
                       "the same way every time.")
                continue
            expect(augmented > 0, "train-not-augmented",
                   "The training items are not augmented: pass `augment` to the training Dataset.")
            expect(not torch.equal(item[0], again), "augment-cached",
                   "Reading a training item twice gave the same 'random' version: the augmentation went into the "
                   "cached transform. Pass it as `augment`, which runs afresh on every read.")
            expect(_shift_of(item[0], plain[(name, index)], -80.0) is not None
                   and _shift_of(again, plain[(name, index)], -80.0) is not None,
                   "not-mel-then-augment", "A training item should be augment(mel spectrogram of the clip).")
        expect(augmented == len(train), "augment-calls", f"Reading {len(train)} training items called `augment` "
               f"{augmented} times (validation items included): call it once per training item read.")
