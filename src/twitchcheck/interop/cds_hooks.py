"""CDS Hooks 2.0 services of twitchcheck: discovery, and each call read into the facade's answers.

Two services (docs/fhir.md "CDS Hooks"):

- ``twitchcheck-patient-view`` (hook ``patient-view``): the patient's twitch-related Observations
  (prefetch ``twitchObservations``, a searchset Bundle) and the Patient (prefetch ``patient``,
  for age and sex). Each Observation is read by :mod:`.observations`; the most recent one per
  finding counts. No twitch-related Observation: no card.
- ``twitchcheck-answers`` (the custom hook ``twitchcheck-answers-signed``, fired when a person
  signs a twitchcheck questionnaire): the context carries the answers as a
  QuestionnaireResponse (read by :mod:`.answers`), with ``userId`` and ``patientId``. Age and sex
  come from the answers, else from the ``patient`` prefetch (optional).

This service cannot fetch anything itself (it is given no FHIR server to query, and fetching
would need the client's access token): a required prefetch that is missing or null is a 412.
Malformed requests are :class:`CdsRequestError` (400) with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from twitchcheck import results as r
from twitchcheck.api import Checker
from twitchcheck.domain import Choice, Sex
from twitchcheck.errors import InputError
from twitchcheck.interop.answers import read_answers
from twitchcheck.interop.cds_hooks_cards import card, notice_card
from twitchcheck.interop.observations import FindingCodes
from twitchcheck.interop.outcome import FhirInputError
from twitchcheck.kb.coding import FINDING_SYSTEM

PATIENT_VIEW = "twitchcheck-patient-view"
ANSWERS = "twitchcheck-answers"
ANSWERS_HOOK = "twitchcheck-answers-signed"
PATIENT_KEY = "patient"
OBSERVATIONS_KEY = "twitchObservations"
QR_KEY = "questionnaireResponse"

PATIENT_TEMPLATE = "Patient/{{context.patientId}}"
#: Every Observation of the patient coded in twitchcheck's finding CodeSystem (``system|``: any
#: code of that system). twitchcheck's own Observations always carry that coding.
OBSERVATIONS_TEMPLATE = f"Observation?patient={{{{context.patientId}}}}&code={FINDING_SYSTEM}|"

SERVICES: dict[str, dict[str, Any]] = {
    PATIENT_VIEW: {
        "hook": "patient-view",
        "title": "twitchcheck: twitching assessment",
        "description": (
            "When a chart opens, ranks the likely causes of the patient's twitching and gives the "
            "triage level from their twitch-related Observations. Decision support, not a "
            "diagnosis."
        ),
        "id": PATIENT_VIEW,
        "prefetch": {PATIENT_KEY: PATIENT_TEMPLATE, OBSERVATIONS_KEY: OBSERVATIONS_TEMPLATE},
        "usageRequirements": (
            "Send both prefetch keys: this service cannot query the FHIR server itself."
        ),
    },
    ANSWERS: {
        "hook": ANSWERS_HOOK,
        "title": "twitchcheck: signed twitching questionnaire",
        "description": (
            "When a twitchcheck questionnaire is signed, assesses its answers: ranked causes, "
            f"triage level and advice. Context: userId, patientId and {QR_KEY} (a "
            "QuestionnaireResponse to the twitchcheck Questionnaire, docs/fhir.md)."
        ),
        "id": ANSWERS,
        "prefetch": {PATIENT_KEY: PATIENT_TEMPLATE},
        "usageRequirements": (
            "The patient prefetch is needed only when the answers carry no age item."
        ),
    },
}


def discovery() -> dict[str, Any]:
    """The discovery document (``GET /cds-services``)."""
    return {"services": list(SERVICES.values())}


class CdsRequestError(Exception):
    """A malformed call (400); ``reason`` says what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CannotAssessError(Exception):
    """A well-formed call whose data cannot be assessed: answered with an info card saying why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PrefetchMissingError(Exception):
    """A required prefetch that was not sent (412): this service cannot fetch it."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        super().__init__(
            f"Missing prefetch: {', '.join(keys)}. This service has no access to a FHIR server "
            "and cannot fetch it: send it in the request's prefetch (see GET /cds-services)."
        )


