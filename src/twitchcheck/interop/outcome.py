"""Errors of the FHIR face as OperationOutcome (contracts §6: every error under ``/fhir``).

:class:`FhirInputError` is what the interop layer raises for input it cannot use: it carries the
OperationOutcome ``issue.code`` (from the FHIR ``issue-type`` value set), a plain message, the
HTTP status (400 when the body is not a resource of the expected shape, 422 when it is but its
content cannot be used) and optionally where in the body (a FHIRPath ``expression``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from twitchcheck.errors import InputError

#: issue-type codes used here (http://hl7.org/fhir/issue-type): what each error means.
STRUCTURE = "structure"  # not JSON, not an object, wrong resourceType, element of the wrong shape
REQUIRED = "required"  # a required part is missing
VALUE = "value"  # a value of the right type that is out of range or unknown
CODE_INVALID = "code-invalid"  # a code not in the system or options it must come from
INVALID = "invalid"  # anything else the content cannot be used for (e.g. a contradiction)
NOT_FOUND = "not-found"  # a resource id the server does not have
NOT_SUPPORTED = "not-supported"  # a media type or an operation the server does not support
EXCEPTION = "exception"  # an internal error


class FhirInputError(Exception):
    """Input the FHIR face cannot use: an OperationOutcome issue with its HTTP status."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 422,
        expression: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.expression = expression

    def outcome(self) -> dict[str, Any]:
        """This error as an OperationOutcome resource (JSON data)."""
        return operation_outcome(self.code, self.message, expression=self.expression)


def operation_outcome(
    code: str, message: str, *, severity: str = "error", expression: str | None = None
) -> dict[str, Any]:
    """One-issue OperationOutcome; ``diagnostics`` holds the plain message a person reads."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": message}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def expect_resource(data: object, resource_type: str, where: str = "body") -> dict[str, Any]:
    """``data`` as a resource of ``resource_type``, or a 400 saying what it is instead."""
    if not isinstance(data, dict):
        raise FhirInputError(
            STRUCTURE, f"The {where} must be a JSON object (a FHIR resource).", status=400
        )
    found = data.get("resourceType")
    if found != resource_type:
        raise FhirInputError(
            STRUCTURE,
            f"The {where} must be a resource of type {resource_type}, not {found!r}.",
            status=400,
            expression="resourceType",
        )
    return data


def expect_list(resource: dict[str, Any], key: str, where: str) -> list[Any]:
    """``resource[key]`` as a list (absent: empty), or a 400 naming the element."""
    value = resource.get(key, [])
    if not isinstance(value, list):
        raise FhirInputError(
            STRUCTURE, f"{where}.{key} must be a JSON array.", status=400, expression=where
        )
    return value


@contextmanager
def facade_errors() -> Iterator[None]:
    """The facade's input errors (an unknown id, a contradiction, an age out of range) as a 422
    OperationOutcome issue, with the facade's own message."""
    try:
        yield
    except InputError as exc:
        raise FhirInputError(INVALID, exc.message) from None
