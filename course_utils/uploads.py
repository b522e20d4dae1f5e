"""Files a learner uploads with ipywidgets' FileUpload, saved to a folder, whichever ipywidgets the frontend runs.

ipywidgets 7 (Colab pins 7.7.1) gives `value` as {name: {"metadata": ..., "content": bytes}};
ipywidgets 8 (JupyterLab 4) as a tuple of {"name": ..., "content": memoryview, ...}.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .atomic import atomic_path


def uploaded_files(value: Mapping | Sequence) -> list[tuple[str, bytes]]:
    """(file name, bytes) for each file in a FileUpload's `value`, in either ipywidgets' format."""
    if isinstance(value, Mapping):  # ipywidgets 7
        return [(name, bytes(item["content"])) for name, item in value.items()]
    return [(item["name"], bytes(item["content"])) for item in value]  # ipywidgets 8


def safe_name(name: str) -> str:
    """`name` as a plain file name inside the folder; ValueError for one that is empty or hidden."""
    plain = Path(name.replace("\\", "/")).name
    if not plain or plain.startswith("."):
        raise ValueError(f"refusing the uploaded file name {name!r}: it must be a plain, visible file name")
    return plain


def save_uploads(value: Mapping | Sequence, folder: str | os.PathLike) -> list[Path]:
    """Write every uploaded file into `folder` under its own (plain) name, each whole or not at all."""
    folder = Path(folder)
    saved = []
    for name, content in uploaded_files(value):
        target = folder / safe_name(name)
        with atomic_path(target) as temporary:
            temporary.write_bytes(content)
        saved.append(target)
    return saved
