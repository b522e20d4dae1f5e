"""Training and evaluation loops that make the common mistakes impossible."""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from .progress import progress_bar


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and torch, and ask torch for deterministic kernels."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def pick_device() -> torch.device:
    """The fastest device here: CUDA, then Apple's MPS, then the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def model_device(model: nn.Module) -> torch.device:
    """The device of the model's first parameter or buffer (the CPU for a model with neither)."""
    for tensor in itertools.chain(model.parameters(), model.buffers()):
        return tensor.device
    return torch.device("cpu")


def fast_layout(model: nn.Module, device: torch.device | str) -> nn.Module:
    """On the CPU, store `model`'s 4-D weights channels-last, the layout in which the CPU's convolution
    and pooling kernels run fastest (benchmarks/run.py measures it); elsewhere leave them as they are.

    The numbers differ from the default layout's only by rounding; a model without 4-D weights is unchanged.
    """
    if torch.device(device).type == "cpu":
        model.to(memory_format=torch.channels_last)
    return model


def seeded_loader(dataset, batch_size: int = 8, shuffle: bool = False, seed: int = 0, **options) -> DataLoader:
    """A DataLoader whose shuffling order depends only on `seed`."""
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator, **options)


@dataclass
class Evaluation:
    """Accuracy, mean loss and confusion matrix (rows: true class, columns: predicted)."""

    accuracy: float
    loss: float
    confusion: np.ndarray


@dataclass
class History:
    """Per-epoch training and validation loss and accuracy."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    def as_frame(self) -> pd.DataFrame:
        """The per-epoch figures, one row per epoch."""
        columns = {k: v for k, v in vars(self).items() if v}
        return pd.DataFrame(columns, index=pd.RangeIndex(1, len(self.train_loss) + 1, name="epoch"))


def check_optimizer(model: nn.Module, optimizer: torch.optim.Optimizer) -> None:
    """Raise ValueError unless `optimizer` updates at least one of `model`'s trainable parameters."""
    trainable = {id(p) for p in model.parameters() if p.requires_grad}
    if not trainable:
        raise ValueError("the model has no trainable parameters: everything is frozen")
    stepped = {id(p) for group in optimizer.param_groups for p in group["params"]}
    if not trainable & stepped:
        raise ValueError(
            "the optimizer holds none of this model's trainable parameters, so training would "
            "change nothing. Create it from this model, e.g. torch.optim.Adam(model.parameters())."
        )


