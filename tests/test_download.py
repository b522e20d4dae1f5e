import os
import signal
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import pytest

from course_utils import download
from course_utils.download import DownloadError, clip_problem, download_clips

FAST = dict(retries=2, backoff=0.01, timeout=2.0, progress=False)


def _cache_is_clean(cache: Path) -> None:
    """Only valid clips in the audio folder, and no temporary files anywhere."""
    audio = cache / next(p.name for p in cache.iterdir()) / "audio"
    for path in audio.iterdir():
        if path.is_file():
            assert path.suffix == ".wav", f"leftover file {path.name}"
            assert clip_problem(path) is None, f"invalid clip {path.name} in the cache"
    leftovers = [p for p in (audio / ".staging").rglob("*") if p.is_file()]
    assert leftovers == []


def test_download_from_server(server, tmp_path, chapter_clips):
    paths = download_clips(chapter_clips, server.url, tmp_path, **FAST)
    assert [p.name for p in paths] == chapter_clips
    assert all(clip_problem(p) is None for p in paths)
    assert sum(server.requests.values()) == 160
    _cache_is_clean(tmp_path)


def test_valid_files_are_not_fetched_again(server, tmp_path, chapter_clips):
    download_clips(chapter_clips[:10], server.url, tmp_path, **FAST)
    download_clips(chapter_clips[:20], server.url, tmp_path, **FAST)
    assert all(server.requests[name] == 1 for name in chapter_clips[:20])


def test_a_corrupt_cache_entry_is_replaced(server, tmp_path, chapter_clips):
    name = chapter_clips[0]
    (path,) = download_clips([name], server.url, tmp_path, **FAST)
    path.write_bytes(path.read_bytes()[:1000])
    assert clip_problem(path) is not None
    download_clips([name], server.url, tmp_path, **FAST)
    assert clip_problem(path) is None and server.requests[name] == 2


