"""The FHIR face over HTTP: ``$assess``, the conformance resources, and errors as
OperationOutcome."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fhir_check.responses import fhir_responses_validated  # noqa: F401
from tests.interfaces.fhir_form_filler import (
    ASSESS,
    FHIR_JSON,
    NEXT,
    observation,
    post,
)
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.coding import ANSWER_SYSTEM, CAUSE_SYSTEM, FINDING_SYSTEM, TRIAGE_SYSTEM

#: Every application/fhir+json response these tests receive goes through the independent
#: R4B checker as it arrives (tests/fhir_check).
pytestmark = pytest.mark.usefixtures("fhir_responses_validated")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000)))


def test_assess_returns_a_bundle_with_the_products_result(client: TestClient) -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "age", "valueInteger": 30},
            {"name": "sex", "valueCode": "female"},
            observation("twitch_nose", True),
            observation("high_caffeine_intake", True),
            observation("muscle_weakness", False),
            observation("facial_droop", True, status="entered-in-error"),
        ],
    }
    bundle = post(client, ASSESS, params)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == [
        "Patient",
        "Observation",
        "Observation",
        "Observation",
        "RiskAssessment",
        "Observation",
    ]
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    patient, *observations, risk, triage = (e["resource"] for e in bundle["entry"])
    assert patient["gender"] == "female" and patient["extension"][0]["valueAge"]["value"] == 30
    assert risk["basis"] == [{"reference": u} for u in urls[1:4]]
    assert all(o["subject"] == {"reference": urls[0]} for o in [*observations, triage])
    expected = client.post(
        "/api/v1/assess",
        json={
            "age": 30,
            "sex": "female",
            "evidence": [
                {"id": "twitch_nose", "choice": "present"},
                {"id": "high_caffeine_intake", "choice": "present"},
                {"id": "muscle_weakness", "choice": "absent"},
            ],
        },
    ).json()
    assert [p["outcome"]["coding"][0]["code"] for p in risk["prediction"]] == [
        c["id"] for c in expected["causes"]
    ]
    assert triage["valueCodeableConcept"]["coding"][0]["code"] == expected["triage"]["level"]
    assert expected["triage"]["level"] != "emergency"  # the entered-in-error droop was ignored


def test_conformance_resources(client: TestClient) -> None:
    cap = client.get("/fhir/metadata").json()
    assert (cap["fhirVersion"], cap["kind"], cap["format"]) == ("4.3.0", "instance", ["json"])
    operations = [o for r in cap["rest"][0]["resource"] for o in r.get("operation", [])]
    assert {o["name"] for o in operations} == {"next-question", "assess"}
    for op in operations:
        op_id = op["definition"].rsplit("/", 1)[1]
        definition = client.get(f"/fhir/OperationDefinition/{op_id}").json()
        assert definition["url"] == op["definition"] and definition["code"] == op["name"]
    for cs_id, system in [
        ("finding", FINDING_SYSTEM),
        ("cause", CAUSE_SYSTEM),
        ("triage-level", TRIAGE_SYSTEM),
        ("answer", ANSWER_SYSTEM),
    ]:
        cs = client.get(f"/fhir/CodeSystem/{cs_id}").json()
        assert cs["url"] == system and cs["count"] == len(cs["concept"])
    answers = {c["code"] for c in client.get("/fhir/CodeSystem/answer").json()["concept"]}
    assert {"present", "absent", "unknown", "none", "dont-know"} <= answers
    q = client.get("/fhir/Questionnaire/twitchcheck").json()
    assert q["extension"] == [
        {
            "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive",
            "valueBoolean": True,
        }
    ]
    assert "meta" not in q  # no SDC profile claimed on an R4B resource (docs/fhir.md)
    paths = client.get("/openapi.json").json()["paths"]
    assert {NEXT, ASSESS, "/fhir/metadata", "/fhir/Questionnaire/{questionnaire_id}"} <= set(paths)


def qr_with(*items: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": list(items)}


@pytest.mark.parametrize(
    ("path", "body", "status", "issue"),
    [
        (NEXT, b"{not json", 400, "structure"),
        (NEXT, b'{"resourceType": "Patient"}', 400, "structure"),
        (NEXT, b'{"resourceType": "Parameters", "parameter": []}', 400, "required"),
        (
            NEXT,
            b'{"resourceType": "QuestionnaireResponse", "status": "in-progress", "authored": "yesterday"}',
            400,
            "structure",
        ),
        (
            NEXT,
            b'{"resourceType": "QuestionnaireResponse", "status": "in-progress", "colour": "red"}',
            400,
            "structure",
        ),
        (
            ASSESS,
            b'{"resourceType": "Parameters", "parameter": [{"name": "sex", "valueCode": "female"}]}',
            422,
            "required",
        ),
        (ASSESS, b'{"resourceType": "Bundle", "type": "collection"}', 400, "structure"),
    ],
)
def test_malformed_bodies_give_an_operation_outcome(
    client: TestClient, path: str, body: bytes, status: int, issue: str
) -> None:
    res = client.post(path, content=body, headers={"content-type": FHIR_JSON})
    assert res.status_code == status
    assert res.headers["content-type"] == FHIR_JSON
    outcome = res.json()
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["code"] == issue


@pytest.mark.parametrize(
    ("item", "words"),
    [
        (
            {"linkId": "twich_nose", "answer": [{"valueBoolean": True}]},
            "Unknown question linkId 'twich_nose'",
        ),
        ({"linkId": "twitch_nose", "answer": [{"valueString": "yes"}]}, "valueString"),
        ({"linkId": "age", "answer": [{"valueString": "forty"}]}, "valueInteger"),
        (
            {
                "linkId": "lifestyle",
                "answer": [{"valueCoding": {"system": FINDING_SYSTEM, "code": "twitch_nose"}}],
            },
            "not one of the items",
        ),
    ],
)
def test_bad_answers_give_a_422_outcome(
    client: TestClient, item: dict[str, Any], words: str
) -> None:
    res = client.post(NEXT, json=qr_with(item))
    assert res.status_code == 422
    assert res.headers["content-type"] == FHIR_JSON
    assert words in res.json()["issue"][0]["diagnostics"]


def test_contradicting_observations_give_a_422_outcome(client: TestClient) -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "age", "valueInteger": 30},
            observation("twitch_nose", True),
            observation("twitch_nose", False),
        ],
    }
    res = client.post(ASSESS, json=params)
    assert res.status_code == 422 and res.json()["issue"][0]["code"] == "invalid"


def test_errors_from_the_doors_are_operation_outcomes(client: TestClient) -> None:
    res = client.post(NEXT, content=b"{}", headers={"content-type": "text/plain"})
    assert res.status_code == 415 and res.json()["resourceType"] == "OperationOutcome"
    res = client.post(
        NEXT, content=b'{"a": 1, "a": 2}', headers={"content-type": "application/json"}
    )
    assert res.status_code == 422 and res.json()["resourceType"] == "OperationOutcome"
    res = client.get("/fhir/CodeSystem/nope")
    assert res.status_code == 404 and res.json()["issue"][0]["code"] == "not-found"
    assert client.get("/fhir/Questionnaire/other").status_code == 404
