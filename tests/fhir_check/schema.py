"""The R4B JSON Schema from the package (openapi/fhir.schema.json, draft-06) with `jsonschema`."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft6Validator

from tests.fhir_check.definitions import load
from tests.fhir_check.issues import Issue

MESSAGE_LIMIT = 300


# FHIR's regexes follow XML Schema, where \s is only space, tab, CR and LF. Python's \s (like
# ECMAScript's) also matches U+00A0 and the other Unicode spaces, so a string holding a
# non-breaking space would fail '^[ \r\n\t\S]+$'. Each \s / \S is rewritten to XML Schema's.
SPACE, NOT_SPACE = "[ \t\n\r]", "[^ \t\n\r]"
ANY_CHARACTER = "[ \\r\\n\\t\\S]"  # FHIR's string: a space-like character or any other


def xml_schema_regex(pattern: str) -> str:
    parts = pattern.split(ANY_CHARACTER)
    rewritten = [
        part.replace("[^\\s]", NOT_SPACE).replace("\\S", NOT_SPACE).replace("\\s", SPACE)
        for part in parts
    ]
    return "[\\s\\S]".join(rewritten)


def _with_xml_patterns(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: xml_schema_regex(value) if key == "pattern" else _with_xml_patterns(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_with_xml_patterns(value) for value in node]
    return node


@cache
def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = _with_xml_patterns(load().schema["definitions"])
    return definitions


@cache
def _validator(resource_type: str) -> Draft6Validator:
    # Validating against the resource's own definition (not the root oneOf over every resource)
    # keeps the messages about the resource; contained resources still go through the oneOf.
    schema = {"$ref": f"#/definitions/{resource_type}", "definitions": _definitions()}
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
