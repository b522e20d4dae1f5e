"""Measure the chapter's data pipeline and training stages in one run; print a table and a JSON line.

    python -m benchmarks.run                       # the offline stand-in
    COURSE_DATA=../shared/esc50-sample COURSE_CATEGORIES=dog,cow,rooster,vacuum_cleaner python -m benchmarks.run
    python -m benchmarks.run --chapter             # then every lesson, timed as `make chapter` times it

It also measures how much of the CPU's arithmetic the models use (benchmarks/compute.py).

Everything is measured in the same process, one after the other, so that ratios compare
like with like even on a busy machine. Targets (reported, not asserted): cached reads >= 10x
naive from epoch 2 on; parallel download >= 5x serial at 50 ms latency; peak memory < 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from benchmarks import compute
from course_utils.audio import mel_spectrogram_db
from course_utils.augment import RandomTimeShift
from course_utils.esc50 import course_categories, load_metadata, prepare_data, select_categories
from course_utils.datasets import WavDataset
from course_utils.download import download_clips
from course_utils.models import FaultyWaveformLSTM, FramedLSTM, SpectrogramCNN, resnet18_transfer
from course_utils.server import Faults, serve_directory
from course_utils.sources import resolve_source
from course_utils.synthetic import write_standin
from course_utils.training import fit, seed_everything, seeded_loader

CHAPTER_STAGES = ("LSTM", "CNN", "CNN + time shift", "frozen ResNet18")


def read_rates(dataset: WavDataset, epochs: int) -> list[float]:
    """Items per second for each full pass over `dataset`."""
    rates = []
    for _ in range(epochs):
        start = time.perf_counter()
        for index in range(len(dataset)):
            dataset[index]
        rates.append(len(dataset) / (time.perf_counter() - start))
    return rates


def loader_rate(dataset: WavDataset, workers: int) -> float:
    """Items per second for one pass of a DataLoader with `workers` worker processes."""
    loader = seeded_loader(dataset, batch_size=8, shuffle=True, num_workers=workers)
    start = time.perf_counter()
    for _ in loader:
        pass
    return len(dataset) / (time.perf_counter() - start)


def download_seconds(root: Path, names: list[str], workers: int, latency: float) -> float:
    """Wall time to fetch `names` from a local server with `latency` seconds per request."""
    with serve_directory(root, Faults(latency=latency)) as server, tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        download_clips(names, server.url, cache, workers=workers, progress=False)
        return time.perf_counter() - start


def stage_seconds(make_model, train, val, epochs: int, lr: float = 1e-3) -> float:
    """Wall time to train a fresh model on the CPU for `epochs` epochs, with validation after each
    (the CPU, as the chapter's way below runs there)."""
    seed_everything(0)
    start = time.perf_counter()
    model = make_model()
    trainable = [p for p in model.parameters() if p.requires_grad]
    fit(model, seeded_loader(train, 8, shuffle=True), torch.optim.Adam(trainable, lr=lr), epochs,
        device="cpu", val_loader=seeded_loader(val, 8), progress=False)
    return time.perf_counter() - start


def chapter_style_seconds(model, train, val, epochs: int, lr: float = 1e-3) -> float:
    """Wall time of one stage run the chapter's way, for comparison in the same run.

    `train` and `val` decode and resample every clip on every access, as the chapter's
    __getitem__ does; validation runs in training mode with gradients on, as its evaluate() does.
    """
    seed_everything(0)
    start = time.perf_counter()
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    for _ in range(epochs):
        model.train()
        for features, targets, _ in seeded_loader(train, 8, shuffle=True):
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(features), targets).backward()
            optimizer.step()
        for features, targets, _ in seeded_loader(val, 8):
            torch.nn.functional.cross_entropy(model(features), targets).item()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added per request")
    parser.add_argument("--source", default=os.environ.get("COURSE_DATA", "synthetic"))
    parser.add_argument("--chapter", action="store_true", help="then run every lesson and print their times")
    args = parser.parse_args()
    categories = course_categories()
    results: dict[str, float | str] = {"source": args.source, "cpus": os.cpu_count(),
                                       "torch_threads": torch.get_num_threads(), "python": platform.python_version()}

    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        source = resolve_source(args.source)
        data = prepare_data(categories, source=source, cache_dir=work / "cache", progress=False)
        names = list(select_categories(load_metadata(source, work / "cache"), categories)["filename"])

        # 1. Reading features: decode every time vs cache in memory vs cache on disk.
        def dataset(cache):
            return WavDataset(data.train, data.audio_dir, data.categories, mel_spectrogram_db, cache=cache)

        naive, memory, disk = read_rates(dataset(False), 3), read_rates(dataset(True), 3), \
            read_rates(dataset(work / "features"), 3)
        for epoch in range(3):
            results[f"naive_items_per_s_epoch{epoch + 1}"] = naive[epoch]
            results[f"memory_items_per_s_epoch{epoch + 1}"] = memory[epoch]
            results[f"disk_items_per_s_epoch{epoch + 1}"] = disk[epoch]
        results["memory_vs_naive_epochs_2_3"] = min(memory[1] / naive[1], memory[2] / naive[2])
        results["disk_vs_naive_epochs_2_3"] = min(disk[1] / naive[1], disk[2] / naive[2])

        # 2. DataLoader worker processes, on the naive dataset where decoding dominates.
        results["loader_items_per_s_workers0"] = loader_rate(dataset(False), 0)
        results["loader_items_per_s_workers2"] = loader_rate(dataset(False), 2)

        # 3. Downloads from a local server with added latency: one at a time vs the default pool.
        served = work / "served"
        if data.standin:
            write_standin(served, names)
        else:
            (served / "audio").mkdir(parents=True)
            for name in names:
                os.link(data.audio_dir / name, served / "audio" / name)
        results["download_serial_s"] = download_seconds(served, names, 1, args.latency)
        results["download_parallel_s"] = download_seconds(served, names, 8, args.latency)
        results["download_speedup"] = results["download_serial_s"] / results["download_parallel_s"]

        # 4. The chapter's training stages with the course's helpers, at the chapter's epochs.
        n = len(categories)
        waves_train = WavDataset(data.train, data.audio_dir, categories, cache=True)
        waves_val = WavDataset(data.val, data.audio_dir, categories, cache=True)
        specs_train, specs_val = dataset(True), WavDataset(data.val, data.audio_dir, categories,
                                                           mel_spectrogram_db, cache=True)
        shifted = WavDataset(data.train, data.audio_dir, categories, mel_spectrogram_db,
                             augment=RandomTimeShift(), cache=True)
        results["stage_lstm_s"] = stage_seconds(lambda: FramedLSTM(n), waves_train, waves_val, 10)
        results["stage_cnn_s"] = stage_seconds(lambda: SpectrogramCNN(n), specs_train, specs_val, 10)
        results["stage_cnn_augmented_s"] = stage_seconds(lambda: SpectrogramCNN(n), shifted, specs_val, 10)
        results["stage_transfer_s"] = stage_seconds(
            lambda: resnet18_transfer(n, allow_random=True), specs_train, specs_val, 5)
        stages = [results[k] for k in ("stage_lstm_s", "stage_cnn_s", "stage_cnn_augmented_s", "stage_transfer_s")]
        results["stages_total_s"] = sum(stages)

        # 5. The same stages the chapter's way: decoding every epoch, its LSTM over the batch, the
        # augmented CNN continuing from the trained one, validation with gradients on.
        def decoded(rows, transform=None, augment=None):
            return WavDataset(rows, data.audio_dir, categories, transform, augment=augment, cache=False)

        cnn = SpectrogramCNN(n)
        chapter = [
            chapter_style_seconds(FaultyWaveformLSTM(n), decoded(data.train), decoded(data.val), 10),
            chapter_style_seconds(cnn, decoded(data.train, mel_spectrogram_db),
                                  decoded(data.val, mel_spectrogram_db), 10),
            chapter_style_seconds(cnn, decoded(data.train, mel_spectrogram_db, RandomTimeShift()),
                                  decoded(data.val, mel_spectrogram_db), 10),
            chapter_style_seconds(resnet18_transfer(n, allow_random=True), decoded(data.train, mel_spectrogram_db),
                                  decoded(data.val, mel_spectrogram_db), 5),
        ]
        for name, seconds in zip(CHAPTER_STAGES, chapter):
            results[f"chapter_style_{name}_s"] = seconds
        results["chapter_style_total_s"] = sum(chapter)
        results["stages_vs_chapter"] = results["chapter_style_total_s"] / results["stages_total_s"]

    results["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    arithmetic = compute.measure()
    print_table(results)
    print()
    compute.print_table(arithmetic)
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in {**results, **arithmetic}.items()}))
    if args.chapter:
        print("\nthe chapter, lesson by lesson (python -m scripts.run_chapter):", flush=True)
        with tempfile.TemporaryDirectory() as executed:
            subprocess.run([sys.executable, "-m", "scripts.run_chapter", "--out", executed],
                           check=True, env={**os.environ, "COURSE_DATA": args.source})


