import os
import tempfile
from pathlib import Path

import requests


def download_file__right_namedtemp(url, destination):
    destination = Path(destination)
    response = requests.get(url, timeout=30)
    response.raise_for_status()
    tmp = tempfile.NamedTemporaryFile(dir=destination.parent, prefix=".part-", delete=False)
    try:
        with tmp:
            tmp.write(response.content)
        os.replace(tmp.name, destination)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise


def download_file__right_streaming_mkstemp(url, destination):
    destination = Path(destination)
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            with requests.get(url, stream=True, timeout=30) as response:
                response.raise_for_status()
                expected = response.headers.get("Content-Length")
                written = 0
                for chunk in response.iter_content(chunk_size=65536):
                    out.write(chunk)
                    written += len(chunk)
                if expected is not None and written != int(expected):
                    raise IOError(f"incomplete download: {written} of {expected} bytes")
        os.replace(tmp_name, destination)
    except BaseException:
        if os.path.exists(tmp_name):
            os.remove(tmp_name)
        raise


# WRONG: writes response.text in text mode: binary bodies get decoded and re-encoded, so the bytes change.
def download_file__wrong_text_mode(url, destination):
    destination = Path(destination)
    response = requests.get(url, timeout=30)
    response.raise_for_status()
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(response.text)
        os.replace(tmp_name, destination)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


# WRONG: checks the HTTP status only after renaming, so an error page is left at `destination`.
def download_file__wrong_status_checked_after_rename(url, destination):
    destination = Path(destination)
    response = requests.get(url, timeout=30)
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(response.content)
    os.replace(tmp_name, destination)
    response.raise_for_status()


# WRONG: cleans up only on requests.HTTPError; a connection broken mid-body leaves the temp file behind.
def download_file__wrong_cleanup_only_http_error(url, destination):
    destination = Path(destination)
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            response = requests.get(url, stream=True, timeout=30)
            response.raise_for_status()
            for chunk in response.iter_content(chunk_size=65536):
                out.write(chunk)
        os.replace(tmp_name, destination)
    except requests.HTTPError:
        os.remove(tmp_name)
        raise


# WRONG: on failure it removes `destination` (which never existed) instead of the temporary file.
def download_file__wrong_unlinks_destination_not_temp(url, destination):
    destination = Path(destination)
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            with requests.get(url, stream=True, timeout=30) as response:
                response.raise_for_status()
                for chunk in response.iter_content(chunk_size=65536):
                    out.write(chunk)
        os.replace(tmp_name, destination)
    except Exception:
        destination.unlink(missing_ok=True)
        raise


# WRONG: swallows every error (cleans up and returns None) instead of raising an exception.
def download_file__wrong_swallows_errors(url, destination):
    destination = Path(destination)
    fd, tmp_name = tempfile.mkstemp(dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            response = requests.get(url, timeout=30)
            response.raise_for_status()
            out.write(response.content)
        os.replace(tmp_name, destination)
    except Exception as error:
        print("download failed:", error)
        Path(tmp_name).unlink(missing_ok=True)
        return None
