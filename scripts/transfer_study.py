"""Audio-to-audio transfer, measured: pre-train on other sounds, then learn the target from few clips.

    python scripts/transfer_study.py                                    # the offline stand-in
    python scripts/transfer_study.py --source ../shared/esc50-sample \\
        --categories dog cow rooster vacuum_cleaner                     # real ESC-50 clips

Prints mean +- std validation accuracy over the five folds for each arm and number of shots.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from course_utils.audio import mel_spectrogram_db
from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.data import prepare_data, select_categories, load_metadata
from course_utils.datasets import WavDataset
from course_utils.transfer import few_shot_study, pick_source_categories, pretrain, spectrogram_table, summarise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--source", default="synthetic")
    parser.add_argument("--categories", nargs="+", default=list(DEFAULT_CATEGORIES))
    parser.add_argument("--shots", nargs="+", type=int, default=[2, 4, 8, 32])
    parser.add_argument("--pretrain-epochs", type=int, default=10)
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    start = time.perf_counter()
    source_categories = pick_source_categories(args.categories)
    with tempfile.TemporaryDirectory() as cache:
        source_data = prepare_data(list(source_categories), source=args.source, cache_dir=cache, progress=False)
        source_all = select_categories(load_metadata(source_data.source, cache), source_categories)
        body_features, body_targets = spectrogram_table(
            WavDataset(source_all, source_data.audio_dir, source_categories, mel_spectrogram_db))
        t0 = time.perf_counter()
        body = pretrain(body_features, body_targets, epochs=args.pretrain_epochs).features
        pretrain_seconds = time.perf_counter() - t0
        target_data = prepare_data(args.categories, source=args.source, cache_dir=cache, progress=False)
        target_all = select_categories(load_metadata(target_data.source, cache), args.categories)
        features, targets = spectrogram_table(
            WavDataset(target_all, target_data.audio_dir, args.categories, mel_spectrogram_db))
        t0 = time.perf_counter()
        study = few_shot_study(target_all, features, targets, body, shots=args.shots, steps=args.steps)
        study_seconds = time.perf_counter() - t0
    print(f"source: {target_data.source}; pre-trained on {', '.join(source_categories)} ({len(source_all)} clips)")
    print(f"target: {', '.join(args.categories)}; 5-fold cross-validation")
    print(summarise(study).round(3).to_string())
    print(f"pre-training {pretrain_seconds:.0f} s, study {study_seconds:.0f} s, "
          f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
