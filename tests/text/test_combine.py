"""Text beside evidence: explicit answers win after closure; the Assessment's parsed block."""

from __future__ import annotations

import pytest

import twitchcheck
from twitchcheck import results as r
from twitchcheck.api import default_checker
from twitchcheck.domain import Choice
from twitchcheck.errors import ValueRangeError


def test_explicit_evidence_wins_after_closure() -> None:
    # the text says the twitch started days ago; the form says over 3 months
    a = twitchcheck.assess(
        age=40,
        sex="female",
        present=["duration_over_3_months"],
        text="my nostril has twitched since Tuesday",
    )
    assert a.parsed is not None
    assert "duration_under_2_weeks" in a.parsed.overridden
    assert "duration_over_3_months" in a.evidence.present
    assert "duration_under_2_weeks" in a.evidence.absent
    assert "twitch_nose_side" in a.evidence.present


def test_a_parsed_child_of_an_explicitly_absent_parent_is_overridden() -> None:
    a = twitchcheck.assess(age=40, sex="male", absent=["twitch_nose"], text="my nostril twitches")
    # "nostril" names the nose too (issue 17): the form's "no" overrides both the parsed nose
    # and the nostril that closure would otherwise make present
    assert a.parsed is not None and a.parsed.overridden == ["twitch_nose", "twitch_nose_side"]
    assert "twitch_nose_side" in a.evidence.absent


def test_hedged_findings_are_not_evidence() -> None:
    a = twitchcheck.assess(age=40, sex="male", text="maybe some tingling")
    assert a.parsed is not None and a.parsed.findings[0].choice == Choice.UNKNOWN
    assert "tingling_numbness" not in a.evidence.present + a.evidence.absent


def test_no_text_no_parsed_key() -> None:
    a = twitchcheck.assess(age=40, sex="male", present=["twitch_nose"])
    assert a.parsed is None and "parsed" not in a.model_dump(mode="json")


def test_too_long_text_is_an_input_error() -> None:
    with pytest.raises(ValueRangeError):
        twitchcheck.api.parse("x" * 5001)


def test_the_interview_holds_red_flags_for_the_safety_screen() -> None:
    checker = default_checker()
    step = checker.next_question(
        age=60, sex="male", text="my face dropped and my nostril twitches, no weakness"
    )
    assert step.question is not None and step.question.id == "safety_screen"
    assert step.parsed is not None
    assert "facial_droop" in {f.id for f in step.parsed.findings}
    # not yet evidence: the triage waits for the safety screen's answer
    assert all(rf.id != "facial_droop" for rf in step.red_flags)
    # the text box is not a screen
    assert step.progress.answered == 0
    answered = [r.EvidenceItem(id="facial_droop", choice=Choice.PRESENT)]
    after = checker.next_question(
        age=60, sex="male", evidence=answered, text="my face dropped and my nostril twitches"
    )
    assert any(rf.id == "facial_droop" for rf in after.red_flags)
