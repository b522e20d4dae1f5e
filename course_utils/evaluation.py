"""What a trained model says about each clip, and whether one model beats another on the same clips."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from .stats import compare_on_same_clips
from .training import model_device


def prediction_table(model: torch.nn.Module, dataset, categories: Sequence[str]) -> pd.DataFrame:
    """One row per clip: file name, true and predicted label, and each category's probability.

    Each clip goes to the model's own device, and its probabilities come back to the CPU.
    """
    model.eval()
    device = model_device(model)
    rows = []
    with torch.no_grad():
        for index in range(len(dataset)):
            features, _, label = dataset[index]
            probabilities = torch.softmax(model(features.unsqueeze(0).to(device)), dim=1)[0].cpu().tolist()
            rows.append({"filename": dataset.filenames[index], "true": label,
                         "predicted": categories[int(np.argmax(probabilities))],
                         **dict(zip(categories, probabilities))})
    return pd.DataFrame(rows)


def correct_per_clip(model: torch.nn.Module, dataset, categories: Sequence[str]) -> list[bool]:
    """Whether `model` got each clip of `dataset` right, in the dataset's order."""
    table = prediction_table(model, dataset, categories)
    return (table["true"] == table["predicted"]).tolist()


NO_PHOTO_CONCLUSION = ("No conclusion about photos: the ResNet's body holds random weights (ImageNet weights "
                       "unavailable), so nothing pre-trained was compared.")


def photos_vs_scratch(resnets: dict[str, nn.Module], cnn: nn.Module, dataset, categories: Sequence[str]) -> list[str]:
    """For each ResNet, whether it beats lesson 5's CNN on the same validation clips (McNemar's test);
    one line saying there is no conclusion if any of them lacks its ImageNet weights."""
    if not all(getattr(model, "pretrained", False) for model in resnets.values()):
        return [NO_PHOTO_CONCLUSION]
    baseline = correct_per_clip(cnn, dataset, categories)
    return [compare_on_same_clips(name, correct_per_clip(model, dataset, categories), "the CNN", baseline)
            for name, model in resnets.items()]
