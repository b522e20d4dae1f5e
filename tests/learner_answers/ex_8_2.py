"""Exercise 8.2: compare_folds(baseline, other) -> (n better, n worse, mean of other - baseline)."""
import numpy as np


def compare_folds__right_sorted_keys(baseline, other):
    if set(baseline) != set(other):
        raise ValueError(f"different folds: {sorted(baseline)} vs {sorted(other)}")
    diffs = [other[fold] - baseline[fold] for fold in sorted(baseline)]
    better = sum(1 for d in diffs if d > 0)
    worse = sum(1 for d in diffs if d < 0)
    return better, worse, sum(diffs) / len(diffs)


def compare_folds__right_direct_comparisons(baseline, other):
    if baseline.keys() != other.keys():
        raise ValueError("the two were not measured on the same folds")
    better = worse = 0
    total = 0.0
    for fold, base in baseline.items():
        value = other[fold]
        if value > base:
            better += 1
        elif value < base:
            worse += 1
        total += value - base
    return better, worse, total / len(baseline)


# WRONG: pairs accuracies by their order in the dicts (zip of values), not by fold number.
def compare_folds__wrong_pairs_by_order(baseline, other):
    if len(baseline) != len(other):
        raise ValueError("different number of folds")
    diffs = [o - b for b, o in zip(baseline.values(), other.values())]
    return sum(d > 0 for d in diffs), sum(d < 0 for d in diffs), sum(diffs) / len(diffs)


# WRONG: a tie is counted as worse (worse = folds - better).
def compare_folds__wrong_ties_count_as_worse(baseline, other):
    if set(baseline) != set(other):
        raise ValueError("not the same folds")
    diffs = [other[f] - baseline[f] for f in baseline]
    better = sum(d > 0 for d in diffs)
    return better, len(diffs) - better, sum(diffs) / len(diffs)


# WRONG: the mean difference has its sign flipped (baseline - other).
def compare_folds__wrong_sign_flipped_mean(baseline, other):
    if set(baseline) != set(other):
        raise ValueError("not the same folds")
    diffs = [baseline[f] - other[f] for f in baseline]
    return sum(d < 0 for d in diffs), sum(d > 0 for d in diffs), sum(diffs) / len(diffs)


# WRONG: only checks the number of folds: same count but different fold numbers raises KeyError, not ValueError.
def compare_folds__wrong_keyerror_not_valueerror(baseline, other):
    if len(baseline) != len(other):
        raise ValueError("not the same folds")
    diffs = [other[f] - baseline[f] for f in baseline]
    return sum(d > 0 for d in diffs), sum(d < 0 for d in diffs), sum(diffs) / len(diffs)


# WRONG: checks only that baseline's folds are in `other`; extra folds in `other` pass silently.
def compare_folds__wrong_one_sided_check(baseline, other):
    for fold in baseline:
        if fold not in other:
            raise ValueError(f"fold {fold} missing from other")
    diffs = [other[f] - baseline[f] for f in baseline]
    return sum(d > 0 for d in diffs), sum(d < 0 for d in diffs), sum(diffs) / len(diffs)


# WRONG: silently compares only the folds both have (intersection), never raises ValueError.
def compare_folds__wrong_silent_intersection(baseline, other):
    common = sorted(set(baseline) & set(other))
    diffs = np.array([other[f] - baseline[f] for f in common])
    return int((diffs > 0).sum()), int((diffs < 0).sum()), float(diffs.mean())
