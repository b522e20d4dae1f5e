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


# ---- no series told apart by colour alone --------------------------------------------------

def _legend_styles(ax) -> list[tuple]:
    """(marker, line style, hatch) of each legend entry: what remains when colour is not seen."""
    from matplotlib.container import BarContainer, ErrorbarContainer

    styles = []
    for handle in ax.get_legend_handles_labels()[0]:
        if isinstance(handle, BarContainer):
            styles.append((None, None, handle.patches[0].get_hatch() or ""))
        else:
            line = handle.lines[0] if isinstance(handle, ErrorbarContainer) else handle
            styles.append((line.get_marker(), line.get_linestyle(), None))
    return styles


def _colour_blind_safe(ax) -> bool:
    from matplotlib.colors import to_hex

    from course_utils.plots import COLOURS

    allowed = {c.lower() for c in COLOURS} | {"#000000"}
    colours = {to_hex(line.get_color()) for line in ax.lines}
    colours |= {to_hex(patch.get_facecolor()) for container in ax.containers if hasattr(container, "patches")
                for patch in container.patches}
    return colours <= allowed


def _cross_validations():
    from course_utils.crossval import CrossValidation

    return {"baseline": CrossValidation({1: 0.5, 2: 0.6, 3: 0.55, 4: 0.7, 5: 0.6}),
            "batch norm": CrossValidation({1: 0.7, 2: 0.75, 3: 0.65, 4: 0.8, 5: 0.7})}


def _figures():
    import pandas as pd

    from course_utils.plots import plot_arms, plot_folds, plot_shots

    history = History([1.0, 0.8], [0.4, 0.6], [1.1, 0.9], [0.3, 0.5])
    study = pd.DataFrame({"arm": ["scratch", "frozen", "from other sounds"] * 2, "shots": [2, 2, 2, 8, 8, 8],
                          "fold": [1] * 6, "accuracy": [0.5, 0.7, 0.6, 0.8, 0.9, 0.85]})
    return {"history": plot_history(history), "shots": plot_shots(study, n_classes=4),
            "arms": plot_arms({"no shift": history, "random shift": History([1, 1], [0, 0], [2, 1.5], [0.2, 0.4])}),
            "folds": plot_folds(_cross_validations(), n_classes=4),
            "split": plot_split(pd.DataFrame({"category": ["dog", "cow"]}), pd.DataFrame({"category": ["cow"]}))}


@pytest.mark.parametrize("name", ["history", "shots", "arms", "folds", "split"])
def test_no_series_is_told_apart_by_colour_alone(name):
    figure = _figures()[name]
    legends = [ax for ax in figure.axes if ax.get_legend_handles_labels()[0]]
    assert legends, "a figure with several series needs a legend"
    for ax in legends:
        styles = _legend_styles(ax)
        assert len(styles) >= 2 and len(set(styles)) == len(styles), styles
        assert _colour_blind_safe(ax)


def test_the_check_would_catch_series_that_differ_in_colour_only():
    fig, ax = plt.subplots()
    ax.plot([0, 1], "o-", color="tab:green", label="a")
    ax.plot([1, 0], "o-", color="tab:red", label="b")
    styles = _legend_styles(ax)
    assert len(set(styles)) < len(styles) and not _colour_blind_safe(ax)


def test_the_folds_plot_shows_every_fold_and_the_means():
    figure = _figures()["folds"]
    ax = figure.axes[0]
    folds = [line for line in ax.lines if line.get_marker() == "x"]
    assert [list(line.get_xdata()) for line in folds] == [[0.5, 0.6, 0.55, 0.7, 0.6], [0.7, 0.75, 0.65, 0.8, 0.7]]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["baseline", "batch norm"]


# ---- every figure described in words -----------------------------------------------------------

def _described_figures():
    from course_utils.widgets import prediction_figure

    row = {"filename": "1-1-A-0.wav", "true": "dog", "predicted": "cow", "dog": 0.3, "cow": 0.7}
    return {**_figures(),
            "waveform": plot_waveform(np.r_[np.zeros(8000), 0.5 * np.ones(800), np.zeros(23200)], title="dog"),
            "spectrogram": plot_spectrogram(np.linspace(-80, 0, 128 * 157).reshape(128, 157), title="cow"),
            "batch": plot_batch(np.full((2, 128, 157), -40.0), ["dog", "cow"]),
            "confusion": plot_confusion(np.array([[3, 1], [0, 4]]), ["dog", "cow"]),
            "prediction": prediction_figure(row, ["dog", "cow"])}


# A number each description must contain, read from the data the test drew (not from the picture).
FROM_THE_DATA = {"history": "0.40 to 0.60", "shots": "0.70 ± 0.00 at 2", "arms": "random shift: accuracy 0.20 to 0.40",
                 "folds": "baseline: mean 0.59", "split": "dog 1 and 0; cow 1 and 1", "waveform": "peak amplitude 0.50 at 0.5 s",
                 "spectrogram": "128 mel bands up to 8 kHz, 5.0 s", "batch": "1 dog, 1 cow",
                 "confusion": "7 right (88%)", "prediction": "cow 0.70, dog 0.30; the model predicts cow (wrong)"}


@pytest.mark.parametrize("name", sorted(FROM_THE_DATA))
def test_every_plotting_helper_describes_what_it_drew(name):
    from course_utils.alt_text import description

    text = description(_described_figures()[name])
    assert FROM_THE_DATA[name] in text, text


def test_a_spectrogram_drawn_into_a_grid_adds_to_the_grid_figures_description():
    from course_utils.alt_text import description

    fig, axes = plt.subplots(1, 2)
    for ax, title in zip(axes, ["Clip A", "Clip B"]):
        plot_spectrogram(np.full((128, 157), -50.0), title=title, ax=ax)
    assert [part.split(":")[0] for part in description(fig).split(". ")] == ["Clip A", "Clip B"]
