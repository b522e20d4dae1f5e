"""Lesson 8's checks: summarising folds, and comparing two models fold by fold."""

from __future__ import annotations

import numbers
from collections.abc import Callable

from ..crossval import CrossValidation, compare_folds
from .core import AnswerError, WrongAnswer, call, exercise, expect

THEN = "The lesson goes on with the course's version."


@exercise("8.1", then=THEN)
def check_fold_summary(fold_summary: Callable) -> None:
    """Exercise 8.1: fold_summary(accuracies) -> (mean, sample standard deviation)."""
    for values in ([0.5, 1.0, 0.75], [0.9, 0.8, 0.95, 0.85, 0.9], [0.25, 0.75], [0.7, 0.7, 0.7, 0.7]):
        given = list(values)
        want = CrossValidation(dict(enumerate(values)))
        result = call(f"fold_summary({values})", fold_summary, given)
        expect(given == values, "input-changed", "Do not change the list you are given (sorting it in place, say).")
        expect(isinstance(result, tuple | list) and len(result) == 2, "not-a-pair", "Return a pair: (mean, standard deviation).")
        expect(all(isinstance(v, numbers.Real) for v in result), "not-numbers",
               f"Return two numbers (floats), not {[type(v).__name__ for v in result]}.")
        mean, std = (float(v) for v in result)
        expect(abs(mean - want.mean) < 1e-9, "wrong-mean", f"For {values} the mean is {want.mean:.4f}, got {mean:.4f}.")
        population = (sum((v - want.mean) ** 2 for v in values) / len(values)) ** 0.5
        expect(abs(std - population) > 1e-9 or abs(std - want.std) < 1e-9, "population-std",
               f"For {values} expected a standard deviation of {want.std:.4f}, got {std:.4f}, the population's: "
               "divide by n - 1 (the sample standard deviation, ddof=1).")
        expect(abs(std - want.std) < 1e-9, "wrong-std", f"For {values} expected a standard deviation of {want.std:.4f}, "
               f"got {std:.4f}: the square root of the sum of squared differences from the mean, divided by n - 1.")


@exercise("8.2", then=THEN)
def check_compare_folds(compare: Callable) -> None:
    """Exercise 8.2: compare(baseline, other) -> (folds better, folds worse, mean difference), fold by fold."""
    baseline = {1: 0.5, 2: 0.6, 3: 0.7, 4: 0.8, 5: 0.9}
    other = {5: 0.95, 4: 0.8, 3: 0.65, 2: 0.7, 1: 0.55}  # another order: pair by fold, not by position
    for a, b in [(baseline, other), (other, baseline), ({1: 0.25, 2: 0.5}, {2: 0.5, 1: 0.75}),
                 ({3: 0.5, 1: 0.5, 2: 0.5}, {1: 0.5, 2: 0.5, 3: 0.5}), ({2: 0.9, 4: 0.6}, {4: 0.7, 2: 0.4})]:
        given_a, given_b = dict(a), dict(b)
        result = call(f"compare_folds({a}, {b})", compare, given_a, given_b)
        expect(given_a == a and given_b == b, "input-changed", "Do not change the dicts you are given.")
        expect(isinstance(result, tuple | list) and len(result) == 3, "not-a-triple",
               "Return a triple: (folds where `other` is better, folds where it is worse, mean difference).")
        expect(isinstance(result[0], numbers.Integral) and isinstance(result[1], numbers.Integral)
               and isinstance(result[2], numbers.Real), "not-numbers",
               f"Return two whole numbers and a number, not {[type(v).__name__ for v in result]}.")
        better, worse, mean = compare_folds(a, b)
        got = (int(result[0]), int(result[1]), float(result[2]))
        expect(abs(got[2] - mean) < 1e-9, "wrong-mean",
               f"For compare_folds({a}, {b}) expected a mean difference (other - baseline) of {mean:+.3f}, got {got[2]:+.3f}.")
        ties = sum(a[fold] == b[fold] for fold in a)
        expect(not ties or got[:2] not in [(better + ties, worse), (better, worse + ties)], "ties-counted",
               f"For compare_folds({a}, {b}) expected better on {better} and worse on {worse} folds, got {got[0]} and "
               f"{got[1]}: a fold with equal accuracies counts as neither.")
        expect(got[:2] == (better, worse), "not-by-fold",
               f"For compare_folds({a}, {b}) expected better on {better} and worse on {worse} folds, got {got[0]} and "
               f"{got[1]}. Pair the accuracies by fold number (the dicts' keys), and count a fold with equal "
               "accuracies as neither.")
    for a, b in [({1: 0.5, 2: 0.6}, {1: 0.5, 3: 0.6}), ({1: 0.5, 2: 0.6}, {1: 0.5}), ({1: 0.5}, {1: 0.5, 2: 0.6})]:
        try:
            call("compare_folds", compare, a, b)
        except AnswerError as error:
            expect(isinstance(error.error, ValueError), "not-value-error",
                   f"For results on different folds, {a} and {b}, raise ValueError, not {type(error.error).__name__}.")
        else:
            raise WrongAnswer(f"Results measured on different folds, {a} and {b}, cannot be compared fold by fold: "
                              "raise ValueError.", "different-folds-accepted")
