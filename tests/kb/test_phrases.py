"""Lay phrases beside each finding (issue 17): every askable finding has several, in English,
and no phrase belongs to two findings."""

from __future__ import annotations

from collections import Counter

import pytest

from twitchcheck.kb import load_kb
from twitchcheck.kb.schema import Finding

KB = load_kb()


def test_every_askable_finding_has_several_english_phrases() -> None:
    few = [f.id for f in KB.findings if f.asked_by == "person" and len(f.phrases.get("en", ())) < 3]
    assert few == []


def test_every_finding_has_some_phrase() -> None:
    assert [f.id for f in KB.findings if not f.phrases.get("en")] == []


def test_no_phrase_belongs_to_two_findings() -> None:
    counts = Counter(p.lower() for f in KB.findings for p in f.phrases.get("en", ()))
    assert [p for p, n in counts.items() if n > 1] == []


def test_phrases_include_misspellings_and_everyday_words() -> None:
    every = {p.lower() for f in KB.findings for p in f.phrases.get("en", ())}
    assert {"nostril", "side of my nose", "eye twitch", "jumpy legs", "choke on water"} <= every
    assert {"pins and needles", "my face dropped", "twiching", "weekness"} & every


def test_phrases_are_keyed_by_language() -> None:
    with pytest.raises(ValueError):
        Finding.model_validate(
            {
                "id": "x",
                "label": "X",
                "question": "X?",
                "category": "symptom",
                "leak": {"value": 0.1, "estimate": "e"},
                "phrases": {"english": ["x"]},
            }
        )


def test_amounts_need_exactly_one_threshold_and_provenance() -> None:
    base = {
        "id": "x",
        "label": "X",
        "question": "X?",
        "category": "lifestyle",
        "leak": {"value": 0.1, "estimate": "e"},
    }
    bad = [
        {"unit": "coffee", "per": "day", "estimate": "e"},
        {"unit": "coffee", "per": "day", "above": 4, "below": 2, "estimate": "e"},
        {"unit": "coffee", "per": "day", "above": 4},
    ]
    for amount in bad:
        with pytest.raises(ValueError):
            Finding.model_validate({**base, "text": {"amounts": [amount]}})


def test_no_denial_is_also_a_phrase() -> None:
    phrases = {p.lower() for f in KB.findings for p in f.phrases.get("en", ())}
    denials = [p.lower() for f in KB.findings for p in f.text.denials.get("en", ())]
    assert [p for p in denials if p in phrases] == []
    assert len(denials) == len(set(denials))
