"""Explorers for the notebooks: look at and listen to clips, augmentations and predictions.

What is drawn for which settings lives in plain functions (`clip_figure`, `augmentation_figure`,
`prediction_table`, `prediction_figure`), tested without a browser; the explorer classes only
wire ipywidgets controls to them and keep the last figure in `.figure`.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from IPython.display import Audio, display
from matplotlib.figure import Figure

from . import describe
from .alt_text import attach, description, quietly
from .audio import load_audio, mel_spectrogram_db
from .augment import frequency_mask, time_mask, time_shift
from .constants import FMAX, HOP_LENGTH, N_MELS, SAMPLE_RATE
from .listen import sound_caption
from .notebook_format import SNAPSHOT_KEY
from .plots import COLOURS, plot_spectrogram, plot_waveform
from .evaluation import prediction_table



def clip_figure(waveform: np.ndarray, title: str, n_mels: int = N_MELS, fmax: float = FMAX,
                hop_length: int = HOP_LENGTH, sr: int = SAMPLE_RATE) -> Figure:
    """Waveform above its mel spectrogram, computed with the given settings."""
    fig, (wave_ax, spec_ax) = plt.subplots(2, 1, figsize=(9, 5.5), layout="constrained",
                                           height_ratios=(1, 2))
    plot_waveform(waveform, sr, title=title, ax=wave_ax)
    spec = mel_spectrogram_db(waveform, sr, n_mels=n_mels, fmax=fmax, hop_length=hop_length)
    plot_spectrogram(spec, sr, hop_length, fmax, ax=spec_ax,
                     title=f"{n_mels} mel bands up to {fmax:.0f} Hz, hop {hop_length}: {spec.shape[1]} frames")
    return fig


def augmentation_figure(spec: np.ndarray | torch.Tensor, shift: int = 0, freq_start: int = 0,
                        freq_width: int = 0, time_start: int = 0, time_width: int = 0) -> Figure:
    """The spectrogram before and after a time shift, a frequency mask and a time mask."""
    changed = time_shift(spec, shift)
    changed = frequency_mask(changed, freq_start, freq_width)
    changed = time_mask(changed, time_start, time_width)
    fig, (before_ax, after_ax) = plt.subplots(1, 2, figsize=(12, 3.4), layout="constrained")
    plot_spectrogram(np.asarray(spec), ax=before_ax, colorbar=False, title="original")
    plot_spectrogram(changed.numpy(), ax=after_ax, title=(
        f"shift {shift:+d} frames, mel bands {freq_start}-{freq_start + freq_width} masked, "
        f"frames {time_start}-{time_start + time_width} masked"))
    return fig


def prediction_figure(row: pd.Series, categories: Sequence[str]) -> Figure:
    """Bar chart of one clip's class probabilities, the true class marked by colour, hatching and name."""
    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    true = [c == row["true"] for c in categories]
    names = [f"{c} (true)" if is_true else c for c, is_true in zip(categories, true)]
    ax.barh(names, [row[c] for c in categories], color=[COLOURS[0] if t else COLOURS[2] for t in true],
            hatch=["//" if t else "" for t in true], edgecolor="black")
    verdict = "correct" if row["true"] == row["predicted"] else "wrong"
    ax.set(xlim=(0, 1), xlabel="Predicted probability",
           title=f"{row['filename']}\ntrue {row['true']}, predicted {row['predicted']} ({verdict})")
    attach(fig, describe.prediction({c: row[c] for c in categories}, row["true"], row["predicted"], row["filename"]))
    return fig


