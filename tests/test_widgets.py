import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from course_utils.audio import mel_spectrogram_db  # noqa: E402
from course_utils.esc50 import prepare_data  # noqa: E402
from course_utils.datasets import WavDataset  # noqa: E402
from course_utils.widgets import (  # noqa: E402
    AugmentationExplorer,
    ClipExplorer,
    PredictionExplorer,
    augmentation_figure,
    clip_figure,
    prediction_figure,
)


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    return prepare_data(["dog", "cow"], source="synthetic", cache_dir=tmp_path_factory.mktemp("c"), progress=False)


def test_clip_figure_follows_the_settings():
    wave = np.random.default_rng(0).standard_normal(16000).astype(np.float32)
    fig = clip_figure(wave, "noise", n_mels=64, fmax=4000, hop_length=256)
    wave_ax, spec_ax = fig.axes[:2]
    assert wave_ax.get_title() == "noise"
    assert spec_ax.get_title() == "64 mel bands up to 4000 Hz, hop 256: 63 frames"


def test_augmentation_figure_shows_the_changed_spectrogram():
    spec = torch.zeros(128, 157)
    fig = augmentation_figure(spec, shift=10, freq_start=5, freq_width=3, time_start=20, time_width=4)
    after = fig.axes[1].collections[0].get_array().reshape(128, 157)[::-1]  # specshow draws bottom-up
    assert fig.axes[1].get_title().startswith("shift +10 frames, mel bands 5-8 masked, frames 20-24")
    assert (np.asarray(after)[:, :10] == -80).all()


class _Fixed(torch.nn.Module):
    """Predicts 'dog' for everything."""

    def forward(self, x):
        return torch.tensor([[5.0, 0.0]]).expand(len(x), 2)


def test_clip_explorer_redraws_when_a_control_moves(chapter):
    explorer = ClipExplorer(chapter.val, chapter.audio_dir, chapter.categories)
    explorer.redraw()
    assert explorer.figure.axes[1].get_title().startswith("128 mel bands")
    explorer.n_mels.value = 64
    assert explorer.figure.axes[1].get_title().startswith("64 mel bands")
    explorer.category.value = "cow"
    assert explorer.figure.axes[0].get_title().startswith("cow: ")


def test_clip_explorer_sends_a_picture_and_the_sound(chapter):
    explorer = ClipExplorer(chapter.val, chapter.audio_dir, chapter.categories)
    explorer.redraw()
    first_picture, first_sound = bytes(explorer.image.value), bytes(explorer.player.value)
    assert first_picture.startswith(b"\x89PNG") and first_sound.startswith(b"RIFF")
    explorer.fmax.value = 4000
    assert bytes(explorer.image.value).startswith(b"\x89PNG") and bytes(explorer.image.value) != first_picture
    assert bytes(explorer.player.value) == first_sound  # same clip, same sound
    explorer.clip.value = 1
    assert bytes(explorer.player.value) != first_sound


def test_augmentation_explorer_redraws(chapter):
    explorer = AugmentationExplorer(np.full((128, 157), -30.0, dtype=np.float32))
    explorer.shift.value = 12
    assert explorer.figure.axes[1].get_title().startswith("shift +12 frames")


def test_prediction_explorer_filters_to_mistakes(chapter):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db)
    explorer = PredictionExplorer(_Fixed(), dataset, chapter.categories)
    assert len(explorer.clip.options) == 16
    explorer.mistakes_only.value = True
    assert len(explorer.clip.options) == 8
    assert all(name in set(chapter.val.loc[chapter.val["category"] == "cow", "filename"])
               for name in explorer.clip.options)
    explorer.redraw()
    assert "(wrong)" in explorer.figure.axes[0].get_title()
    assert bytes(explorer.player.value) == (chapter.audio_dir / explorer.clip.value).read_bytes()


def test_prediction_explorer_with_no_mistakes_hides_the_player(chapter):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db)
    explorer = PredictionExplorer(_Fixed(), dataset, ["dog", "cow"])
    explorer.table["predicted"] = explorer.table["true"]  # a perfect model
    explorer.mistakes_only.value = True
    assert list(explorer.clip.options) == ["(no clips)"]
    explorer.redraw()
    assert explorer.figure.axes[0].get_title() == "no mistakes to show"
    assert bytes(explorer.player.value) == b"" and explorer.player.layout.display == "none"


def test_shown_explorer_carries_a_snapshot_of_its_first_state(chapter, monkeypatch):
    import base64

    from course_utils import widgets as module

    shown = []
    monkeypatch.setattr(module, "display", lambda data, raw, metadata: shown.append((data, metadata)))
    explorer = ClipExplorer(chapter.val, chapter.audio_dir, chapter.categories)
    explorer.show()
    (data, metadata), = shown
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    snapshot = metadata[module.SNAPSHOT_KEY]
    assert base64.b64decode(snapshot["png"]) == bytes(explorer.image.value)
    assert base64.b64decode(snapshot["wav"]).startswith(b"RIFF")
    assert "category: dog" in snapshot["settings"]


