"""The chapter's models: a CNN on spectrograms, recurrent models on waveforms, ResNet18 for transfer."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from .constants import N_FRAMES, N_MELS, N_SAMPLES, TOP_DB

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

WEIGHTS_BANNER = """\
{rule}
  RANDOM WEIGHTS (OFFLINE): the ImageNet weights for ResNet18 could not be
  downloaded. This model starts from random weights, so what it shows is
  the mechanics of transfer learning, not its benefit. Do not draw
  conclusions about pre-training from this run.
  Reason: {reason}
{rule}"""


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) number of parameters."""
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, total


def pool_then_relu() -> list[nn.Module]:
    """MaxPool2d(2) then ReLU: exactly ReLU then MaxPool2d(2), since ReLU keeps the order of values,
    but the ReLU and its gradient run on a quarter of the values."""
    return [nn.MaxPool2d(2), nn.ReLU()]


class SpectrogramCNN(nn.Module):
    """Four conv(3x3)/ReLU/max-pool blocks (16-32-64-128 channels), then one linear layer.

    Takes dB mel spectrograms of shape (batch, mels, frames) and returns class scores.
    Each block pools before its ReLU: the same numbers, as ReLU never changes which value of a
    2 x 2 cell is largest, with a quarter of the ReLU work (see pool_then_relu).
    """

    def __init__(self, n_classes: int = 4, n_mels: int = N_MELS, n_frames: int = N_FRAMES):
        super().__init__()
        blocks, channels = [], [1, 16, 32, 64, 128]
        for c_in, c_out in zip(channels, channels[1:]):
            blocks += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1), *pool_then_relu()]
        self.features = nn.Sequential(*blocks)
        height, width = n_mels, n_frames
        for _ in range(4):
            height, width = height // 2, width // 2
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * height * width, n_classes))

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(spec.unsqueeze(1)))


class BatchNormCNN(nn.Module):
    """The chapter's CNN with what a practitioner adds; about 98,000 parameters.

    - the input is standardised by a batch-normalisation layer (statistics from training batches),
    - then averaged over 2x2 cells (64 mels x 78 frames: four times less work per layer),
    - each of the four conv(3x3) blocks (16-32-64-128 channels) has batch normalisation,
    - global average pooling replaces the flattening, so the head has 128 inputs and the
      model does not care where in the clip a sound is,
    - dropout before the linear head.
    """

    def __init__(self, n_classes: int = 4, dropout: float = 0.3):
        super().__init__()
        layers: list[nn.Module] = [nn.BatchNorm2d(1), nn.AvgPool2d(2)]
        channels = [1, 16, 32, 64, 128]
        for c_in, c_out in zip(channels, channels[1:]):
            layers += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1, bias=False),
                       nn.BatchNorm2d(c_out), *pool_then_relu()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(dropout),
                                        nn.Linear(channels[-1], n_classes))

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(spec.unsqueeze(1)))


CHANGES = ("input_norm", "downsample", "conv_norm", "global_pool", "dropout")


class AblationCNN(nn.Module):
    """The chapter's CNN with any of BatchNormCNN's changes switched on, to measure each one alone.

    No change gives SpectrogramCNN's layers; all five give BatchNormCNN's (dropout 0.3), built in
    the same order, so the same seed gives the same weights.
    """

    def __init__(self, n_classes: int = 4, *, input_norm: bool = False, downsample: bool = False,
                 conv_norm: bool = False, global_pool: bool = False, dropout: bool = False,
                 n_mels: int = N_MELS, n_frames: int = N_FRAMES):
        super().__init__()
        layers: list[nn.Module] = [nn.BatchNorm2d(1)] if input_norm else []
        height, width = (n_mels // 2, n_frames // 2) if downsample else (n_mels, n_frames)
        layers += [nn.AvgPool2d(2)] if downsample else []
        channels = [1, 16, 32, 64, 128]
        for c_in, c_out in zip(channels, channels[1:]):
            layers += [nn.Conv2d(c_in, c_out, kernel_size=3, padding=1, bias=not conv_norm)]
            layers += [nn.BatchNorm2d(c_out)] if conv_norm else []
            layers += pool_then_relu()
            height, width = height // 2, width // 2
        self.features = nn.Sequential(*layers)
        pool = [nn.AdaptiveAvgPool2d(1), nn.Flatten()] if global_pool else [nn.Flatten()]
        inputs = channels[-1] if global_pool else channels[-1] * height * width
        self.classifier = nn.Sequential(*pool, *([nn.Dropout(0.3)] if dropout else []), nn.Linear(inputs, n_classes))

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(spec.unsqueeze(1)))