class _Explorer:
    """Controls above a picture of the figure (and a player) that are redrawn when a control changes.

    Below them, a caption says in words what the figure shows and what the clip sounds like.

    The figure is sent as a PNG to an `Image` widget rather than through an `Output` widget:
    that works the same in JupyterLab, Colab and headless runs, where captured output can stall.
    """

    def __init__(self, controls: list[widgets.Widget]):
        self.controls = controls
        self.image = widgets.Image(format="png", layout={"max_width": "100%"})
        self.player = widgets.Audio(format="wav", autoplay=False, controls=True)
        self.caption = widgets.HTML()
        self.figure: Figure | None = None
        for control in controls:
            control.observe(lambda change: self.redraw(), names="value")
        self.widget = widgets.VBox([widgets.HBox(controls, layout={"flex_flow": "row wrap"}),
                                    self.image, self.player, self.caption])

    def draw(self) -> Figure:
        raise NotImplementedError

    def sound(self) -> bytes:
        """WAV bytes for the player; empty when there is nothing to hear."""
        return b""

    def sound_description(self) -> str:
        """What the clip in the player is and what to listen for; empty when there is none."""
        return ""

    def redraw(self) -> None:
        with quietly():  # shown in the caption, not printed below the cell
            self.figure = self.draw()
        self.image.value = figure_png(self.figure)
        self.image.layout.width = f"{shown_width(self.figure)}px"
        plt.close(self.figure)  # kept in .figure for inspection, not shown again below the cell
        wav = self.sound()
        self.player.value = wav
        self.player.layout.display = None if wav else "none"
        self.caption.value = "".join(f"<p>{html.escape(text)}</p>" for text in
                                     (description(self.figure), self.sound_description()) if text)

    def show(self) -> None:
        """Draw for the current settings and display the controls with the figure.

        The output's metadata carries a snapshot of this first state (settings, picture, sound),
        which frontends ignore and the course's web pages show where no kernel runs the widget.
        """
        self.redraw()
        view = {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}
        display({"text/plain": f"{type(self).__name__} (interactive: run the notebook to use it)",
                 "application/vnd.jupyter.widget-view+json": view},
                raw=True, metadata={SNAPSHOT_KEY: self.snapshot()})

    def snapshot(self) -> dict[str, str]:
        """The current settings as text, the picture as base64 PNG and the sound as base64 WAV."""
        return {"settings": "; ".join(f"{c.description or type(c).__name__}: {c.value}" for c in self.controls),
                "description": description(self.figure), "sound_description": self.sound_description(),
                "width": str(shown_width(self.figure)),
                "png": base64.b64encode(bytes(self.image.value)).decode(),
                "wav": base64.b64encode(bytes(self.player.value)).decode()}


# Explorers show a figure at 80 pixels per inch of its size, drawn at twice that so that it stays
# sharp on high-density screens; the picture is never stretched beyond its size.
SHOWN_DPI, DRAWN_DPI = 80, 160


def figure_png(figure: Figure, dpi: int = DRAWN_DPI) -> bytes:
    """The figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def shown_width(figure: Figure) -> int:
    """The width in CSS pixels at which an explorer shows the figure."""
    return round(figure.get_figwidth() * SHOWN_DPI)


class ClipExplorer(_Explorer):
    """Pick a category and clip, hear it, and change the spectrogram's settings."""

    def __init__(self, metadata: pd.DataFrame, audio_dir, categories: Sequence[str]):
        self.metadata, self.audio_dir = metadata, audio_dir
        self.category = widgets.Dropdown(options=list(categories), description="category")
        self.clip = widgets.IntSlider(0, 0, 7, description="clip")
        self.n_mels = widgets.IntSlider(N_MELS, 16, 128, step=16, description="mel bands")
        self.fmax = widgets.IntSlider(int(FMAX), 1000, 8000, step=500, description="fmax (Hz)")
        self.hop = widgets.Dropdown(options=[128, 256, 512, 1024], value=HOP_LENGTH, description="hop")
        self._waveforms: dict[str, np.ndarray] = {}
        super().__init__([self.category, self.clip, self.n_mels, self.fmax, self.hop])

    def selected(self) -> str:
        rows = self.metadata[self.metadata["category"] == self.category.value]
        return rows.iloc[min(self.clip.value, len(rows) - 1)]["filename"]

    def waveform(self) -> np.ndarray:
        name = self.selected()
        if name not in self._waveforms:
            self._waveforms[name] = load_audio(self.audio_dir / name)
        return self._waveforms[name]

    def draw(self) -> Figure:
        return clip_figure(self.waveform(), f"{self.category.value}: {self.selected()}",
                           self.n_mels.value, self.fmax.value, self.hop.value)

    def sound(self) -> bytes:
        return Audio(self.waveform(), rate=SAMPLE_RATE).data

    def sound_description(self) -> str:
        return sound_caption(self.waveform(), SAMPLE_RATE, self.category.value, self.selected())


