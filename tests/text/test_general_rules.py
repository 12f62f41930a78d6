"""General rules of the second pass of issue 17, one test per kind of wording, each with the near
wording that must not read the same. The sentences are written for the kind, not taken from a
case narrative."""

from __future__ import annotations

from typing import Any

import pytest

from tests.text.conftest import choices
from twitchcheck.text.forms import fine_variants
from twitchcheck.text.medicines import is_drug_name


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Swallowing is fine.", "difficulty_swallowing"),
        ("my swallowing seems normal", "difficulty_swallowing"),
        ("Breathing's ok.", "breathing_difficulty"),
        ("my balance feels alright", "poor_balance_coordination"),
        ("His eyesight is still good.", "vision_problems"),
        ("my vision has been fine", "vision_problems"),
        ("Talking is fine.", "slurred_speech"),
        ("my strength seems ok", "muscle_weakness"),
        ("Legs are ok strength wise.", "muscle_weakness"),
    ],
)
def test_a_function_said_to_be_fine_is_denied(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "absent"


def test_the_fine_family_grows_only_from_a_fine_shaped_denial() -> None:
    assert "speech seems ok" in fine_variants("speech is fine", "en")
    assert "vision's normal" in fine_variants("vision is fine", "en")
    assert fine_variants("eye never shuts", "en") == ("eye never shuts",)


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("my periods are irregular but really heavy", "heavy_bleeding", "present"),
        ("periods are short but heavy", "heavy_bleeding", "present"),
        ("my throat is sore but tight", "throat_tightness_stridor", "present"),
    ],
)
def test_but_joins_a_second_state_to_the_same_subject(
    parse: Any, text: str, finding: str, choice: str
) -> None:
    assert choices(parse(text)).get(finding) == choice


def test_but_before_a_new_subject_joins_nothing(parse: Any) -> None:
    assert "heavy_bleeding" not in choices(parse("my periods are regular but my legs are heavy"))


@pytest.mark.parametrize(
    "text",
    [
        "I could walk yesterday but today I can't.",
        "Yesterday I could climb the stairs, today I cannot.",
        "Last night he was able to stand, this morning he can't.",
        "A few days ago I could lift the kettle and now I can barely.",
    ],
)
def test_an_ability_lost_since_an_earlier_day_is_weakness_worsening_by_days(
    parse: Any, text: str
) -> None:
    found = choices(parse(text))
    assert found.get("muscle_weakness") == "present"
    assert found.get("rapidly_worsening_weakness") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "I could walk yesterday and I can walk today.",
        "I couldn't sleep yesterday.",
        "I could walk fine until last year, now I can't run far.",
    ],
)
def test_no_lost_ability_or_no_day_is_no_worsening_by_days(parse: Any, text: str) -> None:
    assert "rapidly_worsening_weakness" not in choices(parse(text))


@pytest.mark.parametrize(
    "text",
    [
        "The twitching is worse than yesterday.",
        "Since last night it's worse.",
        "my eyelid is worse again today",
    ],
)
def test_worse_than_an_earlier_day_is_a_worsening(parse: Any, text: str) -> None:
    assert choices(parse(text)).get("getting_worse") == "present"


def test_weakness_worse_since_yesterday_is_rapid(parse: Any) -> None:
    text = "My legs went weak on Monday. Since yesterday it's worse, now my arms are weak too."
    assert choices(parse(text)).get("rapidly_worsening_weakness") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "Since I started sertraline my legs twitch.",
        "since starting amitriptyline I can't sleep",
        "A week after they started him on amantadine he got jerks.",
        "after the GP started me on ramipril my calves cramp",
        "when she began taking the fluoxetine her eye started twitching",
        "Since I started lithium my hands shake.",
    ],
)
def test_a_drug_named_as_started_is_a_medication_change(parse: Any, text: str) -> None:
    assert choices(parse(text)).get("recent_medication_change") == "present"


@pytest.mark.parametrize(
    "text",
    [
        "Since I started running my legs twitch.",
        "I started in April and my legs twitch.",
        "I've been taking pseudoephedrine for 3 days.",
        "since I started the new job my eye twitches",
    ],
)
def test_no_drug_started_is_no_medication_change(parse: Any, text: str) -> None:
    assert "recent_medication_change" not in choices(parse(text))


def test_a_drug_name_is_known_by_its_inn_stem_or_the_kb() -> None:
    kb_named = frozenset({"atorvastatin"})
    assert is_drug_name("Citalopram", frozenset())
    assert is_drug_name("atorvastatin", kb_named)
    assert not is_drug_name("april", frozenset())
    assert not is_drug_name("caffeine", frozenset())


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("the eye doesn't close", "twitch_eye_closes", "absent"),
        ("it doesnt shut my eye or anything", "twitch_eye_closes", "absent"),
        ("now the eye half closes when it goes", "twitch_eye_closes", "present"),
        ("my eye partly closes with it", "twitch_eye_closes", "present"),
        ("It hasn't spread anywhere.", "twitch_spreads_one_side_face", "absent"),
        ("nothing else is twitching", "twitch_spreads_one_side_face", "absent"),
    ],
)
def test_how_far_an_eyelid_twitch_goes(parse: Any, text: str, finding: str, choice: str) -> None:
    assert choices(parse(text)).get(finding) == choice


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("I'm struggling to get my words out.", "present"),
        ("he can't talk properly", "present"),
        ("she has trouble speaking", "present"),
        ("no difficulty talking", "absent"),
    ],
)
def test_trouble_speaking_in_everyday_words(parse: Any, text: str, choice: str) -> None:
    assert choices(parse(text)).get("slurred_speech") == choice


@pytest.mark.parametrize(
    "text",
    ["My hands are stuck in a painful claw.", "my fingers keep cramping up into a claw"],
)
def test_a_claw_a_few_words_from_the_hand_is_a_spasm(parse: Any, text: str) -> None:
    assert choices(parse(text)).get("hand_foot_spasms") == "present"
