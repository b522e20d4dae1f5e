"""Figures for the lessons. Each function draws on `ax` (or a new figure) and returns the figure,
with a text description of what it shows attached (see `course_utils.alt_text`)."""

from __future__ import annotations

from collections.abc import Sequence

import librosa.display
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import describe
from .alt_text import attach
from .constants import FMAX, HOP_LENGTH, SAMPLE_RATE
from .training import History

CMAP = "magma"  # one colour map for every spectrogram in the course
# Series are told apart by colour-blind-safe colours (matplotlib's "tableau-colorblind10") and,
# for readers who cannot tell colours apart at all, by marker and line style or hatching too.
COLOURS = tuple(plt.style.library["tableau-colorblind10"]["axes.prop_cycle"].by_key()["color"])
MARKERS = ("o", "s", "^", "D", "v", "P")
LINE_STYLES = ("-", "--", "-.", ":")
HATCHES = ("", "//", "..", "xx")


def series_style(index: int) -> dict:
    """Colour, marker and line style of the `index`-th series of a line plot; no two alike."""
    return {"color": COLOURS[index % len(COLOURS)], "marker": MARKERS[index % len(MARKERS)],
            "linestyle": LINE_STYLES[index % len(LINE_STYLES)]}


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


def plot_waveform(waveform, sr: int = SAMPLE_RATE, title: str = "Waveform", ax: Axes | None = None) -> Figure:
    """Amplitude against time in seconds."""
    fig, ax = _axes(ax, (8, 2.2))
    samples = np.asarray(waveform)
    ax.plot(np.arange(len(samples)) / sr, samples, color="black", linewidth=0.3)
    ax.set(title=title, xlabel="Time (s)", ylabel="Amplitude", xlim=(0, len(samples) / sr))
    attach(fig, describe.waveform(samples, title, sr))
    return fig


def plot_split(train, val, title: str = "Clips per category") -> Figure:
    """Bars of training and validation clips for each category, in the order they first appear."""
    categories = list(dict.fromkeys([*train["category"], *val["category"]]))
    counts = [train["category"].value_counts().reindex(categories, fill_value=0),
              val["category"].value_counts().reindex(categories, fill_value=0)]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.4 * len(categories)), 3), layout="constrained")
    positions = np.arange(len(categories))
    for index, (offset, name, count) in enumerate([(-0.2, "training", counts[0]), (0.2, "validation", counts[1])]):
        bars = ax.bar(positions + offset, count.to_numpy(), width=0.4, label=name, color=COLOURS[index],
                      hatch=HATCHES[index], edgecolor="black")
        ax.bar_label(bars)
    ax.set_xticks(positions, categories)
    ax.set(ylabel="Clips", title=title)
    ax.legend()
    attach(fig, describe.split({c: (int(t), int(v)) for c, t, v in zip(categories, *counts)}, title))
    return fig


def plot_spectrogram(
    spec_db,
    sr: int = SAMPLE_RATE,
    hop_length: int = HOP_LENGTH,
    fmax: float = FMAX,
    title: str = "Mel spectrogram",
    ax: Axes | None = None,
    colorbar: bool = True,
    y_axis: str = "mel",
) -> Figure:
    """A dB spectrogram with time and frequency axes ("mel" or "linear") and a dB colour bar."""
    fig, ax = _axes(ax, (8, 3))
    image = librosa.display.specshow(
        np.asarray(spec_db), sr=sr, hop_length=hop_length, fmax=fmax if y_axis == "mel" else None,
        x_axis="time", y_axis=y_axis, cmap=CMAP, ax=ax,
    )
    ax.set(title=title, xlabel="Time (s)", ylabel="Frequency (Hz, mel scale)" if y_axis == "mel" else "Frequency (Hz)")
    if colorbar:
        fig.colorbar(image, ax=ax, format="%+2.0f dB", label="Level (dB)")
    attach(fig, describe.spectrogram(spec_db, title, sr, hop_length, fmax, y_axis))
    return fig


def plot_batch(features, labels: Sequence[str], ncols: int = 4, title: str = "A batch of spectrograms") -> Figure:
    """A grid of spectrograms, each titled with its label."""
    features = features.numpy() if isinstance(features, torch.Tensor) else np.asarray(features)
    nrows = int(np.ceil(len(features) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3 * ncols, 2.4 * nrows), layout="constrained",
                             squeeze=False)
    for ax, spec, label in zip(axes.flat, features, labels):
        image = ax.imshow(spec, origin="lower", aspect="auto", cmap=CMAP, vmin=-80, vmax=0)
        ax.set(title=label, xticks=[], yticks=[])
    for ax in axes.flat[len(features):]:
        ax.set_axis_off()
    axes[0, 0].set(xlabel="time", ylabel="mel band")
    fig.colorbar(image, ax=axes, format="%+2.0f dB", label="Level (dB)")
    fig.suptitle(title)
    attach(fig, describe.batch(features, list(labels), title))
    return fig


