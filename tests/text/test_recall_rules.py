"""The parser's general rules for recall (issue 17): denials, subject-state patterns, phrases
inside longer phrases, contractions and irregular forms, reporting relatives, implied red flags;
and the readings they must not make."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("My strength is fine.", "muscle_weakness"),
        ("my strength seems normal", "muscle_weakness"),
        ("The eye never shuts.", "twitch_eye_closes"),
        ("He can't stop it.", "twitch_suppressible"),
        ("I eat normally.", "restricted_diet"),
        ("He's awake and talking to me.", "altered_awareness"),
    ],
)
def test_a_denial_phrase_states_the_finding_absent(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "absent"


def test_a_hedged_denial_is_unknown(parse: Any) -> None:
    assert choices(parse("maybe my strength is fine"))["muscle_weakness"] == "unknown"


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("my throat feels tight", "throat_tightness_stridor", "present"),
        ("tight throat", "throat_tightness_stridor", "present"),
        ("my throat is not tight", "throat_tightness_stridor", "absent"),
        ("my face hasn't dropped", "facial_droop", "absent"),
        ("my throat might be tight", "throat_tightness_stridor", "unknown"),
    ],
)
def test_a_subject_and_its_state_a_few_words_apart(
    parse: Any, text: str, finding: str, choice: str
) -> None:
    assert choices(parse(text)).get(finding) == choice


@pytest.mark.parametrize(
    "text",
    [
        "My throat is sore. My chest muscles twitch.",  # two sentences
        "my throat, my chest and my legs all twitch",  # a list, no state
        "I fell on my face last week and now my cheek twitches",
        "I've had headaches for years and suddenly my eye twitches",  # not a sudden headache
        "I do strength training three times a week",
    ],
)
def test_subject_state_patterns_do_not_reach_across_clauses(parse: Any, text: str) -> None:
    got = choices(parse(text))
    for red_flag in (
        "throat_tightness_stridor",
        "chest_pain",
        "facial_droop",
        "sudden_severe_headache",
        "muscle_weakness",
    ):
        assert red_flag not in got, got


def test_a_phrase_inside_a_longer_phrase_of_another_finding_counts(parse: Any) -> None:
    got = choices(parse("I started a statin six weeks ago"))
    assert got["recent_medication_change"] == "present"
    assert got["takes_statin"] == "present"


@pytest.mark.parametrize("text", ["I cannot lift my arm", "I can't lift my arm"])
def test_cannot_and_cant_read_alike(parse: Any, text: str) -> None:
    assert choices(parse(text))["muscle_weakness"] == "present"


def test_irregular_forms_read_as_their_base(parse: Any) -> None:
    assert choices(parse("I've fallen over three times"))["frequent_tripping_falling"] == "present"


def test_a_family_that_reports_is_not_the_one_it_is_about(parse: Any) -> None:
    assert choices(parse("my family say my face looks blank"))["reduced_facial_expression"] == (
        "present"
    )


def test_a_relatives_finding_is_still_not_the_persons(parse: Any) -> None:
    got = choices(parse("I have a twitchy eyelid and my family say my uncle had facial droop"))
    assert "facial_droop" not in got or got["facial_droop"] != "present"


def test_a_red_flag_a_finding_implies_is_named(parse: Any) -> None:
    got = parse("I need extra pillows at night")
    ids = {f["id"]: f for f in got["findings"]}
    assert ids["breathless_lying_flat"]["choice"] == "present"
    assert ids["breathing_difficulty"]["choice"] == "present"
    assert "implies" in ids["breathing_difficulty"]["why"]


def test_a_phrase_of_another_finding_is_found_under_a_longer_same_finding_phrase(
    parse: Any,
) -> None:
    got = choices(parse("over the last few weeks it has spread to my cheek and mouth"))
    assert got["twitch_spreads_one_side_face"] == "present"
    assert got["getting_worse"] == "present"


def test_one_duration_said_twice_is_still_read(parse: Any) -> None:
    got = choices(parse("My nostril jumps for a second or two. It started a few days ago."))
    assert got["duration_under_2_weeks"] == "present"


def test_a_pounding_heart_at_rest_is_not_breathlessness(parse: Any) -> None:
    got = choices(parse("my heart pounds even at rest"))
    assert "breathless_at_rest" not in got and "breathing_difficulty" not in got


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my son keeps blinking", "twitch_eyelid"),
        ("sudden facial grimaces", "twitch_cheek_mouth"),
        ("she is constantly chewing", "twitch_cheek_mouth"),
    ],
)
def test_movements_name_their_place(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I have weaknesss in my arm", "muscle_weakness"),
        ("numbnes down one side", "numbness_one_side"),
        ("I get breathlesss on the stairs", "breathing_difficulty"),
        ("I keep stumblng", "frequent_tripping_falling"),
        ("my nose keeps twiching", "twitch_nose"),
        ("I drink a lot of caffine", "high_caffeine_intake"),
    ],
)
def test_one_slip_in_a_long_word_of_a_phrase_is_read(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


@pytest.mark.parametrize("text", ["I went camping and painted the fence", "my legs feel wear"])
def test_short_or_real_words_are_not_read_as_typos(parse: Any, text: str) -> None:
    got = choices(parse(text))
    assert "muscle_cramps" not in got and "altered_awareness" not in got
    assert "muscle_weakness" not in got


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("the side of his mouth is twitching and drooling", "facial_droop"),
        ("I keep dropping things", "facial_droop"),
        ("sweat dripping off me after the gym", "frequent_tripping_falling"),
        ("we went camping last week", "muscle_cramps"),
        ("a stranger said hello", "getting_worse"),
        ("I had an injection in my arm", "recent_viral_illness"),
    ],
)
def test_a_real_word_one_edit_away_is_not_a_typo(parse: Any, text: str, not_found: str) -> None:
    assert not_found not in choices(parse(text))


def test_a_denial_after_a_negated_finding_still_denies(parse: Any) -> None:
    got = choices(parse("He doesn't feel it coming and can't stop it."))
    assert got["twitch_premonitory_urge"] == "absent"
    assert got["twitch_suppressible"] == "absent"


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("my voice is weak", "muscle_weakness"),
        ("my sense of smell is weak", "muscle_weakness"),
        ("my heart is beating fast", "restricted_diet"),
        ("the doctor increased my dose", "getting_worse"),
        ("my tongue feels thick", "twitch_tongue"),
        ("my jaw gets tired when I chew", "fatigue_tiredness"),
    ],
)
def test_a_phrase_inside_a_symptom_phrase_is_not_said(
    parse: Any, text: str, not_found: str
) -> None:
    assert not_found not in choices(parse(text))


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("the side of my nose has been flickering", "twitch_nose"),
        ("both my eyes blink a lot", "twitch_eyelid"),
    ],
)
def test_a_body_part_inside_a_place_phrase_says_that_place_too(
    parse: Any, text: str, finding: str
) -> None:
    assert choices(parse(text)).get(finding) == "present"


@pytest.mark.parametrize("text", ["my nostril twitches", "my nostrel keeps flaring"])
def test_a_nostril_alone_names_the_nose(parse: Any, text: str) -> None:
    got = choices(parse(text))
    assert got["twitch_nose"] == "present" and got["twitch_nose_side"] == "present"


@pytest.mark.parametrize("text", ["I drink a lot of water", "i drink plenty of water"])
def test_drinking_water_is_neither_alcohol_nor_too_little_fluid(parse: Any, text: str) -> None:
    got = choices(parse(text))
    assert "heavy_alcohol_use" not in got  # "drink a lot" alone is alcohol; of water it is not
    assert got.get("low_fluid_intake") == "absent"
