"""Exercise 2.2: mel_spectrogram(waveform, sr=16000)."""
import librosa
import numpy as np


def mel_spectrogram__right_librosa(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max, top_db=80.0).astype(np.float32)


def mel_spectrogram__right_manual_stft(waveform, sr=16_000):
    stft = librosa.stft(np.asarray(waveform, dtype=np.float32), n_fft=2048, hop_length=512)
    power = np.abs(stft) ** 2
    mel_basis = librosa.filters.mel(sr=sr, n_fft=2048, n_mels=128, fmax=8000.0)
    mel_power = mel_basis @ power
    amin = 1e-10
    db = 10.0 * np.log10(np.maximum(amin, mel_power)) - 10.0 * np.log10(max(amin, float(mel_power.max())))
    db = np.maximum(db, db.max() - 80.0)
    return db.astype(np.float32)


# WRONG: sampling rate typed in: passes sr=16000 to librosa whatever `sr` is (only wrong at 22.05 kHz).
def mel_spectrogram__wrong_ignores_sr(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=16000, n_fft=2048, hop_length=512, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max, top_db=80).astype(np.float32)


# WRONG: no fmax: librosa's default stops at sr/2, identical at 16 kHz but 11.025 kHz at 22.05 kHz.
def mel_spectrogram__wrong_no_fmax(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128)
    return librosa.power_to_db(power, ref=np.max, top_db=80).astype(np.float32)


# WRONG: amplitude_to_db on a POWER spectrogram: doubles every dB value (20*log10 of power), floor still -80.
def mel_spectrogram__wrong_amplitude_to_db(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128, fmax=8000)
    return librosa.amplitude_to_db(power, ref=np.max, top_db=80).astype(np.float32)


# WRONG: default ref=1.0: dB relative to 1, not to the loudest bin (max is not 0 dB).
def mel_spectrogram__wrong_ref_one(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, top_db=80).astype(np.float32)


# WRONG: power=1.0 makes a magnitude (not power) mel spectrogram, then treats it as power: dB values halved.
def mel_spectrogram__wrong_magnitude_not_power(waveform, sr=16_000):
    mag = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128, fmax=8000,
                                         power=1.0)
    return librosa.power_to_db(mag, ref=np.max, top_db=80).astype(np.float32)


# WRONG: transposed to (frames, 128) "time first", not (128, frames).
def mel_spectrogram__wrong_transposed(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max, top_db=80).astype(np.float32).T
