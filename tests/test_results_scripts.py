"""scripts/experiments/crossval_results.py and scripts/experiments/transfer_study.py: the Markdown evidence they write."""

import subprocess
import sys

import pytest

from course_utils.crossval import CrossValidation
from scripts.repo import REPO



def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", f"scripts.{script}", *args], capture_output=True,
                          text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_table_has_each_fold_the_spread_and_the_paired_comparison(load_script):
    results = {"CNN": CrossValidation({1: 0.5, 2: 0.6}), "Better": CrossValidation({1: 0.7, 2: 0.6})}
    text = load_script("experiments.crossval_results").markdown(
        results, {"CNN": 12.3, "Better": 40.0}, {"CNN": 5, "Skipped": 7, "Better": 8},
        {"Skipped": "ImageNet weights unavailable"}, "# header")
    lines = text.splitlines()
    assert lines[0] == "# header"
    assert "| 5 | CNN | 0.500 | 0.600 | **0.550** ± 0.071 | 12 s |" in lines
    assert "| 7 | Skipped | – | – | not run: ImageNet weights unavailable | |" in lines
    assert lines.index("| 7 | Skipped | – | – | not run: ImageNet weights unavailable | |") < lines.index(
        "| 8 | Better | 0.700 | 0.600 | **0.650** ± 0.071 | 40 s |")  # rows keep the course's order
    assert ("- Better: +0.100 (95% interval -1.171 to +1.371, 2 folds): within the noise; "
            "better on 1 fold, worse on 0 folds, equal on 1 fold") in lines


@pytest.mark.slow
def test_crossval_results_on_real_clips(real_sample, tmp_path):
    out = tmp_path / "real.md"
    _run("experiments.crossval_results", "--source", str(real_sample), "--categories", "dog", "rooster",
         "--only", "CNN", "BatchNormCNN + time shift", "--epochs-scale", "0.1", "--out", str(out))
    text = out.read_text()
    assert "real ESC-50 clips); 80 clips, 16-16 per fold" in text
    assert "| 5 | CNN |" in text and "| 8 | BatchNormCNN + time shift |" in text
    assert "--epochs-scale 0.1" in text and not list(tmp_path.glob("*.tmp"))


@pytest.mark.slow
def test_transfer_study_writes_its_table(tmp_path):
    out = tmp_path / "transfer.md"
    printed = _run("experiments.transfer_study", "--categories", "dog", "cow", "--shots", "1", "2",
                   "--pretrain-epochs", "1", "--epochs", "2", "--out", str(out))
    text = out.read_text()
    assert "(offline stand-in)" in text and "| 2 | " in text and ", 2 steps)" in text  # 4 clips: one batch a pass
    assert "source task: rooster, rain," in text  # never a target category
    assert "| frozen - scratch | 2 |" in text and "| scratch | 2 - 1 |" in text
    assert "From 1 to 2 clips per category, training from scratch" in printed
    assert "- Pre-training (frozen) " in text
