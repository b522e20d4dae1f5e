"""Exercise 8.1: fold_summary(accuracies) -> (mean, sample standard deviation)."""
import math
import statistics

import numpy as np


def fold_summary__right_statistics(accuracies):
    return statistics.mean(accuracies), statistics.stdev(accuracies)


def fold_summary__right_manual(accuracies):
    values = [float(a) for a in accuracies]
    n = len(values)
    mean = sum(values) / n
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return mean, std


# WRONG: np.std's default ddof=0 gives the population standard deviation (divides by n, not n - 1).
def fold_summary__wrong_population_std(accuracies):
    return float(np.mean(accuracies)), float(np.std(accuracies))


# WRONG: returns (std, mean) instead of (mean, std).
def fold_summary__wrong_swapped_order(accuracies):
    return statistics.stdev(accuracies), statistics.mean(accuracies)


# WRONG: returns the sample variance (forgets the square root).
def fold_summary__wrong_variance_not_std(accuracies):
    mean = sum(accuracies) / len(accuracies)
    return mean, sum((a - mean) ** 2 for a in accuracies) / (len(accuracies) - 1)


# WRONG: fold count typed in as 5 (divides by 5 and 4): right only for exactly five accuracies.
def fold_summary__wrong_hardcoded_five(accuracies):
    mean = sum(accuracies) / 5
    return mean, math.sqrt(sum((a - mean) ** 2 for a in accuracies) / 4)


# WRONG: returns the standard error of the mean (std / sqrt(n)) instead of the standard deviation.
def fold_summary__wrong_standard_error(accuracies):
    std = statistics.stdev(accuracies)
    return statistics.mean(accuracies), std / math.sqrt(len(accuracies))


# WRONG: rounds both to 3 decimals "for the report": not the mean and std, off by up to 0.0005.
def fold_summary__wrong_rounded(accuracies):
    return round(statistics.mean(accuracies), 3), round(statistics.stdev(accuracies), 3)
