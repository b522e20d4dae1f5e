"""Exercise 2.1: n_frames(n_samples, hop_length), librosa's centred frame count."""
import math


def n_frames__right_floor_plus_one(n_samples, hop_length):
    return 1 + n_samples // hop_length


def n_frames__right_count_window_starts(n_samples, hop_length):
    # one window centred on every sample 0, hop, 2*hop, ... that is <= n_samples
    return len(range(0, n_samples + 1, hop_length))


# WRONG: off by one: forgets the window centred on sample 0.
def n_frames__wrong_missing_first_frame(n_samples, hop_length):
    return n_samples // hop_length


# WRONG: ceil instead of floor+1: right whenever n_samples is not a multiple of hop_length (e.g. 80000/512),
# one frame short when it is (e.g. 1024 samples, hop 512 -> 2, should be 3).
def n_frames__wrong_ceil(n_samples, hop_length):
    return math.ceil(n_samples / hop_length)


# WRONG: hop length typed in as 512; ignores the hop_length argument.
def n_frames__wrong_hardcoded_hop(n_samples, hop_length):
    return 1 + n_samples // 512


# WRONG: rounds instead of flooring: 80000/512=156.25 -> 157 is right, but e.g. 1000/512=1.95 -> 3 (should be 2).
def n_frames__wrong_rounds(n_samples, hop_length):
    return 1 + round(n_samples / hop_length)


# WRONG: formula for UNcentred frames of n_fft=2048 windows (1 + (n - n_fft) // hop): 153 for 80000 samples.
def n_frames__wrong_uncentred_formula(n_samples, hop_length):
    return 1 + (n_samples - 2048) // hop_length
