"""Multi-user mode: accounts, sessions, CSRF, sign-in limits, and per-user isolation on EVERY
diary route (API and pages), on SQLite and PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select, update

from twitchcheck.diary.accounts import WRONG_LOGIN
from twitchcheck.diary.service import DiaryStore, UserRef
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.auth import COOKIE
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.storage import models as m

D = "/api/v1/diary"
A = "/api/v1/auth"
PASSWORD = "correct horse battery"


def make_app(store: DiaryStore, **settings: Any) -> FastAPI:
    return create_app(
        Settings(rate_limit_per_minute=100_000, multi_user=True, **settings), store=store
    )


@pytest.fixture
def app(store: DiaryStore) -> FastAPI:
    return make_app(store, login_attempts_per_minute=50)


def signed_up(app: FastAPI, name: str) -> TestClient:
    """A browser-like client signed in by cookie, sending its CSRF token on writes."""
    client = TestClient(app)
    res = client.post(f"{A}/register", json={"username": name, "password": PASSWORD})
    assert res.status_code == 201, res.text
    client.headers["X-CSRF-Token"] = res.json()["csrf_token"]
    return client


def user_of(store: DiaryStore, name: str) -> UserRef:
    with store._sessions() as s:
        row = s.scalar(select(m.User).where(m.User.username == name))
        assert row is not None
        return UserRef(row.id, row.username)


def episode(n: int = 1, **extra: Any) -> dict[str, Any]:
    when = dt.datetime.combine(dt.date.today() - dt.timedelta(days=n), dt.time(9, 30))
    return {
        "occurred_at": when.isoformat(),
        "locations": ["twitch_nose"],
        "duration_seconds": 20,
    } | extra


# -- accounts ----------------------------------------------------------------------------------
def test_register_login_me_logout(app: FastAPI) -> None:
    client = TestClient(app)
    res = client.post(f"{A}/register", json={"username": "Alice", "password": PASSWORD})
    assert res.status_code == 201
    assert res.json()["username"] == "alice"  # names are not case-sensitive
    cookie = res.headers["set-cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # cookie_secure is off on loopback
    assert client.get(f"{A}/me").json()["username"] == "alice"

    csrf = res.json()["csrf_token"]
    assert client.post(f"{A}/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get(f"{A}/me").status_code == 401
    assert client.get(f"{D}/episodes").status_code == 401

    fresh = TestClient(app)
    res = fresh.post(f"{A}/login", json={"username": "ALICE", "password": PASSWORD})
    assert res.status_code == 200
    assert fresh.get(f"{A}/me").json()["username"] == "alice"
    # The old session token no longer works.
    assert (
        TestClient(app).get(f"{A}/me", headers={"Authorization": f"Bearer {csrf}"}).status_code
        == 401
    )


def test_secure_cookie_when_asked(store: DiaryStore) -> None:
    client = TestClient(make_app(store, cookie_secure=True))
    res = client.post(f"{A}/register", json={"username": "sam", "password": PASSWORD})
    assert "Secure" in res.headers["set-cookie"]


def test_settings_refuse_multi_user_in_clear_text_off_this_machine() -> None:
    with pytest.raises(ValidationError, match="cookie_secure"):
        Settings(multi_user=True, host="0.0.0.0")
    with pytest.raises(ValidationError, match="cookie_secure"):
        Settings(multi_user=True, host="192.168.1.4")
    assert Settings(multi_user=True, host="0.0.0.0", cookie_secure=True).cookie_secure
    assert Settings(multi_user=True, host="::1").multi_user
    assert Settings(host="0.0.0.0").host == "0.0.0.0"  # single-user: no cookies to protect
    with pytest.raises(ValidationError):
        Settings(session_ttl_minutes=1)
    with pytest.raises(ValidationError):
        Settings(login_attempts_per_minute=0)


def test_short_password_and_taken_name_are_clear_422s(app: FastAPI) -> None:
    client = TestClient(app)
    res = client.post(f"{A}/register", json={"username": "bob", "password": "short"})
    assert res.status_code == 422
    assert "password" in res.json()["detail"] and "10 characters" in res.json()["detail"]
    assert (
        client.post(f"{A}/register", json={"username": "bob", "password": PASSWORD}).status_code
        == 201
    )
    res = TestClient(app).post(f"{A}/register", json={"username": "BOB", "password": PASSWORD})
    assert res.status_code == 422 and "username" in res.json()["detail"]
    res = TestClient(app).post(f"{A}/register", json={"username": "local", "password": PASSWORD})
    assert res.status_code == 422 and "reserved" in res.json()["detail"]


def test_wrong_password_and_unknown_user_look_the_same(app: FastAPI, store: DiaryStore) -> None:
    signed_up(app, "carol")
    client = TestClient(app)
    wrong = client.post(f"{A}/login", json={"username": "carol", "password": "wrong password!"})
    nobody = client.post(f"{A}/login", json={"username": "nobody", "password": "wrong password!"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()
    assert wrong.json()["detail"] == WRONG_LOGIN
    assert COOKIE not in wrong.headers.get("set-cookie", "")
    failed = [e for e in store.audit_events() if e.action == "auth.login"]
    assert {(e.actor, e.outcome) for e in failed} >= {("carol", "refused"), ("nobody", "refused")}


def test_an_expired_session_is_401(app: FastAPI, store: DiaryStore) -> None:
    client = signed_up(app, "dave")
    assert client.get(f"{D}/episodes").status_code == 200
    with store._sessions.begin() as s:
        s.execute(update(m.WebSession).values(expires_at=m.utcnow() - dt.timedelta(seconds=1)))
    res = client.get(f"{D}/episodes")
    assert res.status_code == 401
    assert res.headers["content-type"].startswith("application/problem+json")
    refused = [e for e in store.audit_events() if e.outcome == "refused 401"]
    assert refused and refused[0].target == f"{D}/episodes"


def test_session_lifetime_follows_the_setting(store: DiaryStore) -> None:
    client = TestClient(make_app(store, session_ttl_minutes=30))
    res = client.post(f"{A}/register", json={"username": "erin", "password": PASSWORD})
    expires = dt.datetime.fromisoformat(res.json()["expires_at"])
    assert abs((expires - m.utcnow()) - dt.timedelta(minutes=30)) < dt.timedelta(minutes=1)
    assert "Max-Age=1800" in res.headers["set-cookie"]


def test_csrf_token_is_required_for_cookie_writes(app: FastAPI, store: DiaryStore) -> None:
    client = signed_up(app, "frank")
    token = client.headers.pop("X-CSRF-Token")
    res = client.post(f"{D}/episodes", json=episode())
    assert res.status_code == 403 and "CSRF" in res.json()["detail"]
    res = client.post(f"{D}/episodes", json=episode(), headers={"X-CSRF-Token": "forged"})
    assert res.status_code == 403
    res = client.post(
        "/diary/episodes",
        data={
            "occurred_at": episode()["occurred_at"],
            "locations": "twitch_nose",
            "duration_seconds": "5",
        },
    )
    assert res.status_code == 403
    assert store.list_episodes(user_of(store, "frank")) == []
    assert [e for e in store.audit_events() if e.outcome == "refused 403"]
    # With the token (header for the API, form field for the page) it works.
    assert (
        client.post(f"{D}/episodes", json=episode(), headers={"X-CSRF-Token": token}).status_code
        == 201
    )
    res = client.post(
        "/diary/episodes",
        data={
            "occurred_at": episode(2)["occurred_at"],
            "locations": "twitch_nose",
            "duration_seconds": "5",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert res.status_code == 303
    assert len(store.list_episodes(user_of(store, "frank"))) == 2
    # Reads need no token.
    assert client.get(f"{D}/episodes").status_code == 200


def test_bearer_token_needs_no_csrf(app: FastAPI, store: DiaryStore) -> None:
    TestClient(app).post(f"{A}/register", json={"username": "gina", "password": PASSWORD})
    api = TestClient(app)  # an API client: no cookie jar use, only the header
    token = api.post(f"{A}/login", json={"username": "gina", "password": PASSWORD}).json()["token"]
    api.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.post(f"{D}/episodes", json=episode(), headers=bearer).status_code == 201
    assert len(api.get(f"{D}/episodes", headers=bearer).json()) == 1
    assert api.get(f"{D}/episodes", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert api.get(f"{D}/episodes").status_code == 401


def test_login_attempts_are_limited(store: DiaryStore) -> None:
    app = make_app(store, login_attempts_per_minute=3)
    TestClient(app).post(f"{A}/register", json={"username": "hank", "password": PASSWORD})
    client = TestClient(app)
    for _ in range(3):
        assert (
            client.post(f"{A}/login", json={"username": "hank", "password": "x" * 12}).status_code
            == 401
        )
    # Now even the right password waits: guessing cannot go on.
    res = client.post(f"{A}/login", json={"username": "hank", "password": PASSWORD})
    assert res.status_code == 429
    assert int(res.headers["retry-after"]) >= 1
    assert [e for e in store.audit_events() if e.outcome == "limited"]


def test_login_attempts_are_limited_per_address_across_names(store: DiaryStore) -> None:
    app = make_app(store, login_attempts_per_minute=3)
    client = TestClient(app)
    for i in range(3):
        client.post(f"{A}/login", json={"username": f"guess{i}", "password": "x" * 12})
    res = client.post(f"{A}/login", json={"username": "someone-else", "password": "x" * 12})
    assert res.status_code == 429 and "retry-after" in res.headers


def test_deleting_the_account_removes_all_its_data(app: FastAPI, store: DiaryStore) -> None:
    ivy = signed_up(app, "ivy")
    jon = signed_up(app, "jon")
    for client in (ivy, jon):
        client.post(f"{D}/episodes", json=episode(1))
        client.post(f"{D}/checkins", json={"on_date": dt.date.today().isoformat(), "stress": 4})
        client.post(f"{D}/assessments", json={"age": 40, "sex": "female", "evidence": []})
    ivy_id = user_of(store, "ivy").id
    res = ivy.delete(f"{A}/account")
    assert res.status_code == 200
    assert res.json() == {"username": "ivy", "episodes": 1, "checkins": 1, "assessments": 1}
    with store._sessions() as s:
        for model in (
            m.Episode,
            m.CheckIn,
            m.AssessmentRecord,
            m.DayStats,
            m.LocationDay,
            m.WebSession,
        ):
            n = s.scalar(select(func.count()).select_from(model).where(model.user_id == ivy_id))
            assert n == 0, model.__name__
        assert s.get(m.User, ivy_id) is None
    assert ivy.get(f"{D}/episodes").status_code == 401
    res = TestClient(app).post(f"{A}/login", json={"username": "ivy", "password": PASSWORD})
    assert res.status_code == 401
    # The other user's diary is untouched.
    assert len(jon.get(f"{D}/episodes").json()) == 1
    assert len(jon.get(f"{D}/checkins").json()) == 1


def test_accounts_are_off_in_single_user_mode(store: DiaryStore) -> None:
    client = TestClient(create_app(Settings(rate_limit_per_minute=100_000), store=store))
    res = client.post(f"{A}/register", json={"username": "kim", "password": PASSWORD})
    assert res.status_code == 403
    assert client.get(f"{A}/me").json()["username"] == "local"
    assert client.get("/login", follow_redirects=False).headers["location"] == "/diary"
    assert client.get("/register", follow_redirects=False).headers["location"] == "/diary"


def test_pages_sign_in_and_out(app: FastAPI) -> None:
    signed_up(app, "lena")
    browser = TestClient(app)
    assert browser.get("/diary", follow_redirects=False).headers["location"] == "/login"
    res = browser.post("/login", data={"username": "lena", "password": "nope nope nope"})
    assert res.status_code == 401 and WRONG_LOGIN in res.text
    res = browser.post(
        "/login", data={"username": "lena", "password": PASSWORD}, follow_redirects=False
    )
    assert res.status_code == 303 and res.headers["location"] == "/diary"
    page = browser.get("/diary")
    assert page.status_code == 200 and "lena" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    assert browser.post("/logout", data={}, follow_redirects=False).status_code == 403
    res = browser.post("/logout", data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert res.status_code == 303
    assert browser.get("/diary", follow_redirects=False).status_code == 303


# -- isolation: every diary route, API and page ------------------------------------------------
def walk(routes: Any) -> Iterator[tuple[str, str]]:
    """(method, path) of every route, also inside included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from walk(inner.routes)
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                yield method, route.path


