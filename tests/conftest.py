"""Shared fixtures: a stand-in ESC-50 folder, a local server for it, the real sample if present, Chromium."""

from __future__ import annotations

import importlib
import ipaddress
import os
import socket
from pathlib import Path

import pytest

from course_utils.constants import DEFAULT_CATEGORIES
from course_utils.esc50 import select_categories
from course_utils.server import Faults, serve_directory
from course_utils.synthetic import standin_metadata, write_standin
from scripts.repo import REPO

REAL_SAMPLE = Path(os.environ.get("COURSE_REAL_SAMPLE", REPO.parent / "shared" / "esc50-sample"))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's COURSE_DATA or writes into the real cache."""
    monkeypatch.delenv("COURSE_DATA", raising=False)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "default-cache"))


LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str) or host.lower() in LOOPBACK_NAMES:
        return True  # a non-string host is a Unix socket's path or a port-only lookup
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _internet_only_where_marked(request, monkeypatch):
    """A test reaches beyond 127.0.0.1 only when marked `network`; otherwise it fails, naming the host."""
    if request.node.get_closest_marker("network"):
        return
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def refuse(host: object) -> None:
        raise AssertionError(f"{request.node.nodeid} reached for {host!r}: mark it @pytest.mark.network")

    def guarded_lookup(host, *args, **kwargs):
        if not _is_loopback(host):
            refuse(host)
        return lookup(host, *args, **kwargs)

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            refuse(address[0])
        return connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def internet() -> None:
    """Skips, with the reason, a `network` test where GitHub cannot be reached (CI, this course's offline runs)."""
    from course_utils.doctor import esc50_reachable

    reason = esc50_reachable(3.0)
    if reason is not None:
        pytest.skip(f"offline: GitHub is not reachable ({reason})")


@pytest.fixture(scope="session")
def chapter_clips() -> list[str]:
    """File names of the chapter's 160 clips (dog, cow, chirping_birds, vacuum_cleaner)."""
    return list(select_categories(standin_metadata(), DEFAULT_CATEGORIES)["filename"])


@pytest.fixture(scope="session")
def standin_root(tmp_path_factory, chapter_clips) -> Path:
    """A folder in ESC-50 layout holding the stand-in's metadata and the chapter's 160 clips."""
    return write_standin(tmp_path_factory.mktemp("standin"), chapter_clips)


@pytest.fixture
def server(standin_root):
    """A local HTTP server for `standin_root`; tests set `server.faults` as they need."""
    with serve_directory(standin_root, Faults()) as running:
        yield running


@pytest.fixture
def real_sample() -> Path:
    """The partial real ESC-50 copy beside the project; the test is skipped where it is absent."""
    if not (REAL_SAMPLE / "meta" / "esc50.csv").is_file():
        pytest.skip(f"real ESC-50 sample not found at {REAL_SAMPLE}")
    return REAL_SAMPLE


@pytest.fixture(scope="session")
def load_script():
    """A script as a module, as `python -m scripts.NAME` imports it: load_script("emulate")."""

    def load(name: str):
        return importlib.import_module(f"scripts.{name}")

    return load


SUBMISSION_CELL_SECONDS = 20  # the grader's per-cell limit while grading the made submissions


@pytest.fixture(scope="session")
def graded_submissions(load_script, tmp_path_factory) -> dict:
    """Every submission scripts/make_submissions.py makes (lesson 1), graded once a session as `grade`
    grades them, from the stand-in served here: file name -> Graded (test_grader, test_gradescope)."""
    from course_utils.grading.grader import Limits, find_submissions, grade_all
    from course_utils.server import serve_course_data

    folder = tmp_path_factory.mktemp("submissions")
    load_script("make_submissions").write(folder)
    with serve_course_data(None, tmp_path_factory.mktemp("standin")) as url:
        results = grade_all(find_submissions([folder]), url, Limits(cell_seconds=SUBMISSION_CELL_SECONDS), jobs=2,
                            progress=False)
    return {g.submission.name: g for g in results}


CHROMIUM = Path("/usr/bin/chromium")
# Without these, Chromium keeps trying to reach Google's services, which a closed network refuses;
# the last lets a page's script start a clip without a click.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--autoplay-policy=no-user-gesture-required"]


def require_or_skip(missing: str) -> None:
    """Skip for want of `missing`, unless COURSE_REQUIRE_BROWSER=1 (as in CI) makes that a failure."""
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"COURSE_REQUIRE_BROWSER=1 but {missing}")
    pytest.skip(missing)


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (Debian: apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (no browser is downloaded)."""
    missing = _missing_browser()
    if missing:
        require_or_skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
