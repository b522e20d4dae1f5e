"""Is a difference between two models more than noise? Two paired tests, small enough to read.

- over folds: a t-interval of the per-fold differences (paired_interval);
- on one validation set: McNemar's exact test on the clips where exactly one model is right;
- and for a share measured on a few clips, how wide its uncertainty is (share_interval).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# Student's t distribution, 97.5th percentile, for 1 to 30 degrees of freedom (any statistics table)
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
         2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


@dataclass(frozen=True)
class PairedInterval:
    """A t-interval for the mean of paired differences (one per fold), e.g. model B minus model A."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def verdict(self) -> str:
        """"higher" or "lower" only when the interval excludes zero; otherwise "within the noise"."""
        if self.low > 0:
            return "higher"
        if self.high < 0:
            return "lower"
        return "within the noise"

    def __str__(self) -> str:
        return f"{self.mean:+.3f} (95% interval {self.low:+.3f} to {self.high:+.3f}, {self.n} folds)"


def paired_interval(differences: Sequence[float]) -> PairedInterval:
    """Student's 95% t-interval of the mean of per-fold differences (a paired t-test in interval form).

    Folds share training clips, so they are not fully independent and the interval is, if
    anything, too narrow (Nadeau and Bengio 2003): a result near its edge is weak evidence.
    """
    values = [float(d) for d in differences]
    if not 2 <= len(values) <= len(T_975) + 1:
        raise ValueError(f"a paired interval needs 2 to {len(T_975) + 1} folds, got {len(values)}")
    mean = statistics.fmean(values)
    half = T_975[len(values) - 2] * statistics.stdev(values) / math.sqrt(len(values))
    return PairedInterval(mean, mean - half, mean + half, len(values))


def mcnemar_p(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value: `only_a` clips only model A got right, `only_b` only B.

    Clips both got right or both got wrong say nothing about which is better. If the models were
    equally good, each disagreement would go either way with probability 1/2.
    """
    if only_a < 0 or only_b < 0:
        raise ValueError(f"counts cannot be negative: {only_a}, {only_b}")
    n = only_a + only_b
    tail = sum(math.comb(n, i) for i in range(min(only_a, only_b) + 1)) / 2**n
    return min(1.0, 2 * tail)


def compare_on_same_clips(name_a: str, correct_a: Sequence[bool], name_b: str, correct_b: Sequence[bool]) -> str:
    """One sentence: which of two models is better on the same validation clips, or that it is noise.

    `correct_a[i]` says whether model A got clip i right; a verdict only where McNemar's p < 0.05.
    """
    if len(correct_a) != len(correct_b):
        raise ValueError(f"{name_a} and {name_b} were judged on different numbers of clips: "
                         f"{len(correct_a)} and {len(correct_b)}")
    only_a = sum(bool(a) and not bool(b) for a, b in zip(correct_a, correct_b))
    only_b = sum(bool(b) and not bool(a) for a, b in zip(correct_a, correct_b))
    p = mcnemar_p(only_a, only_b)
    counts = (f"{name_a} {sum(map(bool, correct_a))}/{len(correct_a)}, {name_b} {sum(map(bool, correct_b))}/"
              f"{len(correct_b)}; only {name_a} right on {_clips(only_a)}, only {name_b} on {only_b} "
              f"(exact McNemar test, p = {p:.2f})")
    if p >= 0.05:
        return f"{counts}: the difference is within the noise of {len(correct_a)} clips."
    better = name_a if only_a > only_b else name_b
    return f"{counts}: {better} is better on these clips."


def share_interval(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95% interval for a share of `hits` out of `total`: honest even at 0 or all of a few."""
    if total < 1 or not 0 <= hits <= total:
        raise ValueError(f"need 0 <= hits <= total and total >= 1, got {hits} of {total}")
    centre = (hits + z * z / 2) / (total + z * z)
    half = z / (total + z * z) * math.sqrt(hits * (total - hits) / total + z * z / 4)
    return max(0.0, centre - half), min(1.0, centre + half)


def _clips(count: int) -> str:
    return f"{count} clip" if count == 1 else f"{count} clips"
