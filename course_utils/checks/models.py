"""What the model checks share: the same weights in the learner's model and the course's, and
scores checked for type and shape before their values."""

from __future__ import annotations

import torch
from torch import nn

from .core import call, expect, shape_of


def load_by_shape(model: nn.Module, reference: nn.Module, what: str) -> None:
    """Copy reference's parameters into model, matching them by shape (in order among equal shapes)."""
    mine, theirs = list(model.parameters()), list(reference.parameters())
    shapes = sorted(tuple(p.shape) for p in mine)
    expect(shapes == sorted(tuple(p.shape) for p in theirs), "wrong-layers",
           f"{what}'s weight tensors have shapes {shapes}; the exercise's layers give "
           f"{sorted(tuple(p.shape) for p in theirs)}.")
    pool: dict[tuple, list[torch.Tensor]] = {}
    for p in theirs:
        pool.setdefault(tuple(p.shape), []).append(p)
    with torch.no_grad():
        for p in mine:
            p.copy_(pool[tuple(p.shape)].pop(0))


def scores_of(model: nn.Module, inputs: torch.Tensor, want: tuple[int, ...], what: str) -> torch.Tensor:
    """The model's scores for `inputs` in eval mode, checked to be a float tensor of shape `want`."""
    model.eval()
    with torch.no_grad():
        scores = call(f"model(a batch of shape {tuple(inputs.shape)})", model, inputs.clone())
    expect(isinstance(scores, torch.Tensor), "scores-not-a-tensor",
           f"forward should return a tensor of scores, not {type(scores).__name__}.")
    expect(shape_of(scores) == want, "scores-wrong-shape",
           f"{what} expected scores of shape {want}, got {shape_of(scores)}.")
    expect(scores.dtype == torch.float32, "scores-not-float32", f"Scores should be float32, not {scores.dtype}.")
    return scores
