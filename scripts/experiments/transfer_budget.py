"""How many passes over its training clips does each arm of the transfer study need?

    python -m scripts.experiments.transfer_budget --source ../shared/esc50-sample \\
        --categories rain sea_waves helicopter chainsaw --epochs 10 20 40 80

Runs the few-shot study (five folds) once per budget and prints, for each arm and number of
shots, the mean accuracy on the run's own training clips and on the validation fold. A budget is
generous enough when every arm fits its training clips with the most shots and more passes no
longer change validation accuracy beyond the folds' noise; `--out FILE.md` also writes the table.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
import time
from pathlib import Path

import pandas as pd
import torch

from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.atomic import write_text_atomically
from course_utils.few_shot import ARMS, few_shot_study
from scripts.experiments.transfer_study import markdown_table, study_inputs


def budget_table(studies: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """One row per (epochs, shots): mean training and validation accuracy of every arm."""
    rows = []
    for epochs, study in studies.items():
        means = study.groupby(["shots", "arm"])[["train_accuracy", "accuracy"]].mean()
        for shots in sorted(study["shots"].unique()):
            row = {"epochs": epochs, "clips per category": shots}
            for arm in ARMS:
                row[f"{arm} train"] = round(means.loc[(shots, arm), "train_accuracy"], 3)
                row[f"{arm} val"] = round(means.loc[(shots, arm), "accuracy"], 3)
            rows.append(row)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--source", default="synthetic")
    parser.add_argument("--categories", nargs="+", default=list(DEFAULT_CATEGORIES))
    parser.add_argument("--shots", nargs="+", type=int, default=[2, 8])
    parser.add_argument("--epochs", nargs="+", type=int, default=[10, 20, 40, 80])
    parser.add_argument("--pretrain-epochs", type=int, default=10)
    parser.add_argument("--min-source-categories", type=int, default=4)
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args()
    start = time.perf_counter()
    inputs = study_inputs(args.source, args.categories, args.pretrain_epochs, args.min_source_categories)
    studies = {epochs: few_shot_study(inputs.metadata, inputs.features, inputs.targets, inputs.body,
                                      shots=args.shots, epochs=epochs) for epochs in args.epochs}
    table = budget_table(studies)
    seconds = time.perf_counter() - start
    print(f"{inputs.source}: {', '.join(args.categories)}; mean over 5 folds", table.to_string(index=False),
          f"{seconds:.0f} s", sep="\n")
    if args.out:
        write_text_atomically(args.out, "\n".join([
            f"# Training budget of the transfer study: {', '.join(args.categories)}", "",
            f"- data: {args.source} ({'offline stand-in' if inputs.standin else 'real ESC-50 clips'}); "
            f"source task: {', '.join(inputs.source_categories)} ({inputs.source_clips} clips)",
            f"- run: {datetime.date.today()}, {os.cpu_count()} CPU cores, torch {torch.__version__}; {seconds:.0f} s",
            f"- made by: `python -m scripts.experiments.transfer_budget {' '.join(shlex.quote(a) for a in sys.argv[1:])}`",
            "- accuracy on the run's own training clips (train) and on the validation fold (val), mean over 5 folds",
            "", markdown_table(table), ""]))
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
