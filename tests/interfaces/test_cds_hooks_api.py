"""CDS Hooks 2.0 over HTTP (/cds-services): discovery, both services' cards, 400/401/404/412,
feedback, and the linked assessment page, whose URL carries no health data."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import ECKey, RSAKey

from tests.interop.cds_fixtures import (
    ISSUER,
    PATIENT_ID,
    answers_call,
    new_keys,
    observation,
    patient_view,
    public_jwks,
    questionnaire_response,
    token,
)
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

VIEW_SERVICE = "/cds-services/twitchcheck-patient-view"
ANSWERS_SERVICE = "/cds-services/twitchcheck-answers"
BASE = "https://cds.example.org"
SELF_CARE = ["twitch_eyelid", "twitch_brief_seconds", "high_caffeine_intake"]
EMERGENCY = ["twitch_eyelid", "sudden_speech_difficulty"]


@pytest.fixture(scope="module")
def client() -> TestClient:
    """Single-user development mode on loopback, no keys: no token needed."""
    return TestClient(create_app(Settings()))


@pytest.fixture(scope="module")
def keys() -> tuple[ECKey, RSAKey]:
    return new_keys()


@pytest.fixture(scope="module")
def secured(keys: tuple[ECKey, RSAKey]) -> TestClient:
    ec, rsa = keys
    settings = Settings(
        cds_jwks=json.dumps(public_jwks(ec, rsa)), cds_issuers=[ISSUER], cds_base_url=BASE
    )
    return TestClient(create_app(settings))


def the_card(response: Any) -> dict[str, Any]:
    """The one card of a response, checked against CDS Hooks 2.0's Card: summary (string, under
    140 characters), indicator (info, warning or critical), source with a label (required);
    uuid, detail and links (label, url, type absolute or smart) as the spec types them."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"cards"}
    [card] = response.json()["cards"]
    assert {"summary", "indicator", "source"} <= card.keys()
    assert card.keys() <= {
        "uuid",
        "summary",
        "detail",
        "indicator",
        "source",
        "links",
        "suggestions",
        "selectionBehavior",
        "overrideReasons",
    }
    assert isinstance(card["summary"], str) and 0 < len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    assert isinstance(card["source"]["label"], str) and card["source"]["label"]
    assert isinstance(card["detail"], str)
    uuid.UUID(card["uuid"])
    for link in card["links"]:
        assert link.keys() >= {"label", "url", "type"} and link["type"] in {"absolute", "smart"}
    return dict(card)


def test_discovery(client: TestClient) -> None:
    answer = client.get("/cds-services")
    assert answer.status_code == 200
    services = {s["id"]: s for s in answer.json()["services"]}
    assert services["twitchcheck-patient-view"]["hook"] == "patient-view"
    assert services["twitchcheck-answers"]["hook"] == "twitchcheck-answers-signed"


@pytest.mark.parametrize(
    ("present", "indicators"),
    [
        (SELF_CARE, {"info"}),
        (["twitch_eyelid", "difficulty_swallowing"], {"critical"}),
        (EMERGENCY, {"critical"}),
    ],
)
def test_patient_view_cards(client: TestClient, present: list[str], indicators: set[str]) -> None:
    card = the_card(client.post(VIEW_SERVICE, json=patient_view(*map(observation, present))))
    assert card["indicator"] in indicators
    assert len(card["summary"]) < 140
    uuid.UUID(card["uuid"])
    assert card["source"]["label"].startswith("twitchcheck (knowledge base ")
    assert card["links"][0]["type"] == "absolute"


def test_answers_cards(client: TestClient) -> None:
    calm = the_card(
        client.post(
            ANSWERS_SERVICE, json=answers_call(questionnaire_response(34, "female", SELF_CARE))
        )
    )
    alarm = the_card(
        client.post(
            ANSWERS_SERVICE, json=answers_call(questionnaire_response(34, "female", EMERGENCY))
        )
    )
    assert (calm["indicator"], alarm["indicator"]) == ("info", "critical")
    assert len(calm["summary"]) < 140 and len(alarm["summary"]) < 140


def test_the_link_opens_the_assessment_and_carries_no_health_data(client: TestClient) -> None:
    card = the_card(client.post(VIEW_SERVICE, json=patient_view(*map(observation, EMERGENCY))))
    url = card["links"][0]["url"]
    assert re.fullmatch(r"http://testserver/cds-services/view/[A-Za-z0-9_-]{43}", url)
    assert not any(word in url for word in [PATIENT_ID, *EMERGENCY, "1986", "40", "female"])
    page = client.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "Emergency" in page.text and "Sudden trouble speaking" in page.text
    # The long list of sources sits behind a closed disclosure, the disclaimer after it.
    sources = page.text.index("sources behind this assessment")
    assert page.text.rfind("<details>", 0, sources) > page.text.rfind("</details>", 0, sources)
    assert "<details open" not in page.text
    gone = client.get("/cds-services/view/" + "A" * 43)
    assert gone.status_code == 404 and "no longer available" in gone.text


