"""Metrics of an evaluation run (contracts §1, ``evaluate --json``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twitchcheck.domain import LEVELS, TriageLevel


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


def _rank(level: str) -> int:
    return TriageLevel(level).rank


def summarise(mode: str, results: Sequence[CaseResult]) -> dict[str, object]:
    """The report: fractions in [0, 1], failures listed, per-level triage rates."""
    n = len(results)

    def frac(count: int, total: int) -> float:
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
        by_level[level] = {
            "n": len(group),
            "triage_exact": frac(sum(r.triage == level for r in group), len(group)),
            "under_triage": frac(sum(_rank(r.triage) < _rank(level) for r in group), len(group)),
            "over_triage": frac(sum(_rank(r.triage) > _rank(level) for r in group), len(group)),
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
        "top1": frac(sum(in_top(r, 1) for r in results), n),
        "top3": frac(sum(in_top(r, 3) for r in results), n),
        "top5": frac(sum(in_top(r, 5) for r in results), n),
        "any_gold_top3": frac(
            sum(any(g in r.ranking[:3] for g in r.gold_causes) for r in results), n
        ),
        "triage_exact": frac(sum(r.triage == r.gold_triage for r in results), n),
        "under_triage": frac(len(under), n),
        "over_triage": frac(len(over), n),
        "under_triaged_urgent_ids": [
            r.id for r in under if _rank(r.gold_triage) >= TriageLevel.URGENT.rank
        ],
        "brier": round(sum(brier_terms) / len(brier_terms), 6) if brier_terms else 0.0,
        "by_level": by_level,
        "failures": failures,
    }
    questions = [r.questions for r in results if r.questions is not None]
    if questions:
        report["mean_questions"] = round(sum(questions) / len(questions), 4)
        report["max_questions"] = max(questions)
    return report
