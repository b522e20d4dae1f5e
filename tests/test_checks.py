"""Every exercise check accepts a right answer and rejects a typical wrong one with a hint."""

import re

import numpy as np
import pytest
import torch
from torch import nn

from course_utils import notebook_format as fmt
from course_utils import checks
from course_utils.augment import time_mask, time_shift
from course_utils.data import prepare_data, select_categories, split_by_fold
from course_utils.datasets import WavDataset
from course_utils.models import count_parameters


def _right_split(metadata, categories, val_fold=1):
    return split_by_fold(select_categories(metadata, categories), val_fold)


def _download(url, destination, careful=True):
    import requests

    response = requests.get(url, timeout=10)
    if careful:
        response.raise_for_status()
    destination.write_bytes(response.content)


def _replace_head(model, n_classes):
    model.requires_grad_(False)
    model.fc = nn.Linear(512, n_classes)
    return model


def _finetune(model):
    model.body.layer4.requires_grad_(True)
    return torch.optim.Adam([{"params": model.head.parameters(), "lr": 1e-3},
                             {"params": model.body.layer4.parameters(), "lr": 1e-4}])


CASES = {
    "split": (checks.check_split, _right_split,
              lambda m, c, f=1: (m[m["fold"] != f], m[m["fold"] == f])),
    "download": (checks.check_download, _download, lambda u, d: _download(u, d, careful=False)),
    "frame_count": (checks.check_frame_count, lambda n, hop: 1 + n // hop, lambda n, hop: n // hop),
    "to_db": (checks.check_to_db,
              lambda p: np.maximum(10 * np.log10(np.maximum(p, 1e-10) / p.max()), -80),
              lambda p: 10 * np.log10(p / p.max())),
    "frames": (checks.check_frames, lambda w, n: w.reshape(len(w), -1, n),
               lambda w, n: w.reshape(-1, n, len(w)).transpose(1, 2)),
    "count_trainable": (checks.check_count_trainable, lambda m: count_parameters(m)[0],
                        lambda m: count_parameters(m)[1]),
    "flatten_size": (checks.check_flatten_size, lambda h, w: 128 * (h // 16) * (w // 16),
                     lambda h, w: 128 * h * w // 256),
    "accuracy": (checks.check_accuracy, lambda s, t: (s.argmax(1) == t).float().mean(),
                 lambda s, t: (s.argmax(1) == t).float().sum()),
    "time_shift": (checks.check_time_shift, time_shift,
                   lambda s, n, fill: torch.roll(s, n, dims=-1)),
    "time_mask": (checks.check_time_mask, time_mask,
                  lambda s, start, width, fill: s.index_fill_(1, torch.arange(start, min(start + width, 6)), fill)),
    "cache_megabytes": (checks.check_cache_megabytes, lambda n, h, w: n * h * w * 4 / 1e6,
                        lambda n, h, w: n * h * w * 8 / 2**20),
    "finetune_optimizer": (checks.check_finetune_optimizer, _finetune,
                           lambda m: torch.optim.Adam(m.parameters(), lr=1e-3)),
    "standard_error": (checks.check_standard_error, lambda p, n: (p * (1 - p) / n) ** 0.5,
                       lambda p, n: p * (1 - p) / n),
    "fold_summary": (checks.check_fold_summary, lambda v: (np.mean(v), np.std(v, ddof=1)),
                     lambda v: (np.mean(v), np.std(v))),
    "new_head": (checks.check_new_head, _replace_head,
                 lambda m, n: setattr(m, "fc", nn.Linear(512, n)) or m),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_accepts_right_and_rejects_wrong(name, capsys):
    check, right, wrong = CASES[name]
    check(right)
    assert re.fullmatch(r"Exercise \d\.\d: correct\.\n", capsys.readouterr().out)
    with pytest.raises(checks.WrongAnswer):
        check(wrong)


def test_check_getitem(tmp_path, capsys):
    data = prepare_data(["dog", "cow"], source="synthetic", cache_dir=tmp_path, progress=False)

    class Right(WavDataset):
        pass

    class WrongTarget(WavDataset):
        def __getitem__(self, index):
            features, target, label = super().__getitem__(index)
            return features, 0, label

    checks.check_getitem(Right, data.val, data.audio_dir, data.categories)
    assert capsys.readouterr().out.endswith(fmt.verdict("3.1"))
    with pytest.raises(checks.WrongAnswer, match="position in `categories`"):
        checks.check_getitem(WrongTarget, data.val, data.audio_dir, data.categories)
