"""Metrics computed by hand on three made-up results."""

from __future__ import annotations

import pytest

from twitchcheck.evaluation.metrics import CaseResult, summarise


def _case(
    cid: str, gold: str, ranking: tuple[str, ...], gold_triage: str, triage: str
) -> CaseResult:
    probs = {c: p for c, p in zip(ranking, (0.6, 0.3, 0.1), strict=True)}
    return CaseResult(cid, (gold,), gold_triage, ranking, probs, triage)


def test_summary_by_hand() -> None:
    results = [
        _case("a", "x", ("x", "y", "z"), "self_care", "self_care"),  # top1, exact
        _case("b", "y", ("x", "z", "y"), "emergency", "soon"),  # top3, under-triaged emergency
        _case("c", "z", ("x", "y", "z"), "routine", "urgent"),  # top3, over-triaged
    ]
    r = summarise("structured", results)
    assert r["n"] == 3 and r["mode"] == "structured"
    assert r["top1"] == pytest.approx(1 / 3, abs=1e-6)
    assert r["top3"] == 1.0 and r["top5"] == 1.0
    assert r["triage_exact"] == pytest.approx(1 / 3, abs=1e-6)
    assert r["under_triage"] == pytest.approx(1 / 3, abs=1e-6)
    assert r["over_triage"] == pytest.approx(1 / 3, abs=1e-6)
    assert r["under_triaged_urgent_ids"] == ["b"]
    # Brier: a: (0.6-1)^2+0.3^2+0.1^2 = 0.26; b: 0.36+0.01+(0.1-1)^2... computed per cause id
    a = (0.6 - 1) ** 2 + 0.3**2 + 0.1**2
    b = 0.6**2 + 0.3**2 + (0.1 - 1) ** 2  # gold y is third with 0.1
    c = 0.6**2 + 0.3**2 + (0.1 - 1) ** 2
    assert r["brier"] == pytest.approx((a + b + c) / 9, abs=1e-6)
    assert r["by_level"]["emergency"] == {
        "n": 1,
        "triage_exact": 0.0,
        "under_triage": 1.0,
        "over_triage": 0.0,
    }
    assert [f["id"] for f in r["failures"]] == ["b", "c"]
    assert "mean_questions" not in r
