"""ESC-50's five-fold protocol: train on four folds, validate on the fifth, once per fold."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn
from torch.utils.data import Dataset, Subset

from .progress import progress_bar
from .stats import paired_interval
from .training import evaluate, fit, one_cycle, seed_everything, seeded_loader

EVAL_BATCH = 64  # evaluation changes no weight, so its batch size changes nothing but speed


@dataclass
class CrossValidation:
    """Validation accuracy with each fold held out in turn."""

    accuracy: dict[int, float]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.accuracy.values())

    @property
    def std(self) -> float:
        """Sample standard deviation over folds (0 for a single fold)."""
        values = list(self.accuracy.values())
        return statistics.stdev(values) if len(values) > 1 else 0.0

    @property
    def standard_error(self) -> float:
        """How far the mean itself may be off: std / sqrt(folds). The std is how much one fold varies."""
        return self.std / math.sqrt(len(self.accuracy))

    def __str__(self) -> str:
        return f"{self.mean:.3f} ± {self.std:.3f} over {len(self.accuracy)} folds"


def fold_split(folds: Sequence[int], held_out: int) -> tuple[list[int], list[int]]:
    """Positions of the items to train on (other folds) and to validate on (the held-out fold)."""
    train = [i for i, fold in enumerate(folds) if fold != held_out]
    val = [i for i, fold in enumerate(folds) if fold == held_out]
    if not val:
        raise ValueError(f"no item belongs to fold {held_out}; folds present: {sorted(set(folds))}")
    return train, val


def cross_validate(
    build_model: Callable[[], nn.Module],
    train_items: Dataset,
    val_items: Dataset,
    folds: Sequence[int],
    epochs: int = 10,
    lr: float = 1e-3,
    batch_size: int = 8,
    seed: int = 0,
    device: torch.device | str | None = None,
    progress: bool = True,
    schedule: bool = False,
) -> CrossValidation:
    """Train a fresh `build_model()` on all folds but one and validate on that one, for each fold.

    `train_items` and `val_items` list the same clips in the same order; they differ only in
    what is done to an item (the first may augment, the second must not). `folds[i]` is the
    fold of item i. Every fold starts from the same seed, so runs are comparable and repeatable.
    With `schedule=True` the learning rate follows a one-cycle schedule peaking at `lr`.
    Trains on `device`, by default pick_device().
    """
    folds = [int(fold) for fold in folds]
    if not len(train_items) == len(val_items) == len(folds):
        raise ValueError(f"train_items ({len(train_items)}), val_items ({len(val_items)}) and folds "
                         f"({len(folds)}) must describe the same clips")
    accuracy = {}
    for held_out in progress_bar(sorted(set(folds)), desc="Folds", unit="fold", disable=not progress):
        train, val = fold_split(folds, held_out)
        seed_everything(seed)
        model = build_model()
        optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
        loader = seeded_loader(Subset(train_items, train), batch_size, shuffle=True, seed=seed)
        scheduler = one_cycle(optimizer, epochs, len(loader)) if schedule else None
        fit(model, loader, optimizer, epochs, device=device, progress=False, scheduler=scheduler)
        accuracy[held_out] = evaluate(model, seeded_loader(Subset(val_items, val), EVAL_BATCH), device=device).accuracy
    return CrossValidation(accuracy)


def cv_table(results: Mapping[str, CrossValidation]) -> pd.DataFrame:
    """One row per method: accuracy with each fold held out, then the mean, the standard deviation
    over folds (how much one fold varies) and the standard error of the mean (how well the mean is known)."""
    rows = {name: {**{f"fold {k}": v for k, v in cv.accuracy.items()}, "mean": cv.mean, "std": cv.std,
                   "se": cv.standard_error} for name, cv in results.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def compare_folds(baseline: dict, other: dict) -> tuple[int, int, float]:
    """(folds where `other` is better, folds where it is worse, mean of other - baseline), fold by fold."""
    if baseline.keys() != other.keys():
        raise ValueError(f"different folds: {sorted(baseline)} and {sorted(other)}")
    differences = [other[fold] - baseline[fold] for fold in baseline]
    better = sum(d > 1e-9 for d in differences)
    worse = sum(d < -1e-9 for d in differences)
    return better, worse, statistics.fmean(differences)


def paired_comparison(baseline: CrossValidation, other: CrossValidation) -> str:
    """How `other` differs from `baseline`, fold by fold (both must use the same folds), with a
    paired t-interval and its verdict."""
    better, worse, _ = compare_folds(baseline.accuracy, other.accuracy)
    equal = len(baseline.accuracy) - better - worse
    interval = paired_interval([other.accuracy[fold] - baseline.accuracy[fold] for fold in baseline.accuracy])
    return (f"{interval}: {interval.verdict}; better on {_folds(better)}, "
            f"worse on {_folds(worse)}, equal on {_folds(equal)}")


def _folds(count: int) -> str:
    return f"{count} fold" if count == 1 else f"{count} folds"
