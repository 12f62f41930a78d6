"""Real servers for the tests of the doors: uvicorn in a thread, ``twitchcheck serve`` in a
process, and raw HTTP over a socket (to send what a browser or a slow client sends)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def in_thread(app: Any, **options: Any) -> Iterator[int]:
    """uvicorn serving ``app`` on 127.0.0.1 in a thread; yields the port."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, log_config=None, lifespan="off", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def serve_process(
    args: list[str], env: dict[str, str], port: int
) -> Iterator[subprocess.Popen[bytes]]:
    """``twitchcheck serve`` as its users start it, in its own process; stopped afterwards."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "twitchcheck", "serve", "--port", str(port), *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"serve exited with {proc.returncode}: {out}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("serve did not start") from None
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def raw_request(
    port: int, data: bytes, *, pause: float = 0.0, rest: bytes = b"", timeout: float = 10.0
) -> tuple[int, bytes, float]:
    """Send ``data``, wait ``pause`` seconds, send ``rest``; the status, the whole answer and
    the seconds until the answer began."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        start = time.monotonic()
        sock.sendall(data)
        if rest:  # a client that pauses, then sends the rest (without it: one that stalls)
            time.sleep(pause)
            with contextlib.suppress(OSError):  # the server may have answered and closed
                sock.sendall(rest)
        answer = b""
        first = 0.0
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            if not answer:
                first = time.monotonic() - start
            answer += chunk
            if b"\r\n\r\n" in answer and _complete(answer):
                break
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, answer, first


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return False
