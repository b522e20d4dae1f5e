"""Exercise 6.1: shift_spectrogram(spec, shift, fill=-80.0): no wrap-around."""
import torch


def shift_spectrogram__right_full_like_slices(spec, shift, fill=-80.0):
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        out[..., shift:] = spec[..., : max(width - shift, 0)]
    else:
        out[..., : max(width + shift, 0)] = spec[..., -shift:]
    return out


def shift_spectrogram__right_cat_padding(spec, shift, fill=-80.0):
    mels, frames = spec.shape
    k = max(-frames, min(frames, int(shift)))  # a shift beyond the width leaves only fill
    pad = torch.full((mels, abs(k)), fill, dtype=spec.dtype, device=spec.device)
    if k >= 0:
        return torch.cat([pad, spec[:, : frames - k]], dim=1)
    return torch.cat([spec[:, -k:], pad], dim=1)


# WRONG: torch.roll wraps the end of the clip round to its start instead of filling with `fill`.
def shift_spectrogram__wrong_roll(spec, shift, fill=-80.0):
    return torch.roll(spec, shifts=shift, dims=-1)


# WRONG: fills vacated columns with -80 typed in, ignoring the `fill` argument (right only for the default).
def shift_spectrogram__wrong_ignores_fill(spec, shift, fill=-80.0):
    out = torch.full_like(spec, -80.0)
    width = spec.shape[-1]
    if shift >= 0:
        out[:, shift:] = spec[:, : max(width - shift, 0)]
    else:
        out[:, : max(width + shift, 0)] = spec[:, -shift:]
    return out


# WRONG: shifts in place: the caller's tensor is changed (and returned).
def shift_spectrogram__wrong_mutates_input(spec, shift, fill=-80.0):
    width = spec.shape[-1]
    shift = max(-width, min(width, shift))
    if shift > 0:
        spec[:, shift:] = spec[:, : width - shift].clone()
        spec[:, :shift] = fill
    elif shift < 0:
        spec[:, : width + shift] = spec[:, -shift:].clone()
        spec[:, width + shift:] = fill
    return spec


# WRONG: direction reversed: a positive shift moves columns LEFT (earlier).
def shift_spectrogram__wrong_reversed_direction(spec, shift, fill=-80.0):
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        out[:, : max(width - shift, 0)] = spec[:, shift:]
    else:
        out[:, -shift:] = spec[:, : max(width + shift, 0)]
    return out


# WRONG: no clamping for shifts beyond the width: |shift| > frames raises a shape-mismatch error instead of
# returning all `fill` (fine for every |shift| <= frames).
def shift_spectrogram__wrong_big_shift_breaks(spec, shift, fill=-80.0):
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        out[:, shift:] = spec[:, : width - shift]
    else:
        out[:, : width + shift] = spec[:, -shift:]
    return out


# WRONG: edge case shift=0: spec[:, :-0] is EMPTY, so a zero shift raises instead of returning a copy.
def shift_spectrogram__wrong_zero_shift_breaks(spec, shift, fill=-80.0):
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    shift = max(-width, min(width, shift))
    if shift < 0:
        out[:, : width + shift] = spec[:, -shift:]
    elif shift < width:
        out[:, shift:] = spec[:, :-shift]
    return out
