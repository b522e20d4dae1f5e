"""A disk cache for features: one `.npy` file per clip and setting, read with memory mapping.

The file name is a hash of everything that changes the result (the clip's path, size and
modification time, the sampling rate, the transform and its parameters), so a changed setting
never serves stale features. Files are written atomically and read without pickle.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .atomic import atomic_path


def transform_key(transform: Callable | None) -> str:
    """A text that changes whenever the transform or its parameters do."""
    if transform is None:
        return "waveform"
    if isinstance(transform, functools.partial):
        return f"{transform_key(transform.func)}{transform.args!r}{sorted(transform.keywords.items())!r}"
    name = getattr(transform, "__qualname__", None)
    if name is not None and not name.endswith("<lambda>"):
        return f"{transform.__module__}.{name}"
    text = repr(transform)
    if " at 0x" in text:
        raise ValueError(
            f"cannot build a disk-cache key for {text}: use a named function, functools.partial, "
            "or an object whose repr shows all its parameters"
        )
    return text


class DiskCache:
    """Features stored as `.npy` files under `folder`."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def key(self, clip: Path, sr: int, transform: Callable | None) -> str:
        stat = clip.stat()
        text = f"{clip.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{sr}|{transform_key(transform)}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def load(self, key: str) -> np.ndarray | None:
        """The stored array (memory-mapped), or None if absent or unreadable (then it is removed)."""
        path = self.folder / f"{key}.npy"
        try:
            return np.load(path, mmap_mode="r", allow_pickle=False)
        except FileNotFoundError:
            return None
        except (ValueError, OSError, EOFError):
            path.unlink(missing_ok=True)  # a corrupt entry is never reused
            return None

    def save(self, key: str, array: np.ndarray) -> None:
        with atomic_path(self.folder / f"{key}.npy") as temporary, open(temporary, "wb") as handle:
            np.save(handle, np.ascontiguousarray(array), allow_pickle=False)