def test_the_true_class_is_marked_by_more_than_colour():
    import pandas as pd

    row = pd.Series({"filename": "1-100-A-0.wav", "true": "cow", "predicted": "dog", "dog": 0.7, "cow": 0.3})
    ax = prediction_figure(row, ["dog", "cow"]).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["dog", "cow (true)"]
    assert [bar.get_hatch() or "" for bar in ax.patches] == ["", "//"]
    assert [bar.get_width() for bar in ax.patches] == [0.7, 0.3]


def test_explorers_say_in_words_what_they_show_and_play(chapter, capsys):
    explorer = ClipExplorer(chapter.val, chapter.audio_dir, chapter.categories)
    explorer.redraw()
    caption = explorer.caption.value
    assert f"{explorer.selected()}: waveform, 5.0 s" in caption and "mel spectrogram, 128 mel bands" in caption
    assert "Sound: " in caption and "a dog barking" in caption
    explorer.category.value = "cow"
    assert "a cow mooing" in explorer.caption.value and "a dog barking" not in explorer.caption.value
    snapshot = explorer.snapshot()
    assert snapshot["description"].startswith("cow: ") and snapshot["sound_description"].startswith("Sound: ")
    assert capsys.readouterr().out == ""  # nothing printed below the cell by a redraw


def test_prediction_explorer_describes_the_clip_by_its_true_category(chapter):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db)
    explorer = PredictionExplorer(_Fixed(), dataset, chapter.categories)
    explorer.mistakes_only.value = True
    explorer.redraw()
    assert "true class cow" in explorer.caption.value and "a cow mooing" in explorer.caption.value
    explorer.table["predicted"] = explorer.table["true"]
    explorer.mistakes_only.value = False
    explorer.mistakes_only.value = True
    explorer.redraw()
    assert explorer.caption.value == "<p>No mistakes to show: the model got every validation clip right.</p>"


def test_the_prediction_title_fits_its_picture_and_the_picture_is_shown_sharp_at_its_size(chapter):
    import io

    import pandas as pd
    from matplotlib.image import imread

    from course_utils.widgets import SHOWN_DPI, figure_png

    categories = ["dog", "chirping_birds", "vacuum_cleaner", "crackling_fire"]
    row = pd.Series({"filename": "5-200334-A-14.wav", "true": "chirping_birds", "predicted": "crackling_fire",
                     **dict(zip(categories, [0.1, 0.2, 0.3, 0.4]))})
    fig = prediction_figure(row, categories)
    fig.canvas.draw()
    title = fig.axes[0].title.get_window_extent()
    assert 0 <= title.x0 and title.x1 <= fig.bbox.width and title.y1 <= fig.bbox.height
    drawn = imread(io.BytesIO(figure_png(fig)))
    assert drawn.shape[1] == round(fig.get_figwidth() * 2 * SHOWN_DPI)  # twice the shown width: sharp
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db)
    explorer = PredictionExplorer(_Fixed(), dataset, chapter.categories)
    explorer.redraw()
    assert explorer.image.layout.width == f"{round(explorer.figure.get_figwidth() * SHOWN_DPI)}px"
    assert explorer.snapshot()["width"] == explorer.image.layout.width.removesuffix("px")


def test_an_upload_is_saved_into_the_folder_as_it_arrives(tmp_path):
    import datetime

    from course_utils.widgets import RecordingsUpload

    upload = RecordingsUpload(tmp_path / "mine")
    upload.chooser.value = ({"name": "dog.wav", "type": "audio/wav", "size": 3, "content": memoryview(b"abc"),
                             "last_modified": datetime.datetime(2026, 12, 4)},)
    assert (tmp_path / "mine" / "dog.wav").read_bytes() == b"abc"
    upload.chooser.value = ({"name": ".hidden", "type": "", "size": 1, "content": memoryview(b"x"),
                             "last_modified": datetime.datetime(2026, 12, 4)},)
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["dog.wav"]


def test_the_upload_button_leaves_a_description_in_the_saved_notebook(tmp_path, monkeypatch):
    from course_utils import widgets as module
    from course_utils.notebook_format import SNAPSHOT_KEY

    shown = []
    monkeypatch.setattr(module, "display", lambda data, raw, metadata: shown.append((data, metadata)))
    module.RecordingsUpload(tmp_path / "mine").show()
    [(data, metadata)] = shown
    assert "application/vnd.jupyter.widget-view+json" in data and "run the notebook" in data["text/plain"]
    assert "saved into mine/" in metadata[SNAPSHOT_KEY]["caption"]
