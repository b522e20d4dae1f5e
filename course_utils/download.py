"""Fetching clips: in parallel, with retries, validated, never leaving a broken file behind.

Each file is fetched under a unique name into a staging folder, checked, and only then
renamed into the cache, so the cache holds complete, valid clips and nothing else, even when
several processes fill it at once or a download is killed halfway. Nothing here depends on
the operating system: no process ids, no signals, no file locks.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import pandas as pd
import pooch
import requests
import soundfile as sf

from .constants import AUDIO_DIR, CLIP_SAMPLE_RATE, CLIP_SAMPLES
from .progress import progress_bar
from .sources import Source, cache_root, resolve_source
from .synthetic import write_clip

MAX_CLIP_BYTES = 2 * 1024 * 1024  # an ESC-50 clip is 441 kB; anything past this is not one
STAGING_DIR = ".staging"
STALE_AFTER = 3600.0  # seconds; a staged file untouched this long belongs to a download that died

pooch.get_logger().setLevel("WARNING")  # pooch logs every file it fetches at INFO level


DOCTOR_HINT = ("To check the set-up (packages, data source, cache folder, network): "
               "`from course_utils.doctor import report; report()` in a notebook, "
               "or `python -m course_utils doctor` in a terminal.")


class DownloadError(RuntimeError):
    """Some files could not be fetched; `failures` maps each file name to its cause."""

    def __init__(self, failures: dict[str, str], source: Source):
        self.failures = dict(sorted(failures.items()))
        lines = [f"  {name}: {why}" for name, why in self.failures.items()]
        super().__init__(
            f"{len(lines)} file(s) could not be fetched from {source}:\n" + "\n".join(lines)
            + f"\n{DOCTOR_HINT}"
        )


class _PermanentError(Exception):
    """A failure that retrying cannot fix (a missing file, a forbidden URL)."""


def clip_problem(path: str | os.PathLike) -> str | None:
    """What is wrong with `path` as an ESC-50 clip (5 s, mono, 44.1 kHz WAV), or None if nothing."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError as error:
        return f"cannot be opened ({error.strerror})"
    if not head:
        return "empty file"
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return f"not a WAV file (starts with {head!r})"
    try:
        samples, rate = sf.read(path, dtype="int16", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as error:
        return f"unreadable WAV ({error})"
    if rate != CLIP_SAMPLE_RATE:
        return f"sample rate {rate} Hz, expected {CLIP_SAMPLE_RATE} Hz"
    if samples.shape[1] != 1:
        return f"{samples.shape[1]} channels, expected mono"
    if abs(samples.shape[0] - CLIP_SAMPLES) > CLIP_SAMPLE_RATE // 100:
        return f"{samples.shape[0] / rate:.3f} s long, expected {CLIP_SAMPLES / rate:.1f} s"
    return None


class _StreamToFile:
    """A pooch downloader: streams a URL to a file, refusing oversized and short bodies."""

    def __init__(self, timeout: float, max_bytes: int):
        self.timeout = timeout
        self.max_bytes = max_bytes

    def __call__(self, url: str, output_file: str, pooch_obj: object = None) -> None:
        with requests.get(url, stream=True, timeout=self.timeout) as response:
            if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
                raise _PermanentError(f"HTTP {response.status_code} {response.reason}")
            response.raise_for_status()
            declared = int(response.headers.get("Content-Length") or -1)
            if declared > self.max_bytes:
                raise _PermanentError(f"{declared} bytes announced, more than any clip")
            received = 0
            with open(output_file, "wb") as handle:
                for chunk in response.iter_content(chunk_size=64 * 1024):
                    received += len(chunk)
                    if received > self.max_bytes:
                        raise _PermanentError(f"more than {self.max_bytes} bytes, more than any clip")
                    handle.write(chunk)
            if declared >= 0 and received != declared:
                raise OSError(f"connection broken after {received} of {declared} bytes")


def _stage(source: Source, name: str, staging: Path, timeout: float, max_bytes: int) -> Path:
    """Fetch one file of `source` into the staging folder and return where it landed."""
    staged_name = f"{uuid.uuid4().hex}-{name}"
    if source.kind == "synthetic":
        return write_clip(name, staging).rename(staging / staged_name)
    relative = f"{AUDIO_DIR}/{name}"
    if source.kind == "folder":
        original = Path(source.location) / relative
        if not original.is_file():
            raise _PermanentError(f"not in the source folder ({original} does not exist)")
        shutil.copyfile(original, staging / staged_name)
        return staging / staged_name
    fetched = pooch.retrieve(
        source.url(relative), known_hash=None, fname=staged_name, path=staging,
        downloader=_StreamToFile(timeout, max_bytes), progressbar=False,
    )
    return Path(fetched)


def fetch_url(url: str, target: Path, timeout: float = 10.0, max_bytes: int = MAX_CLIP_BYTES) -> Path:
    """Download `url` to `target` atomically (pooch writes a temporary file, then renames it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(url, known_hash=None, fname=target.name, path=target.parent,
                       downloader=_StreamToFile(timeout, max_bytes), progressbar=False)
    except (requests.RequestException, _PermanentError, OSError) as error:
        raise OSError(f"could not fetch {url}: {_describe(error)}") from error
    return target


def _describe(error: BaseException) -> str:
    if isinstance(error, requests.Timeout):
        return "timed out"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "connection broken during the transfer (body shorter than announced)"
    if isinstance(error, requests.ConnectionError):
        return f"connection failed ({type(error).__name__})"
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"HTTP {error.response.status_code} {error.response.reason}"
    return str(error) or type(error).__name__


def fetch_clip(
    source: Source,
    name: str,
    audio_dir: Path,
    *,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 0.5,
    max_bytes: int = MAX_CLIP_BYTES,
) -> Path:
    """Make `audio_dir/name` a valid clip, fetching it from `source` if it is missing or broken."""
    final = audio_dir / name
    if final.exists():
        if clip_problem(final) is None:
            return final
        final.unlink(missing_ok=True)  # a broken cache entry is never reused
    staging = audio_dir / STAGING_DIR
    staging.mkdir(parents=True, exist_ok=True)
    cause = "not attempted"
    for attempt in range(retries + 1):
        staged = None
        try:
            staged = _stage(source, name, staging, timeout, max_bytes)
            problem = clip_problem(staged)
            if problem is None:
                _move_into_cache(staged, final)
                return final
            cause = f"invalid clip: {problem}"
        except _PermanentError:
            raise
        except (requests.RequestException, OSError, ValueError) as error:
            cause = _describe(error)
        finally:
            if staged is not None and staged.exists():
                staged.unlink()
        if attempt < retries:
            time.sleep(backoff * 2**attempt)
    raise OSError(f"{cause} (after {retries + 1} attempts)")


def _move_into_cache(staged: Path, final: Path) -> None:
    """Rename a checked clip into the cache; a valid copy another process put there first also counts."""
    try:
        os.replace(staged, final)
    except PermissionError:  # Windows refuses to replace a file another process has open
        if not final.exists() or clip_problem(final) is not None:
            raise


def _remove_stale_staging(audio_dir: Path, max_age: float = STALE_AFTER) -> None:
    """Delete staged files that no download has touched for `max_age` seconds (a killed kernel's).

    A live download writes to its file at least every `timeout` seconds, so age alone tells a
    dead download from a running one, on any operating system and across processes.
    """
    cutoff = time.time() - max_age
    for entry in (audio_dir / STAGING_DIR).glob("*"):
        try:
            if entry.stat().st_mtime >= cutoff:
                continue
            if entry.is_dir():  # a per-process folder left by an older version of this module
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            pass  # removed by another process meanwhile, or still open there (Windows)


def _check_free_space(audio_dir: Path, n_files: int) -> None:
    needed = n_files * CLIP_SAMPLES * 2 * 1.1
    free = shutil.disk_usage(audio_dir).free
    if free < needed:
        raise OSError(
            f"not enough free disk space in {audio_dir}: {n_files} clips need about "
            f"{needed / 1e6:.0f} MB, {free / 1e6:.0f} MB free. Set COURSE_DATA_DIR to a larger disk."
        )


def audio_folder(source: Source | str | None = None, cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache folder holding `source`'s clips."""
    return cache_root(cache_dir) / resolve_source(source).cache_name / AUDIO_DIR


def download_clips(
    clips: Iterable[str] | pd.DataFrame,
    source: Source | str | None = None,
    cache_dir: str | os.PathLike | None = None,
    *,
    workers: int = 8,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 0.5,
    progress: bool = True,
) -> list[Path]:
    """Fetch the named clips (file names, or a metadata frame) into the cache; return their paths.

    Valid files already present are kept; missing or broken ones are fetched, with `retries`
    retries per file. If any file still fails, one DownloadError names every failure.
    """
    names = list(clips["filename"] if isinstance(clips, pd.DataFrame) else clips)
    for name in names:
        if Path(name).name != name or name in ("", ".", ".."):
            raise ValueError(f"refusing clip name {name!r}: it must be a plain file name")
    source = resolve_source(source)
    audio_dir = audio_folder(source, cache_dir)
    audio_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(audio_dir)
    missing = [name for name in names if not (audio_dir / name).exists()]
    _check_free_space(audio_dir, len(missing))

    paths: dict[str, Path] = {}
    failures: dict[str, str] = {}
    verb = "Generating stand-in clips" if source.kind == "synthetic" else "Fetching clips"
    options = dict(timeout=timeout, retries=retries, backoff=backoff)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool, progress_bar(
        total=len(names), desc=verb, unit="clip", disable=not progress
    ) as bar:
        futures = {pool.submit(fetch_clip, source, n, audio_dir, **options): n for n in names}
        for future in as_completed(futures):
            name = futures[future]
            try:
                paths[name] = future.result()
            except Exception as error:  # collected, then reported together below
                failures[name] = str(error) or type(error).__name__
            bar.update(1)
    if failures:
        raise DownloadError(failures, source)
    return [paths[name] for name in names]
