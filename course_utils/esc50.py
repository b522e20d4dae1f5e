"""The ESC-50 layer: metadata first, then a subset, a fold split, and only the clips needed."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .constants import AUDIO_DIR, DEFAULT_CATEGORIES, ENV_CATEGORIES, FOLDS, METADATA_COLUMNS, METADATA_PATH, VALIDATION_FOLD
from .download import DownloadError, audio_folder, clip_problem, download_clips, fetch_url
from .sources import Source, announce_standin, cache_root, resolve_source
from .synthetic import standin_metadata, write_standin

__all__ = [
    "ChapterData", "DownloadError", "course_categories", "is_standin", "audio_folder", "clip_problem", "download_clips",
    "load_metadata", "prepare_data", "select_categories", "split_by_fold", "validate_metadata",
]

_ANNOUNCED: set[Source] = set()  # sources whose stand-in banner this process has shown
MAX_METADATA_BYTES = 1024 * 1024  # the real file is 98 kB
_CLIP_NAME = re.compile(r"^[0-9]+-[0-9A-Za-z]+-[A-Z]-[0-9]+\.wav$")


def course_categories() -> list[str]:
    """The lesson's categories: $COURSE_CATEGORIES (comma-separated) if set, else the chapter's four."""
    chosen = os.environ.get(ENV_CATEGORIES, "")
    names = [name.strip() for name in chosen.split(",") if name.strip()]
    return names or list(DEFAULT_CATEGORIES)


def validate_metadata(metadata: pd.DataFrame, origin: str = "metadata") -> pd.DataFrame:
    """Check ESC-50's seven columns, their types and the file names; return the columns in order."""
    missing = [column for column in METADATA_COLUMNS if column not in metadata.columns]
    if missing:
        raise ValueError(f"{origin}: missing column(s) {missing}; expected {list(METADATA_COLUMNS)}")
    if metadata.empty:
        raise ValueError(f"{origin}: has no rows")
    frame = metadata[list(METADATA_COLUMNS)].copy()
    for column in ("fold", "target", "src_file"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = frame.loc[numbers.isna() | (numbers != numbers.round()), column]
        if len(bad):
            raise ValueError(f"{origin}: column {column!r} must hold integers, found {bad.iloc[0]!r}")
        frame[column] = numbers.astype(int)
    frame["esc10"] = frame["esc10"].map(
        lambda value: value if isinstance(value, bool) else str(value).strip().lower() == "true"
    )
    bad_names = frame.loc[~frame["filename"].astype(str).str.match(_CLIP_NAME), "filename"]
    if len(bad_names):
        raise ValueError(
            f"{origin}: file name {bad_names.iloc[0]!r} is not of the form "
            "'{fold}-{source}-{take}-{target}.wav'"
        )
    duplicated = frame.loc[frame["filename"].duplicated(), "filename"]
    if len(duplicated):
        raise ValueError(f"{origin}: file name {duplicated.iloc[0]!r} appears more than once")
    return frame.reset_index(drop=True)


def _metadata_file(source: Source, cache_dir: str | os.PathLike | None) -> Path:
    """Local path of `source`'s metadata csv, fetched into the cache first where needed."""
    if source.kind == "folder":
        return Path(source.location) / METADATA_PATH
    root = cache_root(cache_dir) / source.cache_name
    if source.kind == "synthetic":
        write_standin(root, filenames=[])
        return root / METADATA_PATH
    target = root / METADATA_PATH
    if not target.exists():
        fetch_url(source.url(METADATA_PATH), target, max_bytes=MAX_METADATA_BYTES)
    return target


def load_metadata(
    source: Source | str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """ESC-50's metadata table (one row per clip, seven columns) from `source` (default: $COURSE_DATA)."""
    source = resolve_source(source)
    path = _metadata_file(source, cache_dir)
    try:
        try:
            table = pd.read_csv(path)
        except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not a readable metadata csv ({error})") from error
        metadata = validate_metadata(table, origin=str(path))
    except ValueError:
        if source.is_remote:
            path.unlink(missing_ok=True)  # never keep a broken download in the cache
        raise
    if is_standin(metadata) and source not in _ANNOUNCED:
        _ANNOUNCED.add(source)
        announce_standin("generated on this machine" if source.kind == "synthetic" else f"served by {source}")
    return metadata


def is_standin(metadata: pd.DataFrame) -> bool:
    """True when `metadata` lists exactly the offline stand-in's clips, wherever it was served from."""
    return set(metadata["filename"]) == set(standin_metadata()["filename"])


def complete_categories(source: Source | str | os.PathLike | None = None,
                        cache_dir: str | os.PathLike | None = None) -> tuple[str, ...]:
    """The categories whose every clip `source` can give: all, except in a partial local copy."""
    source = resolve_source(source)
    metadata = load_metadata(source, cache_dir)
    if source.kind != "folder":
        return tuple(sorted(set(metadata["category"])))
    present = {path.name for path in (Path(source.location) / AUDIO_DIR).glob("*.wav")}
    return tuple(category for category, rows in metadata.groupby("category", sort=True)
                 if set(rows["filename"]) <= present)


def select_categories(metadata: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """The rows of `metadata` whose category is one of `categories`."""
    if isinstance(categories, str):
        raise TypeError(f"categories must be a list of names, not the string {categories!r}")
    known = sorted(set(metadata["category"]))
    for name in categories:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise ValueError(f"unknown category {name!r}.{hint} Known categories: {', '.join(known)}")
    if len(set(categories)) != len(categories):
        raise ValueError(f"categories contain a duplicate: {list(categories)}")
    return metadata[metadata["category"].isin(categories)].reset_index(drop=True)


def split_by_fold(
    metadata: pd.DataFrame, val_fold: int = VALIDATION_FOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, validation): the validation fold's rows and all the others."""
    if val_fold not in FOLDS:
        raise ValueError(f"val_fold must be one of {FOLDS}, got {val_fold!r}")
    is_val = metadata["fold"] == val_fold
    return metadata[~is_val].reset_index(drop=True), metadata[is_val].reset_index(drop=True)


@dataclass(frozen=True)
class ChapterData:
    """Everything a lesson needs: the source, the split, and where the clips are."""

    source: Source
    standin: bool  # True: generated sounds, not real ESC-50
    categories: tuple[str, ...]
    train: pd.DataFrame
    val: pd.DataFrame
    audio_dir: Path


def prepare_data(
    categories: Sequence[str] | None = None,
    val_fold: int = VALIDATION_FOLD,
    source: Source | str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    **download_options,
) -> ChapterData:
    """Metadata, subset, split and download in one call, as every lesson after the first needs.

    categories defaults to course_categories(): the chapter's four unless $COURSE_CATEGORIES is set.
    """
    categories = list(categories) if categories is not None else course_categories()
    source = resolve_source(source)
    metadata = load_metadata(source, cache_dir)
    subset = select_categories(metadata, categories)
    train, val = split_by_fold(subset, val_fold)
    download_clips(subset, source, cache_dir, **download_options)
    return ChapterData(source, is_standin(metadata), tuple(categories), train, val,
                       audio_folder(source, cache_dir))
