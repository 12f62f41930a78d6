"""The rubric rows of clinical_notes.md §1 (and the guideline gaps of the third pass) that the
triage passes of issue 15 put into rules and cause urgencies: each pattern gives exactly the rubric's level on the shipped KB, at several
ages, and the pattern without its deciding finding does not."""

from __future__ import annotations

import pytest

from twitchcheck.api import default_checker

#: (present findings, the rubric's level, the finding without which the rule does not fire)
RUBRIC_PATTERNS = [
    # urgent: finger tingling suggesting low calcium after neck surgery (rubric urgent row)
    (
        ("tingling_numbness", "neck_or_thyroid_surgery", "twitch_cheek_mouth"),
        "urgent",
        "neck_or_thyroid_surgery",
    ),
    # urgent: unexplained muscle cramps or weakness on a statin (NHS statin pages: stop it and
    # call 111 or a doctor straight away; the rubric's soon row is superseded)
    (("takes_statin", "muscle_cramps", "twitch_limbs_or_trunk"), "urgent", "takes_statin"),
    # soon: a suspected drug-induced electrolyte problem (diuretic, PPI)
    (
        ("twitch_limbs_or_trunk", "takes_diuretic", "duration_under_2_weeks"),
        "soon",
        "takes_diuretic",
    ),
    (
        ("twitch_eyelid", "takes_proton_pump_inhibitor", "duration_under_2_weeks"),
        "soon",
        "takes_proton_pump_inhibitor",
    ),
    # soon: tics causing distress or bullying (NHS tics)
    (
        (
            "twitch_patterned_movement",
            "vocal_tics",
            "tics_cause_distress",
            "duration_over_3_months",
        ),
        "soon",
        "tics_cause_distress",
    ),
    # third pass (docs/triage.md, "Gaps filled in the third pass"):
    # urgent: tingling suggesting low calcium with kidney disease or gut losses (rubric urgent row)
    (("tingling_numbness", "kidney_disease", "twitch_nose"), "urgent", "kidney_disease"),
    (
        ("tingling_numbness", "vomiting_or_diarrhea", "twitch_eyelid"),
        "urgent",
        "vomiting_or_diarrhea",
    ),
    # soon: loss of dexterity, or chewing trouble (NICE NG42: ways MND first presents)
    (("hand_clumsiness", "twitch_limbs_or_trunk"), "soon", "hand_clumsiness"),
    (("difficulty_chewing", "twitch_cheek_mouth"), "soon", "difficulty_chewing"),
    # fourth pass: soon: a suspected overactive thyroid, weight loss with a racing heart (rubric soon
    # row; NHS), even with a lot of coffee (weight loss is not the caffeine's)
    (
        ("weight_loss", "palpitations", "high_caffeine_intake", "twitch_eyelid"),
        "soon",
        "weight_loss",
    ),
    # routine: a hoarse, nasal or weak voice (NICE NG42 speech problems; estimated level)
    (("voice_change", "twitch_nose", "duration_under_2_weeks"), "routine", "voice_change"),
]


@pytest.mark.parametrize(("present", "level", "decider"), RUBRIC_PATTERNS)
def test_rubric_patterns_give_the_rubric_level(
    present: tuple[str, ...], level: str, decider: str
) -> None:
    checker = default_checker()
    for age in (12, 40, 70):
        result = checker.assess(age=age, sex="unknown", present=list(present))
        assert result.triage.level.value == level, (present, age)
        without = [f for f in present if f != decider]
        lower = checker.assess(age=age, sex="unknown", present=without)
        assert lower.triage.level.rank < result.triage.level.rank, (without, age)


def test_b12_and_vitamin_e_deficiency_are_seen_within_days_to_weeks() -> None:
    """NHS: B12 deficiency should be diagnosed and treated as soon as possible (some damage is
    permanent); vitamin E deficiency harms nerves the same way (estimated)."""
    causes = {c.id: c for c in default_checker().kb.causes}
    assert causes["vitamin_b_deficiency"].urgency == "soon"
    assert causes["vitamin_e_deficiency"].urgency == "soon"


def test_a_change_in_sensation_is_at_least_a_gp_visit() -> None:
    """MedlinePlus 003296: twitching with a loss of, or change in, sensation needs a provider.
    Routine at 12 and 40; at 70 low vitamin B12 becomes likely enough to go sooner."""
    checker = default_checker()
    present = ["tingling_numbness", "twitch_nose", "duration_under_2_weeks"]
    for age in (12, 40, 70):
        result = checker.assess(age=age, sex="unknown", present=present)
        assert (
            result.triage.level.rank
            >= checker.assess(age=age, sex="unknown", present=present[1:]).triage.level.rank
        )
        assert "cb_change_in_sensation" in [r.id for r in result.triage.reasons]
        assert result.triage.level.value == ("soon" if age == 70 else "routine"), age


def test_signs_of_anaemia_are_a_gp_visit() -> None:
    """NHS iron deficiency anaemia: "see a GP if you have symptoms" (non-urgent: routine). Pale
    skin with tiredness, a pounding heart or heavy bleeding fires the rule at every age; without
    the pale skin it does not. (At 70 the level can be higher: B12 deficiency becomes likely.)"""
    checker = default_checker()
    for other in ("fatigue_tiredness", "palpitations", "heavy_bleeding"):
        for age in (12, 40, 70):
            present = ["pale_skin", other, "twitch_eyelid", "duration_under_2_weeks"]
            result = checker.assess(age=age, sex="unknown", present=present)
            assert "cb_signs_of_anaemia" in {r.id for r in result.triage.reasons}, (other, age)
            assert result.triage.level.value in ("routine", "soon"), (other, age)
            without = checker.assess(age=age, sex="unknown", present=present[1:])
            assert "cb_signs_of_anaemia" not in {r.id for r in without.triage.reasons}