class BandNormalised(nn.Module):
    """Standardise each mel band with statistics learned from the training batches, then `model`.

    BatchNorm over the mel bands without learned scale or shift: in training it uses the batch's
    mean and variance per band, in eval mode the running averages, so validation data never
    contributes to the statistics.
    """

    def __init__(self, model: nn.Module, n_mels: int = N_MELS):
        super().__init__()
        self.norm = nn.BatchNorm1d(n_mels, affine=False)
        self.model = model

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        return self.model(self.norm(spec))


class FramedLSTM(nn.Module):
    """An LSTM that runs over time inside each clip.

    The waveform (batch, samples) is cut into frames, giving (batch, frames, frame_length),
    so the recurrence runs over the clip's frames; the last hidden state is classified.
    Each clip is processed independently of the others in its batch.
    """

    def __init__(self, n_classes: int = 4, frame_length: int = 800, hidden_size: int = 64):
        super().__init__()
        self.frame_length = frame_length
        self.lstm = nn.LSTM(frame_length, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        frames = waveform.reshape(waveform.shape[0], -1, self.frame_length)
        _, (hidden, _) = self.lstm(frames)  # hidden: (layers, batch, hidden_size)
        return self.head(hidden[-1])


class FaultyWaveformLSTM(nn.Module):
    """The chapter's LSTM, kept to show what goes wrong. Do not use it as a model.

    It feeds a 2-D batch (batch, 80000) to nn.LSTM(80000, 16). PyTorch reads a 2-D input as ONE
    unbatched sequence whose time axis is the batch: the hidden state flows from clip to clip,
    and a clip's prediction depends on which clips share its batch. 5,121,324 parameters.
    """

    def __init__(self, n_classes: int = 4, n_samples: int = N_SAMPLES):
        super().__init__()
        self.lstm = nn.LSTM(n_samples, 16)
        self.head = nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, n_classes))

    def forward(self, waveform: torch.Tensor) -> torch.Tensor:
        output, _ = self.lstm(waveform)  # the bug: (batch, samples) is taken as (time, features)
        return self.head(output)


class ImageNetInput(nn.Module):
    """dB spectrogram (batch, mels, frames) -> the 3-channel, normalised input ImageNet weights expect."""

    def __init__(self, top_db: float = TOP_DB):
        super().__init__()
        self.top_db = top_db
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        unit = ((spec + self.top_db) / self.top_db).clamp(0, 1)  # -80..0 dB -> 0..1, like pixels
        return (unit.unsqueeze(1).expand(-1, 3, -1, -1) - self.mean) / self.std


class WeightsUnavailableError(RuntimeError):
    """Pre-trained weights could not be downloaded or read."""


class TransferResNet(nn.Module):
    """ResNet18 body, a new linear head, and the ImageNet input adapter in front.

    With `freeze=True` only the head trains, and the body stays in eval mode even during
    training, so its BatchNorm statistics stay those it was pre-trained with.
    `self.pretrained` says whether the body holds ImageNet weights.
    """

    def __init__(self, body: nn.Module, n_classes: int, freeze: bool, pretrained: bool):
        super().__init__()
        self.adapter = ImageNetInput()
        self.body = body
        self.head = nn.Linear(body.fc.in_features, n_classes)
        self.body.fc = nn.Identity()
        self.frozen = freeze
        self.pretrained = pretrained
        self.body.requires_grad_(not freeze)
        self.train()  # a frozen body starts in eval mode, so no batch run through it changes its statistics

    def train(self, mode: bool = True) -> TransferResNet:
        super().train(mode)
        if self.frozen:
            self.body.eval()
        return self

    def forward(self, spec: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(self.adapter(spec)))

    def split(self, at: str = "layer4") -> tuple[nn.Sequential, ResNetTop]:
        """(the adapter and the body's blocks before `at`, the rest with the head): the same weights, shared.

        If nothing before `at` trains, the first part is a fixed feature extractor: compute its output
        once per clip (training.extract_features) and train the rest on it, with the same result.
        """
        names = [name for name, _ in self.body.named_children()]
        if at not in names:
            raise ValueError(f"the body has no block {at!r}; its blocks are {', '.join(names)}")
        cut = names.index(at)
        before = nn.Sequential(self.adapter, *(getattr(self.body, name) for name in names[:cut]))
        return before, ResNetTop(nn.Sequential(*(getattr(self.body, name) for name in names[cut:])), self.head,
                                 self.frozen)


