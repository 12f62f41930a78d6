"""How well the knowledge base's evidence holds up (issue 16 §1, ``twitchcheck kb audit``).

Counted over every (item, source) pair of ``kb show --json``: each entry of each list (causes,
findings, links, rules, anatomy, treatments, work-up steps, statements) and each of its
``sources``, ``prior_sources`` and ``leak_sources``. An item "rests on tier C alone" when one of
those lists is non-empty and every source in it is tier C. The sensitivity run, which needs the
engine, lives in :mod:`twitchcheck.evaluation.sensitivity`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from twitchcheck.kb.export import kb_to_json
from twitchcheck.kb.model import KnowledgeBase
from twitchcheck.kb.schema import Provenance

#: The lists of ``kb show --json`` whose entries cite sources, with the name the audit reports.
KINDS: tuple[tuple[str, str], ...] = (
    ("statements", "statements"),
    ("rules", "rules"),
    ("treatments", "treatments"),
    ("workup", "workup"),
    ("causes", "causes"),
    ("findings", "findings"),
    ("links", "links"),
    ("anatomy", "anatomy"),
)
#: The keys of an entry that hold source ids (a cause's prior and a finding's leak have their own).
SOURCE_KEYS = ("sources", "prior_sources", "leak_sources")
TIERS = ("A", "B", "C")
#: An estimate that was fitted to cases starts with this label (contracts §6).
FITTED = "fitted:"


@dataclass(frozen=True)
class TierCAlone:
    """One list of sources that holds only tier C sources."""

    kind: str
    item: str
    key: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceAudit:
    tiers: dict[str, int]
    pairs: int
    share_ab: float
    tier_c_alone: tuple[TierCAlone, ...]
    numbers: dict[str, dict[str, int]]
    unused_sources: tuple[str, ...]
    source_tiers: dict[str, str] = field(default_factory=dict)

    def c_alone_by_kind(self) -> dict[str, int]:
        counts = Counter(x.kind for x in self.tier_c_alone)
        return {name: counts.get(name, 0) for _, name in KINDS}

    def links_c_alone_by_cause(self) -> dict[str, int]:
        counts = Counter(x.item.split("->", 1)[0] for x in self.tier_c_alone if x.kind == "links")
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_json(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "tiers": self.tiers,
            "share_ab": round(self.share_ab, 4),
            "tier_c_alone": {
                "by_kind": self.c_alone_by_kind(),
                "links_by_cause": self.links_c_alone_by_cause(),
                "items": [
                    {"kind": x.kind, "item": x.item, "key": x.key, "sources": list(x.sources)}
                    for x in self.tier_c_alone
                ],
            },
            "numbers": self.numbers,
            "unused_sources": list(self.unused_sources),
        }


def _item_id(kind: str, entry: dict[str, Any]) -> str:
    if kind == "links":
        return f"{entry['cause']}->{entry['finding']}"
    return str(entry.get("id", "?"))


def _cited_anywhere(value: Any, out: set[str]) -> None:
    """Every source id cited anywhere in the exported KB (stand-downs included)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key.endswith("sources") and isinstance(inner, list):
                out.update(str(x) for x in inner)
            else:
                _cited_anywhere(inner, out)
    elif isinstance(value, list):
        for inner in value:
            _cited_anywhere(inner, out)


def _label(p: Provenance) -> str:
    if p.estimate is None:
        return "sourced"
    return "fitted" if p.estimate.lstrip().startswith(FITTED) else "estimated"


def number_labels(kb: KnowledgeBase) -> dict[str, dict[str, int]]:
    """How many priors, leaks, links and stand-down thresholds are read from a source, estimated
    (with reasoning) or fitted to cases. A number with both sources and an estimate counts as
    estimated: the source is where the reasoning started, not where the number was read."""
    groups: dict[str, list[Provenance]] = {
        "priors": [c.prior for c in kb.causes],
        "leaks": [f.leak for f in kb.findings],
        "links": list(kb.links),
        "stand_down_thresholds": [r.stand_down for r in kb.rules if r.stand_down is not None],
    }
    out: dict[str, dict[str, int]] = {}
    for name, items in groups.items():
        counts = Counter(_label(p) for p in items)
        out[name] = {k: counts.get(k, 0) for k in ("sourced", "estimated", "fitted")}
    return out


def audit_evidence(kb: KnowledgeBase) -> EvidenceAudit:
    data = kb_to_json(kb)
    tier: dict[str, str] = {s.id: s.tier for s in kb.sources.values()}
    counts: Counter[str] = Counter()
    c_alone: list[TierCAlone] = []
    for key, name in KINDS:
        for entry in data[key]:
            for source_key in SOURCE_KEYS:
                refs = entry.get(source_key)
                if not refs:
                    continue
                counts.update(tier[s] for s in refs)
                if all(tier[s] == "C" for s in refs):
                    c_alone.append(TierCAlone(name, _item_id(key, entry), source_key, tuple(refs)))
    cited: set[str] = set()
    _cited_anywhere({k: v for k, v in data.items() if k != "sources"}, cited)
    pairs = sum(counts.values())
    return EvidenceAudit(
        tiers={t: counts.get(t, 0) for t in TIERS},
        pairs=pairs,
        share_ab=(counts["A"] + counts["B"]) / pairs if pairs else 0.0,
        tier_c_alone=tuple(c_alone),
        numbers=number_labels(kb),
        unused_sources=tuple(sorted(set(tier) - cited)),
        source_tiers=tier,
    )