class CdsRequest(BaseModel):
    """A CDS Hooks 2.0 service request (the fields the spec defines; extensions are kept)."""

    model_config = ConfigDict(extra="allow")

    hook: str = Field(min_length=1)
    hookInstance: UUID
    fhirServer: str | None = None
    fhirAuthorization: dict[str, Any] | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _authorization_needs_server(self) -> CdsRequest:
        if self.fhirAuthorization is not None and not self.fhirServer:
            raise ValueError("fhirAuthorization is given without fhirServer")
        return self


def read_request(service_id: str, body: bytes) -> CdsRequest:
    """The body of a call to ``service_id``, checked; CdsRequestError says what is wrong."""
    try:
        request = CdsRequest.model_validate_json(body)
    except ValidationError as exc:
        parts = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"]) or "body"
            parts.append(f"{where}: {err['msg']}")
        raise CdsRequestError("; ".join(parts)[:1000]) from None
    expected = SERVICES[service_id]["hook"]
    if request.hook != expected:
        raise CdsRequestError(f"The service {service_id} answers the hook {expected!r} only.")
    for key in ("userId", "patientId"):
        if not isinstance(request.context.get(key), str) or not request.context[key]:
            raise CdsRequestError(f"context.{key} is required (a string).")
    return request


@dataclass(frozen=True)
class Case:
    """What a call says about the patient, as the facade takes it."""

    age: int
    sex: Sex
    present: tuple[str, ...]
    absent: tuple[str, ...]
    initial: tuple[str, ...] = ()
    #: Observations that could not be read as a finding and were left out.
    skipped: int = 0

    def assess(self, checker: Checker) -> r.Assessment:
        try:
            return checker.assess(
                age=self.age,
                sex=self.sex,
                present=self.present,
                absent=self.absent,
                initial=self.initial,
            )
        except InputError as exc:
            raise CdsRequestError(exc.message) from None


def prefetched(request: CdsRequest, key: str) -> dict[str, Any] | None:
    """The prefetched resource under ``key``; None when absent, null or an OperationOutcome (the
    client's way to say its fetch failed)."""
    value = (request.prefetch or {}).get(key)
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
        raise CdsRequestError(f"prefetch.{key} must be a FHIR resource (a JSON object).")
    return None if value["resourceType"] == "OperationOutcome" else value


def patient_view_case(request: CdsRequest, checker: Checker, today: date) -> Case | None:
    """The case of a patient-view call; None when the patient has no twitch-related finding."""
    patient = prefetched(request, PATIENT_KEY)
    bundle = prefetched(request, OBSERVATIONS_KEY)
    missing = [k for k, v in ((PATIENT_KEY, patient), (OBSERVATIONS_KEY, bundle)) if v is None]
    if missing:
        raise PrefetchMissingError(missing)
    assert patient is not None and bundle is not None
    patient_id = request.context["patientId"]
    age, sex = demographics(patient, patient_id, today)
    observations = bundle_observations(bundle, patient_id)
    latest, skipped = latest_findings(observations, FindingCodes(checker.kb))
    present = tuple(f for f, c in latest.items() if c == Choice.PRESENT)
    absent = tuple(f for f, c in latest.items() if c == Choice.ABSENT)
    if not present and not absent:
        return None
    return Case(age=age, sex=sex, present=present, absent=absent, skipped=skipped)


def answers_case(request: CdsRequest, checker: Checker, today: date) -> Case:
    """The case of a twitchcheck-answers-signed call."""
    response = request.context.get(QR_KEY)
    if response is None:
        raise CdsRequestError(f"context.{QR_KEY} is required (a QuestionnaireResponse).")
    try:
        answers = read_answers(response, checker)
    except FhirInputError as exc:
        raise CdsRequestError(f"context.{QR_KEY}: {exc.message}") from None
    age, sex = answers.age, answers.sex
    if age is None:
        patient = prefetched(request, PATIENT_KEY)
        if patient is None:
            raise PrefetchMissingError([PATIENT_KEY])
        age, patient_sex = demographics(patient, request.context["patientId"], today)
        sex = sex or patient_sex
    present, absent, _unknown, initial = answers.sets()
    return Case(
        age=age,
        sex=sex or Sex.UNKNOWN,
        present=tuple(present),
        absent=tuple(absent),
        initial=tuple(initial),
    )


