"""Every FHIR resource the product emits, through the independent checker (issue 20): the
conformance resources, the adaptive Questionnaire, the ``$assess`` Bundle and OperationOutcome
errors, each with at least one invariant evaluated. Every step of whole ``$next-question``
interviews goes through the same checker as it arrives in ``tests/interfaces/test_fhir_interview.py``
(the ``fhir_responses_validated`` fixture); the diary export in ``test_diary_export.py``.

Nothing here goes through ``fhir.resources``: the checker reads the official R4B definitions."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fhir_check import check
from tests.interfaces.fhir_form_filler import ASSESS, FHIR_JSON, NEXT, observation
from tests.interfaces.fhir_form_filler import post as fhir_post
from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

pytestmark = pytest.mark.usefixtures("fhir_definitions")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000)))


def _valid(resource: dict[str, Any], what: str) -> None:
    report = check(resource)
    assert not report.errors, f"{what}: {report.summary()}: " + "; ".join(
        str(i) for i in report.errors
    )
    assert report.evaluated, f"{what}: no invariant was evaluated"


def test_conformance_resources_are_valid(client: TestClient) -> None:
    cap = client.get("/fhir/metadata").json()
    _valid(cap, "CapabilityStatement")
    operations = [
        op
        for rest in cap["rest"]
        for res in rest.get("resource", [])
        for op in res.get("operation", [])
    ] + [op for rest in cap["rest"] for op in rest.get("operation", [])]
    assert operations, "the CapabilityStatement lists no operation"
    for op in operations:
        op_id = op["definition"].rstrip("/").split("/")[-1]
        _valid(
            client.get(f"/fhir/OperationDefinition/{op_id}").json(), f"OperationDefinition {op_id}"
        )
    for cs_id in ("finding", "cause", "triage-level", "answer"):
        _valid(client.get(f"/fhir/CodeSystem/{cs_id}").json(), f"CodeSystem {cs_id}")
    _valid(client.get("/fhir/Questionnaire/twitchcheck").json(), "Questionnaire")


def test_the_assess_bundle_is_valid(client: TestClient) -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "age", "valueInteger": 58},
            {"name": "sex", "valueCode": "male"},
            observation("twitch_limbs_or_trunk", True),
            observation("muscle_weakness", True),
            observation("difficulty_swallowing", True),
            observation("facial_droop", False),
        ],
    }
    _valid(fhir_post(client, ASSESS, params), "$assess Bundle")


def test_operation_outcomes_are_valid(client: TestClient) -> None:
    bad = [
        client.post(NEXT, content=b"{not json", headers={"content-type": FHIR_JSON}),
        client.post(ASSESS, json={"resourceType": "Patient"}),
        client.get("/fhir/CodeSystem/nope"),
    ]
    for res in bad:
        assert res.status_code >= 400
        body = res.json()
        assert body["resourceType"] == "OperationOutcome"
        _valid(body, f"OperationOutcome {res.status_code}")