Fault = namedtuple("Fault", "setting expected")
FAULTS = {
    "404": Fault(lambda f, n: f.status.update({n: 404}), "HTTP 404"),
    "500": Fault(lambda f, n: f.status.update({n: 500}), "HTTP 500"),
    "truncated": Fault(lambda f, n: f.truncate.add(n), "connection broken"),
    "dropped": Fault(lambda f, n: f.drop.add(n), "connection failed"),
    "html": Fault(lambda f, n: f.html.add(n), "not a WAV file (starts with b'<!DOCTYPE"),
    "oversize": Fault(lambda f, n: f.oversize.add(n), "more than any clip"),
    "stalled": Fault(lambda f, n: f.stall.add(n), "connection failed"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_fault_ends_in_one_clear_error_and_a_clean_cache(fault, server, tmp_path, chapter_clips):
    server.faults.stall_seconds = 3.0
    broken = chapter_clips[:2]
    for name in broken:
        FAULTS[fault].setting(server.faults, name)
    with pytest.raises(DownloadError) as caught:
        download_clips(chapter_clips[:6], server.url, tmp_path, **{**FAST, "timeout": 1.0})
    assert set(caught.value.failures) == set(broken)
    message = str(caught.value)
    for name in broken:
        assert name in message
    assert FAULTS[fault].expected in message
    _cache_is_clean(tmp_path)
    assert all((tmp_path.glob(f"*/audio/{name}")) for name in chapter_clips[2:6])

    server.faults = type(server.faults)()  # the network recovers: a rerun fetches only what failed
    before = dict(server.requests)
    download_clips(chapter_clips[:6], server.url, tmp_path, **FAST)
    fetched_again = {n for n in chapter_clips[:6] if server.requests[n] > before.get(n, 0)}
    assert fetched_again == set(broken)
    _cache_is_clean(tmp_path)


def test_permanent_errors_are_not_retried(server, tmp_path, chapter_clips):
    server.faults.status[chapter_clips[0]] = 404
    with pytest.raises(DownloadError):
        download_clips(chapter_clips[:1], server.url, tmp_path, **FAST)
    assert server.requests[chapter_clips[0]] == 1


def test_transient_errors_are_retried(server, tmp_path, chapter_clips):
    name = chapter_clips[0]
    server.faults.fail_first[name] = 2
    (path,) = download_clips([name], server.url, tmp_path, **FAST)
    assert clip_problem(path) is None and server.requests[name] == 3


def test_retries_give_up_after_the_limit(server, tmp_path, chapter_clips):
    name = chapter_clips[0]
    server.faults.fail_first[name] = 10
    with pytest.raises(DownloadError, match=r"HTTP 500 .*after 3 attempts"):
        download_clips([name], server.url, tmp_path, **FAST)
    assert server.requests[name] == 3


def test_redirecting_mirror(server, tmp_path, chapter_clips):
    server.faults.redirect = True
    paths = download_clips(chapter_clips[:3], server.url, tmp_path, **FAST)
    assert all(clip_problem(p) is None for p in paths)


def test_missing_file_in_folder_source_is_named(standin_root, tmp_path):
    with pytest.raises(DownloadError, match=r"1-999999-A-0.wav: not in the source folder"):
        download_clips(["1-999999-A-0.wav"], str(standin_root), tmp_path, **FAST)


@pytest.mark.parametrize("name", ["../../x.wav", "/etc/passwd", "a/b.wav", "..", ""])
def test_names_that_escape_the_cache_are_refused(name, tmp_path):
    with pytest.raises(ValueError, match="plain file name"):
        download_clips([name], "synthetic", tmp_path, **FAST)
    assert not (tmp_path.parent / "x.wav").exists()


def test_too_little_disk_space_is_reported_before_downloading(monkeypatch, server, tmp_path, chapter_clips):
    Usage = namedtuple("Usage", "total used free")
    monkeypatch.setattr(download.shutil, "disk_usage", lambda path: Usage(10**9, 10**9, 10**6))
    with pytest.raises(OSError, match="not enough free disk space"):
        download_clips(chapter_clips, server.url, tmp_path, **FAST)
    assert sum(server.requests.values()) == 0


def test_staged_files_of_a_dead_download_are_removed_and_fresh_ones_kept(tmp_path):
    staging = tmp_path / "synthetic" / "audio" / ".staging"
    staging.mkdir(parents=True)
    old = time.time() - download.STALE_AFTER - 60
    dead_file, dead_folder, fresh = staging / "tmpabc", staging / "4242", staging / "tmpnew"
    dead_file.write_bytes(b"half a clip")
    dead_folder.mkdir()
    (dead_folder / "tmpxyz").write_bytes(b"half a clip")
    fresh.write_bytes(b"another download, in progress")
    for path in (dead_folder / "tmpxyz", dead_folder, dead_file):
        os.utime(path, (old, old))
    download_clips(["1-900000-A-0.wav"], "synthetic", tmp_path, **FAST)
    assert not dead_file.exists() and not dead_folder.exists()
    assert fresh.read_bytes() == b"another download, in progress"


def test_no_process_ids_or_signals_in_the_package():
    """os.kill(pid, 0) is no existence check on Windows: signal 0 is CTRL_C_EVENT there."""
    package = Path(download.__file__).parent
    for module in package.glob("*.py"):
        text = module.read_text()
        for call in ("os.kill(", "signal.", "os.getpid(", "fcntl", "os.fork(", "resource."):
            assert call not in text, f"{module.name} uses {call}, which is not portable"


_DOWNLOAD_SCRIPT = """
import sys
from course_utils.download import download_clips
download_clips(sys.argv[3:], sys.argv[1], sys.argv[2], workers=4, progress=False)
"""


def test_a_killed_download_is_completed_by_a_rerun(server, tmp_path, chapter_clips):
    server.faults.latency = 0.1
    process = subprocess.Popen([sys.executable, "-c", _DOWNLOAD_SCRIPT, server.url, str(tmp_path),
                                *chapter_clips])
    deadline = time.monotonic() + 30
    while sum(server.requests.values()) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    fetched_before = len(list(tmp_path.glob("*/audio/*.wav")))
    assert 0 < fetched_before < 160, "the download should have been interrupted halfway"
    server.faults.latency = 0.0
    paths = download_clips(chapter_clips, server.url, tmp_path, **FAST)
    assert len(paths) == 160 and all(clip_problem(p) is None for p in paths)
    # The killed process's half-written files stay in .staging until they are an hour old.
    old = time.time() - download.STALE_AFTER - 1
    for leftover in tmp_path.glob("*/audio/.staging/*"):
        os.utime(leftover, (old, old))
    download_clips(chapter_clips, server.url, tmp_path, **FAST)
    _cache_is_clean(tmp_path)


def test_two_processes_fill_the_same_cache(server, tmp_path, chapter_clips):
    server.faults.latency = 0.01
    args = [sys.executable, "-c", _DOWNLOAD_SCRIPT, server.url, str(tmp_path), *chapter_clips[:40]]
    processes = [subprocess.Popen(args) for _ in range(2)]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    _cache_is_clean(tmp_path)
    assert len(list(tmp_path.glob("*/audio/*.wav"))) == 40


def test_progress_bar_counts_clips(tmp_path, capsys):
    download_clips(["1-900000-A-0.wav", "1-900001-A-0.wav"], "synthetic", tmp_path, progress=True)
    assert "2/2" in capsys.readouterr().err


def _write_wav(path, seconds=5.0, rate=44100, channels=1):
    import numpy as np
    import soundfile as sf

    sf.write(path, np.zeros((int(seconds * rate), channels)), rate, subtype="PCM_16")


BAD_ENTRIES = {
    "empty": lambda p: p.write_bytes(b""),
    "html": lambda p: p.write_bytes(b"<!DOCTYPE html><html>rate limited</html>"),
    "corrupt header": lambda p: p.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt garbage" * 4),
    "wrong sample rate": lambda p: _write_wav(p, rate=22050),
    "stereo": lambda p: _write_wav(p, channels=2),
    "too short": lambda p: _write_wav(p, seconds=2.0),
}


@pytest.mark.parametrize("kind", sorted(BAD_ENTRIES))
def test_bad_cache_entries_are_detected_and_replaced(kind, server, tmp_path, chapter_clips):
    name = chapter_clips[0]
    (good,) = download_clips([name], server.url, tmp_path, **FAST)
    BAD_ENTRIES[kind](good)
    assert clip_problem(good) is not None
    download_clips([name], server.url, tmp_path, **FAST)
    assert clip_problem(good) is None and server.requests[name] == 2


def test_slow_server_past_the_timeout(server, tmp_path, chapter_clips):
    server.faults.latency = 1.5
    with pytest.raises(DownloadError, match=r"timed out \(after 2 attempts\)"):
        download_clips(chapter_clips[:1], server.url, tmp_path, **{**FAST, "retries": 1, "timeout": 0.5})
    _cache_is_clean(tmp_path)


def test_download_error_points_to_the_doctor():
    from course_utils.sources import resolve_source

    error = DownloadError({"1-1-A-0.wav": "HTTP 404"}, resolve_source("synthetic"))
    assert "1-1-A-0.wav: HTTP 404" in str(error)
    assert "from course_utils.doctor import report; report()" in str(error)
