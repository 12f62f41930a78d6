"""Readings beyond the issue's own examples: carers, body parts, inability, everyday traps."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices


def test_a_carer_writing_about_a_relative(parse: Any) -> None:
    got = choices(parse("My mother is 91. Her hands have gone into spasms and her lips tingle."))
    assert got["hand_foot_spasms"] == "present"
    assert got["tingling_around_mouth"] == "present"


def test_a_carers_childs_tics_are_not_a_family_history(parse: Any) -> None:
    got = choices(parse("My son is 12 and has tics: nose twitching. His dad had tics as a boy."))
    assert got["twitch_nose"] == "present"
    assert got["family_history_tics"] == "present"  # the dad's, said of a relative
    got = choices(parse("My daughter has had nose tics for a year and she is teased at school"))
    assert "family_history_tics" not in got


def test_the_writers_own_words_keep_a_relatives_history_apart(parse: Any) -> None:
    got = choices(parse("my dad has MS and my left eyelid flickers"))
    assert "known_multiple_sclerosis" not in got
    assert got["twitch_eyelid"] == "present"


def test_no_family_history_is_absent(parse: Any) -> None:
    assert choices(parse("No family history of ALS")) == {"family_history_als": "absent"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I can't raise my eyebrow on that side", "forehead_weakness"),
        ("I can't swallow at all", "sudden_swallowing_difficulty"),
        ("I can't feel my left hand", "tingling_numbness"),
    ],
)
def test_an_inability_is_a_finding_not_a_denial(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text))[finding] == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my face and legs keep twitching", "twitch_cheek_mouth"),
        ("my face and legs keep twitching", "twitch_limbs_or_trunk"),
        ("my thumb has been jumping", "twitch_limbs_or_trunk"),
    ],
)
def test_a_body_part_with_a_movement_word(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text))[finding] == "present"


@pytest.mark.parametrize(
    "text",
    ["I'm fit and healthy", "my face looks fine", "my legs are long", "I had a coffee"],
)
def test_everyday_words_place_nothing(parse: Any, text: str) -> None:
    assert parse(text)["findings"] == []


def test_the_twitchs_duration_beats_a_diets(parse: Any) -> None:
    got = choices(parse("I've been vegan for two years. My nose has twitched for six weeks."))
    assert got["duration_2_weeks_to_3_months"] == "present"
    assert got["restricted_diet"] == "present"


def test_sudden_numbness_an_hour_ago(parse: Any) -> None:
    got = choices(parse("An hour ago my left arm went numb"))
    assert got["numbness_one_side"] == "present"


@pytest.mark.parametrize(
    "text",
    [
        "I am confused why my nose twitches",
        "I sometimes choke when I laugh and my eyelid twitches",
        "my eye twitches and the screen looks blurry at night",
    ],
)
def test_loose_words_do_not_raise_a_red_flag(parse: Any, text: str) -> None:
    from twitchcheck.api import default_checker

    flags = default_checker().red_flags
    assert not [f for f in parse(text)["findings"] if f["id"] in flags]


def test_an_episode_length_is_not_an_onset(parse: Any) -> None:
    got = choices(parse("my eyelid twitches for 4 hours at a time"))
    assert not [f for f in got if f.startswith("duration_")]
    assert (
        choices(parse("for months my calves have twitched"))["duration_over_3_months"] == "present"
    )
