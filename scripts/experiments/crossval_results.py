"""Five-fold results of the lessons' models on an ESC-50 folder, written as a Markdown table.

    python -m scripts.experiments.crossval_results --source ../shared/esc50-sample            # ESC-10, all arms
    python -m scripts.experiments.crossval_results --source ../shared/esc50-sample \\
        --categories dog cow rooster vacuum_cleaner --out results/dog-cow-rooster-vacuum.md

Every arm trains a fresh model on four folds and validates on the fifth, for each fold, from
the same seed; the table gives each fold, mean ± standard deviation, the fold-by-fold
comparison with the chapter's CNN, and the wall time of each arm on this machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torchvision.transforms import Compose

from course_utils.audio import mel_spectrogram_db
from course_utils.atomic import write_text_atomically
from course_utils.augment import RandomFrequencyMask, RandomTimeMask, RandomTimeShift
from course_utils.constants import ESC10_CATEGORIES
from course_utils.crossval import CrossValidation, cross_validate, paired_comparison
from course_utils.esc50 import load_metadata, prepare_data, select_categories
from course_utils.datasets import WavDataset
from course_utils.models import BandNormalised, BatchNormCNN, FramedLSTM, SpectrogramCNN, resnet18_transfer

BASELINE = "CNN"


@dataclass
class Arm:
    """One line of the table: a model, the items it trains on, and its training recipe."""

    name: str
    lesson: int
    build: Callable[[], nn.Module]
    train_items: str  # a key of the datasets made in main()
    epochs: int = 10
    lr: float = 1e-3
    batch_size: int = 8
    schedule: bool = False


def arms(n: int) -> list[Arm]:
    """The lessons' models, in the order of the course, and the recipe of lesson 8."""
    return [
        Arm("FramedLSTM on waveforms", 4, lambda: FramedLSTM(n), "waveforms"),
        Arm("CNN", 5, lambda: SpectrogramCNN(n), "plain"),
        Arm("CNN + time shift", 6, lambda: SpectrogramCNN(n), "shifted"),
        Arm("frozen ResNet18 (ImageNet)", 7, lambda: resnet18_transfer(n, freeze=True), "plain", epochs=5),
        Arm("CNN + time shift + SpecAugment masks", 8, lambda: SpectrogramCNN(n), "masked"),
        Arm("CNN + time shift + normalised input", 8, lambda: BandNormalised(SpectrogramCNN(n)), "shifted"),
        Arm("BatchNormCNN + time shift", 8, lambda: BatchNormCNN(n), "shifted", batch_size=16),
        Arm("BatchNormCNN + time shift, 30 epochs, one-cycle", 8, lambda: BatchNormCNN(n), "shifted",
            epochs=30, lr=3e-3, batch_size=16, schedule=True),
        Arm("BatchNormCNN + time shift + narrow masks, 30 epochs, one-cycle", 8, lambda: BatchNormCNN(n),
            "narrow masks", epochs=30, lr=3e-3, batch_size=16, schedule=True),
    ]


