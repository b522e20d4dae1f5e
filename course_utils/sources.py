"""Where the data comes from: real ESC-50, a mirror, a local folder, or the offline stand-in."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pooch
import requests

from .constants import ENV_CACHE_DIR, ENV_SOURCE, ESC50_BASE_URL, METADATA_PATH
from .notebook_format import STANDIN_MARK

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Source:
    """A place holding ESC-50's layout (`meta/esc50.csv`, `audio/*.wav`).

    kind is "esc50" (the real data on GitHub), "mirror" (any HTTP(S) copy), "folder"
    (a local copy) or "synthetic" (the generated stand-in); location is a URL or a path.
    """

    kind: str
    location: str = ""

    @property
    def is_remote(self) -> bool:
        return self.kind in ("esc50", "mirror")

    @property
    def cache_name(self) -> str:
        """Folder name in the cache: each source gets its own, so data never mixes."""
        if self.kind in ("esc50", "synthetic"):
            return self.kind
        digest = hashlib.sha256(self.location.encode()).hexdigest()[:10]
        return f"{self.kind}-{digest}"

    def url(self, relative_path: str) -> str:
        return f"{self.location.rstrip('/')}/{relative_path}"

    def __str__(self) -> str:
        labels = {
            "esc50": "ESC-50 on GitHub",
            "mirror": f"ESC-50 mirror at {self.location}",
            "folder": f"local ESC-50 copy in {self.location}",
            "synthetic": "offline stand-in (generated sound, not real ESC-50)",
        }
        return labels[self.kind]


ESC50 = Source("esc50", ESC50_BASE_URL)
SYNTHETIC = Source("synthetic")

STANDIN_BANNER = """\
{rule}
  {mark} ({reason}).
  These are generated sounds with ESC-50's layout, not real recordings.
  Every accuracy, plot and sound below comes from that stand-in and
  will NOT match the real data set. To use real data, set COURSE_DATA
  to esc50, to a local ESC-50 folder, or to a mirror URL.
{rule}"""


def announce_standin(reason: str) -> None:
    """Print the banner that labels every stand-in run."""
    print(STANDIN_BANNER.format(rule="=" * 72, mark=STANDIN_MARK, reason=reason))


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache folder: the argument, else $COURSE_DATA_DIR, else the user's cache folder."""
    chosen = cache_dir or os.environ.get(ENV_CACHE_DIR) or pooch.os_cache("course_utils")
    return Path(chosen).expanduser()


def check_url_allowed(url: str, allow_insecure: bool = False) -> None:
    """Refuse plain HTTP except on this machine, unless the caller insists."""
    parsed = urlparse(url)
    if parsed.scheme == "https":
        return
    if parsed.scheme == "http" and (parsed.hostname in LOOPBACK_HOSTS or allow_insecure):
        return
    raise ValueError(
        f"refusing data source {url!r}: use https://, a server on 127.0.0.1, "
        "or pass allow_insecure=True to accept plain http from another host"
    )


def esc50_reachable(timeout: float = 3.0) -> str | None:
    """None when ESC-50's metadata answers within `timeout` seconds, else the reason it did not."""
    try:
        response = requests.head(ESC50.url(METADATA_PATH), timeout=timeout, allow_redirects=True)
        response.raise_for_status()
    except requests.RequestException as error:
        return type(error).__name__
    return None


def resolve_source(
    spec: str | os.PathLike | Source | None = None,
    *,
    probe_timeout: float = 3.0,
    allow_insecure: bool = False,
) -> Source:
    """Turn "auto", "esc50", "synthetic", a URL or a folder (default: $COURSE_DATA) into a Source.

    "auto" uses real ESC-50 when it answers quickly, and otherwise the stand-in, announced
    by a banner so that nobody mistakes its numbers for real results.
    """
    if isinstance(spec, Source):
        return spec
    text = str(spec if spec is not None else os.environ.get(ENV_SOURCE) or "auto").strip()
    if text == "auto":
        reason = esc50_reachable(probe_timeout)
        if reason is None:
            return ESC50
        print(f"ESC-50 could not be reached ({reason}): switching to the offline stand-in.")
        return SYNTHETIC
    if text == "esc50":
        return ESC50
    if text == "synthetic":
        return SYNTHETIC
    if "://" in text:
        check_url_allowed(text, allow_insecure)
        return Source("mirror", text.rstrip("/"))
    folder = Path(text).expanduser().resolve()
    if not (folder / METADATA_PATH).is_file():
        raise ValueError(
            f"data source {text!r} is neither 'auto', 'esc50', 'synthetic', a URL, "
            f"nor a folder with ESC-50's layout ({folder / METADATA_PATH} not found)"
        )
    return Source("folder", str(folder))