def test_missing_prefetch_is_412(client: TestClient) -> None:
    answer = client.post(
        VIEW_SERVICE, json=patient_view(observation("twitch_eyelid"), twitchObservations=None)
    )
    assert answer.status_code == 412
    assert answer.headers["content-type"] == "application/problem+json"
    assert "twitchObservations" in answer.json()["detail"]
    qr = questionnaire_response(None, "female", SELF_CARE)
    assert client.post(ANSWERS_SERVICE, json=answers_call(qr)).status_code == 412


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{", "Invalid JSON"),
        (b"", "Invalid JSON"),
        (b"[]", "object"),
        (json.dumps({"hook": "patient-view"}).encode(), "hookInstance"),
        (json.dumps(answers_call(questionnaire_response(30, "f", []))).encode(), "sex"),
    ],
)
def test_malformed_requests_are_400_with_a_reason(
    client: TestClient, content: bytes, words: str
) -> None:
    service = ANSWERS_SERVICE if b"answers-signed" in content else VIEW_SERVICE
    answer = client.post(service, content=content, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    assert words in answer.json()["detail"]


def test_only_json_and_known_services(client: TestClient) -> None:
    answer = client.post(VIEW_SERVICE, content=b"x", headers={"content-type": "text/plain"})
    assert answer.status_code == 415
    assert client.post("/cds-services/nope", json=patient_view()).status_code == 404


def signed(client: TestClient, key: Any, path: str, body: Any, **claims: Any) -> Any:
    bearer = token(key, BASE + path, **claims)
    return client.post(path, json=body, headers={"authorization": f"Bearer {bearer}"})


def test_jwt_is_checked_when_keys_are_configured(
    secured: TestClient, keys: tuple[ECKey, RSAKey]
) -> None:
    ec, rsa = keys
    other, _ = new_keys()
    body = patient_view(*map(observation, SELF_CARE))
    card = the_card(signed(secured, ec, VIEW_SERVICE, body))
    assert card["links"][0]["url"].startswith(f"{BASE}/cds-services/view/")
    assert signed(secured, rsa, VIEW_SERVICE, body).status_code == 200
    refusals = [
        secured.post(VIEW_SERVICE, json=body),  # no token
        signed(secured, ec, VIEW_SERVICE, body, issued=time.time() - 900),  # expired
        signed(secured, other, VIEW_SERVICE, body),  # wrong key
        signed(secured, ec, VIEW_SERVICE, body, issuer="https://evil.example"),
    ]
    for audience in (
        BASE + ANSWERS_SERVICE,  # a token for another endpoint
        "http://testserver" + VIEW_SERVICE,  # not the public URL
    ):
        bearer = {"authorization": f"Bearer {token(ec, audience)}"}
        refusals.append(secured.post(VIEW_SERVICE, json=body, headers=bearer))
    for answer in refusals:
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.headers["content-type"] == "application/problem+json"
    assert secured.get("/cds-services").status_code == 200  # discovery holds no health data


def test_multi_user_servers_always_need_a_token() -> None:
    client = TestClient(create_app(Settings(multi_user=True)))
    answer = client.post(VIEW_SERVICE, json=patient_view(observation("twitch_eyelid")))
    assert answer.status_code == 401 and "no CDS client keys" in answer.json()["detail"]


def test_keys_need_issuers() -> None:
    with pytest.raises(ValueError, match="cds_issuers"):
        Settings(cds_jwks=json.dumps(public_jwks(*new_keys())))


FEEDBACK = {
    "feedback": [
        {
            "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
            "outcome": "overridden",
            "overrideReason": {
                "reason": {"code": "other", "system": "http://example.org/reasons"},
                "userComment": "patient says SECRET-COMMENT about her divorce",
            },
            "outcomeTimestamp": "2026-12-06T07:40:00Z",
        },
        {
            "card": "0a3e0e0b-6a4e-4c3e-9d6f-7f0b1c2d3e4f",
            "outcome": "accepted",
            "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
            "outcomeTimestamp": "2026-12-06T07:41:00Z",
        },
    ]
}


def test_feedback_is_logged_without_health_data(
    secured: TestClient,
    keys: tuple[ECKey, RSAKey],
    caplog: pytest.LogCaptureFixture,
) -> None:
    ec, _ = keys
    path = f"{VIEW_SERVICE}/feedback"
    caplog.set_level(logging.DEBUG)
    answer = signed(secured, ec, path, FEEDBACK)
    assert answer.status_code == 200
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "9368d37b-283f-44a0-93ea-547cebab93ed" in logged and "overridden" in logged
    assert "SECRET-COMMENT" not in logged and "divorce" not in logged
    assert secured.post(path, json=FEEDBACK).status_code == 401
    bad = signed(secured, ec, path, {"feedback": [{"card": "x", "outcome": "maybe"}]})
    assert bad.status_code == 400 and "outcome" in bad.json()["detail"]


def test_cds_routes_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/cds-services",
        "/cds-services/{service_id}",
        "/cds-services/{service_id}/feedback",
    } <= set(paths)
    assert "412" in paths["/cds-services/{service_id}"]["post"]["responses"]


def test_cds_settings_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, keys: tuple[ECKey, RSAKey]
) -> None:
    path = tmp_path / "clients.jwks"
    path.write_text(json.dumps(public_jwks(*keys)), encoding="utf-8")
    monkeypatch.setenv("TWITCHCHECK_CDS_JWKS", str(path))
    monkeypatch.setenv("TWITCHCHECK_CDS_ISSUERS", "https://a.example, https://b.example")
    monkeypatch.setenv("TWITCHCHECK_CDS_BASE_URL", "https://cds.example.org/")
    settings = Settings()
    assert settings.cds_issuers == ["https://a.example", "https://b.example"]
    assert settings.cds_base_url == "https://cds.example.org"
    assert settings.cds_auth_required
    monkeypatch.setenv("TWITCHCHECK_CDS_JWKS", str(tmp_path / "missing.jwks"))
    with pytest.raises(ValueError, match="cannot read"):
        Settings()
    monkeypatch.delenv("TWITCHCHECK_CDS_JWKS")
    monkeypatch.setenv("TWITCHCHECK_CDS_BASE_URL", "cds.example.org")
    with pytest.raises(ValueError, match="http"):
        Settings()
    monkeypatch.delenv("TWITCHCHECK_CDS_BASE_URL")
    assert not Settings().cds_auth_required  # single-user, loopback, no keys: development
    assert Settings(host="0.0.0.0").cds_auth_required
