import pytest

from course_utils.stats import T_975, compare_on_same_clips, mcnemar_p, paired_interval


def test_paired_interval_is_students_t_interval_of_the_mean_difference():
    interval = paired_interval([0.1, 0.2, 0.0, 0.1, 0.1])  # mean 0.1, sd sqrt(0.005), t(0.975, 4) = 2.776445
    half = 2.776 * (0.005 ** 0.5) / 5 ** 0.5
    assert interval.mean == pytest.approx(0.1)
    assert (interval.low, interval.high) == (pytest.approx(0.1 - half, abs=1e-6), pytest.approx(0.1 + half, abs=1e-6))
    assert interval.verdict == "higher" and interval.n == 5
    assert paired_interval([-0.1, -0.2, 0.0, -0.1, -0.1]).verdict == "lower"
    assert paired_interval([0.3, -0.1, 0.2, 0.1, 0.0]).verdict == "within the noise"  # mean 0.1, but spread
    with pytest.raises(ValueError, match="2 to 31 folds, got 1"):
        paired_interval([0.2])


def test_t_table_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    assert T_975 == pytest.approx([stats.t.ppf(0.975, df) for df in range(1, 31)], abs=6e-4)


@pytest.mark.parametrize("only_a, only_b, p", [
    (0, 0, 1.0),                 # no disagreement: no evidence either way
    (6, 0, 2 / 2**6),            # all six disagreements one way: p = 0.031
    (5, 0, 2 / 2**5),            # five are not enough at 0.05: p = 0.0625
    (1, 7, 2 * (1 + 8) / 2**8),  # P(X <= 1) for X ~ Binomial(8, 1/2), doubled
    (4, 4, 1.0),
])
def test_mcnemar_p_is_the_exact_two_sided_binomial_p(only_a, only_b, p):
    assert mcnemar_p(only_a, only_b) == pytest.approx(p)
    assert mcnemar_p(only_b, only_a) == pytest.approx(p)


def test_mcnemar_p_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    for only_a, only_b in [(3, 12), (10, 4), (0, 9), (20, 20)]:
        expected = stats.binomtest(only_a, only_a + only_b, 0.5).pvalue
        assert mcnemar_p(only_a, only_b) == pytest.approx(expected)
    with pytest.raises(ValueError, match="cannot be negative"):
        mcnemar_p(-1, 3)


def test_compare_on_same_clips_calls_a_winner_only_when_p_is_below_0_05():
    a = [True] * 20 + [False] * 12
    b = [True] * 14 + [False] * 18  # A alone is right on 6 clips, B alone on none
    sentence = compare_on_same_clips("ResNet", a, "CNN", b)
    assert sentence == ("ResNet 20/32, CNN 14/32; only ResNet right on 6 clips, only CNN on 0 "
                        "(exact McNemar test, p = 0.03): ResNet is better on these clips.")
    assert compare_on_same_clips("CNN", b, "ResNet", a).endswith("ResNet is better on these clips.")
    close = [True] * 17 + [False] * 15  # the same 3-clip gap in accuracy, from 1 win and 4 losses: 1 vs 4
    assert compare_on_same_clips("A", [True] * 16 + [False] + [True] + [False] * 14,
                                 "B", close).endswith("the difference is within the noise of 32 clips.")
    assert "only A right on 1 clip, only B on 2 " in compare_on_same_clips("A", [True, False, False], "B",
                                                                           [False, True, True])
    with pytest.raises(ValueError, match="different numbers of clips: 2 and 3"):
        compare_on_same_clips("A", [True, False], "B", [True, True, False])


@pytest.mark.parametrize("hits, total", [(0, 8), (8, 8), (5, 8), (1, 3), (30, 32), (1, 1)])
def test_share_interval_is_wilsons_as_scipy_computes_it(hits, total):
    from scipy.stats import binomtest

    from course_utils.stats import share_interval

    want = binomtest(hits, total).proportion_ci(method="wilson")
    assert share_interval(hits, total) == pytest.approx((want.low, want.high), abs=1e-3)


def test_share_interval_refuses_impossible_counts():
    from course_utils.stats import share_interval

    for hits, total in [(3, 2), (-1, 4), (0, 0)]:
        with pytest.raises(ValueError, match=f"got {hits} of {total}"):
            share_interval(hits, total)
