"""course_utils.describe: each description checked word for word on inputs whose answer is known."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from course_utils import describe  # noqa: E402
from course_utils.crossval import CrossValidation  # noqa: E402
from course_utils.training import History  # noqa: E402

TENTH = 0.1  # seconds per frame in the timing tests


def _levels(loud: dict[int, float], frames: int = 50, floor: float = -60.0) -> np.ndarray:
    levels = np.full(frames, floor)
    for frame, level in loud.items():
        levels[frame] = level
    return levels


@pytest.mark.parametrize(("levels", "expected"), [
    (_levels({4: 0, 21: -3}), "energy in short bursts at 0.4 s and 2.1 s"),
    (_levels({4: 0, 30: -11}), "energy in a short burst at 0.4 s"),  # 11 dB down: not loud
    (_levels({4: 0, 5: -2, 7: -1}), "energy in a short burst at 0.4 s"),  # a 0.1 s gap is bridged
    (_levels(dict.fromkeys(range(10, 30), 0)), "loud from 1.0 to 3.0 s"),
    (_levels({**dict.fromkeys(range(10, 30), 0), 40: -5}), "loud from 1.0 to 3.0 s and at 4.0 s"),
    (_levels(dict.fromkeys(range(0, 50, 7), 0)), "8 separate loud moments between 0.0 s and 5.0 s, loud for 16% of the time"),
    (_levels(dict.fromkeys(range(5, 50), 0), floor=-30), "steady: within 10 dB of its loudest for 90% of the time"),
    (np.zeros(50), "the same level throughout, with no events"),
    (np.full(50, -np.inf), "the same level throughout, with no events"),
])
def test_timing_says_when_a_clip_is_loud(levels, expected):
    assert describe.timing(levels, TENTH) == expected


@pytest.mark.parametrize(("hz", "text"), [(0.0, "0 Hz"), (1.953125, "1.95 Hz"), (62.5, "62.5 Hz"), (649, "650 Hz"), (1000, "1 kHz"), (2149, "2.1 kHz"),
                                          (8000, "8 kHz")])
def test_hertz_reads_as_spoken(hz, text):
    assert describe.hertz(hz) == text


def test_a_mel_spectrogram_with_two_bursts_in_one_band():
    spec = np.full((128, 157), -80.0)
    spec[40, 12:15] = 0.0  # frames of 32 ms: a burst at 0.38 s, another at 2.05 s
    spec[40, 64:66] = -2.0
    frequency = describe.hertz(describe.librosa.mel_frequencies(130, fmax=8000)[41])
    assert describe.spectrogram(spec, "Mel spectrogram: dog") == (
        "Mel spectrogram: dog: mel spectrogram, 128 mel bands up to 8 kHz, 5.0 s; energy in short bursts at "
        f"0.4 s and 2.0 s; loudest around {frequency}, most energy between {frequency} and {frequency}.")


def test_a_linear_spectrogram_names_its_bin_spacing():
    spec = np.zeros((129, 20))  # n_fft=256 at 16 kHz: bins 62.5 Hz apart
    text = describe.spectrogram(spec, "n_fft=256", y_axis="linear")
    assert text.startswith("n_fft=256: spectrogram, 129 frequency bins 62.5 Hz apart up to 8 kHz, 0.6 s; the same level")
    assert text.endswith("energy spread over every band, loudest around 0 Hz.")


def test_a_waveform_with_one_click():
    samples = np.zeros(32000)
    samples[12800:13200] = 0.5  # 25 ms at 16 kHz, starting at 0.8 s
    assert describe.waveform(samples, "Waveform: test") == (
        "Waveform: test: waveform, 2.0 s at 16,000 samples per second; peak amplitude 0.50 at 0.8 s; "
        "energy in a short burst at 0.8 s.")


def test_confusion_counts_hits_and_the_commonest_mistake():
    matrix = np.array([[7, 1, 0], [3, 5, 0], [0, 0, 8]])
    assert describe.confusion(matrix, ["dog", "cow", "rain"], "CNN") == (
        "CNN: confusion matrix of 24 clips, true class in rows, prediction in columns; 20 right (83%). "
        "dog 7 of 8 right (1 taken for cow); cow 5 of 8 right (3 taken for dog); rain 8 of 8 right.")


HISTORY = History([1.4, 0.9, 0.5], [0.3, 0.6, 0.9], [1.3, 1.0, 1.1], [0.35, 0.6, 0.55])


def test_history_gives_first_last_and_best_epoch():
    assert describe.history(HISTORY, "Curves") == (
        "Curves: loss and accuracy over 3 epochs. Loss: training 1.40 to 0.50 (lowest 0.50 at epoch 3); "
        "validation 1.30 to 1.10 (lowest 1.00 at epoch 2). Accuracy: training 0.30 to 0.90 (highest 0.90 at "
        "epoch 3); validation 0.35 to 0.55 (highest 0.60 at epoch 2).")


def test_history_without_validation_describes_training_only():
    text = describe.history(History([1.0, 0.5], [0.5, 0.75]), "Train")
    assert "validation" not in text and "training 0.50 to 0.75 (highest 0.75 at epoch 2)" in text


def test_arms_describe_each_arm():
    other = History([], [], [1.2, 0.8], [0.5, 0.7])
    assert describe.arms({"plain": HISTORY, "shifted": other}, "Arms") == (
        "Arms: validation loss and accuracy over 3 epochs. plain: accuracy 0.35 to 0.55 (highest 0.60 at epoch 2), "
        "loss 1.30 to 1.10 (lowest 1.00 at epoch 2); shifted: accuracy 0.50 to 0.70 (highest 0.70 at epoch 2), "
        "loss 1.20 to 0.80 (lowest 0.80 at epoch 2).")


def test_shots_give_mean_and_spread_per_arm():
    study = pd.DataFrame({"arm": ["a", "a", "a", "a", "b", "b"], "shots": [1, 1, 4, 4, 1, 1],
                          "fold": [1, 2, 1, 2, 1, 2], "accuracy": [0.3, 0.5, 0.7, 0.7, 0.4, 0.4]})
    assert describe.shots(study, 4, "Shots") == (
        "Shots: validation accuracy against training clips per category, log scale; chance is 0.25. "
        "a: 0.40 ± 0.14 at 1, 0.70 ± 0.00 at 4; b: 0.40 ± 0.00 at 1.")


def test_folds_give_mean_spread_and_range():
    results = {"cnn": CrossValidation({1: 0.6, 2: 0.7, 3: 0.8}), "lstm": CrossValidation({1: 0.25})}
    assert describe.folds(results, 4, "Folds") == (
        "Folds: validation accuracy of each held-out fold; chance is 0.25. cnn: mean 0.70 ± 0.10, folds from "
        "0.60 to 0.80; lstm: mean 0.25 ± 0.00, folds from 0.25 to 0.25.")


def test_prediction_ranks_classes_and_says_right_or_wrong():
    assert describe.prediction({"dog": 0.1, "cow": 0.7, "rain": 0.2}, "dog", "cow", "1-1.wav") == (
        "1-1.wav: predicted probabilities, true class dog: cow 0.70, rain 0.20, dog 0.10; the model predicts cow (wrong).")
    assert describe.prediction({"dog": 0.9, "cow": 0.1}, "dog", "dog", "x").endswith("predicts dog (right).")


def test_split_and_batch_count_what_they_show():
    assert describe.split({"dog": (32, 8), "cow": (30, 6)}, "Split") == (
        "Split: bar chart of training and validation clips per category: dog 32 and 8; cow 30 and 6.")
    specs = np.full((3, 128, 157), -80.0)
    specs[0, :, 10] = 0.0  # frame 10 of 32 ms: a burst at 0.32 s
    specs[2, :, 100:140] = 0.0  # 3.2 to 4.5 s
    assert describe.batch(specs, ["dog", "cow", "dog"], "Batch") == (
        "Batch: 3 spectrograms of 128 by 157, one per panel, titled by label: 2 dog, 1 cow. Panels: "
        "1. dog, energy in a short burst at 0.3 s; 2. cow, the same level throughout, with no events; "
        "3. dog, loud from 3.2 to 4.5 s.")


def test_lines_reads_the_plotted_data_within_the_view():
    fig, ax = plt.subplots()
    x = np.arange(0, 2000, 10.0)
    ax.plot(x, -np.abs(x - 1000) / 10 + 4e-12, label="hann")  # the peak as 10 * log10(1 + 1e-12) leaves it
    ax.set(xlim=(500, 1500), title="Tone", xlabel="Hz", ylabel="dB")
    assert describe.lines(ax) == ("Tone: line plot of dB (-105 to 5) against Hz (500 to 1,500). "
                                  "hann: peak 0 at 1,000, median -25.")
    plt.close(fig)
