"""The interview's triage check (engine.triage_check) against an independent computation, and
its place in the stop rule: a question that can still change the level of care is asked."""

from __future__ import annotations

import math

import pytest

from twitchcheck.api import default_checker
from twitchcheck.domain import Sex
from twitchcheck.engine import interview
from twitchcheck.engine.evidence import close_evidence
from twitchcheck.engine.inference import posteriors
from twitchcheck.engine.triage import decide
from twitchcheck.engine.triage_check import change_probabilities

CHECKER = default_checker()
MODEL = CHECKER.model

# Everyday and worrying starts; each with the safety screen answered "no" where it is open.
STARTS = [
    (40, ["twitch_nose"], []),
    (40, ["hand_tremor"], ["palpitations"]),
    (67, ["twitch_limbs_or_trunk", "muscle_cramps"], ["muscle_weakness"]),
    (25, ["twitch_eyelid", "high_caffeine_intake"], []),
    (55, ["tingling_numbness"], ["neck_or_thyroid_surgery"]),
]


def _closed(present: list[str], absent: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    closed = close_evidence(present, absent, MODEL.exclusive_groups, MODEL.implications)
    return closed.present, closed.absent


def _by_hand(age: int, present: frozenset[str], absent: frozenset[str], finding: str) -> float:
    """P(level changes) for one yes/no finding: two separate inferences and the evidence ratio,
    the "yes" closed by the evidence closure, as the final assessment closes it."""
    index, red = MODEL.finding_index, MODEL.red_flags
    pres = sorted(index[f] for f in present if f not in red)
    abs_ = sorted(index[f] for f in absent if f not in red)
    priors = CHECKER.priors(age, Sex.UNKNOWN)
    now = posteriors(MODEL.network, pres, abs_, priors)
    yes = posteriors(MODEL.network, sorted([*pres, index[finding]]), abs_, priors)
    no = posteriors(MODEL.network, pres, sorted([*abs_, index[finding]]), priors)
    p_yes = math.exp(yes.log_evidence - now.log_evidence)
    assert p_yes == pytest.approx(1.0 - math.exp(no.log_evidence - now.log_evidence), abs=1e-9)
    yes_present, _ = _closed([*present, finding], [])
    level_now = decide(MODEL.rules, MODEL.causes, present, age, now.marginals).level
    level_yes = decide(MODEL.rules, MODEL.causes, yes_present, age, yes.marginals).level
    level_no = decide(MODEL.rules, MODEL.causes, present, age, no.marginals).level
    return p_yes * (level_yes != level_now) + (1.0 - p_yes) * (level_no != level_now)


@pytest.mark.parametrize(("age", "present", "absent"), STARTS)
def test_change_probabilities_match_two_inferences_per_question(
    age: int, present: list[str], absent: list[str]
) -> None:
    pres, abs_ = _closed(present, absent)
    units = [u for u in MODEL.units if not set(u.items) <= pres | abs_]
    priors = CHECKER.priors(age, Sex.UNKNOWN)
    got = change_probabilities(MODEL, priors, pres, abs_, age, units)
    some_change = False
    for unit in units:
        open_items = [f for f in unit.items if f not in pres | abs_ and f not in MODEL.red_flags]
        if unit.type == "group_single" or not open_items:
            assert unit.id not in got
            continue
        expected = max(_by_hand(age, pres, abs_, f) for f in open_items)
        assert got[unit.id] == pytest.approx(expected, abs=1e-9), unit.id
        some_change = some_change or expected > 0
    assert some_change  # the comparison is not vacuous: some answer can change the level


def _decide(age: int, present: list[str], absent: list[str]) -> interview.Decision:
    pres, abs_ = _closed(present, absent)
    answered = {*present, *absent}
    return interview.decide_next(
        MODEL, CHECKER.priors(age, Sex.UNKNOWN), pres, abs_, answered, set(present[:1]), age
    )


def _safety_answered(present: list[str]) -> list[str]:
    """Every finding the safety condition needs, answered "no" (so only the stop rule's own
    choice is left), except what is present."""
    screen = next(u for u in MODEL.units if u.id == interview.SAFETY_SCREEN_ID).items
    needed = {*screen, *MODEL.safety_findings, *MODEL.red_flags} & MODEL.askable
    return sorted(needed - set(present))


def test_a_question_that_can_change_the_level_is_asked_when_nothing_else_would_be(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A hand tremor alone: a racing heart with it is a reason to see a GP (cb_palpitations_tremor),
    # so "palpitations?" can change the level although it may teach little about the causes.
    present = ["hand_tremor", "duration_under_2_weeks"]
    absent = _safety_answered(present)
    monkeypatch.setattr(interview, "MIN_GAIN", 1e9)  # information gain never asks
    decision = _decide(35, present, absent)
    assert not decision.should_stop
    assert decision.reason == "triage_check"
    assert decision.unit is not None
    pres, abs_ = _closed(present, absent)
    change = change_probabilities(
        MODEL, CHECKER.priors(35, Sex.UNKNOWN), pres, abs_, 35, [decision.unit]
    )
    assert change[decision.unit.id] >= interview.TRIAGE_CHANGE
    # With the check switched off the interview stops at the same point.
    monkeypatch.setattr(interview, "TRIAGE_CHANGE", 2.0)
    assert _decide(35, present, absent).should_stop


def test_the_triage_check_has_a_rationale_about_the_level_of_care() -> None:
    unit = MODEL.single_questions["palpitations"]
    decision = interview.Decision(unit, False, "triage_check", 0.0, None, None, 0)
    marginals = CHECKER.infer(CHECKER.priors(35, Sex.UNKNOWN), ["hand_tremor"], []).marginals
    text = CHECKER.interviewer.rationale(decision, marginals)
    assert "how soon you should get care" in text
    assert "warning sign" not in text
