import torch


def frame_waveforms__right_reshape(batch, frame_length):
    return batch.reshape(batch.shape[0], batch.shape[1] // frame_length, frame_length)


def frame_waveforms__right_loop_stack(batch, frame_length):
    clips = []
    for clip in batch:
        frames = [clip[start:start + frame_length] for start in range(0, clip.shape[0], frame_length)]
        clips.append(torch.stack(frames))
    return torch.stack(clips)


# WRONG: reshapes to (batch, frame_length, frames) then transposes: right shape, but each "frame" holds every frames-th sample.
def frame_waveforms__wrong_strided_frames(batch, frame_length):
    return batch.reshape(batch.shape[0], frame_length, -1).transpose(1, 2)


# WRONG: assumes a single clip: the whole batch becomes one sequence of shape (1, batch*frames, frame_length).
def frame_waveforms__wrong_single_clip(batch, frame_length):
    return batch.reshape(1, -1, frame_length)


# WRONG: the number of frames is typed in (100, the chapter's case) and frame_length is ignored.
def frame_waveforms__wrong_hardcoded_100_frames(batch, frame_length):
    return batch.reshape(batch.shape[0], 100, -1)


# WRONG: returns a NumPy array instead of a tensor (and fails on tensors that require grad).
def frame_waveforms__wrong_returns_numpy(batch, frame_length):
    array = batch.numpy()
    return array.reshape(array.shape[0], -1, frame_length)


# WRONG: resize_ changes the caller's tensor in place (and scrambles non-contiguous inputs).
def frame_waveforms__wrong_inplace_resize(batch, frame_length):
    return batch.resize_(batch.shape[0], batch.shape[1] // frame_length, frame_length)
