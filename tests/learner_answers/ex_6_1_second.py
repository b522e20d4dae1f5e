import torch

FILL = -80.0  # module-level silence level


def shift_spectrogram__right_full_like_slices(spec, shift, fill=-80.0):
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        if shift < width:
            out[:, shift:] = spec[:, : width - shift]
    else:
        if -shift < width:
            out[:, : width + shift] = spec[:, -shift:]
    return out


def shift_spectrogram__right_roll_then_fill(spec, shift, fill=-80.0):
    width = spec.shape[1]
    shift = max(-width, min(width, shift))
    rolled = torch.roll(spec, shifts=shift, dims=1)
    columns = torch.arange(width)
    vacated = columns < shift if shift >= 0 else columns >= width + shift
    rolled[:, vacated] = fill
    return rolled


# WRONG: uses abs(shift): negative shifts move the columns right instead of left.
def shift_spectrogram__wrong_abs_shift_right_only(spec, shift, fill=-80.0):
    shift = abs(shift)
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    out[:, shift:] = spec[:, : max(width - shift, 0)]
    return out


# WRONG: a shift of the whole width or more returns the spectrogram unchanged instead of all `fill`.
def shift_spectrogram__wrong_large_shift_unchanged(spec, shift, fill=-80.0):
    width = spec.shape[-1]
    if abs(shift) >= width:
        return spec.clone()
    out = torch.full_like(spec, fill)
    if shift >= 0:
        out[:, shift:] = spec[:, : width - shift]
    else:
        out[:, : width + shift] = spec[:, -shift:]
    return out


# WRONG: shifts the caller's tensor in place (the input is modified) and returns it.
def shift_spectrogram__wrong_in_place(spec, shift, fill=-80.0):
    width = spec.shape[-1]
    shift = max(-width, min(width, shift))
    if shift > 0:
        spec[:, shift:] = spec[:, : width - shift].clone()
        spec[:, :shift] = fill
    elif shift < 0:
        spec[:, : width + shift] = spec[:, -shift:].clone()
        spec[:, width + shift:] = fill
    return spec


# WRONG: fills vacated columns with the module-level FILL (-80) and ignores the `fill` argument.
def shift_spectrogram__wrong_global_fill(spec, shift, fill=-80.0):
    out = torch.full_like(spec, FILL)
    width = spec.shape[-1]
    if shift >= 0:
        out[:, shift:] = spec[:, : max(width - shift, 0)]
    else:
        out[:, : max(width + shift, 0)] = spec[:, -shift:]
    return out


# WRONG: direction reversed: a positive shift moves the columns left (earlier), a negative one right.
def shift_spectrogram__wrong_direction_reversed(spec, shift, fill=-80.0):
    out = torch.full_like(spec, fill)
    width = spec.shape[-1]
    if shift >= 0:
        out[:, : max(width - shift, 0)] = spec[:, shift:]
    else:
        out[:, -shift:] = spec[:, : max(width + shift, 0)]
    return out
