import statistics


def compare_folds__right_set_check(baseline, other):
    if set(baseline) != set(other):
        raise ValueError(f"different folds: {sorted(baseline)} vs {sorted(other)}")
    differences = [other[fold] - baseline[fold] for fold in baseline]
    better = sum(1 for d in differences if d > 0)
    worse = sum(1 for d in differences if d < 0)
    return better, worse, sum(differences) / len(differences)


def compare_folds__right_sorted_loop(baseline, other):
    folds = sorted(baseline.keys())
    if folds != sorted(other.keys()):
        raise ValueError("the two results were not measured on the same folds")
    better = worse = 0
    differences = []
    for fold in folds:
        if other[fold] > baseline[fold]:
            better += 1
        elif other[fold] < baseline[fold]:
            worse += 1
        differences.append(other[fold] - baseline[fold])
    return (better, worse, statistics.fmean(differences))


# WRONG: pairs accuracies by their order in the dicts (zip of values), not by fold number.
def compare_folds__wrong_pairs_by_order(baseline, other):
    if set(baseline) != set(other):
        raise ValueError("different folds")
    differences = [o - b for b, o in zip(baseline.values(), other.values())]
    return (sum(d > 0 for d in differences), sum(d < 0 for d in differences),
            sum(differences) / len(differences))


# WRONG: checks only that both dicts have the same number of folds, not the same fold numbers.
def compare_folds__wrong_checks_length_only(baseline, other):
    if len(baseline) != len(other):
        raise ValueError("different number of folds")
    differences = [other[f] - baseline[f] for f in baseline if f in other]
    return (sum(d > 0 for d in differences), sum(d < 0 for d in differences),
            sum(differences) / len(differences))


# WRONG: `>=` counts folds with equal accuracies as better.
def compare_folds__wrong_ties_count_as_better(baseline, other):
    if set(baseline) != set(other):
        raise ValueError("different folds")
    differences = [other[f] - baseline[f] for f in baseline]
    better = sum(1 for f in baseline if other[f] >= baseline[f])
    worse = sum(1 for f in baseline if other[f] < baseline[f])
    return better, worse, sum(differences) / len(differences)


# WRONG: no explicit check: a fold missing from `other` raises KeyError (not ValueError), and extra folds in `other` pass silently.
def compare_folds__wrong_relies_on_keyerror(baseline, other):
    differences = [other[fold] - baseline[fold] for fold in baseline]
    return (sum(d > 0 for d in differences), sum(d < 0 for d in differences),
            sum(differences) / len(differences))


# WRONG: divides the summed differences by 5 (assumes five folds) instead of the number of folds.
def compare_folds__wrong_assumes_five_folds(baseline, other):
    if set(baseline) != set(other):
        raise ValueError("different folds")
    differences = [other[f] - baseline[f] for f in baseline]
    return (sum(d > 0 for d in differences), sum(d < 0 for d in differences), sum(differences) / 5)
