"""interop.observations: Observation ↔ finding."""

from __future__ import annotations

from typing import Any

import pytest

from twitchcheck.api import default_checker
from twitchcheck.domain import Choice
from twitchcheck.interop.observations import FindingCodes, ObservedFinding
from twitchcheck.interop.outcome import FhirInputError
from twitchcheck.kb.coding import ANSWER_SYSTEM, FINDING_SYSTEM, HPO, SNOMED_CT


@pytest.fixture(scope="module")
def codes() -> FindingCodes:
    return FindingCodes(default_checker().kb)


def observation(*codings: dict[str, str], status: str = "final", **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": status,
        "code": {"coding": list(codings)},
        **value,
    }


def test_a_finding_system_coding_with_a_boolean(codes: FindingCodes) -> None:
    obs = observation({"system": FINDING_SYSTEM, "code": "twitch_nose"}, valueBoolean=True)
    assert codes.observed(obs) == ObservedFinding("twitch_nose", Choice.PRESENT)


def test_a_standard_code_the_kb_gives_one_finding(codes: FindingCodes) -> None:
    kb = codes.kb
    counts: dict[tuple[str, str], int] = {}
    for f in kb.findings:
        for c in f.codes.snomed:
            counts[SNOMED_CT, c] = counts.get((SNOMED_CT, c), 0) + 1
        for c in f.codes.hpo:
            counts[HPO, c] = counts.get((HPO, c), 0) + 1
    for f in kb.findings:
        keys = [(SNOMED_CT, c) for c in f.codes.snomed] + [(HPO, c) for c in f.codes.hpo]
        for system, code in keys:
            if counts[system, code] == 1:
                concept = {"coding": [{"system": ANSWER_SYSTEM, "code": "absent"}]}
                obs = observation({"system": system, "code": code}, valueCodeableConcept=concept)
                assert codes.observed(obs) == ObservedFinding(f.id, Choice.ABSENT)


def test_a_code_shared_by_several_findings_needs_the_finding_coding(codes: FindingCodes) -> None:
    shared = {"system": SNOMED_CT, "code": "40739000"}  # difficulty swallowing, and its sudden form
    with pytest.raises(FhirInputError, match="several findings"):
        codes.observed(observation(shared, valueBoolean=True))
    ours = {"system": FINDING_SYSTEM, "code": "sudden_swallowing_difficulty"}
    assert codes.observed(observation(shared, ours, valueBoolean=True)) == ObservedFinding(
        "sudden_swallowing_difficulty", Choice.PRESENT
    )


def test_statuses(codes: FindingCodes) -> None:
    coding = {"system": FINDING_SYSTEM, "code": "twitch_nose"}
    for status in ("final", "amended", "corrected", "preliminary"):
        assert codes.observed(observation(coding, status=status, valueBoolean=False)) is not None
    assert codes.observed(observation(coding, status="entered-in-error", valueBoolean=True)) is None
    with pytest.raises(FhirInputError, match="registered"):
        codes.observed(observation(coding, status="registered", valueBoolean=True))


@pytest.mark.parametrize(
    ("obs", "words"),
    [
        ({"resourceType": "Patient"}, "must be a resource of type Observation"),
        (
            observation({"system": FINDING_SYSTEM, "code": "nope"}, valueBoolean=True),
            "names no finding",
        ),
        (
            observation({"system": FINDING_SYSTEM, "code": "twitch_nose"}, valueString="yes"),
            "valueBoolean",
        ),
        (
            observation({"system": FINDING_SYSTEM, "code": "twitch_nose"}, valueBoolean="yes"),
            "true or false",
        ),
    ],
)
def test_bad_observations(codes: FindingCodes, obs: dict[str, Any], words: str) -> None:
    with pytest.raises(FhirInputError, match=words):
        codes.observed(obs)


def test_a_finding_round_trips_through_an_observation(codes: FindingCodes) -> None:
    for f in codes.kb.findings:
        for choice in Choice:
            obs = codes.observation(f.id, choice, subject="Patient/p")
            assert codes.observed(obs) == ObservedFinding(f.id, choice)
