"""Audio-to-audio transfer, measured: pre-train on other sounds, then learn the target from few clips.

    python -m scripts.experiments.transfer_study                                    # the offline stand-in
    python -m scripts.experiments.transfer_study --source ../shared/esc50-sample \\
        --categories dog cow rooster vacuum_cleaner                     # real ESC-50 clips

Prints mean +- std validation accuracy over the five folds for each arm and number of shots,
with the training steps and the accuracy on the training clips, then paired 95% t-intervals of
the differences that matter and the conclusions they support; `--out FILE.md` also writes them
as Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import torch

from course_utils.audio import mel_spectrogram_db
from course_utils.atomic import write_text_atomically
from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.esc50 import load_metadata, prepare_data, select_categories
from course_utils.datasets import WavDataset
from course_utils.few_shot import (ARMS, STUDY_EPOCHS, PretrainRecipe, comparisons, conclusions, few_shot_study,
                                   mean_steps, prepare_source_data, pretrain, spectrogram_table)


@dataclasses.dataclass
class StudyInputs:
    """Everything a few-shot study needs: the target clips as a table, and a body pre-trained on others."""

    source: str
    standin: bool
    source_categories: tuple[str, ...]
    source_clips: int
    metadata: pd.DataFrame
    features: torch.Tensor
    targets: torch.Tensor
    body: torch.nn.Module
    pretrain_seconds: float


def study_inputs(source: str, categories: list[str], pretrain_epochs: int, min_source_categories: int) -> StudyInputs:
    """Fetch the target and source clips into a temporary cache, then pre-train on the source."""
    with tempfile.TemporaryDirectory() as cache:
        source_data = prepare_source_data(categories, minimum=min_source_categories,
                                          source=source, cache_dir=cache, progress=False)
        source_all = select_categories(load_metadata(source_data.source, cache), source_data.categories)
        body_features, body_targets = spectrogram_table(
            WavDataset(source_all, source_data.audio_dir, source_data.categories, mel_spectrogram_db))
        t0 = time.perf_counter()
        body = pretrain(body_features, body_targets, PretrainRecipe(epochs=pretrain_epochs)).features
        pretrain_seconds = time.perf_counter() - t0
        target_data = prepare_data(categories, source=source, cache_dir=cache, progress=False)
        target_all = select_categories(load_metadata(target_data.source, cache), categories)
        features, targets = spectrogram_table(WavDataset(target_all, target_data.audio_dir, categories,
                                                         mel_spectrogram_db))
    return StudyInputs(str(target_data.source), target_data.standin, tuple(source_data.categories), len(source_all),
                       target_all, features, targets, body, pretrain_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--source", default="synthetic")
    parser.add_argument("--categories", nargs="+", default=list(DEFAULT_CATEGORIES))
    parser.add_argument("--shots", nargs="+", type=int, default=[2, 4, 8, 32])
    parser.add_argument("--pretrain-epochs", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=STUDY_EPOCHS, help="passes over each run's training clips")
    parser.add_argument("--min-source-categories", type=int, default=4,
                        help="fewest categories to pre-train on (a partial copy may hold few besides the targets)")
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args()
    start = time.perf_counter()
    inputs = study_inputs(args.source, args.categories, args.pretrain_epochs, args.min_source_categories)
    t0 = time.perf_counter()
    study = few_shot_study(inputs.metadata, inputs.features, inputs.targets, inputs.body, shots=args.shots,
                           epochs=args.epochs)
    study_seconds = time.perf_counter() - t0
    header = [f"source: {inputs.source}; pre-trained on {', '.join(inputs.source_categories)} ({inputs.source_clips} clips)",
              f"target: {', '.join(args.categories)}; 5-fold cross-validation; every run trained for "
              f"{args.epochs} passes over its training clips"]
    times = (f"pre-training {inputs.pretrain_seconds:.0f} s, study {study_seconds:.0f} s, "
             f"total {time.perf_counter() - start:.0f} s")
    table = results_table(study, args.shots)
    tests = comparisons(study).reset_index()
    for column in ("mean", "low", "high"):
        tests[column] = tests[column].map("{:+.3f}".format)
    findings = conclusions(study)
    print("\n".join(header), table, tests.to_string(index=False), *findings, times, sep="\n")
    if args.out:
        text = "\n".join([
            f"# Transfer from other sounds: {', '.join(args.categories)}", "",
            f"- data: {args.source}"
            f" ({'offline stand-in' if inputs.standin else 'real ESC-50 clips'})",
            f"- source task: {', '.join(inputs.source_categories)} ({inputs.source_clips} clips), {args.pretrain_epochs} epochs",
            f"- run: {datetime.date.today()}, {os.cpu_count()} CPU cores, torch {torch.__version__}; {times}",
            f"- made by: `python -m scripts.experiments.transfer_study {' '.join(shlex.quote(a) for a in sys.argv[1:])}`",
            f"- every run trained for {args.epochs} passes over its training clips (so more clips, more steps);",
            "  validation accuracy, mean ± std over 5 folds; in brackets: accuracy on the run's own training clips",
            "", table, "",
            "Paired differences over the 5 folds (mean, 95% t-interval; a verdict only where it excludes zero):", "",
            markdown_table(tests), "", *[f"- {line}" for line in findings], ""])
        write_text_atomically(args.out, text)
        print(f"wrote {args.out}")


def results_table(study, shots) -> str:
    """Markdown: validation accuracy mean ± std, training accuracy and steps, per shots and arm."""
    means = study.groupby(["shots", "arm"])[["accuracy", "train_accuracy"]].agg(["mean", "std"])
    steps = mean_steps(study)
    rows = ["| clips per category | " + " | ".join(ARMS) + " |", "| ---: |" + " ---: |" * len(ARMS)]
    for k in shots:
        cells = [f"{means.loc[(k, arm), ('accuracy', 'mean')]:.3f} ± {means.loc[(k, arm), ('accuracy', 'std')]:.3f} "
                 f"(train {means.loc[(k, arm), ('train_accuracy', 'mean')]:.2f}, {steps.loc[k, arm]} steps)"
                 for arm in ARMS]
        rows.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def markdown_table(frame) -> str:
    """A DataFrame as a Markdown table (no tabulate needed)."""
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + " --- |" * len(frame.columns)
    return "\n".join([header, rule, *("| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False))])

if __name__ == "__main__":
    main()