@pytest.fixture
def two_users(app: FastAPI, store: DiaryStore) -> dict[str, Any]:
    """User A with one of everything; user B signed in, with nothing."""
    a = signed_up(app, "anna")
    a.put(f"{D}/profile", json={"birth_year": 1970, "sex": "female"})
    ep = a.post(f"{D}/episodes", json=episode(2, note="anna-private-note")).json()
    ck = a.post(
        f"{D}/checkins",
        json={"on_date": dt.date.today().isoformat(), "answers": {"muscle_weakness": True}},
    ).json()
    rec = a.post(f"{D}/assessments", json={"age": 55, "sex": "female", "evidence": []}).json()
    b = signed_up(app, "bert")
    return {"a": a, "b": b, "ep": ep["id"], "ck": ck["id"], "rec": rec["id"], "uid": ep["uid"]}


def snapshot(store: DiaryStore, user: UserRef) -> Any:
    return (
        store.profile(user),
        store.list_episodes(user, limit=1000),
        store.list_checkins(user),
        store.list_assessments(user),
        store.day_rows(user),
    )


Call = Callable[[TestClient, dict[str, Any]], Any]
csv_file = {
    "file": (
        "episodes.csv",
        b"occurred_at,locations,duration_seconds\n2026-01-02T10:00,twitch_eyelid,3\n",
    )
}

