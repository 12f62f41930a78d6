"""interop.risk: an assessment as a RiskAssessment, a Patient and a triage Observation."""

from __future__ import annotations

from twitchcheck.api import default_checker
from twitchcheck.domain import Sex
from twitchcheck.interop.resources import PATIENT_AGE_EXTENSION, TRIAGE_EXTENSION
from twitchcheck.interop.risk import narrative, patient, risk_assessment, triage_observation
from twitchcheck.kb.coding import CAUSE_SYSTEM, ICD10CM, SNOMED_CT, TRIAGE_SYSTEM, UCUM


def test_one_prediction_per_cause_with_the_kbs_codes() -> None:
    checker = default_checker()
    assessment = checker.assess(age=40, sex="male", present=["twitch_nose"])
    risk = risk_assessment(checker.kb, assessment, subject="Patient/p", basis=["Observation/o"])
    assert len(risk["prediction"]) == len(checker.kb.causes)
    for prediction, cause in zip(risk["prediction"], assessment.causes, strict=True):
        kb_cause = checker.kb.cause(cause.id)
        codings = prediction["outcome"]["coding"]
        assert codings[0] == {"system": CAUSE_SYSTEM, "code": cause.id, "display": cause.name}
        assert [c["code"] for c in codings if c["system"] == SNOMED_CT] == list(
            kb_cause.codes.snomed
        )
        assert [c["code"] for c in codings if c["system"] == ICD10CM] == list(
            kb_cause.codes.icd10cm
        )
        assert prediction["probabilityDecimal"] == cause.probability
    level = risk["extension"][0]
    assert level["url"] == TRIAGE_EXTENSION
    assert level["valueCodeableConcept"]["coding"][0]["code"] == assessment.triage.level.value
    assert risk["mitigation"] == assessment.triage.advice
    obs = triage_observation(assessment, subject="Patient/p", derived_from=["Observation/o"])
    assert obs["valueCodeableConcept"]["coding"][0]["system"] == TRIAGE_SYSTEM


def test_the_patient_states_only_gender_and_age() -> None:
    p = patient(52, Sex.OTHER)
    assert set(p) == {"resourceType", "extension", "gender"}
    assert p["extension"] == [
        {
            "url": PATIENT_AGE_EXTENSION,
            "valueAge": {"value": 52, "unit": "years", "system": UCUM, "code": "a"},
        }
    ]


def test_the_narratives_say_the_level_and_the_likely_causes_in_escaped_xhtml() -> None:
    checker = default_checker()
    assessment = checker.assess(age=40, sex="male", present=["twitch_nose"])
    risk = risk_assessment(checker.kb, assessment, subject="Patient/p", basis=[])
    div = risk["text"]["div"]
    assert risk["text"]["status"] == "generated"
    assert div.startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    assert assessment.triage.name in div and assessment.causes[0].name in div
    assert div.count("<li>") == 5
    words = narrative(["a < b & c"], ("x > y",))["div"]
    assert "a &lt; b &amp; c" in words and "x &gt; y" in words
