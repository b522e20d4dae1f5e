"""Lesson 5's checks: the chapter's CNN, an evaluation function and one epoch of training."""

from __future__ import annotations

import numbers
from collections.abc import Callable

import torch
from torch import nn

from .. import models
from .core import AnswerError, call, exercise, expect
from .doubles import Recorder, Tracked, epoch_reference, flat_weights, moved_every_batch, tracked_batches
from .models import load_by_shape, scores_of

CHANNEL_AXIS = ("The model receives (batch, mels, frames); Conv2d wants (batch, channels, mels, frames): "
                "add the channel axis in forward, spec.unsqueeze(1).")
LINEAR_SIZE = ("The flattened maps do not fit the linear layer: its input size is 128 x (n_mels halved four "
               "times) x (n_frames halved four times), each halving rounding down; compute it from n_mels and n_frames.")


def _cnn_scores(model: nn.Module, spectrograms: torch.Tensor, want: tuple[int, int], what: str) -> torch.Tensor:
    """scores_of, with a hint that tells a missing channel axis from a wrong linear size."""
    try:
        return scores_of(model, spectrograms, want, what)
    except AnswerError as error:
        said = str(error.error)
        if "conv2d" in said.lower() or "channels" in said or "unbatched" in said:
            raise error.with_hint(CHANNEL_AXIS, "no-channel-axis") from error.error
        if "mat1 and mat2" in said:
            raise error.with_hint(LINEAR_SIZE, "linear-size") from error.error
        raise


@exercise("5.1", then="The lesson goes on with the course's `SpectrogramCNN`.")
def check_cnn(model_class: type) -> None:
    """Exercise 5.1: the chapter's CNN, ChapterCNN(n_classes, n_mels=128, n_frames=157)."""
    torch.manual_seed(0)
    full = call(f"{model_class.__name__}(4)", model_class, 4)
    expect(isinstance(full, nn.Module), "not-a-module", "The model should be an nn.Module (class ...(nn.Module)).")
    count = models.count_parameters(full)[1]
    expect(count == 134_020, "wrong-size", f"{model_class.__name__}(4), for 128 x 157 spectrograms by default, should "
           f"have 134,020 parameters, got {count:,}. Four conv(3x3, padding=1)/ReLU/max-pool(2) blocks with 16, 32, "
           "64, 128 channels, then one linear layer from 128 x 8 x 9 = 9,216 inputs.")
    for n_classes, n_mels, n_frames, batch in [(3, 40, 101, 2), (7, 64, 80, 1)]:
        shown = f"{model_class.__name__}({n_classes}, n_mels={n_mels}, n_frames={n_frames})"
        model = call(shown, model_class, n_classes, n_mels=n_mels, n_frames=n_frames)
        reference = models.SpectrogramCNN(n_classes, n_mels=n_mels, n_frames=n_frames)
        want_count, got_count = models.count_parameters(reference)[1], models.count_parameters(model)[1]
        expect(got_count == want_count, "linear-size",
               f"{shown} should have {want_count:,} parameters, got {got_count:,}. {LINEAR_SIZE}")
        load_by_shape(model, reference, model_class.__name__)
        spectrograms = torch.randn(batch, n_mels, n_frames) * 20 - 40
        what = f"For a batch of {batch} spectrograms {(batch, n_mels, n_frames)} and {n_classes} classes"
        scores = _cnn_scores(model, spectrograms, (batch, n_classes), what)
        with torch.no_grad():
            want = reference.eval()(spectrograms)
        expect(not torch.allclose(scores.sum(dim=1), torch.ones(batch), atol=1e-4) or torch.allclose(scores, want, atol=1e-4),
               "softmax", "Return raw scores: no softmax at the end (cross-entropy applies it itself).")
        expect(torch.allclose(scores, want, atol=1e-4), "wrong-scores",
               f"{shown}: same weights as the course's model, different scores. Check each block is Conv2d(3x3, "
               "padding=1), ReLU, MaxPool2d(2), and that the linear layer reads the flattened maps with no "
               "activation after it.")


def _accuracy_case(n_classes: int, sizes: list[int], seed: int) -> tuple[Recorder, torch.Tensor, torch.Tensor]:
    """A recorder model whose predictions are known, features, and integer targets."""
    generator = torch.Generator().manual_seed(seed)
    total = sum(sizes)
    model = Recorder(n_classes, n_classes)
    with torch.no_grad():
        model.linear.weight.copy_(torch.eye(n_classes))
        model.linear.bias.zero_()
    predicted = torch.randint(0, n_classes, (total,), generator=generator)
    features = nn.functional.one_hot(predicted, n_classes).float()
    targets = torch.where(torch.rand(total, generator=generator) < 0.6, predicted,
                          torch.randint(0, n_classes, (total,), generator=generator))
    return model, features, targets