class AugmentationExplorer(_Explorer):
    """One spectrogram under a time shift and frequency and time masks of chosen strength."""

    def __init__(self, spec: np.ndarray | torch.Tensor):
        self.spec = torch.as_tensor(np.asarray(spec))
        mels, frames = self.spec.shape
        self.shift = widgets.IntSlider(0, -frames // 2, frames // 2, description="time shift")
        self.freq_start = widgets.IntSlider(0, 0, mels - 1, description="mel mask at")
        self.freq_width = widgets.IntSlider(0, 0, 32, description="mel mask width")
        self.time_start = widgets.IntSlider(0, 0, frames - 1, description="time mask at")
        self.time_width = widgets.IntSlider(0, 0, 40, description="time mask width")
        super().__init__([self.shift, self.freq_start, self.freq_width, self.time_start, self.time_width])

    def draw(self) -> Figure:
        return augmentation_figure(self.spec, self.shift.value, self.freq_start.value, self.freq_width.value,
                                   self.time_start.value, self.time_width.value)


class PredictionExplorer(_Explorer):
    """Browse validation clips: hear each, see true vs predicted label and the probabilities."""

    def __init__(self, model: torch.nn.Module, dataset, categories: Sequence[str]):
        self.table = prediction_table(model, dataset, categories)
        self.categories, self.audio_dir = list(categories), dataset.audio_dir
        self.mistakes_only = widgets.Checkbox(False, description="only mistakes")
        self.clip = widgets.Dropdown(options=self._choices(), description="clip")
        self.mistakes_only.observe(lambda change: setattr(self.clip, "options", self._choices()), names="value")
        super().__init__([self.mistakes_only, self.clip])

    def _choices(self) -> list[str]:
        rows = self.table[self.table["true"] != self.table["predicted"]] if self.mistakes_only.value else self.table
        return list(rows["filename"]) or ["(no clips)"]

    def _selected_row(self) -> pd.Series | None:
        """The table's row for the chosen clip; None when there is none ("(no clips)")."""
        rows = self.table[self.table["filename"] == self.clip.value]
        return rows.iloc[0] if len(rows) else None

    def draw(self) -> Figure:
        row = self._selected_row()
        if row is None:
            fig, ax = plt.subplots(figsize=(6, 1))
            ax.set_axis_off()
            ax.set_title("no mistakes to show")
            attach(fig, "No mistakes to show: the model got every validation clip right.")
            return fig
        return prediction_figure(row, self.categories)

    def sound(self) -> bytes:
        if self._selected_row() is None:
            return b""
        return (Path(self.audio_dir) / self.clip.value).read_bytes()

    def sound_description(self) -> str:
        row = self._selected_row()
        if row is None:
            return ""
        samples = load_audio(Path(self.audio_dir) / self.clip.value)
        return sound_caption(samples, SAMPLE_RATE, row["true"], self.clip.value)


class RecordingsUpload:
    """A file chooser for recordings; each upload is saved into `folder` at once, and listed below it."""

    def __init__(self, folder: str | Path):
        from .uploads import save_uploads

        self.folder = Path(folder)
        self.chooser = widgets.FileUpload(accept=".wav,.flac,.ogg,.mp3,audio/*", multiple=True,
                                          description="Recordings")
        self.status = widgets.Output()

        def on_upload(change: dict) -> None:
            with self.status:
                try:
                    saved = save_uploads(change["new"], self.folder)
                except ValueError as error:
                    print(error)
                    return
                print(f"saved {len(saved)} file(s) to {self.folder}: {', '.join(p.name for p in saved)}")

        self.chooser.observe(on_upload, names="value")

    def show(self) -> None:
        """Display the chooser; a saved notebook and the web pages say in words what it was."""
        box = widgets.VBox([self.chooser, self.status])
        view = {"version_major": 2, "version_minor": 0, "model_id": box.model_id}
        caption = (f"A button to choose your recordings (none chosen here); each file is saved into "
                   f"{self.folder.name}/ as it arrives. Open the notebook in Colab, Binder or JupyterLab to use it.")
        display({"text/plain": "RecordingsUpload (interactive: run the notebook to choose files)",
                 "application/vnd.jupyter.widget-view+json": view}, raw=True,
                metadata={SNAPSHOT_KEY: {"settings": "none chosen", "caption": caption}})
