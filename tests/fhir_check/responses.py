"""Checking every FHIR response a test receives, without a call per resource.

A test folder of the FHIR face can opt in: its conftest.py imports the fixture,

    from tests.fhir_check.responses import fhir_responses_validated  # noqa: F401

and a test module uses it with ``pytestmark = pytest.mark.usefixtures("fhir_responses_validated")``;
then every ``application/fhir+json`` response its TestClient receives goes through
``assert_valid`` as it arrives (the fixture yields the list of bodies checked).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.fhir_check import assert_valid

FHIR_JSON = "application/fhir+json"


@pytest.fixture
def fhir_responses_validated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    checked: list[dict[str, Any]] = []
    original = TestClient.request

    def request(self: TestClient, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        response = original(self, method, url, *args, **kwargs)
        if response.headers.get("content-type", "").startswith(FHIR_JSON):
            body = response.json()
            checked.append(body)
            assert_valid(body)
        return response

    monkeypatch.setattr(TestClient, "request", request)
    yield checked
