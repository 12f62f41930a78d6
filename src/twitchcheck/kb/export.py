"""The whole KB as JSON, with every model parameter (shape: docs/assessment-json.md)."""

from __future__ import annotations

from typing import Any

from twitchcheck.kb.model import KnowledgeBase

FORMAT = "twitchcheck-kb/1"

#: One line for a reader of a table of the KB's numbers (issue 16 §1): what the labels mean.
PROVENANCE_NOTE = (
    "Numbers: sourced = read from the cited source; estimated = our reasoning (a cited source "
    "may be where it starts); fitted = fitted to cases."
)


def _provenance(prefix: str, sources: tuple[str, ...], estimate: str | None) -> dict[str, Any]:
    return {f"{prefix}sources": list(sources), f"{prefix}estimate": estimate}


def kb_to_json(kb: KnowledgeBase) -> dict[str, Any]:
    """Everything needed to recompute each posterior independently, plus the texts."""
    causes = []
    for c in kb.causes:
        d = c.model_dump(mode="json")
        prior = d.pop("prior")
        d["prior"] = prior["value"]
        d["prior_basis"] = prior["basis"]
        d.update(_provenance("prior_", tuple(prior["sources"]), prior["estimate"]))
        if prior.get("fitted"):  # fitted to cases: from what, to what, on which data
            d["prior_fitted"] = prior["fitted"]
        d["age_odds_ratios"] = prior["age_odds_ratios"]
        d["sex_odds_ratios"] = {**prior["sex_odds_ratios"], "other": 1.0, "unknown": 1.0}
        causes.append(d)
    findings = []
    for f in kb.findings:
        d = f.model_dump(mode="json")
        leak = d.pop("leak")
        d["leak"] = leak["value"]
        d.update(_provenance("leak_", tuple(leak["sources"]), leak["estimate"]))
        findings.append(d)
    links = [
        {
            "cause": link.cause,
            "finding": link.finding,
            "probability": link.p,
            "sources": list(link.sources),
            "estimate": link.estimate,
        }
        for link in kb.links
    ]
    return {
        "format": FORMAT,
        "kb_version": kb.version,
        "content_hash": kb.content_hash,
        "meta": kb.meta.model_dump(mode="json"),
        "model": {
            "type": "two-layer noisy-OR with leak",
            "reference_person": {"age": kb.meta.reference_age, "sex": "unknown"},
            "prior_adjustment": (
                "odds = prior/(1-prior) x product of age_odds_ratios whose [min, max) holds the "
                "age x sex_odds_ratios[sex]; probability = odds/(1+odds)"
            ),
            "finding_model": "P(finding absent | causes) = (1 - leak) x product over active causes of (1 - probability)",
            "number_provenance": PROVENANCE_NOTE,
        },
        "triage_levels": [lv.model_dump(mode="json") for lv in kb.levels.values()],
        "causes": causes,
        "findings": findings,
        "links": links,
        "exclusive_groups": [g.model_dump(mode="json") for g in kb.structure.exclusive_groups],
        "implications": [
            i.model_dump(mode="json", by_alias=True) for i in kb.structure.implications
        ],
        "roles": kb.roles.model_dump(mode="json"),
        "rules": [r.model_dump(mode="json") for r in kb.rules],
        "anatomy": [m.model_dump(mode="json") for m in kb.anatomy],
        "treatments": [t.model_dump(mode="json") for t in kb.treatments.values()],
        "workup": [w.model_dump(mode="json") for w in kb.workup.values()],
        "statements": [s.model_dump(mode="json") for s in kb.statements],
        "sources": [s.model_dump(mode="json") for s in kb.sources.values()],
    }


def provenance_counts(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """How many priors, leaks and links are sourced versus expert estimates."""
    out: dict[str, dict[str, int]] = {}
    for name, items in (
        ("priors", [c.prior for c in kb.causes]),
        ("leaks", [f.leak for f in kb.findings]),
        ("links", list(kb.links)),
        ("rules", list(kb.rules)),
    ):
        estimated = sum(1 for x in items if x.is_estimate)
        out[name] = {"sourced": len(items) - estimated, "estimated": estimated}
    return out
