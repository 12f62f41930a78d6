"""Fuzzed text on the REST API: a clear 4xx, or a parse with nothing placed; never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀🤔🫠" * 300,
        "<script>alert('nose')</script><b>twitch</b>",
        "Мой нос дёргается уже неделю",
        "鼻がピクピクする",
        "أنفي يرتعش",
        "\u202e\u200b\u0301" * 50,
        "a" * 4999 + "\u0000",
    ],
)
def test_odd_text_places_nothing(client: TestClient, text: str) -> None:
    res = client.post("/api/v1/parse", json={"text": text})
    assert res.status_code == 200
    assert res.json()["findings"] == []


def test_text_over_5000_characters_is_a_422(client: TestClient) -> None:
    res = client.post("/api/v1/parse", json={"text": "twitch " * 800})
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("application/problem+json")
    res = client.post("/api/v1/assess", json={"age": 30, "sex": "female", "text": "x" * 5001})
    assert res.status_code == 422


def test_100_kilobytes_is_a_clear_4xx(client: TestClient) -> None:
    body = b'{"text": "' + b"nose " * 20_000 + b'"}'
    res = client.post("/api/v1/parse", content=body, headers={"content-type": "application/json"})
    assert 400 <= res.status_code < 500


@pytest.mark.parametrize(
    "body",
    [b'{"text": 5}', b"{}", b'{"text": "\\ud800"}', b'{"text": "nose", "x": 1}', b"[]"],
)
def test_bad_bodies_are_422(client: TestClient, body: bytes) -> None:
    res = client.post("/api/v1/parse", content=body, headers={"content-type": "application/json"})
    assert res.status_code == 422


def test_parse_assess_and_interview_with_text(client: TestClient) -> None:
    text = "my nostril twitches since Tuesday, no weakness, my face dropped"
    parsed = client.post("/api/v1/parse", json={"text": text}).json()
    assert {f["id"] for f in parsed["findings"]} >= {"twitch_nose_side", "facial_droop"}
    body = {
        "age": 30,
        "sex": "female",
        "text": text,
        "evidence": [{"id": "muscle_weakness", "choice": "present"}],
    }
    res = client.post("/api/v1/assess", json=body).json()
    assert res["parsed"]["overridden"] == ["muscle_weakness"]  # explicit evidence wins
    assert "muscle_weakness" in res["evidence"]["present"]
    assert "facial_droop" in res["evidence"]["present"]
    step = client.post("/api/v1/interview/next", json=body).json()
    # red flags the text mentions are still confirmed on the safety screen, pre-filled
    assert step["question"]["id"] == "safety_screen"
    assert any(f["id"] == "facial_droop" for f in step["parsed"]["findings"])
    no_text = client.post("/api/v1/assess", json={"age": 30, "sex": "female"}).json()
    assert "parsed" not in no_text
