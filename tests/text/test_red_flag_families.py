"""Red flags and their denials in families of everyday wording (issue 17, second pass): one
test per kind, with the near wording that must not read the same. Written for the kind (NHS
and lay descriptions of weakness, swallowing, speech, fits and a worsening course), not taken
from a case narrative."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices


@pytest.mark.parametrize(
    "text",
    [
        "I struggle to get out of a chair.",
        "It's hard to get up off the sofa.",
        "getting up from the floor is difficult now",
    ],
)
def test_trouble_rising_from_a_seat_is_weakness(parse: Any, text: str) -> None:
    assert choices(parse(text)).get("muscle_weakness") == "present"


def test_a_seat_without_trouble_is_no_weakness(parse: Any) -> None:
    assert "muscle_weakness" not in choices(parse("I can't get comfortable in a chair."))


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Drinks come back out of my nose.", "difficulty_swallowing"),
        ("People can't understand me when I talk.", "slurred_speech"),
        ("I'm drooling out of one side of my mouth.", "facial_droop"),
        ("He blacked out and was jerking.", "seizure_convulsion"),
        ("Something is wrong with my speech.", "slurred_speech"),
        ("She's become clumsy and falls over more.", "poor_balance_coordination"),
        ("He's clumsy on his feet.", "poor_balance_coordination"),
        ("My throat feels like it's closing.", "throat_tightness_stridor"),
        ("My forehead won't wrinkle on one side.", "forehead_weakness"),
        ("I can't whistle or puff my cheeks.", "facial_droop"),
    ],
)
def test_a_red_flag_in_everyday_words(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I haven't had any fits.", "seizure_convulsion"),
        ("No blackouts.", "altered_awareness"),
        ("I can swallow ok.", "difficulty_swallowing"),
        ("He's breathing fine.", "breathing_difficulty"),
        ("My speech hasn't changed.", "slurred_speech"),
        ("Eyes are fine.", "vision_problems"),
        ("Nothing wrong with my balance.", "poor_balance_coordination"),
        ("There's nothing wrong with his swallowing.", "difficulty_swallowing"),
        ("No issues with my vision.", "vision_problems"),
    ],
)
def test_a_red_flag_denied_in_everyday_words(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "absent"


def test_an_eye_that_twitches_is_no_vision_problem(parse: Any) -> None:
    assert "vision_problems" not in choices(parse("Something's wrong with my eye, it twitches."))


@pytest.mark.parametrize(
    "text",
    ["It's not getting any worse.", "It's stayed the same.", "pretty much the same as before"],
)
def test_a_course_said_to_be_unchanged_denies_a_worsening(parse: Any, text: str) -> None:
    assert choices(parse(text)).get("getting_worse") == "absent"


@pytest.mark.parametrize(
    "text",
    [
        "Each day it's worse.",
        "My arms are weaker than they were a few days ago.",
        "I got weaker over the weekend.",
    ],
)
def test_a_worsening_by_days(parse: Any, text: str) -> None:
    found = choices(parse(text))
    assert (
        found.get("getting_worse") == "present"
        or found.get("rapidly_worsening_weakness") == "present"
    )


def test_weaker_than_days_ago_is_rapid(parse: Any) -> None:
    found = choices(parse("My arms are weaker than they were a few days ago."))
    assert found.get("rapidly_worsening_weakness") == "present"


def test_clumsy_hands_are_no_balance_problem(parse: Any) -> None:
    assert "poor_balance_coordination" not in choices(parse("I'm clumsy with my hands."))


def test_cheeks_that_will_not_puff_deny_no_breathing(parse: Any) -> None:
    assert "breathing_difficulty" not in choices(parse("I can't whistle or puff my cheeks."))
