"""Exercise 1.2: download_file(url, destination), all or nothing."""
import os
import shutil
import tempfile
from pathlib import Path

import requests


def download_file__right_stream_mkstemp(url, destination):
    destination = Path(destination)
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent, prefix=destination.name + ".", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            with requests.get(url, stream=True, timeout=30) as response:
                response.raise_for_status()
                expected = response.headers.get("Content-Length")
                encoded = response.headers.get("Content-Encoding")
                received = 0
                for chunk in response.iter_content(chunk_size=1 << 16):
                    out.write(chunk)
                    received += len(chunk)
        if expected is not None and not encoded and received != int(expected):
            raise OSError(f"{url}: got {received} of {expected} bytes")
        os.replace(tmp, destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def download_file__right_named_tempfile(url, destination):
    destination = Path(destination)
    response = requests.get(url, timeout=30)
    response.raise_for_status()
    body = response.content
    length = response.headers.get("Content-Length")
    if length is not None and "Content-Encoding" not in response.headers and len(body) != int(length):
        raise IOError("truncated download")
    tmp = tempfile.NamedTemporaryFile(dir=destination.parent, delete=False)
    try:
        with tmp:
            tmp.write(body)
        os.replace(tmp.name, destination)
    except Exception:
        if os.path.exists(tmp.name):
            os.remove(tmp.name)
        raise


# WRONG: writes straight into `destination` (no temporary file): a connection that breaks off halfway
# raises, but leaves a truncated file at `destination`.
def download_file__wrong_direct_write(url, destination):
    with requests.get(url, stream=True, timeout=30) as response:
        response.raise_for_status()
        with open(destination, "wb") as out:
            for chunk in response.iter_content(chunk_size=1 << 16):
                out.write(chunk)


# WRONG: never calls raise_for_status(): a 404/500 error page is saved under the .wav name, no exception.
def download_file__wrong_no_raise_for_status(url, destination):
    destination = Path(destination)
    tmp = destination.with_name(destination.name + ".part")
    try:
        response = requests.get(url, timeout=30)
        tmp.write_bytes(response.content)
        os.replace(tmp, destination)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise


# WRONG: temporary file + os.replace, and errors are raised, but the temporary file is not removed when
# the download fails (a broken .part file is left in the folder).
def download_file__wrong_leaves_temp_file(url, destination):
    destination = Path(destination)
    tmp = destination.with_name(destination.name + ".part")
    with requests.get(url, stream=True, timeout=30) as response:
        response.raise_for_status()
        with open(tmp, "wb") as out:
            for chunk in response.iter_content(chunk_size=1 << 16):
                out.write(chunk)
    os.replace(tmp, destination)


# WRONG: swallows every error (cleans up, prints, returns None): the caller is never told it failed.
def download_file__wrong_swallows_errors(url, destination):
    destination = Path(destination)
    tmp = destination.with_name(destination.name + ".part")
    try:
        response = requests.get(url, timeout=30)
        response.raise_for_status()
        tmp.write_bytes(response.content)
        os.replace(tmp, destination)
    except Exception as error:
        tmp.unlink(missing_ok=True)
        print("download failed:", error)


# WRONG: the rename sits in `finally`, so even a failed/truncated download is moved onto `destination`.
def download_file__wrong_replace_in_finally(url, destination):
    destination = Path(destination)
    tmp = destination.with_name(destination.name + ".part")
    try:
        with requests.get(url, stream=True, timeout=30) as response:
            response.raise_for_status()
            with open(tmp, "wb") as out:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    out.write(chunk)
    finally:
        if tmp.exists():
            os.replace(tmp, destination)


# WRONG: the temporary file is made in the system temp folder, not in destination's folder as asked;
# the final move is then not an atomic rename (across file systems shutil.move copies into place).
# Probably only detectable if the check watches where the temporary file is created.
def download_file__wrong_temp_in_system_tmp(url, destination):
    tmp = tempfile.NamedTemporaryFile(delete=False)
    try:
        with tmp:
            response = requests.get(url, timeout=30)
            response.raise_for_status()
            tmp.write(response.content)
        shutil.move(tmp.name, destination)
    except Exception:
        if os.path.exists(tmp.name):
            os.remove(tmp.name)
        raise
