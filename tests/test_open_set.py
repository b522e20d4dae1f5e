"""course_utils.open_set: top probabilities, the threshold that keeps a share of known clips, the report."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from course_utils.open_set import open_set_report, threshold_keeping, top_probabilities


class Fixed(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x  # the inputs are the scores


def test_top_probabilities_are_each_rows_largest_softmax_in_any_batch_size():
    scores = torch.tensor([[0.0, 0.0], [0.0, np.log(3.0)], [np.log(9.0), 0.0]], dtype=torch.float32)
    for batch_size in (1, 2, 32):
        assert top_probabilities(Fixed(), scores, batch_size) == pytest.approx([0.5, 0.75, 0.9])


@pytest.mark.parametrize("keep, threshold", [(1.0, 0.3), (0.9, 0.4), (0.8, 0.5), (0.75, 0.5), (0.5, 0.7),
                                             (0.1, 0.9), (0.05, 0.9)])
def test_the_threshold_is_the_highest_that_keeps_the_share_asked_for(keep, threshold):
    known = np.array([0.3, 0.4, 0.5, 0.5, 0.6, 0.7, 0.7, 0.8, 0.9, 0.9])
    found = threshold_keeping(known, keep)
    assert found == threshold
    assert (known >= found).mean() >= keep
    assert (known > found).mean() < keep  # any higher threshold would answer fewer than `keep`


@pytest.mark.parametrize("keep", [0.7, 0.3, 0.6, 0.9])
def test_a_share_that_floats_cannot_write_exactly_keeps_exactly_that_many(keep):
    known = np.arange(1, 11) / 10
    assert threshold_keeping(known, keep) == pytest.approx(1.1 - keep)


@pytest.mark.parametrize("keep", [0, -0.1, 1.01])
def test_a_share_outside_zero_to_one_is_refused(keep):
    with pytest.raises(ValueError, match="keep must be a share"):
        threshold_keeping(np.array([0.5]), keep)
    with pytest.raises(ValueError, match="no clips"):
        threshold_keeping(np.array([]), 0.5)


def test_the_report_counts_each_kind_of_clip_against_the_threshold():
    report = open_set_report(np.array([0.95, 0.6, 0.4, 0.7]), np.array([0.99, 0.5, 0.3, 0.92, 0.6]), 0.6)
    assert (report.known, report.known_answered, report.other, report.other_refused, report.other_confident) == (
        4, 3, 5, 2, 2)
    assert report.lines() == [
        'threshold 0.60: 3 of 4 clips of the model\'s categories still get a category; 2 of 5 clips of other '
        'categories get "none of these"',
        "without a threshold, 2 of 5 clips of other categories get a category with probability 0.90 or more"]


@pytest.mark.parametrize("p, shown", [(0.5, "0.50"), (0.0, "0.00"), (0.97, "0.97"), (0.996, "0.996"),
                                      (0.99997, "0.99997"), (0.9999996, "1.000000"), (1.0, "1.000000")])
def test_a_probability_near_1_gets_the_digits_that_tell_it_from_1(p, shown):
    from course_utils.open_set import probability_text

    assert probability_text(p) == shown


@pytest.mark.parametrize("a, b, shown", [(0.81, 0.8100001, ("0.810000", "0.810000")), (0.8141, 0.8151, ("0.81", "0.82")),
                                         (0.5, 0.7, ("0.50", "0.70")), (0.99997, 0.5, ("0.99997", "0.50000"))])
def test_two_probabilities_get_the_decimals_that_tell_them_apart(a, b, shown):
    from course_utils.open_set import probability_pair

    assert probability_pair(a, b) == shown
