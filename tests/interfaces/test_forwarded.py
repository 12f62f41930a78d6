"""Forwarded addresses (issue 18 item 9): ``X-Forwarded-For`` is believed only from configured
proxies, read from the right, and rotating it never makes a new client for a per-address limit.
Each test failed before its fix (uvicorn believed the header from loopback whatever the app's
setting said, and the app took the left-most address, which the client writes)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.interfaces.servers import free_port, serve_process
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.clients import Proxies, client_address
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.interfaces.serve_cli import uvicorn_options

HEALTH = "/api/v1/kb/anatomy"  # under the API: counted by the rate limit


def scope(peer: str, forwarded: list[str]) -> dict[str, object]:
    headers = [(b"x-forwarded-for", v.encode()) for v in forwarded]
    return {"type": "http", "client": (peer, 1234), "headers": headers}


def test_the_right_most_untrusted_address_is_the_client() -> None:
    proxies = Proxies(["127.0.0.1", "10.0.0.0/8"])
    spoof = ["6.6.6.6, 203.0.113.7, 10.1.2.3"]
    assert client_address(scope("127.0.0.1", spoof), proxies) == "203.0.113.7"
    assert client_address(scope("127.0.0.1", ["6.6.6.6", "203.0.113.7"]), proxies) == "203.0.113.7"
    # a direct client's header is never read
    assert client_address(scope("198.51.100.1", spoof), proxies) == "198.51.100.1"
    assert client_address(scope("127.0.0.1", spoof), Proxies()) == "127.0.0.1"
    # garbage stops the walk at the proxy that passed it on
    assert client_address(scope("127.0.0.1", ["junk, 10.0.0.9"]), proxies) == "10.0.0.9"
    # only proxies: the left-most of them
    assert client_address(scope("127.0.0.1", ["10.0.0.1, 10.0.0.2"]), proxies) == "10.0.0.1"


@pytest.mark.parametrize(
    "settings",
    [
        {"trust_forwarded_for": True},  # the older switch: a proxy on this machine
        {"trusted_proxies": ["127.0.0.1", "::1"]},
        {},  # no proxy: the header is ignored
    ],
)
def test_rotating_the_header_does_not_escape_the_rate_limit(settings: dict[str, object]) -> None:
    app = create_app(Settings(rate_limit_per_minute=3, **settings))
    client = TestClient(app, client=("127.0.0.1", 40000))
    codes = [
        client.get(HEALTH, headers={"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.7"}).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    # behind a trusted proxy another real client still has its own allowance
    if settings:
        other = client.get(HEALTH, headers={"X-Forwarded-For": "203.0.113.8"})
        assert other.status_code == 200


def test_serve_tells_uvicorn_whom_to_believe() -> None:
    assert uvicorn_options(Settings())["proxy_headers"] is False
    options = uvicorn_options(Settings(trusted_proxies=["10.0.0.0/8"]))
    assert options["proxy_headers"] is True and options["forwarded_allow_ips"] == ["10.0.0.0/8"]


def test_serve_keeps_the_limit_when_a_local_client_rotates_the_header(tmp_path: Path) -> None:
    """The real ``twitchcheck serve``: a client on this machine (where uvicorn believed the
    header by default) sends a new X-Forwarded-For each time."""
    port = free_port()
    env = {"TWITCHCHECK_RATE_LIMIT_PER_MINUTE": "3", "TWITCHCHECK_ALLOWED_HOSTS": "127.0.0.1"}
    args = ["--database-url", f"sqlite:///{tmp_path / 'diary.sqlite3'}"]
    with (
        serve_process(args, env, port),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client,
    ):
        codes = [
            client.get(HEALTH, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
            for i in range(5)
        ]
    assert codes == [200, 200, 200, 429, 429]
