"""One test per example in issue 17 ("Tell us in your own words")."""

from __future__ import annotations

from typing import Any

import pytest

import twitchcheck
from tests.text.conftest import choices

STORY = (
    "my nose has been twitching since Tuesday, I drink like 6 coffees a day, no weakness, "
    "my uncle had ALS and I'm terrified"
)


def test_the_opening_story(parse: Any) -> None:
    got = choices(parse(STORY))
    assert got["twitch_nose"] == "present"
    assert got["duration_under_2_weeks"] == "present"
    assert got["high_caffeine_intake"] == "present"  # "like 6" approximates, stays present
    assert got["muscle_weakness"] == "absent"
    assert got["family_history_als"] == "present"
    assert got["anxiety_health_worry"] == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my nostril keeps going", "twitch_nose_side"),
        ("the side of my nose jumps", "twitch_nose_side"),
        ("I have an eye twitch", "twitch_eyelid"),
        ("I get jumpy legs at night", "twitch_limbs_or_trunk"),
        ("I choke on water sometimes", "difficulty_swallowing"),
        ("pins and needles in my feet", "tingling_numbness"),
        ("my face dropped on one side", "facial_droop"),
    ],
)
def test_lay_phrases(parse: Any, text: str, finding: str) -> None:
    assert choices(parse(text)).get(finding) == "present"


def test_no_weakness_is_absent(parse: Any) -> None:
    assert choices(parse("no weakness"))["muscle_weakness"] == "absent"


def test_i_dont_think_my_speech_is_slurred(parse: Any) -> None:
    assert choices(parse("I don't think my speech is slurred"))["slurred_speech"] == "absent"


def test_maybe_some_tingling_is_unknown(parse: Any) -> None:
    assert choices(parse("maybe some tingling"))["tingling_numbness"] == "unknown"


@pytest.mark.parametrize("hedge", ["maybe", "might have", "I think I have", "possibly"])
def test_lay_hedges_never_make_a_finding_present(parse: Any, hedge: str) -> None:
    assert choices(parse(f"{hedge} some weakness in my arm"))["muscle_weakness"] == "unknown"


def test_a_negation_stops_at_the_next_clause(parse: Any) -> None:
    got = choices(parse("no twitching today, possible weakness"))
    assert got.get("muscle_weakness") != "absent"
    assert got.get("muscle_weakness") == "unknown"
    got = choices(parse("no weakness, but my hands are tingling"))
    assert got == {"muscle_weakness": "absent", "tingling_numbness": "present"}


def test_my_uncle_had_als_is_a_family_history(parse: Any) -> None:
    got = choices(parse("my uncle had ALS"))
    assert got == {"family_history_als": "present"}


@pytest.mark.parametrize("relative", ["mum", "nan", "gran", "dad", "sister", "uncle"])
def test_a_relatives_bells_palsy_is_not_the_persons(parse: Any, relative: str) -> None:
    got = choices(parse(f"I have a twitchy eyelid. My {relative} had Bell's palsy."))
    assert "prior_bells_palsy" not in got
    assert got["twitch_eyelid"] == "present"


def test_the_persons_own_bells_palsy_counts(parse: Any) -> None:
    assert choices(parse("I had Bell's palsy two years ago"))["prior_bells_palsy"] == "present"


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my eyelid has twitched since Tuesday", "duration_under_2_weeks"),
        ("my eyelid has been twitching for three weeks", "duration_2_weeks_to_3_months"),
        ("my calf has twitched on and off for a year", "duration_over_3_months"),
    ],
)
def test_durations(parse: Any, text: str, finding: str) -> None:
    got = choices(parse(text))
    assert got[finding] == "present"
    durations = [f for f in got if f.startswith("duration_")]
    assert durations == [finding]


def test_came_on_suddenly_this_morning(parse: Any) -> None:
    got = choices(parse("weakness in my arm came on suddenly this morning"))
    assert got["sudden_onset_weakness"] == "present"
    assert got["muscle_weakness"] == "present"


def test_getting_worse_over_the_last_few_days(parse: Any) -> None:
    twitch = choices(parse("the twitching is getting worse over the last few days"))
    assert twitch.get("getting_worse") == "present"
    assert "duration_under_2_weeks" not in twitch  # the pace of the worsening, not the start
    weak = choices(parse("my legs are weak and getting worse over the last few days"))
    assert weak.get("rapidly_worsening_weakness") == "present"


@pytest.mark.parametrize(
    ("text", "finding", "choice"),
    [
        ("6 coffees a day", "high_caffeine_intake", "present"),
        ("like 6 coffees a day", "high_caffeine_intake", "present"),
        ("2 coffees a day", "high_caffeine_intake", "absent"),
        ("three energy drinks", "high_caffeine_intake", "present"),
        ("I sleep 4 hours", "poor_sleep", "present"),
        ("I sleep maybe 4 hours", "poor_sleep", "present"),
        ("I sleep 8 hours", "poor_sleep", "absent"),
    ],
)
def test_amounts_by_the_kbs_thresholds(parse: Any, text: str, finding: str, choice: str) -> None:
    got = parse(text)
    assert choices(got)[finding] == choice
    item = next(f for f in got["findings"] if f["id"] == finding)
    assert "threshold" in item["why"]


def test_the_thresholds_are_stated_in_the_kb() -> None:
    kb = twitchcheck.api.default_checker().kb
    caffeine = next(f for f in kb.findings if f.id == "high_caffeine_intake")
    assert any(a.unit == "coffee" and a.above == 4 for a in caffeine.text.amounts)
    sleep = next(f for f in kb.findings if f.id == "poor_sleep")
    assert all(a.estimate for a in sleep.text.amounts)


def test_age_and_sex_are_reported_never_used(parse: Any) -> None:
    text = "I'm a 34-year-old woman and my nostril twitches"
    parsed = parse(text)
    assert parsed["age"] == 34 and parsed["sex"] == "female"
    result = twitchcheck.assess(age=50, sex="male", text=text)
    assert result.evidence.age == 50 and result.evidence.sex.value == "male"
    assert result.parsed is not None and result.parsed.age == 34


def test_spans_are_code_point_offsets(parse: Any) -> None:
    text = "😀😀 no weakness, my nostril twitches"
    for f in parse(text)["findings"]:
        assert 0 <= f["start"] < f["end"] <= len(text)
        assert text[f["start"] : f["end"]].strip()
    weak = next(f for f in parse(text)["findings"] if f["id"] == "muscle_weakness")
    assert text[weak["start"] : weak["end"]] == "weakness"
    assert weak["why"] == "matched 'weakness', negated by 'no'"