def demographics(patient: Mapping[str, Any], patient_id: str, today: date) -> tuple[int, Sex]:
    """Age (whole years on ``today``) and sex of a Patient resource that must be ``patient_id``."""
    if patient.get("resourceType") != "Patient":
        raise CdsRequestError(f"prefetch.{PATIENT_KEY} must be a Patient resource.")
    if "id" in patient and patient["id"] != patient_id:
        raise CdsRequestError(f"prefetch.{PATIENT_KEY} is not the patient of context.patientId.")
    birth = patient.get("birthDate")
    if not isinstance(birth, str):
        raise CannotAssessError("the patient's record has no birth date (the age is needed).")
    try:
        # FHIR dates may be partial (YYYY or YYYY-MM): the missing parts are taken as the
        # earliest, which can make the age one year too high at most.
        parts = [int(p) for p in birth.split("-")]
        if not 1 <= len(parts) <= 3:
            raise ValueError(birth)
        year, month, day = (*parts, 1, 1)[:3]
        born = date(year, month, day)
    except ValueError:
        raise CdsRequestError(f"The Patient's birthDate {birth[:20]!r} is not a date.") from None
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age < 0:
        raise CdsRequestError("The Patient's birthDate is in the future.")
    gender = patient.get("gender", Sex.UNKNOWN.value)
    try:
        return age, Sex(gender)
    except ValueError:
        raise CdsRequestError(f"The Patient's gender {str(gender)[:20]!r} is not valid.") from None


def bundle_observations(bundle: Mapping[str, Any], patient_id: str) -> list[dict[str, Any]]:
    """The Observations of a searchset Bundle (other entries, such as a search's
    OperationOutcome, are passed over); each must be about ``patient_id`` when it says."""
    if bundle.get("resourceType") != "Bundle":
        raise CdsRequestError(f"prefetch.{OBSERVATIONS_KEY} must be a Bundle (a search result).")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise CdsRequestError(f"prefetch.{OBSERVATIONS_KEY}.entry must be a JSON array.")
    found = []
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
            continue
        subject = resource.get("subject")
        subject = subject.get("reference") if isinstance(subject, dict) else subject
        if subject is not None and subject not in (f"Patient/{patient_id}", patient_id):
            raise CdsRequestError(
                f"prefetch.{OBSERVATIONS_KEY} holds an Observation of another patient."
            )
        found.append(resource)
    return found


def when(observation: Mapping[str, Any]) -> str:
    """When an Observation holds (for ordering; ISO 8601 text, empty when it does not say)."""
    period = observation.get("effectivePeriod") or {}
    for value in (
        observation.get("effectiveDateTime"),
        observation.get("effectiveInstant"),
        period.get("end") if isinstance(period, dict) else None,
        period.get("start") if isinstance(period, dict) else None,
        observation.get("issued"),
    ):
        if isinstance(value, str):
            return value
    return ""


def latest_findings(
    observations: list[dict[str, Any]], codes: FindingCodes
) -> tuple[dict[str, Choice], int]:
    """The most recent choice per finding (later in the list wins a tie) and how many
    Observations could not be read as a finding (left out, and counted on the card)."""
    latest: dict[str, tuple[str, Choice]] = {}
    skipped = 0
    for observation in observations:
        try:
            observed = codes.observed(observation)
        except FhirInputError:
            skipped += 1
            continue
        if observed is None:  # entered in error
            continue
        moment = when(observation)
        if observed.finding not in latest or moment >= latest[observed.finding][0]:
            latest[observed.finding] = (moment, observed.choice)
    return {f: c for f, (_, c) in latest.items() if c != Choice.UNKNOWN}, skipped


def call_service(
    service_id: str,
    body: bytes,
    checker: Checker,
    today: date,
    link: Callable[[r.Assessment], str],
) -> dict[str, Any]:
    """The response of ``service_id`` to ``body``: no card, one notice card, or the assessment's
    card, whose link ``link(assessment)`` makes. Raises CdsRequestError (400) or
    PrefetchMissingError (412)."""
    request = read_request(service_id, body)
    read = patient_view_case if service_id == PATIENT_VIEW else answers_case
    try:
        case = read(request, checker, today)
    except CannotAssessError as exc:
        return {"cards": [notice_card(exc.reason, checker.kb.version)]}
    if case is None:
        return {"cards": []}
    assessment = case.assess(checker)
    return {"cards": [card(assessment, link(assessment), case.skipped)]}
