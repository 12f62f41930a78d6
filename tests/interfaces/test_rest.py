"""The REST API in-process: shapes, problem+json errors, security headers, limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000)))


BODY = {
    "age": 30,
    "sex": "female",
    "evidence": [
        {"id": "twitch_nose", "choice": "present", "initial": True},
        {"id": "muscle_weakness", "choice": "absent"},
    ],
}


def test_assess_matches_the_python_api(client: TestClient) -> None:
    import twitchcheck

    res = client.post("/api/v1/assess", json=BODY)
    assert res.status_code == 200
    data = res.json()
    same = twitchcheck.assess(
        age=30,
        sex="female",
        present=["twitch_nose"],
        absent=["muscle_weakness"],
        initial=["twitch_nose"],
    )
    assert data == same.model_dump(mode="json")
    assert res.headers["cache-control"] == "no-store"


def test_interview_next(client: TestClient) -> None:
    res = client.post("/api/v1/interview/next", json=BODY)
    assert res.status_code == 200
    data = res.json()
    assert {"question", "should_stop", "causes", "triage"} <= data.keys()
    q = data["question"]
    assert q["type"] in {"single", "group_single", "group_multiple"}
    assert q["text"] and q["rationale"] and q["items"]


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({**BODY, "evidence": [{"id": "twitch_nos", "choice": "present"}]}, "twitch_nos"),
        ({**BODY, "age": 200}, "age"),
        ({**BODY, "sex": "robot"}, "sex"),
        ({**BODY, "evidence": [{"id": "twitch_nose", "choice": "maybe"}]}, "choice"),
        ({**BODY, "extra": 1}, "extra"),
        (
            {
                **BODY,
                "evidence": [
                    {"id": "twitch_nose", "choice": "present"},
                    {"id": "twitch_nose", "choice": "absent"},
                ],
            },
            "both",
        ),
    ],
)
def test_bad_requests_are_422_problems(client: TestClient, body: dict, needle: str) -> None:
    res = client.post("/api/v1/assess", json=body)
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("application/problem+json")
    problem = res.json()
    assert {"type", "title", "status", "detail", "code"} <= problem.keys()
    assert needle in problem["detail"]


def test_unknown_id_problem_has_suggestions(client: TestClient) -> None:
    res = client.post(
        "/api/v1/assess", json={**BODY, "evidence": [{"id": "twitch_nos", "choice": "present"}]}
    )
    assert "twitch_nose" in res.json()["suggestions"] and res.json()["code"] == "E101"


def test_malformed_json_is_a_4xx(client: TestClient) -> None:
    res = client.post(
        "/api/v1/assess", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert 400 <= res.status_code < 500


def test_kb_routes(client: TestClient) -> None:
    causes = client.get("/api/v1/kb/causes").json()
    assert any(c["id"] == "als" for c in causes)
    assert client.get("/api/v1/kb/causes/als").json()["id"] == "als"
    missing = client.get("/api/v1/kb/causes/alz")
    assert missing.status_code == 404 and "als" in missing.json()["suggestions"]
    assert len(client.get("/api/v1/kb/findings").json()) > 100
    assert len(client.get("/api/v1/kb/anatomy").json()) == 6
    assert client.get("/api/v1/kb/sources").json()
    assert client.get("/healthz").json()["status"] == "ok"


def test_security_headers(client: TestClient) -> None:
    res = client.get("/healthz")
    csp = res.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert res.headers["x-content-type-options"] == "nosniff"
    assert res.headers["referrer-policy"] == "no-referrer"


def test_body_size_limit() -> None:
    small = TestClient(create_app(Settings(max_body_bytes=1024)))
    res = small.post(
        "/api/v1/assess", content=b"x" * 5000, headers={"content-type": "application/json"}
    )
    assert res.status_code == 413
    assert res.headers["content-security-policy"]


def test_rate_limit_gives_429_with_retry_after() -> None:
    limited = TestClient(create_app(Settings(rate_limit_per_minute=3)))
    codes = [limited.post("/api/v1/assess", json=BODY).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    res = limited.post("/api/v1/assess", json=BODY)
    assert res.status_code == 429 and int(res.headers["retry-after"]) >= 1


def test_settings_refuse_unsafe_values() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(rate_limit_per_minute=0)
    with pytest.raises(ValidationError):
        Settings(max_body_bytes=100 * 1024 * 1024)


@pytest.mark.parametrize("route", ["/api/v1/assess", "/api/v1/interview/next"])
def test_quick_bodies_stay_on_the_event_loop_and_large_ones_go_to_threads(
    route: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to INLINE_MAX_YES "yes" answers the route answers inline (with the kernel built);
    more go to the thread pool. Both give what the Python API gives."""
    import twitchcheck.interfaces.rest.routes.assess as routes_module
    import twitchcheck.interfaces.rest.schemas as schemas_module

    handed_off: list[object] = []
    real = routes_module.run_in_threadpool

    async def spy(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        handed_off.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(routes_module, "run_in_threadpool", spy)
    client = TestClient(create_app(Settings(rate_limit_per_minute=100_000)))
    locations = ["twitch_nose", "twitch_eyelid", "twitch_upper_lip", "twitch_limbs_or_trunk"]
    extra = ["high_caffeine_intake", "poor_sleep", "high_stress", "muscle_cramps"]
    yes = [{"id": f, "choice": "present"} for f in [*locations, *extra]]
    small = {"age": 40, "sex": "male", "evidence": yes[: schemas_module.INLINE_MAX_YES]}
    large = {"age": 40, "sex": "male", "evidence": yes[: schemas_module.INLINE_MAX_YES + 1]}
    answers = {}
    for name, body in (("small", small), ("large", large)):
        res = client.post(route, json=body)
        assert res.status_code == 200
        answers[name] = res.json()
    assert len(handed_off) == (1 if schemas_module.has_kernel() else 2)
    if route.endswith("assess"):
        import twitchcheck

        for name, body in (("small", small), ("large", large)):
            present = [e["id"] for e in body["evidence"]]
            same = twitchcheck.assess(age=40, sex="male", present=present)
            assert answers[name] == same.model_dump(mode="json")


def test_hello_is_a_plain_route_outside_the_api(client: TestClient) -> None:
    """The load test's baseline: no body, no health data, not in the OpenAPI document."""
    res = client.get("/hello")
    assert res.status_code == 200
    assert res.json() == {"hello": "world"}
    assert "/hello" not in client.get("/openapi.json").json()["paths"]


def test_request_bodies_read_by_hand_are_documented(client: TestClient) -> None:
    """/assess and /interview/next read their bodies with read_body: the document still names
    each body's schema, and every reference in it resolves."""
    import json
    import re

    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for path, model in (("/api/v1/assess", "AssessIn"), ("/api/v1/interview/next", "InterviewIn")):
        body = doc["paths"][path]["post"]["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"]["$ref"].endswith(f"/{model}")
        assert {"age", "sex", "evidence"} <= schemas[model]["properties"].keys()
    assert "max_questions" in schemas["InterviewIn"]["properties"]
    refs = set(re.findall(r"#/components/schemas/([\w.-]+)", json.dumps(doc)))
    assert refs <= schemas.keys()


def test_body_errors_name_the_field_and_the_json_fault(client: TestClient) -> None:
    res = client.post("/api/v1/interview/next", json={**BODY, "max_questions": 0})
    assert res.status_code == 422 and "max_questions" in res.json()["detail"]
    res = client.post(
        "/api/v1/assess", content=b'{"age": 30,', headers={"content-type": "application/json"}
    )
    assert res.status_code == 422 and "JSON" in res.json()["detail"]


@pytest.mark.parametrize("given", [False, True])
def test_the_checker_dependency_never_costs_a_thread_hop(
    given: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync dependency runs in FastAPI's thread pool on every request (a hop that costs more
    than the engine's work): the checker's look-up must stay async, also when the app is given one (as
    `twitchcheck serve` does; it was a sync override there). The two hot routes read the checker
    without a dependency at all."""
    import fastapi.dependencies.utils as fastapi_deps

    from twitchcheck.api import default_checker

    hops: list[object] = []
    real = fastapi_deps.run_in_threadpool

    async def spy(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        hops.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(fastapi_deps, "run_in_threadpool", spy)
    checker = default_checker() if given else None
    client = TestClient(create_app(Settings(rate_limit_per_minute=100_000), checker=checker))
    for route in ("/api/v1/assess", "/api/v1/interview/next"):
        assert client.post(route, json=BODY).status_code == 200
    for route in ("/healthz", "/api/v1/kb/causes"):  # routes that take CheckerDep
        assert client.get(route).status_code == 200
    assert hops == []
