import numpy as np
import pytest
import torch

from course_utils.augment import (
    RandomFrequencyMask,
    RandomTimeMask,
    RandomTimeShift,
    frequency_mask,
    time_mask,
    time_shift,
)

SPEC = torch.arange(1.0, 13.0).reshape(2, 6)  # 2 mel bands, 6 frames: values 1..12


def test_time_shift_right_fills_the_start():
    assert torch.equal(time_shift(SPEC, 2, fill=0.0),
                       torch.tensor([[0.0, 0, 1, 2, 3, 4], [0, 0, 7, 8, 9, 10]]))


def test_time_shift_left_fills_the_end():
    assert torch.equal(time_shift(SPEC, -1, fill=-80.0),
                       torch.tensor([[2.0, 3, 4, 5, 6, -80], [8, 9, 10, 11, 12, -80]]))


def test_time_shift_zero_is_a_copy():
    shifted = time_shift(SPEC, 0)
    assert torch.equal(shifted, SPEC) and shifted.data_ptr() != SPEC.data_ptr()


@pytest.mark.parametrize("shift", [6, 10, -6, -10])
def test_shift_past_the_width_leaves_only_fill(shift):
    assert torch.equal(time_shift(SPEC, shift, fill=-5.0), torch.full_like(SPEC, -5.0))


def test_time_shift_never_changes_its_input_and_accepts_numpy():
    array = SPEC.numpy().copy()
    shifted = time_shift(array, 3)
    assert np.array_equal(array, SPEC.numpy()) and isinstance(shifted, torch.Tensor)


def test_batched_time_shift_moves_the_last_axis():
    batch = SPEC.expand(3, 2, 6)
    assert torch.equal(time_shift(batch, 1)[2], time_shift(SPEC, 1))


def test_masks():
    assert torch.equal(frequency_mask(SPEC, 1, 1, fill=0.0), torch.tensor([[1.0, 2, 3, 4, 5, 6], [0] * 6]))
    assert torch.equal(time_mask(SPEC, 4, 5, fill=0.0)[0], torch.tensor([1.0, 2, 3, 4, 0, 0]))
    assert torch.equal(time_mask(SPEC, 2, 0), SPEC)


def _shift_of(shifted, original):
    """Recover the shift applied to a spectrogram whose columns are all distinct."""
    for shift in range(-original.shape[-1] + 1, original.shape[-1]):
        if torch.equal(time_shift(original, shift), shifted):
            return shift
    raise AssertionError("not a time shift of the original")


def test_random_shift_invariants():
    spec = torch.rand(128, 157) * -70 - 5  # -75..-5 dB, never the fill value
    transform = RandomTimeShift(max_fraction=0.2, generator=torch.Generator().manual_seed(0))
    shifts = [_shift_of(transform(spec), spec) for _ in range(400)]
    assert min(shifts) >= -31 and max(shifts) <= 31  # int(0.2 * 157) = 31
    assert min(shifts) < -25 and max(shifts) > 25 and abs(np.mean(shifts)) < 4
    out = transform(spec)
    assert out.shape == spec.shape and out.min() >= -80 and out.max() <= 0


def test_random_shift_is_reproducible_with_a_seed():
    spec = torch.randn(128, 157)
    first = RandomTimeShift(generator=torch.Generator().manual_seed(3))
    second = RandomTimeShift(generator=torch.Generator().manual_seed(3))
    assert all(torch.equal(first(spec), second(spec)) for _ in range(10))


def test_random_shift_rejects_bad_fraction():
    with pytest.raises(ValueError, match="max_fraction"):
        RandomTimeShift(max_fraction=1.5)


@pytest.mark.parametrize("transform, axis", [(RandomFrequencyMask(16), 1), (RandomTimeMask(20), 0)])
def test_random_masks_cover_a_bounded_contiguous_run(transform, axis):
    transform.generator = torch.Generator().manual_seed(1)
    spec = torch.zeros(128, 157)
    widths = []
    for _ in range(200):
        masked = (transform(spec) == -80).all(dim=axis).nonzero().flatten().tolist()
        widths.append(len(masked))
        if masked:
            assert masked == list(range(masked[0], masked[0] + len(masked)))
    assert max(widths) <= transform.max_width and min(widths) == 0 and len(set(widths)) > 10
