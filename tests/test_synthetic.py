import re

import numpy as np
import pytest
import soundfile as sf

from course_utils.constants import CLIP_SAMPLES, ESC10_CATEGORIES, ESC50_CATEGORIES
from course_utils.download import clip_problem
from course_utils.synthetic import category_of, generate_clip, standin_metadata, write_clip


def test_metadata_covers_all_categories_40_clips_8_per_fold():
    metadata = standin_metadata()
    assert len(metadata) == 2000 and metadata["filename"].is_unique
    assert (metadata.groupby("category").size() == 40).all()
    assert (metadata.groupby(["category", "fold"]).size() == 8).all()
    targets = metadata.drop_duplicates("category").set_index("target")["category"]
    assert tuple(targets.sort_index()) == ESC50_CATEGORIES
    assert set(metadata.loc[metadata["esc10"], "category"]) == set(ESC10_CATEGORIES)


def test_file_names_follow_esc50_pattern():
    for row in standin_metadata().itertuples():
        assert re.fullmatch(rf"{row.fold}-{row.src_file}-{row.take}-{row.target}\.wav", row.filename)
        assert category_of(row.filename) == row.category


def test_clips_are_deterministic_and_distinct():
    a = generate_clip("1-900000-A-0.wav")
    assert np.array_equal(a, generate_clip("1-900000-A-0.wav"))
    assert not np.array_equal(a, generate_clip("1-900001-A-0.wav"))
    assert a.dtype == np.float32 and a.shape == (CLIP_SAMPLES,) and np.abs(a).max() < 1


def test_written_clip_is_5s_mono_16bit_44k(tmp_path):
    path = write_clip("2-900010-A-3.wav", tmp_path)
    info = sf.info(path)
    assert (info.samplerate, info.channels, info.frames, info.subtype) == (44100, 1, 220500, "PCM_16")
    assert clip_problem(path) is None
    assert [p.name for p in tmp_path.iterdir()] == ["2-900010-A-3.wav"]


@pytest.mark.parametrize("name", ["dog.wav", "1-2-A-50.wav", "1-2-A-x.wav"])
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="not an ESC-50 file name"):
        generate_clip(name)


def _spectral_centroid(clip):
    spectrum = np.abs(np.fft.rfft(clip)) ** 2  # power: the events dominate the faint noise floor
    freqs = np.fft.rfftfreq(len(clip), 1 / 44100)
    return (spectrum * freqs).sum() / spectrum.sum()


def test_recipes_sound_like_their_names():
    """Median power-spectrum centroid: the cow is lowest, the birds highest."""
    metadata = standin_metadata()

    def centroid(category):
        names = metadata.loc[metadata["category"] == category, "filename"][:8]
        return np.median([_spectral_centroid(generate_clip(n)) for n in names])

    assert centroid("cow") < centroid("dog") < centroid("chirping_birds")
    assert centroid("cow") < centroid("vacuum_cleaner")


def test_clips_vary_in_onset_and_gain():
    names = standin_metadata().query("category == 'dog'")["filename"][:10]
    peaks = [np.abs(generate_clip(n)).max() for n in names]
    first_loud = [np.argmax(np.abs(generate_clip(n)) > 0.2) for n in names]
    assert np.std(peaks) > 0.05 and len(set(first_loud)) == 10
