"""Text descriptions of the course's figures and sounds, computed from the numbers they show.

Each function returns one or two sentences for a reader who cannot see the figure or hear the
clip; `course_utils.alt_text` puts them beside the figure and into its `alt` text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import librosa
import numpy as np

from .constants import FMAX, HOP_LENGTH, SAMPLE_RATE

LOUD_DB = 10.0  # a moment or band counts as loud within this many dB of the loudest
BRIDGE_SECONDS = 0.2  # loud moments closer than this are one event
BURST_SECONDS = 0.5  # an event shorter than this is a burst
STEADY_SHARE = 0.7  # loud for at least this share of the clip: steady
MAX_LISTED = 5


def hertz(frequency: float) -> str:
    """A frequency as a reader says it: "62.5 Hz", "650 Hz", "2.1 kHz", "8 kHz"."""
    if frequency < 100:
        return f"{frequency:.3g} Hz"
    if frequency < 1000:
        return f"{round(frequency, -1):.0f} Hz"
    return f"{frequency / 1000:.1f}".removesuffix(".0") + " kHz"


def _listing(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def loud_spans(levels_db: np.ndarray, seconds_per_frame: float) -> list[tuple[float, float]]:
    """(start, end) in seconds of the stretches within LOUD_DB of the loudest frame, short gaps bridged."""
    levels_db = np.asarray(levels_db, dtype=float)
    spans: list[tuple[float, float]] = []
    for frame in np.flatnonzero(levels_db >= levels_db.max() - LOUD_DB):
        start, end = frame * seconds_per_frame, (frame + 1) * seconds_per_frame
        if spans and start - spans[-1][1] <= BRIDGE_SECONDS:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def timing(levels_db: np.ndarray, seconds_per_frame: float) -> str:
    """When a clip is loud: "steady ...", "short bursts at ..." or "loud from ... to ..."."""
    levels_db = np.asarray(levels_db, dtype=float)
    if not np.isfinite(levels_db.max()) or levels_db.max() - levels_db.min() < 1.0:
        return "the same level throughout, with no events"
    spans = loud_spans(levels_db, seconds_per_frame)
    duration = len(levels_db) * seconds_per_frame
    share = sum(end - start for start, end in spans) / duration
    if share >= STEADY_SHARE:
        return f"steady: within {LOUD_DB:.0f} dB of its loudest for {share:.0%} of the time"
    if len(spans) > MAX_LISTED:
        return (f"{len(spans)} separate loud moments between {spans[0][0]:.1f} s and {spans[-1][1]:.1f} s, "
                f"loud for {share:.0%} of the time")
    if all(end - start < BURST_SECONDS for start, end in spans):
        noun = "a short burst" if len(spans) == 1 else "short bursts"
        return f"energy in {noun} at " + _listing([f"{start:.1f} s" for start, _ in spans])
    return "loud " + _listing([f"at {start:.1f} s" if end - start < BURST_SECONDS
                               else f"from {start:.1f} to {end:.1f} s" for start, end in spans])


def band_energy(spec_db: np.ndarray, frequencies: np.ndarray) -> str:
    """Where in frequency the energy sits: the loudest band and the range within LOUD_DB of it."""
    power = np.power(10.0, np.asarray(spec_db, dtype=float) / 10).mean(axis=1)
    band_db = 10 * np.log10(power + 1e-30)
    loud = np.flatnonzero(band_db >= band_db.max() - LOUD_DB)
    peak = hertz(frequencies[int(np.argmax(band_db))])
    if len(loud) == len(frequencies):
        return f"energy spread over every band, loudest around {peak}"
    return f"loudest around {peak}, most energy between {hertz(frequencies[loud[0]])} and {hertz(frequencies[loud[-1]])}"


def frame_levels_db(spec_db: np.ndarray) -> np.ndarray:
    """Each frame's total level in dB, from a dB spectrogram (rows: bands, columns: frames)."""
    return 10 * np.log10(np.power(10.0, np.asarray(spec_db, dtype=float) / 10).sum(axis=0) + 1e-30)


