"""Helpers for the course's lessons on deep learning for audio (ESC-50)."""

from .constants import DEFAULT_CATEGORIES, N_SAMPLES, SAMPLE_RATE

__version__ = "0.1.0"
__all__ = ["DEFAULT_CATEGORIES", "N_SAMPLES", "SAMPLE_RATE", "__version__"]
