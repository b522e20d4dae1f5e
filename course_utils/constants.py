"""Every fixed number and name the course relies on, in one place."""

from __future__ import annotations

# Where the real data set lives (https://github.com/karolpiczak/ESC-50, CC BY-NC 3.0).
ESC50_BASE_URL = "https://raw.githubusercontent.com/karolpiczak/ESC-50/master"
METADATA_PATH = "meta/esc50.csv"
AUDIO_DIR = "audio"

# Environment variables a learner or instructor may set.
ENV_SOURCE = "COURSE_DATA"
ENV_CACHE_DIR = "COURSE_DATA_DIR"
ENV_CATEGORIES = "COURSE_CATEGORIES"  # comma-separated, e.g. "dog,cow,rooster,vacuum_cleaner"

# The clips as ESC-50 ships them.
CLIP_SAMPLE_RATE = 44_100
CLIP_SECONDS = 5.0
CLIP_SAMPLES = int(CLIP_SAMPLE_RATE * CLIP_SECONDS)
CLIPS_PER_CATEGORY = 40
FOLDS = (1, 2, 3, 4, 5)

METADATA_COLUMNS = ("filename", "fold", "target", "category", "esc10", "src_file", "take")

# ESC-50's 50 categories, indexed by their `target` number.
ESC50_CATEGORIES = (
    "dog", "rooster", "pig", "cow", "frog", "cat", "hen", "insects", "sheep", "crow",
    "rain", "sea_waves", "crackling_fire", "crickets", "chirping_birds", "water_drops",
    "wind", "pouring_water", "toilet_flush", "thunderstorm", "crying_baby", "sneezing",
    "clapping", "breathing", "coughing", "footsteps", "laughing", "brushing_teeth",
    "snoring", "drinking_sipping", "door_wood_knock", "mouse_click", "keyboard_typing",
    "door_wood_creaks", "can_opening", "washing_machine", "vacuum_cleaner", "clock_alarm",
    "clock_tick", "glass_breaking", "helicopter", "chainsaw", "siren", "car_horn",
    "engine", "train", "church_bells", "airplane", "fireworks", "hand_saw",
)
ESC10_CATEGORIES = (
    "dog", "rooster", "rain", "sea_waves", "crackling_fire",
    "crying_baby", "sneezing", "clock_tick", "helicopter", "chainsaw",
)

# The chapter's task.
DEFAULT_CATEGORIES = ("dog", "cow", "chirping_birds", "vacuum_cleaner")
NOT_IN_CATEGORIES = "none of these"  # a model's answer when its best guess is not sure enough
VALIDATION_FOLD = 1

# Features: waveforms at 16 kHz and mel spectrograms in dB.
SAMPLE_RATE = 16_000
N_SAMPLES = int(SAMPLE_RATE * CLIP_SECONDS)  # 80,000
N_FFT = 2048
HOP_LENGTH = 512
N_MELS = 128
FMAX = 8_000.0
TOP_DB = 80.0
N_FRAMES = 1 + N_SAMPLES // HOP_LENGTH  # 157
