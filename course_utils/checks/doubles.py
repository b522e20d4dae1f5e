"""Stand-ins for the evaluation and training checks of lesson 5: batches that note where they
are sent, and a model that notes its mode and whether gradients were on."""

from __future__ import annotations

import torch
from torch import nn


class Tracked(torch.Tensor):
    """A tensor that notes where it is sent with .to(), to see whether a loop moves its batches."""

    sent_to: list = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") == "to":
            cls.sent_to.append([*args[1:], *(kwargs or {}).values()])
        return super().__torch_function__(func, types, args, kwargs or {})


class Batches(list):
    """A list of batches with what a DataLoader also offers: .dataset and .batch_size."""

    dataset: list
    batch_size: int


def tracked_batches(features: torch.Tensor, targets: torch.Tensor, sizes: list[int]) -> Batches:
    """Batches like a course DataLoader's, (features, targets, labels), of the given sizes."""
    batches, start = Batches(), 0
    for size in sizes:
        x = features[start : start + size].as_subclass(Tracked)
        y = targets[start : start + size].as_subclass(Tracked)
        batches.append([x, y, [f"clip {i}" for i in range(start, start + size)]])
        start += size
    batches.dataset = [(features[i], int(targets[i]), f"clip {i}") for i in range(len(targets))]
    batches.batch_size = sizes[0]
    return batches


def moved_every_batch(device: torch.device | str, n_batches: int) -> bool:
    """Whether features and targets of every batch were sent to `device` (features and targets: 2 per batch)."""
    moves = [m for m in Tracked.sent_to if any(str(a) == str(device) for a in m)]
    return len(moves) >= 2 * n_batches


class Recorder(nn.Module):
    """A linear model that notes, at every call, its mode and whether gradients are on."""

    def __init__(self, n_inputs: int, n_classes: int):
        super().__init__()
        self.linear = nn.Linear(n_inputs, n_classes)
        self.calls: list[tuple[bool, bool]] = []

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        self.calls.append((self.training, torch.is_grad_enabled()))
        return self.linear(features.as_subclass(torch.Tensor))


def flat_weights(model: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in model.parameters()]).clone()


def epoch_reference(variant: str, features, targets, sizes, seed: int) -> tuple[torch.Tensor, float]:
    """Weights after one epoch of SGD done right ("right"), or with a known mistake."""
    torch.manual_seed(seed)
    model = Recorder(features.shape[1], int(targets.max()) + 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    total = 0.0
    for x, y, _ in tracked_batches(features, targets, sizes):
        if variant != "no zero_grad":
            optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y.as_subclass(torch.Tensor))
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return flat_weights(model), total / len(targets)
