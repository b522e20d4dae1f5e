"""Exercise 6.3: shifted_datasets(train, val, audio_dir, categories, augment) -> (train_set, val_set)."""
from course_utils.audio import mel_spectrogram_db
from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.datasets import WavDataset


def shifted_datasets__right_direct(train, val, audio_dir, categories, augment):
    train_set = WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True)
    val_set = WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True)
    return train_set, val_set


def shifted_datasets__right_shared_options(train, val, audio_dir, categories, augment):
    common = dict(audio_dir=audio_dir, categories=list(categories), transform=mel_spectrogram_db, cache=True)
    return (WavDataset(metadata=train, augment=augment, **common),
            WavDataset(metadata=val, augment=None, **common))


# WRONG: augments the validation set too: validation no longer measures the clips as they are.
def shifted_datasets__wrong_augments_both(train, val, audio_dir, categories, augment):
    return (WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True),
            WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True))


# WRONG: puts the random augment inside the cached transform: each clip is shifted once, the shifted
# spectrogram is cached, and every epoch sees the same "random" shift.
def shifted_datasets__wrong_augment_inside_cached_transform(train, val, audio_dir, categories, augment):
    def shifted_mel(waveform):
        return augment(mel_spectrogram_db(waveform))

    return (WavDataset(train, audio_dir, categories, transform=shifted_mel, cache=True),
            WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True))


# WRONG: no cache=True: spectrograms are recomputed on every read (the exercise asks for cached ones).
def shifted_datasets__wrong_not_cached(train, val, audio_dir, categories, augment):
    return (WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment),
            WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db))


# WRONG: uses the course's default category list, not the `categories` argument (targets differ, or
# a ValueError for other categories).
def shifted_datasets__wrong_ignores_categories(train, val, audio_dir, categories, augment):
    return (WavDataset(train, audio_dir, DEFAULT_CATEGORIES, transform=mel_spectrogram_db, augment=augment,
                       cache=True),
            WavDataset(val, audio_dir, DEFAULT_CATEGORIES, transform=mel_spectrogram_db, cache=True))


# WRONG: copy-paste slip: the validation Dataset is built from the TRAINING rows.
def shifted_datasets__wrong_val_from_train_rows(train, val, audio_dir, categories, augment):
    return (WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True),
            WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, cache=True))


# WRONG: returns (val_set, train_set): the augmented set comes second.
def shifted_datasets__wrong_swapped_order(train, val, audio_dir, categories, augment):
    train_set = WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True)
    val_set = WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True)
    return val_set, train_set
