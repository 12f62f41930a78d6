"""The API's own documentation and its problem documents (issue 19): human titles, never class
names; /healthz, the rate limit and the body limit in the OpenAPI document."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

BODY = {"age": 34, "sex": "female", "evidence": [{"id": "twitch_nose", "choice": "present"}]}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=10_000)))


@pytest.mark.parametrize(
    ("method", "path", "body", "title"),
    [
        (
            "post",
            "/api/v1/assess",
            {**BODY, "evidence": [{"id": "twitch_nos", "choice": "present"}]},
            "Unknown finding",
        ),
        ("post", "/api/v1/assess", {**BODY, "concerns": ["alss"]}, "Unknown concern"),
        (
            "post",
            "/api/v1/assess",
            {
                **BODY,
                "evidence": [
                    {"id": "twitch_nose", "choice": "present"},
                    {"id": "twitch_nose", "choice": "absent"},
                ],
            },
            None,
        ),
        ("get", "/api/v1/kb/causes/nothing_here", None, "No such cause"),
    ],
)
def test_problem_titles_are_human(
    client: TestClient, method: str, path: str, body: dict | None, title: str | None
) -> None:
    res = client.post(path, json=body) if method == "post" else client.get(path)
    assert res.headers["content-type"].startswith("application/problem+json")
    got = res.json()["title"]
    assert "Error" not in got and "_" not in got and got[0].isupper(), got
    if title is not None:
        assert got == title


def test_healthz_is_documented(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    doc = client.get("/openapi.json").json()
    op = doc["paths"]["/healthz"]["get"]
    assert op["summary"] == "Health check" and "kb_version" in op["description"]
    description = doc["info"]["description"]
    assert "/healthz" in description
    assert "requests a minute" in description and "429" in description
    assert "bytes" in description and "413" in description
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "GET /healthz" in readme and "requests a minute" in readme and "413" in readme


# The documentation pages under the CSP (issue 19): /docs keeps the app's policy; /redoc widens
# style-src by a per-response nonce and two hashes and allows blob: workers; nothing else changes.
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


@pytest.mark.parametrize("path", ["/", "/docs", "/api/v1/kb/causes", "/openapi.json"])
def test_csp_is_the_strict_one(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200
    assert res.headers["content-security-policy"] == STRICT


def test_redoc_csp_adds_a_fresh_nonce_only(client: TestClient) -> None:
    import re

    from twitchcheck.interfaces.rest.docs_pages import REDOC_STYLE_HASHES

    first, second = client.get("/redoc"), client.get("/redoc")
    nonces = []
    for res in (first, second):
        csp = res.headers["content-security-policy"]
        found = re.search(r"'nonce-([A-Za-z0-9_-]{20,})'", csp)
        assert found, csp
        nonces.append(found.group(1))
        hashes = " ".join(REDOC_STYLE_HASHES)
        assert csp == STRICT.replace(
            "style-src 'self';",
            f"style-src 'self' 'nonce-{found.group(1)}' {hashes}; worker-src blob:;",
        )
        assert f'nonce="{found.group(1)}"' in res.text
        assert "'unsafe-inline'" not in csp
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_nothing_from_elsewhere(client: TestClient, path: str) -> None:
    import re

    html = client.get(path).text
    assert "<script>" not in html and "<style" not in html and "http" not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
