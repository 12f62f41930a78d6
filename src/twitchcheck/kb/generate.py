"""Generated knowledge bases: random, valid, seeded. For tests and benchmarks, never for people.

They pass the same schema and cross-checks as the shipped KB, which is what lets the engine be
tested as KB-agnostic and measured at QMR-DT scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from twitchcheck.domain import LEVELS, MAX_AGE
from twitchcheck.errors import KBProblem
from twitchcheck.kb.loader import build_kb
from twitchcheck.kb.model import KnowledgeBase


def generate_kb_files(
    n_causes: int,
    n_findings: int,
    parents_per_finding: float = 3.0,
    n_rules: int = 5,
    red_flag_share: float = 0.15,
    seed: int = 0,
    stand_down_share: float = 0.6,
) -> dict[str, Any]:
    """The parsed content of a random KB folder (file name -> data).

    About ``stand_down_share`` of the combination rules that may stand down (``soon`` or
    ``routine``, no red-flag finding: contracts §6) declare a random ``stand_down``, so that the
    triage properties exercise it; its draws come from their own stream, so the rest of the KB
    is the same whatever the share.
    """
    rng = np.random.default_rng(seed)
    rng_sd = np.random.default_rng([seed, 1])
    src = [
        {
            "id": "generated",
            "title": "Generated",
            "publisher": "twitchcheck",
            "url": "https://example.org/generated",
            "tier": "C",
        }
    ]
    causes = []
    for j in range(n_causes):
        causes.append(
            {
                "id": f"c{j}",
                "name": f"Cause {j}",
                "description": "Generated.",
                "category": "lifestyle",
                "prior": {
                    "value": float(rng.uniform(1e-4, 0.05)),
                    "basis": "generated",
                    "estimate": "random",
                    "age_odds_ratios": [
                        {"min": 60, "max": MAX_AGE + 1, "value": float(rng.uniform(0.5, 3.0))}
                    ],
                    "sex_odds_ratios": {
                        "female": float(rng.uniform(0.7, 1.4)),
                        "male": float(rng.uniform(0.7, 1.4)),
                    },
                },
                "urgency": LEVELS[int(rng.integers(0, 5))],
                "urgency_threshold": float(rng.uniform(0.05, 0.6)),
                "when_to_seek_care": "Generated.",
                "sources": ["generated"],
            }
        )
    findings = []
    red_flags = []
    for f in range(n_findings):
        red = bool(rng.random() < red_flag_share)
        findings.append(
            {
                "id": f"f{f}",
                "label": f"Finding {f}",
                "question": f"Finding {f}?",
                "category": "symptom",
                "red_flag": red,
                "leak": {"value": float(rng.uniform(1e-4, 0.02)), "estimate": "random"},
            }
        )
        if red:
            red_flags.append(f"f{f}")
    links = []
    for f in range(n_findings):
        k = min(n_causes, max(1, int(rng.poisson(parents_per_finding))))
        for j in sorted(rng.choice(n_causes, size=k, replace=False)):
            links.append(
                {
                    "cause": f"c{j}",
                    "finding": f"f{f}",
                    "p": float(rng.uniform(0.01, 0.9)),
                    "estimate": "random",
                }
            )
    rules = []
    for rf in red_flags:  # every red flag has its own rule, as the shipped KB must
        rules.append(
            {
                "id": f"r_{rf}",
                "kind": "red_flag",
                "all_of": [rf],
                "level": LEVELS[int(rng.integers(0, 4))],
                "text": "Generated.",
                "estimate": "random",
            }
        )
    for i in range(n_rules):
        members = [
            f"f{int(x)}" for x in rng.choice(n_findings, size=min(2, n_findings), replace=False)
        ]
        rule: dict[str, Any] = {
            "id": f"combo{i}",
            "kind": "combination",
            "all_of": members,
            "level": LEVELS[int(rng.integers(0, 5))],
            "text": "Generated.",
            "estimate": "random",
        }
        if rule["level"] in ("soon", "routine") and not set(members) & set(red_flags):
            stand_down = _stand_down(
                rng_sd, stand_down_share, n_causes, n_findings, {*members, *red_flags}
            )
            if stand_down is not None:
                rule["stand_down"] = stand_down
        rules.append(rule)
    return {
        "meta.yaml": {
            "id": "generated",
            "version": "0.0.0",
            "title": "Generated KB",
            "reference_age": 40,
            "disclaimer": "Generated data, not medical advice.",
        },
        "sources.yaml": src,
        "triage_levels.yaml": [
            {"id": lv, "name": lv, "advice": lv, "safety_net": lv} for lv in LEVELS
        ],
        "causes.yaml": causes,
        "findings.yaml": findings,
        "links.yaml": links,
        "structure.yaml": {"exclusive_groups": [], "implications": []},
        "rules.yaml": rules,
        "anatomy.yaml": [],
        "treatments.yaml": [],
        "workup.yaml": [],
        "statements.yaml": [],
    }


def _stand_down(
    rng: np.random.Generator,
    share: float,
    n_causes: int,
    n_findings: int,
    barred: set[str],
) -> dict[str, Any] | None:
    """A random stand-down, or None (1 - ``share``); ``barred`` findings (the rule's own and the
    red flags) are never triggers."""
    if rng.random() >= share:
        return None
    pool = [f"f{f}" for f in range(n_findings) if f"f{f}" not in barred]
    if not pool:
        return None
    guards = rng.choice(n_causes, size=min(n_causes, int(rng.integers(1, 4))), replace=False)
    triggers = rng.choice(len(pool), size=min(len(pool), int(rng.integers(1, 3))), replace=False)
    return {
        "guards": [f"c{int(j)}" for j in sorted(guards)],
        "triggers": [pool[int(k)] for k in sorted(triggers)],
        "below": float(rng.uniform(0.02, 0.9)),
        "estimate": "estimated: random",
    }


def generate_kb(n_causes: int, n_findings: int, seed: int = 0, **options: Any) -> KnowledgeBase:
    """A random KB that passes the schema (raises KnowledgeBaseError if it somehow does not)."""
    problems: list[KBProblem] = []
    return build_kb(
        generate_kb_files(n_causes, n_findings, seed=seed, **options), problems, f"generated:{seed}"
    )
