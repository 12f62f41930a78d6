"""The FHIR face over HTTP: a records system's form filler drives a whole adaptive interview
through ``$next-question`` only and gets what ``POST /api/v1/assess`` gives on the same answers,
asked in the order ``POST /api/v1/interview/next`` asks; ``$assess``; and the errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from twitchcheck.interfaces.rest.app import create_app
from twitchcheck.interfaces.rest.settings import Settings
from twitchcheck.kb.coding import (
    ADMINISTRATIVE_GENDER,
    ANSWER_SYSTEM,
    CAUSE_SYSTEM,
    FINDING_SYSTEM,
    TRIAGE_SYSTEM,
)

FHIR_JSON = "application/fhir+json"
NEXT = "/fhir/Questionnaire/$next-question"
ASSESS = "/fhir/RiskAssessment/$assess"
TRIAGE_EXTENSION = "https://fhir.twitchcheck.org/StructureDefinition/triage-level"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(rate_limit_per_minute=100_000)))


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


@pytest.mark.parametrize("name", list(PEOPLE))
def test_the_adaptive_interview_gives_the_products_result(client: TestClient, name: str) -> None:
    person = PEOPLE[name]
    done, evidence, asked = drive(client, person)
    body = {"age": person.age, "sex": person.sex, "evidence": evidence}

    # The same screens, in the same order, as the product's interview, and the same stop.
    so_far: list[dict[str, Any]] = [e for e in evidence if e.get("initial")]
    for screen in asked:
        step = client.post("/api/v1/interview/next", json={**body, "evidence": so_far}).json()
        assert step["question"]["id"] == screen
        so_far = evidence[: len(so_far) + len(step["question"]["items"])]
    assert client.post("/api/v1/interview/next", json=body).json()["should_stop"] is True
    assert asked[0] == "safety_screen"

    # The same result as POST /api/v1/assess on the same answers.
    expected = client.post("/api/v1/assess", json=body).json()
    contained = {r["resourceType"]: r for r in done["contained"]}
    risk = contained["RiskAssessment"]
    causes = [
        (p["outcome"]["coding"][0]["code"], p["probabilityDecimal"]) for p in risk["prediction"]
    ]
    assert [c for c, _ in causes] == [c["id"] for c in expected["causes"]]
    assert [p for _, p in causes] == pytest.approx(
        [c["probability"] for c in expected["causes"]], abs=1e-12
    )
    assert all(p["outcome"]["coding"][0]["system"] == CAUSE_SYSTEM for p in risk["prediction"])
    level = risk["extension"][0]
    assert level["url"] == TRIAGE_EXTENSION
    assert level["valueCodeableConcept"]["coding"][0] == {
        "system": TRIAGE_SYSTEM,
        "code": expected["triage"]["level"],
        "display": expected["triage"]["name"],
    }
    assert risk["mitigation"] == expected["triage"]["advice"]
    assert risk["basis"] == [{"reference": "#"}]
    assert (
        risk["subject"] == {"reference": "#patient"}
        and contained["Patient"]["gender"] == person.sex
    )

    # The readOnly result items say the same.
    result = next(i for i in done["item"] if i["linkId"] == "result")
    shown = {i["linkId"]: i["answer"][0] for i in result["item"]}
    assert shown["result-triage"]["valueCoding"]["code"] == expected["triage"]["level"]
    top = [k.removeprefix("result-cause-") for k in shown if k.startswith("result-cause-")]
    assert top == [c["id"] for c in expected["causes"][: len(top)]]
    assert shown["result-assessment"] == {"valueReference": {"reference": f"#{risk['id']}"}}
    group = next(i for i in contained["Questionnaire"]["item"] if i["linkId"] == "result")
    assert group["readOnly"] is True and all(i["readOnly"] for i in group["item"])


def test_the_red_flag_answers_give_an_emergency(client: TestClient) -> None:
    done, _, _ = drive(client, PEOPLE["red flag"])
    risk = next(r for r in done["contained"] if r["resourceType"] == "RiskAssessment")
    assert risk["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "emergency"


def test_age_sex_and_initial_come_first_and_a_subject_is_kept(client: TestClient) -> None:
    qr: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "subject": {"reference": "Patient/123"},
        "authored": "2026-12-06T08:00:00+01:00",
        "questionnaire": "https://fhir.twitchcheck.org/Questionnaire/twitchcheck",
    }
    order = []
    person = PEOPLE["caffeine"]
    for _ in range(4):
        out = post(client, NEXT, qr)
        assert out["subject"] == {"reference": "Patient/123"} and out["authored"] == qr["authored"]
        item = out["contained"][0]["item"][-1]
        order.append(item["linkId"])
        qr = {
            **out,
            "item": [
                *out.get("item", []),
                {"linkId": item["linkId"], "answer": person.answer(item)},
            ],
        }
    assert order == ["age", "sex", "initial", "safety_screen"]


def test_a_contained_copy_of_the_base_questionnaire_is_accepted(client: TestClient) -> None:
    base = client.get("/fhir/Questionnaire/twitchcheck").json()
    qr = {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "questionnaire": "#base",
        "contained": [{**base, "id": "base"}],
        "item": [{"linkId": "age", "answer": [{"valueInteger": 40}]}],
    }
    out = post(client, NEXT, qr)
    assert [i["linkId"] for i in out["contained"][0]["item"]] == ["age", "sex"]


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


def test_assess_returns_a_bundle_with_the_products_result(client: TestClient) -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "age", "valueInteger": 30},
            {"name": "sex", "valueCode": "female"},
            observation("twitch_nose", True),
            observation("high_caffeine_intake", True),
            observation("muscle_weakness", False),
            observation("facial_droop", True, status="entered-in-error"),
        ],
    }
    bundle = post(client, ASSESS, params)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == [
        "Patient",
        "Observation",
        "Observation",
        "Observation",
        "RiskAssessment",
        "Observation",
    ]
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    patient, *observations, risk, triage = (e["resource"] for e in bundle["entry"])
    assert patient["gender"] == "female" and patient["extension"][0]["valueAge"]["value"] == 30
    assert risk["basis"] == [{"reference": u} for u in urls[1:4]]
    assert all(o["subject"] == {"reference": urls[0]} for o in [*observations, triage])
    expected = client.post(
        "/api/v1/assess",
        json={
            "age": 30,
            "sex": "female",
            "evidence": [
                {"id": "twitch_nose", "choice": "present"},
                {"id": "high_caffeine_intake", "choice": "present"},
                {"id": "muscle_weakness", "choice": "absent"},
            ],
        },
    ).json()
    assert [p["outcome"]["coding"][0]["code"] for p in risk["prediction"]] == [
        c["id"] for c in expected["causes"]
    ]
    assert triage["valueCodeableConcept"]["coding"][0]["code"] == expected["triage"]["level"]
    assert expected["triage"]["level"] != "emergency"  # the entered-in-error droop was ignored


def test_conformance_resources(client: TestClient) -> None:
    cap = client.get("/fhir/metadata").json()
    assert (cap["fhirVersion"], cap["kind"], cap["format"]) == ("4.3.0", "instance", ["json"])
    operations = [o for r in cap["rest"][0]["resource"] for o in r.get("operation", [])]
    assert {o["name"] for o in operations} == {"next-question", "assess"}
    for op in operations:
        op_id = op["definition"].rsplit("/", 1)[1]
        definition = client.get(f"/fhir/OperationDefinition/{op_id}").json()
        assert definition["url"] == op["definition"] and definition["code"] == op["name"]
    for cs_id, system in [
        ("finding", FINDING_SYSTEM),
        ("cause", CAUSE_SYSTEM),
        ("triage-level", TRIAGE_SYSTEM),
        ("answer", ANSWER_SYSTEM),
    ]:
        cs = client.get(f"/fhir/CodeSystem/{cs_id}").json()
        assert cs["url"] == system and cs["count"] == len(cs["concept"])
    answers = {c["code"] for c in client.get("/fhir/CodeSystem/answer").json()["concept"]}
    assert {"present", "absent", "unknown", "none", "dont-know"} <= answers
    q = client.get("/fhir/Questionnaire/twitchcheck").json()
    assert q["extension"] == [
        {
            "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-questionnaireAdaptive",
            "valueBoolean": True,
        }
    ]
    assert "meta" not in q  # no SDC profile claimed on an R4B resource (docs/fhir.md)
    paths = client.get("/openapi.json").json()["paths"]
    assert {NEXT, ASSESS, "/fhir/metadata", "/fhir/Questionnaire/{questionnaire_id}"} <= set(paths)


def qr_with(*items: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": list(items)}


@pytest.mark.parametrize(
    ("path", "body", "status", "issue"),
    [
        (NEXT, b"{not json", 400, "structure"),
        (NEXT, b'{"resourceType": "Patient"}', 400, "structure"),
        (NEXT, b'{"resourceType": "Parameters", "parameter": []}', 400, "required"),
        (
            NEXT,
            b'{"resourceType": "QuestionnaireResponse", "status": "in-progress", "authored": "yesterday"}',
            400,
            "structure",
        ),
        (
            NEXT,
            b'{"resourceType": "QuestionnaireResponse", "status": "in-progress", "colour": "red"}',
            400,
            "structure",
        ),
        (
            ASSESS,
            b'{"resourceType": "Parameters", "parameter": [{"name": "sex", "valueCode": "female"}]}',
            422,
            "required",
        ),
        (ASSESS, b'{"resourceType": "Bundle", "type": "collection"}', 400, "structure"),
    ],
)
def test_malformed_bodies_give_an_operation_outcome(
    client: TestClient, path: str, body: bytes, status: int, issue: str
) -> None:
    res = client.post(path, content=body, headers={"content-type": FHIR_JSON})
    assert res.status_code == status
    assert res.headers["content-type"] == FHIR_JSON
    outcome = res.json()
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["code"] == issue


@pytest.mark.parametrize(
    ("item", "words"),
    [
        (
            {"linkId": "twich_nose", "answer": [{"valueBoolean": True}]},
            "Unknown question linkId 'twich_nose'",
        ),
        ({"linkId": "twitch_nose", "answer": [{"valueString": "yes"}]}, "valueString"),
        ({"linkId": "age", "answer": [{"valueString": "forty"}]}, "valueInteger"),
        (
            {
                "linkId": "lifestyle",
                "answer": [{"valueCoding": {"system": FINDING_SYSTEM, "code": "twitch_nose"}}],
            },
            "not one of the items",
        ),
    ],
)
def test_bad_answers_give_a_422_outcome(
    client: TestClient, item: dict[str, Any], words: str
) -> None:
    res = client.post(NEXT, json=qr_with(item))
    assert res.status_code == 422
    assert res.headers["content-type"] == FHIR_JSON
    assert words in res.json()["issue"][0]["diagnostics"]


def test_contradicting_observations_give_a_422_outcome(client: TestClient) -> None:
    params = {
        "resourceType": "Parameters",
        "parameter": [
            {"name": "age", "valueInteger": 30},
            observation("twitch_nose", True),
            observation("twitch_nose", False),
        ],
    }
    res = client.post(ASSESS, json=params)
    assert res.status_code == 422 and res.json()["issue"][0]["code"] == "invalid"


def test_errors_from_the_doors_are_operation_outcomes(client: TestClient) -> None:
    res = client.post(NEXT, content=b"{}", headers={"content-type": "text/plain"})
    assert res.status_code == 415 and res.json()["resourceType"] == "OperationOutcome"
    res = client.post(
        NEXT, content=b'{"a": 1, "a": 2}', headers={"content-type": "application/json"}
    )
    assert res.status_code == 422 and res.json()["resourceType"] == "OperationOutcome"
    res = client.get("/fhir/CodeSystem/nope")
    assert res.status_code == 404 and res.json()["issue"][0]["code"] == "not-found"
    assert client.get("/fhir/Questionnaire/other").status_code == 404
