import functools

import numpy as np
import pytest
import torch

from course_utils import datasets
from course_utils.audio import mel_spectrogram_db
from course_utils.cache import DiskCache, transform_key
from course_utils.esc50 import prepare_data
from course_utils.datasets import WavDataset


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    return prepare_data(["dog", "cow"], source="synthetic", cache_dir=tmp_path_factory.mktemp("c"), progress=False)


def test_transform_keys_change_with_parameters():
    keys = {
        transform_key(None),
        transform_key(mel_spectrogram_db),
        transform_key(functools.partial(mel_spectrogram_db, n_mels=64)),
        transform_key(functools.partial(mel_spectrogram_db, n_mels=32)),
        transform_key(functools.partial(mel_spectrogram_db, hop_length=256)),
    }
    assert len(keys) == 5


def test_anonymous_transforms_cannot_be_cached_on_disk():
    with pytest.raises(ValueError, match="named function"):
        transform_key(lambda w: w)


def test_disk_cache_computes_once_then_reads(chapter, tmp_path, monkeypatch):
    calls = []
    original = datasets.load_audio
    monkeypatch.setattr(datasets, "load_audio", lambda path, sr: calls.append(path) or original(path, sr))
    first = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db, cache=tmp_path)
    items = [first[i][0] for i in range(len(first))]
    assert len(calls) == len(first) and len(list(tmp_path.glob("*.npy"))) == len(first)
    second = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db, cache=tmp_path)
    again = [second[i][0] for i in range(len(second))]
    assert len(calls) == len(first)  # the new dataset read everything from disk
    assert all(torch.equal(a, b) for a, b in zip(items, again))


def test_changed_parameters_never_serve_stale_features(chapter, tmp_path):
    full = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db, cache=tmp_path)
    small = WavDataset(chapter.val, chapter.audio_dir, chapter.categories,
                       functools.partial(mel_spectrogram_db, n_mels=64), cache=tmp_path)
    slow = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db, sr=8000,
                      cache=tmp_path)
    assert full[0][0].shape == (128, 157) and small[0][0].shape == (64, 157)
    assert slow[0][0].shape == (128, 79)
    assert len(list(tmp_path.glob("*.npy"))) == 3


def test_a_changed_clip_file_is_recomputed(chapter, tmp_path):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db, cache=tmp_path)
    key_before = dataset._disk.key(chapter.audio_dir / dataset.filenames[0], 16000, mel_spectrogram_db)
    clip = chapter.audio_dir / dataset.filenames[0]
    clip.touch()  # a new modification time stands for new content
    import os

    os.utime(clip, ns=(clip.stat().st_atime_ns, clip.stat().st_mtime_ns + 10**9))
    assert dataset._disk.key(clip, 16000, mel_spectrogram_db) != key_before


def test_corrupt_entries_are_removed_and_recomputed(chapter, tmp_path):
    dataset = WavDataset(chapter.val, chapter.audio_dir, chapter.categories, mel_spectrogram_db, cache=tmp_path)
    want = dataset[0][0]
    (entry,) = tmp_path.glob("*.npy")
    entry.write_bytes(entry.read_bytes()[:100])
    assert torch.equal(dataset[0][0], want)
    assert DiskCache(tmp_path).load(entry.stem) is not None


def test_pickled_entries_are_refused(tmp_path):
    cache = DiskCache(tmp_path)
    np.save(tmp_path / "abc.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    assert cache.load("abc") is None and not (tmp_path / "abc.npy").exists()
