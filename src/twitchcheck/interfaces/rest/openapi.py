"""The OpenAPI document: FastAPI's own, with every error declared as a problem document and the
diary's wall-clock times declared as what they are."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from twitchcheck.interfaces.rest.paths import API, AUTH_API, CDS, DIARY_API, FHIR
from twitchcheck.interfaces.rest.problems import PROBLEM
from twitchcheck.interfaces.rest.schemas import AssessIn, InterviewIn, ParseIn, Problem
from twitchcheck.interop.cds_hooks import CdsRequest
from twitchcheck.interop.cds_hooks_cards import FeedbackRequest
from twitchcheck.interop.resources import MEDIA_TYPE as FHIR_JSON

#: What each error status added to the document means.
ERROR_TEXTS = {
    "400": "The Host is not one this server answers to, or the body could not be read",
    "408": "The request body took too long to arrive",
    "415": "The body's Content-Type is not the one this route takes",
    "404": "No such item",
    "401": "Not signed in, or the session has expired (CDS Hooks: no valid bearer JWT)",
    "412": "A prefetch the CDS service needs is missing (it cannot fetch it itself)",
    "403": "Refused: a missing CSRF token, or a request from another website",
    "413": "Request too large",
    "422": "Invalid request (unknown id, contradiction, value out of range)",
    "429": "Too many requests",
}

#: The errors under /fhir: a FHIR R4B OperationOutcome (only what this server fills in).
OPERATION_OUTCOME: dict[str, Any] = {
    "title": "OperationOutcome",
    "type": "object",
    "required": ["resourceType", "issue"],
    "properties": {
        "resourceType": {"const": "OperationOutcome"},
        "issue": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["severity", "code"],
                "properties": {
                    "severity": {"enum": ["fatal", "error", "warning", "information"]},
                    "code": {"type": "string", "description": "http://hl7.org/fhir/issue-type"},
                    "diagnostics": {"type": "string"},
                    "expression": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}

#: ISO 8601 date and time; the offset is optional (see wall_clock_times).
LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"


def openapi_with_problems(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with each error status declared as application/problem+json with the
    Problem schema, and the statuses the middleware and parser can add (400, 404, 408, 413,
    415, 429)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    # Problem: the errors; the others: the bodies the routes read by hand (routes.assess).
    for model in (Problem, AssessIn, InterviewIn, ParseIn, CdsRequest, FeedbackRequest):
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, nested in model_schema.pop("$defs", {}).items():
            schemas.setdefault(name, nested)
        schemas.setdefault(model.__name__, model_schema)
    schemas.setdefault("OperationOutcome", OPERATION_OUTCOME)
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    fhir_error = {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}}
    wall_clock_times(schemas)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "422"]  # 400: a Host this server does not answer to
            if path.startswith((API, FHIR)):
                codes.append("429")
            if path.startswith((DIARY_API, AUTH_API)):
                codes += ["401", "403"]
            if path.startswith(CDS) and method == "post":
                codes += ["401"] if path.endswith("/feedback") else ["401", "412"]
            if method in ("post", "put", "patch"):
                codes += ["408", "413", "415"]
            if "{" in path:
                codes.append("404")
            for code in codes:
                responses.setdefault(code, {"description": ERROR_TEXTS[code]})
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["content"] = dict(fhir_error if path.startswith(FHIR) else problem)
    app.openapi_schema = schema
    return schema


def wall_clock_times(schemas: dict[str, Any]) -> None:
    """The diary keeps the person's wall-clock times, sent without an offset; JSON Schema's
    ``date-time`` format (RFC 3339) requires one, so such fields are declared by a pattern."""
    for model in schemas.values():
        for prop in (model.get("properties") or {}).values():
            for option in [prop, *prop.get("anyOf", [])]:
                if option.get("format") == "date-time":
                    del option["format"]
                    option["pattern"] = LOCAL_DATE_TIME
                    option.setdefault("description", "ISO 8601 date and time (local time).")
