"""Advice that fits the answers (issue 19; the rule: docs/assessment-json.md, "advice").

Over every dev vignette: each self-care step, treatment and work-up step comes from a cause at or
above the shown threshold; none contradicts an answer the person gave; no bullet repeats. The
contradiction check reads the item's own words (a word list written here, apart from the KB's
``acts_on``), so a new KB text that says "nicotine" without a condition fails here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from twitchcheck.api import default_checker
from twitchcheck.facade.advice import ADVICE_MIN_PROBABILITY, shown_causes

from .conftest import VIGNETTES

CASES = [json.loads(line) for line in VIGNETTES.open() if line.strip()]

#: Words in an advice text, and the answers that make them contradict: the text is out of place
#: when the person answered "no" to every one of these findings.
CONTRADICTED_BY = {
    r"\bnicotine\b|pre-workout": {"stimulant_use"},
    r"\bcaffeine\b|\bcoffee\b": {"high_caffeine_intake", "worse_after_caffeine"},
    r"\balcohol\b": {"heavy_alcohol_use"},
    r"\bvegan\b": {"restricted_diet"},
    r"vomiting or diarrhoea": {"vomiting_or_diarrhea"},
    r"antipsychotic": {"takes_dopamine_blocker"},
    r"\bMS\b|multiple sclerosis relapse": {"known_multiple_sclerosis"},
}


def _assessment(case: dict[str, Any]) -> dict[str, Any]:
    checker = default_checker()
    req = checker.request(
        age=case["age"],
        sex=case["sex"],
        present=case["present"],
        absent=case["absent"],
        initial=case["initial"],
    )
    return checker.assessment_data(req)


def _texts(advice: dict[str, Any]) -> list[str]:
    """What the person is told to do (a work-up step such as "the doctor asks about alcohol" is
    not an instruction, so it is checked by the threshold only)."""
    return list(advice["self_care"]) + [
        f"{t['name']}: {t['description']}" for t in advice["treatments"]
    ]


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_advice_fits_the_answers(case: dict[str, Any]) -> None:
    a = _assessment(case)
    kb = default_checker().kb
    shown = {c["id"] for c in a["causes"] if c["probability"] >= ADVICE_MIN_PROBABILITY}
    assert shown, "every dev case has a cause at or above the threshold"

    # 1. Every item comes from a shown cause (treatments name theirs; steps must belong to one).
    for t in a["advice"]["treatments"]:
        assert set(t["for_causes"]) <= shown, (t["id"], t["for_causes"])
    allowed_steps = {
        _key(st if isinstance(st, str) else st.text)
        for cid in shown
        for st in kb.cause(cid).self_care
    }
    for step in a["advice"]["self_care"]:
        assert _key(step) in allowed_steps, step
    allowed_workup = {w for cid in shown for w in kb.cause(cid).workup}
    for w in a["advice"]["doctor_may"]:
        assert w["id"] in allowed_workup, w["id"]

    # 2. Nothing contradicts an answer.
    absent = set(a["evidence"]["absent"])
    for text in _texts(a["advice"]):
        for pattern, findings in CONTRADICTED_BY.items():
            if re.search(pattern, text) and findings <= absent:
                pytest.fail(f"{text!r} contradicts the 'no' answers {sorted(findings)}")

    # 3. No repeated bullets.
    for key in ("self_care",):
        keys = [_key(x) for x in a["advice"][key]]
        assert len(keys) == len(set(keys)), keys
    for key in ("treatments", "doctor_may"):
        ids = [x["id"] for x in a["advice"][key]]
        assert len(ids) == len(set(ids)), ids


def test_short_twitch_gets_no_botox_or_antidepressants() -> None:
    """Three days of an eyelid twitch with lots of coffee and worry: none of the treatments a
    doctor offers for lasting spasms or anxiety (not_when: duration_under_2_weeks)."""
    a = default_checker().assess(
        age=30,
        sex="female",
        present=[
            "twitch_eyelid",
            "duration_under_2_weeks",
            "high_caffeine_intake",
            "anxiety_health_worry",
            "high_stress",
        ],
        absent=["stimulant_use"],
    )
    ids = {t.id for t in a.advice.treatments}
    assert not ids & {"botulinum_toxin", "antidepressants", "microvascular_decompression"}, ids
    assert "reduce_caffeine" in ids or any("caffeine" in s for s in a.advice.self_care)
    assert not any("nicotine" in s for s in a.advice.self_care)
    assert "stop_otc_stimulant" not in ids


def test_shown_causes_falls_back_to_the_top_cause() -> None:
    causes = [{"id": "a", "probability": 0.08}, {"id": "b", "probability": 0.05}]
    assert [c["id"] for c in shown_causes(causes)] == ["a"]
    causes = [
        {"id": "a", "probability": 0.5},
        {"id": "b", "probability": 0.1},
        {"id": "c", "probability": 0.09},
    ]
    assert [c["id"] for c in shown_causes(causes)] == ["a", "b"]
