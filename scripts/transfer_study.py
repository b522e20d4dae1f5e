"""Audio-to-audio transfer, measured: pre-train on other sounds, then learn the target from few clips.

    python -m scripts.transfer_study                                    # the offline stand-in
    python -m scripts.transfer_study --source ../shared/esc50-sample \\
        --categories dog cow rooster vacuum_cleaner                     # real ESC-50 clips

Prints mean +- std validation accuracy over the five folds for each arm and number of shots,
the training steps each arm took until its loss levelled off, and how the gain from
pre-training changed; `--out FILE.md` also writes them as Markdown.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import torch

from course_utils.audio import mel_spectrogram_db
from course_utils.files import write_text_atomically
from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.data import load_metadata, prepare_data, select_categories
from course_utils.datasets import WavDataset
from course_utils.transfer import (ARMS, PretrainRecipe, few_shot_study, gain_trend, mean_steps, prepare_source_data,
                                   pretrain, spectrogram_table, summarize)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--source", default="synthetic")
    parser.add_argument("--categories", nargs="+", default=list(DEFAULT_CATEGORIES))
    parser.add_argument("--shots", nargs="+", type=int, default=[2, 4, 8, 32])
    parser.add_argument("--pretrain-epochs", type=int, default=10)
    parser.add_argument("--max-steps", type=int, default=300)
    parser.add_argument("--min-source-categories", type=int, default=4,
                        help="fewest categories to pre-train on (a partial copy may hold few besides the targets)")
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        source_data = prepare_source_data(args.categories, minimum=args.min_source_categories,
                                          source=args.source, cache_dir=cache, progress=False)
        source_categories = source_data.categories
        source_all = select_categories(load_metadata(source_data.source, cache), source_categories)
        body_features, body_targets = spectrogram_table(
            WavDataset(source_all, source_data.audio_dir, source_categories, mel_spectrogram_db))
        t0 = time.perf_counter()
        body = pretrain(body_features, body_targets, PretrainRecipe(epochs=args.pretrain_epochs)).features
        pretrain_seconds = time.perf_counter() - t0
        target_data = prepare_data(args.categories, source=args.source, cache_dir=cache, progress=False)
        target_all = select_categories(load_metadata(target_data.source, cache), args.categories)
        features, targets = spectrogram_table(
            WavDataset(target_all, target_data.audio_dir, args.categories, mel_spectrogram_db))
        t0 = time.perf_counter()
        study = few_shot_study(target_all, features, targets, body, shots=args.shots, max_steps=args.max_steps)
        study_seconds = time.perf_counter() - t0
    print(f"source: {target_data.source}; pre-trained on {', '.join(source_categories)} ({len(source_all)} clips)")
    print(f"target: {', '.join(args.categories)}; 5-fold cross-validation")
    accuracy = summarize(study).round(3)
    steps = mean_steps(study)
    times = (f"pre-training {pretrain_seconds:.0f} s, study {study_seconds:.0f} s, "
             f"total {time.perf_counter() - start:.0f} s")
    print(accuracy.to_string())
    print("training steps until the loss levelled off (mean over folds):")
    print(steps.to_string())
    print(gain_trend(study))
    print(times)
    if args.out:
        means = study.groupby(["shots", "arm"])["accuracy"].agg(["mean", "std"])
        rows = ["| clips per category | " + " | ".join(ARMS) + " |", "| ---: |" + " ---: |" * len(ARMS)]
        for shots in args.shots:
            cells = [f"{means.loc[(shots, arm), 'mean']:.3f} ± {means.loc[(shots, arm), 'std']:.3f} "
                     f"({steps.loc[shots, arm]} steps)" for arm in ARMS]
            rows.append(f"| {shots} | " + " | ".join(cells) + " |")
        text = "\n".join([
            f"# Transfer from other sounds: {', '.join(args.categories)}", "",
            f"- data: {args.source}"
            f" ({'offline stand-in' if target_data.standin else 'real ESC-50 clips'})",
            f"- source task: {', '.join(source_categories)} ({len(source_all)} clips), {args.pretrain_epochs} epochs",
            f"- run: {datetime.date.today()}, {os.cpu_count()} CPU cores, torch {torch.__version__}; {times}",
            f"- made by: `python -m scripts.transfer_study {' '.join(shlex.quote(a) for a in sys.argv[1:])}`",
            "- validation accuracy, mean ± std over 5 folds; each run trained until its training loss levelled off",
            "", *rows, "", gain_trend(study), ""])
        write_text_atomically(args.out, text)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