def _batch(batch, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    features, targets = batch[0], batch[1]
    return features.to(device), torch.as_tensor(targets).to(device)


def evaluate(
    model: nn.Module,
    loader: DataLoader,
    *,
    device: torch.device | str | None = None,
    loss_fn: Callable = nn.functional.cross_entropy,
) -> Evaluation:
    """Accuracy, mean loss and confusion matrix over `loader`, in eval mode and without gradients.

    Runs on `device` (the model is moved there), by default wherever the model already is.
    `loss_fn(scores, targets)` returns the batch's mean loss, as nn.CrossEntropyLoss() does.
    Changes no weight and no BatchNorm statistic; the model's train/eval mode is restored.
    """
    device = model_device(model) if device is None else torch.device(device)
    model.to(device)
    was_training = model.training
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    pairs = []
    try:
        with torch.inference_mode():
            for batch in loader:
                features, targets = _batch(batch, device)
                scores = model(features)
                total_loss += loss_fn(scores, targets).item() * len(targets)
                predictions = scores.argmax(dim=1)
                correct += (predictions == targets).sum().item()
                count += len(targets)
                pairs.append(torch.stack([targets, predictions]).cpu())
                n_classes = scores.shape[1]
    finally:
        model.train(was_training)
    if count == 0:
        raise ValueError("the loader yielded no data to evaluate")
    true, predicted = torch.cat(pairs, dim=1).numpy()
    confusion = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(confusion, (true, predicted), 1)
    return Evaluation(correct / count, total_loss / count, confusion)


def _train_step(model: nn.Module, batch, optimizer: torch.optim.Optimizer, loss_fn: Callable,
                device: torch.device | str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One optimisation step on one batch; returns (scores, targets, loss)."""
    features, targets = _batch(batch, device)
    optimizer.zero_grad()
    scores = model(features)
    loss = loss_fn(scores, targets)
    loss.backward()
    optimizer.step()
    return scores, targets, loss


def _epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer, loss_fn: Callable,
           device: torch.device | str, scheduler=None) -> tuple[float, float]:
    """One epoch in train mode; (mean loss per clip, accuracy), measured while the weights change."""
    model.train()
    total_loss, correct, count = 0.0, 0, 0
    for batch in loader:
        scores, targets, loss = _train_step(model, batch, optimizer, loss_fn, device)
        if scheduler is not None:
            scheduler.step()
        total_loss += loss.item() * len(targets)
        correct += (scores.argmax(dim=1) == targets).sum().item()
        count += len(targets)
    if count == 0:
        raise ValueError("the loader yielded no data to train on")
    return total_loss / count, correct / count


def train_one_epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer,
                    device: torch.device | str | None = None, loss_fn: Callable = nn.functional.cross_entropy) -> float:
    """One pass over `loader` in train mode, on `device` (by default the model's own); the mean training
    loss per clip (lesson 5's exercise)."""
    return _epoch(model, loader, optimizer, loss_fn, model_device(model) if device is None else device)[0]


def accuracy_on(model: nn.Module, loader: DataLoader, device: torch.device | str | None = None) -> float:
    """Accuracy over `loader` in eval mode without gradients (lesson 5's exercise)."""
    return evaluate(model, loader, device=device).accuracy


def fit(
    model: nn.Module,
    train_loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    epochs: int,
    *,
    device: torch.device | str | None = None,
    val_loader: DataLoader | None = None,
    loss_fn: Callable = nn.functional.cross_entropy,
    progress: bool = True,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
) -> History:
    """Train for `epochs` epochs; record loss and accuracy on the training and validation sets.

    Trains on `device`, by default pick_device() (a GPU where there is one); the model is moved there
    (on the CPU, in fast_layout).
    Training figures are measured on the fly, while the weights change within the epoch.
    A `scheduler` is stepped after every batch.
    """
    check_optimizer(model, optimizer)
    device = pick_device() if device is None else torch.device(device)
    fast_layout(model.to(device), device)
    history = History()
    bar = progress_bar(range(epochs), desc=f"Training {type(model).__name__}", unit="epoch", disable=not progress)
    for _ in bar:
        loss, accuracy = _epoch(model, train_loader, optimizer, loss_fn, device, scheduler)
        history.train_loss.append(loss)
        history.train_accuracy.append(accuracy)
        summary = {"loss": f"{loss:.3f}", "acc": f"{accuracy:.2f}"}
        if val_loader is not None:
            result = evaluate(model, val_loader, device=device, loss_fn=loss_fn)
            history.val_loss.append(result.loss)
            history.val_accuracy.append(result.accuracy)
            summary["val_acc"] = f"{result.accuracy:.2f}"
        bar.set_postfix(summary)
    return history


def diagnose(history: History, n_classes: int, gap: float = 0.2) -> str:
    """Underfitting or overfitting, read from the last epoch of `history`, in one sentence.

    Underfitting: training accuracy less than halfway from chance to 1 (the model does not learn
    even the clips it sees). Overfitting: otherwise, validation accuracy more than `gap` below
    training accuracy. Training accuracy is the one measured during the epoch, as `fit` records it.
    """
    if not history.train_accuracy or not history.val_accuracy:
        raise ValueError("the history needs training and validation accuracy (fit with a val_loader)")
    train, val, chance = history.train_accuracy[-1], history.val_accuracy[-1], 1 / n_classes
    halfway = chance + (1 - chance) / 2
    figures = f"training accuracy {train:.3f}, validation {val:.3f}, chance {chance:.3f}"
    if train < halfway:
        return (f"underfitting: {figures}. It does not fit even the clips it trains on (less than halfway "
                f"from chance to 1, {halfway:.3f}), so the input or the model, not memorising, is the problem.")
    if train - val > gap:
        return (f"overfitting: {figures}. It fits its training clips far better than clips it has not seen "
                f"(a gap of more than {gap:.2f}).")
    return f"neither under- nor overfitting by these rules: {figures}."


def extract_features(extractor: nn.Module, dataset, device: torch.device | str | None = None,
                     batch_size: int = 64) -> TensorDataset:
    """(what `extractor` makes of each item's features, its target) for every item of `dataset`, computed once.

    For a frozen body: its output for a clip never changes, so a head can train on these instead of
    running the body at every step. Runs in eval mode without gradients on `device` (by default
    pick_device()); the outputs come back to the CPU, in the dataset's order.
    """
    device = pick_device() if device is None else torch.device(device)
    fast_layout(extractor.to(device), device).eval()
    outputs, targets = [], []
    with torch.no_grad():  # not inference_mode: a head trains on these tensors
        for batch in DataLoader(dataset, batch_size=batch_size):
            features, batch_targets = _batch(batch, device)
            outputs.append(extractor(features).cpu())
            targets.append(batch_targets.cpu())
    if not outputs:
        raise ValueError("the dataset has no items to extract features from")
    return TensorDataset(torch.cat(outputs), torch.cat(targets))


def one_cycle(optimizer: torch.optim.Optimizer, epochs: int, steps_per_epoch: int) -> torch.optim.lr_scheduler.OneCycleLR:
    """Learning rate up to the optimizer's over the first 30% of steps, then annealed to almost 0."""
    peak = [group["lr"] for group in optimizer.param_groups]
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, peak, epochs=epochs, steps_per_epoch=steps_per_epoch)
