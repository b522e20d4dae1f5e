"""Exercise 4.1: frame_waveforms(batch, frame_length): (batch, samples) -> (batch, frames, frame_length)."""
import torch


def frame_waveforms__right_reshape(batch, frame_length):
    return batch.reshape(batch.shape[0], -1, frame_length)


def frame_waveforms__right_unfold(batch, frame_length):
    return batch.unfold(1, frame_length, frame_length)


# WRONG: reshapes to (batch, frame_length, frames) then transposes: right shape, but each "frame" holds
# every frames-th sample (strided), not consecutive samples.
def frame_waveforms__wrong_strided_frames(batch, frame_length):
    return batch.reshape(batch.shape[0], frame_length, -1).transpose(1, 2)


# WRONG: builds the time-first layout and swaps axes 0 and 1: right shape, but frames mix samples of
# different clips (reshape over the whole flattened batch in the wrong order).
def frame_waveforms__wrong_mixes_clips(batch, frame_length):
    n_frames = batch.shape[1] // frame_length
    return batch.reshape(n_frames, batch.shape[0], frame_length).transpose(0, 1)


# WRONG: frame length typed in as 800: ignores the argument (wrong shape for any other frame_length).
def frame_waveforms__wrong_hardcoded_800(batch, frame_length):
    return batch.reshape(batch.shape[0], -1, 800)


# WRONG: number of frames typed in as 100 (80000 / 800), and the batch axis inferred: for another
# clip length the batch axis comes out wrong.
def frame_waveforms__wrong_hardcoded_100_frames(batch, frame_length):
    return batch.reshape(-1, 100, frame_length)


# WRONG: unfold with step 1: overlapping windows, (batch, samples - frame_length + 1, frame_length).
def frame_waveforms__wrong_overlapping_step_one(batch, frame_length):
    return batch.unfold(1, frame_length, 1)
