"""An assessment as FHIR: a RiskAssessment (one prediction per cause), a triage Observation and
a Patient; and ``$assess``, which reads Parameters (age, sex, Observations) and answers with a
collection Bundle of them.

The assessment itself is the facade's (``Checker.assess``), the same as ``POST /api/v1/assess``;
this module only maps it.
"""

from __future__ import annotations

import html
import uuid
from typing import Any

from twitchcheck import results as r
from twitchcheck.api import Checker
from twitchcheck.domain import Choice, Sex
from twitchcheck.interop.observations import FindingCodes
from twitchcheck.interop.outcome import (
    INVALID,
    REQUIRED,
    VALUE,
    FhirInputError,
    expect_list,
    expect_resource,
    facade_errors,
)
from twitchcheck.interop.resources import (
    PATIENT_AGE_EXTENSION,
    TRIAGE_EXTENSION,
    parse,
    resource,
)
from twitchcheck.kb import KnowledgeBase
from twitchcheck.kb.coding import CAUSE_SYSTEM, ICD10CM, SNOMED_CT, TRIAGE_SYSTEM, UCUM

#: Causes the RiskAssessment's narrative names (its predictions hold every cause).
NARRATIVE_CAUSES = 5


def reference(ref: str) -> dict[str, str]:
    return {"reference": ref}


def narrative(paragraphs: list[str], bullets: tuple[str, ...] = ()) -> dict[str, str]:
    """A generated Narrative: escaped paragraphs, then a list, in FHIR's XHTML."""
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    if bullets:
        body += (
            "<ul>" + "".join(f"<li>{html.escape(b, quote=False)}</li>" for b in bullets) + "</ul>"
        )
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def percent(p: float) -> str:
    """A probability as a person reads it: whole percents, "under 1%" below that."""
    return "under 1%" if p < 0.005 else f"{p:.0%}"


def patient(age: int, sex: Sex, patient_id: str | None = None) -> dict[str, Any]:
    """A Patient with only what the person said: gender and age (the age extension, in years;
    no birth date is made up from it)."""
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "extension": [
            {
                "url": PATIENT_AGE_EXTENSION,
                "valueAge": {"value": age, "unit": "years", "system": UCUM, "code": "a"},
            }
        ],
        "gender": sex.value,
    }
    if patient_id:
        data["id"] = patient_id
    return resource(data)


def triage_concept(assessment: r.Assessment) -> dict[str, Any]:
    level = assessment.triage
    return {
        "coding": [{"system": TRIAGE_SYSTEM, "code": level.level.value, "display": level.name}],
        "text": level.name,
    }


def cause_concept(kb: KnowledgeBase, cause_id: str) -> dict[str, Any]:
    """A cause coded in CAUSE_SYSTEM plus the KB's SNOMED CT and ICD-10-CM codes for it."""
    cause = kb.cause(cause_id)
    codings = [{"system": CAUSE_SYSTEM, "code": cause.id, "display": cause.name}]
    codings += [{"system": SNOMED_CT, "code": c} for c in cause.codes.snomed]
    codings += [{"system": ICD10CM, "code": c} for c in cause.codes.icd10cm]
    return {"coding": codings, "text": cause.name}


def risk_assessment(
    kb: KnowledgeBase,
    assessment: r.Assessment,
    *,
    subject: str,
    basis: list[str],
    risk_id: str | None = None,
) -> dict[str, Any]:
    """The assessment as a RiskAssessment: every cause's probability, the triage level (an
    extension), its advice as ``mitigation`` and its safety net as a note."""
    triage = assessment.triage
    text = narrative(
        [
            f"Level of care: {triage.name}. {triage.advice}",
            "Most likely causes (decision support, not a diagnosis):",
        ],
        tuple(f"{c.name}: {percent(c.probability)}" for c in assessment.causes[:NARRATIVE_CAUSES]),
    )
    data: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "text": text,
        "extension": [
            {"url": TRIAGE_EXTENSION, "valueCodeableConcept": triage_concept(assessment)}
        ],
        "status": "final",
        "method": {"text": f"twitchcheck, knowledge base {assessment.kb_version}"},
        "subject": reference(subject),
        "basis": [reference(b) for b in basis],
        "prediction": [
            {"outcome": cause_concept(kb, c.id), "probabilityDecimal": c.probability}
            for c in assessment.causes
        ],
        "mitigation": assessment.triage.advice,
        "note": [{"text": assessment.triage.safety_net}],
    }
    if risk_id:
        data["id"] = risk_id
    return resource(data)


