"""Train the chapter's CNN on mel spectrograms with the course's helpers and report validation accuracy.

    python -m scripts.experiments.train_cnn                                  # the real sample beside the project
    python -m scripts.experiments.train_cnn --source synthetic --categories dog cow chirping_birds vacuum_cleaner
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import torch

from course_utils.audio import mel_spectrogram_db
from course_utils.esc50 import prepare_data
from course_utils.datasets import WavDataset
from course_utils.models import SpectrogramCNN
from course_utils.training import evaluate, fit, seed_everything, seeded_loader

REAL_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "esc50-sample"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--source", default=str(REAL_SAMPLE), help="COURSE_DATA-style source")
    parser.add_argument("--categories", nargs="+", default=["dog", "cow", "rooster", "vacuum_cleaner"])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    start = time.perf_counter()
    seed_everything(args.seed)
    with tempfile.TemporaryDirectory() as cache:
        data = prepare_data(args.categories, source=args.source, cache_dir=cache, progress=False)
        train = WavDataset(data.train, data.audio_dir, data.categories, mel_spectrogram_db, cache=True)
        val = WavDataset(data.val, data.audio_dir, data.categories, mel_spectrogram_db, cache=True)
        model = SpectrogramCNN(len(data.categories))
        history = fit(model, seeded_loader(train, 8, shuffle=True, seed=args.seed),
                      torch.optim.Adam(model.parameters(), lr=1e-3), args.epochs,
                      val_loader=seeded_loader(val, 8), progress=False)
        result = evaluate(model, seeded_loader(val, 8))
    print(history.as_frame().round(3).to_string())
    print(f"source: {data.source}")
    print(f"categories: {', '.join(data.categories)}; {len(train)} training / {len(val)} validation clips")
    print(f"final validation accuracy: {result.accuracy:.3f}")
    print(f"wall time: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
