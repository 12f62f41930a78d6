"""Hand-written minimal valid R4B resources, one of each type the product emits.

Each is as small as the definitions allow, with a narrative (dom-6 asks for one). The tests break
copies of them, one fault at a time, to show the checker reports each fault.
"""

from __future__ import annotations

from typing import Any

from tests.fhir_check.sdc import ADAPTIVE

Resource = dict[str, Any]


def narrative(text: str) -> dict[str, str]:
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{text}</p></div>',
    }


def patient() -> Resource:
    return {
        "resourceType": "Patient",
        "id": "p1",
        "text": narrative("A patient"),
        "gender": "female",
        "birthDate": "1985",
    }


def observation() -> Resource:
    return {
        "resourceType": "Observation",
        "id": "o1",
        "text": narrative("Nose twitch"),
        "status": "final",
        "code": {"text": "Nose twitch"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-04-01T10:00:00+02:00",
        "valueBoolean": True,
    }


def questionnaire() -> Resource:
    return {
        "resourceType": "Questionnaire",
        "id": "q1",
        "text": narrative("Interview"),
        "extension": [{"url": ADAPTIVE, "valueBoolean": True}],
        "url": "http://example.org/Questionnaire/q1",
        "status": "active",
        "item": [
            {"linkId": "age", "text": "Age", "type": "integer", "required": True},
            {
                "linkId": "sex",
                "text": "Sex",
                "type": "choice",
                "answerOption": [{"valueCoding": {"code": "female"}}],
            },
        ],
    }


def adaptive_response() -> Resource:
    """An adaptive QuestionnaireResponse with its contained Questionnaire, as $next-question returns."""
    embedded = questionnaire()
    del embedded["url"]
    embedded |= {
        "id": "asked",
        "title": "Interview",
        "derivedFrom": ["http://example.org/Questionnaire/q1"],
    }
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "qr1",
        "text": narrative("Answers"),
        "contained": [embedded],
        "questionnaire": "#asked",
        "status": "in-progress",
        "subject": {"reference": "Patient/p1"},
        "authored": "2026-04-01T10:00:00Z",
        "item": [{"linkId": "age", "text": "Age", "answer": [{"valueInteger": 40}]}],
    }


def risk_assessment() -> Resource:
    return {
        "resourceType": "RiskAssessment",
        "id": "r1",
        "text": narrative("Result"),
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "prediction": [{"outcome": {"text": "Benign fasciculation"}, "probabilityDecimal": 0.6}],
        "mitigation": "Self-care",
    }


def bundle() -> Resource:
    entries = [patient(), observation()]
    return {
        "resourceType": "Bundle",
        "id": "b1",
        "type": "collection",
        "entry": [
            {"fullUrl": f"http://example.org/{r['resourceType']}/{r['id']}", "resource": r}
            for r in entries
        ],
    }


def parameters() -> Resource:
    return {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "age", "valueInteger": 40},
            {"name": "observation", "resource": observation()},
        ],
    }


def capability_statement() -> Resource:
    return {
        "resourceType": "CapabilityStatement",
        "id": "c1",
        "text": narrative("Capabilities"),
        "status": "active",
        "date": "2026-04-01",
        "kind": "instance",
        "implementation": {"description": "twitchcheck"},
        "fhirVersion": "4.3.0",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "operation": [
                    {
                        "name": "assess",
                        "definition": "http://example.org/OperationDefinition/assess",
                    }
                ],
            }
        ],
    }


def operation_definition() -> Resource:
    return {
        "resourceType": "OperationDefinition",
        "id": "assess",
        "text": narrative("$assess"),
        "url": "http://example.org/OperationDefinition/assess",
        "name": "Assess",
        "status": "active",
        "kind": "operation",
        "code": "assess",
        "resource": ["RiskAssessment"],
        "system": False,
        "type": True,
        "instance": False,
        "parameter": [
            {"name": "age", "use": "in", "min": 1, "max": "1", "type": "integer"},
            {"name": "return", "use": "out", "min": 1, "max": "1", "type": "Bundle"},
        ],
    }


ALL = {
    "Patient": patient,
    "Observation": observation,
    "Questionnaire": questionnaire,
    "QuestionnaireResponse": adaptive_response,
    "RiskAssessment": risk_assessment,
    "Bundle": bundle,
    "Parameters": parameters,
    "CapabilityStatement": capability_statement,
    "OperationDefinition": operation_definition,
}
