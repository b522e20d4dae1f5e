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
from .files import atomic_path
from .models import SpectrogramCNN
from .data import ChapterData, DownloadError, complete_categories, load_metadata, prepare_data
from .sources import Source, resolve_source
from .training import evaluate, fit, fit_until_flat, seed_everything, seeded_loader

ARMS = ("scratch", "frozen", "fine-tune")


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
    """Train a SpectrogramCNN on the source task, by `recipe`."""
    seed_everything(recipe.seed)
    model = SpectrogramCNN(int(targets.max()) + 1, *features.shape[1:])
    fit(model, seeded_loader(TensorDataset(features, targets), recipe.batch_size, shuffle=True, seed=recipe.seed),
        torch.optim.Adam(model.parameters(), lr=recipe.lr), recipe.epochs, progress=False)
    return model.eval()


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


def train_arm(arm: str, body: nn.Sequential | None, train: TensorDataset, val: TensorDataset,
              n_classes: int, seed: int = 0, **until_flat) -> tuple[float, int]:
    """(validation accuracy, steps taken) of one arm trained until its training loss levels off.

    `until_flat` goes to fit_until_flat (window, tolerance, max_steps).
    """
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {ARMS}, got {arm!r}")
    seed_everything(seed)
    model, optimizer = _target_model(arm, n_classes, body)
    history = fit_until_flat(model, seeded_loader(train, 8, shuffle=True, seed=seed), optimizer, **until_flat)
    return evaluate(model, seeded_loader(val, 8)).accuracy, len(history.steps)


def few_shot_study(
    metadata: pd.DataFrame,
    features: torch.Tensor,
    targets: torch.Tensor,
    body: nn.Sequential,
    shots: Sequence[int] = (2, 4, 8, 32),
    folds: Sequence[int] = FOLDS,
    seed: int = 0,
    **until_flat,
) -> pd.DataFrame:
    """Accuracy and training steps of every arm, for every number of shots, with each fold in turn
    as validation set.

    `metadata`, `features` and `targets` describe the same clips in the same order. Every run
    trains by the same rule, until its training loss levels off (see fit_until_flat), so that
    no arm is cut short when it gets more clips.
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
                accuracy, steps = train_arm(arm, body, train, val, n_classes, seed, **until_flat)
                rows.append({"arm": arm, "shots": k, "fold": fold, "accuracy": accuracy, "steps": steps})
    return pd.DataFrame(rows)


def summarize(study: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation of accuracy over folds, one row per number of shots."""
    table = study.groupby(["shots", "arm"])["accuracy"].agg(["mean", "std"]).unstack("arm")
    return table.reindex(columns=list(ARMS), level=1)


def mean_steps(study: pd.DataFrame) -> pd.DataFrame:
    """Training steps each arm took until its loss levelled off, mean over folds; a row per number of shots."""
    return study.groupby(["shots", "arm"])["steps"].mean().unstack()[list(ARMS)].round().astype(int)


def pretraining_gain(study: pd.DataFrame) -> pd.DataFrame:
    """Per fold (rows) and number of shots (columns): the better pre-trained arm's accuracy minus scratch's.

    "Better" is the arm with the higher mean over folds at that number of shots.
    """
    table = study.pivot_table(index=["shots", "fold"], columns="arm", values="accuracy")
    best = table[["frozen", "fine-tune"]].groupby("shots").transform("mean").idxmax(axis=1)
    gain = pd.Series([table.loc[i, arm] for i, arm in best.items()], index=table.index) - table["scratch"]
    return gain.unstack("shots")


def gain_trend(study: pd.DataFrame) -> str:
    """One sentence on how the gain from pre-training changed from the fewest to the most shots,
    judged fold by fold: a change counts only if it has the same sign on all folds but at most one."""
    gain = pretraining_gain(study)
    first, last = gain.columns[0], gain.columns[-1]
    change = gain[last] - gain[first]
    smaller, larger, n = int((change < -1e-9).sum()), int((change > 1e-9).sum()), len(change)
    spread = f"{change.mean():+.2f} ± {change.std():.2f} over {n} folds" if n > 1 else f"{change.mean():+.2f}"
    if n >= 3 and smaller >= n - 1:
        verdict = "shrank"
    elif n >= 3 and larger >= n - 1:
        verdict = "grew"
    else:
        verdict = "did not change consistently"
    return (f"From {first} to {last} clips per category the gain from pre-training {verdict}: "
            f"{spread}; smaller on {smaller} of {n} folds, larger on {larger}.")
