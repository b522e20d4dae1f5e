"""How much of the CPU's arithmetic the chapter's models use: GFLOP/s against a float32 matmul's.

    python -m benchmarks.compute

FLOPs are counted by torch.utils.flop_counter (a multiply-add is 2 FLOPs; convolutions and
matrix products only), so a model's figure is those FLOPs over the whole step's time. Every
timing is the best of several rounds, all in the same process.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from course_utils.constants import N_FRAMES, N_MELS
from course_utils.models import BatchNormCNN, SpectrogramCNN, resnet18_transfer
from course_utils.training import fast_layout


def best_seconds(work: Callable[[], object], repeats: int = 10, rounds: int = 5) -> float:
    """The fastest of `rounds` timings of `repeats` calls of `work`, per call (after one warm-up call)."""
    work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            work()
        times.append((time.perf_counter() - start) / repeats)
    return min(times)


def matmul_gflops(n: int = 2048) -> float:
    """GFLOP/s of an n x n float32 matrix product: what this CPU's arithmetic reaches at best."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    return 2 * n**3 / best_seconds(lambda: a @ b, repeats=3) / 1e9


def flops(work: Callable[[], object]) -> int:
    """FLOPs of one call of `work`, as torch.utils.flop_counter counts them."""
    with FlopCounterMode(display=False) as counter:
        work()
    return counter.get_total_flops()


def train_step(model: nn.Module, batch: int = 8) -> Callable[[], None]:
    """One Adam step on a random batch of spectrograms, as `fit` takes it."""
    x, y = torch.randn(batch, N_MELS, N_FRAMES) * 20 - 40, torch.arange(batch) % 4
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)

    def step() -> None:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()

    return step


def inference(model: nn.Module, batch: int = 64) -> Callable[[], None]:
    """Scores for a random batch, in eval mode without gradients, as `evaluate` runs."""
    x = torch.randn(batch, N_MELS, N_FRAMES) * 20 - 40
    model.eval()

    def run() -> None:
        with torch.inference_mode():
            model(x)

    return run


def conv_share(model: nn.Module, batch: int = 8) -> float:
    """The fraction of a training step's time that its convolutions take: each one's forward and
    backward pass timed alone on the input it gets in the model, over the whole step's time."""
    inputs: dict[nn.Module, torch.Tensor] = {}
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks = [c.register_forward_hook(lambda conv, args, out: inputs.__setitem__(conv, args[0].detach()))
             for c in convs]
    step = train_step(model.train(), batch)
    step()
    for hook in hooks:
        hook.remove()

    def forward_backward(conv: nn.Conv2d, x: torch.Tensor) -> Callable[[], None]:
        x = x.clone(memory_format=torch.preserve_format).requires_grad_(conv is not convs[0])
        return lambda: conv(x).sum().backward()

    alone = sum(best_seconds(forward_backward(c, inputs[c])) for c in convs)
    return alone / best_seconds(step)


def measure() -> dict[str, float]:
    """Matmul GFLOP/s, then each model's GFLOP/s in training (batch 8) and inference (batch 64)."""
    torch.manual_seed(0)
    results = {"matmul_gflops": matmul_gflops()}
    models = {
        "cnn": lambda: SpectrogramCNN(4),
        "batchnorm_cnn": lambda: BatchNormCNN(4),
        "resnet18": lambda: resnet18_transfer(4, freeze=True, pretrained=False),
    }
    for name, build in models.items():
        for layout in ("default", "channels_last"):
            model = build() if layout == "default" else fast_layout(build(), "cpu")
            work = {"train": train_step(model.train()), "inference": inference(model)}
            if name == "resnet18":
                work.pop("train")  # lesson 7 trains only the head on the frozen ResNet
            for kind, call in work.items():
                if kind == "train":
                    model.train()
                rate = flops(call) / best_seconds(call) / 1e9
                results[f"{name}_{kind}_{layout}_gflops"] = rate
                results[f"{name}_{kind}_{layout}_of_matmul"] = rate / results["matmul_gflops"]
    results["cnn_train_conv_share"] = conv_share(fast_layout(SpectrogramCNN(4), "cpu"))
    results["cnn_conv_gflops"] = results["cnn_train_channels_last_gflops"] / results["cnn_train_conv_share"]
    return results


def print_table(r: dict[str, float]) -> None:
    print(f"float32 2048 x 2048 matmul: {r['matmul_gflops']:.0f} GFLOP/s (the reference)")
    print(f"{'model, work':36s} {'default layout':>22s} {'channels-last (fit)':>22s}")
    for name in ("cnn", "batchnorm_cnn", "resnet18"):
        for kind in ("train", "inference"):
            key = f"{name}_{kind}"
            if f"{key}_default_gflops" not in r:
                continue
            cells = [f"{r[f'{key}_{layout}_gflops']:5.1f} GFLOP/s ({r[f'{key}_{layout}_of_matmul']:4.0%})"
                     for layout in ("default", "channels_last")]
            batch = 8 if kind == "train" else 64
            print(f"{f'{name}, {kind} (batch {batch})':36s} {cells[0]:>22s} {cells[1]:>22s}")
    print(f"CNN training step (channels-last): {r['cnn_train_conv_share']:.0%} of its time in the convolutions, "
          f"which run at {r['cnn_conv_gflops']:.0f} GFLOP/s ({r['cnn_conv_gflops'] / r['matmul_gflops']:.0%} of the "
          "matmul); the rest (pooling, ReLU, their gradients, Adam) moves memory and does no counted FLOPs")


if __name__ == "__main__":
    print_table(measure())