def spectrogram(spec_db: np.ndarray, title: str, sr: int = SAMPLE_RATE, hop_length: int = HOP_LENGTH,
                fmax: float = FMAX, y_axis: str = "mel") -> str:
    """A mel (or linear-frequency) spectrogram: size, timing of its energy, and where in frequency it sits."""
    spec_db = np.asarray(spec_db)
    bands, frames = spec_db.shape
    seconds_per_frame = hop_length / sr
    if y_axis == "mel":
        frequencies = librosa.mel_frequencies(bands + 2, fmin=0.0, fmax=fmax)[1:-1]
        kind = f"mel spectrogram, {bands} mel bands up to {hertz(fmax)}"
    else:
        frequencies = librosa.fft_frequencies(sr=sr, n_fft=2 * (bands - 1))
        kind = f"spectrogram, {bands} frequency bins {hertz(frequencies[1])} apart up to {hertz(frequencies[-1])}"
    return (f"{title}: {kind}, {frames * seconds_per_frame:.1f} s; "
            f"{timing(frame_levels_db(spec_db), seconds_per_frame)}; {band_energy(spec_db, frequencies)}.")


def waveform_levels_db(samples: np.ndarray, frame: int) -> np.ndarray:
    """Each non-overlapping frame's RMS level in dB."""
    samples = np.asarray(samples, dtype=float)
    usable = len(samples) // frame * frame or len(samples)
    frames = samples[:usable].reshape(-1, min(frame, usable))
    return 20 * np.log10(np.sqrt((frames ** 2).mean(axis=1)) + 1e-10)


