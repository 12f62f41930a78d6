"""The R4B JSON Schema from the package (openapi/fhir.schema.json, draft-06) with `jsonschema`."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft6Validator

from tests.fhir_check.definitions import load
from tests.fhir_check.issues import Issue

MESSAGE_LIMIT = 300


@cache
def _validator(resource_type: str) -> Draft6Validator:
    # Validating against the resource's own definition (not the root oneOf over every resource)
    # keeps the messages about the resource; contained resources still go through the oneOf.
    schema = {"$ref": f"#/definitions/{resource_type}", "definitions": load().schema["definitions"]}
    return Draft6Validator(schema)


def check(resource: dict[str, Any]) -> list[Issue]:
    kind = resource.get("resourceType")
    if not isinstance(kind, str) or kind not in load().schema["definitions"]:
        return [
            Issue("error", "schema", "(root)", f"no schema definition for resourceType {kind!r}")
        ]
    issues = []
    for error in _validator(kind).iter_errors(resource):
        location = kind + "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        )
        message = (
            error.message
            if len(error.message) <= MESSAGE_LIMIT
            else error.message[:MESSAGE_LIMIT] + "…"
        )
        issues.append(Issue("error", "schema", location, message))
    return issues
