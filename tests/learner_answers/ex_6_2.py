"""Exercise 6.2: RandomShift(max_fraction=0.2, fill=-80.0), a fresh torch.randint draw every call."""
import numpy as np
import torch

from course_utils.augment import time_shift


def _shift(spec, shift, fill):
    """A correct 6.1."""
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        out[..., shift:] = spec[..., : max(width - shift, 0)]
    else:
        out[..., : max(width + shift, 0)] = spec[..., -shift:]
    return out


class RandomShift__right_course_time_shift:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        shift = int(torch.randint(-limit, limit + 1, (1,)).item())
        return time_shift(spec, shift, self.fill)


class RandomShift__right_offset_draw_own_shift:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        frames = spec.shape[-1]
        limit = int(self.max_fraction * frames)
        shift = int(torch.randint(0, 2 * limit + 1, ())) - limit
        return _shift(spec, shift, self.fill)


# WRONG: the random shift is drawn once (at the first call) and reused: every read gets the same shift.
class RandomShift__wrong_draws_once:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill
        self.shift = None

    def __call__(self, spec):
        if self.shift is None:
            limit = int(self.max_fraction * spec.shape[-1])
            self.shift = int(torch.randint(-limit, limit + 1, (1,)))
        return time_shift(spec, self.shift, self.fill)


# WRONG: torch.randint's upper bound is exclusive: draws from -limit to limit-1, never +limit.
class RandomShift__wrong_excludes_upper_limit:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        return time_shift(spec, int(torch.randint(-limit, limit, (1,))), self.fill)


# RIGHT as well: NumPy's random numbers, which seed_everything seeds too, so a run stays repeatable.
class RandomShift__right_numpy_random:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        return time_shift(spec, int(np.random.randint(-limit, limit + 1)), self.fill)


# WRONG: limit from spec.shape[0] (the mel bands), not the frames on the last axis.
class RandomShift__wrong_limit_from_mels:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[0])
        return time_shift(spec, int(torch.randint(-limit, limit + 1, (1,))), self.fill)


# WRONG: ignores self.fill: vacated frames always get time_shift's default -80 dB.
class RandomShift__wrong_ignores_fill:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        return time_shift(spec, int(torch.randint(-limit, limit + 1, (1,))))


# WRONG: shifts the input tensor in place (the caller's spectrogram, e.g. a cached one, is changed).
class RandomShift__wrong_mutates_input:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill

    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        shift = int(torch.randint(-limit, limit + 1, (1,)))
        spec.copy_(time_shift(spec, shift, self.fill))
        return spec
