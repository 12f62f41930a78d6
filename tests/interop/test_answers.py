"""interop.answers: a QuestionnaireResponse read into age, sex and evidence, and its errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.interop.shown import OTHER_PLACES_SHOWN, showing
from twitchcheck.api import Checker, default_checker
from twitchcheck.domain import Choice, Sex
from twitchcheck.interop.answers import read_answers
from twitchcheck.interop.outcome import FhirInputError
from twitchcheck.kb.coding import ADMINISTRATIVE_GENDER, ANSWER_SYSTEM, FINDING_SYSTEM


@pytest.fixture(scope="module")
def checker() -> Checker:
    return default_checker()


def item(link_id: str, *answers: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "answer": list(answers)}


def finding(code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": FINDING_SYSTEM, "code": code}}


def answer(code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": ANSWER_SYSTEM, "code": code}}


def response(*items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "item": list(items),
        **extra,
    }


def choices(checker: Checker, qr: dict[str, Any]) -> dict[str, Choice]:
    return {e.id: e.choice for e in read_answers(qr, checker).evidence}


def test_age_sex_initial_and_a_single_finding(checker: Checker) -> None:
    qr = response(
        item("age", {"valueInteger": 34}),
        item("sex", {"valueCoding": {"system": ADMINISTRATIVE_GENDER, "code": "female"}}),
        item("initial", finding("twitch_nose")),
        item("high_caffeine_intake", answer("present")),
        item("muscle_weakness", {"valueBoolean": False}),
        item("chest_pain", answer("unknown")),
        subject={"reference": "Patient/1"},
        authored="2026-12-06T07:00:00Z",
    )
    answers = read_answers(qr, checker)
    assert (answers.age, answers.sex) == (34, Sex.FEMALE)
    present, absent, unknown, initial = answers.sets()
    assert present == ["twitch_nose", "high_caffeine_intake"]
    assert absent == ["muscle_weakness"]
    assert unknown == ["chest_pain"]
    assert initial == ["twitch_nose"]


def test_a_group_marks_the_chosen_items_present_and_the_rest_absent(checker: Checker) -> None:
    got = choices(
        checker, response(item("lifestyle", finding("poor_sleep"), finding("high_stress")))
    )
    lifestyle = next(u for u in checker.units if u.id == "lifestyle").items
    assert set(got) == set(lifestyle)
    assert {f for f, c in got.items() if c is Choice.PRESENT} == {"poor_sleep", "high_stress"}


def test_none_and_dont_know_answer_the_whole_group(checker: Checker) -> None:
    assert set(choices(checker, response(item("lifestyle", answer("none")))).values()) == {
        Choice.ABSENT
    }
    assert set(
        choices(checker, response(item("twitch_duration", answer("dont-know")))).values()
    ) == {Choice.UNKNOWN}


def test_a_group_covers_only_the_items_its_question_showed(checker: Checker) -> None:
    # The contained Questionnaire showed "other places" without the eyelid (answered first).
    contained = showing("other_places", OTHER_PLACES_SHOWN)
    qr = response(item("other_places", finding("twitch_tongue")), contained=[contained])
    assert choices(checker, qr) == {
        "twitch_cheek_mouth": Choice.ABSENT,
        "twitch_tongue": Choice.PRESENT,
    }
    # Without it: the screen's items not answered elsewhere in the response.
    qr = response(item("initial", finding("twitch_eyelid")), item("other_places", answer("none")))
    got = choices(checker, qr)
    assert got["twitch_eyelid"] is Choice.PRESENT and got["twitch_tongue"] is Choice.ABSENT


def test_nested_items_unanswered_items_and_the_result_group(checker: Checker) -> None:
    qr = response(
        {
            "linkId": "page",
            "item": [item("twitch_nose", answer("present")), {"linkId": "chest_pain"}],
        },
        {"linkId": "result", "item": [item("top", {"valueString": "ignored"})]},
    )
    assert choices(checker, qr) == {"twitch_nose": Choice.PRESENT}


@pytest.mark.parametrize(
    ("qr", "status", "code", "words"),
    [
        ([], 400, "structure", "JSON object"),
        ({"resourceType": "Patient"}, 400, "structure", "QuestionnaireResponse"),
        (response({"answer": []}), 400, "structure", "linkId"),
        (response(item("twich_nose", answer("present"))), 422, "invalid", "twitch_nose"),
        (response(item("twitch_nose", {"valueString": "yes"})), 422, "invalid", "valueString"),
        (response(item("twitch_nose", answer("maybe"))), 422, "code-invalid", "maybe"),
        (response(item("age", {"valueInteger": 300})), 422, "value", "0 to 120"),
        (response(item("age", {"valueDecimal": 3.5})), 422, "invalid", "valueInteger"),
        (response(item("sex", {"valueCoding": {"code": "x"}})), 422, "code-invalid", "female"),
        (response(item("lifestyle", finding("twitch_nose"))), 422, "code-invalid", "items"),
        (
            response(item("lifestyle", answer("none"), finding("poor_sleep"))),
            422,
            "code-invalid",
            "alone",
        ),
        (response(item("twitch_duration", answer("none"))), 422, "code-invalid", "dont-know"),
        (
            response(item("age", {"valueInteger": 3}), item("age", {"valueInteger": 4})),
            422,
            "invalid",
            "twice",
        ),
    ],
)
def test_malformed_responses_raise_an_outcome_error(
    checker: Checker, qr: object, status: int, code: str, words: str
) -> None:
    with pytest.raises(FhirInputError) as err:
        read_answers(qr, checker)
    assert (err.value.status, err.value.code) == (status, code)
    assert words in err.value.message
    outcome = err.value.outcome()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == code
