"""``twitchcheck serve --workers N`` (issue 18): with N > 1 the rate limits and sign-in throttles
live in PostgreSQL, where every worker sees them; the limiter fails open when the database does
not answer; N > 1 on SQLite is refused. The limit test failed before (each process kept its own
buckets, so N processes allowed N times the limit)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.interfaces.servers import free_port, serve_process
from twitchcheck.diary.service import DiaryStore, open_store
from twitchcheck.interfaces.cli import main
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

API = "/api/v1/kb/anatomy"
PASSWORD = "correct horse battery"


def test_more_than_one_worker_on_sqlite_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    assert main(["serve", "--workers", "2", "--database-url", db]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


@pytest.fixture
def pg_store(db_url: str) -> Iterator[DiaryStore]:
    from twitchcheck.kb.loader import load_kb

    opened = open_store(db_url, load_kb())
    yield opened
    opened.engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_apps_share_one_limit_and_one_throttle(db_url: str, pg_store: DiaryStore) -> None:
    """Two apps as two worker processes would build them, on one database."""

    def app() -> TestClient:
        settings = Settings(
            rate_limit_per_minute=3,
            login_attempts_per_minute=2,
            shared_limits=True,
            multi_user=True,
            database_url=db_url,
        )
        return TestClient(create_app(settings, store=pg_store))

    a, b = app(), app()
    codes = [c.get(API).status_code for c in (a, b, a, b, a)]
    assert codes == [200, 200, 200, 429, 429]
    assert b.get(API).headers["Retry-After"].isdigit()

    login = {"username": "nobody-here", "password": "wrong password!"}
    wide = Settings(
        rate_limit_per_minute=1000,
        login_attempts_per_minute=2,
        shared_limits=True,
        multi_user=True,
        database_url=db_url,
    )
    # another client address: the bucket of "testclient" above is empty
    first = TestClient(create_app(wide, store=pg_store), client=("192.0.2.5", 1000))
    second = TestClient(create_app(wide, store=pg_store), client=("192.0.2.5", 1001))
    assert first.post("/api/v1/auth/login", json=login).status_code == 401
    assert second.post("/api/v1/auth/login", json=login).status_code == 401
    assert first.post("/api/v1/auth/login", json=login).status_code == 429
    assert second.post("/api/v1/auth/login", json=login).status_code == 429


def test_the_shared_limiter_fails_open(tmp_path: Path) -> None:
    """The database of the limits does not answer: requests are served, limited by this
    process alone (its own buckets), without waiting for the database on every request."""
    from twitchcheck.kb.loader import load_kb

    store = open_store(f"sqlite:///{tmp_path / 'diary.sqlite3'}", load_kb())
    dead = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    settings = Settings(rate_limit_per_minute=3, shared_limits=True, database_url=dead)
    client = TestClient(create_app(settings, store=store))
    assert [client.get(API).status_code for _ in range(4)] == [200, 200, 200, 429]
    store.engine.dispose()


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out |= {int(c) for c in text}
    return out


def _inodes(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def _server_inode(server_port: int, client_port: int) -> str | None:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            local, remote = cols[1], cols[2]
            if int(local.rsplit(":", 1)[1], 16) == server_port and (
                int(remote.rsplit(":", 1)[1], 16) == client_port
            ):
                return cols[9]
    return None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_both_answer_and_the_limit_holds_across_them(db_url: str) -> None:
    port = free_port()
    env = {
        "TWITCHCHECK_RATE_LIMIT_PER_MINUTE": "10",
        "TWITCHCHECK_ALLOWED_HOSTS": "127.0.0.1",
        # each round is a new client (behind a trusted proxy), so a round starts afresh
        "TWITCHCHECK_TRUSTED_PROXIES": "127.0.0.1",
    }
    with serve_process(["--workers", "2", "--database-url", db_url], env, port) as proc:
        for round_ in range(20):
            socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(16)]
            statuses = []
            for sock in socks:
                sock.sendall(
                    f"GET {API} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"X-Forwarded-For: 203.0.113.{round_ + 1}\r\n\r\n".encode()
                )
            for sock in socks:
                statuses.append(int(sock.recv(4096).split(b" ", 2)[1]))
            # which worker holds each connection
            workers = {pid: _inodes(pid) for pid in _children(proc.pid)}
            served: dict[int, int] = {}
            for sock in socks:
                inode = _server_inode(port, sock.getsockname()[1])
                owner = next((pid for pid, nodes in workers.items() if inode in nodes), None)
                if owner is not None:
                    served[owner] = served.get(owner, 0) + 1
            for sock in socks:
                sock.close()
            assert statuses.count(200) == 10 and statuses.count(429) == 6, statuses
            if len(served) == 2:
                break
        assert len(served) == 2, f"only one worker answered in 20 rounds: {served}"