def plot_confusion(confusion: np.ndarray, categories: Sequence[str], title: str = "Confusion matrix",
                   ax: Axes | None = None) -> Figure:
    """Counts of (true, predicted) pairs, written in each cell."""
    fig, ax = _axes(ax, (5, 4.2))
    confusion = np.asarray(confusion)
    image = ax.imshow(confusion, cmap="Blues", vmin=0)
    ticks = np.arange(len(categories))
    ax.set(xticks=ticks, yticks=ticks, xticklabels=categories, yticklabels=categories,
           xlabel="Predicted", ylabel="True", title=title)
    ax.tick_params(axis="x", labelrotation=45)
    threshold = confusion.max() / 2 if confusion.size else 0
    for (row, col), count in np.ndenumerate(confusion):
        ax.text(col, row, str(count), ha="center", va="center",
                color="white" if count > threshold else "black")
    fig.colorbar(image, ax=ax, label="Clips")
    attach(fig, describe.confusion(confusion, list(categories), title))
    return fig


def plot_history(history: History, title: str = "Training curves") -> Figure:
    """Loss and accuracy per epoch, training against validation."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
    epochs = np.arange(1, len(history.train_loss) + 1)
    loss_ax.plot(epochs, history.train_loss, label="training", **series_style(0))
    acc_ax.plot(epochs, history.train_accuracy, label="training", **series_style(0))
    if history.val_loss:
        loss_ax.plot(epochs, history.val_loss, label="validation", **series_style(1))
    if history.val_accuracy:
        acc_ax.plot(epochs, history.val_accuracy, label="validation", **series_style(1))
    loss_ax.set(xlabel="Epoch", ylabel="Cross-entropy loss", title="Loss")
    acc_ax.set(xlabel="Epoch", ylabel="Accuracy", title="Accuracy", ylim=(0, 1.02))
    for ax in (loss_ax, acc_ax):
        ax.legend()
    fig.suptitle(title)
    attach(fig, describe.history(history, title))
    return fig


def plot_shots(study, n_classes: int, title: str = "Accuracy against training clips per category") -> Figure:
    """Mean validation accuracy over folds (error bars: standard deviation) for each arm."""
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    for index, (arm, rows) in enumerate(study.groupby("arm", sort=False)):
        stats = rows.groupby("shots")["accuracy"].agg(["mean", "std"])
        ax.errorbar(stats.index, stats["mean"], yerr=stats["std"], capsize=4, label=arm, **series_style(index))
    ax.set(xscale="log", xlabel="Training clips per category", ylabel="Validation accuracy (mean over folds)",
           ylim=(0, 1.02), title=title)
    shots = sorted(study["shots"].unique())
    ax.set_xticks(shots, [str(s) for s in shots])
    ax.axhline(1 / n_classes, color="black", linestyle=(0, (1, 3)), linewidth=1, label=f"chance ({n_classes} classes)")
    ax.legend()
    attach(fig, describe.shots(study, n_classes, title))
    return fig


def plot_arms(histories: dict[str, History], title: str = "Validation curves") -> Figure:
    """Validation loss and accuracy per epoch, one series per arm of a comparison."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(11, 3.4), layout="constrained")
    for index, (arm, history) in enumerate(histories.items()):
        epochs = np.arange(1, len(history.val_loss) + 1)
        loss_ax.plot(epochs, history.val_loss, label=arm, **series_style(index))
        acc_ax.plot(epochs, history.val_accuracy, label=arm, **series_style(index))
    loss_ax.set(xlabel="Epoch", ylabel="Validation loss", title="Validation loss")
    acc_ax.set(xlabel="Epoch", ylabel="Validation accuracy", title="Validation accuracy", ylim=(0, 1.02))
    acc_ax.legend()
    fig.suptitle(title)
    attach(fig, describe.arms(histories, title))
    return fig


def plot_folds(results: dict, n_classes: int, title: str = "Five-fold cross-validation") -> Figure:
    """Each fold's validation accuracy (crosses) and their mean ± standard deviation (diamonds), per
    configuration; `results` maps a name to its crossval.CrossValidation."""
    fig, ax = plt.subplots(figsize=(9, 3.6), layout="constrained")
    for row, (name, result) in enumerate(results.items()):
        ax.plot(list(result.accuracy.values()), [row] * len(result.accuracy), linestyle="none", marker="x",
                color=COLOURS[3], label="one fold" if row == 0 else None)
        ax.errorbar(result.mean, row, xerr=result.std, fmt="D", color=COLOURS[0], markerfacecolor="none",
                    markersize=9, capsize=4, label="mean ± std" if row == 0 else None)
    ax.set_yticks(range(len(results)), list(results))
    ax.invert_yaxis()
    ax.set(xlim=(0, 1.02), xlabel="Validation accuracy on the held-out fold", title=title)
    ax.axvline(1 / n_classes, color="black", linestyle=(0, (1, 3)), linewidth=1, label="chance")
    ax.legend(loc="lower left")
    attach(fig, describe.folds(results, n_classes, title))
    return fig