def print_table(r: dict) -> None:
    rows = [
        ("reading, epoch 1 (items/s): naive / memory / disk",
         f"{r['naive_items_per_s_epoch1']:.0f} / {r['memory_items_per_s_epoch1']:.0f} / {r['disk_items_per_s_epoch1']:.0f}"),
        ("reading, epoch 2 (items/s): naive / memory / disk",
         f"{r['naive_items_per_s_epoch2']:.0f} / {r['memory_items_per_s_epoch2']:.0f} / {r['disk_items_per_s_epoch2']:.0f}"),
        ("reading, epoch 3 (items/s): naive / memory / disk",
         f"{r['naive_items_per_s_epoch3']:.0f} / {r['memory_items_per_s_epoch3']:.0f} / {r['disk_items_per_s_epoch3']:.0f}"),
        ("cached vs naive from epoch 2 (memory, disk; target >= 10x)",
         f"{r['memory_vs_naive_epochs_2_3']:.0f}x, {r['disk_vs_naive_epochs_2_3']:.0f}x"),
        ("DataLoader, naive (items/s): 0 workers / 2 workers",
         f"{r['loader_items_per_s_workers0']:.0f} / {r['loader_items_per_s_workers2']:.0f}"),
        ("download of the clips (s): serial / 8 parallel",
         f"{r['download_serial_s']:.1f} / {r['download_parallel_s']:.1f}"),
        ("parallel vs serial download (target >= 5x)", f"{r['download_speedup']:.1f}x"),
        ("training, LSTM 10 epochs (s)", f"{r['stage_lstm_s']:.1f}"),
        ("training, CNN 10 epochs (s)", f"{r['stage_cnn_s']:.1f}"),
        ("training, CNN + time shift 10 epochs (s)", f"{r['stage_cnn_augmented_s']:.1f}"),
        ("training, frozen ResNet18 5 epochs (s)", f"{r['stage_transfer_s']:.1f}"),
        ("training stages together (s)", f"{r['stages_total_s']:.1f}"),
        ("the same stages the chapter's way (s): " + " + ".join(CHAPTER_STAGES),
         " + ".join(f"{r[f'chapter_style_{name}_s']:.1f}" for name in CHAPTER_STAGES)),
        ("the chapter's way, together (s)", f"{r['chapter_style_total_s']:.1f}"),
        ("the chapter's way / ours, same run", f"{r['stages_vs_chapter']:.1f}x"),
        ("peak resident memory (MiB; target < 2048)", f"{r['peak_rss_mib']:.0f}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"source: {r['source']} | {r['cpus']} CPUs, {r['torch_threads']} torch threads")
    for name, value in rows:
        print(f"{name:<{width}}  {value:>20}")


if __name__ == "__main__":
    main()
