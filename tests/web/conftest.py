"""Browser tests: a real uvicorn server with ``create_app()`` and Debian's Chromium via Playwright.

The server runs in a background thread on 127.0.0.1, on a free port picked by binding to port 0.
Chromium is ``/usr/bin/chromium`` (``scripts/ensure_chromium.sh`` installs it); Playwright never
downloads a browser. Without Chromium the tests are skipped, except under ``CI=true``, where
they fail. Every log record the server writes during the session is kept, so a test can check
that no health data reaches the logs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(f"{record.name} {record.getMessage()}")
        except Exception:  # pragma: no cover - a broken record must not break the server
            self.lines.append(f"{record.name} {record.msg!r}")


@dataclass
class Server:
    url: str
    logs: _ListHandler


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """uvicorn serving ``create_app()`` in a thread; the rate limit is raised for the tests, and
    the diary lives in a temporary SQLite file (never the user's own data folder)."""
    from twitchcheck.interfaces.rest.app import create_app
    from twitchcheck.interfaces.rest.settings import Settings

    db = tmp_path_factory.mktemp("diary") / "diary.sqlite3"
    app = create_app(Settings(rate_limit_per_minute=100_000, database_url=f"sqlite:///{db}"))
    yield from _serve(app)


@pytest.fixture(scope="session")
def multi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same in multi-user mode (accounts, sign-in), on its own temporary SQLite file."""
    from twitchcheck.interfaces.rest.app import create_app
    from twitchcheck.interfaces.rest.settings import Settings

    db = tmp_path_factory.mktemp("diary-multi") / "diary.sqlite3"
    settings = Settings(
        rate_limit_per_minute=100_000,
        database_url=f"sqlite:///{db}",
        multi_user=True,
        login_attempts_per_minute=100,
    )
    yield from _serve(create_app(settings))


def _serve(app: Any) -> Iterator[Server]:
    import uvicorn

    handler = _ListHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    names = ("twitchcheck", "uvicorn", "uvicorn.access", "uvicorn.error")
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.INFO)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]

    config = uvicorn.Config(app, log_config=None, log_level="info", access_log=True, lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(
        target=uv.run, kwargs={"sockets": [sock]}, daemon=True, name="uvicorn"
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield Server(url=f"http://127.0.0.1:{port}", logs=handler)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Web:
    """A fresh browser tab on the app, with what it requested and any script errors."""

    page: Any
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: console messages a test expects (substrings), e.g. a refused request it provokes on purpose
    allow: list[str] = field(default_factory=list)

    def api_bodies(self, path: str) -> list[dict[str, Any]]:
        import json

        return [
            json.loads(r["body"]) for r in self.requests if r["url"].endswith(path) and r["body"]
        ]


@pytest.fixture
def web(server: Server, browser: Any) -> Iterator[Web]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    web = Web(page=page, url=server.url)

    def on_request(request: Any) -> None:
        web.requests.append(
            {"method": request.method, "url": request.url, "body": request.post_data}
        )

    def on_console(message: Any) -> None:
        if message.type in {"error", "warning"}:
            web.errors.append(f"console {message.type}: {message.text}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: web.errors.append(f"page error: {exc}"))
    try:
        yield web
    finally:
        context.close()
    # Any script error or CSP violation (Chromium reports both on the console) fails the test.
    unexpected = [e for e in web.errors if not any(a in e for a in web.allow)]
    assert not unexpected, unexpected


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
