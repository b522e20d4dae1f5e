"""Checks for the notebooks' exercises, one module per lesson; check cells import them from here.

Each check calls the learner's code on small inputs that it makes itself (it reads no notebook
variable), trying every argument away from its default and the lesson's edge cases, and compares
the result with the course's tested helpers. In a notebook it prints one verdict and never raises
(see core); `check.strict` raises WrongAnswer or AnswerError instead, for the grader. A check
leaves the random number generators as it found them, so a lesson's seeded results do not
depend on it.
"""

from .core import AnswerError, Verdict, WrongAnswer
from .course_versions import COURSE_VERSIONS, answer_or_course
from .lesson1 import check_download, check_split
from .lesson2 import check_frame_count, check_mel_spectrogram
from .lesson3 import check_getitem, check_transform_dataset
from .lesson4 import check_count_trainable, check_frames, check_lstm
from .lesson5 import check_cnn, check_evaluate, check_train_epoch
from .lesson6 import check_augmented_datasets, check_random_shift, check_time_shift
from .lesson7 import check_finetune_optimizer, check_new_head
from .lesson8 import check_compare_folds, check_fold_summary
from .lesson10 import check_cut_windows

__all__ = ["COURSE_VERSIONS", "AnswerError", "Verdict", "WrongAnswer", "answer_or_course", "check_augmented_datasets",
           "check_cnn", "check_compare_folds", "check_count_trainable", "check_cut_windows", "check_download", "check_evaluate",
           "check_finetune_optimizer", "check_fold_summary", "check_frame_count", "check_frames", "check_getitem",
           "check_lstm", "check_mel_spectrogram", "check_new_head", "check_random_shift", "check_split",
           "check_time_shift", "check_train_epoch", "check_transform_dataset"]
