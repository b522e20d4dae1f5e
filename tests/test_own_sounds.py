"""course_utils.own_sounds: generated recordings as varied as a learner's, three of them unusable."""

from __future__ import annotations

import pytest
import soundfile as sf

from course_utils.own_sounds import NOT_IN_CATEGORIES, UNUSABLE, write_own_recordings
from course_utils.recordings import read_folder

CATEGORIES = ["rooster", "rain", "sea_waves", "helicopter"]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    return folder, write_own_recordings(folder, CATEGORIES)


def test_each_file_has_the_format_rate_channels_and_length_its_row_gives(made):
    folder, table = made
    usable = table[table["seconds"].notna()]
    assert set(usable["format"]) == {"WAV", "FLAC", "OGG", "MP3"} and len(usable) == 7
    assert set(usable["holds"]) == {*CATEGORIES, NOT_IN_CATEGORIES}
    assert usable["seconds"].min() == 0.5 and usable["seconds"].max() == 60 and set(usable["channels"]) == {1, 2}
    for row in usable.itertuples():
        info = sf.info(folder / row.file)
        assert (info.format, info.samplerate, info.channels) == (row.format, row.sample_rate, row.channels)
        assert info.duration == pytest.approx(row.seconds, abs=0.01), row.file
        assert row.holds == NOT_IN_CATEGORIES or row.file.startswith(row.holds)


def test_exactly_the_three_unusable_files_are_refused_each_for_its_reason(made):
    folder, table = made
    read, problems = read_folder(folder)
    assert sorted(problems) == sorted(UNUSABLE) == sorted(table[table["seconds"].isna()]["file"])
    for name, why in UNUSABLE.items():
        assert why in problems[name], (name, problems[name])
    assert len(read) == 7


def test_the_same_call_writes_the_same_sounds(tmp_path, made):
    folder, table = made
    write_own_recordings(tmp_path, CATEGORIES)
    for name in table[table["format"].isin(["WAV", "FLAC"])]["file"]:
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_a_new_category_is_eight_different_recordings_of_one_sound(tmp_path):
    from course_utils.own_sounds import KETTLES, write_new_category

    paths = write_new_category(tmp_path / "new", "whistle")
    assert [p.name for p in paths][:2] == ["whistle_1.wav", "whistle_2.flac"] and len(paths) == len(KETTLES) == 8
    read, problems = read_folder(tmp_path / "new")
    assert problems == {} and len(read) == 8
    for path, (rate, channels, seconds, *_) in zip(paths, KETTLES):
        info = sf.info(path)
        assert (info.samplerate, info.channels) == (rate, channels) and info.duration == pytest.approx(seconds, abs=0.01)
    assert len({r.waveform[:16_000].tobytes() for r in read}) == 8  # no two alike
    assert write_new_category(tmp_path / "again", "whistle")[1].read_bytes() == paths[1].read_bytes()


def test_real_clips_given_for_a_category_are_what_its_recordings_are_made_of(tmp_path):
    import numpy as np

    tone = tmp_path / "1-1-A-1.wav"  # five seconds of 440 Hz, standing in for a real clip of rooster
    sf.write(tone, (0.5 * np.sin(2 * np.pi * 440 * np.arange(5 * 44_100) / 44_100)).astype(np.float32), 44_100)
    table = write_own_recordings(tmp_path / "own", CATEGORIES, clips={"rooster": [tone]})
    assert table.loc[0, "file"] == "rooster_phone.wav" and table.loc[0, "sample_rate"] == 8_000

    def strongest_hz(name: str) -> float:
        samples, rate = sf.read(tmp_path / "own" / name)
        spectrum = np.abs(np.fft.rfft(samples if samples.ndim == 1 else samples[:, 0]))
        return float(np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()])

    assert strongest_hz("rooster_phone.wav") == pytest.approx(440, abs=1)  # 12 s: the tone, again and again
    assert strongest_hz("rain_field.flac") != pytest.approx(440, abs=5)  # no clips given: the stand-in's rain
