"""The same code on real ESC-50 clips (skipped where the partial copy is absent)."""

import pytest
import torch

from course_utils.audio import mel_spectrogram_db
from course_utils.esc50 import DownloadError, prepare_data
from course_utils.datasets import WavDataset
from course_utils.server import serve_directory

REAL_CATEGORIES = ["dog", "cow", "rooster", "vacuum_cleaner"]  # the sample lacks most bird clips


def test_real_sample_gives_the_chapter_split(real_sample, tmp_path):
    data = prepare_data(REAL_CATEGORIES, source=str(real_sample), cache_dir=tmp_path, progress=False)
    assert (len(data.train), len(data.val)) == (128, 32) and not data.standin
    dataset = WavDataset(data.val, data.audio_dir, data.categories, transform=mel_spectrogram_db)
    features, target, label = dataset[0]
    assert features.shape == torch.Size([128, 157]) and label in REAL_CATEGORIES
    waveform = WavDataset(data.val, data.audio_dir, data.categories)[0][0]
    assert waveform.shape == (80000,) and waveform.abs().max() <= 1


def test_real_sample_over_http(real_sample, tmp_path):
    with serve_directory(real_sample) as server:
        data = prepare_data(["cow"], source=server.url, cache_dir=tmp_path, progress=False, workers=4)
    assert (len(data.train), len(data.val)) == (32, 8)


def test_missing_real_clips_are_reported_by_name(real_sample, tmp_path):
    with pytest.raises(DownloadError) as caught:
        prepare_data(source=str(real_sample), cache_dir=tmp_path, progress=False, retries=0)
    assert len(caught.value.failures) == 32  # chirping_birds: only fold 4's 8 of 40 clips are present
    assert all("not in the source folder" in why for why in caught.value.failures.values())
