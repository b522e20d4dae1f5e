import pandas as pd

# A module-level list a learner copied from the notebook.
CATEGORIES = ["dog", "cow", "chirping_birds", "vacuum_cleaner"]


def train_val_split__right_isin_mask(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset[subset["fold"] != val_fold], subset[subset["fold"] == val_fold]


def train_val_split__right_loop_query(metadata, categories, val_fold=1):
    wanted = set(categories)
    keep = [category in wanted for category in metadata["category"]]
    subset = metadata.loc[keep]
    train = subset.query("fold != @val_fold")
    val = subset.query("fold == @val_fold")
    return train, val


# WRONG: filters by the module-level CATEGORIES instead of the `categories` argument.
def train_val_split__wrong_global_categories(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(CATEGORIES)]
    return subset[subset["fold"] != val_fold], subset[subset["fold"] == val_fold]


# WRONG: training folds are those *after* val_fold (fold > val_fold); right only when val_fold is 1.
def train_val_split__wrong_only_later_folds_train(metadata, categories, val_fold=1):
    subset = metadata[metadata["category"].isin(categories)]
    return subset[subset["fold"] > val_fold], subset[subset["fold"] == val_fold]


# WRONG: substring matching (str.contains) keeps extra categories, e.g. "rain" also matches "train".
def train_val_split__wrong_substring_match(metadata, categories, val_fold=1):
    mask = metadata["category"].str.contains("|".join(categories))
    subset = metadata[mask]
    return subset[subset["fold"] != val_fold], subset[subset["fold"] == val_fold]


# WRONG: the category filter is applied to the validation rows only; training keeps every category.
def train_val_split__wrong_filter_only_val(metadata, categories, val_fold=1):
    train = metadata[metadata["fold"] != val_fold]
    val = metadata[(metadata["fold"] == val_fold) & metadata["category"].isin(categories)]
    return train, val


# WRONG: drops the unwanted rows from the caller's `metadata` in place (mutates the input).
def train_val_split__wrong_inplace_drop(metadata, categories, val_fold=1):
    metadata.drop(metadata.index[~metadata["category"].isin(categories)], inplace=True)
    return metadata[metadata["fold"] != val_fold], metadata[metadata["fold"] == val_fold]
