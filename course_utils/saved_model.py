"""A trained model in one file, with everything needed to use it again, loaded without running code.

The file holds the weights and a card: which of the course's architectures, its arguments, the
categories in output order, and the sound and spectrogram settings the model was trained on.
`load_model` reads it with `torch.load(weights_only=True)`, which unpickles tensors and plain
values only, and refuses a file made with other settings than this course's, naming them.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn

from . import __version__
from .atomic import atomic_path
from .constants import FMAX, HOP_LENGTH, N_FFT, N_MELS, N_SAMPLES, SAMPLE_RATE, TOP_DB
from .models import BatchNormCNN, FramedLSTM, SpectrogramCNN

FORMAT = "course_utils.saved_model/1"
ARCHITECTURES: dict[str, type[nn.Module]] = {cls.__name__: cls for cls in (SpectrogramCNN, BatchNormCNN, FramedLSTM)}
INPUTS = {"SpectrogramCNN": "spectrogram", "BatchNormCNN": "spectrogram", "FramedLSTM": "waveform"}  # what each takes
FEATURES = {"sample_rate": SAMPLE_RATE, "n_samples": N_SAMPLES, "n_fft": N_FFT, "hop_length": HOP_LENGTH,
            "n_mels": N_MELS, "fmax": FMAX, "top_db": TOP_DB}


class IncompatibleModel(ValueError):
    """The file is not a saved model of this course, or was made with other settings."""


@dataclass(frozen=True)
class ModelCard:
    architecture: str
    categories: tuple[str, ...]
    arguments: dict = field(default_factory=dict)  # the architecture's keyword arguments
    features: dict = field(default_factory=lambda: dict(FEATURES))
    threshold: float | None = None  # below this top probability: "none of these"
    course_version: str = __version__


def save_model(model: nn.Module, categories: list[str] | tuple[str, ...], path: str | os.PathLike,
               arguments: dict | None = None, threshold: float | None = None,
               as_architecture: str | None = None) -> ModelCard:
    """Write `model` (one of ARCHITECTURES) and its card to `path`, all or nothing.

    `as_architecture` saves another class (a learner's own CNN, say) as that architecture, provided
    its weights fit it exactly: same layers, same names, same shapes.
    """
    name = as_architecture or type(model).__name__
    if name not in ARCHITECTURES:
        raise IncompatibleModel(f"cannot save a {name}: the course saves {', '.join(ARCHITECTURES)}")
    if "n_classes" in (arguments or {}):
        raise ValueError("n_classes comes from the categories; leave it out of `arguments`")
    if as_architecture and type(model) is not ARCHITECTURES[name]:
        try:
            ARCHITECTURES[name](n_classes=len(categories), **(arguments or {})).load_state_dict(model.state_dict())
        except RuntimeError as error:
            raise IncompatibleModel(f"cannot save a {type(model).__name__} as a {name}: its weights do not fit "
                                    f"({str(error).splitlines()[0]})") from None
    card = ModelCard(name, tuple(categories), dict(arguments or {}), dict(FEATURES), threshold)
    state = {name: tensor.detach().cpu() for name, tensor in model.state_dict().items()}
    with atomic_path(path) as temporary:
        torch.save({"format": FORMAT, "card": asdict(card), "state_dict": state}, temporary)
    return card


def load_model(path: str | os.PathLike) -> tuple[nn.Module, ModelCard]:
    """The model saved at `path`, in evaluation mode on the CPU, and its card."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved model at {path}")
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # noqa: BLE001  (a damaged or foreign file fails in many ways)
        raise IncompatibleModel(f"{path}: not a saved model of this course ({type(error).__name__}: {error})") from None
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        raise IncompatibleModel(f"{path}: not a saved model of this course (no {FORMAT!r} format mark)")
    card = ModelCard(**{**saved["card"], "categories": tuple(saved["card"]["categories"])})
    differ = [f"{key}={card.features.get(key)!r} (this course: {value!r})"
              for key, value in FEATURES.items() if card.features.get(key) != value]
    if differ:
        raise IncompatibleModel(f"{path} was trained with other sound settings than this course's: "
                                + ", ".join(differ))
    if card.architecture not in ARCHITECTURES:
        raise IncompatibleModel(f"{path}: unknown architecture {card.architecture!r}")
    model = ARCHITECTURES[card.architecture](n_classes=len(card.categories), **card.arguments)
    try:
        model.load_state_dict(saved["state_dict"])
    except RuntimeError as error:
        raise IncompatibleModel(f"{path}: its weights do not fit a {card.architecture} for "
                                f"{len(card.categories)} categories ({str(error).splitlines()[0]})") from None
    return model.eval(), card
