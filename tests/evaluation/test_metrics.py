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


def test_the_keys_of_contracts_section_6_by_hand() -> None:
    results = [
        _case("a", "x", ("x", "y", "z"), "self_care", "self_care"),
        _case("b", "y", ("x", "z", "y"), "emergency", "soon"),
        _case("c", "z", ("x", "y", "z"), "routine", "urgent"),
    ]
    r = summarise("structured", results)
    assert r["safe_advice"] == pytest.approx(2 / 3, abs=1e-6)
    confusion = r["confusion"]
    levels = ["emergency", "urgent", "soon", "routine", "self_care"]
    assert list(confusion) == levels and all(list(row) == levels for row in confusion.values())
    assert sum(n for row in confusion.values() for n in row.values()) == 3
    assert confusion["emergency"]["soon"] == 1 and confusion["routine"]["urgent"] == 1
    assert confusion["self_care"]["self_care"] == 1 and confusion["urgent"]["urgent"] == 0
    ci = r["ci95"]
    overall = ["top1", "top3", "top5", "any_gold_top3", "triage_exact", "under_triage"]
    overall += ["over_triage", "safe_advice"]
    per_level = [
        f"{lv}.{m}"
        for lv in ("emergency", "routine", "self_care")
        for m in ("triage_exact", "under_triage", "over_triage")
    ]
    assert set(ci) == set(overall) | set(per_level)
    # one of three: Wilson (0.0615, 0.7923); none of one: (0, z²/(1+z²)) = (0, 3.8415/4.8415)
    assert ci["top1"] == [pytest.approx(0.061492, abs=1e-5), pytest.approx(0.792340, abs=1e-5)]
    assert ci["emergency.triage_exact"] == [0.0, pytest.approx(0.793452, abs=1e-5)]
    assert ci["top3"][1] == 1.0
    # calibration: every top cause has p 0.6 (bin 6); only case a's top cause (x) is gold
    bins = r["calibration"]
    assert bins[6] == {"bin": 6, "mean_p": 0.6, "observed": pytest.approx(1 / 3, abs=1e-6), "n": 3}
    assert r["ece"] == pytest.approx(abs(0.6 - 1 / 3), abs=1e-6)
    lo, hi = r["ece_ci95"]
    assert 0.0 <= lo <= r["ece"] <= hi <= 1.0


def test_interview_items_per_screen_are_pooled() -> None:
    base = _case("a", "x", ("x", "y", "z"), "soon", "soon")
    results = [
        CaseResult(
            base.id,
            base.gold_causes,
            "soon",
            base.ranking,
            base.probabilities,
            "soon",
            questions=2,
            items=(1, 7),
        ),
        CaseResult(
            "b",
            base.gold_causes,
            "soon",
            base.ranking,
            base.probabilities,
            "soon",
            questions=1,
            items=(4,),
        ),
    ]
    r = summarise("interview", results)
    assert r["mean_questions"] == 1.5 and r["max_questions"] == 2
    assert r["mean_items"] == pytest.approx(12 / 3)


def test_top3_by_primary_cause_and_the_metabolic_medicine_pool_by_hand() -> None:
    many = ("a", "b", "c", "d", "e")
    results = [
        CaseResult("1", ("hypokalemia",), "soon", ("hypokalemia", *many[:2]), {}, "soon"),
        CaseResult("2", ("hypokalemia",), "soon", (*many[:3], "hypokalemia"), {}, "soon"),
        CaseResult(
            "3", ("medication_side_effect",), "soon", ("x", "medication_side_effect"), {}, "soon"
        ),
        CaseResult("4", ("als",), "soon", ("als",), {}, "soon"),
    ]
    table = summarise("structured", [_with_probs(r) for r in results])
    assert table["by_cause"]["hypokalemia"]["n"] == 2
    assert table["by_cause"]["hypokalemia"]["top1"] == 0.5
    assert table["by_cause"]["hypokalemia"]["top3"] == 0.5
    assert table["by_cause"]["medication_side_effect"]["top1"] == 0.0
    assert table["by_cause"]["medication_side_effect"]["top3"] == 1.0
    # als is not one of the nine: the pool holds cases 1-3, two of them in the top 3
    pool = table["metabolic_medicine_top3"]
    assert pool["n"] == 3 and pool["top3"] == pytest.approx(2 / 3, abs=1e-6)
    assert pool["ci95"][0] < 2 / 3 < pool["ci95"][1]


def _with_probs(r: CaseResult) -> CaseResult:
    probs = {c: 1.0 / (i + 1) for i, c in enumerate(r.ranking)}
    return CaseResult(r.id, r.gold_causes, r.gold_triage, r.ranking, probs, r.triage)
