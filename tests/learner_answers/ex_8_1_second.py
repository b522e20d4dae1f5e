import math
import statistics

import numpy as np


def fold_summary__right_statistics(accuracies):
    return statistics.mean(accuracies), statistics.stdev(accuracies)


def fold_summary__right_manual_loop(accuracies):
    n = len(accuracies)
    mean = sum(accuracies) / n
    squares = 0.0
    for value in accuracies:
        squares += (value - mean) ** 2
    return (mean, math.sqrt(squares / (n - 1)))


# WRONG: np.std's default is ddof=0, the population standard deviation (divides by n).
def fold_summary__wrong_numpy_default_ddof(accuracies):
    return float(np.mean(accuracies)), float(np.std(accuracies))


# WRONG: turns the caller's list into deviations from the mean in place (the input is modified).
def fold_summary__wrong_mutates_input(accuracies):
    n = len(accuracies)
    mean = sum(accuracies) / n
    for i in range(n):
        accuracies[i] -= mean
    return mean, math.sqrt(sum(d * d for d in accuracies) / (n - 1))


# WRONG: shortcut formula mixes denominators: sum(x^2)/(n-1) - mean^2 is not the sample variance.
def fold_summary__wrong_shortcut_formula(accuracies):
    n = len(accuracies)
    mean = sum(accuracies) / n
    variance = sum(x * x for x in accuracies) / (n - 1) - mean ** 2
    return mean, math.sqrt(variance)


# WRONG: rounds both numbers to 3 decimals "for display", so the values are no longer exact.
def fold_summary__wrong_rounded(accuracies):
    return round(statistics.mean(accuracies), 3), round(statistics.stdev(accuracies), 3)


# WRONG: floor division `//` for the mean: floors the mean (0.0 for accuracies below 1).
def fold_summary__wrong_floor_division_mean(accuracies):
    n = len(accuracies)
    mean = sum(accuracies) // n
    squares = sum((a - mean) ** 2 for a in accuracies)
    return mean, math.sqrt(squares / (n - 1))
