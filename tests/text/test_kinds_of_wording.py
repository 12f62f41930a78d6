"""More kinds of everyday wording (issue 17, second pass), one test per kind, with the near
wording that must not read the same. Sentences written for the kind, not from a case."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices


@pytest.mark.parametrize(
    "text",
    [
        "My son is 10 and keeps wrinkling his nose.",
        "My daughter (9) has been shrugging her shoulder.",
        "I'm 16 and my eye twitches.",
        "Our son, 11, keeps clearing his throat.",
    ],
)
def test_a_person_who_is_a_child_now_began_in_childhood(parse: Any, text: str) -> None:
    assert choices(parse(text)).get("onset_in_childhood") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "I'm 45 and my eye twitches.",
        "My eye twitches. My son is 10 and noisy.",
        "Typing this for my dad, he's 80. He has jerks all over.",
    ],
)
def test_an_adult_or_someone_elses_child_says_no_childhood_onset(parse: Any, text: str) -> None:
    assert "onset_in_childhood" not in choices(parse(text))


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Bloods for diabetes were fine.", "diabetes"),
        ("the test for diabetes came back negative", "diabetes"),
    ],
)
def test_a_test_result_said_after_what_it_looked_for_denies_it(
    parse: Any, text: str, finding: str
) -> None:
    assert choices(parse(text)).get(finding) == "absent"


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("I couldnt sleep last night.", "poor_sleep", "present"),
        ("we didnt sleep much", "poor_sleep", "present"),
    ],
)
def test_a_negation_inside_the_phrase_is_the_phrase_own(
    parse: Any, text: str, finding: str, choice: str
) -> None:
    assert choices(parse(text)).get(finding) == choice


def test_typed_without_apostrophe_she_is(parse: Any) -> None:
    assert choices(parse("Worse when shes tired."))["worse_with_stress_or_fatigue"] == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I can't get off to sleep.", "poor_sleep"),
        ("I didn't drink nearly enough.", "low_fluid_intake"),
        ("It's worse when I'm stressed or tired.", "worse_with_stress_or_fatigue"),
        ("I was made redundant.", "high_stress"),
        ("It's worse in bright sunlight.", "light_sensitivity"),
        ("the glare hurts", "light_sensitivity"),
        ("My eyes keep screwing shut.", "twitch_eye_closes"),
        ("My hand shakes when I'm sat watching telly.", "tremor_at_rest"),
        ("I drink a fair bit.", "heavy_alcohol_use"),
        ("My whole face twitches on both sides.", "twitch_both_sides_face"),
        ("My cheek pulls up.", "twitch_cheek_mouth"),
        ("I've got so slow.", "slowness_stiffness"),
        ("I haven't eaten meat for years.", "restricted_diet"),
        ("It's been coming on slowly.", "getting_worse"),
        ("It started as a flicker, now the whole eye goes.", "getting_worse"),
        ("She keeps raising her eyebrows.", "other_motor_tics"),
        ("He keeps flicking his fingers.", "other_motor_tics"),
        ("I had a parathyroid operation.", "neck_or_thyroid_surgery"),
    ],
)
def test_everyday_wording_of_a_finding(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I'm tired and my eye twitches.", "worse_with_stress_or_fatigue"),
        ("my hands shake when I hold a cup", "tremor_at_rest"),
        ("I sat in the sun.", "light_sensitivity"),
    ],
)
def test_near_wording_that_says_something_else(parse: Any, text: str, finding: str) -> None:
    assert finding not in choices(parse(text))


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("My eye twitches. Started maybe 6 weeks ago.", "duration_2_weeks_to_3_months"),
        ("My eye twitches. Been months like this.", "duration_over_3_months"),
        ("My eyelid has been twitching since like monday.", "duration_under_2_weeks"),
        ("my lid twitches, so 4 months-ish now", "duration_over_3_months"),
        ("I had an op. Three weeks on, my legs twitch.", "duration_2_weeks_to_3_months"),
        (
            "I'm vegan for 8 years. The GP started me on a water tablet 5 weeks ago. "
            "Since then my calves twitch.",
            "duration_2_weeks_to_3_months",
        ),
    ],
)
def test_a_duration_in_everyday_words(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


def test_a_diet_duration_alone_is_not_the_twitch(parse: Any) -> None:
    found = choices(parse("I've been vegan for 8 years. My eye twitches."))
    assert "duration_over_3_months" not in found
