"""Findings beyond the shared vocabulary that tell the deficiency, metabolic and thyroid causes
apart from the everyday ones (issue 16 §2): a blood test result a person knows, weight loss, and
feeling too hot. Each must move the cause it belongs to, in the interview, the words box and the
triage, and none may become a warning sign."""

from __future__ import annotations

import pytest

from tests.text.conftest import choices
from twitchcheck.api import default_checker

CHECKER = default_checker()

BLOOD_TESTS = {
    "blood_test_low_magnesium": "hypomagnesemia",
    "blood_test_low_potassium": "hypokalemia",
    "blood_test_low_calcium": "hypocalcemia",
    "blood_test_low_b12": "vitamin_b_deficiency",
    "blood_test_low_iron": "iron_deficiency",
    "blood_test_overactive_thyroid": "hyperthyroidism",
}


def _top(present: list[str], age: int = 50) -> tuple[str, str]:
    result = CHECKER.assess(age=age, sex="female", present=present, absent=[])
    return result.causes[0].id, result.triage.level.value


@pytest.mark.parametrize(("finding", "cause"), sorted(BLOOD_TESTS.items()))
@pytest.mark.parametrize("twitch", ["twitch_eyelid", "twitch_nose", "twitch_limbs_or_trunk"])
def test_a_blood_test_result_puts_its_own_cause_first(
    finding: str, cause: str, twitch: str
) -> None:
    without, _ = _top([twitch, "high_stress"])
    assert without != cause  # the everyday explanation leads without the result
    assert _top([twitch, "high_stress", finding])[0] == cause


def test_a_known_low_calcium_with_a_symptom_is_urgent() -> None:
    # clinical_notes §1, urgent row: with a known low calcium any symptom warrants treatment
    # (Society for Endocrinology); the cause's own urgency carries it.
    for symptom in ("twitch_eyelid", "muscle_cramps", "tingling_numbness"):
        assert _top([symptom, "blood_test_low_calcium"])[1] == "urgent", symptom


def test_each_cause_is_raised_by_the_results_that_belong_to_it_only() -> None:
    base = CHECKER.assess(age=50, sex="female", present=["twitch_eyelid"], absent=[])
    before = {c.id: c.probability for c in base.causes}
    for finding, cause in BLOOD_TESTS.items():
        after = CHECKER.assess(age=50, sex="female", present=["twitch_eyelid", finding], absent=[])
        probability = {c.id: c.probability for c in after.causes}
        assert probability[cause] > 5 * before[cause], finding
        for other in set(BLOOD_TESTS.values()) - {cause}:
            assert probability[other] <= before[other] * 1.0001, (finding, other)


def test_weight_loss_and_feeling_hot_point_to_an_overactive_thyroid() -> None:
    tremor = CHECKER.assess(age=35, sex="female", present=["hand_tremor"], absent=[])
    both = CHECKER.assess(
        age=35, sex="female", present=["hand_tremor", "weight_loss", "heat_intolerance"], absent=[]
    )
    p = {c.id: c.probability for c in tremor.causes}
    q = {c.id: c.probability for c in both.causes}
    assert q["hyperthyroidism"] > 3 * p["hyperthyroidism"]
    assert both.causes[0].id == "hyperthyroidism"


def test_none_is_a_red_flag_and_none_is_in_the_shared_vocabulary() -> None:
    kb = CHECKER.kb
    new = [*BLOOD_TESTS, "weight_loss", "heat_intolerance"]
    findings = {f.id: f for f in kb.findings}
    assert all(not findings[f].red_flag for f in new)
    assert not set(new) & CHECKER.red_flags


def test_the_blood_tests_are_one_screen() -> None:
    screen = next(u for u in CHECKER.units if u.id == "blood_tests")
    assert screen.type == "group_multiple"
    assert set(screen.items) == set(BLOOD_TESTS)


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("my bloods came back and my potassium was low", "blood_test_low_potassium", "present"),
        ("GP said I have low magnesium", "blood_test_low_magnesium", "present"),
        ("they found I'm b12 deficient", "blood_test_low_b12", "present"),
        ("I've lost weight without trying", "weight_loss", "present"),
        ("I feel hot all the time", "heat_intolerance", "present"),
        ("could it be low magnesium?", "blood_test_low_magnesium", "unknown"),
        ("maybe my iron is low", "blood_test_low_iron", None),
        ("I haven't lost weight", "weight_loss", "absent"),
    ],
)
def test_the_words_box_reads_them(text: str, finding: str, choice: str | None) -> None:
    got = choices(CHECKER.text.parse(text)).get(finding)
    if choice is None:
        assert got in (None, "unknown")  # a guess is never taken as a result
    else:
        assert got == choice
