"""Results that say only what is true for the person (issue 19): the ALS section, the "Why I
ask" of every screen of the shipped KB, and what to tell the emergency call handler."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from twitchcheck.api import default_checker
from twitchcheck.domain import Sex
from twitchcheck.engine import interview
from twitchcheck.facade.advice import chance_in_words

from .conftest import VIGNETTES

CASES = [json.loads(line) for line in VIGNETTES.open() if line.strip()]


def _data(case: dict[str, Any], concerns: tuple[str, ...] = ()) -> dict[str, Any]:
    checker = default_checker()
    req = checker.request(
        age=case["age"],
        sex=case["sex"],
        present=case["present"],
        absent=case["absent"],
        initial=case["initial"],
        concerns=concerns,
    )
    return checker.assessment_data(req)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_als_section_says_only_what_is_true(case: dict[str, Any]) -> None:
    a = _data(case, concerns=("als",))  # the worry named: the section is always shown
    ctx = a["als_context"]
    assert ctx is not None
    kb = default_checker().kb
    summary = ctx["summary"]
    absent, present = set(a["evidence"]["absent"]), set(a["evidence"]["present"])
    assert "did not report" not in summary
    said_no = re.search(r"You said no to ([^.]*)\.", summary)
    for sign in kb.roles.als_signs:
        label = kb.finding(sign).label.lower()
        if said_no and label in said_no.group(1):
            assert sign in absent, f"names {label!r} as answered no"
        if sign in present:
            assert "You reported" in summary
    # One number, in one form, the same as the data's `chance`.
    assert ctx["chance"] == chance_in_words(ctx["probability"])
    assert summary.count(ctx["chance"]) == 1
    assert not re.search(r"\d%", summary.replace(ctx["chance"], ""))
    assert "less than 1 in 1,000" not in summary
    # Its figures cited: every statement has sources, all listed in the assessment.
    listed = {s["id"] for s in a["sources"]}
    assert ctx["statements"] and all(st["sources"] for st in ctx["statements"])
    assert all(set(st["sources"]) <= listed for st in ctx["statements"])


def test_chance_in_words() -> None:
    assert chance_in_words(0.00002) == "fewer than 1 in 10,000"
    assert chance_in_words(0.0025) == "about 1 in 400"
    assert chance_in_words(0.25) == "about 25%"


def _units_and_marginals() -> tuple[Any, Any]:
    checker = default_checker()
    priors = checker.priors(40, Sex.UNKNOWN)
    post = checker.infer(priors, ["twitch_nose"], [])
    return checker.model.units, post.marginals


def test_every_screen_rationale_names_a_red_flag_only_as_a_red_flag() -> None:
    checker = default_checker()
    kb, model = checker.kb, checker.model
    units, marginals = _units_and_marginals()
    durations = set(kb.roles.duration_findings)
    strong = {(lk.finding, lk.cause) for lk in kb.links if lk.p >= interview.RELEVANT_LINK}
    for unit in units:
        decision = interview.Decision(unit, False, "red_flag_check", 0.0, None, None, 0)
        text = checker.interviewer.rationale(decision, marginals)
        flags = [f for f in unit.items if f in model.red_flags]
        if not flags:
            assert "warning sign" not in text, (unit.id, text)
        else:
            assert "warning sign" in text, (unit.id, text)
            named = re.search(r"matter for (.*), which is still possible", text)
            if named:
                cause = next(c for c in kb.causes if c.name.lower() == named.group(1))
                assert cause.urgency != "self_care", (unit.id, text)
                assert any((f, cause.id) in strong for f in flags), (unit.id, text)
        if durations & set(unit.items):
            assert "how long" in text, (unit.id, text)


def test_every_screen_rationale_names_the_causes_its_answer_moves() -> None:
    checker = default_checker()
    kb, model = checker.kb, checker.model
    units, marginals = _units_and_marginals()
    priors = checker.priors(40, Sex.UNKNOWN)
    # The safety screen always comes first with its own reason, never by information gain.
    open_units = [
        u for u in units if "twitch_nose" not in u.items and u.id != interview.SAFETY_SCREEN_ID
    ]
    gains = interview.gains(model, priors, ["twitch_nose"], [], open_units)
    linked = {(lk.finding, lk.cause) for lk in kb.links}
    for unit in open_units:
        g, yes, no = gains.get(unit.id, (0.0, None, None))
        decision = interview.Decision(unit, False, "information_gain", g, yes, no, 0)
        text = checker.interviewer.rationale(decision, marginals)
        assert "warning sign" not in text, (unit.id, text)
        # A "yes" raises what it is linked to (a "no" may raise a cause by explaining others
        # away, so only the "yes" side is held to a link).
        if yes is not None and kb.cause(yes).name.lower() in text:
            assert any((f, yes) in linked for f in unit.items), (unit.id, text)


def test_emergency_says_what_to_tell_the_call_handler() -> None:
    for case in CASES:
        a = _data(case)
        tell = a["triage"]["tell_call_handler"]
        if a["triage"]["level"] != "emergency":
            assert tell == []
            continue
        assert any(line.startswith("When it started") for line in tell)
        if a["red_flags"]:
            assert tell[0].startswith("What is happening: ")
            assert all(rf["label"].lower() in tell[0] for rf in a["red_flags"])