#: Routes with an id: B using A's id must get a 404.
BY_ID: dict[tuple[str, str], Call] = {
    ("GET", f"{D}/episodes/{{episode_id}}"): lambda c, x: c.get(f"{D}/episodes/{x['ep']}"),
    ("PATCH", f"{D}/episodes/{{episode_id}}"): lambda c, x: c.patch(
        f"{D}/episodes/{x['ep']}", json={"intensity": 9}
    ),
    ("DELETE", f"{D}/episodes/{{episode_id}}"): lambda c, x: c.delete(f"{D}/episodes/{x['ep']}"),
    ("GET", f"{D}/checkins/{{checkin_id}}"): lambda c, x: c.get(f"{D}/checkins/{x['ck']}"),
    ("DELETE", f"{D}/checkins/{{checkin_id}}"): lambda c, x: c.delete(f"{D}/checkins/{x['ck']}"),
    ("GET", f"{D}/assessments/{{record_id}}"): lambda c, x: c.get(f"{D}/assessments/{x['rec']}"),
    ("DELETE", f"{D}/assessments/{{record_id}}"): lambda c, x: c.delete(
        f"{D}/assessments/{x['rec']}"
    ),
    ("POST", "/diary/episodes/{episode_id}/delete"): lambda c, x: c.post(
        f"/diary/episodes/{x['ep']}/delete", data={"csrf_token": c.headers["X-CSRF-Token"]}
    ),
    ("POST", "/diary/checkins/{checkin_id}/delete"): lambda c, x: c.post(
        f"/diary/checkins/{x['ck']}/delete", data={"csrf_token": c.headers["X-CSRF-Token"]}
    ),
}

