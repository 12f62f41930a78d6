"""interop.next_question without HTTP: how the contained Questionnaire grows, and what the
completed response contains."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.interop.shown import OTHER_PLACES_SHOWN, showing
from twitchcheck import results as r
from twitchcheck.api import Checker, default_checker
from twitchcheck.domain import Choice
from twitchcheck.interop.next_question import next_question
from twitchcheck.interop.outcome import FhirInputError
from twitchcheck.kb.coding import ADMINISTRATIVE_GENDER, ANSWER_SYSTEM, FINDING_SYSTEM


@pytest.fixture(scope="module")
def checker() -> Checker:
    return default_checker()


def answered(link_id: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "answer": [value]}


def coding(system: str, code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code}}


START = [
    answered("age", {"valueInteger": 30}),
    answered("sex", coding(ADMINISTRATIVE_GENDER, "female")),
    answered("initial", coding(FINDING_SYSTEM, "twitch_eyelid")),
]


def bare(*items: dict[str, Any], status: str = "in-progress") -> dict[str, Any]:
    return {"resourceType": "QuestionnaireResponse", "status": status, "item": [*START, *items]}


def grown_ids(out: dict[str, Any]) -> list[str]:
    return [i["linkId"] for i in out["contained"][0]["item"]]


def test_a_bare_response_gets_an_item_for_each_answer_then_the_next_question(
    checker: Checker,
) -> None:
    out = next_question(checker, bare(answered("safety_screen", coding(ANSWER_SYSTEM, "none"))))
    ids = grown_ids(out)
    assert ids[:4] == ["age", "sex", "initial", "safety_screen"]
    screen = next(u for u in checker.units if u.id == "safety_screen").items
    evidence = [
        r.EvidenceItem(id="twitch_eyelid", choice=Choice.PRESENT, initial=True),
        *(r.EvidenceItem(id=f, choice=Choice.ABSENT) for f in screen),
    ]
    step = checker.next_question(age=30, sex="female", evidence=evidence)
    assert step.question is not None and ids[-1] == step.question.id
    assert ids[-2] == f"{ids[-1]}-why"  # the rationale, shown before the question
    QuestionnaireResponse.model_validate(out)


def test_an_unanswered_question_is_asked_again_not_added_twice(checker: Checker) -> None:
    first = next_question(checker, bare())
    again = next_question(checker, {**first, "item": [*first["item"], {"linkId": "safety_screen"}]})
    assert grown_ids(again) == grown_ids(first)


def test_a_partly_answered_screen_keeps_the_items_it_showed(checker: Checker) -> None:
    # "other places" without the eyelid, said first: its "none" makes only what it showed absent.
    contained = showing("other_places", OTHER_PLACES_SHOWN)
    qr = {**bare(answered("other_places", coding(ANSWER_SYSTEM, "none"))), "contained": [contained]}
    out = next_question(checker, qr)
    item = next(i for i in out["contained"][0]["item"] if i["linkId"] == "other_places")
    assert [o["valueCoding"]["code"] for o in item["answerOption"]] == OTHER_PLACES_SHOWN


def completed(checker: Checker) -> dict[str, Any]:
    qr: dict[str, Any] = bare()
    for _ in range(60):
        out = next_question(checker, qr)
        if out["status"] == "completed":
            return out
        item = out["contained"][0]["item"][-1]
        value = (
            coding(ANSWER_SYSTEM, "none")
            if item.get("repeats")
            else coding(ANSWER_SYSTEM, "dont-know")
            if any(o["valueCoding"]["system"] == FINDING_SYSTEM for o in item["answerOption"])
            else coding(ANSWER_SYSTEM, "absent")
        )
        qr = {**out, "item": [*out["item"], answered(item["linkId"], value)]}
    raise AssertionError("no stop")


def test_the_completed_response_references_everything_it_contains(checker: Checker) -> None:
    out = completed(checker)
    text = json.dumps(out)
    for res in out["contained"]:
        assert f'"#{res["id"]}"' in text  # dom-3: each contained resource is referenced
    QuestionnaireResponse.model_validate(out)
    # Sent back as it is, it stays completed with one result group.
    again = next_question(checker, out)
    assert again["status"] == "completed"
    assert [i["linkId"] for i in again["item"]].count("result") == 1
    assert grown_ids(again).count("result") == 1


def test_a_parameters_body_needs_its_part(checker: Checker) -> None:
    with pytest.raises(FhirInputError) as err:
        next_question(checker, {"resourceType": "Parameters", "parameter": [{"name": "other"}]})
    assert err.value.status == 400
