"""Lesson 4's checks: framing waveforms, counting trainable parameters, and the recurrent model."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from .. import models
from .core import WrongAnswer, call, exercise, expect, shape_of
from .models import load_by_shape, scores_of

NOT_NEEDED = "The rest of the lesson does not need it."


@exercise("4.1", then="The lesson's model frames its clips itself, so it goes on without it.")
def check_frames(frame_waveforms: Callable) -> None:
    """Exercise 4.1: frame_waveforms(batch, frame_length) -> (batch, frames, frame_length)."""
    for n_clips, n_frames, frame_length in [(2, 3, 4), (3, 2, 5), (1, 4, 3), (5, 3, 800)]:
        batch = torch.arange(n_clips * n_frames * frame_length, dtype=torch.float32).reshape(n_clips, -1)
        shown = f"frame_waveforms(a ({n_clips}, {n_frames * frame_length}) batch, {frame_length})"
        given = batch.clone()
        got = call(shown, frame_waveforms, given, frame_length)
        expect(isinstance(got, torch.Tensor), "not-a-tensor", f"Return a tensor, not {type(got).__name__}.")
        expect(shape_of(given) == shape_of(batch) and torch.equal(given, batch), "input-changed",
               "Do not change the batch you are given (resize_ and other in-place methods do): return a new view.")
        want = (n_clips, n_frames, frame_length)
        expect(shape_of(got) == want, "wrong-shape", f"{shown} should have shape {want}, got {shape_of(got)}.")
        last = batch[-1, :frame_length]
        expect(torch.equal(got[-1, 0], last), "frames-mix-clips",
               f"In {shown} the last clip's first frame should be its first {frame_length} samples {last.tolist()[:5]}..., "
               f"got {got[-1, 0].tolist()[:5]}...: each frame holds consecutive samples of one clip.")
        expect(torch.equal(got, batch.reshape(want)), "frames-out-of-order",
               f"In {shown} frames must follow each other in time, each holding consecutive samples.")


@exercise("4.2", then=NOT_NEEDED)
def check_count_trainable(count_trainable: Callable) -> None:
    """Exercise 4.2: count_trainable(model) -> number of parameters that training changes."""
    model = models.SpectrogramCNN(3)
    steps = [("a CNN for 3 classes", lambda: None, "sum-numel", "Sum p.numel() over model.parameters()."),
             ("the same CNN with its convolutions frozen", lambda: model.features.requires_grad_(False),
              "counts-frozen", "Count only the parameters with requires_grad set."),
             ("the same CNN with everything frozen", lambda: model.requires_grad_(False),
              "counts-frozen", "Count only the parameters with requires_grad set.")]
    for what, freeze, mistake, hint in steps:
        freeze()
        want, total = models.count_parameters(model)
        got = call("count_trainable(model)", count_trainable, model)
        expect(isinstance(got, int | np.integer) and not isinstance(got, bool), "not-an-integer",
               f"Return the count as a whole number (an int), not {type(got).__name__}: p.numel() is an int.")
        expect(got == want or got != total - want, "counts-the-frozen",
               f"For {what} you counted the values that training does not change ({total - want:,}): count those "
               "with requires_grad set.")
        expect(got == want, mistake, f"For {what} expected {want:,} trainable values, got {got}. {hint}")
    first, second = nn.Linear(4, 4), nn.Linear(4, 4)
    second.weight = first.weight  # tied: one weight tensor in two layers, counted once
    got = call("count_trainable(a model whose two layers share their weight)", count_trainable,
               nn.Sequential(first, second))
    expect(got == 24, "shared-counted-twice" if got == 40 else "sum-numel",
           f"For two nn.Linear(4, 4) layers that share one weight tensor expected 24 trainable values (16 "
           f"shared weights, two biases of 4), got {got}: count model.parameters(), which lists a shared "
           "parameter once.")


@exercise("4.3", then="The lesson goes on with the course's `FramedLSTM`.")
def check_lstm(model_class: type) -> None:
    """Exercise 4.3: WaveformLSTM(n_classes, frame_length=800, hidden_size=64): (batch, samples) -> (batch, n_classes)."""
    torch.manual_seed(0)
    default = call(f"{model_class.__name__}(4)", model_class, 4)
    expect(isinstance(default, nn.Module), "not-a-module", "The model should be an nn.Module (class ...(nn.Module)).")
    want = models.count_parameters(models.FramedLSTM(4, frame_length=800, hidden_size=64))[1]
    got = models.count_parameters(default)[1]
    expect(got == want, "wrong-size", f"{model_class.__name__}(4), with frame_length=800 and hidden_size=64 by default, "
           f"should have {want:,} parameters, got {got:,}.")
    model = call(f"{model_class.__name__}(3, frame_length=10, hidden_size=5)", model_class, 3,
                 frame_length=10, hidden_size=5)
    reference = models.FramedLSTM(3, frame_length=10, hidden_size=5)
    expect(models.count_parameters(model)[1] == models.count_parameters(reference)[1], "wrong-size",
           f"With frame_length=10 and hidden_size=5 expected {models.count_parameters(reference)[1]} parameters "
           f"(nn.LSTM(frame_length, hidden_size, batch_first=True), then nn.Linear(hidden_size, n_classes)), "
           f"got {models.count_parameters(model)[1]}.")
    load_by_shape(model, reference, model_class.__name__)
    clips = torch.randn(4, 60)
    try:
        scores = scores_of(model, clips, (4, 3), "For 4 clips and 3 classes")
    except WrongAnswer as wrong:
        with torch.no_grad():
            got = model.eval()(clips)
        expect(not (wrong.mistake == "scores-wrong-shape" and tuple(getattr(got, "shape", ()))[:1] == (60 // 10,)), "lstm-across-batch",
               f"For 4 clips of 6 frames the model gave {shape_of(got)} scores, one per frame: the LSTM reads the "
               "frames as the batch. Create it with batch_first=True, so that it reads (batch, frames, frame_length).")
        raise
    expect(not torch.allclose(scores.sum(dim=1), torch.ones(4), atol=1e-4), "softmax",
           "Return raw scores: no softmax at the end (cross-entropy applies it itself).")
    expect(torch.equal(scores, scores_of(model, clips, (4, 3), "Run twice,")), "not-deterministic",
           "The same clips gave different scores when run twice in eval mode: no randomness in forward "
           "(a dropout layer as nn.Dropout, which model.eval() turns off).")
    alone = torch.cat([scores_of(model, clips[i : i + 1], (1, 3), "For one clip and 3 classes") for i in range(4)])
    expect(torch.allclose(scores, alone, atol=1e-5), "lstm-across-batch",
           "A clip's scores change with the other clips in its batch: the LSTM is running across the batch. "
           "Frame each clip, (batch, frames, frame_length), and create the LSTM with batch_first=True.")
    late = clips.clone()
    late[:, -10:] += 1.0
    expect(not torch.allclose(scores_of(model, late, (4, 3), "For 4 clips"), scores), "ignores-the-end",
           "The scores ignore the end of the clip: classify the LSTM's state after the last frame.")
    with torch.no_grad():
        want_scores = reference.eval()(clips)
    expect(torch.allclose(scores, want_scores, atol=1e-5), "wrong-scores",
           "The scores differ from those of an LSTM over the frames whose last hidden state goes "
           "through the linear layer (no activation after it: cross-entropy wants raw scores).")
