"""The server's doors (issue 18 items 7 and 11): host names, body types, duplicate JSON keys, an
unknown concern in the interview and slow bodies. Each test failed before its fix."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.interfaces.servers import in_thread, raw_request
from twitchcheck.diary.service import DiaryStore, open_store
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

D = "/api/v1/diary"
PROBLEM = "application/problem+json"
ASSESS = {"age": 30, "sex": "female", "evidence": [{"id": "twitch_nose", "choice": "present"}]}
#: What a page on another site sends once its name resolves to 127.0.0.1 (DNS rebinding): to
#: the browser it is a same-origin request to evil.example.
REBINDING = {
    "Origin": "http://evil.example:8000",
    "Sec-Fetch-Site": "same-origin",
    "Sec-Fetch-Mode": "cors",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DiaryStore]:
    from twitchcheck.kb.loader import load_kb

    opened = open_store(f"sqlite:///{tmp_path / 'diary.sqlite3'}", load_kb())
    yield opened
    opened.engine.dispose()


def app_for(store: DiaryStore, **settings: Any) -> Any:
    return create_app(Settings(rate_limit_per_minute=100_000, **settings), store=store)


def episode() -> dict[str, Any]:
    when = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    return {"occurred_at": when.isoformat(), "locations": ["twitch_nose"], "duration_seconds": 20}


def problem_of(res: Any, status: int) -> dict[str, Any]:
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = res.json()
    assert body["status"] == status
    return body


# -- 7. DNS rebinding ----------------------------------------------------------------------------
def test_a_rebinding_page_can_neither_read_nor_write_the_diary(
    store: DiaryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWITCHCHECK_ALLOWED_HOSTS", raising=False)  # the shipped default
    evil = TestClient(app_for(store), base_url="http://evil.example:8000", headers=REBINDING)
    problem_of(evil.get(f"{D}/episodes"), 400)
    problem_of(evil.post(f"{D}/episodes", json=episode()), 400)
    problem_of(evil.delete(D), 400)
    page = evil.get("/diary")
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert store.list_episodes(store.local_user()) == []

    for base in ("http://localhost:8000", "http://127.0.0.1:1234", "http://[::1]:8000"):
        own = TestClient(app_for(store), base_url=base)
        assert own.post(f"{D}/episodes", json=episode()).status_code == 201, base
        assert own.get("/diary").status_code == 200
    assert len(store.list_episodes(store.local_user())) == 3


def test_a_rebinding_browser_over_a_real_socket(store: DiaryStore) -> None:
    with in_thread(app_for(store, allowed_hosts=["localhost", "127.0.0.1", "::1"])) as port:
        head = "".join(f"{k}: {v}\r\n" for k, v in REBINDING.items())
        status, answer, _ = raw_request(
            port, f"GET {D}/episodes HTTP/1.1\r\nHost: evil.example:{port}\r\n{head}\r\n".encode()
        )
        assert status == 400 and b"problem+json" in answer
        status, _, _ = raw_request(
            port, f"GET {D}/episodes HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        )
        assert status == 200
        status, _, _ = raw_request(port, b"GET /healthz HTTP/1.0\r\n\r\n")
        assert status == 400  # no Host at all names nothing this server answers to


def test_configured_host_names_port_ignored(
    store: DiaryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWITCHCHECK_ALLOWED_HOSTS", "twitch.example.org, records-gateway.internal")
    app = create_app(Settings(rate_limit_per_minute=100_000), store=store)
    for base in (
        "https://twitch.example.org",
        "http://Twitch.Example.Org.:8443",
        "http://records-gateway.internal:80",
    ):
        assert TestClient(app, base_url=base).get(f"{D}/episodes").status_code == 200, base
    problem_of(TestClient(app, base_url="http://localhost:8000").get(f"{D}/episodes"), 400)
    # the address a server listens on is its own name too
    listening = create_app(Settings(host="192.0.2.10", allowed_hosts=["localhost"]), store=store)
    assert (
        TestClient(listening, base_url="http://192.0.2.10:8000").get("/healthz").status_code == 200
    )


# -- 11. input the API refuses -----------------------------------------------------------------
def test_bodies_of_the_wrong_type_are_refused_with_415(store: DiaryStore) -> None:
    client = TestClient(app_for(store))
    text = json.dumps(ASSESS)
    for kind in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        res = client.post("/api/v1/assess", content=text, headers={"Content-Type": kind})
        assert problem_of(res, 415)["code"] == "E415", kind
    bare = client.build_request("POST", "/api/v1/assess", content=text)
    bare.headers.pop("content-type", None)
    assert "content-type" not in bare.headers
    problem_of(client.send(bare), 415)
    res = client.post(
        f"{D}/episodes", content=json.dumps(episode()), headers={"Content-Type": "text/plain"}
    )
    problem_of(res, 415)
    assert store.list_episodes(store.local_user()) == []
    # the right types still work, parameters included
    ok = client.post(
        "/api/v1/assess", content=text, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert ok.status_code == 200
    # a POST without a body needs no Content-Type
    assert client.post(f"{D}/progression").status_code == 200
    # the import takes a file (multipart), not JSON
    problem_of(client.post(f"{D}/import", json={"file": "x"}), 415)
    csv = "occurred_at,locations,duration_seconds\n2026-01-02T09:30,twitch_nose,20\n"
    assert (
        client.post(f"{D}/import", files={"file": ("episodes.csv", csv.encode())}).status_code
        == 200
    )
    # the web forms take form types: a page, not JSON
    page = client.post("/diary/episodes", json=episode())
    assert page.status_code == 415 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/assess", '{"age": 30, "sex": "female", "age": 90}'),
        (
            "/api/v1/interview/next",
            '{"age": 30, "sex": "female", "evidence": [{"id": "twitch_nose", "choice": "present", "choice": "absent"}]}',
        ),
        (
            f"{D}/episodes",
            '{"occurred_at": "2026-01-02T09:30", "locations": ["twitch_nose"], "duration_seconds": 20, "duration_seconds": 9000}',
        ),
    ],
)
def test_duplicate_json_keys_are_refused(store: DiaryStore, path: str, body: str) -> None:
    client = TestClient(app_for(store))
    res = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert "appears more than once" in problem_of(res, 422)["detail"]
    assert store.list_episodes(store.local_user()) == []


def test_the_interview_refuses_an_unknown_concern_as_assess_does(store: DiaryStore) -> None:
    client = TestClient(app_for(store))
    body = ASSESS | {"concerns": ["alz"]}
    assessed = problem_of(client.post("/api/v1/assess", json=body), 422)
    asked = problem_of(client.post("/api/v1/interview/next", json=body), 422)
    assert asked["code"] == assessed["code"] and asked["suggestions"] == assessed["suggestions"]
    assert (
        client.post("/api/v1/interview/next", json=ASSESS | {"concerns": ["als"]}).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("path", "kind", "start"),
    [
        ("/api/v1/assess", "application/json", b'{"age": 3'),
        ("/diary/episodes", "application/x-www-form-urlencoded", b"occurred_at=2026"),
        (
            f"{D}/import",
            "multipart/form-data; boundary=xyz",
            b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="e.csv"\r\n\r\nocc',
        ),
    ],
)
def test_a_slow_body_is_cut_off_at_the_stated_time(
    store: DiaryStore, path: str, kind: str, start: bytes
) -> None:
    """The whole body must arrive within body_timeout_seconds (10 s by default; 1 s here, and
    upload_timeout_seconds for the import): a client that stalls gets a 408, not a worker."""
    app = app_for(store, body_timeout_seconds=1.0, upload_timeout_seconds=1.0)
    with in_thread(app) as port:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {kind}\r\n"
            "Content-Length: 400\r\n\r\n"
        ).encode()
        status, answer, waited = raw_request(port, head + start, timeout=8.0)
    assert status == 408, answer[:300]
    assert 0.9 <= waited <= 3.0
    assert store.list_episodes(store.local_user()) == []


def test_the_default_body_time_is_stated() -> None:
    assert Settings().body_timeout_seconds == 10.0
