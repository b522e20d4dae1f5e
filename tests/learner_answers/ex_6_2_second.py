import torch

from course_utils.augment import time_shift


class _Base:
    def __init__(self, max_fraction=0.2, fill=-80.0):
        self.max_fraction = max_fraction
        self.fill = fill


class RandomShift__right_course_time_shift(_Base):
    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        shift = int(torch.randint(-limit, limit + 1, (1,)))
        return time_shift(spec, shift, self.fill)


class RandomShift__right_own_shift_with_cat(_Base):
    def __call__(self, spec):
        frames = spec.shape[-1]
        limit = int(self.max_fraction * frames)
        shift = torch.randint(low=-limit, high=limit + 1, size=()).item()
        if shift == 0:
            return spec.clone()
        pad = torch.full((*spec.shape[:-1], abs(shift)), self.fill, dtype=spec.dtype, device=spec.device)
        if shift > 0:
            return torch.cat([pad, spec[..., : frames - shift]], dim=-1)
        return torch.cat([spec[..., -shift:], pad], dim=-1)


# WRONG: torch.randint's high is exclusive, so +limit is never drawn.
class RandomShift__wrong_randint_high_exclusive(_Base):
    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        shift = int(torch.randint(-limit, limit, (1,)))
        return time_shift(spec, shift, self.fill)


# WRONG: draws the shift on the first call and reuses it on every later call.
class RandomShift__wrong_shift_drawn_once(_Base):
    def __call__(self, spec):
        if not hasattr(self, "_shift"):
            limit = int(self.max_fraction * spec.shape[-1])
            self._shift = int(torch.randint(-limit, limit + 1, (1,)))
        return time_shift(spec, self._shift, self.fill)


# WRONG: the limit is computed from spec.shape[0] (mel bands) instead of the frames on the last axis.
class RandomShift__wrong_limit_from_first_axis(_Base):
    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[0])
        shift = int(torch.randint(-limit, limit + 1, (1,)))
        return time_shift(spec, shift, self.fill)


# WRONG: draws a uniform float and truncates it with int(): 0 comes up about twice as often and +-limit almost never.
class RandomShift__wrong_truncated_float(_Base):
    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        shift = int(torch.empty(1).uniform_(-limit, limit).item())
        return time_shift(spec, shift, self.fill)


# WRONG: writes the shifted spectrogram back into the input tensor (the input is changed).
class RandomShift__wrong_modifies_input(_Base):
    def __call__(self, spec):
        limit = int(self.max_fraction * spec.shape[-1])
        shift = int(torch.randint(-limit, limit + 1, (1,)))
        spec.copy_(time_shift(spec, shift, self.fill))
        return spec
