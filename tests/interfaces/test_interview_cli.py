"""The interactive interview in a real pseudo-terminal, and replayed from a file."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pexpect
import pytest

import twitchcheck
from twitchcheck.interfaces.cli import main

#: The source tree under test (not whatever copy the interpreter would find on its own).
SRC = str(Path(twitchcheck.__file__).resolve().parents[1])

PROMPTS = [
    r"\[y\]es, \[n\]o, \[\?\] don't know, \[b\]ack: ",
    r"Pick one number, \[\?\] don't know, \[b\]ack: ",
    r"Numbers of all that apply .*\[b\]ack: ",
    r"What to do",
]


def spawn() -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "twitchcheck", "interview"],
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 160),
        env={"PATH": "/usr/bin:/bin", "TERM": "xterm", "COLUMNS": "160", "PYTHONPATH": SRC},
    )
    return child


def start(child: pexpect.spawn) -> None:
    child.expect("How old are you")
    child.sendline("thirty")  # refused politely, asked again
    child.expect("whole number")
    child.sendline("30")
    child.expect("Sex:")
    child.sendline("f")
    child.expect("Search")
    child.sendline("nose")
    child.expect(r"(\d+)\. Twitching of the nose|(\d+)\. .*[Nn]ose")
    number = child.match.group(1) or child.match.group(2)
    child.expect("Numbers")
    child.sendline(number)
    child.expect("So far")
    child.expect("Search")
    child.sendline("")


def test_whole_interview_in_a_terminal_with_back() -> None:
    child = spawn()
    start(child)
    screens = 0
    went_back = False
    while True:
        index = child.expect(PROMPTS)
        if index == 3:
            break
        screens += 1
        assert screens < 40
        if screens == 3 and not went_back:
            child.sendline("b")
            went_back = True
            continue
        child.sendline({0: "n", 1: "1", 2: "0"}[index])
    child.expect("Likely causes")
    child.expect(r"sources — \S*--sources")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert went_back and screens >= 3
    assert "Question 1" in (child.before or "") or screens > 0


def test_progress_and_reason_are_shown() -> None:
    child = spawn()
    start(child)
    child.expect(r"Question 1 of up to 15 \(safety questions may add one or two\)")
    child.expect("Why I ask: ")
    child.sendeof()
    child.expect("Stopped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1


def test_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = {
        "age": 22,
        "sex": "male",
        "initial": ["twitch_nose"],
        "answers": {
            "safety_screen": [],
            "twitch_duration": ["duration_under_2_weeks"],
            "lifestyle": ["high_caffeine_intake", "high_stress", "poor_sleep"],
            "muscle_symptoms": [],
            "muscle_weakness": "no",
        },
    }
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    assert main(["interview", "--answers", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["triage"]["level"] == "self_care"
    assert "high_caffeine_intake" in result["evidence"]["present"]
    assert "facial_droop" in result["evidence"]["absent"]  # the safety screen, answered "none"


def test_answers_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{oops")
    assert main(["interview", "--answers", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    path.write_text(json.dumps({"age": "old", "initial": ["twitch_nose"]}))
    assert main(["interview", "--answers", str(path)]) == 2


def test_evaluate_interview_mode_reports_questions(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import VIGNETTES

    assert main(["evaluate", str(VIGNETTES), "--mode", "interview", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "interview"
    assert 0 < report["mean_questions"] <= report["max_questions"]
    assert re.match(r"^\d+$", str(report["max_questions"]))


def test_the_first_prompt_accepts_a_sentence() -> None:
    child = spawn()
    child.expect("How old are you")
    child.sendline("30")
    child.expect("Sex:")
    child.sendline("f")
    child.expect("Search or describe")
    child.sendline("my nostril has twitched since Tuesday and my face dropped")
    child.expect("Here is what I understood")
    child.expect("Side of the nose or nostril")
    child.expect(r"Facial droop \(I will check this next\)")
    child.expect("Search or describe")
    child.sendline("")
    # the warning sign the sentence mentioned is still asked on the safety screen
    child.expect("First, do you have any of these right now")
    child.close(force=True)
