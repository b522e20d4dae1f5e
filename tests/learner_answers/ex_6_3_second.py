from course_utils.audio import mel_spectrogram_db
from course_utils.datasets import WavDataset

# Module-level category list copied from the notebook.
CATEGORIES = ["dog", "cow", "chirping_birds", "vacuum_cleaner"]


def shifted_datasets__right_direct(train, val, audio_dir, categories, augment):
    train_set = WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True)
    val_set = WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True)
    return train_set, val_set


def shifted_datasets__right_helper(train, val, audio_dir, categories, augment):
    def make(rows, extra=None):
        return WavDataset(rows, audio_dir, list(categories), transform=mel_spectrogram_db, augment=extra, cache=True)

    return (make(train, augment), make(val))


# WRONG: one shared kwargs dict gets augment added before the validation set is built, so both are augmented.
def shifted_datasets__wrong_shared_kwargs_leak(train, val, audio_dir, categories, augment):
    options = {"transform": mel_spectrogram_db, "cache": True}
    options["augment"] = augment
    train_set = WavDataset(train, audio_dir, categories, **options)
    val_set = WavDataset(val, audio_dir, categories, **options)
    return train_set, val_set


# WRONG: the training set is not cached (cache=False), though the exercise asks for cached spectrograms in both.
def shifted_datasets__wrong_train_not_cached(train, val, audio_dir, categories, augment):
    train_set = WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=False)
    val_set = WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True)
    return train_set, val_set


# WRONG: the augmentation is folded into the cached transform, so each clip keeps its first random shift forever.
def shifted_datasets__wrong_augment_inside_cached_transform(train, val, audio_dir, categories, augment):
    def spectrogram_then_shift(waveform):
        return augment(mel_spectrogram_db(waveform))

    train_set = WavDataset(train, audio_dir, categories, transform=spectrogram_then_shift, cache=True)
    val_set = WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, cache=True)
    return train_set, val_set


# WRONG: uses the module-level CATEGORIES instead of the `categories` argument (wrong targets for other category lists).
def shifted_datasets__wrong_global_categories(train, val, audio_dir, categories, augment):
    train_set = WavDataset(train, audio_dir, CATEGORIES, transform=mel_spectrogram_db, augment=augment, cache=True)
    val_set = WavDataset(val, audio_dir, CATEGORIES, transform=mel_spectrogram_db, cache=True)
    return train_set, val_set


# WRONG: train and val rows are swapped: the returned "training" set holds the validation rows (and is augmented).
def shifted_datasets__wrong_rows_swapped(train, val, audio_dir, categories, augment):
    train_set = WavDataset(val, audio_dir, categories, transform=mel_spectrogram_db, augment=augment, cache=True)
    val_set = WavDataset(train, audio_dir, categories, transform=mel_spectrogram_db, cache=True)
    return train_set, val_set
