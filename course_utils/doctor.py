"""`python -m course_utils doctor`: check the set-up, one line per check, with a fix for each problem."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import requests

from .sources import ENV_SOURCE, cache_root, esc50_reachable

PACKAGES = ("torch", "torchvision", "torchsummary", "librosa", "soundfile", "numpy", "pandas",
            "matplotlib", "tqdm", "ipywidgets", "pooch", "requests")
MIN_PYTHON = (3, 11)  # as pyproject.toml's requires-python
MIN_FREE_MB = 500  # the chapter's clips take about 70 MB, lesson 7's source clips 140 MB more


@dataclass
class Check:
    ok: bool
    what: str
    fix: str = ""

    def line(self) -> str:
        status = "OK     " if self.ok else "PROBLEM"
        return f"{status}  {self.what}" + (f"\n         fix: {self.fix}" if self.fix and not self.ok else "")


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    oldest = ".".join(map(str, MIN_PYTHON))
    return Check(sys.version_info >= MIN_PYTHON, f"Python {version}", f"install Python {oldest} or newer")


def check_package(name: str) -> Check:
    try:
        module = importlib.import_module(name)
    except ImportError as error:
        return Check(False, f"{name} cannot be imported ({error})", 'pip install -e . (or pip install "course_utils @ git+URL")')
    return Check(True, f"{name} {getattr(module, '__version__', '(no version)')}")


def check_accelerator() -> Check:
    import torch

    if torch.cuda.is_available():
        return Check(True, f"GPU: {torch.cuda.get_device_name(0)}")
    if torch.backends.mps.is_available():
        return Check(True, "GPU: Apple MPS")
    return Check(True, "no GPU: the course runs on the CPU (every lesson is sized for it)")


def check_esc50(timeout: float = 3.0) -> Check:
    reason = esc50_reachable(timeout)
    if reason is None:
        return Check(True, "ESC-50 on GitHub is reachable")
    return Check(False, f"ESC-50 on GitHub is not reachable ({reason})",
                 "lessons fall back to the offline stand-in; for real data set COURSE_DATA "
                 "to a local ESC-50 folder or a mirror URL")


def check_weights(timeout: float = 3.0) -> Check:
    import torch
    from torchvision.models import ResNet18_Weights

    url = ResNet18_Weights.IMAGENET1K_V1.url
    cached = Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[1]
    if cached.is_file():
        return Check(True, f"ResNet18 ImageNet weights are cached ({cached})")
    try:
        requests.head(url, timeout=timeout, allow_redirects=True).raise_for_status()
    except requests.RequestException as error:
        return Check(False, f"ResNet18 ImageNet weights cannot be downloaded ({type(error).__name__})",
                     f"lesson 7 continues with random weights, labelled as such; or place the file at {cached}")
    return Check(True, "ResNet18 ImageNet weights can be downloaded")


def check_data_settings() -> list[Check]:
    source = os.environ.get(ENV_SOURCE) or "auto"
    root = cache_root()
    existing = next((p for p in [root, *root.parents] if p.exists()), Path("/"))
    free_mb = shutil.disk_usage(existing).free / 1e6
    return [
        Check(True, f"data source: COURSE_DATA={source}"),
        Check(free_mb >= MIN_FREE_MB, f"cache folder {root}: {free_mb:,.0f} MB free",
              f"free some space or set COURSE_DATA_DIR to a disk with at least {MIN_FREE_MB} MB free"),
    ]


def run_doctor(timeout: float = 3.0) -> list[Check]:
    """All checks, in the order they are printed."""
    return [check_python(), *map(check_package, PACKAGES), check_accelerator(),
            *check_data_settings(), check_esc50(timeout), check_weights(timeout)]


def report(timeout: float = 3.0) -> int:
    """Print every check with its fix; return the number of problems. The notebooks' one-liner."""
    checks = run_doctor(timeout)
    for check in checks:
        print(check.line())
    problems = sum(not c.ok for c in checks)
    print(f"\n{problems} problem(s)" if problems else "\nall good")
    return problems


def main() -> int:
    return 1 if report() else 0