@exercise("5.2", then="The lesson trains with the course's version until then.")
def check_evaluate(evaluate_accuracy: Callable) -> None:
    """Exercise 5.2: evaluate_accuracy(model, loader, device) -> accuracy, in eval mode, without gradients."""
    for n_classes, sizes, device, seed in [(2, [3, 3, 2], "cpu", 0), (3, [4, 4, 1], torch.device("cpu"), 1),
                                           (4, [1], "cpu", 2)]:
        model, features, targets = _accuracy_case(n_classes, sizes, seed)
        right = features.argmax(dim=1) == targets
        want = right.float().mean().item()
        Tracked.sent_to = []
        model.train()
        batches = tracked_batches(features, targets, sizes)
        shown = f"evaluate_accuracy(model, {len(sizes)} batches of {sizes} clips, {device!r})"
        got = call(shown, evaluate_accuracy, model, batches, device)
        expect(bool(model.calls), "model-not-run", "Run the model on every batch.")
        expect(not any(training for training, _ in model.calls), "train-mode",
               "The model ran in training mode: call model.eval() before evaluating (dropout and batch norm behave "
               "differently in training).")
        expect(not any(grad for _, grad in model.calls), "gradients-on",
               "Gradients were on while evaluating: wrap the loop in `with torch.no_grad():`.")
        expect(moved_every_batch(device, len(sizes)), "not-moved",
               "Move each batch's features and targets to `device` (.to(device)), as the training loop does.")
        expect(len(model.calls) == len(sizes), "runs-per-batch",
               f"The model ran {len(model.calls)} times for {len(sizes)} batches: once per batch.")
        expect(isinstance(got, numbers.Real), "not-a-float", f"Return the accuracy as a Python float, not "
               f"{type(got).__name__}: .item() turns a one-number tensor into a float.")
        value = float(got)
        starts = [sum(sizes[:i]) for i in range(len(sizes))]
        batch_mean = sum(right[s : s + n].float().mean().item() for s, n in zip(starts, sizes)) / len(sizes)
        for wrong_value, mistake, hint in [
                (1 - want, "error-rate", "That is the error rate: return the fraction of clips predicted right."),
                (float(right.sum()), "count-not-fraction", "That is the number of right predictions: divide by the number of clips."),
                (batch_mean, "mean-of-batches", "That is the mean of the batches' accuracies; the last batch is "
                 "smaller, so count right predictions and clips over all batches and divide once.")]:
            expect(abs(wrong_value - want) < 1e-6 or abs(value - wrong_value) > 1e-6, mistake, hint)
        expect(abs(value - want) < 1e-6, "wrong-accuracy",
               f"For {shown} expected an accuracy of {want:.4f} ({int(right.sum())} of {len(targets)} clips), got {value}.")


@exercise("5.3", then="The lesson trains with the course's version until then.")
def check_train_epoch(train_one_epoch: Callable) -> None:
    """Exercise 5.3: train_one_epoch(model, loader, optimizer, device) -> mean training loss per clip."""
    features = torch.tensor([[1.0, 0], [0.5, 1], [0, 1], [-1, 0.5], [1, 1], [0, -1], [2, 0], [0.5, -0.5]])
    for targets, sizes, device, seed in [(torch.tensor([0, 1, 1, 0, 1, 0, 0, 1]), [3, 3, 2], "cpu", 1),
                                         (torch.tensor([2, 1, 0, 0, 2, 1, 0, 2]), [4, 3, 1], torch.device("cpu"), 2)]:
        torch.manual_seed(seed)
        model = Recorder(2, int(targets.max()) + 1)
        model.eval()
        start = flat_weights(model)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        Tracked.sent_to = []
        shown = f"train_one_epoch(model, {len(sizes)} batches of {sizes} clips, optimizer, {device!r})"
        got = call(shown, train_one_epoch, model, tracked_batches(features, targets, sizes), optimizer, device)
        weights = flat_weights(model)
        right, mean_loss = epoch_reference("right", features, targets, sizes, seed)
        accumulated, _ = epoch_reference("no zero_grad", features, targets, sizes, seed)
        expect(bool(model.calls) and all(training for training, _ in model.calls), "eval-mode",
               "The model ran in eval mode: call model.train() at the start of the epoch.")
        expect(all(grad for _, grad in model.calls), "gradients-off",
               "Gradients were off: training needs them (no torch.no_grad() here).")
        expect(len(model.calls) == len(sizes), "runs-per-batch",
               f"The model ran {len(model.calls)} times for {len(sizes)} batches: once per batch.")
        expect(moved_every_batch(device, len(sizes)), "not-moved",
               "Move each batch's features and targets to `device` (.to(device)).")
        expect(not torch.allclose(weights, start), "weights-unchanged",
               "The weights did not change: call loss.backward(), then optimizer.step() (and zero the gradients "
               "before backward, not between backward and step).")
        expect(not torch.allclose(weights, accumulated, atol=1e-6), "no-zero-grad",
               "Gradients add up from batch to batch: call optimizer.zero_grad() before each backward().")
        expect(torch.allclose(weights, right, atol=1e-5), "wrong-steps",
               f"After {shown} the weights differ from those of one step per batch with the cross-entropy of the "
               "raw scores: per batch, zero_grad, forward, loss, backward, step.")
        expect(isinstance(got, numbers.Real), "not-a-float",
               f"Return the mean loss as a Python float (add up loss.item()), not {type(got).__name__}.")
        value = float(got)
        expect(abs(value - mean_loss) < 1e-5, "wrong-mean-loss",
               f"For {shown} expected a mean loss per clip of {mean_loss:.4f}, got {value:.4f}: add loss.item() x "
               "batch size over the batches, then divide by the number of clips (the last batch is smaller).")
