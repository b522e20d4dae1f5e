"""Exercise 1.1: train_val_split(metadata, categories, val_fold=1)."""
import pandas as pd


def train_val_split__right_isin_mask(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    train = subset[subset["fold"] != val_fold]
    val = subset[subset["fold"] == val_fold]
    return train, val


def train_val_split__right_query_copy(metadata, categories, val_fold=1):
    wanted = set(categories)
    keep = metadata["category"].map(lambda c: c in wanted)
    in_val = metadata["fold"] == val_fold
    return metadata[keep & ~in_val].copy(), metadata[keep & in_val].copy()


# WRONG: ignores the val_fold argument (always validates on fold 1); only shows when val_fold != 1.
def train_val_split__wrong_ignores_val_fold(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset[subset["fold"] != 1], subset[subset["fold"] == 1]


# WRONG: off-by-one style comparison: train keeps only folds ABOVE val_fold, so folds below it are lost
# (identical to the right answer for val_fold=1, wrong for val_fold=2..5).
def train_val_split__wrong_train_only_later_folds(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset[subset["fold"] > val_fold], subset[subset["fold"] == val_fold]


# WRONG: returns (val, train) instead of (train, val).
def train_val_split__wrong_swapped_order(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset[subset["fold"] == val_fold], subset[subset["fold"] != val_fold]


# WRONG: substring match instead of exact membership: "rain" also matches "train", "dog" would match "hotdog" etc.
def train_val_split__wrong_substring_match(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].str.contains("|".join(categories))]
    return subset[subset["fold"] != val_fold], subset[subset["fold"] == val_fold]


# WRONG: filters categories only for the validation rows; the training rows hold every category.
def train_val_split__wrong_filters_val_only(metadata, categories, val_fold=1):
    train = metadata[metadata["fold"] != val_fold]
    val = metadata[(metadata["fold"] == val_fold) & metadata["category"].isin(categories)]
    return train, val


# WRONG: mutates the caller's DataFrame (adds a helper column in place) while splitting.
def train_val_split__wrong_mutates_input(metadata, categories, val_fold=1):
    metadata["is_val"] = metadata["fold"] == val_fold
    subset = metadata[metadata["category"].isin(categories)]
    return subset[~subset["is_val"]], subset[subset["is_val"]]
