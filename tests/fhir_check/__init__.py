"""An independent FHIR R4B checker for the tests (not product code; see README.md here).

`validate(resource)` checks a resource against the official R4B definitions (npm package
hl7.fhir.r4b.core 4.3.0): the JSON Schema, the StructureDefinitions' cardinalities, element names,
required bindings and FHIRPath invariants, and the SDC adaptive-questionnaire rules written from
the SDC text. It never uses fhir.resources, the library the product builds its resources with.
"""

from __future__ import annotations

from typing import Any

from tests.fhir_check import schema, sdc
from tests.fhir_check.issues import Issue, Report
from tests.fhir_check.questionnaire_response import check_against as check_response_against
from tests.fhir_check.structure import Walker

__all__ = ["Issue", "Report", "assert_valid", "check", "check_response_against", "validate"]


def check(resource: dict[str, Any]) -> Report:
    """Every issue, plus which invariants were evaluated or skipped and which bindings could not
    be expanded."""
    report = Report()
    report.issues.extend(schema.check(resource))
    Walker(report).resource(resource, str(resource.get("resourceType", "(root)")))
    report.issues.extend(sdc.check(resource))
    return report


def validate(resource: dict[str, Any]) -> list[Issue]:
    return check(resource).issues


def assert_valid(resource: dict[str, Any]) -> None:
    """Fail (AssertionError) when any error is found, listing every issue, warnings included."""
    issues = validate(resource)
    if any(issue.severity == "error" for issue in issues):
        listing = "\n".join(f"  - {issue}" for issue in issues)
        kind = resource.get("resourceType")
        raise AssertionError(f"{kind} is not valid FHIR R4B ({len(issues)} issues):\n{listing}")