def triage_observation(
    assessment: r.Assessment, *, subject: str, derived_from: list[str]
) -> dict[str, Any]:
    """The triage level as an Observation, derived from the findings it was given."""
    return resource(
        {
            "resourceType": "Observation",
            "text": narrative([f"twitchcheck triage level: {assessment.triage.name}."]),
            "status": "final",
            "code": {"text": "twitchcheck triage level"},
            "subject": reference(subject),
            "valueCodeableConcept": triage_concept(assessment),
            "derivedFrom": [reference(d) for d in derived_from],
        }
    )


def read_parameters(body: object) -> tuple[int, Sex, list[dict[str, Any]]]:
    """``age``, ``sex`` and the Observations of an ``$assess`` Parameters resource."""
    params = parse(expect_resource(body, "Parameters"), "The Parameters")
    age: int | None = None
    sex = Sex.UNKNOWN
    observations: list[dict[str, Any]] = []
    for p in expect_list(params, "parameter", "Parameters"):
        name = p.get("name")
        if name == "age":
            age = p.get("valueInteger")
            if isinstance(age, bool) or not isinstance(age, int):
                raise FhirInputError(INVALID, "The parameter 'age' takes valueInteger.")
        elif name == "sex":
            code = p.get("valueCode", (p.get("valueCoding") or {}).get("code"))
            try:
                sex = Sex(code)
            except ValueError:
                raise FhirInputError(
                    VALUE, f"The parameter 'sex' takes one of {', '.join(Sex)}, not {code!r}."
                ) from None
        elif name == "observation":
            obs = expect_resource(p.get("resource"), "Observation", "parameter 'observation'")
            observations.append(obs)
        else:
            raise FhirInputError(
                INVALID, f"Unknown parameter {name!r}: $assess takes age, sex and observation."
            )
    if age is None:
        raise FhirInputError(REQUIRED, "The parameter 'age' (valueInteger) is required.")
    return age, sex, observations


def assess_bundle(checker: Checker, body: object) -> dict[str, Any]:
    """``$assess``: Parameters in, a collection Bundle out (Patient, the Observations used, the
    RiskAssessment and the triage Observation)."""
    age, sex, given = read_parameters(body)
    codes = FindingCodes(checker.kb)
    used: list[dict[str, Any]] = []
    present: list[str] = []
    absent: list[str] = []
    for obs in given:
        observed = codes.observed(obs)
        if observed is None:  # entered in error
            continue
        used.append(obs)
        if observed.choice is Choice.PRESENT:
            present.append(observed.finding)
        elif observed.choice is Choice.ABSENT:
            absent.append(observed.finding)
    with facade_errors():
        assessment = checker.assess(age=age, sex=sex, present=present, absent=absent)
    urls = {kind: f"urn:uuid:{uuid.uuid4()}" for kind in ("patient", "risk", "triage")}
    obs_urls = [f"urn:uuid:{uuid.uuid4()}" for _ in used]
    observations = [
        resource({**obs, "subject": obs.get("subject") or reference(urls["patient"])})
        for obs in used
    ]
    entries = [
        (urls["patient"], patient(age, sex)),
        *zip(obs_urls, observations, strict=True),
        (
            urls["risk"],
            risk_assessment(checker.kb, assessment, subject=urls["patient"], basis=obs_urls),
        ),
        (
            urls["triage"],
            triage_observation(assessment, subject=urls["patient"], derived_from=obs_urls),
        ),
    ]
    return resource(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"fullUrl": url, "resource": res} for url, res in entries],
        }
    )
