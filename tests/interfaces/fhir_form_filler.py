"""A records system's form filler for the FHIR face's tests: a person's fixed answers, the
evidence those answers give, and a whole interview driven through ``$next-question``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from twitchcheck.kb.coding import ADMINISTRATIVE_GENDER, ANSWER_SYSTEM, FINDING_SYSTEM

FHIR_JSON = "application/fhir+json"
NEXT = "/fhir/Questionnaire/$next-question"
ASSESS = "/fhir/RiskAssessment/$assess"
TRIAGE_EXTENSION = "https://fhir.twitchcheck.org/StructureDefinition/triage-level"


@dataclass
class Person:
    """A fixed set of answers, as a person filling in the form would give them: what is listed
    present is ticked, what is listed unknown is "don't know", anything else is "no"."""

    age: int
    sex: str
    initial: list[str]
    present: set[str]
    unknown: set[str] = field(default_factory=set)

    def answer(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        link_id = item["linkId"]
        if link_id == "age":
            return [{"valueInteger": self.age}]
        if link_id == "sex":
            return [{"valueCoding": {"system": ADMINISTRATIVE_GENDER, "code": self.sex}}]
        codes = [o["valueCoding"] for o in item["answerOption"]]
        findings = [c["code"] for c in codes if c["system"] == FINDING_SYSTEM]
        if link_id == "initial":
            return [{"valueCoding": {"system": FINDING_SYSTEM, "code": f}} for f in self.initial]
        if not findings:  # a yes / no / don't know question about the finding linkId names
            choice = (
                "present"
                if link_id in self.present
                else "unknown"
                if link_id in self.unknown
                else "absent"
            )
            return [{"valueCoding": {"system": ANSWER_SYSTEM, "code": choice}}]
        chosen = [f for f in findings if f in self.present]
        if item.get("repeats") is not True:
            chosen = chosen[:1]
        if chosen:
            return [{"valueCoding": {"system": FINDING_SYSTEM, "code": f}} for f in chosen]
        if item.get("repeats") and not set(findings) & self.unknown:
            return [{"valueCoding": {"system": ANSWER_SYSTEM, "code": "none"}}]
        return [{"valueCoding": {"system": ANSWER_SYSTEM, "code": "dont-know"}}]


def evidence_of(item: dict[str, Any], answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a question and its answers say, in the REST API's evidence items."""
    codes = [a["valueCoding"] for a in answers]
    if item["linkId"] == "initial":
        return [{"id": c["code"], "choice": "present", "initial": True} for c in codes]
    options = [o["valueCoding"]["code"] for o in item["answerOption"]]
    findings = [
        o["valueCoding"]["code"]
        for o in item["answerOption"]
        if o["valueCoding"]["system"] == FINDING_SYSTEM
    ]
    if not findings:
        return [{"id": item["linkId"], "choice": codes[0]["code"]}]
    assert "dont-know" in options
    whole = {c["code"] for c in codes if c["system"] == ANSWER_SYSTEM}
    if whole:
        choice = "absent" if whole == {"none"} else "unknown"
        return [{"id": f, "choice": choice} for f in findings]
    chosen = {c["code"] for c in codes}
    return [{"id": f, "choice": "present" if f in chosen else "absent"} for f in findings]


PEOPLE = {
    "caffeine": Person(
        34,
        "female",
        ["twitch_nose"],
        {"high_caffeine_intake", "poor_sleep", "duration_under_2_weeks"},
    ),
    "stress": Person(
        27,
        "male",
        ["twitch_eyelid"],
        {"high_stress", "anxiety_health_worry", "duration_2_weeks_to_3_months"},
    ),
    "red flag": Person(61, "male", ["twitch_nose"], {"facial_droop", "sudden_speech_difficulty"}),
    "weakness": Person(
        55,
        "female",
        ["twitch_limbs_or_trunk"],
        {"muscle_weakness", "muscle_wasting", "progressive_weakness", "duration_over_3_months"},
        {"rapidly_worsening_weakness"},
    ),
    "unsure": Person(
        45,
        "other",
        [],
        {"twitch_nose"},
        {"twitch_duration", "duration_under_2_weeks", "high_caffeine_intake"},
    ),
}


def post(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    res = client.post(path, json=body, headers={"content-type": FHIR_JSON})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == FHIR_JSON
    return res.json()


def drive(
    client: TestClient, person: Person
) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    """The whole interview through $next-question: (the completed response, the evidence the
    answers gave, the ids of the screens asked)."""
    qr: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": "in-progress"}
    evidence: list[dict[str, Any]] = []
    asked: list[str] = []
    for step in range(60):
        wrapped = {
            "resourceType": "Parameters",
            "parameter": [{"name": "questionnaire-response", "resource": qr}],
        }
        out = post(client, NEXT, wrapped if step % 2 else qr)  # both forms of the request
        if out["status"] == "completed":
            return out, evidence, asked
        grown = out["contained"][0]
        assert (
            grown["resourceType"] == "Questionnaire" and out["questionnaire"] == f"#{grown['id']}"
        )
        item = grown["item"][-1]
        answered = {i["linkId"] for i in out.get("item", [])}
        assert item["linkId"] not in answered and item["type"] != "display"
        answers = person.answer(item)
        if item["linkId"] not in ("age", "sex"):
            evidence += evidence_of(item, answers) if answers else []
            if item["linkId"] != "initial":
                asked.append(item["linkId"])
        new = (
            {"linkId": item["linkId"], "answer": answers} if answers else {"linkId": item["linkId"]}
        )
        qr = {**out, "item": [*out.get("item", []), new]}
    raise AssertionError("the interview did not stop")


def observation(code: str, present: bool, **extra: Any) -> dict[str, Any]:
    return {
        "name": "observation",
        "resource": {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": FINDING_SYSTEM, "code": code}]},
            "valueBoolean": present,
            **extra,
        },
    }
