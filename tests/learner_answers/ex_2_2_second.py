import librosa
import numpy as np

SR = 16_000  # module-level sampling rate


def mel_spectrogram__right_librosa(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512,
                                           n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max, top_db=80.0).astype(np.float32)


def mel_spectrogram__right_manual_stft(waveform, sr=16_000):
    stft = librosa.stft(waveform, n_fft=2048, hop_length=512)
    power = np.abs(stft) ** 2
    basis = librosa.filters.mel(sr=sr, n_fft=2048, n_mels=128, fmax=8000)
    mel = basis @ power
    amin = 1e-10
    db = 10.0 * np.log10(np.maximum(amin, mel)) - 10.0 * np.log10(np.maximum(amin, mel.max()))
    db = np.maximum(db, db.max() - 80.0)
    return db.astype(np.float32)


# WRONG: no fmax, so librosa stops at sr/2: right at 16 kHz, wrong at 22.05 kHz.
def mel_spectrogram__wrong_default_fmax(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512, n_mels=128)
    return librosa.power_to_db(power, ref=np.max, top_db=80.0).astype(np.float32)


# WRONG: uses the module-level SR (16 kHz) instead of the `sr` argument.
def mel_spectrogram__wrong_global_sr(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=SR, n_fft=2048, hop_length=512,
                                           n_mels=128, fmax=8000)
    return librosa.power_to_db(power, ref=np.max, top_db=80.0).astype(np.float32)


_reference = {}


# WRONG: caches the reference level (loudest bin) of the first clip and reuses it for every later clip.
def mel_spectrogram__wrong_cached_reference(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512,
                                           n_mels=128, fmax=8000)
    if "ref" not in _reference:
        _reference["ref"] = float(power.max())
    return librosa.power_to_db(power, ref=_reference["ref"], top_db=80.0).astype(np.float32)


# WRONG: magnitude (power=1.0) mel spectrogram passed to power_to_db: half the dB range it should have.
def mel_spectrogram__wrong_magnitude_not_power(waveform, sr=16_000):
    mag = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512,
                                         n_mels=128, fmax=8000, power=1.0)
    return librosa.power_to_db(mag, ref=np.max, top_db=80.0).astype(np.float32)


# WRONG: center=False, so windows are not centred: fewer frames and shifted columns.
def mel_spectrogram__wrong_not_centred(waveform, sr=16_000):
    power = librosa.feature.melspectrogram(y=waveform, sr=sr, n_fft=2048, hop_length=512,
                                           n_mels=128, fmax=8000, center=False)
    return librosa.power_to_db(power, ref=np.max, top_db=80.0).astype(np.float32)
