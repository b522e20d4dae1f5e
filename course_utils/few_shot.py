"""Audio-to-audio transfer: pre-train the CNN on other sounds, then learn the target from few clips.

Three ways to learn the target task, compared at several numbers of training clips per
category ("shots") with ESC-50's five folds:

- scratch:   a fresh SpectrogramCNN, every weight trained;
- frozen:    the pre-trained convolutional body kept as it is, a new linear head trained;
- fine-tune: the pre-trained body and a new head, all trained (the body at a 10x lower rate).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import torch
from torch import nn
from torch.utils.data import TensorDataset

from .constants import (ESC10_CATEGORIES, ESC50_CATEGORIES, FMAX, FOLDS, HOP_LENGTH, N_FFT, N_MELS,
                        SAMPLE_RATE, TOP_DB)
from .atomic import atomic_path
from .models import SpectrogramCNN
from .esc50 import ChapterData, DownloadError, complete_categories, load_metadata, prepare_data
from .sources import Source, resolve_source
from .stats import paired_interval
from .training import evaluate, extract_features, fit, seed_everything, seeded_loader

ARMS = ("scratch", "frozen", "fine-tune")
STUDY_EPOCHS = 40  # passes over the training clips; see scripts/experiments/transfer_budget.py


def pick_source_categories(targets: Sequence[str], n: int = 8, minimum: int = 4,
                           among: Sequence[str] | None = None) -> tuple[str, ...]:
    """Up to `n` categories to pre-train on, none of them a target: ESC-10's first (CC BY), then ESC-50's.

    `among` limits the choice, e.g. to complete_categories(source) for a partial copy of ESC-50.
    """
    unknown = sorted(set(targets) - set(ESC50_CATEGORIES))
    if unknown:
        raise ValueError(f"not ESC-50 categories: {', '.join(unknown)}")
    allowed = set(ESC50_CATEGORIES if among is None else among) - set(targets)
    chosen = tuple(c for c in dict.fromkeys(ESC10_CATEGORIES + ESC50_CATEGORIES) if c in allowed)[:n]
    if len(chosen) < minimum:
        where = "" if among is None else f" among the {len(set(among))} categories this data source holds completely"
        raise ValueError(f"only {len(chosen)} categories are left outside the {len(targets)} targets{where} "
                         f"({', '.join(chosen) or 'none'}); pre-training needs at least {minimum}")
    return chosen


def prepare_source_data(targets: Sequence[str], n: int = 8, minimum: int = 4, **prepare_options) -> ChapterData:
    """prepare_data() for pick_source_categories(targets): a category whose clips the data source
    cannot give (a partial copy, a mirror missing files) is replaced by the next one, and named."""
    source = resolve_source(prepare_options.pop("source", None))
    cache_dir = prepare_options.get("cache_dir")
    metadata = load_metadata(source, cache_dir)
    usable, left_out = list(complete_categories(source, cache_dir)), []
    while True:
        categories = pick_source_categories(targets, n, minimum, among=usable)
        try:
            data = prepare_data(list(categories), source=source, **prepare_options)
            break
        except DownloadError as error:
            lacking = sorted(set(metadata.loc[metadata["filename"].isin(error.failures), "category"]))
            if not lacking:
                raise
            left_out += lacking
            usable = [c for c in usable if c not in lacking]
    if left_out:
        print(f"source categories left out, {source} lacks some of their clips: {', '.join(left_out)}")
    return data


@dataclasses.dataclass(frozen=True)
class PretrainRecipe:
    """How pretrain() trains the source model: every field it uses, all part of the cached model's key."""

    epochs: int = 10
    lr: float = 1e-3
    batch_size: int = 8
    seed: int = 0


def source_model_file(folder: str | os.PathLike, source: Source, categories: Sequence[str],
                      recipe: PretrainRecipe = PretrainRecipe()) -> Path:
    """Where the pre-trained source model is cached: one file per data source, categories,
    features and recipe, so that a change of any of them trains a new model."""
    features = dict(sr=SAMPLE_RATE, n_fft=N_FFT, hop=HOP_LENGTH, n_mels=N_MELS, fmax=FMAX, top_db=TOP_DB)
    key = json.dumps([list(categories), features, SpectrogramCNN.__name__, dataclasses.asdict(recipe)])
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return Path(folder) / f"source-cnn-{source.cache_name}-{digest}.pt"


def spectrogram_table(dataset) -> tuple[torch.Tensor, torch.Tensor]:
    """All items of a WavDataset stacked: (features, targets)."""
    items = [dataset[i] for i in range(len(dataset))]
    return torch.stack([x for x, _, _ in items]), torch.tensor([y for _, y, _ in items])