def waveform_timing(samples: np.ndarray, sr: int = SAMPLE_RATE) -> str:
    """When a waveform is loud, from its level in 50 ms frames."""
    frame = max(1, sr // 20)
    return timing(waveform_levels_db(samples, frame), frame / sr)


def waveform(samples: np.ndarray, title: str, sr: int = SAMPLE_RATE) -> str:
    """A waveform: length, peak amplitude and when it is loud."""
    samples = np.asarray(samples, dtype=float)
    peak = int(np.argmax(np.abs(samples)))
    return (f"{title}: waveform, {len(samples) / sr:.1f} s at {sr:,} samples per second; "
            f"peak amplitude {abs(samples[peak]):.2f} at {peak / sr:.1f} s; {waveform_timing(samples, sr)}.")


def split(counts: Mapping[str, tuple[int, int]], title: str) -> str:
    """Bars of training and validation clips per category."""
    parts = [f"{category} {train} and {val}" for category, (train, val) in counts.items()]
    return f"{title}: bar chart of training and validation clips per category: " + "; ".join(parts) + "."


def batch(specs_db: np.ndarray, labels: Sequence[str], title: str,
          seconds_per_frame: float = HOP_LENGTH / SAMPLE_RATE) -> str:
    """A grid of spectrograms: how many, their size, the labels' counts and when each panel is loud."""
    counts = {label: list(labels).count(label) for label in dict.fromkeys(labels)}
    size = " by ".join(str(n) for n in np.shape(specs_db)[1:])
    panels = [f"{index}. {label}, {timing(frame_levels_db(spec), seconds_per_frame)}"
              for index, (spec, label) in enumerate(zip(specs_db, labels), start=1)]
    return (f"{title}: {len(labels)} spectrograms of {size}, one per panel, titled by label: "
            + ", ".join(f"{n} {label}" for label, n in counts.items()) + ". Panels: " + "; ".join(panels) + ".")


def confusion(matrix: np.ndarray, categories: Sequence[str], title: str) -> str:
    """A confusion matrix: overall accuracy, then each category's hits and its most common mistake."""
    matrix = np.asarray(matrix)
    total, right = int(matrix.sum()), int(np.trace(matrix))
    parts = []
    for row, category in enumerate(categories):
        clips = int(matrix[row].sum())
        text = f"{category} {int(matrix[row, row])} of {clips} right"
        others = matrix[row].copy()
        others[row] = 0
        if others.max() > 0:
            text += f" ({int(others.max())} taken for {categories[int(np.argmax(others))]})"
        parts.append(text)
    share = f" ({right / total:.0%})" if total else ""
    return (f"{title}: confusion matrix of {total} clips, true class in rows, prediction in columns; "
            f"{right} right{share}. " + "; ".join(parts) + ".")


def _curve(values: Sequence[float], best: str) -> str:
    """"1.35 to 0.95 (lowest 0.80 at epoch 7)"."""
    values = list(values)
    pick = int(np.argmin(values)) if best == "lowest" else int(np.argmax(values))
    return f"{values[0]:.2f} to {values[-1]:.2f} ({best} {values[pick]:.2f} at epoch {pick + 1})"


def history(history, title: str) -> str:
    """Training curves: first, last and best value of each loss and accuracy series."""
    loss = ["training " + _curve(history.train_loss, "lowest")]
    accuracy = ["training " + _curve(history.train_accuracy, "highest")]
    if history.val_loss:
        loss.append("validation " + _curve(history.val_loss, "lowest"))
    if history.val_accuracy:
        accuracy.append("validation " + _curve(history.val_accuracy, "highest"))
    return (f"{title}: loss and accuracy over {len(history.train_loss)} epochs. "
            f"Loss: {'; '.join(loss)}. Accuracy: {'; '.join(accuracy)}.")


def arms(histories: Mapping[str, object], title: str) -> str:
    """Validation curves of several arms: each arm's last and best accuracy and loss."""
    parts = [f"{arm}: accuracy {_curve(h.val_accuracy, 'highest')}, loss {_curve(h.val_loss, 'lowest')}"
             for arm, h in histories.items()]
    epochs = max(len(h.val_loss) for h in histories.values())
    return f"{title}: validation loss and accuracy over {epochs} epochs. " + "; ".join(parts) + "."


def shots(study, n_classes: int, title: str) -> str:
    """Mean accuracy (± std over folds) per arm at each number of training clips per category."""
    parts = []
    for arm, rows in study.groupby("arm", sort=False):
        stats = rows.groupby("shots")["accuracy"].agg(["mean", "std"]).fillna(0.0)
        points = [f"{mean:.2f} ± {std:.2f} at {n}" for n, (mean, std) in stats.iterrows()]
        parts.append(f"{arm}: " + ", ".join(points))
    return (f"{title}: validation accuracy against training clips per category, log scale; chance is "
            f"{1 / n_classes:.2f}. " + "; ".join(parts) + ".")


def folds(results: Mapping[str, object], n_classes: int, title: str) -> str:
    """Each configuration's fold accuracies and their mean ± std."""
    parts = [f"{name}: mean {r.mean:.2f} ± {r.std:.2f}, folds from {min(r.accuracy.values()):.2f} "
             f"to {max(r.accuracy.values()):.2f}" for name, r in results.items()]
    return (f"{title}: validation accuracy of each held-out fold; chance is {1 / n_classes:.2f}. "
            + "; ".join(parts) + ".")


def prediction(probabilities: Mapping[str, float], true: str, predicted: str, name: str) -> str:
    """One clip's predicted probabilities, largest first, and whether the prediction was right."""
    ranked = sorted(probabilities.items(), key=lambda item: -item[1])
    verdict = "right" if true == predicted else "wrong"
    return (f"{name}: predicted probabilities, true class {true}: "
            + ", ".join(f"{c} {p:.2f}" for c, p in ranked) + f"; the model predicts {predicted} ({verdict}).")


def _number(value: float) -> str:
    """Three significant figures below 1,000, whole numbers above; anything within a millionth of 0 is 0."""
    if abs(value) < 1e-6:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def lines(ax) -> str:
    """Any line plot: its title and axes, then each line's peak and median."""
    parts = []
    for line in ax.get_lines():
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        shown = (x >= ax.get_xlim()[0]) & (x <= ax.get_xlim()[1])
        x, y = x[shown], y[shown]
        peak = int(np.argmax(y))
        parts.append(f"{line.get_label()}: peak {_number(y[peak])} at {_number(x[peak])}, "
                     f"median {_number(np.median(y))}")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return (f"{ax.get_title()}: line plot of {ax.get_ylabel()} ({_number(y0)} to {_number(y1)}) against "
            f"{ax.get_xlabel()} ({_number(x0)} to {_number(x1)}). " + "; ".join(parts) + ".")
