import pytest
import torch
from torch import nn
from torch.utils.data import Dataset

from course_utils.crossval import CrossValidation, cross_validate, cv_table, fold_split

FOLDS = [1, 2, 3, 4, 5] * 8  # 40 items, 8 per fold


class _Items(Dataset):
    """Two separable classes: the label is the sign of the first feature. Records what is read."""

    def __init__(self, folds):
        generator = torch.Generator().manual_seed(0)
        self.x = torch.randn(len(folds), 4, generator=generator)
        self.y = (self.x[:, 0] > 0).long()
        self.read: list[int] = []

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        self.read.append(i)
        return self.x[i], self.y[i]


def test_fold_split_holds_out_exactly_one_fold():
    train, val = fold_split([1, 2, 1, 3, 2], held_out=2)
    assert train == [0, 2, 3] and val == [1, 4]


def test_fold_split_names_a_missing_fold():
    with pytest.raises(ValueError, match="no item belongs to fold 6"):
        fold_split([1, 2, 3], held_out=6)


def test_mean_and_sample_standard_deviation():
    result = CrossValidation({1: 0.5, 2: 1.0, 3: 0.75})
    assert result.mean == pytest.approx(0.75)
    assert result.std == pytest.approx(0.25)
    assert str(result) == "0.750 ± 0.250 over 3 folds"
    assert CrossValidation({1: 0.5}).std == 0.0


def test_every_fold_is_validated_on_unseen_items_only():
    train_items, val_items = _Items(FOLDS), _Items(FOLDS)
    held_out = iter([1, 2, 3, 4, 5])
    leaks = []

    def build_model():
        current = next(held_out)
        start = len(train_items.read), len(val_items.read)
        build_model.marks.append((current, start))
        return nn.Linear(4, 2)

    build_model.marks = []
    result = cross_validate(build_model, train_items, val_items, FOLDS, epochs=1, progress=False)
    marks = build_model.marks + [(None, (len(train_items.read), len(val_items.read)))]
    for (fold, (t0, v0)), (_, (t1, v1)) in zip(marks, marks[1:]):
        trained = {FOLDS[i] for i in train_items.read[t0:t1]}
        validated = {FOLDS[i] for i in val_items.read[v0:v1]}
        leaks += [fold] if fold in trained or validated != {fold} else []
        assert len(set(val_items.read[v0:v1])) == 8
    assert leaks == [] and sorted(result.accuracy) == [1, 2, 3, 4, 5]


def test_learns_a_separable_task_and_repeats_exactly():
    def run():
        return cross_validate(lambda: nn.Linear(4, 2), _Items(FOLDS), _Items(FOLDS), FOLDS,
                              epochs=30, lr=0.05, progress=False)

    first, second = run(), run()
    assert first.mean >= 0.95
    assert first.accuracy == second.accuracy


def test_one_cycle_schedule_is_used_when_asked(monkeypatch):
    from course_utils import crossval

    made = []
    original = crossval.one_cycle
    monkeypatch.setattr(crossval, "one_cycle", lambda *a: made.append(a[1:]) or original(*a))
    result = cross_validate(lambda: nn.Linear(4, 2), _Items(FOLDS), _Items(FOLDS), FOLDS,
                            epochs=20, lr=0.1, schedule=True, progress=False)
    assert made == [(20, 4)] * 5  # 32 training items in batches of 8, for each fold
    assert result.mean >= 0.95
    cross_validate(lambda: nn.Linear(4, 2), _Items(FOLDS), _Items(FOLDS), FOLDS, epochs=1, progress=False)
    assert len(made) == 5


def test_rejects_datasets_that_do_not_match_the_folds():
    with pytest.raises(ValueError, match=r"val_items \(40\) and folds \(39\)"):
        cross_validate(lambda: nn.Linear(4, 2), _Items(FOLDS), _Items(FOLDS), FOLDS[:-1], progress=False)


def test_cv_table_has_one_row_per_method():
    table = cv_table({"a": CrossValidation({1: 0.5, 2: 1.0}), "b": CrossValidation({1: 0.25, 2: 0.25})})
    assert list(table.columns) == ["fold 1", "fold 2", "mean", "std", "se"]
    assert table.loc["a", "mean"] == pytest.approx(0.75) and table.loc["b", "std"] == 0.0
    assert table.loc["a", "se"] == pytest.approx(table.loc["a", "std"] / 2 ** 0.5)


def test_paired_comparison_counts_folds_won_and_lost_and_gives_the_interval():
    from course_utils.crossval import paired_comparison

    baseline = CrossValidation({1: 0.5, 2: 0.75, 3: 1.0})
    other = CrossValidation({1: 0.75, 2: 0.75, 3: 0.875})
    # differences 0.25, 0, -0.125: sd 0.19094, t(0.975, 2 df) = 4.3027, half-width 0.47434
    assert paired_comparison(baseline, other) == (
        "+0.042 (95% interval -0.433 to +0.516, 3 folds): within the noise; "
        "better on 1 fold, worse on 1 fold, equal on 1 fold")
    assert paired_comparison(baseline, baseline).endswith("better on 0 folds, worse on 0 folds, equal on 3 folds")
    with pytest.raises(ValueError, match="different folds"):
        paired_comparison(baseline, CrossValidation({1: 0.5}))


def test_standard_error_is_the_spread_over_the_square_root_of_the_folds():
    cv = CrossValidation({1: 0.5, 2: 0.7, 3: 0.6, 4: 0.8})
    assert cv.standard_error == pytest.approx(cv.std / 2)