#: Routes without an id act on the caller's own diary: B must see and change only B's data.
OWN: dict[tuple[str, str], Call] = {
    ("GET", f"{D}/profile"): lambda c, x: c.get(f"{D}/profile"),
    ("PUT", f"{D}/profile"): lambda c, x: c.put(
        f"{D}/profile", json={"birth_year": 1999, "sex": "male"}
    ),
    ("POST", f"{D}/episodes"): lambda c, x: c.post(f"{D}/episodes", json=episode(1)),
    ("GET", f"{D}/episodes"): lambda c, x: c.get(f"{D}/episodes"),
    ("POST", f"{D}/checkins"): lambda c, x: c.post(
        f"{D}/checkins", json={"on_date": dt.date.today().isoformat(), "stress": 2}
    ),
    ("GET", f"{D}/checkins"): lambda c, x: c.get(f"{D}/checkins"),
    ("POST", f"{D}/assessments"): lambda c, x: c.post(
        f"{D}/assessments", json={"age": 30, "sex": "male", "evidence": []}
    ),
    ("GET", f"{D}/assessments"): lambda c, x: c.get(f"{D}/assessments"),
    ("GET", f"{D}/trends"): lambda c, x: c.get(f"{D}/trends"),
    ("GET", f"{D}/triggers"): lambda c, x: c.get(f"{D}/triggers"),
    ("POST", f"{D}/progression"): lambda c, x: c.post(f"{D}/progression"),
    ("GET", f"{D}/progression"): lambda c, x: c.get(f"{D}/progression"),
    ("GET", f"{D}/charts/{{name}}.svg"): lambda c, x: c.get(f"{D}/charts/episodes.svg"),
    ("GET", f"{D}/report.pdf"): lambda c, x: c.get(f"{D}/report.pdf"),
    ("GET", f"{D}/export/csv"): lambda c, x: c.get(f"{D}/export/csv"),
    ("GET", f"{D}/export/fhir"): lambda c, x: c.get(f"{D}/export/fhir"),
    ("POST", f"{D}/import"): lambda c, x: c.post(f"{D}/import", files=csv_file),
    ("DELETE", D): lambda c, x: c.delete(D),
    ("GET", "/diary"): lambda c, x: c.get("/diary"),
    ("POST", "/diary/profile"): lambda c, x: c.post(
        "/diary/profile",
        data={"birth_year": "1999", "sex": "male", "csrf_token": c.headers["X-CSRF-Token"]},
    ),
    ("POST", "/diary/episodes"): lambda c, x: c.post(
        "/diary/episodes",
        data={
            "occurred_at": episode(1)["occurred_at"],
            "locations": "twitch_eyelid",
            "duration_seconds": "4",
            "csrf_token": c.headers["X-CSRF-Token"],
        },
    ),
    ("POST", "/diary/checkins"): lambda c, x: c.post(
        "/diary/checkins",
        data={
            "on_date": dt.date.today().isoformat(),
            "answer_muscle_weakness": "no",
            "csrf_token": c.headers["X-CSRF-Token"],
        },
    ),
    ("POST", "/diary/progression"): lambda c, x: c.post(
        "/diary/progression", data={"csrf_token": c.headers["X-CSRF-Token"]}
    ),
    ("POST", "/diary/delete-all"): lambda c, x: c.post(
        "/diary/delete-all", data={"confirm": "yes", "csrf_token": c.headers["X-CSRF-Token"]}
    ),
}


