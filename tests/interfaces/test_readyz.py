"""Issue 18 (production recipe): ``GET /readyz`` answers 200 ``{"status": "ready"}`` only while
the knowledge base is loaded and the diary's database answers, else 503 with a problem document;
it is not rate-limited and says nothing about any person."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.engine import make_url

from tests.interfaces.servers import free_port
from tests.interfaces.tcp_relay import Relay
from twitchcheck.errors import KnowledgeBaseError, StorageError
from twitchcheck.interfaces.rest import deps
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

PROBLEM = "application/problem+json"


def _client(url: str, **settings: object) -> TestClient:
    app = create_app(Settings(database_url=url, **settings))  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=False)


def _assert_not_ready(res: Response, code: str) -> None:
    assert res.status_code == 503, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body = res.json()
    assert body["status"] == 503 and body["code"] == code and body["detail"]


def test_ready_when_the_database_answers(db_url: str) -> None:
    client = _client(db_url)
    res = client.get("/readyz")
    assert res.status_code == 200, res.text
    assert res.json() == {"status": "ready"}  # nothing else: no data, no versions of anything
    # The first check opened and migrated the diary: the store is usable at once.
    diary = client.app.state.diary  # type: ignore[attr-defined]
    assert diary.store.count_episodes(diary.local_user()) == 0
    diary.store.engine.dispose()


def test_not_ready_when_the_sqlite_file_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    res = _client(f"sqlite:///{blocker}/sub/diary.sqlite3").get("/readyz")
    _assert_not_ready(res, StorageError.code)


def test_not_ready_when_the_sqlite_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a text file, not a database\n" * 200)
    res = _client(f"sqlite:///{path}").get("/readyz")
    _assert_not_ready(res, StorageError.code)
    assert "not a diary database" in res.json()["detail"]


def test_not_ready_when_postgresql_does_not_answer_at_start() -> None:
    port = free_port()  # nothing listens on it
    res = _client(f"postgresql://nobody:nothing@127.0.0.1:{port}/none").get("/readyz")
    _assert_not_ready(res, StorageError.code)
    assert "cannot be reached" in res.json()["detail"]


def test_postgresql_going_down_and_back_turns_readiness_off_and_on(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a server that goes down: PostgreSQL only")
    real = make_url(db_url)
    relay = Relay((real.host or "127.0.0.1", real.port or 5432))
    client = _client(real.set(host="127.0.0.1", port=relay.port).render_as_string(False))
    try:
        assert client.get("/readyz").status_code == 200
        relay.cut()
        _assert_not_ready(client.get("/readyz"), StorageError.code)
        # The rest of the service still answers while the database is away.
        assert client.get("/healthz").status_code == 200
        relay.restore()
        assert client.get("/readyz").json() == {"status": "ready"}
    finally:
        relay.cut()
        client.app.state.diary.store.engine.dispose()  # type: ignore[attr-defined]


def test_not_ready_while_the_knowledge_base_cannot_be_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> object:
        raise KnowledgeBaseError([])

    monkeypatch.setattr(deps, "default_checker", broken)
    res = _client(f"sqlite:///{tmp_path / 'diary.sqlite3'}").get("/readyz")
    _assert_not_ready(res, KnowledgeBaseError.code)


def test_readiness_is_not_rate_limited(tmp_path: Path) -> None:
    client = _client(f"sqlite:///{tmp_path / 'diary.sqlite3'}", rate_limit_per_minute=1)
    assert client.post("/api/v1/assess", json={}).status_code != 429  # the one allowed
    assert client.post("/api/v1/assess", json={}).status_code == 429  # the limit holds...
    assert [client.get("/readyz").status_code for _ in range(5)] == [200] * 5  # ...not here


def test_readiness_is_in_the_openapi_document(tmp_path: Path) -> None:
    doc = _client(f"sqlite:///{tmp_path / 'diary.sqlite3'}").get("/openapi.json").json()
    op = doc["paths"]["/readyz"]["get"]
    assert op["summary"] == "Readiness check"
    assert PROBLEM in op["responses"]["503"]["content"]
