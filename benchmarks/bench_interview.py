"""Interview benchmarks: accuracy against questions asked, and next-question latency.

    .venv/bin/python -m benchmarks.bench_interview [--quick]

1. On the repository's vignettes: top-3 accuracy after N screens (N = 0..15), for the adaptive
   choice (exact expected information gain, safety screen first) and for a fixed order (the
   safety screen, then every screen in the KB's order). Simulated patients answer as in
   `evaluate --mode interview` (shared/spec/vignettes.md).
2. Next-question latency on the shipped KB (steps of the simulated interviews).
3. Next-question latency on a generated QMR-DT-scale KB (534 causes, 4,040 findings, ~40,000
   links, 10 positive and 30 negative findings), with candidate pruning, and how often the
   pruned choice equals the exhaustive exact choice.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from twitchcheck import results as r
from twitchcheck.api import Checker, default_checker, evidence_sets
from twitchcheck.domain import Choice, Sex
from twitchcheck.engine import interview as iv
from twitchcheck.engine.model import QuestionUnit
from twitchcheck.evaluation.simulate import simulated_answer
from twitchcheck.evaluation.vignettes import Vignette, load_vignettes
from twitchcheck.kb.generate import generate_kb

ROOT = Path(__file__).resolve().parent.parent
MAX_N = 15


def _question(checker: Checker, unit: QuestionUnit) -> r.Question:
    return r.Question(
        id=unit.id,
        type=unit.type,
        text=unit.text,
        rationale="",
        items=[r.QuestionItem(id=f, label=checker.kb.finding(f).label) for f in unit.items],
    )


def _fixed_next(checker: Checker, evidence: list[r.EvidenceItem], v: Vignette) -> r.Question | None:
    present, absent, _unknown, _initial = evidence_sets(evidence)
    req = checker.request(age=v.age, sex=v.sex, present=present, absent=absent)
    known = {e.id for e in evidence} | req.closed.present | req.closed.absent
    for unit in checker.units:
        if not iv.is_answered(unit, known):
            return _question(checker, iv.open_part(checker.model, unit, known))
    return None


def _adaptive_next(
    checker: Checker, evidence: list[r.EvidenceItem], v: Vignette
) -> r.Question | None:
    step = checker.next_question(age=v.age, sex=v.sex, evidence=evidence, max_questions=1000)
    return None if step.should_stop else step.question


def _top3_after_each_screen(
    checker: Checker,
    v: Vignette,
    choose: Callable[[Checker, list[r.EvidenceItem], Vignette], r.Question | None],
) -> list[bool]:
    """Whether the primary gold cause is in the top 3 after 0, 1, ..., MAX_N screens."""
    evidence = [r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True) for f in v.initial]
    hits = []
    for n in range(MAX_N + 1):
        present, absent, _unknown, _initial = evidence_sets(evidence)
        req = checker.request(age=v.age, sex=v.sex, present=present, absent=absent)
        post = checker.infer(
            checker.priors(req.age, req.sex), req.closed.present, req.closed.absent
        )
        top3 = [checker.kb.causes[j].id for j in np.argsort(-post.marginals, kind="stable")[:3]]
        hits.append(v.gold_causes[0] in top3)
        if n == MAX_N:
            break
        question = choose(checker, evidence, v)
        if question is None:
            hits.extend([hits[-1]] * (MAX_N - n))
            break
        known = {e.id for e in evidence}
        evidence += [a for a in simulated_answer(question, v) if a.id not in known]
    return hits


def accuracy_curves(checker: Checker, vignettes: list[Vignette]) -> dict[str, list[float]]:
    out = {}
    for name, choose in (("adaptive", _adaptive_next), ("fixed_order", _fixed_next)):
        rows = [_top3_after_each_screen(checker, v, choose) for v in vignettes]
        out[name] = [round(sum(row[n] for row in rows) / len(rows), 4) for n in range(MAX_N + 1)]
    return out


def shipped_latency(checker: Checker, vignettes: list[Vignette]) -> dict[str, float]:
    times = []
    for v in vignettes:
        evidence = [r.EvidenceItem(id=f, choice=Choice.PRESENT, initial=True) for f in v.initial]
        for _ in range(6):
            t = time.perf_counter()
            step = checker.next_question(age=v.age, sex=v.sex, evidence=evidence)
            times.append(time.perf_counter() - t)
            if step.should_stop or step.question is None:
                break
            known = {e.id for e in evidence}
            evidence += [a for a in simulated_answer(step.question, v) if a.id not in known]
    return {
        "steps": len(times),
        "median_ms": statistics.median(times) * 1000,
        "p90_ms": float(np.percentile(times, 90) * 1000),
    }


def qmr_latency(cases: int, exhaustive_checks: int, keep: int) -> dict[str, float]:
    kb = generate_kb(534, 4040, seed=1, parents_per_finding=10.0, red_flag_share=0.0)
    checker = Checker(kb)
    rng = np.random.default_rng(0)
    priors = checker.priors(50, Sex.UNKNOWN)
    times, agree, checked = [], 0, 0
    for case in range(cases):
        true_causes = rng.choice(534, 3, replace=False)
        children = np.flatnonzero((kb.link_matrix[true_causes] > 0.3).any(axis=0))
        pos = rng.choice(children, min(10, children.size), replace=False)
        neg = rng.choice(np.setdiff1d(np.arange(4040), children), 30, replace=False)
        present = [kb.findings[i].id for i in pos]
        absent = [kb.findings[i].id for i in neg]
        units = [
            u
            for u in checker.units
            if u.type == "single" and u.id not in set(present) | set(absent)
        ]
        t = time.perf_counter()
        gains = iv.gains(checker.model, priors, present, absent, units, 0, keep)
        times.append(time.perf_counter() - t)
        if case < exhaustive_checks:
            exact = iv.gains(checker.model, priors, present, absent, units)
            agree += max(gains, key=lambda k: gains[k][0]) == max(exact, key=lambda k: exact[k][0])
            checked += 1
    return {
        "candidates_kept": keep,
        "cases": cases,
        "median_ms": statistics.median(times) * 1000,
        "same_choice_as_exhaustive": agree,
        "checked": checked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer vignettes and QMR cases")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "interview.json"))
    parser.add_argument("--qmr-cases", type=int, default=12, help="QMR-scale queries timed")
    parser.add_argument(
        "--qmr-checks",
        type=int,
        default=4,
        help="of those, how many also run the exhaustive choice (slow)",
    )
    args = parser.parse_args()
    checker = default_checker()
    vignettes = load_vignettes(ROOT / "vignettes" / "dev.jsonl")
    if args.quick:
        vignettes = vignettes[:15]
    result: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
        },
        "kb_version": checker.kb.version,
        "vignettes": len(vignettes),
    }
    t = time.perf_counter()
    print("accuracy curves ...", flush=True)
    result["top3_after_n_screens"] = accuracy_curves(checker, vignettes)
    result["curves_seconds"] = round(time.perf_counter() - t, 1)
    result["shipped_next_question"] = shipped_latency(checker, vignettes)
    cases, checks = (4, 2) if args.quick else (args.qmr_cases, args.qmr_checks)
    result["qmr_next_question"] = [qmr_latency(cases, checks, keep) for keep in (8, 24)]
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