def markdown(results: dict[str, CrossValidation], seconds: dict[str, float], lessons: dict[str, int],
             skipped: dict[str, str], header: str) -> str:
    """The report: a header, one table row per arm, then each arm compared with the baseline."""
    folds = sorted(next(iter(results.values())).accuracy) if results else []
    lines = [header, "",
             "| lesson | model | " + " | ".join(f"fold {k}" for k in folds) + " | mean ± std | time |",
             "| --- | --- | " + " | ".join("---:" for _ in folds) + " | ---: | ---: |"]
    for name, lesson in lessons.items():
        if name in results:
            cv = results[name]
            cells = " | ".join(f"{cv.accuracy[k]:.3f}" for k in folds)
            lines.append(f"| {lesson} | {name} | {cells} | **{cv.mean:.3f}** ± {cv.std:.3f} | {seconds[name]:.0f} s |")
        else:
            lines.append(f"| {lesson} | {name} | " + " | ".join("–" for _ in folds) + f" | not run: {skipped[name]} | |")
    if BASELINE in results:
        lines += ["", f"Fold by fold, against the chapter's {BASELINE} (lesson 5):", ""]
        lines += [f"- {name}: {paired_comparison(results[BASELINE], cv)}"
                  for name, cv in results.items() if name != BASELINE]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--source", required=True, help="an ESC-50 folder or URL (as COURSE_DATA)")
    parser.add_argument("--categories", nargs="+", default=list(ESC10_CATEGORIES))
    parser.add_argument("--only", nargs="+", help="run only these arms (names as in the table)")
    parser.add_argument("--epochs-scale", type=float, default=1.0, help="multiply every arm's epochs (for quick checks)")
    parser.add_argument("--out", type=Path, default=Path("results/esc10.md"))
    args = parser.parse_args()

    torch.set_num_threads(os.cpu_count() or 1)
    started = datetime.datetime.now(datetime.timezone.utc)
    with tempfile.TemporaryDirectory() as cache:
        data = prepare_data(args.categories, source=args.source, cache_dir=cache, progress=False)
        clips = select_categories(load_metadata(data.source, cache), args.categories)
        if data.standin:
            print("NOTE: the offline stand-in, not real recordings")
        folds = clips["fold"].tolist()
        cats = list(data.categories)

        def spectrograms(augment=None) -> WavDataset:
            return WavDataset(clips, data.audio_dir, cats, mel_spectrogram_db, augment=augment, cache=True)

        plain = spectrograms()
        datasets = {
            "waveforms": WavDataset(clips, data.audio_dir, cats, cache=True),
            "plain": plain,
            "shifted": spectrograms(RandomTimeShift(0.2)),
            "masked": spectrograms(Compose([RandomTimeShift(0.2), RandomFrequencyMask(16), RandomTimeMask(20)])),
            "narrow masks": spectrograms(Compose([RandomTimeShift(0.2), RandomFrequencyMask(8), RandomTimeMask(10)])),
        }
        results, seconds, lessons, skipped = {}, {}, {}, {}
        for arm in arms(len(cats)):
            if args.only and arm.name not in args.only:
                continue
            lessons[arm.name] = arm.lesson
            if arm.lesson == 7:
                try:
                    arm.build()
                except Exception as error:  # noqa: BLE001 - any failure to get the weights skips the arm
                    skipped[arm.name] = f"ImageNet weights unavailable ({type(error).__name__})"
                    print(f"{arm.name}: skipped, {skipped[arm.name]}")
                    continue
            val_items = datasets["waveforms"] if arm.train_items == "waveforms" else plain
            start = time.perf_counter()
            results[arm.name] = cross_validate(
                arm.build, datasets[arm.train_items], val_items, folds,
                epochs=max(1, round(arm.epochs * args.epochs_scale)), lr=arm.lr,
                batch_size=arm.batch_size, schedule=arm.schedule, progress=False)
            seconds[arm.name] = time.perf_counter() - start
            print(f"{arm.name:50s} {results[arm.name]}  ({seconds[arm.name]:.0f} s)", flush=True)

    per_fold = clips.groupby("fold").size()
    header = "\n".join([
        f"# Five-fold cross-validation: {len(cats)} categories",
        "",
        f"- data: {args.source} ({'offline stand-in' if data.standin else 'real ESC-50 clips'}); "
        f"{len(clips)} clips, {per_fold.min()}-{per_fold.max()} per fold",
        f"- categories: {', '.join(cats)}",
        f"- run: {started:%Y-%m-%d}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores, "
        f"no GPU used, torch {torch.__version__}, Python {platform.python_version()}",
        f"- made by: `python -m scripts.experiments.crossval_results {' '.join(shlex.quote(a) for a in sys.argv[1:])}`",
        "- recipe: Adam, seed 0 for every fold; 10 epochs, learning rate 1e-3, batches of 8 unless the name says otherwise; "
        "BatchNormCNN with batches of 16; one-cycle peaks at 3e-3; time shift up to 20% either way; "
        "masks up to 16 mel bands and 20 frames (narrow: 8 and 10)",
    ])
    write_text_atomically(args.out, markdown(results, seconds, lessons, skipped, header))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
