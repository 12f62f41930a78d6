"""Shared pieces of the FHIR R4B face: the canonical URLs it publishes, and :func:`resource`,
which checks every resource it builds against the ``fhir.resources`` R4B model of its type.

Resources are built as plain JSON data (what is sent), then validated through the R4B model and
dumped again, so a resource that does not fit R4B fails here, in the tests, never at a receiver.

``fhir.resources`` is imported on first use, not with the app: its date and time types bind the
``datetime`` classes present when it is imported, and the golden diary cases create the app
under a frozen clock (freezegun), whose fake classes then broke the diary export's dates.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from twitchcheck.interop.outcome import STRUCTURE, FhirInputError
from twitchcheck.kb.coding import CANONICAL_BASE

FHIR_VERSION = "4.3.0"
MEDIA_TYPE = "application/fhir+json"

QUESTIONNAIRE_ID = "twitchcheck"
QUESTIONNAIRE_URL = f"{CANONICAL_BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
NEXT_QUESTION_ID = "Questionnaire-next-question"
ASSESS_ID = "RiskAssessment-assess"
CAPABILITY_URL = f"{CANONICAL_BASE}/CapabilityStatement/twitchcheck"

#: The project's own extensions (documented in docs/fhir.md).
#: A Patient's age in whole years (valueAge, UCUM ``a``): the interview asks the age, not a
#: birth date, and a birth date made up from it would state more than was said.
PATIENT_AGE_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/patient-age"
#: The triage level of a RiskAssessment (valueCodeableConcept in TRIAGE_SYSTEM): R4B's
#: RiskAssessment has no element for the level of care the whole assessment gives.
TRIAGE_EXTENSION = f"{CANONICAL_BASE}/StructureDefinition/triage-level"

#: SDC (an R4 guide, used across versions: docs/fhir.md): the adaptive-questionnaire extension
#: and the operation $next-question is defined by.
SDC_ADAPTIVE_EXTENSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive"
)
SDC_NEXT_QUESTION = "http://hl7.org/fhir/uv/sdc/OperationDefinition/Questionnaire-next-question"


def operation_url(operation_id: str) -> str:
    return f"{CANONICAL_BASE}/OperationDefinition/{operation_id}"


def resource(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without empty elements (FHIR allows no empty array, object or null), checked
    against the R4B model of its ``resourceType``: a resource this package builds that does not
    fit R4B is a bug, and raises. The data is sent as built: the model's own JSON dump costs
    more than the check and adds nothing to it."""
    from fhir.resources.R4B import get_fhir_model_class

    cleaned: dict[str, Any] = without_empty(data)
    get_fhir_model_class(cleaned["resourceType"]).model_validate(cleaned)
    return cleaned


def without_empty(value: Any) -> Any:
    """``value`` with every None, empty list and empty object removed, at every depth."""
    if isinstance(value, dict):
        pairs = ((k, without_empty(v)) for k, v in value.items())
        return {k: v for k, v in pairs if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        items = (without_empty(v) for v in value)
        return [v for v in items if v is not None and v != [] and v != {}]
    return value


def parse(data: dict[str, Any], where: str) -> dict[str, Any]:
    """A resource a client sent, checked against its R4B model: a 400 naming the first problem
    when it does not fit (an unknown element, a wrong type, a bad date …). The data itself is
    returned, so the caller reads what was sent."""
    from fhir.resources.R4B import get_fhir_model_class

    model = get_fhir_model_class(data["resourceType"])
    try:
        model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        path = ".".join(str(p) for p in first["loc"])
        raise FhirInputError(
            STRUCTURE,
            f"{where} does not fit FHIR R4B at {path or 'its root'}: {first['msg']}"
            + (f" ({exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""),
            status=400,
            expression=path or None,
        ) from None
    return data
