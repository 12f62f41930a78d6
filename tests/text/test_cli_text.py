"""``twitchcheck assess --text`` and ``twitchcheck.parse`` (issue 17)."""

from __future__ import annotations

import json

import pytest

import twitchcheck
from twitchcheck.interfaces.cli import main

TEXT = "I'm a 34-year-old woman, my nostril twitches since Tuesday, no weakness"


def test_assess_text_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["assess", "--age", "50", "--sex", "male", "--text", TEXT, "--yes", "poor_sleep", "--json"]
    )
    assert code in (0, None)
    data = json.loads(capsys.readouterr().out)
    assert data["evidence"]["age"] == 50 and data["evidence"]["sex"] == "male"
    assert {"twitch_nose_side", "poor_sleep", "duration_under_2_weeks"} <= set(
        data["evidence"]["present"]
    )
    assert "muscle_weakness" in data["evidence"]["absent"]
    assert data["parsed"]["age"] == 34 and data["parsed"]["sex"] == "female"
    assert data["parsed"]["overridden"] == []


def test_assess_text_readable(capsys: pytest.CaptureFixture[str]) -> None:
    main(["assess", "--age", "50", "--text", "maybe some tingling, no weakness"])
    out = capsys.readouterr().out
    assert "Here is what we understood" in out
    assert "Pins and needles: not sure" in out  # the label a person reads, not the id


def test_assess_text_too_long_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", "--age", "50", "--text", "x" * 5001]) == 2
    assert "5000" in capsys.readouterr().err.replace(",", "")


def test_parse_from_the_package() -> None:
    parsed = twitchcheck.parse("maybe some tingling")
    assert [(f.id, f.choice.value) for f in parsed.findings] == [("tingling_numbness", "unknown")]
