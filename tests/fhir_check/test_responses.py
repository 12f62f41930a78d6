"""The fixture that checks every FHIR response a test receives."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from tests.fhir_check import examples as ex
from tests.fhir_check.responses import FHIR_JSON

pytestmark = pytest.mark.usefixtures("fhir_definitions")


@pytest.fixture
def app() -> FastAPI:
    served = FastAPI()
    broken = ex.patient() | {"gender": "f"}

    @served.get("/good")
    def good() -> JSONResponse:
        return JSONResponse(ex.patient(), media_type=FHIR_JSON)

    @served.get("/bad")
    def bad() -> JSONResponse:
        return JSONResponse(broken, media_type=FHIR_JSON)

    @served.get("/plain")
    def plain() -> dict[str, Any]:
        return {"resourceType": "Patient", "gender": "f"}  # not FHIR JSON: not checked

    return served


def test_every_fhir_response_is_checked_as_it_arrives(
    app: FastAPI, fhir_responses_validated: list[dict[str, Any]]
) -> None:
    client = TestClient(app)
    assert client.get("/good").status_code == 200
    assert client.get("/plain").status_code == 200
    with pytest.raises(AssertionError, match=r"Patient\.gender"):
        client.get("/bad")
    assert [body["gender"] for body in fhir_responses_validated] == ["female", "f"]
