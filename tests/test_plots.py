import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.plots import (  # noqa: E402
    plot_batch,
    plot_confusion,
    plot_history,
    plot_spectrogram,
    plot_split,
    plot_waveform,
)
from course_utils.training import History  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_waveform_axes_in_seconds():
    fig = plot_waveform(np.zeros(32000), sr=16000, title="dog")
    ax = fig.axes[0]
    assert ax.get_title() == "dog" and ax.get_xlabel() == "Time (s)" and ax.get_xlim() == (0, 2)
    assert len(ax.lines[0].get_xdata()) == 32000


def test_spectrogram_has_mel_axis_and_db_colorbar():
    spec = np.linspace(-80, 0, 128 * 157).reshape(128, 157)
    fig = plot_spectrogram(spec, title="cow")
    ax, colorbar = fig.axes
    assert ax.get_title() == "cow" and "mel" in ax.get_ylabel()
    assert colorbar.get_ylabel() == "Level (dB)"
    assert np.allclose(ax.collections[0].get_array().reshape(128, 157)[::-1].min(), -80)


def test_batch_grid_titles_each_item():
    fig = plot_batch(np.full((6, 128, 157), -40.0), ["a", "b", "c", "d", "e", "f"], ncols=4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["a", "b", "c", "d", "e", "f"]
    assert sum(not ax.axison for ax in fig.axes) == 2  # the unused cells of the 2 x 4 grid


def test_confusion_writes_counts_and_names():
    fig = plot_confusion(np.array([[3, 1], [0, 4]]), ["dog", "cow"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["3", "1", "0", "4"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["dog", "cow"]
    assert ax.get_xlabel() == "Predicted" and ax.get_ylabel() == "True" and len(fig.axes) == 2


def test_history_plots_train_and_validation():
    history = History([1.0, 0.8], [0.4, 0.6], [1.1, 0.9], [0.3, 0.5])
    fig = plot_history(history)
    loss_ax, acc_ax = fig.axes
    assert [line.get_label() for line in acc_ax.lines] == ["training", "validation"]
    assert list(acc_ax.lines[1].get_ydata()) == [0.3, 0.5]
    assert loss_ax.get_ylabel() == "Cross-entropy loss"


def test_shots_plot_has_one_line_per_arm_with_means():
    import pandas as pd

    from course_utils.plots import plot_shots

    study = pd.DataFrame({"arm": ["scratch", "scratch", "frozen", "frozen"] * 2, "shots": [2, 2, 2, 2, 8, 8, 8, 8],
                          "fold": [1, 2, 1, 2, 1, 2, 1, 2], "accuracy": [0.5, 0.7, 0.8, 0.8, 0.9, 0.9, 1.0, 0.8]})
    fig = plot_shots(study, n_classes=4)
    ax = fig.axes[0]
    lines = {container.get_label(): container.lines[0] for container in ax.containers}
    assert list(lines["scratch"].get_ydata()) == pytest.approx([0.6, 0.9])
    assert list(lines["frozen"].get_ydata()) == pytest.approx([0.8, 0.9])
    assert ax.get_xlabel() == "Training clips per category"


def test_split_bars_count_each_category():
    import pandas as pd

    train = pd.DataFrame({"category": ["dog"] * 3 + ["cow"] * 2})
    val = pd.DataFrame({"category": ["cow", "rain"]})
    fig = plot_split(train, val, title="split")
    ax = fig.axes[0]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["dog", "cow", "rain"]
    training, validation = ax.containers
    assert [bar.get_height() for bar in training] == [3, 2, 0]
    assert [bar.get_height() for bar in validation] == [0, 1, 1]
    assert ax.get_title() == "split"
