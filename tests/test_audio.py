import numpy as np
import pytest
import soundfile as sf

from course_utils.audio import AudioFileError, load_audio, mel_spectrogram_db


def _sine(path, freq=440.0, sr=44100, seconds=5.0, channels=1):
    t = np.arange(int(sr * seconds)) / sr
    wave = 0.5 * np.sin(2 * np.pi * freq * t)
    sf.write(path, np.stack([wave] * channels, axis=1), sr, subtype="PCM_16")
    return path


def test_resamples_to_16k_and_keeps_pitch(tmp_path):
    samples = load_audio(_sine(tmp_path / "a.wav"))
    assert samples.shape == (80000,) and samples.dtype == np.float32
    peak_hz = np.argmax(np.abs(np.fft.rfft(samples))) * 16000 / len(samples)
    assert abs(peak_hz - 440) < 1


def test_stereo_is_mixed_to_mono(tmp_path):
    samples = load_audio(_sine(tmp_path / "s.wav", channels=2), sr=44100)
    assert samples.shape == (220500,) and np.abs(samples).max() == pytest.approx(0.5, abs=1e-3)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.wav"):
        load_audio(tmp_path / "nothing.wav")


@pytest.mark.parametrize("content", [b"", b"<html>not audio</html>", b"RIFF\x00\x00\x00\x00WAVEjunk"])
def test_corrupt_file_is_named(tmp_path, content):
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFileError, match="broken.wav"):
        load_audio(path)


def test_mel_spectrogram_shape_and_range(tmp_path):
    spec = mel_spectrogram_db(load_audio(_sine(tmp_path / "a.wav")))
    assert spec.shape == (128, 157) and spec.dtype == np.float32
    assert spec.max() == 0 and spec.min() >= -80
    loudest_band = spec.mean(axis=1).argmax()
    assert loudest_band < 30  # 440 Hz sits low on a mel axis up to 8 kHz


def test_mel_spectrogram_parameters():
    spec = mel_spectrogram_db(np.zeros(16000, dtype=np.float32) + 1e-3, n_mels=64, hop_length=256)
    assert spec.shape == (64, 63)


def test_truncated_wav_is_named(tmp_path):
    path = _sine(tmp_path / "cut.wav")
    path.write_bytes(path.read_bytes()[:30])
    with pytest.raises(AudioFileError, match="cut.wav"):
        load_audio(path)


def test_a_silent_clip_gives_finite_decibels():
    """With ref=np.max every bin of silence equals the loudest one: 0 dB everywhere, never inf or nan."""
    spectrogram = mel_spectrogram_db(np.zeros(80000, dtype=np.float32))
    assert spectrogram.shape == (128, 157) and np.isfinite(spectrogram).all()
    assert (spectrogram == 0).all()
