"""The adaptive interview over HTTP: a records system's form filler drives whole interviews
through ``$next-question`` only and gets what ``POST /api/v1/assess`` gives on the same answers,
asked in the order ``POST /api/v1/interview/next`` asks them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fhir_check.responses import fhir_responses_validated  # noqa: F401
from tests.interfaces.fhir_form_filler import (
    NEXT,
    PEOPLE,
    TRIAGE_EXTENSION,
    drive,
    post,
)
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.coding import CAUSE_SYSTEM, TRIAGE_SYSTEM

#: Every application/fhir+json response these tests receive goes through the independent
#: R4B checker as it arrives (tests/fhir_check).
pytestmark = pytest.mark.usefixtures("fhir_responses_validated")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000)))


@pytest.mark.parametrize("name", list(PEOPLE))
def test_the_adaptive_interview_gives_the_products_result(client: TestClient, name: str) -> None:
    person = PEOPLE[name]
    done, evidence, asked = drive(client, person)
    body = {"age": person.age, "sex": person.sex, "evidence": evidence}

    # The same screens, in the same order, as the product's interview, and the same stop.
    so_far: list[dict[str, Any]] = [e for e in evidence if e.get("initial")]
    for screen in asked:
        step = client.post("/api/v1/interview/next", json={**body, "evidence": so_far}).json()
        assert step["question"]["id"] == screen
        so_far = evidence[: len(so_far) + len(step["question"]["items"])]
    assert client.post("/api/v1/interview/next", json=body).json()["should_stop"] is True
    assert asked[0] == "safety_screen"

    # The same result as POST /api/v1/assess on the same answers.
    expected = client.post("/api/v1/assess", json=body).json()
    contained = {r["resourceType"]: r for r in done["contained"]}
    risk = contained["RiskAssessment"]
    causes = [
        (p["outcome"]["coding"][0]["code"], p["probabilityDecimal"]) for p in risk["prediction"]
    ]
    assert [c for c, _ in causes] == [c["id"] for c in expected["causes"]]
    assert [p for _, p in causes] == pytest.approx(
        [c["probability"] for c in expected["causes"]], abs=1e-12
    )
    assert all(p["outcome"]["coding"][0]["system"] == CAUSE_SYSTEM for p in risk["prediction"])
    level = risk["extension"][0]
    assert level["url"] == TRIAGE_EXTENSION
    assert level["valueCodeableConcept"]["coding"][0] == {
        "system": TRIAGE_SYSTEM,
        "code": expected["triage"]["level"],
        "display": expected["triage"]["name"],
    }
    assert risk["mitigation"] == expected["triage"]["advice"]
    assert risk["basis"] == [{"reference": "#"}]
    assert (
        risk["subject"] == {"reference": "#patient"}
        and contained["Patient"]["gender"] == person.sex
    )

    # The readOnly result items say the same.
    result = next(i for i in done["item"] if i["linkId"] == "result")
    shown = {i["linkId"]: i["answer"][0] for i in result["item"]}
    assert shown["result-triage"]["valueCoding"]["code"] == expected["triage"]["level"]
    top = [k.removeprefix("result-cause-") for k in shown if k.startswith("result-cause-")]
    assert top == [c["id"] for c in expected["causes"][: len(top)]]
    assert shown["result-assessment"] == {"valueReference": {"reference": f"#{risk['id']}"}}
    group = next(i for i in contained["Questionnaire"]["item"] if i["linkId"] == "result")
    assert group["readOnly"] is True and all(i["readOnly"] for i in group["item"])


def test_the_red_flag_answers_give_an_emergency(client: TestClient) -> None:
    done, _, _ = drive(client, PEOPLE["red flag"])
    risk = next(r for r in done["contained"] if r["resourceType"] == "RiskAssessment")
    assert risk["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "emergency"


def test_age_sex_and_initial_come_first_and_a_subject_is_kept(client: TestClient) -> None:
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "subject": {"reference": "Patient/123"},
        "authored": "2026-12-06T08:00:00+01:00",
        "questionnaire": "https://fhir.twitchcheck.org/Questionnaire/twitchcheck",
    }
    order = []
    person = PEOPLE["caffeine"]
    for _ in range(4):
        out = post(client, NEXT, qr)
        assert out["subject"] == {"reference": "Patient/123"} and out["authored"] == qr["authored"]
        item = out["contained"][0]["item"][-1]
        order.append(item["linkId"])
        qr = {
            **out,
            "item": [
                *out.get("item", []),
                {"linkId": item["linkId"], "answer": person.answer(item)},
            ],
        }
    assert order == ["age", "sex", "initial", "safety_screen"]


def test_a_contained_copy_of_the_base_questionnaire_is_accepted(client: TestClient) -> None:
    base = client.get("/fhir/Questionnaire/twitchcheck").json()
    qr = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "questionnaire": "#base",
        "contained": [{**base, "id": "base"}],
        "item": [{"linkId": "age", "answer": [{"valueInteger": 40}]}],
    }
    out = post(client, NEXT, qr)
    assert [i["linkId"] for i in out["contained"][0]["item"]] == ["age", "sex"]
