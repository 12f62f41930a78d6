"""Scope and time rules of the second pass (issue 17): a trigger's own words end no scope, a
hedge on a length of time hedges only the time, a duration or a worsening said in a sentence
of its own, waking with a finding, and a nostril that names the nose."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices


@pytest.mark.parametrize(
    "text",
    ["I don't think I'm weak", "I don't think I have any weakness", "I dont think im weak"],
)
def test_i_dont_think_im_denies_what_follows(parse: Any, text: str) -> None:
    assert choices(parse(text))["muscle_weakness"] == "absent"


def test_just_ends_a_denial(parse: Any) -> None:
    got = choices(parse("I don't think I'm weak, just worn out."))
    assert got["muscle_weakness"] == "absent"
    assert got["fatigue_tiredness"] == "present"


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("For maybe 6 months my feet feel numb", "duration_over_3_months"),
        ("my feet feel numb, 4 months maybe", "duration_over_3_months"),
        ("My eyelid jumps. Been like this maybe 3 weeks.", "duration_2_weeks_to_3_months"),
    ],
)
def test_a_hedge_on_a_length_of_time_hedges_only_the_time(
    parse: Any, text: str, duration: str
) -> None:
    got = choices(parse(text))
    assert got[duration] == "present"
    assert got.get("tingling_numbness", "present") == "present"


def test_a_hedged_finding_beside_a_hedged_time_stays_unknown(parse: Any) -> None:
    got = choices(parse("for about 6 months, maybe some tingling"))
    assert got["tingling_numbness"] == "unknown"


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("My nose twitches. It started three weeks ago.", "duration_2_weeks_to_3_months"),
        (
            "My calf twitches. It's been going on a couple of weeks I think.",
            "duration_2_weeks_to_3_months",
        ),
        ("My legs twitch at night. Been going on for about a year.", "duration_over_3_months"),
    ],
)
def test_a_duration_in_a_sentence_of_its_own_is_the_complaints(
    parse: Any, text: str, duration: str
) -> None:
    assert choices(parse(text))[duration] == "present"


def test_a_duration_of_a_medicine_is_still_not_the_twitchs(parse: Any) -> None:
    got = choices(parse("My nose twitches. I've been on omeprazole for years."))
    assert "duration_over_3_months" not in got


@pytest.mark.parametrize(
    "text",
    [
        "my eyelid twitch is spreading",
        "my eye twitch comes more and more often",
        "my eyelid twitches and now it's also in my arm",
        "the twitch in my calf spreads to my thigh",
    ],
)
def test_a_worsening_only_implied_is_read(parse: Any, text: str) -> None:
    assert choices(parse(text))["getting_worse"] == "present"


def test_a_worsening_sentence_with_nothing_else_speaks_of_the_sentence_before(
    parse: Any,
) -> None:
    got = choices(parse("My legs went weak on Monday, then my arms. It's worse every day."))
    assert got["rapidly_worsening_weakness"] == "present"


def test_a_worsening_of_a_twitch_alone_is_no_weakness(parse: Any) -> None:
    got = choices(parse("My eyelid twitches. It's worse every day."))
    assert got["getting_worse"] == "present"
    assert "rapidly_worsening_weakness" not in got and "muscle_weakness" not in got


def test_waking_with_weakness_is_a_sudden_onset(parse: Any) -> None:
    assert choices(parse("I woke up and my arm was weak"))["sudden_onset_weakness"] == "present"


def test_waking_with_pins_and_needles_is_not_sudden_numbness(parse: Any) -> None:
    got = choices(parse("I woke up with pins and needles in my hand"))
    assert got["tingling_numbness"] == "present" and "numbness_one_side" not in got


def test_waking_with_a_droop_that_has_grown_since_is_not_sudden(parse: Any) -> None:
    text = "I woke up with my face feeling heavy and it has got worse through the day"
    got = choices(parse(text))
    assert got["facial_droop"] == "present" and "sudden_onset_weakness" not in got


def test_a_hedged_finding_on_waking_is_never_present(parse: Any) -> None:
    got = choices(parse("I woke up and maybe my arm was weak"))
    assert got["muscle_weakness"] == "unknown" and "sudden_onset_weakness" not in got


def test_no_sudden_change_denies_the_sudden_form_of_what_the_text_states(parse: Any) -> None:
    got = choices(parse("My legs have got weaker and I'm unsteady. No sudden changes."))
    assert got["sudden_onset_weakness"] == "absent"
    assert got["sudden_loss_of_balance"] == "absent"
    assert got["poor_balance_coordination"] == "present"


def test_no_sudden_change_is_not_itself_a_sudden_word(parse: Any) -> None:
    got = choices(parse("No sudden changes, my legs are just weak."))
    assert got["muscle_weakness"] == "present" and got["sudden_onset_weakness"] == "absent"


def test_a_sudden_onset_said_outright_wins_over_no_sudden_change(parse: Any) -> None:
    got = choices(parse("No sudden changes, but then my arm went weak suddenly."))
    assert got["sudden_onset_weakness"] == "present"


@pytest.mark.parametrize(
    "text",
    [
        "My legs started going weak on Tuesday and now I can hardly get out of bed.",
        "It began in my feet and over the past week it has moved up, my legs are so weak.",
    ],
)
def test_a_weakness_grown_within_the_week_worsens_day_by_day(parse: Any, text: str) -> None:
    assert choices(parse(text))["rapidly_worsening_weakness"] == "present"


def test_a_twitch_that_has_moved_up_is_getting_worse(parse: Any) -> None:
    got = choices(parse("my eyelid twitch has moved up to my forehead"))
    assert got["getting_worse"] == "present" and "muscle_weakness" not in got


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("I'm worried about my son, his eye keeps twitching and he's very tired.", "twitch_eyelid"),
        ("My dad is 70. I noticed his hands shake.", "hand_tremor"),
        ("My son is 12. I'm so scared, he told me his legs feel weak.", "muscle_weakness"),
    ],
)
def test_a_carer_who_only_watches_writes_of_the_relative(
    parse: Any, text: str, finding: str
) -> None:
    assert choices(parse(text))[finding] == "present"


def test_a_carers_own_worry_is_not_the_relatives(parse: Any) -> None:
    got = choices(parse("I'm worried about my son, his eye keeps twitching."))
    assert "anxiety_health_worry" not in got


@pytest.mark.parametrize(
    "text",
    [
        "My dad had ALS, he died at 60. I twitch all over.",
        "My dad had ALS and he was scared. I'm worried, my calves twitch.",
    ],
)
def test_a_writer_with_their_own_complaint_keeps_the_relatives_history(
    parse: Any, text: str
) -> None:
    assert choices(parse(text))["family_history_als"] == "present"


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("i cant swallow properly", "difficulty_swallowing", "present"),
        ("i cant lift my arm", "muscle_weakness", "present"),
        ("I walk like im drunk", "poor_balance_coordination", "present"),
        ("i dont think im weak", "muscle_weakness", "absent"),
        ("i havent got any weakness", "muscle_weakness", "absent"),
    ],
)
def test_contractions_typed_without_the_apostrophe(
    parse: Any, text: str, finding: str, choice: str
) -> None:
    assert choices(parse(text))[finding] == choice
