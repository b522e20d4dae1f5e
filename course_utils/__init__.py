"""Helpers for the course's lessons on deep learning for audio (ESC-50).

What the lessons import, in the order the chapter meets it:
- esc50, sources, download: ESC-50's metadata and the split, where the clips come from, fetching
  only those needed;
  synthetic and server: the offline stand-in and the local server that serves it;
- audio, datasets, cache: waveforms and mel spectrograms, the lazy Dataset, its feature cache;
- augment: time shifts and masks; models: the chapter's models;
- training, evaluation, crossval: training loops, what a model says about each clip, five folds;
  few_shot: pre-training on other sounds, then learning from few clips (the optional lesson);
- plots, widgets, listen: figures, explorers and captioned players; describe and alt_text: each
  figure and clip in words, for readers who cannot see or hear it;
- checks: the exercises' checks, one module per lesson (the learners' check cells import them
  from course_utils.checks);
- progress: progress bars that a saved notebook keeps as text;
- doctor: `python -m course_utils doctor`, the set-up check.

Shared by both: constants (every fixed number and name), notebook_format (the notebooks'
markers and metadata keys) and atomic (files written whole or not at all).

What instructors run: grading/, `python -m course_utils grade`.
"""

from .constants import DEFAULT_CATEGORIES, N_SAMPLES, SAMPLE_RATE

__version__ = "0.3.0"
__all__ = ["DEFAULT_CATEGORIES", "N_SAMPLES", "SAMPLE_RATE", "__version__"]