class ResNetTop(nn.Module):
    """The last blocks of a TransferResNet's body and its head, from TransferResNet.split.

    A frozen body's blocks stay in eval mode during training, as in the whole model.
    """

    def __init__(self, blocks: nn.Sequential, head: nn.Linear, frozen: bool):
        super().__init__()
        self.blocks, self.head, self.frozen = blocks, head, frozen

    def train(self, mode: bool = True) -> ResNetTop:
        super().train(mode)
        if self.frozen:
            self.blocks.eval()
        return self

    def forward(self, maps: torch.Tensor) -> torch.Tensor:
        return self.head(self.blocks(maps).flatten(1))


def imagenet_checkpoint(url: str) -> Path:
    """Torch's cached file for `url`, downloaded quietly (no progress chatter) if missing.

    A failure is remembered for the rest of the process, so a lesson that builds several
    models tries the network once; restart the kernel to try again.
    """
    path = Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[1]
    if path.is_file():
        return path
    if url in _UNAVAILABLE:
        raise OSError(_UNAVAILABLE[url])
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = torch.hub.HASH_REGEX.search(path.name)
    try:  # writes a temporary file and renames it, so a broken download leaves nothing behind
        torch.hub.download_url_to_file(url, str(path), prefix.group(1) if prefix else None, progress=False)
    except Exception as error:
        _UNAVAILABLE[url] = f"{type(error).__name__}: {error}"
        raise OSError(_UNAVAILABLE[url]) from error
    return path


_UNAVAILABLE: dict[str, str] = {}  # url -> why it could not be fetched, in this process


def resnet18_transfer(
    n_classes: int = 4, freeze: bool = True, pretrained: bool = True, allow_random: bool = False
) -> TransferResNet:
    """ResNet18 with ImageNet weights (torchvision's `weights=` API) and a new head.

    If the weights cannot be had, raise WeightsUnavailableError; with `allow_random=True`,
    continue from random weights instead, with a banner the first time (check `model.pretrained`).
    """
    from torchvision.models import ResNet18_Weights, resnet18

    if not pretrained:
        return TransferResNet(resnet18(weights=None), n_classes, freeze, pretrained=False)
    weights = ResNet18_Weights.IMAGENET1K_V1
    try:
        imagenet_checkpoint(weights.url)
        body = resnet18(weights=weights, progress=False)  # loads the cached file (hash checked when downloaded)
    except (OSError, RuntimeError, ValueError) as error:
        reason = str(error) if isinstance(error, OSError) else f"{type(error).__name__}: {error}"
        if not allow_random:
            raise WeightsUnavailableError(
                f"ResNet18 ImageNet weights unavailable ({reason}). Connect to the internet, "
                "place the checkpoint in torch's cache (torch.hub.get_dir()/checkpoints), "
                "or pass allow_random=True to continue with random weights."
            ) from error
        if reason not in _ANNOUNCED:
            _ANNOUNCED.add(reason)
            print(WEIGHTS_BANNER.format(rule="=" * 76, reason=reason[:200]))
        else:
            print("ResNet18: random weights again (ImageNet weights unavailable, see the banner above)")
        return TransferResNet(resnet18(weights=None), n_classes, freeze, pretrained=False)
    return TransferResNet(body, n_classes, freeze, pretrained=True)


_ANNOUNCED: set[str] = set()  # reasons whose banner this process has printed


def print_summary(model: nn.Module, input_size: tuple[int, ...]) -> None:
    """Print torchsummary's layer table for one input of `input_size` (no batch axis), on the CPU.

    torchsummary cannot summarise models whose layers return tuples, such as nn.LSTM
    (FramedLSTM, FaultyWaveformLSTM); use count_parameters for those.
    """
    from torchsummary import summary

    summary(model, input_size, device="cpu")
