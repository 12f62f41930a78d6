"""Metrics of an evaluation run (contracts §1, ``evaluate --json``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twitchcheck.domain import LEVELS, TriageLevel
from twitchcheck.evaluation.calibration import calibration
from twitchcheck.evaluation.intervals import wilson


@dataclass(frozen=True)
class CaseResult:
    """What the engine answered for one vignette."""

    id: str
    gold_causes: tuple[str, ...]
    gold_triage: str
    ranking: tuple[str, ...]  # every cause id, most likely first
    probabilities: dict[str, float]
    triage: str
    questions: int | None = None  # interview mode: screens answered
    items: tuple[int, ...] | None = None  # interview mode: items on each answered screen


#: The nine metabolic, nutritional and medicine causes that issue 16 measures together (their
#: pooled top-3 and each one's own).
METABOLIC_MEDICINE = (
    "hypomagnesemia",
    "hypokalemia",
    "hypocalcemia",
    "zinc_deficiency",
    "iron_deficiency",
    "vitamin_b_deficiency",
    "vitamin_e_deficiency",
    "hyperthyroidism",
    "medication_side_effect",
)


def _rank(level: str) -> int:
    return TriageLevel(level).rank


def _interval(successes: int, n: int) -> list[float]:
    lo, hi = wilson(successes, n)
    return [round(lo, 6), round(hi, 6)]


def confusion(results: Sequence[CaseResult]) -> dict[str, dict[str, int]]:
    """``{gold: {given: n}}`` over all five levels in the domain's order, zeros included."""
    table = {gold: dict.fromkeys(LEVELS, 0) for gold in LEVELS}
    for r in results:
        table[r.gold_triage][r.triage] += 1
    return table


def summarise(mode: str, results: Sequence[CaseResult]) -> dict[str, object]:
    """The report: fractions in [0, 1], failures listed, per-level triage rates, their Wilson
    intervals, the triage confusion matrix and the calibration of the top cause."""
    n = len(results)
    counts: dict[str, tuple[int, int]] = {}  # metric -> (successes, cases), for the intervals

    def frac(count: int, total: int, key: str | None = None) -> float:
        if key is not None:
            counts[key] = (count, total)
        return round(count / total, 6) if total else 0.0

    def in_top(r: CaseResult, k: int) -> bool:
        return r.gold_causes[0] in r.ranking[:k]

    under = [r for r in results if _rank(r.triage) < _rank(r.gold_triage)]
    over = [r for r in results if _rank(r.triage) > _rank(r.gold_triage)]
    brier_terms = [
        (p - (1.0 if cause == r.gold_causes[0] else 0.0)) ** 2
        for r in results
        for cause, p in r.probabilities.items()
    ]
    by_level: dict[str, dict[str, float | int]] = {}
    for level in LEVELS:
        group = [r for r in results if r.gold_triage == level]
        if not group:
            continue
        m = len(group)
        by_level[level] = {
            "n": m,
            "triage_exact": frac(sum(r.triage == level for r in group), m, f"{level}.triage_exact"),
            "under_triage": frac(
                sum(_rank(r.triage) < _rank(level) for r in group), m, f"{level}.under_triage"
            ),
            "over_triage": frac(
                sum(_rank(r.triage) > _rank(level) for r in group), m, f"{level}.over_triage"
            ),
        }
    failures = []
    for r in results:
        reasons = []
        if not in_top(r, 3):
            position = (
                r.ranking.index(r.gold_causes[0]) + 1 if r.gold_causes[0] in r.ranking else None
            )
            reasons.append(
                f"primary cause {r.gold_causes[0]} ranked {position}, top 3: {', '.join(r.ranking[:3])}"
            )
        if r.triage != r.gold_triage:
            reasons.append(f"triage {r.triage}, gold {r.gold_triage}")
        if reasons:
            failures.append({"id": r.id, "reason": "; ".join(reasons)})
    report: dict[str, object] = {
        "n": n,
        "mode": mode,
        "top1": frac(sum(in_top(r, 1) for r in results), n, "top1"),
        "top3": frac(sum(in_top(r, 3) for r in results), n, "top3"),
        "top5": frac(sum(in_top(r, 5) for r in results), n, "top5"),
        "any_gold_top3": frac(
            sum(any(g in r.ranking[:3] for g in r.gold_causes) for r in results),
            n,
            "any_gold_top3",
        ),
        "triage_exact": frac(sum(r.triage == r.gold_triage for r in results), n, "triage_exact"),
        "under_triage": frac(len(under), n, "under_triage"),
        "over_triage": frac(len(over), n, "over_triage"),
        "safe_advice": frac(n - len(under), n, "safe_advice"),
        "under_triaged_urgent_ids": [
            r.id for r in under if _rank(r.gold_triage) >= TriageLevel.URGENT.rank
        ],
        "brier": round(sum(brier_terms) / len(brier_terms), 6) if brier_terms else 0.0,
        "by_level": by_level,
        "failures": failures,
        "confusion": confusion(results),
    }
    report.update(
        calibration(
            [r.probabilities[r.ranking[0]] for r in results],
            [r.ranking[0] in r.gold_causes for r in results],
        )
    )
    # Overall metrics first, then the per-level rates, as in the report.
    order = [k for k in counts if "." not in k] + [k for k in counts if "." in k]
    report["ci95"] = {key: _interval(*counts[key]) for key in order}
    report.update(by_cause(results))
    questions = [r.questions for r in results if r.questions is not None]
    if questions:
        report["mean_questions"] = round(sum(questions) / len(questions), 4)
        report["max_questions"] = max(questions)
        screens = [k for r in results for k in (r.items or ())]
        # Pooled over every answered screen of every case (a long interview weighs more).
        report["mean_items"] = round(sum(screens) / len(screens), 4) if screens else 0.0
    return report


def by_cause(results: Sequence[CaseResult]) -> dict[str, object]:
    """Top-1 and top-3 of each primary gold cause, with Wilson intervals, and the pooled top-3
    of the cases whose primary cause is one of :data:`METABOLIC_MEDICINE`."""
    table: dict[str, dict[str, object]] = {}
    for cause in sorted({r.gold_causes[0] for r in results}):
        group = [r for r in results if r.gold_causes[0] == cause]
        top1 = sum(r.ranking[:1] == (cause,) for r in group)
        top3 = sum(cause in r.ranking[:3] for r in group)
        table[cause] = {
            "n": len(group),
            "top1": round(top1 / len(group), 6),
            "top3": round(top3 / len(group), 6),
            "top3_ci95": _interval(top3, len(group)),
        }
    pooled = [r for r in results if r.gold_causes[0] in METABOLIC_MEDICINE]
    hits = sum(r.gold_causes[0] in r.ranking[:3] for r in pooled)
    return {
        "by_cause": table,
        "metabolic_medicine_top3": {
            "n": len(pooled),
            "top3": round(hits / len(pooled), 6) if pooled else 0.0,
            "ci95": _interval(hits, len(pooled)),
        },
    }
