"""interop.cds_hooks (discovery, requests, cases), cds_hooks_cards and cds_hooks_views."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.interop.cds_fixtures import (
    PATIENT_ID,
    answers_call,
    observation,
    patient,
    patient_view,
    questionnaire_response,
)
from twitchcheck import results as r
from twitchcheck.api import Checker, default_checker
from twitchcheck.domain import Sex
from twitchcheck.interop import cds_hooks as cds
from twitchcheck.interop.cds_hooks_cards import SUMMARY_LIMIT, card, clip, summary
from twitchcheck.interop.cds_hooks_views import ViewStore
from twitchcheck.interop.observations import FindingCodes
from twitchcheck.kb.coding import FINDING_SYSTEM

TODAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return default_checker()


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


def run(checker: Checker, service: str, data: dict[str, Any]) -> dict[str, Any]:
    return cds.call_service(service, body(data), checker, TODAY, lambda a: "https://x/view/t")


def test_discovery_names_both_services_with_their_hooks_and_prefetch() -> None:
    services = {s["id"]: s for s in cds.discovery()["services"]}
    assert services.keys() == {"twitchcheck-patient-view", "twitchcheck-answers"}
    view, answers = services["twitchcheck-patient-view"], services["twitchcheck-answers"]
    assert view["hook"] == "patient-view"
    assert answers["hook"] == "twitchcheck-answers-signed"
    assert view["prefetch"]["patient"] == "Patient/{{context.patientId}}"
    assert view["prefetch"]["twitchObservations"] == (
        f"Observation?patient={{{{context.patientId}}}}&code={FINDING_SYSTEM}|"
    )
    for service in services.values():
        assert service["description"] and service["title"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"hookInstance": "not-a-uuid"}, "hookInstance"),
        ({"hook": "order-sign"}, "answers the hook 'patient-view' only"),
        ({"context": {"userId": "Practitioner/1"}}, "context.patientId is required"),
        ({"context": "nope"}, "context"),
        ({"fhirAuthorization": {"access_token": "t"}}, "fhirAuthorization is given without"),
        ({"prefetch": {"patient": ["a list"]}}, "prefetch.patient must be a FHIR resource"),
    ],
)
def test_malformed_requests_say_why(checker: Checker, change: dict[str, Any], words: str) -> None:
    data = patient_view(observation("twitch_eyelid")) | change
    with pytest.raises(cds.CdsRequestError) as err:
        run(checker, cds.PATIENT_VIEW, data)
    assert words in err.value.reason


def test_a_body_that_is_not_json_is_malformed(checker: Checker) -> None:
    with pytest.raises(cds.CdsRequestError, match="JSON"):
        cds.call_service(cds.PATIENT_VIEW, b"{", checker, TODAY, lambda a: "")


@pytest.mark.parametrize(
    "prefetch",
    [
        {"patient": None},
        {"twitchObservations": None},
        {"twitchObservations": {"resourceType": "OperationOutcome", "issue": []}},
    ],
)
def test_missing_or_failed_prefetch_is_412(checker: Checker, prefetch: dict[str, Any]) -> None:
    with pytest.raises(cds.PrefetchMissingError) as err:
        run(checker, cds.PATIENT_VIEW, patient_view(observation("twitch_eyelid"), **prefetch))
    assert err.value.keys == [next(iter(prefetch))]
    assert "cannot fetch" in str(err.value)


def test_no_prefetch_at_all_names_both_keys(checker: Checker) -> None:
    data = patient_view()
    del data["prefetch"]
    with pytest.raises(cds.PrefetchMissingError) as err:
        run(checker, cds.PATIENT_VIEW, data)
    assert err.value.keys == ["patient", "twitchObservations"]


def test_age_on_a_date_and_partial_birth_dates() -> None:
    def age(birth: str) -> int:
        return cds.demographics(patient(birth), PATIENT_ID, TODAY)[0]

    assert age("1986-12-06") == 40  # birthday today
    assert age("1986-12-07") == 39  # tomorrow
    assert age("1986") == 40 and age("1986-12") == 40
    assert cds.demographics(patient(gender="male"), PATIENT_ID, TODAY)[1] == Sex.MALE
    for bad in ("12/06/1986", "1986-13-01", "2030-01-01"):
        with pytest.raises(cds.CdsRequestError):
            age(bad)
    with pytest.raises(cds.CdsRequestError, match="not the patient"):
        cds.demographics(patient(), "someone-else", TODAY)


def test_no_birth_date_gives_an_info_card_saying_so(checker: Checker) -> None:
    data = patient_view(observation("twitch_eyelid"), patient=patient(birth=None))
    [only] = run(checker, cds.PATIENT_VIEW, data)["cards"]
    assert only["indicator"] == "info" and "birth date" in only["summary"]


def test_the_latest_observation_per_finding_counts(checker: Checker) -> None:
    obs = [
        observation("high_caffeine_intake", True, when="2026-10-01"),
        observation("high_caffeine_intake", False, when="2026-11-20"),
        observation("twitch_eyelid", True, when="2026-11-01"),
        observation("muscle_weakness", True, status="entered-in-error"),
        observation("twitch_eyelid", True) | {"valueBoolean": None, "valueQuantity": {"value": 3}},
    ]
    latest, skipped = cds.latest_findings(obs, FindingCodes(checker.kb))
    assert latest == {"high_caffeine_intake": "absent", "twitch_eyelid": "present"}
    assert skipped == 1


def test_an_observation_of_another_patient_is_refused(checker: Checker) -> None:
    stray = observation("twitch_eyelid") | {"subject": {"reference": "Patient/other"}}
    with pytest.raises(cds.CdsRequestError, match="another patient"):
        run(checker, cds.PATIENT_VIEW, patient_view(stray))


def test_no_twitch_related_observation_gives_no_card(checker: Checker) -> None:
    assert run(checker, cds.PATIENT_VIEW, patient_view()) == {"cards": []}


def test_the_answers_service_reads_age_from_the_patient_when_the_answers_lack_it(
    checker: Checker,
) -> None:
    qr = questionnaire_response(None, "male", ["twitch_eyelid"])
    with pytest.raises(cds.PrefetchMissingError):
        run(checker, cds.ANSWERS, answers_call(qr))
    request = cds.read_request(cds.ANSWERS, body(answers_call(qr, patient=patient())))
    case = cds.answers_case(request, checker, TODAY)
    assert (case.age, case.sex) == (40, Sex.MALE)  # the answers' sex wins over the Patient's
    assert case.present == ("twitch_eyelid",)


def test_unusable_answers_are_malformed(checker: Checker) -> None:
    qr = questionnaire_response(30, "female", ["no_such_finding"])
    with pytest.raises(cds.CdsRequestError, match="questionnaireResponse: Unknown question"):
        run(checker, cds.ANSWERS, answers_call(qr))
    call = answers_call(qr)
    del call["context"]["questionnaireResponse"]
    with pytest.raises(cds.CdsRequestError, match="questionnaireResponse is required"):
        run(checker, cds.ANSWERS, call)


def test_contradictory_answers_are_malformed(checker: Checker) -> None:
    # sudden_vision_problems implies vision_problems (contracts §6): both cannot hold
    qr = questionnaire_response(30, "female", ["sudden_vision_problems"], ["vision_problems"])
    with pytest.raises(cds.CdsRequestError):
        run(checker, cds.ANSWERS, answers_call(qr))


def assessment(checker: Checker, present: list[str]) -> r.Assessment:
    return checker.assess(age=40, sex="female", present=present)


def test_the_card_follows_the_assessment(checker: Checker) -> None:
    a = assessment(checker, ["twitch_eyelid", "sudden_speech_difficulty"])
    made = card(a, "https://x/cds-services/view/tok")
    assert made["indicator"] == "critical"  # an emergency
    assert len(made["summary"]) < SUMMARY_LIMIT
    assert a.triage.name in made["summary"] and a.causes[0].name in made["summary"]
    for cause in a.causes[:3]:
        assert cause.name in made["detail"]
    assert a.triage.advice in made["detail"] and a.disclaimer in made["detail"]
    assert a.kb_version in made["source"]["label"]
    assert made["links"] == [
        {
            "label": "Open the full twitchcheck assessment",
            "url": "https://x/cds-services/view/tok",
            "type": "absolute",
        }
    ]
    assert made["uuid"] != card(a, "u")["uuid"]


def test_summaries_stay_under_140_characters(checker: Checker) -> None:
    a = assessment(checker, ["twitch_eyelid"])
    for cause in checker.kb.causes:  # whichever cause comes first
        top = a.causes[0].model_copy(update={"name": cause.name})
        assert len(summary(a.model_copy(update={"causes": [top]}))) < SUMMARY_LIMIT
    long = clip("word " * 60)
    assert len(long) < SUMMARY_LIMIT and long.endswith("…")


def test_views_expire_and_are_bounded(checker: Checker) -> None:
    now = [0.0]
    store = ViewStore(ttl_seconds=60, max_items=2, clock=lambda: now[0])
    a = assessment(checker, ["twitch_eyelid"])
    first = store.put(a)
    assert len(first) >= 43 and store.get(first) is a  # 256 random bits, URL-safe
    now[0] = 61
    assert store.get(first) is None
    tokens = [store.put(a) for _ in range(3)]
    assert store.get(tokens[0]) is None and store.get(tokens[2]) is a
    assert store.get("guess") is None