def pretrain(features: torch.Tensor, targets: torch.Tensor, recipe: PretrainRecipe = PretrainRecipe()) -> SpectrogramCNN:
    """Train a SpectrogramCNN on the source task, by `recipe`, on pick_device(); returned on the CPU,
    as cached_pretrain loads it."""
    seed_everything(recipe.seed)
    model = SpectrogramCNN(int(targets.max()) + 1, *features.shape[1:])
    fit(model, seeded_loader(TensorDataset(features, targets), recipe.batch_size, shuffle=True, seed=recipe.seed),
        torch.optim.Adam(model.parameters(), lr=recipe.lr), recipe.epochs, progress=False)
    return model.cpu().eval()


def save_weights(model: nn.Module, path: str | os.PathLike) -> None:
    """Save a state dict atomically (temporary file, then rename)."""
    with atomic_path(path) as temporary:
        torch.save(model.state_dict(), temporary)


def load_weights(model: nn.Module, path: str | os.PathLike) -> nn.Module:
    """Load a state dict saved by save_weights, without unpickling arbitrary objects."""
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model


def cached_pretrain(features: torch.Tensor, targets: torch.Tensor, path: str | os.PathLike,
                    recipe: PretrainRecipe = PretrainRecipe()) -> SpectrogramCNN:
    """pretrain(), saved to `path`; later calls load it instead (a corrupt file is trained again)."""
    path = Path(path)
    if path.exists():
        try:
            model = SpectrogramCNN(int(targets.max()) + 1, *features.shape[1:])
            return load_weights(model, path).eval()
        except (RuntimeError, OSError, ValueError, EOFError, pickle.UnpicklingError):
            path.unlink(missing_ok=True)
    model = pretrain(features, targets, recipe)
    save_weights(model, path)
    return model


def sample_shots(metadata: pd.DataFrame, shots: int, seed: int = 0) -> pd.DataFrame:
    """`shots` random rows per category (all rows where a category has fewer)."""
    parts = [rows.sample(min(shots, len(rows)), random_state=seed)
             for _, rows in metadata.groupby("category", sort=True)]
    return pd.concat(parts, ignore_index=True)


def _target_model(arm: str, n_classes: int, body: nn.Sequential | None) -> tuple[nn.Module, torch.optim.Optimizer]:
    model = SpectrogramCNN(n_classes)
    if arm == "scratch":
        return model, torch.optim.Adam(model.parameters(), lr=1e-3)
    model.features.load_state_dict(body.state_dict())
    if arm == "frozen":
        model.features.requires_grad_(False)
        return model, torch.optim.Adam(model.classifier.parameters(), lr=1e-3)
    return model, torch.optim.Adam([{"params": model.classifier.parameters(), "lr": 1e-3},
                                    {"params": model.features.parameters(), "lr": 1e-4}])


@dataclasses.dataclass(frozen=True)
class ArmResult:
    """One trained arm: accuracy on the validation fold and on its own training clips, and its steps."""

    accuracy: float
    train_accuracy: float
    steps: int


def body_outputs(body: nn.Module, dataset: TensorDataset, device: torch.device | str | None = None) -> TensorDataset:
    """(what a frozen body makes of each spectrogram, target): a frozen body is a fixed feature extractor.

    The CNN's convolutional body wants a channel axis, (batch, 1, mels, frames); extract_features
    does the rest, on `device` (by default pick_device()), with the outputs back on the CPU.
    """
    return extract_features(nn.Sequential(nn.Unflatten(1, (1, -1)), body), dataset, device)


def train_arm(arm: str, body: nn.Sequential | None, train: TensorDataset, val: TensorDataset,
              n_classes: int, seed: int = 0, epochs: int = STUDY_EPOCHS,
              device: torch.device | str | None = None) -> ArmResult:
    """Train one arm for `epochs` passes over its training clips, then measure it.

    A fixed number of passes gives a model with more clips more steps, and every arm the same
    rule; nothing looks at the validation fold until the end. The frozen arm's body never
    changes, so its output is computed once per clip and only the head trains on it, with the
    same batches and the same result as running the body every step.
    """
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    seed_everything(seed)
    model, optimizer = _target_model(arm, n_classes, body)
    if arm == "frozen":
        train, val = body_outputs(model.features, train, device), body_outputs(model.features, val, device)
        model = model.classifier
    loader = seeded_loader(train, 8, shuffle=True, seed=seed)
    fit(model, loader, optimizer, epochs, device=device, progress=False)
    return ArmResult(evaluate(model, seeded_loader(val, 64), device=device).accuracy,
                     evaluate(model, seeded_loader(train, 64), device=device).accuracy,
                     epochs * len(loader))


