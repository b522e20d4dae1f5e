"""A local HTTP server for ESC-50's layout, with faults on demand.

Tests use it to prove the downloader's behaviour under every failure a classroom network
produces; CI and offline classrooms use it so that the lessons' download code really runs:

    python -m course_utils serve --standin --port 8000
    COURSE_DATA=http://127.0.0.1:8000 jupyter lab
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from .constants import AUDIO_DIR
from .sources import cache_root
from .synthetic import write_clip, write_standin

HTML_PAGE = b"<!DOCTYPE html><html><body><h1>Rate limit exceeded</h1></body></html>\n"
REDIRECT_PREFIX = "/moved"


@dataclass
class Faults:
    """Which misbehaviour to show. File sets and maps are keyed by base name (`1-100032-A-0.wav`)."""

    latency: float = 0.0  # seconds before every response
    status: dict[str, int] = field(default_factory=dict)  # answer with this HTTP error
    fail_first: dict[str, int] = field(default_factory=dict)  # answer 500 this many times, then serve
    truncate: set[str] = field(default_factory=set)  # full Content-Length, half the body, then close
    drop: set[str] = field(default_factory=set)  # close the connection without a response
    html: set[str] = field(default_factory=set)  # 200 with an HTML page instead of the file
    oversize: set[str] = field(default_factory=set)  # a body far larger than any clip
    stall: set[str] = field(default_factory=set)  # send half the body, then wait `stall_seconds`
    stall_seconds: float = 5.0
    redirect: bool = False  # every path answers 302 to the same path under /moved


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up (a cancelled download) is normal; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    """A running server: `url` is its base address, `requests` counts requests per base name."""

    def __init__(self, root: Path, faults: Faults, host: str, port: int, standin: bool = False):
        self.root = root.resolve()
        self.standin = standin  # generate missing stand-in clips on request
        self.faults = faults
        self.requests: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _handler_for(self))
        self.url = f"http://{host}:{self._httpd.server_address[1]}"

    def count(self, name: str) -> int:
        """Count one more request for `name`; return how many there have been."""
        with self._lock:
            self.requests[name] += 1
            return self.requests[name]

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.1)

    def shutdown(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep the test output and the notebooks' stderr clean

        def do_HEAD(self) -> None:  # noqa: N802
            self._respond(send_body=False)

        def do_GET(self) -> None:  # noqa: N802
            self._respond(send_body=True)

        def _respond(self, send_body: bool) -> None:
            faults = server.faults
            path = unquote(urlparse(self.path).path)
            name = os.path.basename(path)
            attempt = server.count(name)
            time.sleep(faults.latency)
            if faults.redirect and not path.startswith(REDIRECT_PREFIX):
                return self._send(302, b"", extra={"Location": REDIRECT_PREFIX + path})
            if faults.redirect:
                path = path[len(REDIRECT_PREFIX):]
            if name in faults.drop:
                self.close_connection = True
                return
            if name in faults.status:
                return self._send(faults.status[name], b"error\n")
            if attempt <= faults.fail_first.get(name, 0):
                return self._send(500, b"try again\n")
            if name in faults.html:
                return self._send(200, HTML_PAGE, content_type="text/html", send_body=send_body)
            if name in faults.oversize:
                return self._send(200, b"\0" * (8 * 1024 * 1024), send_body=send_body)
            file = (server.root / path.lstrip("/")).resolve()
            if server.standin and file.parent == server.root / AUDIO_DIR and not file.exists():
                try:
                    write_clip(name, file.parent)
                except ValueError:
                    pass  # not a stand-in file name: answered with 404 below
            if not file.is_relative_to(server.root) or not file.is_file():
                return self._send(404, b"not found\n")
            body = file.read_bytes()
            if name in faults.truncate:
                self._send_headers(200, len(body), "application/octet-stream")
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            if name in faults.stall:
                self._send_headers(200, len(body), "application/octet-stream")
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                time.sleep(faults.stall_seconds)
                self.close_connection = True
                return
            content_type = "text/csv" if file.suffix == ".csv" else "audio/wav"
            self._send(200, body, content_type=content_type, send_body=send_body)

        def _send_headers(self, status: int, length: int, content_type: str, extra=None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()

        def _send(self, status, body, content_type="text/plain", send_body=True, extra=None) -> None:
            self._send_headers(status, len(body), content_type, extra)
            if send_body:
                self.wfile.write(body)

    return Handler


@contextmanager
def serve_directory(
    root: str | os.PathLike,
    faults: Faults | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    standin: bool = False,
) -> Iterator[LocalServer]:
    """Serve `root` over HTTP on this machine while the block runs (port 0: any free port).

    With `standin=True`, `root` becomes the stand-in: its metadata is written at once and
    each clip is generated the first time it is asked for.
    """
    if standin:
        write_standin(root, filenames=[])
    server = LocalServer(Path(root), faults or Faults(), host, port, standin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def serve_in_subprocess(root: str | os.PathLike, standin: bool = False, port: int = 0) -> Iterator[str]:
    """Like serve_directory, in a child process (`python -m course_utils serve`); yields the URL.

    Use it when the same process also runs notebooks with nbclient, whose event loop and the
    server's threads are better kept apart.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "course_utils", "serve", "--root", str(root), "--port", str(port)]
    child = subprocess.Popen(command + (["--standin"] if standin else []), stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _accepts_connections(port):
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the data server did not start: {' '.join(command)}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        child.terminate()
        child.wait(timeout=10)


@contextmanager
def serve_course_data(data: str | None, standin_root: str | os.PathLike | None = None,
                      port: int = 0) -> Iterator[str]:
    """COURSE_DATA as notebooks run here should see it: the stand-in (when `data` is unset or
    "synthetic", written to `standin_root`, by default the `serve` command's folder) or a local
    ESC-50 folder, served on 127.0.0.1; anything else passed on as it is."""
    if data and Path(data).is_dir():
        with serve_in_subprocess(Path(data).resolve(), port=port) as url:
            yield url
    elif data in (None, "", "synthetic"):
        with serve_in_subprocess(standin_root or default_standin_root(), standin=True, port=port) as url:
            yield url
    else:
        yield data


def default_standin_root() -> Path:
    """Where `python -m course_utils serve --standin` writes the stand-in it serves."""
    return cache_root() / "standin-served"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a server could listen on `port` of 127.0.0.1 now."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _accepts_connections(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m course_utils serve",
                                     description="Serve an ESC-50 layout on 127.0.0.1.")
    parser.add_argument("--root", help="folder with meta/esc50.csv and audio/ (with --standin: where to write it)")
    parser.add_argument("--standin", action="store_true", help="serve the generated stand-in")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    args = parser.parse_args(argv)
    if not (args.root or args.standin):
        parser.error("give --root FOLDER, --standin, or both")
    root = Path(args.root) if args.root else default_standin_root()
    if args.standin:
        write_standin(root, [])
    server = LocalServer(root, Faults(latency=args.latency), "127.0.0.1", args.port, args.standin)
    print(f"Serving {root} at {server.url}  (COURSE_DATA={server.url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
