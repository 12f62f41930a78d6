"""Schemathesis over the whole OpenAPI document, in-process (no server, no network).

Every operation in ``/openapi.json`` is exercised with schemathesis' examples, coverage and
fuzzing phases (positive and negative data). Each response must not be a 5xx and must conform to
the response schema the document declares; error answers must also be RFC 9457 problem details
(``application/problem+json`` with type, title, status, detail, code, suggestions), because the
document declares ``application/problem+json`` without a schema, which schemathesis alone cannot
check.

Hypothesis is fixed here (derandomized, no example database, bounded examples) so the run is
repeatable and takes well under a minute. Findings from wider checks (negative-data rejection,
status-code conformance, ``Allow`` on 405, ...) are pinned in ``test_rest_fuzz_findings.py``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err, Ok

from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

MAX_EXAMPLES = 150  # per operation, fuzzing phase; examples and coverage phases add their own

# The diary routes are in the document too: their database is a temporary SQLite file.
_DIARY_DB = Path(tempfile.mkdtemp(prefix="twitchcheck-schemathesis-")) / "diary.sqlite3"
APP = create_app(Settings(rate_limit_per_minute=1_000_000, database_url=f"sqlite:///{_DIARY_DB}"))
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)

PROBLEM_FIELDS = {"type": "str", "title": "str", "status": "int", "detail": "str", "code": "str"}


def problem_details(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx/5xx answer is an RFC 9457 problem with the project's fields, status matching;
    under /fhir, an OperationOutcome (contracts §6)."""
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if case.path.startswith("/fhir/"):
        assert content_type.split(";")[0].strip() == "application/fhir+json", content_type
        outcome = json.loads(response.content)
        assert outcome["resourceType"] == "OperationOutcome", outcome
        assert outcome["issue"] and all(i["severity"] == "error" for i in outcome["issue"])
        return
    assert content_type.split(";")[0].strip() == "application/problem+json", (
        f"{response.status_code} answered with content-type {content_type!r}"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict), f"problem body is not an object: {body!r}"
    missing = {*PROBLEM_FIELDS, "suggestions"} - body.keys()
    assert not missing, f"problem body lacks {sorted(missing)}: {body!r}"
    for field, kind in PROBLEM_FIELDS.items():
        assert type(body[field]).__name__ == kind, (
            f"problem field {field!r} is not {kind}: {body!r}"
        )
    assert isinstance(body["suggestions"], list), f"suggestions is not a list: {body!r}"
    assert all(isinstance(s, str) for s in body["suggestions"]), body
    assert body["status"] == response.status_code, (
        f"problem status {body['status']} != HTTP status {response.status_code}"
    )


def test_the_document_lists_every_public_operation() -> None:
    """The parametrized test below covers whatever the document lists: make sure that is all."""
    results = list(SCHEMA.get_all_operations())
    errors = [result.err() for result in results if isinstance(result, Err)]
    assert not errors, f"schemathesis could not read some operations: {errors}"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    listed = {(op.method.upper(), op.path) for op in operations}
    expected = {
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("POST", "/api/v1/assess"),
        ("POST", "/api/v1/interview/next"),
        ("GET", "/api/v1/kb/causes"),
        ("GET", "/api/v1/kb/causes/{cause_id}"),
        ("GET", "/api/v1/kb/findings"),
        ("GET", "/api/v1/kb/sources"),
        ("GET", "/api/v1/kb/anatomy"),
    }
    assert expected <= listed, f"missing from /openapi.json: {sorted(expected - listed)}"


@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(
        checks=[not_a_server_error, response_schema_conformance, problem_details]
    )


def test_every_known_cause_conforms() -> None:
    """Fuzzing almost never guesses a real cause id, so exercise each 200 of that route here."""
    operation = SCHEMA["/api/v1/kb/causes/{cause_id}"]["GET"]
    causes = SCHEMA["/api/v1/kb/causes"]["GET"].Case().call().json()
    assert causes
    for cause in causes:
        case = operation.Case(path_parameters={"cause_id": cause["id"]})
        response = case.call_and_validate(
            checks=[not_a_server_error, response_schema_conformance, problem_details]
        )
        assert response.status_code == 200
        assert response.json()["id"] == cause["id"]
