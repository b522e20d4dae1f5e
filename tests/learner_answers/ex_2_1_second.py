import math

import numpy as np

HOP_LENGTH = 512  # the chapter's hop, defined at module level


def n_frames__right_floor_plus_one(n_samples, hop_length):
    return 1 + n_samples // hop_length


def n_frames__right_count_centres(n_samples, hop_length):
    # one frame centred on each of 0, hop, 2*hop, ... up to n_samples
    return len(range(0, n_samples + 1, hop_length))


# WRONG: ceil(n / hop) is one frame short whenever n_samples is a multiple of hop_length (and gives 0 for 0 samples).
def n_frames__wrong_ceil(n_samples, hop_length):
    return math.ceil(n_samples / hop_length)


# WRONG: round() instead of floor: one frame too many when the remainder is at least half a hop.
def n_frames__wrong_round(n_samples, hop_length):
    return round(n_samples / hop_length) + 1


# WRONG: returns a NumPy float (e.g. 157.0), not an integer count.
def n_frames__wrong_numpy_float(n_samples, hop_length):
    return np.floor(n_samples / hop_length) + 1


# WRONG: uses the module-level HOP_LENGTH (512) and ignores the hop_length argument.
def n_frames__wrong_global_hop(n_samples, hop_length):
    return 1 + n_samples // HOP_LENGTH


# WRONG: formula for non-centred frames with n_fft=2048 (ignores librosa's centring/padding).
def n_frames__wrong_not_centred(n_samples, hop_length):
    return max(0, 1 + (n_samples - 2048) // hop_length)
