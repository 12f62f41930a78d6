"""The vignette loader: the optional fields of contracts.md §6, checked; other fields ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twitchcheck.errors import EvaluationError
from twitchcheck.evaluation.vignettes import load_vignettes, parse_vignettes

CASE = {
    "id": "m1",
    "source": "https://example.org/case",
    "age": 30,
    "sex": "female",
    "narrative": "my nose twitches",
    "initial": ["twitch_nose"],
    "present": ["twitch_nose", "high_stress"],
    "absent": ["muscle_weakness"],
    "gold_causes": ["stress_anxiety"],
    "gold_triage": "self_care",
}


def _write(tmp_path: Path, *cases: dict[str, object]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    return path


def test_optional_fields_are_read_and_others_ignored(tmp_path: Path) -> None:
    full = {
        **CASE,
        "stated": ["twitch_nose", "muscle_weakness"],
        "triage_basis": "rubric row 1",
        "author": "made-up",
        "brief_sha": "0" * 64,
        "anything_else": {"kept": False},
    }
    (v,) = load_vignettes(_write(tmp_path, full))
    assert v.stated == ("twitch_nose", "muscle_weakness")
    assert (v.triage_basis, v.author, v.brief_sha) == ("rubric row 1", "made-up", "0" * 64)
    assert not hasattr(v, "anything_else")
    (bare,) = load_vignettes(_write(tmp_path, CASE))
    assert bare.stated is None and bare.author is None  # not carried, unlike an empty list


def test_stated_must_be_a_subset_of_present_and_absent(tmp_path: Path) -> None:
    bad = {**CASE, "stated": ["twitch_nose", "poor_sleep"], "initial": ["twitch_eyelid"]}
    with pytest.raises(EvaluationError) as err:
        load_vignettes(_write(tmp_path, bad))
    message = str(err.value)
    assert "line 1: (case): initial ids not in present: twitch_eyelid" in message
    assert "stated ids in neither present nor absent: poor_sleep" in message


def test_parse_lists_every_problem_with_its_line() -> None:
    text = json.dumps(CASE) + "\n\nnot json\n" + json.dumps(CASE) + "\n"
    parsed = parse_vignettes(text)
    assert [line.number for line in parsed.lines] == [1, 4]
    assert parsed.problems == (
        (3, "not valid JSON (Expecting value)"),
        (4, "id: duplicate id 'm1' (first on line 1)"),
    )