def diary_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, path)
        for method, path in walk(app.routes)
        if path == D or path.startswith((f"{D}/", "/diary"))
    }


def test_the_isolation_table_covers_every_diary_route(app: FastAPI) -> None:
    """A new diary route fails this test until it is added to the isolation table."""
    routes = diary_routes(app)
    assert len(routes) >= 30
    missing = routes - BY_ID.keys() - OWN.keys()
    assert not missing, f"diary routes without an isolation test: {sorted(missing)}"
    stale = (BY_ID.keys() | OWN.keys()) - routes
    assert not stale, f"isolation table names routes that do not exist: {sorted(stale)}"


@pytest.mark.parametrize("route", sorted(BY_ID), ids=lambda r: f"{r[0]} {r[1]}")
def test_another_users_ids_are_404_and_audited(
    route: tuple[str, str], two_users: dict[str, Any], store: DiaryStore
) -> None:
    anna = user_of(store, "anna")
    before = snapshot(store, anna)
    seen = len(store.audit_events(limit=100_000))
    res = BY_ID[route](two_users["b"], two_users)
    assert res.status_code == 404, (route, res.status_code, res.text)
    assert "anna-private-note" not in res.text and two_users["uid"] not in res.text
    assert snapshot(store, anna) == before
    fresh = store.audit_events(limit=100_000)[: len(store.audit_events(limit=100_000)) - seen]
    refused = [e for e in fresh if e.outcome.startswith("refused")]
    assert refused and all(e.actor == "bert" for e in refused)


@pytest.mark.parametrize("route", sorted(OWN), ids=lambda r: f"{r[0]} {r[1]}")
def test_routes_without_ids_touch_only_the_callers_diary(
    route: tuple[str, str], two_users: dict[str, Any], store: DiaryStore
) -> None:
    anna = user_of(store, "anna")
    before = snapshot(store, anna)
    res = OWN[route](two_users["b"], two_users)
    assert res.status_code < 400, (route, res.status_code, res.text[:500])
    body = res.content
    assert b"anna-private-note" not in body and two_users["uid"].encode() not in body
    assert snapshot(store, anna) == before
    # And A still sees all of A's own entries.
    assert [e["id"] for e in two_users["a"].get(f"{D}/episodes").json()] == [two_users["ep"]]


@pytest.mark.parametrize("route", sorted(BY_ID | OWN), ids=lambda r: f"{r[0]} {r[1]}")
def test_every_diary_route_refuses_strangers(
    route: tuple[str, str], two_users: dict[str, Any], store: DiaryStore, app: FastAPI
) -> None:
    """Not signed in: 401 for the API, the sign-in page for pages; audited; nothing changes."""
    anna = user_of(store, "anna")
    before = snapshot(store, anna)
    stranger = TestClient(app, follow_redirects=False)
    stranger.headers["X-CSRF-Token"] = "guess"
    res = (BY_ID | OWN)[route](stranger, two_users)
    if route[1].startswith("/api/"):
        assert res.status_code == 401, (route, res.status_code)
    else:
        assert res.status_code == 303 and res.headers["location"] == "/login"
    last = store.audit_events(limit=1)[0]
    assert last.outcome == "refused 401" and last.actor == "anonymous"
    assert snapshot(store, anna) == before
