"""course_utils.recordings: any readable file in, as mono 16 kHz samples; every unusable one named with its reason."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from course_utils.recordings import SILENT_BELOW_DB, RecordingProblem, read_folder, read_recording


def _tone(seconds: float, rate: int, channels: int = 1, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    tone = amplitude * np.sin(2 * np.pi * 440 * t).astype(np.float32)
    return tone if channels == 1 else np.stack([tone] * channels, axis=1)


@pytest.mark.parametrize("fmt, rate, channels, seconds", [
    ("WAV", 8_000, 1, 2.0), ("FLAC", 48_000, 2, 0.5), ("OGG", 22_050, 1, 3.0), ("WAV", 16_000, 2, 61.0),
])
def test_any_rate_channels_and_common_format_becomes_mono_16_khz(tmp_path, fmt, rate, channels, seconds):
    path = tmp_path / f"a.{fmt.lower()}"
    sf.write(path, _tone(seconds, rate, channels), rate, format=fmt)
    recording = read_recording(path)
    assert recording.waveform.ndim == 1 and recording.waveform.dtype == np.float32
    assert recording.sample_rate == 16_000 and recording.seconds == pytest.approx(seconds, abs=1e-3)


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.write_bytes(b""), "the file is empty (0 bytes)"),
    (lambda p: p.write_text("Remember the kettle.\n"), "not a sound file this course can read (Format not recognised)"),
    (lambda p: sf.write(p, np.zeros(16_000, np.float32), 16_000, format="WAV"), "silent (every sample is zero)"),
    (lambda p: sf.write(p, _tone(1.0, 16_000, amplitude=10 ** (-70 / 20)), 16_000, format="WAV", subtype="FLOAT"),
     "silent (its loudest sample is -70 dB full scale, below -60)"),
])
def test_an_unusable_file_is_named_with_its_reason(tmp_path, make, reason):
    path = tmp_path / "take 3.wav"
    make(path)
    with pytest.raises(RecordingProblem) as raised:
        read_recording(path)
    assert str(raised.value) == f"take 3.wav: {reason}"


def test_a_quiet_recording_above_the_silence_line_is_kept(tmp_path):
    sf.write(tmp_path / "quiet.wav", _tone(1.0, 16_000, amplitude=10 ** ((SILENT_BELOW_DB + 3) / 20)), 16_000,
             format="WAV", subtype="FLOAT")
    assert read_recording(tmp_path / "quiet.wav").seconds == pytest.approx(1.0)


def test_a_folder_gives_what_it_can_and_names_the_rest_in_order(tmp_path):
    sf.write(tmp_path / "b.flac", _tone(1.0, 44_100), 44_100, format="FLAC")
    sf.write(tmp_path / "a.wav", _tone(2.0, 8_000), 8_000, format="WAV")
    (tmp_path / "c.wav").write_bytes(b"")
    (tmp_path / ".DS_Store").write_bytes(b"\0\1")
    (tmp_path / "sub").mkdir()
    read, problems = read_folder(tmp_path)
    assert [r.path.name for r in read] == ["a.wav", "b.flac"]
    assert problems == {"c.wav": "the file is empty (0 bytes)"}
    with pytest.raises(FileNotFoundError, match="no folder"):
        read_folder(tmp_path / "missing")