def few_shot_study(
    metadata: pd.DataFrame,
    features: torch.Tensor,
    targets: torch.Tensor,
    body: nn.Sequential,
    shots: Sequence[int] = (2, 4, 8, 32),
    folds: Sequence[int] = FOLDS,
    seed: int = 0,
    epochs: int = STUDY_EPOCHS,
    device: torch.device | str | None = None,
) -> pd.DataFrame:
    """Validation and training accuracy and training steps of every arm, for every number of
    shots, with each fold in turn as validation set.

    `metadata`, `features` and `targets` describe the same clips in the same order. Every run
    trains for the same number of passes over its own clips (see train_arm).
    """
    rows = []
    n_classes = int(targets.max()) + 1
    position = pd.Series(range(len(metadata)), index=metadata["filename"].to_numpy())
    for fold in folds:
        val_index = torch.tensor(position[metadata.loc[metadata["fold"] == fold, "filename"]].tolist())
        val = TensorDataset(features[val_index], targets[val_index])
        pool = metadata[metadata["fold"] != fold]
        for k in shots:
            chosen = sample_shots(pool, k, seed=seed + fold)
            index = torch.tensor(position[chosen["filename"]].tolist())
            train = TensorDataset(features[index], targets[index])
            for arm in ARMS:
                result = train_arm(arm, body, train, val, n_classes, seed, epochs, device)
                rows.append({"arm": arm, "shots": k, "fold": fold, **dataclasses.asdict(result)})
    return pd.DataFrame(rows)


def summarize_study(study: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation of accuracy over folds, one row per number of shots."""
    table = study.groupby(["shots", "arm"])["accuracy"].agg(["mean", "std"]).unstack("arm")
    return table.reindex(columns=list(ARMS), level=1)


def mean_steps(study: pd.DataFrame) -> pd.DataFrame:
    """Training steps each arm took, mean over folds; a row per number of shots."""
    return study.groupby(["shots", "arm"])["steps"].mean().unstack()[list(ARMS)].round().astype(int)


def _per_fold(study: pd.DataFrame, arm: str) -> pd.DataFrame:
    """Accuracy of `arm`: a row per fold, a column per number of shots."""
    return study[study["arm"] == arm].pivot(index="fold", columns="shots", values="accuracy")


def pretraining_gain(study: pd.DataFrame, arm: str) -> pd.DataFrame:
    """Per fold (rows) and number of shots (columns): `arm`'s accuracy minus scratch's."""
    if arm not in ARMS[1:]:
        raise ValueError(f"arm must be one of {ARMS[1:]}, got {arm!r}")
    return _per_fold(study, arm) - _per_fold(study, "scratch")


def _questions(study: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """Per-fold differences the study answers: each pre-trained arm minus scratch at each number
    of shots; scratch with the most shots minus the fewest; each arm's gain, most minus fewest."""
    scratch = _per_fold(study, "scratch")
    first, last = scratch.columns[0], scratch.columns[-1]
    gains = {arm: pretraining_gain(study, arm) for arm in ARMS[1:]}
    questions = {(f"{arm} - scratch", f"{k}"): gain[k] for arm, gain in gains.items() for k in gain.columns}
    questions[("scratch", f"{last} - {first}")] = scratch[last] - scratch[first]
    for arm, gain in gains.items():
        questions[(f"gain of {arm}", f"{last} - {first}")] = gain[last] - gain[first]
    return questions


def comparisons(study: pd.DataFrame) -> pd.DataFrame:
    """A paired 95% t-interval over folds for each of the study's questions (see _questions)."""
    rows = {}
    for key, differences in _questions(study).items():
        interval = paired_interval(differences.tolist())
        rows[key] = {"mean": interval.mean, "low": interval.low, "high": interval.high, "verdict": interval.verdict}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.names = ["difference", "clips per category"]
    return table


GAIN_WORDS = {"higher": "helped", "lower": "hurt", "within the noise": "made no difference beyond the folds' noise"}
CHANGE_WORDS = {"higher": "grew", "lower": "shrank", "within the noise": "did not change beyond the folds' noise"}
SCRATCH_WORDS = {"higher": "improved", "lower": "got worse", "within the noise": "changed within the folds' noise"}


def conclusions(study: pd.DataFrame) -> list[str]:
    """The study's findings in words: "helped", "grew", ... only where the paired interval excludes zero."""
    table = comparisons(study)
    shots = sorted(study["shots"].unique())
    first, last, span = shots[0], shots[-1], f"{shots[-1]} - {shots[0]}"
    lines = []
    for arm in ARMS[1:]:
        rows = table.loc[f"{arm} - scratch"]
        parts = [f"{words} with {_clips(list(rows.index[rows['verdict'] == verdict]))}"
                 for verdict, words in GAIN_WORDS.items() if (rows["verdict"] == verdict).any()]
        lines.append(f"Pre-training ({arm}) " + "; ".join(parts) + ".")
    for label, words, subject in [(f"gain of {arm}", CHANGE_WORDS, f"the gain of {arm} over scratch")
                                  for arm in ARMS[1:]] + [("scratch", SCRATCH_WORDS, "training from scratch")]:
        row = table.loc[(label, span)]
        lines.append(f"From {first} to {last} clips per category, {subject} {words[row['verdict']]} "
                     f"({row['mean']:+.2f}, 95% interval {row['low']:+.2f} to {row['high']:+.2f}).")
    return lines


def _clips(shots: list[str]) -> str:
    return (", ".join(shots[:-1]) + " and " if len(shots) > 1 else "") + shots[-1] + " clips per category"
